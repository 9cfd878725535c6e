import "server-only";
import { PROVENANCE_ANNOTATIONS } from "@/lib/provenance/annotations";
import { PatchStrategy, type V1Deployment, type V1ObjectMeta, type V1Secret, type V1ServiceAccount } from "@kubernetes/client-node";
import {
  decodePullSecretCredentials,
  DOCKER_CONFIG_JSON_KEY,
  DOCKER_CONFIG_JSON_TYPE,
  DockerConfigParseError,
  parseDockerConfigJson,
  parsePullSecretData,
} from "@/lib/registry/docker-config";
import { retry } from "@/lib/retry";
import { isKubeError, KubeError } from "./errors";
import { isPullSecretType, MANAGED_BY_LABEL, PULLKEEPER_ANNOTATIONS, PULLKEEPER_MANAGER, toPullSecretDto, type PullSecretContentMemo, type Wire } from "./mappers";
import type { DeleteExpectation, DeploymentImagesChange, ImagePullSecretsChange, KnownImagePullSecrets, NewPullSecret, ObjectRef, SecretWriteResult } from "./port";
import { workloadPath } from "./workloads";
import type { SourceReads } from "./source-reads";
import type { ClusterTransport } from "./transport";

export interface WriteContext {
  t: ClusterTransport;
  fieldManager: string;
  /** Attempts for read-modify-write loops that meet 409 Conflict. */
  conflictAttempts: number;
}

export const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const secretsPath = (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/secrets`;
export const secretPath = (ref: ObjectRef) => `${secretsPath(ref.namespace)}/${encodeURIComponent(ref.name)}`;
const saPath = (ns: string, name: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/serviceaccounts/${encodeURIComponent(name)}`;
const deploymentPath = (ref: ObjectRef) => workloadPath({ kind: "Deployment", ...ref });

export function writeQuery(w: WriteContext) {
  return { fieldManager: w.fieldManager };
}

function invalidContent(w: WriteContext, ref: ObjectRef, e: DockerConfigParseError, what: string): KubeError {
  return new KubeError("invalid", `${what} on cluster "${w.t.cluster}": ${e.message}.`, { cluster: w.t.cluster, namespace: ref.namespace, object: `secrets/${ref.name}` });
}

/** Parses secret content; malformed content becomes an `invalid` KubeError saying what was refused (`what`). */
export function parseOrRefuse<T>(w: WriteContext, ref: ObjectRef, what: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof DockerConfigParseError) throw invalidContent(w, ref, e, what);
    throw e;
  }
}

async function postSecret(w: WriteContext, ref: ObjectRef, body: Wire<V1Secret>, contents?: PullSecretContentMemo): Promise<SecretWriteResult> {
  const created = await w.t.request<Wire<V1Secret>>({ method: "POST", path: secretsPath(ref.namespace), query: writeQuery(w), body, ctx: { namespace: ref.namespace, object: `secrets/${ref.name}` }, idempotent: false });
  return dto(w, created, ref, contents);
}

/** The written secret as the API server returned it; `contents` shares the parse between writes of equal content (copies of one source). */
export function dto(w: WriteContext, obj: Wire<V1Secret>, ref: ObjectRef, contents?: PullSecretContentMemo): SecretWriteResult {
  const secret = toPullSecretDto(w.t.cluster, obj, contents);
  if (!secret) throw new KubeError("invalid", `The API server returned a secret that is not an image pull secret for ${ref.namespace}/${ref.name}.`, { cluster: w.t.cluster, namespace: ref.namespace, object: `secrets/${ref.name}` });
  return { namespace: ref.namespace, name: ref.name, secret };
}

export async function getSecret(w: WriteContext, ref: ObjectRef): Promise<Wire<V1Secret> & { metadata: Wire<V1ObjectMeta> }> {
  const s = await w.t.request<Wire<V1Secret>>({ method: "GET", path: secretPath(ref), ctx: { namespace: ref.namespace, object: `secrets/${ref.name}` }, idempotent: true });
  return { ...s, metadata: s.metadata ?? {} };
}

