import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeSim, type KubeSim, type KubeSimRequestRecord } from "@/sim/kube";
import { DEMO_CLUSTER_SERVICE_IDS } from "@/sim/demo-credentials";
import { KubectlHarness } from "./support";

/**
 * The seed procedure's kubectl commands, run as written with real kubectl
 * binaries against the simulator over HTTPS: 1.29 sends JSON creates, 1.33
 * sends protobuf creates.
 */

const apiKey = DEMO_CLUSTER_SERVICE_IDS.regional.apiKey;
const dockerConfig = (server: string) =>
  Buffer.from(
    JSON.stringify({ auths: { [server]: { username: "iamapikey", password: apiKey, email: "iamapikey", auth: Buffer.from(`iamapikey:${apiKey}`).toString("base64") } } }),
  ).toString("base64");

const seed = [
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } },
  { apiVersion: "v1", kind: "Secret", metadata: { name: "default-us-icr-io", namespace: "default" }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": dockerConfig("us.icr.io") } },
  { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: "default" }, imagePullSecrets: [{ name: "default-us-icr-io" }] },
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "dangling", labels: { team: "web" } } },
  { apiVersion: "v1", kind: "Secret", metadata: { name: "present", namespace: "dangling" }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": dockerConfig("us.icr.io") } },
  { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: "dangling" }, imagePullSecrets: [{ name: "present" }, { name: "missing" }] },
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a-dev" } },
];

