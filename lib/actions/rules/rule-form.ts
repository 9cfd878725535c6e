import { z } from "zod";
import { ruleModeSchema, ruleNameSchema, ruleSpecSchema, type KeepingRule, type RuleMode, type RuleSpec } from "@/lib/rules/spec";

/**
 * The rule form as the browser sends it: one flat field per control, so a
 * refusal names the control to fix (a nested spec path would name none).
 * Lists are typed one per line or separated by commas; checkboxes send "on".
 * Turned into a draft validated by the rule spec schema, whose messages are
 * mapped back onto the controls.
 */

const list = z.preprocess(
  (value) => (typeof value === "string" ? value.split(/[\s,]+/).filter(Boolean) : Array.isArray(value) ? value : []),
  z.array(z.string().max(253)).max(5000),
);
const flag = z.preprocess((value) => value === true || value === "true" || value === "on", z.boolean());

export const ruleFormFields = z.object({
  name: ruleNameSchema,
  description: z.string().trim().max(500, "descriptions are at most 500 characters").default(""),
  mode: ruleModeSchema,
  clusterMode: z.enum(["all", "list", "labels"], { error: "choose all clusters, a list, or a label selector" }),
  clusters: list,
  clusterSelector: z.string().trim().max(1000).default(""),
  namespaceMode: z.enum(["all", "labels", "names"], { error: "choose how namespaces are matched" }),
  labelSelector: z.string().trim().max(1000).default(""),
  include: list,
  exclude: list,
  includeSystem: flag,
  registries: list,
  sourceNamespace: z.string().trim().max(253).default("default"),
  sourceSecrets: list,
  naming: z.enum(["seed", "keep"], { error: "choose a naming convention" }),
  serviceAccountMode: z.enum(["default", "all", "list"], { error: "choose which service accounts" }),
  serviceAccounts: list,
  restartWorkloads: flag,
});

export type RuleFormFields = z.input<typeof ruleFormFields>;
type ParsedFields = z.output<typeof ruleFormFields>;

export interface RuleDraftInput {
  name: string;
  description: string;
  mode: RuleMode;
  spec: RuleSpec;
}

/** Which control a spec path belongs to. */
export function formFieldOf(path: readonly PropertyKey[]): string {
  const [head, second, third] = path.map(String);
  if (head === "namespaces") return second === "match" ? (third === "labelSelector" ? "labelSelector" : "namespaceMode") : second === "includeSystem" ? "includeSystem" : (second ?? "include");
  if (head === "source") return second === "namespace" ? "sourceNamespace" : "sourceSecrets";
  if (head === "serviceAccounts") return "serviceAccounts";
  if (head === "clusters") return second === "labelSelector" ? "clusterSelector" : "clusters";
  return head ?? "spec";
}

function specInput(fields: ParsedFields): unknown {
  return {
    clusters: fields.clusterMode === "labels" ? { mode: "labels", labelSelector: fields.clusterSelector } : fields.clusterMode === "list" ? { mode: "list", names: fields.clusters } : { mode: "all" },
    namespaces: {
      match: fields.namespaceMode === "labels" ? { mode: "labels", labelSelector: fields.labelSelector } : { mode: fields.namespaceMode },
      include: fields.include,
      exclude: fields.exclude,
      includeSystem: fields.includeSystem,
    },
    registries: fields.registries,
    source: { namespace: fields.sourceNamespace || "default", secrets: fields.sourceSecrets },
    naming: fields.naming,
    serviceAccounts: fields.serviceAccountMode === "list" ? { mode: "list", names: fields.serviceAccounts } : { mode: fields.serviceAccountMode },
    restartWorkloads: fields.restartWorkloads,
  };
}

/** The draft the form describes, or its problems added to `context` on the controls they concern. */
export function draftFromFields(fields: ParsedFields, context: z.RefinementCtx): RuleDraftInput | typeof z.NEVER {
  const spec = ruleSpecSchema.safeParse(specInput(fields));
  if (!spec.success) {
    for (const issue of spec.error.issues) context.addIssue({ code: "custom", path: [formFieldOf(issue.path)], message: issue.message });
    return z.NEVER;
  }
  return { name: fields.name, description: fields.description, mode: fields.mode, spec: spec.data };
}

export const ruleDraftSchema = ruleFormFields.transform(draftFromFields);

/** The token the blast-radius preview of these values handed back (lib/rules/preview-token.ts); checked by the save actions. */
const previewTokenSchema = z.string().trim().max(200).optional();

/** Create: the draft and the proof it was previewed. */
export const createSchema = ruleFormFields
  .extend({ previewToken: previewTokenSchema })
  .transform((fields, context) => ({ previewToken: fields.previewToken, draft: draftFromFields(fields, context) as RuleDraftInput }));

const ruleIdSchema = z.string().trim().min(1, "a rule is required").max(100);

/** Preview: the draft, and the rule it edits (its own copies and decisions count then). */
export const previewSchema = ruleFormFields
  .extend({ ruleId: ruleIdSchema.optional() })
  .transform((fields, context) => ({ ruleId: fields.ruleId, draft: draftFromFields(fields, context) as RuleDraftInput }));

export const updateSchema = ruleFormFields
  .extend({ ruleId: ruleIdSchema, expectedVersion: z.coerce.number({ error: "the version you edited is required" }).int().min(0), previewToken: previewTokenSchema })
  .transform((fields, context) => ({ ruleId: fields.ruleId, expectedVersion: fields.expectedVersion, previewToken: fields.previewToken, draft: draftFromFields(fields, context) as RuleDraftInput }));

export const ruleRefSchema = z.object({ ruleId: ruleIdSchema });

/** The form's initial values: lists as the text typed into them, cluster names as the boxes ticked. */
export interface RuleFormValues {
  name: string;
  description: string;
  mode: string;
  clusterMode: string;
  clusters: string[];
  clusterSelector: string;
  namespaceMode: string;
  labelSelector: string;
  include: string;
  exclude: string;
  includeSystem: boolean;
  registries: string;
  sourceNamespace: string;
  sourceSecrets: string;
  naming: string;
  serviceAccountMode: string;
  serviceAccounts: string;
  restartWorkloads: boolean;
}

/** A stored rule as the form's initial values (the edit page). */
export function fieldsOfRule(rule: Pick<KeepingRule, "name" | "description" | "mode" | "spec">): RuleFormValues {
  const { spec } = rule;
  return {
    name: rule.name,
    description: rule.description,
    mode: rule.mode,
    clusterMode: spec.clusters.mode,
    clusters: spec.clusters.mode === "list" ? spec.clusters.names : [],
    clusterSelector: spec.clusters.mode === "labels" ? spec.clusters.labelSelector : "",
    namespaceMode: spec.namespaces.match.mode,
    labelSelector: spec.namespaces.match.mode === "labels" ? spec.namespaces.match.labelSelector : "",
    include: spec.namespaces.include.join("\n"),
    exclude: spec.namespaces.exclude.join("\n"),
    includeSystem: spec.namespaces.includeSystem,
    registries: spec.registries.join("\n"),
    sourceNamespace: spec.source.namespace,
    sourceSecrets: spec.source.secrets.join("\n"),
    naming: spec.naming,
    serviceAccountMode: spec.serviceAccounts.mode,
    serviceAccounts: spec.serviceAccounts.mode === "list" ? spec.serviceAccounts.names.join("\n") : "",
    restartWorkloads: spec.restartWorkloads,
  };
}