export async function createPullSecret(w: WriteContext, s: NewPullSecret): Promise<SecretWriteResult> {
  const ref = { namespace: s.namespace, name: s.name };
  const fingerprint = parseOrRefuse(w, ref, `Refusing to create secret ${s.namespace}/${s.name}`, () => parseDockerConfigJson(s.dockerConfigJson)).credentialFingerprint;
  const body = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: s.name,
      namespace: s.namespace,
      labels: { [MANAGED_BY_LABEL]: PULLKEEPER_MANAGER, ...(s.labels ?? {}) },
      annotations: { ...(s.annotations ?? {}), [PULLKEEPER_ANNOTATIONS.fingerprint]: fingerprint },
    },
    type: DOCKER_CONFIG_JSON_TYPE,
    data: { [DOCKER_CONFIG_JSON_KEY]: b64(s.dockerConfigJson) },
  };
  return postSecret(w, ref, body);
}

/** The source of a copy, refused unless it is a pull secret whose content parses, with its fingerprint. */
async function readCopySource(w: WriteContext, from: ObjectRef): Promise<{ src: Wire<V1Secret> & { metadata: Wire<V1ObjectMeta> }; fingerprint: string }> {
  const src = await getSecret(w, from);
  if (!isPullSecretType(src.type)) {
    throw new KubeError("invalid", `Secret ${from.namespace}/${from.name} on cluster "${w.t.cluster}" has type ${src.type ?? "(none)"}; only kubernetes.io/dockerconfigjson and kubernetes.io/dockercfg secrets are used to pull images.`, {
      cluster: w.t.cluster,
      namespace: from.namespace,
      object: `secrets/${from.name}`,
    });
  }
  const fingerprint = parseOrRefuse(w, from, `Refusing to copy secret ${from.namespace}/${from.name}`, () =>
    parsePullSecretData({ type: src.type, ...(src.data ? { data: src.data } : {}) }),
  ).credentialFingerprint;
  return { src, fingerprint };
}

/**
 * Builds the copy from the source's type and data and the explicit target name only:
 * no uid, resourceVersion, creationTimestamp, managedFields, ownerReferences,
 * last-applied-configuration or the source's labels (GitOps labels would make a
 * controller prune the copy).
 */
export async function copySecret(w: WriteContext, from: ObjectRef, to: ObjectRef, opts?: { annotations?: Record<string, string>; sources?: SourceReads }): Promise<SecretWriteResult> {
  const read = () => readCopySource(w, from);
  const { src, fingerprint } = await (opts?.sources ? opts.sources.once(`${w.t.cluster}\u0000${from.namespace}\u0000${from.name}`, read) : read());
  const body = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: to.name,
      namespace: to.namespace,
      labels: { [MANAGED_BY_LABEL]: PULLKEEPER_MANAGER },
      annotations: {
        ...(opts?.annotations ?? {}),
        // Read here, from the object actually copied, so the record names the exact source.
        ...(src.metadata.uid ? { [PROVENANCE_ANNOTATIONS.sourceUid]: src.metadata.uid } : {}),
        [PULLKEEPER_ANNOTATIONS.sourceNamespace]: from.namespace,
        [PULLKEEPER_ANNOTATIONS.sourceName]: from.name,
        [PULLKEEPER_ANNOTATIONS.sourceFingerprint]: fingerprint,
        [PULLKEEPER_ANNOTATIONS.fingerprint]: fingerprint,
      },
    },
    type: src.type,
    data: { ...(src.data ?? {}) },
  };
  // What the server stored is still read back from its answer; copies of one source parse it once per chunk.
  return postSecret(w, to, body, opts?.sources?.contents);
}

function dedupe(names: readonly string[]): string[] {
  return [...new Set(names.filter((n) => n !== ""))];
}

/**
 * Runs read-compute-write `attempt`s until the write is not refused with 409
 * Conflict (someone else wrote in between) or `w.conflictAttempts` are spent.
 * Only a conflict the write itself met is retried (`write` marks it): a check
 * of the read object that fails stays failed.
 */
