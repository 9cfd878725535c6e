"use client";

import { useState } from "react";
import { regionOf } from "@/lib/registry/domains";
import { Checkbox, CheckboxGroup } from "./fields";
import { Field, inputClass, invalidProps } from "@/components/forms/field";
import type { WorkflowInput } from "@/lib/workflows/catalog";
import { useWorkflowRunner } from "./use-workflow-runner";
import { WorkflowFrame } from "./workflow-frame";

type Role = NonNullable<WorkflowInput<"create_scoped_credentials">["role"]>;
type Region = NonNullable<WorkflowInput<"create_scoped_credentials">["regions"]>[number];

const REGIONS: Region[] = ["us-south", "us-east", "eu-gb", "eu-de", "eu-es", "eu-fr2", "au-syd", "jp-tok", "jp-osa", "ca-tor", "br-sao", "global"];

const REGISTRY_NAMESPACE = /^[a-z0-9][a-z0-9_-]{3,29}$/;

function narrowestRegions(domain: string | undefined): Region[] {
  const region = domain ? regionOf(domain) : undefined;
  return region && (REGIONS as string[]).includes(region) ? [region as Region] : [];
}

/** The seed's "other accounts / restricted access": service ID, policy, API key and pull secret for one namespace. */
export function ScopedWorkflow({ cluster, namespaces, domains, initialNamespace, canApply }: { cluster: string; namespaces: string[]; domains: string[]; initialNamespace: string; canApply: boolean }) {
  const runner = useWorkflowRunner("create_scoped_credentials");
  const [namespace, setNamespace] = useState(initialNamespace || namespaces[0] || "default");
  const [role, setRole] = useState<Role>("Reader");
  // The narrowest grant by default (anything wider needs an admin): one domain, its region, one registry namespace.
  const [regions, setRegions] = useState<Region[]>(() => narrowestRegions(domains[0]));
  const [registryNamespace, setRegistryNamespace] = useState(() => (REGISTRY_NAMESPACE.test(initialNamespace) ? initialNamespace : ""));
  const [chosen, setChosen] = useState<string[]>(domains.slice(0, 1));
  const [style, setStyle] = useState<"single" | "per-domain">("single");
  const [attach, setAttach] = useState(true);
  const { edit } = runner;
  const errors = runner.fieldErrors;
  return (
    <WorkflowFrame
      runner={runner}
      canApply={canApply}
      applyLabel="Create credentials"
      onPreview={() => runner.preview({ cluster, namespace, role, regions, registryNamespace, domains: chosen, style, attach, serviceAccount: "default" })}
    >
      <Field label="Namespace" id="namespace" errors={errors.namespace}>
        <input id="namespace" list="namespace-options" className={inputClass} value={namespace} onChange={(event) => edit(setNamespace)(event.target.value)} {...invalidProps("namespace", errors.namespace)} />
        <datalist id="namespace-options">
          {namespaces.slice(0, 500).map((ns) => (
            <option key={ns} value={ns} />
          ))}
        </datalist>
      </Field>
      <Field label="Role on Container Registry" id="role" errors={errors.role} hint="Reader pulls images; Writer also pushes; Manager also administers. Writer and Manager need an admin.">
        <select id="role" className={inputClass} value={role} onChange={(event) => edit(setRole)(event.target.value as Role)}>
          <option>Reader</option>
          <option>Writer</option>
          <option>Manager</option>
        </select>
      </Field>
      <CheckboxGroup legend="Regions (none: every region; more than one needs an admin)" name="regions" options={REGIONS} chosen={regions} onChange={(chosenRegions) => edit(setRegions)(chosenRegions as Region[])} errors={errors} columns={3} />
      <Field label="Registry namespace (empty: every namespace, needs an admin)" id="registryNamespace" errors={errors.registryNamespace} hint="Limits the key to one namespace of the registry.">
        <input id="registryNamespace" className={inputClass} value={registryNamespace} onChange={(event) => edit(setRegistryNamespace)(event.target.value)} {...invalidProps("registryNamespace", errors.registryNamespace)} />
      </Field>
      <CheckboxGroup legend="Registry domains" name="domains" options={domains} chosen={chosen} onChange={edit(setChosen)} errors={errors} columns={2} />
      <fieldset className="text-sm">
        <legend className="font-medium">Secrets</legend>
        <label className="mt-1 flex items-center gap-1.5">
          <input type="radio" name="style" checked={style === "single"} onChange={() => edit(setStyle)("single")} />
          One secret <span className="font-mono text-xs">{namespace}-icr-io</span> for all chosen domains
        </label>
        <label className="flex items-center gap-1.5">
          <input type="radio" name="style" checked={style === "per-domain"} onChange={() => edit(setStyle)("per-domain")} />
          One secret per domain
        </label>
      </fieldset>
      <Checkbox name="attach" label="Attach to the namespace's default service account" checked={attach} onChange={edit(setAttach)} />
    </WorkflowFrame>
  );
}
