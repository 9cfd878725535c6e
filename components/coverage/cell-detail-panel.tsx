"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { dashboardApi, dashboardKeys } from "@/lib/api/keys";
import type { MatrixDomain } from "@/lib/api/matrix";
import type { CoverageCellView } from "@/lib/api/namespace";
import type { NamespaceCoverageResponse } from "@/lib/api/responses";
import { RuleBadge } from "@/components/rules/rule-badge";
import type { PullGroup } from "@/lib/pulls/types";
import { VerificationText } from "./verification-text";
import { needText, rejectionText, STATE_DISPLAY } from "./states";
import type { MatrixRow } from "./matrix-model";

async function fetchNamespaceCoverage(cluster: string, namespace: string): Promise<NamespaceCoverageResponse> {
  const response = await fetch(dashboardApi.namespace(cluster, namespace), { headers: { accept: "application/json" } });
  const body = (await response.json().catch(() => null)) as (NamespaceCoverageResponse & { error?: string }) | null;
  if (!response.ok || !body) throw new Error(body?.error ?? `The server answered ${response.status}.`);
  return body;
}

/** Who said the key is dead, and what makes the namespace need the registry. */
function CellFacts({ cell }: { cell: CoverageCellView }) {
  return (
    <>
      {cell.rejection ? (
        <p className="mt-2 font-medium text-red-800" data-testid="cell-rejection">
          {rejectionText(cell.rejection)}
        </p>
      ) : null}
      <p className="mt-2 text-slate-700" data-testid="cell-need">
        {cell.neededBecause.length ? `Needed: ${cell.neededBecause.map(needText).join("; ")}.` : "Not needed here: no workload pulls from it, no keeping rule requires it, and default holds no credential for it."}
      </p>
    </>
  );
}

/** The cell's failing and latent pods: a failing pull is what makes a registry needed here. */
function CellPulls({ groups }: { groups: PullGroup[] }) {
  if (groups.length === 0) return null;
  return (
    <>
      <h3 className="mt-4 text-xs font-semibold uppercase tracking-wide text-slate-500">Pods pulling from this registry</h3>
      <ul className="mt-1 space-y-1">
        {groups.map((g) => (
          <li key={`${g.state}|${g.image}|${g.cause}`} className={g.state === "failing" ? "text-red-900" : "text-amber-900"}>
            {g.sentence}
            <span className="block font-mono text-xs text-slate-600">{g.pods.join(", ")}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The "why" of one cell: which secrets, their verification, and what to do; opened from a matrix cell. */
export function CellDetailPanel({ cluster, row, domain, column, onClose }: { cluster: string; row: MatrixRow; domain: MatrixDomain; column: number; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const state = row.states[column] ?? "missing";
  const display = STATE_DISPLAY[state];
  const query = useQuery({ queryKey: dashboardKeys.namespace(cluster, row.namespace), queryFn: () => fetchNamespaceCoverage(cluster, row.namespace) });
  const cell = query.data?.coverage.find((c) => c.registry === domain.registry);
  const nsHref = `/clusters/${encodeURIComponent(cluster)}/namespaces/${encodeURIComponent(row.namespace)}`;
  const workflow = (verb: string) => `/clusters/${encodeURIComponent(cluster)}/workflows/${verb}?namespaces=${encodeURIComponent(row.namespace)}`;

  useEffect(() => {
    heading.current?.focus();
  }, [row.namespace, column]);

  return (
    <aside
      aria-labelledby="cell-detail-heading"
      className="fixed bottom-4 right-4 top-20 z-20 w-[26rem] max-w-[calc(100vw-2rem)] overflow-y-auto rounded-md border border-slate-300 bg-white p-4 text-sm shadow-lg"
      onKeyDown={(e) => {
        if (e.key === "Escape") onClose();
      }}
    >
      <div className="flex items-start justify-between gap-2">
        <h2 id="cell-detail-heading" ref={heading} tabIndex={-1} className="font-semibold">
          {row.namespace} · {domain.registry}
        </h2>
        <button type="button" onClick={onClose} className="rounded px-2 py-0.5 text-slate-600 hover:bg-slate-100" aria-label="Close details">
          ✕
        </button>
      </div>
      <p className={`mt-3 rounded border-l-4 px-2 py-1 font-medium ${display.className}`}>
        <span aria-hidden>{display.icon} </span>
        {display.label}
      </p>
      <p className="mt-2 text-slate-700">{display.explain(domain.registry)}</p>
      <RuleBadge cluster={cluster} namespace={row.namespace} registry={domain.registry} />
      {cell ? <CellFacts cell={cell} /> : null}
      {domain.successor ? <p className="mt-2 text-slate-700">This registry was discontinued; its successor is {domain.successor}.</p> : null}
      {!row.hasDefaultServiceAccount ? <p className="mt-2 text-amber-900">The namespace has no default service account, so nothing can be attached to it yet.</p> : null}
      <h3 className="mt-4 text-xs font-semibold uppercase tracking-wide text-slate-500">Secrets behind this state</h3>
      {query.isPending ? (
        <p role="status" className="mt-1 text-slate-500">
          Loading…
        </p>
      ) : query.isError ? (
        <p role="alert" className="mt-1 text-red-800">
          Could not load the details: {query.error.message}
        </p>
      ) : !cell || cell.secrets.length === 0 ? (
        <p className="mt-1 text-slate-600">None.</p>
      ) : (
        <ul className="mt-1 space-y-1">
          {cell.secrets.map((secret) => (
            <li key={secret.name}>
              <span className="font-mono">{secret.name}</span>
              <span className="ml-2 text-xs text-slate-600">
                <VerificationText state={secret.verification} now={query.dataUpdatedAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
      <CellPulls groups={(query.data?.pulls ?? []).filter((g) => g.registry === domain.registry)} />
      <div className="mt-4 flex flex-wrap gap-2">
        <Link href={nsHref} className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-50">
          Open namespace
        </Link>
        {state !== "covered" && state !== "not_needed" ? (
          <>
            <Link href={workflow("copy")} className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-50">
              Copy pull secrets here…
            </Link>
            <Link href={workflow("attach")} className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-50">
              Attach…
            </Link>
          </>
        ) : null}
      </div>
    </aside>
  );
}