function retryWriteConflicts<T>(w: WriteContext, maxPauseMs: number, attempt: (write: <R>(put: () => Promise<R>) => Promise<R>, attempt: number) => Promise<T>): Promise<T> {
  let writeConflict: unknown;
  const write = async <R>(put: () => Promise<R>): Promise<R> => {
    try {
      return await put();
    } catch (e) {
      if (isKubeError(e, "conflict")) writeConflict = e;
      throw e;
    }
  };
  return retry((n) => attempt(write, n), {
    attempts: w.conflictAttempts,
    // A small random pause spreads out writers that collided.
    delayMs: (e, n) => (e === writeConflict ? Math.random() * maxPauseMs * n : undefined),
  });
}

/**
 * A service account's imagePullSecrets changed with optimistic concurrency: a
 * JSON merge patch (RFC 7386: the list is replaced whole) carrying the
 * resourceVersion of the state `change` was computed from, which the API server
 * takes as a precondition and answers 409 Conflict when anyone wrote in between
 * (kubernetes#15416); then the account is read again and the change computed
 * afresh. With `known` (what the caller read, e.g. the plan's inventory), the
 * first attempt sends no GET: one request when nothing moved. A merge patch
 * rather than a PUT of the whole object: it cannot reset fields this client
 * does not know about. A JSON-patch `test` is not used: its failure comes back
 * as a generic 422 that cannot be told apart from a real validation error.
 */
async function changeImagePullSecrets(w: WriteContext, namespace: string, name: string, change: (before: string[]) => string[], known?: KnownImagePullSecrets): Promise<ImagePullSecretsChange> {
  const ctx = { namespace, object: `serviceaccounts/${name}` };
  return retryWriteConflicts(w, 20, async (write, attempt) => {
    const read = attempt === 1 && known ? known : await readImagePullSecrets(w, namespace, name);
    const before = read.imagePullSecrets;
    const after = dedupe(change(before));
    if (after.length === before.length && after.every((n, i) => n === before[i])) {
      return { namespace, serviceAccount: name, before, after, changed: false, attempts: attempt };
    }
    // null removes the field (merge patch), as a PUT without it did.
    const body = { metadata: { resourceVersion: read.resourceVersion }, imagePullSecrets: after.length > 0 ? after.map((n) => ({ name: n })) : null };
    const written = await write(() => w.t.request<Wire<V1ServiceAccount>>({ method: "PATCH", path: saPath(namespace, name), query: writeQuery(w), body, contentType: PatchStrategy.MergePatch, ctx, idempotent: false }));
    return { namespace, serviceAccount: name, before, after: (written.imagePullSecrets ?? []).map((r) => r.name ?? ""), changed: true, attempts: attempt };
  });
}

async function readImagePullSecrets(w: WriteContext, namespace: string, name: string): Promise<KnownImagePullSecrets> {
  const sa = await w.t.request<Wire<V1ServiceAccount>>({ method: "GET", path: saPath(namespace, name), ctx: { namespace, object: `serviceaccounts/${name}` }, idempotent: true });
  const resourceVersion = sa.metadata?.resourceVersion;
  if (!resourceVersion) throw new KubeError("invalid", `The API server returned service account ${namespace}/${name} without a resourceVersion.`, { cluster: w.t.cluster, namespace, object: `serviceaccounts/${name}` });
  return { resourceVersion, imagePullSecrets: (sa.imagePullSecrets ?? []).map((r) => r.name ?? "").filter((n) => n !== "") };
}

export function addImagePullSecrets(w: WriteContext, namespace: string, sa: string, names: string[], known?: KnownImagePullSecrets): Promise<ImagePullSecretsChange> {
  return changeImagePullSecrets(w, namespace, sa, (before) => [...before, ...names], known);
}

export function removeImagePullSecrets(w: WriteContext, namespace: string, sa: string, names: string[], known?: KnownImagePullSecrets): Promise<ImagePullSecretsChange> {
  const drop = new Set(names);
  return changeImagePullSecrets(w, namespace, sa, (before) => before.filter((n) => !drop.has(n)), known);
}

/**
 * JSON patch with a `test` of each old image before its `replace`, so an image
 * changed by someone else since the read is never overwritten blindly.
 */
