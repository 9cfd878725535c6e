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
import { migrateToApiKeysInputSchema, planMigrateToApiKeys } from "./migrate-to-api-keys";
import { planUndoOperation, undoOperationInputSchema } from "./undo-operation";

export interface WorkflowDefinition<Schema extends z.ZodType = z.ZodType> {
  kind: OperationKind;
  title: string;
  schema: Schema;
  plan(input: z.infer<Schema>, deps: WorkflowDeps): Promise<Plan>;
  /** Credentials typed into the form that the run needs but the plan must not hold. */
  runSecrets?(input: z.infer<Schema>): RunSecrets;
  /** How the run reacts to a failed step. */
  failurePolicy: "continue" | "stop";
  /** The operation this run relates to (undo). */
  relatedOperationId?(input: z.infer<Schema>): string | undefined;
}

function define<Schema extends z.ZodType>(definition: WorkflowDefinition<Schema>): WorkflowDefinition<Schema> {
  return definition;
}

export const WORKFLOWS = {
  migrate_to_api_keys: define({
    kind: "migrate_to_api_keys",
    title: "Migrate to IAM API keys",
    schema: migrateToApiKeysInputSchema,
    plan: planMigrateToApiKeys,
    failurePolicy: "continue",
  }),
  copy_pull_secrets: define({
    kind: "copy_pull_secrets",
    title: "Copy pull secrets",
    schema: copyPullSecretsInputSchema,
    plan: planCopyPullSecrets,
    failurePolicy: "continue",
  }),
  attach_pull_secrets: define({
    kind: "attach_pull_secrets",
    title: "Attach pull secrets to service accounts",
    schema: attachPullSecretsInputSchema,
    plan: planAttachPullSecrets,
    failurePolicy: "continue",
  }),
  create_scoped_credentials: define({
    kind: "create_scoped_credentials",
    title: "Create a pull secret with scoped IAM credentials",
    schema: createScopedCredentialsInputSchema,
    plan: planCreateScopedCredentials,
    failurePolicy: "stop",
  }),
  create_private_registry_secret: define({
    kind: "create_private_registry_secret",
    title: "Create a pull secret for a private registry",
    schema: createPrivateRegistrySecretInputSchema,
    plan: planCreatePrivateRegistrySecret,
    runSecrets: privateRegistrySecrets,
    failurePolicy: "stop",
  }),
  undo: define({
    kind: "undo",
    title: "Undo an operation",
    schema: undoOperationInputSchema,
    plan: planUndoOperation,
    failurePolicy: "continue",
    relatedOperationId: (input) => input.operationId,
  }),
} as const;

export type WorkflowKind = keyof typeof WORKFLOWS;

export function isWorkflowKind(kind: string): kind is WorkflowKind {
  return Object.hasOwn(WORKFLOWS, kind);
}

/**
 * The definition with its input type erased: callers validate with `schema`
 * first (parseWorkflowInput), so the plan function receives its own input type.
 */
export function workflowDefinition(kind: WorkflowKind): WorkflowDefinition<z.ZodType<unknown>> {
  return WORKFLOWS[kind] as unknown as WorkflowDefinition<z.ZodType<unknown>>;
}
