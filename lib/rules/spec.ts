import { z } from "zod";
import { matchesSelector, parseLabelSelector } from "@/lib/labels/selector";
import {
  clusterNameSchema,
  labelSelectorSchema,
  namespaceNameSchema,
  objectNameSchema,
  registryHostSchema,
} from "@/lib/workflows/shared/schemas";

/**
 * A keeping rule: in clusters C, namespaces matching N must be able to pull
 * from registries R, with copies of source secrets S attached to service
 * accounts A. What a rule says, validated once here; stored as JSON with the rule.
 */

/** A rule's name is part of its actor (`rule:<name>`) in the audit log: a DNS label, like a namespace. */
export const ruleNameSchema = z
  .string()
  .trim()
  .min(1, "a rule name is required")
  .max(50, "rule names are at most 50 characters")
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "lower-case letters, digits and '-', starting and ending with a letter or digit");

export const ruleModeSchema = z.enum(["report", "enforce"], { error: "choose report or enforce" });
export type RuleMode = z.infer<typeof ruleModeSchema>;

/**
 * `labels`: the clusters whose labels (lib/clusters: set by admins on the clusters page) the selector matches,
 * judged at each evaluation, so a cluster labelled later joins and one unlabelled leaves.
 */
const clusterScopeSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("all") }),
  z.object({ mode: z.literal("list"), names: z.array(clusterNameSchema).min(1, "choose at least one cluster").max(100) }),
  z.object({ mode: z.literal("labels"), labelSelector: labelSelectorSchema }),
]);

const namespaceScopeSchema = z.object({
  /** `all`: every namespace; `labels`: those the selector matches; `names`: only the include list. */
  match: z.discriminatedUnion("mode", [
    z.object({ mode: z.literal("all") }),
    z.object({ mode: z.literal("labels"), labelSelector: labelSelectorSchema }),
    z.object({ mode: z.literal("names") }),
  ]),
  /** Always matched (unless excluded), whatever the selector says. */
  include: z.array(namespaceNameSchema).max(5000).default([]),
  /** Never matched. Wins over everything else. */
  exclude: z.array(namespaceNameSchema).max(5000).default([]),
  /** System namespaces (lib/coverage/system-namespaces.ts) are left out unless this is set or they are included by name. */
  includeSystem: z.boolean().default(false),
});

const serviceAccountScopeSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("default") }),
  z.object({ mode: z.literal("all") }),
  z.object({ mode: z.literal("list"), names: z.array(objectNameSchema).min(1, "name at least one service account").max(50) }),
]);

export const ruleSpecSchema = z
  .object({
    clusters: clusterScopeSchema,
    namespaces: namespaceScopeSchema,
    registries: z.array(registryHostSchema).min(1, "choose at least one registry").max(20),
    source: z.object({
      namespace: namespaceNameSchema.default("default"),
      secrets: z.array(objectNameSchema).min(1, "choose at least one source secret").max(10),
    }),
    /** `seed`: `default-us-icr-io` is copied as `<ns>-us-icr-io` (the seed's sed); `keep`: the source's name. */
    naming: z.enum(["seed", "keep"]).default("seed"),
    serviceAccounts: serviceAccountScopeSchema,
    /** After a fix, restart the Deployments, StatefulSets and DaemonSets whose running pods predate it (they keep their old pull secrets otherwise). */
    restartWorkloads: z.boolean().default(false),
  })
  .superRefine((spec, context) => {
    if (spec.namespaces.match.mode === "names" && spec.namespaces.include.length === 0) {
      context.addIssue({ code: "custom", path: ["namespaces", "include"], message: "list the namespaces this rule keeps" });
    }
    const excluded = new Set(spec.namespaces.exclude);
    const both = spec.namespaces.include.filter((name) => excluded.has(name));
    if (both.length) context.addIssue({ code: "custom", path: ["namespaces", "exclude"], message: `${both.join(", ")} cannot be both included and excluded` });
  });

export type RuleSpec = z.infer<typeof ruleSpecSchema>;
export type RuleSpecInput = z.input<typeof ruleSpecSchema>;

/** What the database and the evaluator know of a rule. */
export interface KeepingRule {
  id: string;
  name: string;
  description: string;
  mode: RuleMode;
  paused: boolean;
  spec: RuleSpec;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

/** The audit actor of everything a rule does. */
export function ruleActor(rule: Pick<KeepingRule, "name">): { email: string; role: string } {
  return { email: `rule:${rule.name}`, role: "rule" };
}

/** A cluster as rules see it: its name and its current labels (none for a cluster nobody labelled). */
export interface ClusterFacts {
  name: string;
  labels: Readonly<Record<string, string>>;
}

/**
 * Whether the rule's cluster scope holds this cluster now. A stored selector that no longer parses (the schema
 * refuses new ones) matches no cluster rather than every one.
 */
export function ruleAppliesToCluster(spec: RuleSpec, cluster: ClusterFacts): boolean {
  const scope = spec.clusters;
  if (scope.mode === "all") return true;
  if (scope.mode === "list") return scope.names.includes(cluster.name);
  const parsed = parseLabelSelector(scope.labelSelector);
  return parsed.ok && matchesSelector(parsed.requirements, cluster.labels);
}

/** The cluster scope in words, for lists, the rule page and the audit log's summary. */
export function describeClusterScope(scope: RuleSpec["clusters"]): string {
  if (scope.mode === "all") return "all clusters";
  if (scope.mode === "list") return scope.names.join(", ");
  return `clusters labelled ${scope.labelSelector}`;
}
