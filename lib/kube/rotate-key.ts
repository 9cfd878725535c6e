import "server-only";
import type { V1Secret } from "@kubernetes/client-node";
import { PROVENANCE_ANNOTATIONS } from "@/lib/provenance/annotations";
import { DOCKER_CFG_KEY, DOCKER_CFG_TYPE, DOCKER_CONFIG_JSON_KEY } from "@/lib/registry/docker-config";
import { credentialFingerprint } from "@/lib/registry/fingerprint";
import { retry } from "@/lib/retry";
import { isKubeError, KubeError } from "./errors";
import { isPullSecretType, type Wire } from "./mappers";
import type { ObjectRef, RotateKeyOptions, SecretWriteResult } from "./port";
import { b64, currentFingerprint, dto, getSecret, secretPath, writeQuery, type WriteContext } from "./writes";

type AuthEntry = { username?: unknown; password?: unknown; auth?: unknown } & Record<string, unknown>;

/** The registry map of a pull secret's document (`auths` of `.dockerconfigjson`, the bare map of `.dockercfg`), or null when unreadable. */
function registryMap(secret: Wire<V1Secret>): { key: string; document: Record<string, unknown>; auths: Record<string, AuthEntry> } | null {
  const key = secret.type === DOCKER_CFG_TYPE ? DOCKER_CFG_KEY : DOCKER_CONFIG_JSON_KEY;
  const raw = secret.data?.[key];
  if (!raw) return null;
  try {
    const document = JSON.parse(Buffer.from(raw, "base64").toString("utf8")) as Record<string, unknown>;
    const auths = (key === DOCKER_CFG_KEY ? document : document.auths) as Record<string, AuthEntry> | undefined;
    return auths && typeof auths === "object" ? { key, document, auths } : null;
  } catch {
    return null;
  }
}

const isApiKeyEntry = (entry: AuthEntry): entry is AuthEntry & { password: string } => entry.username === "iamapikey" && typeof entry.password === "string";

/**
 * Puts a new API key into one pull secret in place of the keys it names: only
 * the `iamapikey` entries whose fingerprint is in `replace` change (password
 * and `auth`), every other entry, field, label and annotation stays. One GET,
 * then a PUT carrying the resourceVersion read (a 409, when anyone wrote in
 * between, reads it again and decides again, up to 4 times). Safe to repeat: a secret that already holds the new key and none
 * of the old ones is returned unwritten. A secret whose content is neither the
 * planned one nor already rotated is refused (`conflict`), so a change made
 * since the preview is never overwritten. `registries` narrows the change to
 * those entries (an undo writes each entry's own earlier key back). The key
 * never leaves this module.
 */
export async function rotateApiKey(w: WriteContext, ref: ObjectRef, opts: RotateKeyOptions): Promise<SecretWriteResult & { written: boolean }> {
  // A 409 on the PUT means someone wrote the secret after our GET: read it again and decide again (a change to its
  // content is refused by the checks below; a label or annotation someone added is kept and the key still goes in).
  try {
    return await retry(() => rotateOnce(w, ref, opts), { attempts: ROTATE_ATTEMPTS, delayMs: (error) => (error instanceof WriteRaced ? 0 : undefined) });
  } catch (error) {
    throw error instanceof WriteRaced ? error.error : error;
  }
}

const ROTATE_ATTEMPTS = 4;

/** The PUT lost a race on resourceVersion: worth reading again. */
class WriteRaced extends Error {
  constructor(readonly error: KubeError) {
    super(error.message);
  }
}

async function rotateOnce(w: WriteContext, ref: ObjectRef, opts: RotateKeyOptions): Promise<SecretWriteResult & { written: boolean }> {
  const ctx = { cluster: w.t.cluster, namespace: ref.namespace, object: `secrets/${ref.name}` };
  const secret = await getSecret(w, ref);
  const map = isPullSecretType(secret.type) ? registryMap(secret) : null;
  if (!map) throw new KubeError("invalid", `Secret ${ref.namespace}/${ref.name} on cluster "${w.t.cluster}" is not a readable image pull secret; nothing was written.`, ctx);
  const replace = new Set(opts.replace);
  const newFingerprint = credentialFingerprint("iamapikey", opts.apiKey);
  const only = opts.registries ? new Set(opts.registries) : null;
  const entries = Object.entries(map.auths).filter(([registry]) => !only || only.has(registry)).map(([, entry]) => entry).filter(isApiKeyEntry);
  const holdsOld = entries.filter((entry) => replace.has(credentialFingerprint("iamapikey", entry.password)));
  if (holdsOld.length === 0 && entries.some((entry) => credentialFingerprint("iamapikey", entry.password) === newFingerprint)) return { ...dto(w, secret, ref), written: false };
  const current = currentFingerprint(secret);
  if (holdsOld.length === 0 || (opts.expectedFingerprint !== null && current !== opts.expectedFingerprint)) {
    throw new KubeError("conflict", `Secret ${ref.namespace}/${ref.name} on cluster "${w.t.cluster}" changed since the preview (fingerprint ${current ?? "unreadable"}); nothing was written. Preview again.`, ctx, { transient: false });
  }
  for (const entry of holdsOld) {
    entry.password = opts.apiKey;
    entry.auth = b64(`iamapikey:${opts.apiKey}`);
  }
  const annotations: Record<string, string> = { ...(secret.metadata.annotations ?? {}), ...opts.annotations };
  if (opts.source) {
    // A copy records the source it now matches, read here so the record names the exact object.
    const source = await getSecret(w, opts.source);
    if (source.metadata.uid) annotations[PROVENANCE_ANNOTATIONS.sourceUid] = source.metadata.uid;
    const sourceFingerprint = currentFingerprint(source);
    if (sourceFingerprint) annotations[PROVENANCE_ANNOTATIONS.sourceFingerprint] = sourceFingerprint;
  }
  const body = { ...secret, apiVersion: "v1", kind: "Secret", metadata: { ...secret.metadata, annotations }, data: { ...secret.data, [map.key]: b64(JSON.stringify(map.document)) } };
  try {
    const written = await w.t.request<Wire<V1Secret>>({ method: "PUT", path: secretPath(ref), query: writeQuery(w), body, ctx: { namespace: ref.namespace, object: `secrets/${ref.name}` }, idempotent: false });
    return { ...dto(w, written, ref), written: true };
  } catch (e) {
    if (!isKubeError(e, "conflict")) throw e;
    throw new WriteRaced(new KubeError("conflict", `Secret ${ref.namespace}/${ref.name} on cluster "${w.t.cluster}" was changed by someone else while Pullkeeper updated it; nothing was written. Preview again.`, ctx, { status: 409, transient: false }));
  }
}
