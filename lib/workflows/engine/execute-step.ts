import type { KnownImagePullSecrets } from "@/lib/kube/port";
import type { SourceReads } from "@/lib/kube/source-reads";
import { buildDockerConfigJson, buildIamApiKeyDockerConfigJson } from "@/lib/registry/docker-config";
import { rewriteLegacyImage } from "@/lib/registry/image-ref";
import { credentialFingerprint } from "@/lib/registry/fingerprint";
import type { RegistryVerification, RunSecrets, WorkflowDeps } from "./deps";
import { WorkflowError } from "./errors";
import type { PlanStep, StepOp } from "./plan";
import { provenanceAnnotations } from "@/lib/provenance/annotations";
import { followDeploymentPods } from "../shared/follow-pods";

/** Values produced by earlier steps of the same run; the API key lives here only until the run ends. */
export interface StepOutputs {
  serviceIdId?: string;
  serviceIamId?: string;
  apiKeyId?: string;
  apiKey?: string;
  /**
   * Old keys a rotation keeps so that it can be undone before they are deleted: entry fingerprint → value. Only in
   * the run's memory and sealed in its row, which goes when the run closes (the old key's delete closes it).
   */
  previousKeys?: Record<string, string>;
}

export interface RunState {
  cluster: string;
  /** The audit operation of this run, written into each secret it writes (lib/provenance). */
  operationId: string;
  outputs: Map<string, StepOutputs>;
  secrets: RunSecrets;
  /** The copy sources this chunk has read (each source once, not once per copy); none: every copy reads its source. */
  sources?: SourceReads;
}

export interface StepEffect {
  beforeFingerprint?: string | null;
  afterFingerprint?: string | null;
  /** Credential-free facts for the audit log (ids created, lists before/after, verification results). */
  detail?: Record<string, unknown>;
}

/** One registry's verdict as recorded and shown: the credential's fingerprint, never the credential. */
export interface RegistryCheck {
  domain: string;
  username: string | null;
  fingerprint: string | null;
  result: RegistryVerification["result"];
  latencyMs: number;
  checkedAt: string;
  detail: string;
  credentialTested: boolean;
}

/** The port promises domain, result, latency and detail; the rest is derived from the credential (its fingerprint only). */
function completeCheck(v: RegistryVerification, credential: { username: string; password: string }): RegistryCheck {
  return {
    domain: v.domain,
    username: v.username ?? credential.username,
    fingerprint: v.fingerprint ?? credentialFingerprint(credential.username, credential.password),
    result: v.result,
    latencyMs: v.latencyMs,
    checkedAt: v.checkedAt ?? new Date().toISOString(),
    detail: v.detail,
    credentialTested: v.credentialTested ?? (v.result === "valid" || v.result === "rejected"),
  };
}

function missingCredential(domain: string): RegistryCheck {
  return { domain, username: null, fingerprint: null, result: "rejected", latencyMs: 0, checkedAt: new Date().toISOString(), detail: "the secret holds no credential for this registry", credentialTested: false };
}

function output(run: RunState, key: string): StepOutputs {
  const value = run.outputs.get(key);
  if (!value) throw new WorkflowError("precondition_failed", `Step ${key} produced nothing this step needs; re-run to finish.`);
  return value;
}

function requireIam(deps: WorkflowDeps) {
  if (!deps.iam) throw new WorkflowError("not_configured", "IBM Cloud is not configured: set IBMCLOUD_API_KEY to create service IDs and API keys.");
  return deps.iam;
}

type OpOf<T extends StepOp["type"]> = Extract<StepOp, { type: T }>;
type Executor<T extends StepOp["type"]> = (op: OpOf<T>, context: { step: PlanStep; deps: WorkflowDeps; run: RunState }) => Promise<StepEffect>;

