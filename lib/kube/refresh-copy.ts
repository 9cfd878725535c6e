import "server-only";
import type { V1Secret } from "@kubernetes/client-node";
import { PROVENANCE_ANNOTATIONS } from "@/lib/provenance/annotations";
import { DOCKER_CFG_KEY, DOCKER_CFG_TYPE, DOCKER_CONFIG_JSON_KEY, parsePullSecretData, type PullSecretType } from "@/lib/registry/docker-config";
import { isKubeError, KubeError } from "./errors";
import { isPullSecretType, MANAGED_BY_LABEL, PULLKEEPER_ANNOTATIONS, PULLKEEPER_MANAGER, type Wire } from "./mappers";
import type { ObjectRef, RefreshCopyOptions, SecretWriteResult } from "./port";
import { b64, currentFingerprint, dto, getSecret, parseOrRefuse, secretPath, writeQuery, type WriteContext } from "./writes";

type ReadSecret = Awaited<ReturnType<typeof getSecret>>;

function notAPullSecret(w: WriteContext, ref: ObjectRef, type: string | undefined): KubeError {
  return new KubeError("invalid", `Secret ${ref.namespace}/${ref.name} on cluster "${w.t.cluster}" is not an image pull secret (type ${type ?? "(none)"}).`, {
    cluster: w.t.cluster,
    namespace: ref.namespace,
    object: `secrets/${ref.name}`,
  });
}

/**
 * The source's data in the target's format. A secret's type cannot change on update,
 * and a legacy `.dockercfg` holds the bare registry map that `.dockerconfigjson` wraps in `auths`.
 */
function dataInTargetFormat(source: ReadSecret & { type: PullSecretType }, targetType: PullSecretType): Record<string, string> {
  if (source.type === targetType) return { ...(source.data ?? {}) };
  const key = source.type === DOCKER_CFG_TYPE ? DOCKER_CFG_KEY : DOCKER_CONFIG_JSON_KEY;
  // The source was parsed before this is called, so the key exists and holds JSON.
  const document: unknown = JSON.parse(Buffer.from(source.data?.[key] ?? "", "base64").toString("utf8"));
  return targetType === DOCKER_CFG_TYPE
    ? { [DOCKER_CFG_KEY]: b64(JSON.stringify((document as { auths: unknown }).auths)) }
    : { [DOCKER_CONFIG_JSON_KEY]: b64(JSON.stringify({ auths: document })) };
}

/**
 * Brings a copy up to date with its source: one read of each and one PUT of the
 * target carrying the resourceVersion that was read. The API server refuses that
 * PUT with 409 Conflict when anyone wrote the target in between; the refusal is
 * returned as a non-transient `conflict`, so the newer content is never overwritten
 * and nothing repeats the write unseen. The credentials never leave this module.
 */
export async function refreshSecretCopy(w: WriteContext, from: ObjectRef, to: ObjectRef, opts: RefreshCopyOptions = {}): Promise<SecretWriteResult> {
  const source = await getSecret(w, from);
  const sourceType = source.type;
  if (!isPullSecretType(sourceType)) throw notAPullSecret(w, from, sourceType);
  const sourceFingerprint = parseOrRefuse(w, from, `Refusing to copy secret ${from.namespace}/${from.name}`, () =>
    parsePullSecretData({ type: sourceType, ...(source.data ? { data: source.data } : {}) }),
  ).credentialFingerprint;

  const target = await getSecret(w, to);
  const targetType = target.type;
  if (!isPullSecretType(targetType)) throw notAPullSecret(w, to, targetType);
  const ctx = { cluster: w.t.cluster, namespace: to.namespace, object: `secrets/${to.name}` };
  if (opts.expectedFingerprint !== undefined) {
    const current = currentFingerprint(target);
    if (current !== opts.expectedFingerprint) {
      throw new KubeError("conflict", `Secret ${to.namespace}/${to.name} on cluster "${w.t.cluster}" changed since it was read (fingerprint ${current ?? "unreadable"}, expected ${opts.expectedFingerprint}). Review it again before updating.`, ctx, { transient: false });
    }
  }

  const annotations: Record<string, string> = {
    ...(target.metadata.annotations ?? {}),
    ...(opts.annotations ?? {}),
    // Read here, from the object actually copied, so the record names the exact source.
    ...(source.metadata.uid ? { [PROVENANCE_ANNOTATIONS.sourceUid]: source.metadata.uid } : {}),
    [PROVENANCE_ANNOTATIONS.sourceFingerprint]: sourceFingerprint,
  };
  if (PULLKEEPER_ANNOTATIONS.fingerprint in annotations || target.metadata.labels?.[MANAGED_BY_LABEL] === PULLKEEPER_MANAGER) annotations[PULLKEEPER_ANNOTATIONS.fingerprint] = sourceFingerprint;
  // `target` carries its metadata.resourceVersion: the server's precondition for this PUT.
  const body = { ...target, apiVersion: "v1", kind: "Secret", metadata: { ...target.metadata, annotations }, data: dataInTargetFormat({ ...source, type: sourceType }, targetType) };
  try {
    const written = await w.t.request<Wire<V1Secret>>({ method: "PUT", path: secretPath(to), query: writeQuery(w), body, ctx: { namespace: to.namespace, object: `secrets/${to.name}` }, idempotent: false });
    return dto(w, written, to);
  } catch (e) {
    if (!isKubeError(e, "conflict")) throw e;
    throw new KubeError("conflict", `Secret ${to.namespace}/${to.name} on cluster "${w.t.cluster}" was changed by someone else while Pullkeeper refreshed it; nothing was written. Review it again.`, ctx, {
      status: 409,
      transient: false,
    });
  }
}
