import type { ReactNode } from "react";
import { Field, inputClass, invalidProps } from "@/components/forms/field";
import type { RuleFormValues } from "@/lib/actions/rules/rule-form";
import type { ClusterLabelling } from "@/lib/clusters/labels";
import { SYSTEM_NAMESPACES_DESCRIPTION } from "@/lib/coverage/system-namespaces";
import { ClusterSelectorField } from "./cluster-selector-field";

type Errors = Record<string, string[]> | undefined;

function Choice({ legend, name, value, options, errors }: { legend: string; name: string; value: string; options: [string, string][]; errors: Errors }) {
  return (
    <fieldset className="text-sm" aria-describedby={errors?.[name]?.length ? `${name}-error` : undefined}>
      <legend className="font-medium text-slate-800">{legend}</legend>
      <div className="mt-1 flex flex-wrap gap-4">
        {options.map(([option, label]) => (
          <label key={option} className="flex items-center gap-1.5">
            <input type="radio" name={name} value={option} defaultChecked={value === option} /> {label}
          </label>
        ))}
      </div>
      {errors?.[name]?.length ? (
        <p id={`${name}-error`} className="text-xs text-red-700">
          {errors[name].join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}

function ListField({ name, label, value, errors, hint, placeholder }: { name: string; label: string; value: string; errors: Errors; hint?: ReactNode; placeholder?: string }) {
  const id = `rule-${name}`;
  return (
    <Field id={id} label={label} errors={errors?.[name]} hint={hint}>
      <textarea id={id} name={name} defaultValue={value} rows={2} placeholder={placeholder} className={inputClass} {...invalidProps(id, errors?.[name])} />
    </Field>
  );
}

function Check({ name, label, checked }: { name: string; label: string; checked: boolean }) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" name={name} value="on" defaultChecked={checked} /> {label}
    </label>
  );
}

/** The controls of the rule form (uncontrolled: the form reads them when previewing and saving). */
export function RuleFormFields({ values, clusters, errors, editing }: { values: RuleFormValues; clusters: ClusterLabelling[]; errors: Errors; editing: boolean }) {
  return (
    <div className="grid gap-5 sm:grid-cols-2">
      <Field id="rule-name" label="Name" errors={errors?.name} hint={editing ? "A rule's name is its actor in the audit log (rule:<name>); it cannot change." : "Lower-case letters, digits and '-'; runs are recorded as rule:<name>."}>
        <input id="rule-name" name="name" defaultValue={values.name} readOnly={editing} required maxLength={50} className={inputClass} {...invalidProps("rule-name", errors?.name)} placeholder="icr-everywhere" />
      </Field>
      <Field id="rule-description" label="Description" errors={errors?.description}>
        <input id="rule-description" name="description" defaultValue={values.description} maxLength={500} className={inputClass} {...invalidProps("rule-description", errors?.description)} />
      </Field>
      <Choice legend="Mode" name="mode" value={values.mode} errors={errors} options={[["report", "Report (show drift, write nothing)"], ["enforce", "Enforce (fix drift as the rule)"]]} />
      <div className="space-y-2">
        <Choice legend="Clusters" name="clusterMode" value={values.clusterMode} errors={errors} options={[["all", "All clusters"], ["list", "These clusters:"], ["labels", "Clusters labelled:"]]} />
        <div className="flex flex-wrap gap-3 text-sm" role="group" aria-label="Clusters of the rule">
          {clusters.map((cluster) => (
            <label key={cluster.name} className="flex items-center gap-1.5" title={cluster.displayName !== cluster.name ? cluster.name : undefined}>
              <input type="checkbox" name="clusters" value={cluster.name} defaultChecked={values.clusters.includes(cluster.name)} /> {cluster.displayName}
            </label>
          ))}
        </div>
        {errors?.clusters?.length ? <p className="text-xs text-red-700">{errors.clusters.join(" ")}</p> : null}
        <ClusterSelectorField defaultValue={values.clusterSelector} clusters={clusters} errors={errors?.clusterSelector} />
      </div>
      <div className="space-y-2">
        <Choice legend="Namespaces" name="namespaceMode" value={values.namespaceMode} errors={errors} options={[["all", "All"], ["labels", "Matching a label selector"], ["names", "Only those included by name"]]} />
        <Field id="rule-labelSelector" label="Label selector" errors={errors?.labelSelector} hint="For example team=web,env!=dev">
          <input id="rule-labelSelector" name="labelSelector" defaultValue={values.labelSelector} className={inputClass} {...invalidProps("rule-labelSelector", errors?.labelSelector)} />
        </Field>
        <Check name="includeSystem" label={`Include system namespaces (${SYSTEM_NAMESPACES_DESCRIPTION})`} checked={values.includeSystem} />
      </div>
      <div className="space-y-2">
        <ListField name="include" label="Always include" value={values.include} errors={errors} hint="Namespace names, one per line or separated by commas." />
        <ListField name="exclude" label="Never include" value={values.exclude} errors={errors} hint="Exclusions win over everything else." />
      </div>
      <ListField name="registries" label="Registries" value={values.registries} errors={errors} placeholder="icr.io" hint="Registry hosts the namespaces must be able to pull from." />
      <div className="space-y-2">
        <Field id="rule-sourceNamespace" label="Source namespace" errors={errors?.sourceNamespace}>
          <input id="rule-sourceNamespace" name="sourceNamespace" defaultValue={values.sourceNamespace} className={inputClass} {...invalidProps("rule-sourceNamespace", errors?.sourceNamespace)} />
        </Field>
        <ListField name="sourceSecrets" label="Source secrets" value={values.sourceSecrets} errors={errors} placeholder="all-icr-io" hint="Pull secrets in the source namespace of each cluster, copied into the namespaces." />
      </div>
      <Field id="rule-naming" label="Copy names" errors={errors?.naming}>
        <select id="rule-naming" name="naming" defaultValue={values.naming} className={inputClass}>
          <option value="seed">As the seed names them (default-us-icr-io → &lt;namespace&gt;-us-icr-io)</option>
          <option value="keep">The source&apos;s names</option>
        </select>
      </Field>
      <div className="space-y-2">
        <Choice legend="Service accounts" name="serviceAccountMode" value={values.serviceAccountMode} errors={errors} options={[["default", "default"], ["all", "All"], ["list", "These:"]]} />
        <ListField name="serviceAccounts" label="Service account names" value={values.serviceAccounts} errors={errors} />
      </div>
      <Check name="restartWorkloads" label="Restart Deployments, StatefulSets and DaemonSets whose pods predate a fix" checked={values.restartWorkloads} />
    </div>
  );
}
