import "server-only";
import fs from "node:fs";
import type { RegistrationPreview } from "@/lib/api/cluster-registration";
import type { SessionUser } from "@/lib/auth/permissions";
import { registeredClustersOver } from "@/lib/clusters/registered";
import { kubeconfigContexts, openRegistrationTarget, openTokenTarget, type RegistrationTarget } from "@/lib/kube/registration";
import { applyClusterRegistration, planClusterRegistration, type RegistrationInput } from "@/lib/workflows/registration/register-cluster";
import { applyClusterRemoval, planClusterRemoval, type RemovalInput } from "@/lib/workflows/registration/remove-cluster";
import { describeRef } from "@/lib/workflows/registration/objects";
import { PullkeeperError } from "@/lib/errors";
import { clusterOutboundPolicy, clusterServerRefusal } from "@/lib/clusters/outbound";
import { env } from "@/lib/env";
import { serverRoot } from "./root";

/**
 * The admin's "Register a cluster" and "Remove" over the registration workflows: the uploaded kubeconfig's text (or
 * the file of a KUBECONFIG context) is used for the one call and dropped (never stored or logged); what goes back to
 * the browser is the plan as text, never a credential.
 */

/** An expected refusal, shown to the admin as is. */
const refusal = (message: string) => new PullkeeperError("workflow", "invalid", message);

/** The uploaded context, refused before any request when its server is not one the outbound rules let Pullkeeper reach. */
async function open(kubeconfig: string, context: string | undefined): Promise<{ target: RegistrationTarget; contextName: string }> {
  const opened = openRegistrationTarget(kubeconfig, context || undefined);
  if (!opened.ok) throw refusal(opened.reason);
  const refused = await clusterServerRefusal(opened.target.server, clusterOutboundPolicy(env().PULLKEEPER_CLUSTER_ALLOWED_HOSTS));
  if (refused) throw refusal(refused);
  return opened;
}

/** Where the admin's context comes from: a kubeconfig uploaded for this call, or a context of the files Pullkeeper reads. */
export interface RegistrationSource {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  kubeconfigContext?: string | undefined;
}

/**
 * A KUBECONFIG context, read from its file for this one call and checked like an upload (no exec plugin, no file
 * reference), but not against the outbound rules: the operator chose that file, and Pullkeeper already reaches it.
 */
async function openSource(source: RegistrationSource): Promise<{ target: RegistrationTarget; contextName: string }> {
  if (!source.kubeconfigContext) {
    if (!source.kubeconfig) throw refusal("Choose a kubeconfig file or a context from KUBECONFIG.");
    return open(source.kubeconfig, source.context);
  }
  const name = source.kubeconfigContext;
  const info = serverRoot().ports().kube.listAllClusters().find((c) => c.name === name && c.sourceFile !== null && c.auth !== "token-source");
  if (!info?.sourceFile) throw refusal(`No context of the kubeconfig files Pullkeeper reads is named "${name}".`);
  let text: string;
  try {
    text = fs.readFileSync(info.sourceFile, "utf8");
  } catch {
    throw refusal(`The kubeconfig file of context "${name}" could not be read now; try again.`);
  }
  const opened = openRegistrationTarget(text, name);
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

/**
 * A name a kubeconfig context, the pod's own cluster or an IBM Cloud cluster already holds: the gateway would
 * leave the registered cluster out, so registering under it is refused before anything is created.
 */
async function nameTaken(name: string): Promise<string | null> {
  const inGateway = serverRoot().ports().kube.listAllClusters().find((c) => c.name === name && c.auth !== "token-source");
  const stored = await (await serverRoot().clusterStore()).getCluster(name);
  if (inGateway || (stored && stored.source === "ibm")) return `A cluster named "${name}" already exists in Pullkeeper (${inGateway?.sourceFile ? `a context of ${inGateway.sourceFile}` : "see the clusters table"}); choose another name.`;
  return null;
}

async function syncConnections(): Promise<void> {
  await (await serverRoot().clusterConnections()).sync();
}

export async function previewRegistration(input: RegistrationInput & RegistrationSource): Promise<RegistrationPreview> {
  const { target, contextName } = await openSource(input);
  const plan = await planClusterRegistration({ name: input.name, access: input.access }, target, await registeredClusters());
  const taken = await nameTaken(input.name);
  return {
    server: plan.server,
    context: contextName,
    steps: plan.steps.map((s) => ({ action: s.action, object: describeRef(s.ref), detail: s.detail })),
    rules: plan.rules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    refusals: taken ? [taken, ...plan.refusals] : plan.refusals,
    digest: plan.digest,
  };
}

export async function register(user: SessionUser, input: RegistrationInput & RegistrationSource & { digest: string }) {
  const { target } = await openSource(input);
  const taken = await nameTaken(input.name);
  if (taken) throw refusal(taken);
  const result = await applyClusterRegistration({ name: input.name, access: input.access }, input.digest, target, {
    audit: await serverRoot().auditStore(),
    clusters: await registeredClusters(),
    actor: { email: user.email, role: user.role },
    openAsToken: (server, caPem, token) => openTokenTarget(`${input.name}-verify`, server, caPem, token),
  });
  if (!result.ok) throw refusal(result.message);
  // The new cluster joins the gateway now, not at the next periodic re-read.
  await syncConnections();
  return { operationId: result.operationId, summary: result.summary };
}

export async function previewRemoval(input: RemovalInput & { kubeconfig?: string; context?: string }) {
  const target = input.deleteObjects && input.kubeconfig ? (await open(input.kubeconfig, input.context)).target : null;
  const plan = await planClusterRemoval(input, await registeredClusters(), target);
  return { server: plan.server, steps: plan.steps.map((s) => ({ action: s.action, object: describeRef(s.object), detail: s.detail })), refusals: plan.refusals };
}

export async function remove(user: SessionUser, input: RemovalInput & { kubeconfig?: string; context?: string }) {
  const target = input.deleteObjects && input.kubeconfig ? (await open(input.kubeconfig, input.context)).target : null;
  const result = await applyClusterRemoval(input, target, { audit: await serverRoot().auditStore(), clusters: await registeredClusters(), actor: { email: user.email, role: user.role } });
  if (!result.ok) throw refusal(result.message);
  await syncConnections();
  return { operationId: result.operationId, summary: result.summary, leftInCluster: result.leftInCluster };
}
