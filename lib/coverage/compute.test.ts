import { credentialFingerprint } from "@/lib/registry/fingerprint";
import { describe, expect, it } from "vitest";
import { buildDockerConfigJson, buildIamApiKeyDockerConfigJson, type DockerCredential } from "@/lib/registry/docker-config";
import { ALL_ICR_IO_DOMAINS } from "@/lib/registry/domains";
import { toWorkloadDto, toPodDto, toPullSecretDto } from "@/lib/kube/mappers";
import type { PullSecretDto, ServiceAccountDto, WorkloadDto } from "@/lib/kube/port";
import { computeClusterCoverage } from "./compute";
import { testCell as state, testInventory as inventory } from "./test-inventory";
import type { ClusterCoverage, CoverageFinding } from "./types";

// Unit tests stay independent of sim/: local fixtures, each value carrying the canary.
const CREDENTIAL_CANARY = "PKCANARY-unit-3c1d";
const KEYS = { current: `current_${CREDENTIAL_CANARY}_0123456789abcdef0123`, revoked: `revoked_${CREDENTIAL_CANARY}_0123456789abcdef0123`, other: `other_${CREDENTIAL_CANARY}_0123456789abcdef01234` } as const;
const LEGACY_TOKENS = { regional: `eyJhbGciOiJIUzI1NiJ9.legacy-regional-${CREDENTIAL_CANARY}.c2ln`, international: `eyJhbGciOiJIUzI1NiJ9.legacy-intl-${CREDENTIAL_CANARY}.c2ln` } as const;
const PRIVATE_REGISTRY = { server: "registry.example.com", username: "robot$ci", password: `private-${CREDENTIAL_CANARY}-pass` } as const;

const KEY = KEYS.current;
const OLD_KEY = KEYS.revoked;
const b64 = (s: string) => Buffer.from(s).toString("base64");

function secret(namespace: string, name: string, json: string, opts: { type?: "kubernetes.io/dockercfg"; annotations?: Record<string, string> } = {}): PullSecretDto {
  const type = opts.type ?? "kubernetes.io/dockerconfigjson";
  const key = type === "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson";
  const dto = toPullSecretDto("c", { metadata: { name, namespace, ...(opts.annotations ? { annotations: opts.annotations } : {}) }, type, data: { [key]: b64(json) } });
  if (!dto) throw new Error("not a pull secret");
  return dto;
}
const icr = (namespace: string, name: string, domains: string[], apiKey: string = KEY) => secret(namespace, name, buildIamApiKeyDockerConfigJson({ apiKey, domains }));
const creds = (namespace: string, name: string, list: DockerCredential[]) => secret(namespace, name, buildDockerConfigJson(list));
const sa = (namespace: string, name: string, imagePullSecrets: string[]): ServiceAccountDto => ({ cluster: "c", namespace, name, imagePullSecrets, createdAt: null, labels: {}, managedBy: null, resourceVersion: "1" });

function pod(namespace: string, name: string, images: string[], o: { pullSecrets?: string[]; sa?: string; deployment?: string } = {}): WorkloadDto {
  return toPodDto("c", {
    metadata: {
      name,
      namespace,
      ...(o.deployment ? { labels: { "pod-template-hash": "h1" }, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: `${o.deployment}-h1`, uid: "rs-uid", controller: true }] } : {}),
    },
    spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })), imagePullSecrets: (o.pullSecrets ?? []).map((n) => ({ name: n })), ...(o.sa ? { serviceAccountName: o.sa } : {}) },
    status: { phase: "Running" },
  });
}
function deployment(namespace: string, name: string, images: string[], o: { pullSecrets?: string[]; sa?: string } = {}): WorkloadDto {
  return toWorkloadDto("c", "Deployment", {
    metadata: { name, namespace },
    spec: { selector: {}, template: { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })), imagePullSecrets: (o.pullSecrets ?? []).map((n) => ({ name: n })), ...(o.sa ? { serviceAccountName: o.sa } : {}) } } },
  });
}


const ofType = <T extends CoverageFinding["type"]>(cov: ClusterCoverage, t: T) => cov.findings.filter((f): f is Extract<CoverageFinding, { type: T }> => f.type === t);

