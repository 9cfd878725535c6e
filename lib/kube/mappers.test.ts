import { describe, expect, it } from "vitest";
import { buildDockerConfigJson, buildIamApiKeyDockerConfigJson } from "@/lib/registry/docker-config";
import { detectManagedBy, PullSecretContentMemo, toWorkloadDto, toNamespaceDto, toPodDto, toPullSecretDto, toServiceAccountDto } from "./mappers";
import { owningWorkload } from "./workloads";

// Unit tests stay independent of sim/: local fixtures, each value carrying the canary.
const CREDENTIAL_CANARY = "PKCANARY-unit-3c1d";
const KEYS = { current: `current_${CREDENTIAL_CANARY}_0123456789abcdef0123`, revoked: `revoked_${CREDENTIAL_CANARY}_0123456789abcdef0123`, other: `other_${CREDENTIAL_CANARY}_0123456789abcdef01234` } as const;
const LEGACY_TOKENS = { regional: `eyJhbGciOiJIUzI1NiJ9.legacy-regional-${CREDENTIAL_CANARY}.c2ln`, international: `eyJhbGciOiJIUzI1NiJ9.legacy-intl-${CREDENTIAL_CANARY}.c2ln` } as const;
const PRIVATE_REGISTRY = { server: "registry.example.com", username: "robot$ci", password: `private-${CREDENTIAL_CANARY}-pass` } as const;

const b64 = (s: string) => Buffer.from(s).toString("base64");
const KEY = KEYS.current;

