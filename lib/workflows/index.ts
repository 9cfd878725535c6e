export { WORKFLOWS, isWorkflowKind, workflowDefinition, type WorkflowKind } from "./registry";
export { parseWorkflowInput, previewWorkflow, runWorkflowToEnd, startWorkflow, type StartResult } from "./run";
export type { Actor, RegistryVerification, RegistryVerifier, RunSecrets, WorkflowDeps } from "./engine/deps";
export type { Plan, PlanStep, PlanWarning, StepOp } from "./engine/plan";
export type { ApplyResult } from "./engine/apply";
export { WorkflowError, describeError } from "./engine/errors";
export { suggestMigrationStyle } from "./migrate-to-api-keys";
export { copyName } from "./copy-pull-secrets";
export { toPlanView, type PlanView, type PlanStepView } from "./plan-view";