describe("namespace coverage states", () => {
  it("covered, not_attached, legacy_only and missing", () => {
    const cov = computeClusterCoverage(
      inventory(
        ["default", "team-a", "team-b", "team-c"],
        [
          icr("default", "all-icr-io", [...ALL_ICR_IO_DOMAINS]),
          icr("team-a", "team-a-us-icr-io", ["us.icr.io"]),
          creds("team-b", "bluemix-team-b-secret-regional", [{ registry: "registry.ng.bluemix.net", username: "token", password: LEGACY_TOKENS.regional }]),
          creds("team-b", "token-on-icr", [{ registry: "us.icr.io", username: "token", password: LEGACY_TOKENS.regional }]),
        ],
        [sa("default", "default", ["all-icr-io"]), sa("team-a", "default", []), sa("team-b", "default", ["bluemix-team-b-secret-regional", "token-on-icr"]), sa("team-c", "default", [])],
      ),
    );
    expect(state(cov, "default", "us.icr.io")).toMatchObject({ state: "covered", secrets: ["all-icr-io"] });
    expect(state(cov, "default", "jp.icr.io").state).toBe("covered");
    expect(state(cov, "team-a", "us.icr.io")).toMatchObject({ state: "not_attached", secrets: ["team-a-us-icr-io"] });
    expect(state(cov, "team-a", "de.icr.io").state).toBe("missing");
    expect(state(cov, "team-b", "us.icr.io")).toMatchObject({ state: "legacy_only", secrets: ["token-on-icr"] });
    expect(state(cov, "team-b", "registry.ng.bluemix.net").state).toBe("legacy_only");
    expect(state(cov, "team-c", "us.icr.io").state).toBe("missing");
    expect(cov.domains.slice(0, 6)).toEqual(["icr.io", "us.icr.io", "uk.icr.io", "de.icr.io", "au.icr.io", "jp.icr.io"]);
    expect(cov.domains).toContain("registry.ng.bluemix.net");
    expect(cov.summary.legacySecretCount).toBe(2);
    const icrGroup = cov.summary.groups.find((g) => g.group === "icr");
    expect(icrGroup).toMatchObject({ fullyCovered: 1, uncovered: 3 });
  });

  it("detects by content, not by name, and reads legacy .dockercfg secrets", () => {
    const misleading = icr("team-a", "default-us-icr-io", ["de.icr.io"]);
    const cfg = secret("team-a", "old-cfg", JSON.stringify({ "uk.icr.io": { username: "iamapikey", password: KEY, auth: b64(`iamapikey:${KEY}`) } }), { type: "kubernetes.io/dockercfg" });
    const cov = computeClusterCoverage(inventory(["team-a"], [misleading, cfg], [sa("team-a", "default", ["default-us-icr-io", "old-cfg"])]));
    expect(state(cov, "team-a", "us.icr.io").state).toBe("missing");
    expect(state(cov, "team-a", "de.icr.io").state).toBe("covered");
    expect(state(cov, "team-a", "uk.icr.io").state).toBe("covered");
  });

  it("treats an unparsable secret as offering nothing and counts it", () => {
    const broken = secret("team-a", "broken", "{not json");
    const cov = computeClusterCoverage(inventory(["team-a"], [broken], [sa("team-a", "default", ["broken"])]));
    expect(state(cov, "team-a", "us.icr.io").state).toBe("missing");
    expect(cov.summary.unparsableSecretCount).toBe(1);
  });

  it("reports a namespace without a default service account", () => {
    const cov = computeClusterCoverage(inventory(["team-a"], [icr("team-a", "x", ["us.icr.io"])], []));
    expect(cov.namespaces[0]?.hasDefaultServiceAccount).toBe(false);
    expect(state(cov, "team-a", "us.icr.io").state).toBe("not_attached");
  });
});