function pullSecret(name: string, json: string, extra: Record<string, unknown> = {}) {
  const doc = buildIamApiKeyDockerConfigJson({ apiKey: KEY, domains: ["us.icr.io"] });
  return {
    metadata: {
      name,
      namespace: "team-a",
      uid: "u1",
      resourceVersion: "42",
      creationTimestamp: "2024-01-02T03:04:05Z",
      labels: { team: "a" },
      annotations: { "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify({ data: { ".dockerconfigjson": b64(doc) } }) },
      ...extra,
    },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": b64(json) },
  };
}

describe("toPullSecretDto", () => {
  it("with a content memo, maps each secret exactly as without one, sharing the parse between equal contents only", () => {
    const memo = new PullSecretContentMemo();
    const a = buildIamApiKeyDockerConfigJson({ apiKey: KEYS.current, domains: ["us.icr.io", "de.icr.io"] });
    const b = buildIamApiKeyDockerConfigJson({ apiKey: KEYS.other, domains: ["us.icr.io", "de.icr.io"] });
    const secrets: { type: string; data: Record<string, string> }[] = [
      pullSecret("one", a),
      pullSecret("two", a, { namespace: "team-b", labels: { team: "b" } }),
      pullSecret("other", b),
      { ...pullSecret("broken", "{}"), data: { ".dockerconfigjson": "not base64!" } },
      { ...pullSecret("broken-too", "{}"), data: { ".dockerconfigjson": "not base64!" } },
      { ...pullSecret("empty", "{}"), data: {} },
      { ...pullSecret("cfg", "{}"), type: "kubernetes.io/dockercfg", data: { ".dockercfg": b64(a) } },
    ];
    const memoised = secrets.map((s) => toPullSecretDto("c1", s, memo));
    expect(memoised).toEqual(secrets.map((s) => toPullSecretDto("c1", s)));
    expect(memoised[1]!.registries).toBe(memoised[0]!.registries);
    expect(memoised[1]).toMatchObject({ namespace: "team-b", name: "two", labels: { team: "b" } });
    expect(memoised[2]!.credentialFingerprint).not.toBe(memoised[0]!.credentialFingerprint);
    expect(memoised[3]!.parseError?.reason).toBe("not_base64");
    expect(memoised[4]!.parseError).toEqual(memoised[3]!.parseError);
    expect(memoised[5]!.parseError?.reason).toBe("missing_key");
    // The same bytes under the other type are read as the other format.
    expect(memoised[6]!.parseError ?? memoised[6]!.registries).not.toBe(memoised[0]!.registries);
  });


  it("describes registries and fingerprints without any secret value", () => {
    const json = buildDockerConfigJson([
      { registry: "us.icr.io", username: "iamapikey", password: KEY },
      { registry: "registry.ng.bluemix.net", username: "token", password: LEGACY_TOKENS.regional },
      { registry: PRIVATE_REGISTRY.server, username: PRIVATE_REGISTRY.username, password: PRIVATE_REGISTRY.password },
    ]);
    const dto = toPullSecretDto("c1", pullSecret("mixed", json));
    expect(dto).toMatchObject({ cluster: "c1", namespace: "team-a", name: "mixed", type: "kubernetes.io/dockerconfigjson", createdAt: "2024-01-02T03:04:05Z", labels: { team: "a" }, managedBy: null, parseError: null });
    expect(dto?.registries.map((r) => [r.registry, r.credentialKind])).toEqual([
      ["us.icr.io", "iam-api-key"],
      ["registry.ng.bluemix.net", "registry-token"],
      ["registry.example.com", "basic"],
    ]);
    const text = JSON.stringify(dto);
    expect(text).not.toContain(CREDENTIAL_CANARY);
    expect(text).not.toContain(b64(`iamapikey:${KEY}`));
    expect(text).not.toContain("last-applied");
  });

  it("keeps a broken secret visible with a safe parse error", () => {
    const dto = toPullSecretDto("c1", pullSecret("broken", `{"auths": ${CREDENTIAL_CANARY}`));
    expect(dto?.parseError?.reason).toBe("not_json");
    expect(dto?.credentialFingerprint).toBeNull();
    expect(JSON.stringify(dto)).not.toContain(CREDENTIAL_CANARY);
  });

  it("ignores secrets that are not pull secrets", () => {
    expect(toPullSecretDto("c1", { metadata: { name: "x" }, type: "Opaque", data: { a: b64(CREDENTIAL_CANARY) } })).toBeUndefined();
  });

  it("reads copy provenance from Pullkeeper, replicator, reflector and kubed annotations", () => {
    const json = buildIamApiKeyDockerConfigJson({ apiKey: KEY, domains: ["us.icr.io"] });
    const pk = toPullSecretDto("c", pullSecret("a", json, { labels: { "app.kubernetes.io/managed-by": "pullkeeper" }, annotations: { "pullkeeper.io/source-namespace": "default", "pullkeeper.io/source-name": "all-icr-io", "pullkeeper.io/source-fingerprint": "abc" } }));
    expect(pk).toMatchObject({ managedBy: "pullkeeper", copyOf: { namespace: "default", name: "all-icr-io", sourceFingerprint: "abc" } });
    const rep = toPullSecretDto("c", pullSecret("b", json, { annotations: { "replicator.v1.mittwald.de/replicate-from": "default/default-us-icr-io" } }));
    expect(rep).toMatchObject({ managedBy: "replicator", copyOf: { namespace: "default", name: "default-us-icr-io" } });
    const refl = toPullSecretDto("c", pullSecret("c", json, { annotations: { "reflector.v1.k8s.emberstack.com/reflects": "default/all-icr-io" } }));
    expect(refl).toMatchObject({ managedBy: "reflector", copyOf: { namespace: "default", name: "all-icr-io" } });
    const kubed = toPullSecretDto("c", pullSecret("d", json, { annotations: { "kubed.appscode.com/origin": JSON.stringify({ namespace: "default", name: "src" }) } }));
    expect(kubed).toMatchObject({ managedBy: "kubed", copyOf: { namespace: "default", name: "src" } });
  });
});

describe("detectManagedBy", () => {
  it.each([
    [{ labels: { "app.kubernetes.io/managed-by": "Helm" } }, "helm"],
    [{ annotations: { "meta.helm.sh/release-name": "r" } }, "helm"],
    [{ labels: { "app.kubernetes.io/managed-by": "Helm" }, annotations: { "argocd.argoproj.io/tracking-id": "app:/Secret:ns/x" } }, "argocd"],
    [{ labels: { "kustomize.toolkit.fluxcd.io/name": "apps" } }, "flux"],
    [{ labels: { "generate.kyverno.io/policy-name": "sync" } }, "kyverno"],
    [{ labels: { "reconcile.external-secrets.io/created-by": "x" } }, "external-secrets"],
    [{ annotations: { "replicator.v1.mittwald.de/replicate-to": "team-*" } }, null],
    [{}, null],
  ] as const)("%j -> %s", (meta, expected) => {
    expect(detectManagedBy(meta)).toBe(expected);
  });
});

describe("other mappers", () => {
  it("maps namespaces and service accounts", () => {
    expect(toNamespaceDto("c", { metadata: { name: "n", labels: { team: "x" }, creationTimestamp: new Date("2020-01-01T00:00:00Z") }, status: { phase: "Terminating" } })).toEqual({
      cluster: "c",
      name: "n",
      labels: { team: "x" },
      phase: "Terminating",
      createdAt: "2020-01-01T00:00:00.000Z",
    });
    expect(toServiceAccountDto("c", { metadata: { name: "default", namespace: "n", resourceVersion: "7" }, imagePullSecrets: [{ name: "a" }, {}, { name: "b" }] })).toMatchObject({ imagePullSecrets: ["a", "b"], resourceVersion: "7" });
  });

  it("maps pods with owner deployment, pull errors and SA defaulting", () => {
    const dto = toPodDto("c", {
      metadata: { name: "web-5d9c7-abcde", namespace: "n", labels: { "pod-template-hash": "5d9c7" }, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-5d9c7", uid: "rs-uid", controller: true }] },
      spec: { initContainers: [{ name: "init", image: "busybox" }], containers: [{ name: "app", image: "us.icr.io/ns/web:1" }], imagePullSecrets: [{ name: "all-icr-io" }] },
      status: { phase: "Pending", containerStatuses: [{ name: "app", image: "us.icr.io/ns/web:1", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason: "ImagePullBackOff", message: 'Back-off pulling image "us.icr.io/ns/web:1"' } } }] },
    });
    expect(dto).toMatchObject({
      kind: "Pod",
      serviceAccountName: "default",
      imagePullSecrets: ["all-icr-io"],
      owner: { kind: "ReplicaSet", name: "web-5d9c7", deployment: "web" },
      imagePullErrors: [{ container: "app", reason: "ImagePullBackOff", message: 'Back-off pulling image "us.icr.io/ns/web:1"' }],
      images: [
        { container: "init", image: "busybox", init: true },
        { container: "app", image: "us.icr.io/ns/web:1", init: false },
      ],
    });
  });

  it("maps deployments from their pod template", () => {
    const dto = toWorkloadDto("c", "Deployment", {
      metadata: { name: "api", namespace: "n" },
      spec: { selector: {}, template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "2024-05-01T00:00:00Z" } }, spec: { serviceAccountName: "builder", containers: [{ name: "api", image: "de.icr.io/x/api:2" }] } } },
    });
    expect(dto).toMatchObject({ kind: "Deployment", serviceAccountName: "builder", restartedAt: "2024-05-01T00:00:00Z", imagePullSecrets: [], desiredPods: 1 });
  });

  it("maps StatefulSets and DaemonSets with the pods a finished rollout has, and finds a pod's owning workload", () => {
    const template = { metadata: { labels: { app: "db" } }, spec: { imagePullSecrets: [{ name: "own" }], containers: [{ name: "db", image: "us.icr.io/x/db:1" }] } };
    expect(toWorkloadDto("c", "StatefulSet", { metadata: { name: "db", namespace: "n" }, spec: { replicas: 3, serviceName: "db", selector: {}, template } })).toMatchObject({
      kind: "StatefulSet", name: "db", desiredPods: 3, imagePullSecrets: ["own"], images: [{ image: "us.icr.io/x/db:1" }], restartedAt: null,
    });
    expect(toWorkloadDto("c", "DaemonSet", { metadata: { name: "agent", namespace: "n" }, spec: { selector: {}, template }, status: { desiredNumberScheduled: 4, currentNumberScheduled: 4, numberMisscheduled: 0, numberReady: 2 } })).toMatchObject({
      kind: "DaemonSet", desiredPods: 4,
    });
    const pod = (ownerReferences: object[], labels: Record<string, string> = {}) => toPodDto("c", { metadata: { name: "p", namespace: "n", ownerReferences, labels }, spec: { containers: [] } } as never);
    const ref = (kind: string, name: string) => ({ apiVersion: "apps/v1", kind, name, uid: "u", controller: true });
    expect(owningWorkload(pod([ref("StatefulSet", "db")]))).toEqual({ kind: "StatefulSet", name: "db" });
    expect(owningWorkload(pod([ref("DaemonSet", "agent")]))).toEqual({ kind: "DaemonSet", name: "agent" });
    expect(owningWorkload(pod([ref("ReplicaSet", "web-5d4f")], { "pod-template-hash": "5d4f" }))).toEqual({ kind: "Deployment", name: "web" });
    expect(owningWorkload(pod([ref("Job", "nightly")]))).toBeNull();
  });
});
