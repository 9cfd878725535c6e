import { describe, expect, it } from "vitest";
import type { KubeGateway, PullSecretDto, PullSecretInventory } from "@/lib/kube/port";
import { sweepClusterCredentials } from "./verification-sweep";

function secret(namespace: string, name: string, entries: Array<[registry: string, fingerprint: string]>): PullSecretDto {
  return {
    cluster: "c", namespace, name, type: "kubernetes.io/dockerconfigjson",
    registries: entries.map(([registry, fingerprint]) => ({ registry, username: "iamapikey", credentialKind: "iam-api-key", fingerprint })),
    credentialFingerprint: null, parseError: null, createdAt: null, labels: {}, managedBy: { kind: "none" } as never,
  };
}

describe("the credential sweep", () => {
  it("checks each distinct credential once per registry, skips wildcards and refused hosts, and never returns a credential", async () => {
    const inventory = {
      pullSecrets: [
        secret("default", "all-icr-io", [["us.icr.io", "fp-a"], ["de.icr.io", "fp-a"], ["*.icr.io", "fp-a"]]),
        secret("team-1", "all-icr-io", [["us.icr.io", "fp-a"], ["de.icr.io", "fp-a"]]),
        secret("team-2", "team-key", [["us.icr.io", "fp-b"]]),
        secret("team-3", "internal", [["registry.internal:5000", "fp-c"]]),
      ],
    } as Partial<PullSecretInventory> as PullSecretInventory;
    const reads: string[] = [];
    const kube = {
      async withPullSecretCredentials<T>(_cluster: string, ref: { namespace: string; name: string }, consume: (creds: Array<{ registry: string; username: string; password: string; credentialKind: "iam-api-key" }>) => Promise<T>) {
        reads.push(`${ref.namespace}/${ref.name}`);
        return consume(["us.icr.io", "de.icr.io"].map((registry) => ({ registry, username: "iamapikey", password: `key-of-${ref.name}`, credentialKind: "iam-api-key" as const })));
      },
    } as Pick<KubeGateway, "withPullSecretCredentials">;
    const asked: string[] = [];
    const swept = await sweepClusterCredentials(
      {
        kube,
        verifyRegistry: async ({ domain, password }) => {
          asked.push(`${domain} ${password}`);
          return { domain, result: password === "key-of-team-key" ? "rejected" : "valid", latencyMs: 1, detail: "" };
        },
        registryRefusal: async (domain) => (domain.startsWith("registry.internal") ? "private address" : undefined),
      },
      "c",
      inventory,
    );
    expect(asked.sort()).toEqual(["de.icr.io key-of-all-icr-io", "us.icr.io key-of-all-icr-io", "us.icr.io key-of-team-key"]);
    expect(reads).not.toContain("team-1/all-icr-io");
    expect(swept.map((entry) => `${entry.registry} ${entry.fingerprint} ${entry.result} ${entry.secrets}`).sort()).toEqual(["de.icr.io fp-a valid 2", "us.icr.io fp-a valid 2", "us.icr.io fp-b rejected 1"]);
    expect(JSON.stringify(swept)).not.toContain("key-of");
  });
});
