import "server-only";
import { createHash } from "node:crypto";

/** Length of every fingerprint shown to operators (hex characters of a SHA-256). */
export const FINGERPRINT_LENGTH = 12;

function shortHash(input: string): string {
  return createHash("sha256").update(input, "utf8").digest("hex").slice(0, FINGERPRINT_LENGTH);
}

/**
 * A short, stable fingerprint of one credential (`username:password`), so two
 * copies of a secret can be compared and a key rotation noticed without ever
 * showing the password. 48 bits of an unsalted hash: fine for long random API
 * keys; do not treat it as hiding a short human password from a determined guesser.
 */
export function credentialFingerprint(username: string, password: string): string {
  return shortHash(`${username}:${password}`);
}

/**
 * Fingerprint of a whole set of registry credentials, independent of entry
 * order: equal for two secrets that grant the same registries with the same
 * usernames and passwords.
 */
export function credentialSetFingerprint(entries: ReadonlyArray<{ registry: string; username: string; password: string }>): string {
  const lines = entries.map((e) => `${e.registry}\u0000${e.username}\u0000${e.password}`).sort();
  return shortHash(lines.join("\n"));
}
