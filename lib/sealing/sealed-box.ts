import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { PullkeeperError } from "@/lib/errors";

export class SealError extends PullkeeperError {
  declare readonly kind: "invalid";
  constructor(message: string) {
    super("workflow", "invalid", message);
    this.name = "SealError";
  }
}

/**
 * AES-256-GCM with a key derived (HKDF-SHA256) from a server secret and a
 * purpose, so one secret can seal several kinds of data without their keys
 * being related. `context` (e.g. an operation id) is bound as associated data:
 * a sealed value moved to another row does not open.
 */
export interface SealedBox {
  seal(plaintext: string, context: string): string;
  /** Throws SealError when the value was sealed under another key or context, or altered. */
  open(sealed: string, context: string): string;
}

export function createSealedBox(secret: string, purpose: string): SealedBox {
  const key = Buffer.from(hkdfSync("sha256", secret, "pullkeeper", purpose, 32));
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
    },
    open(sealed, context) {
      try {
        const raw = Buffer.from(sealed, "base64url");
        const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
      } catch {
        // The cause would say nothing useful and must not echo the value.
        throw new SealError("sealed data could not be opened (another AUTH_SECRET, or altered)");
      }
    },
  };
}