/** One executor per operation type: a new operation without one does not compile. */
const EXECUTORS: { [T in StepOp["type"]]: Executor<T> } = {
  "iam.ensure_service_id": async (op, { step, deps, run }) => {
    const { serviceId, created } = await requireIam(deps).findOrCreateServiceId({ name: op.name, description: op.description });
    run.outputs.set(step.key, { serviceIdId: serviceId.id, serviceIamId: serviceId.iamId });
    return { detail: { serviceId: serviceId.id, iamId: serviceId.iamId, name: serviceId.name, created } };
  },
  "iam.ensure_policy": async (op, { deps, run }) => {
    const { serviceIamId } = output(run, op.serviceIdStep);
    const result = await requireIam(deps).ensureRegistryPolicy({
      serviceIamId: serviceIamId!,
      role: op.role,
      ...(op.regions.length ? { regions: op.regions } : {}),
      ...(op.registryNamespace ? { registryNamespace: op.registryNamespace } : {}),
      description: `Pull images for ${run.cluster}`,
    });
    return { detail: { policies: result.policies.map((p) => ({ id: p.policyId, region: p.region, created: p.created, roles: p.roles })) } };
  },
  "iam.create_api_key": async (op, { step, deps, run }) => {
    const { serviceIamId } = output(run, op.serviceIdStep);
    const key = await requireIam(deps).createApiKey({ serviceIamId: serviceIamId!, name: op.name, description: op.description });
    run.outputs.set(step.key, { apiKeyId: key.id, apiKey: key.apiKey });
    // The fingerprint, as the pull-secret scan shows it, tells later plans which secrets hold this key (lib/workflows/shared/api-key-ledger.ts).
    return { detail: { apiKeyId: key.id, name: key.name, serviceIamId, fingerprint: credentialFingerprint("iamapikey", key.apiKey) } };
  },
  "secret.create": async (op, { deps, run }) => {
    const result = await deps.kube.createPullSecret(run.cluster, {
      namespace: op.ref.namespace,
      name: op.ref.name,
      dockerConfigJson: dockerConfigFor(op, run),
      labels: op.labels,
      annotations: {
        ...op.annotations,
        ...provenanceAnnotations({ operationId: run.operationId, origin: op.credential.source === "api_key_step" ? "iam-api-key" : "private-registry", sourceCluster: run.cluster }),
      },
    });
    return { afterFingerprint: result.secret.credentialFingerprint, detail: { registries: result.secret.registries.map((r) => r.registry) } };
  },
  "secret.copy": async (op, { deps, run }) => {
    const result = await deps.kube.copySecret(run.cluster, op.from, op.to, {
      annotations: provenanceAnnotations({ operationId: run.operationId, origin: "secret", sourceCluster: run.cluster }),
      ...(run.sources ? { sources: run.sources } : {}),
    });
    return { afterFingerprint: result.secret.credentialFingerprint, detail: { from: `${op.from.namespace}/${op.from.name}` } };
  },
  "secret.refresh_copy": async (op, { deps, run }) => {
    const result = await deps.kube.refreshSecretCopy(run.cluster, op.from, op.to, {
      ...(op.expectedFingerprint ? { expectedFingerprint: op.expectedFingerprint } : {}),
      annotations: provenanceAnnotations({ operationId: run.operationId, origin: "secret", sourceCluster: run.cluster, source: { namespace: op.from.namespace, name: op.from.name } }),
    });
    return { beforeFingerprint: op.expectedFingerprint, afterFingerprint: result.secret.credentialFingerprint, detail: { from: `${op.from.namespace}/${op.from.name}` } };
  },
  "secret.delete": async (op, { deps, run }) => {
    const result = await deps.kube.deleteSecret(run.cluster, op.ref, { force: op.force, ...(op.expect ? { expect: op.expect } : {}) });
    return { afterFingerprint: null, detail: { deleted: result.deleted } };
  },
  "service_account.add": async (op, { step, deps, run }) => serviceAccountEffect(await deps.kube.addImagePullSecrets(run.cluster, op.namespace, op.serviceAccount, op.names, plannedList(step))),
  "service_account.remove": async (op, { deps, run }) => serviceAccountEffect(await deps.kube.removeImagePullSecrets(run.cluster, op.namespace, op.serviceAccount, op.names)),
  "deployment.rewrite_images": async (op, { deps, run }) => {
    const mapping = op.mapping;
    const change = await deps.kube.setDeploymentImages(run.cluster, op.ref, mapping ? (image) => mapping[image] : rewriteLegacyImage);
    return { detail: { changes: change.changes } };
  },
  "deployment.restart": async (op, { deps, run }) => ({ detail: { restartedAt: (await deps.kube.restartDeployment(run.cluster, op.ref)).restartedAt } }),
  "deployment.follow_pods": async (op, { deps, run }) => ({ detail: { ...(await followDeploymentPods(deps.kube, run.cluster, op.ref, deps.podFollow)) } }),
  "registry.verify": (op, { deps, run }) => verifyRegistries(op, deps, run),
  "iam.delete_api_key": async (op, { deps }) => {
    const iam = requireIam(deps);
    // IAM refuses to delete a locked key; a key already gone counts as deleted (deleteApiKey).
    if (op.locked) await iam.setApiKeyLocked(op.id, false).catch((error: unknown) => ignoreMissing(error));
    await iam.deleteApiKey(op.id);
    return { detail: { apiKeyId: op.id, name: op.name } };
  },
  "iam.lock_api_key": async (op, { deps }) => {
    await requireIam(deps).setApiKeyLocked(op.id, true);
    return { detail: { apiKeyId: op.id, name: op.name, locked: true } };
  },
  "iam.hold_old_key": async (op, { step, deps, run }) => {
    const value = await deps.kube.withPullSecretCredentials(run.cluster, op.from, async (credentials) =>
      credentials.find((entry) => entry.credentialKind === "iam-api-key" && credentialFingerprint("iamapikey", entry.password) === op.fingerprint)?.password,
    );
    if (!value) throw new WorkflowError("precondition_failed", `${op.from.namespace}/${op.from.name} on ${run.cluster} no longer holds the old key ${op.name}; nothing was written. Preview again.`);
    run.outputs.set(step.key, { previousKeys: { [op.fingerprint]: value } });
    return { detail: { fingerprint: op.fingerprint, name: op.name, from: `${op.from.namespace}/${op.from.name}` } };
  },
  "rotation.cancel_retirement": async (op, { step, deps, run }) => {
    // Taken before cancelling: once cancelled, the rotation closes when next due and its row (with the kept keys) goes.
    const rotation = await deps.runs?.load(op.operationId);
    const kept = Object.assign({}, ...Object.values(rotation?.outputs ?? {}).map((output) => output.previousKeys ?? {})) as Record<string, string>;
    const previousKeys = { ...run.outputs.get(step.key)?.previousKeys, ...Object.fromEntries(op.fingerprints.flatMap((fp) => (kept[fp] ? [[fp, kept[fp]]] : []))) };
    const missing = op.fingerprints.filter((fp) => !previousKeys[fp]);
    if (missing.length) throw new WorkflowError("precondition_failed", `The rotation ${op.operationId} no longer holds the old key (${missing.join(", ")}): it has closed since the preview. Nothing was written.`);
    run.outputs.set(step.key, { previousKeys });
    const cancelled = rotation ? await deps.runs!.requestCancel(op.operationId, `undo ${run.operationId}`) : false;
    return { detail: { rotation: op.operationId, keys: op.fingerprints, cancelled } };
  },
  "iam.unlock_api_key": async (op, { deps }) => {
    await requireIam(deps).setApiKeyLocked(op.id, false);
    return { detail: { apiKeyId: op.id, name: op.name, locked: false } };
  },
  "secret.restore_key": async (op, { deps, run }) => {
    const { previousKeys } = output(run, op.keysStep);
    let written = false;
    let secret: { credentialFingerprint: string | null } | null = null;
    for (const [index, group] of op.restore.entries()) {
      const apiKey = previousKeys?.[group.fingerprint];
      if (!apiKey) throw new WorkflowError("precondition_failed", `The old key ${group.fingerprint} is not held by this run; nothing more was written. Preview the undo again.`);
      const result = await deps.kube.rotateApiKey(run.cluster, op.ref, {
        apiKey,
        replace: [op.current],
        registries: group.registries,
        // The first write is checked against the preview; the next ones follow this step's own write.
        expectedFingerprint: index === 0 ? op.expectedFingerprint : null,
        annotations: provenanceAnnotations({ operationId: run.operationId, origin: op.source ? "secret" : "iam-api-key", sourceCluster: run.cluster, ...(op.source ? { source: op.source } : {}) }),
        ...(op.source ? { source: op.source } : {}),
      });
      written ||= result.written;
      secret = result.secret;
    }
    return { beforeFingerprint: op.expectedFingerprint, afterFingerprint: secret?.credentialFingerprint ?? null, detail: { restored: op.restore, written } };
  },
  "secret.rotate_key": async (op, { deps, run }) => {
    const { apiKey } = output(run, op.keyStep);
    if (!apiKey) throw new WorkflowError("precondition_failed", "The new API key of this run is not available; re-run to mint one.");
    const result = await deps.kube.rotateApiKey(run.cluster, op.ref, {
      apiKey,
      replace: op.replace,
      expectedFingerprint: op.expectedFingerprint,
      annotations: provenanceAnnotations({ operationId: run.operationId, origin: op.source ? "secret" : "iam-api-key", sourceCluster: run.cluster, ...(op.source ? { source: op.source } : {}) }),
      ...(op.source ? { source: op.source } : {}),
    });
    return { beforeFingerprint: op.expectedFingerprint, afterFingerprint: result.secret.credentialFingerprint, detail: { keyFingerprint: credentialFingerprint("iamapikey", apiKey), written: result.written } };
  },
  "iam.delete_service_id": async (op, { deps }) => {
    await requireIam(deps).deleteServiceId(op.id);
    return { detail: { serviceId: op.id, name: op.name } };
  },
  "iam.delete_policy": async (op, { deps }) => {
    await requireIam(deps).deletePolicy(op.id);
    return { detail: { policyId: op.id } };
  },
};

