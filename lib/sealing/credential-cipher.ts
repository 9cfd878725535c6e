import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { SealError } from "./sealed-box";

/**
 * Credentials kept for the long run (an IBM Cloud API key, a cluster's service-account
 * token): AES-256-GCM under PULLKEEPER_ENCRYPTION_KEY, a random 32-byte key of its own,
 * never derived from AUTH_SECRET, so rotating the session secret signs people out without
 * making stored credentials unreadable. Each value names the key it was sealed under
 * (`pk1.<key id>.<iv|tag|ciphertext>`, key id = the first 8 bytes of SHA-256 of the key),
 * so a cipher built with the new key and the previous ones opens everything and
 * `reseal` moves a value to the new key. The caller's context (the row's id and column) is
 * bound as associated data: a value copied to another row does not open.
 */

const FORMAT = "pk1";
const KEY_BYTES = 32;

export interface CredentialCipher {
  /** Id of the key new values are sealed under (safe to show and log). */
  readonly keyId: string;
  seal(plaintext: string, context: string): string;
  /** @throws SealError when no known key sealed it, the context differs, or the value was altered. */
  open(sealed: string, context: string): string;
  /** Whether the value is sealed under the current key (false: `reseal` it). */
  isCurrent(sealed: string): boolean;
  /** Opens with whichever known key sealed it and seals again under the current key. */
  reseal(sealed: string, context: string): string;
}

/** Key id: hex of the first 8 bytes of SHA-256(key). Identifies a key without revealing it. */
export function encryptionKeyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

/**
 * PULLKEEPER_ENCRYPTION_KEY as bytes: 32 bytes written as 64 hex digits or as base64 /
 * base64url (`openssl rand -base64 32`). Returns undefined for anything else.
 */
export function parseEncryptionKey(text: string): Buffer | undefined {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const bytes = Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    return bytes.length === KEY_BYTES ? bytes : undefined;
  }
  return undefined;
}

export function createCredentialCipher(current: Buffer, previous: Buffer[] = []): CredentialCipher {
  for (const key of [current, ...previous]) if (key.length !== KEY_BYTES) throw new SealError("an encryption key must be 32 bytes");
  const keys = new Map<string, Buffer>();
  for (const key of [...previous, current]) keys.set(encryptionKeyId(key), key);
  const keyId = encryptionKeyId(current);

  const seal = (plaintext: string, context: string): string => {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", current, iv);
    cipher.setAAD(Buffer.from(`${FORMAT}.${keyId}.${context}`));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return `${FORMAT}.${keyId}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
  };

  const open = (sealed: string, context: string): string => {
    const [format, id, payload] = sealed.split(".");
    const key = id ? keys.get(id) : undefined;
    if (format !== FORMAT || !payload) throw new SealError("the stored credential is not in a format this version reads");
    if (!key) throw new SealError(`the stored credential was sealed under encryption key ${id}, which is not configured (PULLKEEPER_ENCRYPTION_KEY)`);
    try {
      const raw = Buffer.from(payload, "base64url");
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(`${FORMAT}.${id}.${context}`));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    } catch {
      // The cause would say nothing useful and must not echo the value.
      throw new SealError("the stored credential could not be opened (moved to another record, or altered)");
    }
  };

  return {
    keyId,
    seal,
    open,
    isCurrent: (sealed) => sealed.split(".")[1] === keyId,
    reseal: (sealed, context) => seal(open(sealed, context), context),
  };
}

/**
 * A cipher built on first use. A server that stores no long-lived credential (no account, no registered cluster,
 * no webhook target) then needs no PULLKEEPER_ENCRYPTION_KEY, and one that does meets the missing key where it
 * stores or opens one, with the reason, instead of failing everything at start. A failed build is not kept: the
 * next use tries again.
 */
export function deferredCredentialCipher(build: () => CredentialCipher): CredentialCipher {
  let built: CredentialCipher | undefined;
  const cipher = () => (built ??= build());
  return {
    get keyId() {
      return cipher().keyId;
    },
    seal: (plaintext, context) => cipher().seal(plaintext, context),
    open: (sealed, context) => cipher().open(sealed, context),
    isCurrent: (sealed) => cipher().isCurrent(sealed),
    reseal: (sealed, context) => cipher().reseal(sealed, context),
  };
}
