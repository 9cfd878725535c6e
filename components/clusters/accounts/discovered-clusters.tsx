"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { FormError, primaryButtonClass } from "@/components/forms/field";
import { DataTable, type DataTableColumn } from "@/components/shell/data-table";
import { addCloudClustersAction } from "@/lib/actions/clusters/accounts/add-clusters";

/** A cluster as the Kubernetes Service lists it (lib/clusters DiscoveredCluster, the fields shown). */
export interface DiscoveredRow {
  id: string;
  name: string;
  region: string;
  kubeVersion: string;
  type: "kubernetes" | "openshift";
  state: string;
  resourceGroupName: string;
  tags: string[];
  privateEndpoint: string | null;
  addedAs: string | null;
}

type Outcome = { iksClusterId: string; name: string; ok: boolean; error?: string; advice: string | null };

/** The account's clusters with a checkbox each (already-added ones marked), and "Add" for the chosen ones. */
export function DiscoveredClusters({ accountId, clusters }: { accountId: string; clusters: DiscoveredRow[] }) {
  const router = useRouter();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [endpoint, setEndpoint] = useState<"public" | "private">("public");
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const addable = clusters.filter((c) => c.addedAs === null);
  const toggle = (id: string) => setChosen((now) => (now.has(id) ? new Set([...now].filter((x) => x !== id)) : new Set([...now, id])));

  const add = () =>
    startTransition(async () => {
      const result = await addCloudClustersAction({ accountId, clusters: [...chosen].map((iksClusterId) => ({ iksClusterId, endpoint })) });
      setError(result.ok ? null : result.error);
      setOutcomes(result.ok ? result.data.map((o) => ({ ...o, error: "error" in o ? o.error : undefined })) : null);
      if (result.ok) {
        setChosen(new Set());
        router.refresh();
      }
    });

  return (
    <div className="grid gap-3">
      <DiscoveredTable clusters={clusters} chosen={chosen} toggle={toggle} pending={pending} />
      {addable.length > 0 ? (
        <div className="flex flex-wrap items-center gap-4 text-sm">
          <fieldset className="flex gap-3">
            <legend className="sr-only">Service endpoint</legend>
            <label className="inline-flex items-center gap-1">
              <input type="radio" name="endpoint" checked={endpoint === "public"} onChange={() => setEndpoint("public")} /> Public service endpoint
            </label>
            <label className="inline-flex items-center gap-1">
              <input type="radio" name="endpoint" checked={endpoint === "private"} onChange={() => setEndpoint("private")} /> Private service endpoint (Pullkeeper runs in IBM Cloud&apos;s private network)
            </label>
          </fieldset>
          <button type="button" onClick={add} disabled={pending || chosen.size === 0} className={primaryButtonClass}>
            {pending ? "Adding…" : chosen.size === 0 ? "Add chosen clusters" : `Add ${chosen.size} cluster${chosen.size === 1 ? "" : "s"}`}
          </button>
        </div>
      ) : (
        <p className="text-sm text-slate-600">Every cluster the key sees is added.</p>
      )}
      <FormError message={error} />
      {outcomes ? <AddOutcomes outcomes={outcomes} /> : null}
    </div>
  );
}

const DISCOVERED_COLUMNS: DataTableColumn[] = [
  { label: "Choose", srOnly: true },
  { label: "Cluster" },
  { label: "Region" },
  { label: "Version" },
  { label: "State" },
  { label: "Resource group" },
  { label: "Tags" },
];

function DiscoveredTable({ clusters, chosen, toggle, pending }: { clusters: DiscoveredRow[]; chosen: Set<string>; toggle: (id: string) => void; pending: boolean }) {
  return (
    <DataTable caption="Clusters the account's key sees" columns={DISCOVERED_COLUMNS}>
      {clusters.map((c) => (
        <tr key={c.id} className="border-t border-slate-100 align-top">
          <td className="px-3 py-2">
            <input
              type="checkbox"
              aria-label={`Choose ${c.name}`}
              disabled={c.addedAs !== null || pending}
              checked={c.addedAs !== null || chosen.has(c.id)}
              onChange={() => toggle(c.id)}
            />
          </td>
          <th scope="row" className="px-3 py-2 text-left font-normal">
            <div className="font-medium text-slate-900">{c.name}</div>
            <div className="font-mono text-xs text-slate-500">{c.id}</div>
            {c.addedAs ? <div className="text-xs text-emerald-800">Added as {c.addedAs}</div> : null}
          </th>
          <td className="px-3 py-2">{c.region}</td>
          <td className="px-3 py-2">
            {c.type === "openshift" ? "OpenShift " : ""}
            {c.kubeVersion}
          </td>
          <td className="px-3 py-2">{c.state}</td>
          <td className="px-3 py-2">{c.resourceGroupName}</td>
          <td className="px-3 py-2 text-xs">{c.tags.length ? c.tags.join(", ") : "—"}</td>
        </tr>
      ))}
    </DataTable>
  );
}

function AddOutcomes({ outcomes }: { outcomes: Outcome[] }) {
  return (
    <ul aria-label="Outcome of adding clusters" className="grid gap-2 text-sm">
  {outcomes.map((o) => (
    <li key={o.iksClusterId} className={`rounded border px-3 py-2 ${o.ok ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-red-200 bg-red-50 text-red-900"}`}>
      {o.ok ? (
        <>Added {o.name}.</>
      ) : (
        <>
          <strong>{o.name}</strong> was not added: {o.error}
          {o.advice ? <div className="mt-1">What to do: {o.advice}</div> : null}
        </>
      )}
    </li>
  ))}
</ul>
  );
}
