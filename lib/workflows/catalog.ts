import type { z } from "zod";
import type { OperationKind } from "@/lib/audit/port";
import { attachPullSecretsInputSchema, planAttachPullSecrets } from "./attach-pull-secrets";
import { copyPullSecretsInputSchema, planCopyPullSecrets } from "./copy-pull-secrets";
import {
  createPrivateRegistrySecretInputSchema,
  planCreatePrivateRegistrySecret,
  privateRegistrySecrets,
} from "./create-private-registry-secret";
import { createScopedCredentialsInputSchema, planCreateScopedCredentials } from "./create-scoped-credentials";
import type { RunSecrets, WorkflowDeps } from "./engine/deps";
import type { Plan } from "./engine/plan";
import { keepRuleInputSchema, planKeepRule } from "./keep-rule";
import { migrateToApiKeysInputSchema, planMigrateToApiKeys } from "./migrate-to-api-keys";
import { planRotateApiKey, rotateApiKeyInputSchema } from "./rotate-api-key";
import { planUndoOperation, undoOperationInputSchema } from "./undo-operation";

/**
 * One entry per workflow: its audit operation kind (the key), the page that
 * runs it, its input schema and its plan. The page, the preview and apply
 * actions and the audit log all read this list; nothing else names workflows.
 */
export interface WorkflowDefinition<Schema extends z.ZodType = z.ZodType> {
  kind: OperationKind;
  /** The page: /clusters/<cluster>/workflows/<slug>. Absent for workflows started from the audit log (undo). */
  slug: string | null;
  title: string;
  /** One sentence under the page's title. */
  description: string;
  schema: Schema;
  plan(input: z.infer<Schema>, deps: WorkflowDeps): Promise<Plan>;
  /** Credentials typed into the form that the run needs but the plan must not hold. */
  runSecrets?(input: z.infer<Schema>): RunSecrets;
  /** How the run reacts to a failed step. */
  failurePolicy: "continue" | "stop";
  /** The operation this run relates to (undo). */
  relatedOperationId?(input: z.infer<Schema>): string | undefined;
}

/** Keeps each entry's own schema and slug types, so forms and pages are typed from them. */
function define<Schema extends z.ZodType, Slug extends string | null>(definition: WorkflowDefinition<Schema> & { slug: Slug }): WorkflowDefinition<Schema> & { slug: Slug } {
  return definition;
}

export const WORKFLOWS = {
  migrate_to_api_keys: define({
    kind: "migrate_to_api_keys",
    slug: "migrate",
    title: "Migrate to IAM API keys",
    description: "Replace the discontinued registry-token pull secrets with IAM API-key secrets, attached and verified.",
    schema: migrateToApiKeysInputSchema,
    plan: planMigrateToApiKeys,
    failurePolicy: "continue",
  }),
  copy_pull_secrets: define({
    kind: "copy_pull_secrets",
    slug: "copy",
    title: "Copy pull secrets",
    description: "Copy pull secrets to other namespaces, rebuilt from their type and data only, and attach them.",
    schema: copyPullSecretsInputSchema,
    plan: planCopyPullSecrets,
    failurePolicy: "continue",
  }),
  attach_pull_secrets: define({
    kind: "attach_pull_secrets",
    slug: "attach",
    title: "Attach pull secrets",
    description: "Add pull secrets to service accounts' imagePullSecrets without duplicates, keeping the others.",
    schema: attachPullSecretsInputSchema,
    plan: planAttachPullSecrets,
    failurePolicy: "continue",
  }),
  create_scoped_credentials: define({
    kind: "create_scoped_credentials",
    slug: "scoped",
    title: "Create scoped IAM credentials",
    description: "A service ID, access policy and API key for one namespace, written into a verified pull secret.",
    schema: createScopedCredentialsInputSchema,
    plan: planCreateScopedCredentials,
    failurePolicy: "stop",
  }),
  create_private_registry_secret: define({
    kind: "create_private_registry_secret",
    slug: "private-registry",
    title: "Private registry secret",
    description: "A pull secret for any private registry, verified against the registry.",
    schema: createPrivateRegistrySecretInputSchema,
    plan: planCreatePrivateRegistrySecret,
    runSecrets: privateRegistrySecrets,
    failurePolicy: "stop",
  }),
  rotate_api_key: define({
    kind: "rotate_api_key",
    slug: "rotate",
    title: "Rotate an API key",
    description: "Mint a new key for a service ID, write it into every secret in the fleet that holds the old one and can be proven a copy, verify, then lock and delete the old key after a grace period.",
    schema: rotateApiKeyInputSchema,
    plan: planRotateApiKey,
    // A failed write or verification must leave the old key in place: its retirement depends on every one of them.
    failurePolicy: "continue",
  }),
  undo: define({
    kind: "undo",
    slug: null,
    title: "Undo an operation",
    description: "Revert what a recorded operation changed, where that is safe.",
    schema: undoOperationInputSchema,
    plan: planUndoOperation,
    failurePolicy: "continue",
    relatedOperationId: (input) => input.operationId,
  }),
  keep_rule: define({
    kind: "keep_rule",
    slug: null,
    title: "Keeping rule",
    description: "What a keeping rule changed to bring a cluster back in line with it.",
    schema: keepRuleInputSchema,
    plan: planKeepRule,
    failurePolicy: "continue",
  }),
} as const;

export type WorkflowKind = keyof typeof WORKFLOWS;

/** What a workflow's form sends: the schema's input type (defaults may be left out). */
export type WorkflowInput<K extends WorkflowKind> = z.input<(typeof WORKFLOWS)[K]["schema"]>;

/** Workflows that have a page of their own. */
export type PageWorkflowKind = { [K in WorkflowKind]: (typeof WORKFLOWS)[K]["slug"] extends string ? K : never }[WorkflowKind];

export function isWorkflowKind(kind: string): kind is WorkflowKind {
  return Object.hasOwn(WORKFLOWS, kind);
}

/** The workflow whose page is /workflows/<slug>, if any. */
export function workflowBySlug(slug: string): PageWorkflowKind | undefined {
  return (Object.keys(WORKFLOWS) as WorkflowKind[]).find((kind) => WORKFLOWS[kind].slug === slug) as PageWorkflowKind | undefined;
}

/**
 * The definition with its input type erased: callers validate with `schema`
 * first (parseWorkflowInput), so the plan function receives its own input type.
 */
export function workflowDefinition(kind: WorkflowKind): WorkflowDefinition<z.ZodType<unknown>> {
  return WORKFLOWS[kind] as unknown as WorkflowDefinition<z.ZodType<unknown>>;
}