describe("workload findings", () => {
  it("flags images a pod cannot authenticate for, using its own imagePullSecrets", () => {
    const cov = computeClusterCoverage(
      inventory(
        ["shop"],
        [icr("shop", "us-only", ["us.icr.io"]), creds("shop", "private", [{ registry: PRIVATE_REGISTRY.server, username: PRIVATE_REGISTRY.username, password: PRIVATE_REGISTRY.password }])],
        [sa("shop", "default", ["us-only"])],
        [
          pod("shop", "ok", ["us.icr.io/shop/web:1", "nginx:1.25"], { pullSecrets: ["us-only"] }),
          pod("shop", "wrong-region", ["de.icr.io/shop/api:1"], { pullSecrets: ["us-only"] }),
          pod("shop", "private-no-creds", ["registry.example.com/ci/tool:1"], { pullSecrets: ["us-only"] }),
          pod("shop", "private-ok", ["registry.example.com/ci/tool:1"], { pullSecrets: ["private"] }),
          pod("shop", "legacy-image", ["registry.ng.bluemix.net/shop/old:1"], { pullSecrets: ["us-only"] }),
        ],
      ),
    );
    const risky = ofType(cov, "image_pull_at_risk");
    expect(risky.map((f) => f.workload.name).sort()).toEqual(["legacy-image", "private-no-creds", "wrong-region"]);
    expect(risky.find((f) => f.workload.name === "wrong-region")?.images).toEqual([{ image: "de.icr.io/shop/api:1", registry: "de.icr.io", reason: "no_credentials" }]);
    expect(risky.find((f) => f.workload.name === "legacy-image")?.images[0]).toMatchObject({ reason: "discontinued_registry", successor: "us.icr.io" });
    expect(cov.summary.workloadsAtRisk).toBe(3);
  });

  it("evaluates deployments through their service account (other than default) unless the template sets secrets", () => {
    const cov = computeClusterCoverage(
      inventory(
        ["ci"],
        [icr("ci", "all", ["us.icr.io", "de.icr.io"]), creds("ci", "legacy", [{ registry: "us.icr.io", username: "token", password: LEGACY_TOKENS.regional }])],
        [sa("ci", "default", []), sa("ci", "builder", ["all"])],
        [
          deployment("ci", "via-builder", ["us.icr.io/ci/b:1"], { sa: "builder" }),
          deployment("ci", "via-default", ["us.icr.io/ci/b:1"]),
          deployment("ci", "own-legacy", ["us.icr.io/ci/b:1"], { sa: "builder", pullSecrets: ["legacy"] }),
        ],
      ),
    );
    const risky = ofType(cov, "image_pull_at_risk");
    expect(risky.map((f) => [f.workload.name, f.images[0]?.reason, f.ownPullSecrets])).toEqual([
      ["via-default", "no_credentials", false],
      ["own-legacy", "legacy_only", true],
    ]);
  });

  it("finds pods created before their SA gained the secret and whether a restart fixes them", () => {
    const cov = computeClusterCoverage(
      inventory(
        ["web"],
        [icr("web", "all-icr-io", ["us.icr.io"]), icr("web", "mine", ["de.icr.io"])],
        [sa("web", "default", ["all-icr-io"])],
        [
          deployment("web", "front", ["us.icr.io/web/front:1"]),
          pod("web", "front-h1-aaaaa", ["us.icr.io/web/front:1"], { deployment: "front" }),
          pod("web", "explicit", ["de.icr.io/web/x:1"], { pullSecrets: ["mine"] }),
          pod("web", "fresh", ["us.icr.io/web/front:1"], { pullSecrets: ["all-icr-io"] }),
        ],
      ),
    );
    const restarts = ofType(cov, "restart_needed");
    expect(restarts).toEqual([
      { type: "restart_needed", cluster: "c", namespace: "web", workload: { kind: "Pod", name: "front-h1-aaaaa" }, serviceAccount: "default", missingSecrets: ["all-icr-io"], restartFixes: true, owner: { kind: "Deployment", name: "front" } },
    ]);
    expect(ofType(cov, "image_pull_at_risk").map((f) => f.workload.name)).toEqual(["front-h1-aaaaa"]);
  });

  it("reports dangling references from service accounts, pods and deployments", () => {
    const cov = computeClusterCoverage(
      inventory(
        ["x"],
        [],
        [sa("x", "default", ["gone"])],
        [pod("x", "p", ["us.icr.io/x/p:1"], { pullSecrets: ["gone-too"] }), deployment("x", "d", ["nginx"], { pullSecrets: ["gone"] })],
      ),
    );
    expect(ofType(cov, "dangling_reference").map((f) => `${f.referencedBy.kind}/${f.referencedBy.name}->${f.secret}`)).toEqual(["ServiceAccount/default->gone", "Pod/p->gone-too", "Deployment/d->gone"]);
    expect(ofType(cov, "image_pull_at_risk")[0]?.images[0]?.reason).toBe("dangling_reference");
  });
});