/** The `.dockerconfigjson` a new secret gets: the run's API key, or the registry password typed for this run. */
function dockerConfigFor(op: OpOf<"secret.create">, run: RunState): string {
  if (op.credential.source === "api_key_step") {
    const { apiKey } = output(run, op.credential.step);
    if (!apiKey) throw new WorkflowError("precondition_failed", "The API key of this run is not available; re-run to create a new one.");
    return buildIamApiKeyDockerConfigJson({ apiKey, domains: op.domains, email: op.email });
  }
  const registry = run.secrets.privateRegistry;
  if (!registry) throw new WorkflowError("precondition_failed", "The registry password was not supplied with this run.");
  return buildDockerConfigJson(op.domains.map((domain) => ({ registry: domain, username: registry.username, password: registry.password, email: registry.email })));
}

/** The service account's list as the planner read it, with that read's resourceVersion, when the plan kept both. */
function plannedList(step: PlanStep): KnownImagePullSecrets | undefined {
  return step.targetVersion && Array.isArray(step.before) ? { resourceVersion: step.targetVersion, imagePullSecrets: step.before } : undefined;
}

function serviceAccountEffect(change: { before: string[]; after: string[]; changed: boolean; attempts: number }): StepEffect {
  return { detail: { before: change.before, after: change.after, changed: change.changed, attempts: change.attempts } };
}