export async function setDeploymentImages(w: WriteContext, ref: ObjectRef, rewrite: (image: string) => string | undefined): Promise<DeploymentImagesChange> {
  const d = await w.t.request<Wire<V1Deployment>>({ method: "GET", path: deploymentPath(ref), ctx: { namespace: ref.namespace, object: `deployments/${ref.name}` }, idempotent: true });
  const spec = d.spec?.template?.spec;
  const changes: DeploymentImagesChange["changes"] = [];
  const ops: { op: string; path: string; value: string }[] = [];
  for (const [field, init] of [
    ["initContainers", true],
    ["containers", false],
  ] as const) {
    (spec?.[field] ?? []).forEach((c, i) => {
      if (!c.image) return;
      const next = rewrite(c.image);
      if (next === undefined || next === c.image) return;
      const path = `/spec/template/spec/${field}/${i}/image`;
      ops.push({ op: "test", path, value: c.image }, { op: "replace", path, value: next });
      changes.push({ container: c.name ?? "", init, before: c.image, after: next });
    });
  }
  if (ops.length === 0) return { namespace: ref.namespace, name: ref.name, changes };
  await w.t.request({ method: "PATCH", path: deploymentPath(ref), query: writeQuery(w), body: ops, contentType: PatchStrategy.JsonPatch, ctx: { namespace: ref.namespace, object: `deployments/${ref.name}` }, idempotent: false });
  return { namespace: ref.namespace, name: ref.name, changes };
}

/** Deletes with a uid + resourceVersion precondition; only Pullkeeper-managed secrets unless forced. */
/** The credential fingerprint of a secret as read, or null when its content cannot be parsed. */
export function currentFingerprint(cur: Wire<V1Secret>): string | null {
  try {
    return parsePullSecretData({ type: cur.type, ...(cur.data ? { data: cur.data } : {}) }).credentialFingerprint;
  } catch {
    return null;
  }
}

export async function deleteSecret(w: WriteContext, ref: ObjectRef, opts?: { force?: boolean; expect?: DeleteExpectation }): Promise<{ deleted: boolean }> {
  const cur = await getSecret(w, ref);
  const ctx = { cluster: w.t.cluster, namespace: ref.namespace, object: `secrets/${ref.name}` };
  if (cur.metadata.labels?.[MANAGED_BY_LABEL] !== PULLKEEPER_MANAGER && !opts?.force) {
    throw new KubeError("forbidden", `Secret ${ref.namespace}/${ref.name} on cluster "${w.t.cluster}" was not created by Pullkeeper; deleting it needs an explicit force.`, ctx);
  }
  // The caller proved provenance from an earlier read: a secret replaced or rewritten since is not the one proven.
  if (opts?.expect) {
    const operationId = cur.metadata.annotations?.[PROVENANCE_ANNOTATIONS.operationId] ?? null;
    const fingerprint = currentFingerprint(cur);
    if (operationId !== opts.expect.operationId || (opts.expect.fingerprint !== null && fingerprint !== opts.expect.fingerprint)) {
      throw new KubeError("conflict", `Secret ${ref.namespace}/${ref.name} on cluster "${w.t.cluster}" changed since its provenance was checked; nothing was deleted. Review it again.`, ctx);
    }
  }
  const body = {
    apiVersion: "v1",
    kind: "DeleteOptions",
    preconditions: { uid: cur.metadata.uid, resourceVersion: cur.metadata.resourceVersion },
  };
  await w.t.request({ method: "DELETE", path: secretPath(ref), body, ctx: { namespace: ref.namespace, object: `secrets/${ref.name}` }, idempotent: false });
  return { deleted: true };
}

export async function readPullSecretCredentials(w: WriteContext, ref: ObjectRef) {
  const cur = await getSecret(w, ref);
  return parseOrRefuse(w, ref, `Cannot read the credentials of ${ref.namespace}/${ref.name}`, () =>
    decodePullSecretCredentials({ ...(cur.type !== undefined ? { type: cur.type } : {}), ...(cur.data ? { data: cur.data } : {}) }),
  );
}
