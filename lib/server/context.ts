import "server-only";
import { auditStore } from "@/lib/audit";
import { runnerId } from "@/lib/runner-id";
import type { WorkflowDeps } from "@/lib/workflows";
import { portsConfigFromEnv, workflowDeps, type Ports } from "./ports";
import { serverRoot } from "./root";

export { portsConfigFromEnv } from "./ports";

/** Kubernetes gateway, IAM client and registry verifier for this process (held by the composition root). */
export function ports(): Ports {
  return serverRoot().ports();
}

export async function serverWorkflowDeps(): Promise<WorkflowDeps> {
  const config = portsConfigFromEnv();
  const root = serverRoot();
  return workflowDeps(ports(), await auditStore(), runnerId, config.workflowConcurrency ?? 8, { observer: root.metrics(), previews: root.previews() });
}