/** Each registry of the secret asked with its own credential; any verdict but valid fails the step, with every result in its detail. */
async function verifyRegistries(op: OpOf<"registry.verify">, deps: WorkflowDeps, run: RunState): Promise<StepEffect> {
  const results = await deps.kube.withPullSecretCredentials(run.cluster, op.ref, async (credentials) => {
    const checks: RegistryCheck[] = [];
    for (const domain of op.domains) {
      const credential = credentials.find((entry) => entry.registry === domain);
      checks.push(credential ? completeCheck(await deps.verifyRegistry({ domain, username: credential.username, password: credential.password }), credential) : missingCredential(domain));
    }
    return checks;
  });
  const failed = results.filter((check) => check.result !== "valid");
  const detail = { results };
  const afterFingerprint = results.length === 1 ? results[0]!.fingerprint : undefined;
  if (failed.length) {
    const error = new WorkflowError("rejected", `${failed.map((check) => `${check.domain}: ${check.result} (${check.detail})`).join("; ")}`);
    Object.assign(error, { detail });
    throw error;
  }
  return { ...(afterFingerprint ? { afterFingerprint } : {}), detail };
}

function ignoreMissing(error: unknown): void {
  if ((error as { kind?: string }).kind !== "not_found") throw error;
}

/** Performs one planned step through the ports. Each operation is safe to repeat or reports why not. */
export function executeStep(step: PlanStep, deps: WorkflowDeps, run: RunState): Promise<StepEffect> {
  const execute = EXECUTORS[step.op.type] as Executor<StepOp["type"]>;
  // A step of a multi-cluster workflow acts on its own cluster; the run's outputs (the new key) are shared.
  const scoped = step.cluster && step.cluster !== run.cluster ? { ...run, cluster: step.cluster } : run;
  return execute(step.op, { step, deps, run: scoped });
}