describe("copies", () => {
  it("flags stale copies by annotation and by the seed recipe's name, and orphaned copies", () => {
    const cov = computeClusterCoverage(
      inventory(
        ["default", "a", "b", "c", "d"],
        [
          icr("default", "default-us-icr-io", ["us.icr.io"]),
          icr("a", "a-us-icr-io", ["us.icr.io"], OLD_KEY),
          icr("b", "b-us-icr-io", ["us.icr.io"]),
          icr("c", "copied", ["us.icr.io"], OLD_KEY, ),
          icr("d", "orphan", ["us.icr.io"]),
        ].map((s) =>
          s.name === "copied"
            ? { ...s, copyOf: { namespace: "default", name: "default-us-icr-io" } }
            : s.name === "orphan"
              ? { ...s, copyOf: { namespace: "default", name: "deleted-source" } }
              : s,
        ),
        [],
      ),
    );
    const stale = ofType(cov, "stale_copy");
    expect(stale.map((f) => [f.namespace, f.evidence])).toEqual([
      ["a", "name_pattern"],
      ["c", "annotation"],
    ]);
    expect(stale[0]?.copyFingerprint).not.toBe(stale[0]?.sourceFingerprint);
    expect(ofType(cov, "orphaned_copy").map((f) => f.secret)).toEqual(["orphan"]);
  });

  it("uses IAM's word on who owns each key: a team's own service ID is independent, the source's old key is stale", () => {
    const fp = (key: string) => credentialFingerprint("iamapikey", key);
    const secrets = [
      icr("default", "default-us-icr-io", ["us.icr.io"]),
      // The seed's name for a copy, but IAM says another service ID owns its key: the team's own credential.
      icr("team", "team-us-icr-io", ["us.icr.io"], KEYS.other),
      // Any name: IAM says the key is the source service ID's, but not its current one.
      icr("payments", "registry-creds", ["us.icr.io"], OLD_KEY),
      // Same registries and user, a name the recipe never gives, owner never looked up: not called a copy.
      icr("ops", "ops-pull", ["us.icr.io"], KEYS.other),
    ];
    const withoutIam = computeClusterCoverage(inventory(["default", "team", "payments", "ops"], secrets, []));
    expect(ofType(withoutIam, "stale_copy").map((f) => [f.namespace, f.evidence])).toEqual([["team", "name_pattern"]]);

    const keyOwners = new Map([
      [fp(KEY), { status: "found" as const, serviceId: "ServiceId-cluster" }],
      [fp(KEYS.other), { status: "found" as const, serviceId: "ServiceId-team-payments-puller" }],
      [fp(OLD_KEY), { status: "found" as const, serviceId: "ServiceId-cluster" }],
    ]);
    const withIam = computeClusterCoverage(inventory(["default", "team", "payments", "ops"], secrets, []), { keyOwners });
    expect(ofType(withIam, "stale_copy").map((f) => [f.namespace, f.secret, f.evidence, f.keyUnknownToIam])).toEqual([["payments", "registry-creds", "iam", false]]);
  });

  it("says when IAM no longer knows a copy's key", () => {
    const secrets = [icr("default", "all-icr-io", ["us.icr.io", "de.icr.io"]), icr("a", "all-icr-io", ["us.icr.io", "de.icr.io"], OLD_KEY)];
    const keyOwners = new Map([[credentialFingerprint("iamapikey", OLD_KEY), { status: "unknown" as const }]]);
    const cov = computeClusterCoverage(inventory(["default", "a"], secrets, []), { keyOwners });
    expect(ofType(cov, "stale_copy").map((f) => [f.namespace, f.evidence, f.keyUnknownToIam])).toEqual([["a", "name_pattern", true]]);
  });

  it("does not call a team's own private-registry credentials a stale copy", () => {
    const cov = computeClusterCoverage(
      inventory(["default", "a"], [icr("default", "all-icr-io", ["us.icr.io"]), creds("a", "robot", [{ registry: "us.icr.io", username: "robot", password: "x" }])], []),
    );
    expect(ofType(cov, "stale_copy")).toEqual([]);
  });
});
