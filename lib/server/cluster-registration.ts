import "server-only";
import type { RegistrationPreview } from "@/lib/api/cluster-registration";
import type { SessionUser } from "@/lib/auth/permissions";
import { registeredClustersOver } from "@/lib/clusters/registered";
import { kubeconfigContexts, openRegistrationTarget, openTokenTarget, type RegistrationTarget } from "@/lib/kube/registration";
import { applyClusterRegistration, planClusterRegistration, type RegistrationInput } from "@/lib/workflows/registration/register-cluster";
import { applyClusterRemoval, planClusterRemoval, type RemovalInput } from "@/lib/workflows/registration/remove-cluster";
import { describeRef } from "@/lib/workflows/registration/objects";
import { PullkeeperError } from "@/lib/errors";
import { serverRoot } from "./root";

/**
 * The admin's "Register a cluster" and "Remove" over the registration workflows: the uploaded kubeconfig's text is
 * used for the one call and dropped (never stored or logged); what goes back to the browser is the plan as text,
 * never a credential.
 */


/** An expected refusal, shown to the admin as is. */
const refusal = (message: string) => new PullkeeperError("workflow", "invalid", message);

function open(kubeconfig: string, context: string | undefined): { target: RegistrationTarget; contextName: string } {
  const opened = openRegistrationTarget(kubeconfig, context || undefined);
  if (!opened.ok) throw refusal(opened.reason);
  return opened;
}

async function registeredClusters() {
  return registeredClustersOver(await serverRoot().clusterStore());
}

export function listContexts(kubeconfig: string): { names: string[]; current: string | null } {
  const found = kubeconfigContexts(kubeconfig);
  if ("error" in found) throw refusal(found.error);
  if (found.names.length === 0) throw refusal("The kubeconfig has no context.");
  return found;
}

export async function previewRegistration(input: RegistrationInput & { kubeconfig: string; context?: string }): Promise<RegistrationPreview> {
  const { target, contextName } = open(input.kubeconfig, input.context);
  const plan = await planClusterRegistration({ name: input.name, access: input.access }, target, await registeredClusters());
  return {
    server: plan.server,
    context: contextName,
    steps: plan.steps.map((s) => ({ action: s.action, object: describeRef(s.ref), detail: s.detail })),
    rules: plan.rules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    refusals: plan.refusals,
    digest: plan.digest,
  };
}

export async function register(user: SessionUser, input: RegistrationInput & { kubeconfig: string; context?: string; digest: string }) {
  const { target } = open(input.kubeconfig, input.context);
  const result = await applyClusterRegistration({ name: input.name, access: input.access }, input.digest, target, {
    audit: await serverRoot().auditStore(),
    clusters: await registeredClusters(),
    actor: { email: user.email, role: user.role },
    openAsToken: (server, caPem, token) => openTokenTarget(`${input.name}-verify`, server, caPem, token),
  });
  if (!result.ok) throw refusal(result.message);
  return { operationId: result.operationId, summary: result.summary };
}

export async function previewRemoval(input: RemovalInput & { kubeconfig?: string; context?: string }) {
  const target = input.deleteObjects && input.kubeconfig ? open(input.kubeconfig, input.context).target : null;
  const plan = await planClusterRemoval(input, await registeredClusters(), target);
  return { server: plan.server, steps: plan.steps.map((s) => ({ action: s.action, object: describeRef(s.object), detail: s.detail })), refusals: plan.refusals };
}

export async function remove(user: SessionUser, input: RemovalInput & { kubeconfig?: string; context?: string }) {
  const target = input.deleteObjects && input.kubeconfig ? open(input.kubeconfig, input.context).target : null;
  const result = await applyClusterRemoval(input, target, { audit: await serverRoot().auditStore(), clusters: await registeredClusters(), actor: { email: user.email, role: user.role } });
  if (!result.ok) throw refusal(result.message);
  return { operationId: result.operationId, summary: result.summary, leftInCluster: result.leftInCluster };
}
