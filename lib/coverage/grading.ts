import type { CredentialKind } from "@/lib/registry/docker-config";
import { classifyHost, registryKeyMatches } from "@/lib/registry/domains";
import type { PullSecretDto } from "@/lib/kube/port";

/** Credential kinds that can still pull today. Registry tokens died on 19 Aug 2021; IAM bearer/refresh tokens expire within hours. */
export const CURRENT_CREDENTIAL_KINDS: ReadonlySet<CredentialKind> = new Set<CredentialKind>(["iam-api-key", "basic"]);

export type Grade = "usable" | "legacy";

/**
 * What a secret offers for a registry: `usable` (a current credential whose key
 * matches the registry), `legacy` (only discontinued ones; any credential for a
 * `registry.*.bluemix.net` domain counts as legacy, as those registries are gone),
 * or undefined (nothing, or the content is unreadable). Memoised per entry list: the grade depends on the entries
 * alone, and an inventory read shares one list between the copies of a secret (lib/kube's content memo).
 */
export class SecretGrader {
  private readonly cache = new WeakMap<PullSecretDto["registries"], Map<string, Grade | null>>();

  grade(secret: PullSecretDto, registry: string): Grade | undefined {
    if (secret.parseError) return undefined;
    let perSecret = this.cache.get(secret.registries);
    if (!perSecret) {
      perSecret = new Map();
      this.cache.set(secret.registries, perSecret);
    }
    const hit = perSecret.get(registry);
    if (hit !== undefined) return hit ?? undefined;
    const g = computeGrade(secret, registry);
    perSecret.set(registry, g ?? null);
    return g;
  }

  /** The best grade any of `secrets` offers for `registry`. */
  best(secrets: readonly PullSecretDto[], registry: string): Grade | undefined {
    let out: Grade | undefined;
    for (const s of secrets) {
      const g = this.grade(s, registry);
      if (g === "usable") return g;
      if (g === "legacy") out = g;
    }
    return out;
  }
}

function computeGrade(secret: PullSecretDto, registry: string): Grade | undefined {
  const legacyRegistry = classifyHost(registry) === "legacy-icr";
  let out: Grade | undefined;
  for (const e of secret.registries) {
    if (!registryKeyMatches(e.registry, registry)) continue;
    if (!legacyRegistry && CURRENT_CREDENTIAL_KINDS.has(e.credentialKind)) return "usable";
    out = "legacy";
  }
  return out;
}

/** A secret counts as legacy when it holds a registry token or any entry for a discontinued domain. */
export function isLegacySecret(secret: PullSecretDto): boolean {
  return secret.registries.some((e) => e.credentialKind === "registry-token" || classifyHost(e.registry) === "legacy-icr");
}