describe.each(["1.29", "1.33"])("kubectl %s against the simulator", (version) => {
  let sim: KubeSim;
  let k: KubectlHarness;
  let admin: string;
  const requests: KubeSimRequestRecord[] = [];
  const ns = `copy-${version.replace(".", "")}`;

  beforeAll(async () => {
    sim = await startKubeSim({ name: `kubectl-${version}`, objects: seed, onRequest: (r) => requests.push(r) });
    k = new KubectlHarness(version);
    admin = k.writeKubeconfig("admin", sim.kubeconfig());
  });
  afterAll(async () => {
    await sim?.close();
    k?.cleanup();
  });

  it("lists namespaces as a table", async () => {
    const r = await k.run(admin, ["get", "namespaces"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+AGE$/);
    expect(lines.some((l) => /^default\s+Active\s+\d+s$/.test(l))).toBe(true);
    expect(lines.some((l) => /^kube-system\s+Active\s+/.test(l))).toBe(true);
  });

  it("creates a namespace and reports AlreadyExists the second time", async () => {
    const r = await k.run(admin, ["create", "namespace", ns]);
    expect(r).toMatchObject({ code: 0, stdout: `namespace/${ns} created\n` });
    const again = await k.run(admin, ["create", "namespace", ns]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(`Error from server (AlreadyExists): namespaces "${ns}" already exists`);
    const creates = requests.filter((q) => q.method === "POST" && q.path === "/api/v1/namespaces");
    expect(creates.at(-1)!.contentType).toBe(version === "1.33" ? "application/vnd.kubernetes.protobuf" : "application/json");
    const sa = await k.run(admin, ["get", "serviceaccounts", "-n", ns]);
    expect(sa.stdout).toMatch(/^NAME\s+SECRETS\s+AGE\ndefault\s+0\s+\d+s\n$/);
  });

  it("lists secrets in default with type and data count", async () => {
    const r = await k.run(admin, ["get", "secrets", "-n", "default"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+TYPE\s+DATA\s+AGE\ndefault-us-icr-io\s+kubernetes\.io\/dockerconfigjson\s+1\s+\d+s\n$/);
  });

  it("copies a secret with the seed's get -o yaml | sed | create -f - pipeline", async () => {
    const r = await k.bash(admin, `kubectl get secret default-us-icr-io -o yaml | sed 's/default/${ns}/g' | kubectl -n ${ns} create -f -`);
    expect(r.stderr).toBe("");
    expect(r).toMatchObject({ code: 0, stdout: `secret/${ns}-us-icr-io created\n` });
    const copy = JSON.parse((await k.run(admin, ["get", "secret", `${ns}-us-icr-io`, "-n", ns, "-o", "json"])).stdout);
    expect(copy.type).toBe("kubernetes.io/dockerconfigjson");
    expect(copy.data[".dockerconfigjson"]).toBe(dockerConfig("us.icr.io"));
    expect(copy.metadata.namespace).toBe(ns);
  });

  it("creates a docker-registry secret with kubectl create secret docker-registry", async () => {
    const r = await k.run(admin, ["create", "secret", "docker-registry", `${ns}-de-icr-io`, "--docker-server=de.icr.io", "--docker-username=iamapikey", `--docker-password=${apiKey}`, "--docker-email=a@b.c", "-n", ns]);
    expect(r).toMatchObject({ code: 0, stdout: `secret/${ns}-de-icr-io created\n` });
    const s = JSON.parse((await k.run(admin, ["get", "secret", `${ns}-de-icr-io`, "-n", ns, "-o", "json"])).stdout);
    const cfg = JSON.parse(Buffer.from(s.data[".dockerconfigjson"], "base64").toString());
    expect(cfg.auths["de.icr.io"]).toMatchObject({ username: "iamapikey", password: apiKey, email: "a@b.c" });
  });

  it("creates a deployment whose pods the service account admission would cover", async () => {
    const r = await k.run(admin, ["create", "deployment", "web", "--image=us.icr.io/team/web:1.2", "--replicas=2", "-n", ns]);
    expect(r).toMatchObject({ code: 0, stdout: "deployment.apps/web created\n" });
    const wide = await k.run(admin, ["get", "deploy", "-n", ns, "-o", "wide"]);
    expect(wide.stdout).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\nweb\s+0\/2\s+0\s+0\s+\d+s\s+web\s+us\.icr\.io\/team\/web:1\.2\s+app=web\n$/);
  });

  it("lists secrets across namespaces with a NAMESPACE column and selectors", async () => {
    const r = await k.run(admin, ["get", "secrets", "-A", "--field-selector", "type=kubernetes.io/dockerconfigjson"]);
    expect(r.stdout.split("\n")[0]).toMatch(/^NAMESPACE\s+NAME\s+TYPE\s+DATA\s+AGE$/);
    expect(r.stdout).toMatch(/\ndangling\s+present\s+kubernetes\.io\/dockerconfigjson\s+1\s+/);
    const bad = await k.run(admin, ["get", "secrets", "-A", "--field-selector", "spec.bogus=1"]);
    expect(bad.stderr.trim()).toBe('Error from server (BadRequest): Unable to find "/v1, Resource=secrets" that match label selector "", field selector "spec.bogus=1": field label not supported: spec.bogus');
    const labelled = await k.run(admin, ["get", "ns", "-l", "team=web", "-o", "name"]);
    expect(labelled.stdout).toBe("namespace/dangling\n");
  });

  it("describes a service account with a dangling image pull secret", async () => {
    const r = await k.run(admin, ["describe", "serviceaccount", "default", "-n", "dangling"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Image pull secrets:  present\n                     missing (not found)\n");
    expect(r.stdout).toMatch(/^Name:\s+default\nNamespace:\s+dangling\n/);
  });

  it("fails a JSON-patch append when imagePullSecrets is absent, replaces with SMP, then appends", async () => {
    const append = (name: string) => ["patch", "-n", ns, "serviceaccount/default", "--type=json", `-p=[{"op":"add","path":"/imagePullSecrets/-","value":{"name":"${name}"}}]`];
    const failed = await k.run(admin, append("y"));
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim()).toBe("The request is invalid: the server rejected our request due to an error in our request");

    const smp = await k.run(admin, ["patch", "-n", ns, "serviceaccount/default", "-p", '{"imagePullSecrets":[{"name": "x"}]}']);
    expect(smp).toMatchObject({ code: 0, stdout: "serviceaccount/default patched\n" });
    const same = await k.run(admin, ["patch", "-n", ns, "serviceaccount/default", "-p", '{"imagePullSecrets":[{"name": "x"}]}']);
    expect(same.stdout).toBe("serviceaccount/default patched (no change)\n");

    const appended = await k.run(admin, append(`${ns}-us-icr-io`));
    expect(appended).toMatchObject({ code: 0, stdout: "serviceaccount/default patched\n" });
    const names = await k.run(admin, ["get", "sa", "default", "-n", ns, "-o", "jsonpath={.imagePullSecrets[*].name}"]);
    expect(names.stdout).toBe(`x ${ns}-us-icr-io`);

    const replaced = await k.run(admin, ["patch", "-n", ns, "serviceaccount/default", "-p", '{"imagePullSecrets":[{"name": "only"}]}']);
    expect(replaced.code).toBe(0);
    expect((await k.run(admin, ["get", "sa", "default", "-n", ns, "-o", "jsonpath={.imagePullSecrets[*].name}"])).stdout).toBe("only");
  });

  it("rejects an invalid .dockerconfigjson with the server's Invalid message", async () => {
    const manifest = JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "broken" }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": Buffer.from("not json").toString("base64") } });
    const r = await k.run(admin, ["create", "-n", ns, "-f", "-"], manifest);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`The Secret "broken" is invalid: data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character 'o' in literal null (expecting 'u')`);
  });

  it("rejects unknown fields under fieldValidation=Strict", async () => {
    const manifest = JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "strict" }, type: "Opaque", bogus: true });
    const r = await k.run(admin, ["create", "-n", ns, "-f", "-"], manifest);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('Error from server (BadRequest): error when creating "STDIN": Secret in version "v1" cannot be handled as a Secret: strict decoding error: unknown field "bogus"');
  });

  it("refuses a replace that carries a stale resourceVersion with Conflict, as a real API server does", async () => {
    const read = (await k.run(admin, ["get", "serviceaccount", "default", "-n", "team-a-dev", "-o", "json"])).stdout;
    const first = JSON.parse(read);
    const bumped = await k.run(admin, ["replace", "-f", "-"], JSON.stringify({ ...first, metadata: { ...first.metadata, labels: { replaced: "once" } } }));
    expect(bumped).toMatchObject({ code: 0, stdout: "serviceaccount/default replaced\n" });
    const stale = await k.run(admin, ["replace", "-f", "-"], JSON.stringify({ ...first, imagePullSecrets: [{ name: "lost-update" }] }));
    expect(stale.code).toBe(1);
    expect(stale.stderr.trim()).toBe(
      'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on serviceaccounts "default": the object has been modified; please apply your changes to the latest version and try again',
    );
    const after = JSON.parse((await k.run(admin, ["get", "serviceaccount", "default", "-n", "team-a-dev", "-o", "json"])).stdout);
    expect(after.metadata.labels).toEqual({ replaced: "once" });
    expect(after.imagePullSecrets).toBeUndefined();
  });

  it("answers auth can-i from the simulated rules", async () => {
    expect(await k.run(admin, ["auth", "can-i", "list", "secrets", "--all-namespaces"])).toMatchObject({ code: 0, stdout: "yes\n" });
    const teamA = k.writeKubeconfig("team-a", sim.kubeconfig({ user: "team-a" }));
    expect(await k.run(teamA, ["auth", "can-i", "list", "secrets", "--all-namespaces"])).toMatchObject({ code: 1, stdout: "no\n" });
    expect(await k.run(teamA, ["auth", "can-i", "patch", "serviceaccounts", "-n", "team-a-dev"])).toMatchObject({ code: 0, stdout: "yes\n" });
  });

  it("forbids team-a from listing secrets cluster-wide", async () => {
    const teamA = k.writeKubeconfig("team-a", sim.kubeconfig({ user: "team-a" }));
    const r = await k.run(teamA, ["get", "secrets", "-A"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('Error from server (Forbidden): secrets is forbidden: User "team-a" cannot list resource "secrets" in API group "" at the cluster scope');
    expect((await k.run(teamA, ["get", "secrets", "-n", "team-a-dev"])).stderr.trim()).toBe("No resources found in team-a-dev namespace.");
  });

  it("rejects a bad token with Unauthorized", async () => {
    const bad = k.writeKubeconfig("bad", sim.kubeconfig().replace(/token: ".*"/, 'token: "not-a-valid-token"'));
    const r = await k.run(bad, ["get", "namespaces"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("error: You must be logged in to the server (Unauthorized)");
  });

  it("deletes a namespace promptly and everything in it", async () => {
    const started = Date.now();
    const r = await k.run(admin, ["delete", "namespace", ns]);
    expect(r).toMatchObject({ code: 0, stdout: `namespace "${ns}" deleted\n` });
    expect(Date.now() - started).toBeLessThan(10_000);
    const gone = await k.run(admin, ["get", "namespace", ns]);
    expect(gone.stderr.trim()).toBe(`Error from server (NotFound): namespaces "${ns}" not found`);
    expect((await k.run(admin, ["get", "secrets", "-n", ns])).stderr.trim()).toBe(`No resources found in ${ns} namespace.`);
    const immortal = await k.run(admin, ["delete", "namespace", "default"]);
    expect(immortal.stderr.trim()).toBe('Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted');
  });
});
