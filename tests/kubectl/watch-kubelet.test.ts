import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeSim, type KubeSim } from "@/sim/kube";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";
import { DEMO_CLUSTER_SERVICE_IDS } from "@/sim/demo-credentials";
import { KUBECTL_DIR, KubectlHarness, kubectlPath } from "./support";

/**
 * Watches, the watch faults and the simulated kubelet as real kubectl sees
 * them: `get -w` output, a stalled stream, an expired resume, the STATUS
 * column of failing and running pods, `describe` Events and `rollout restart`.
 */

const apiKey = DEMO_CLUSTER_SERVICE_IDS.regional.apiKey;
const dockerConfig = Buffer.from(JSON.stringify({ auths: { "us.icr.io": { username: "iamapikey", password: apiKey } } })).toString("base64");

/** A long-running `kubectl get -w` whose output can be awaited line by line. */
class Watcher {
  private out = "";
  readonly child: ChildProcessWithoutNullStreams;
  constructor(k: KubectlHarness, kubeconfig: string, args: string[]) {
    this.child = spawn(kubectlPath(k.version), args, { env: { PATH: `${KUBECTL_DIR}:/usr/bin:/bin`, HOME: k.dir, KUBECONFIG: kubeconfig } as unknown as NodeJS.ProcessEnv });
    this.child.stdout.on("data", (c: Buffer) => (this.out += c.toString()));
    this.child.stderr.on("data", (c: Buffer) => (this.out += c.toString()));
  }
  get output() {
    return this.out;
  }
  async waitFor(re: RegExp, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!re.test(this.out)) {
      if (Date.now() > deadline) throw new Error(`no ${re} in kubectl output:\n${this.out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  exited(): Promise<number> {
    return new Promise((resolve) => (this.child.exitCode !== null ? resolve(this.child.exitCode) : this.child.on("exit", (code) => resolve(code ?? 1))));
  }
  stop() {
    if (this.child.exitCode === null) this.child.kill();
  }
}

describe.each(["1.27", "1.33"])("kubectl %s: watches and the simulated kubelet", (version) => {
  let ibm: IbmCloudSim;
  let sim: KubeSim;
  let k: KubectlHarness;
  let admin: string;
  const run = (...args: string[]) => k.run(admin, args);

  beforeAll(async () => {
    ibm = await startIbmCloudSim({ port: 0, seed: true });
    sim = await startKubeSim({
      name: `watch-${version}`,
      watchBookmarkIntervalMs: 100,
      kubelet: { registryUrlTemplate: ibm.registryUrlTemplate, backOffInitialMs: 300, backOffMaxMs: 600 },
    });
    k = new KubectlHarness(version);
    admin = k.writeKubeconfig("admin", sim.kubeconfig());
  });
  afterAll(async () => {
    await sim?.close();
    await ibm?.close();
    k?.cleanup();
  });

  it("streams new namespaces to get -w --watch-only, and a stalled watch stays open and silent", async () => {
    const watchesBefore = sim.stats().byKey["watch namespaces"] ?? 0;
    const w = new Watcher(k, admin, ["get", "namespaces", "--watch-only", "-o", "name"]);
    try {
      // After discovery and the initial list, kubectl opens its watch: a namespace created from then on must show.
      const deadline = Date.now() + 20_000;
      while ((sim.stats().byKey["watch namespaces"] ?? 0) === watchesBefore) {
        if (Date.now() > deadline) throw new Error(`kubectl never opened its watch:\n${w.output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await run("create", "namespace", `seen-${version.replace(".", "")}`)).code).toBe(0);
      await w.waitFor(new RegExp(`namespace/seen-${version.replace(".", "")}`));
      sim.setFaults({ stallWatches: true });
      expect((await run("create", "namespace", `unseen-${version.replace(".", "")}`)).code).toBe(0);
      await new Promise((r) => setTimeout(r, 500));
      expect(w.output).not.toMatch(/unseen/);
      expect(w.child.exitCode).toBeNull();
    } finally {
      w.stop();
      sim.setFaults({});
    }
  });

  it("ends get -w with the server's Expired error when the watch cannot start at the listed version", async () => {
    sim.setFaults({ watchResumeExpired: true });
    try {
      const w = new Watcher(k, admin, ["get", "namespaces", "-w"]);
      // kubectl prints the ERROR event's Status as a table row and ends the watch.
      expect(await w.exited()).toBe(0);
      expect(w.output).toMatch(/^NAME\s+STATUS\s+AGE\ndefault\s+Active\s+\d+s\n/);
      expect(w.output).toMatch(/^STATUS\s+REASON\s+MESSAGE\nFailure\s+Expired\s+too old resource version: (\d+) \((\d+)\)$/m);
    } finally {
      sim.setFaults({});
    }
  });

  it("shows ErrImagePull/ImagePullBackOff, describe Events, and Running after a fix and rollout restart", async () => {
    const ns = `shop-${version.replace(".", "")}`;
    expect((await run("create", "namespace", ns)).code).toBe(0);
    expect((await run("-n", ns, "create", "deployment", "web", "--image=us.icr.io/team/web:1", "--replicas=2")).code).toBe(0);
    let table = "";
    for (let i = 0; i < 100 && !/ImagePullBackOff|ErrImagePull/.test(table); i++) {
      table = (await run("-n", ns, "get", "pods")).stdout;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(table).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    expect(table).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5}\s+0\/1\s+(ErrImagePull|ImagePullBackOff)\s+0\s+\d+s$/m);
    const podName = table.split("\n")[1]!.split(/\s+/)[0]!;
    const describe = await run("-n", ns, "describe", "pod", podName);
    expect(describe.code).toBe(0);
    expect(describe.stdout).toMatch(/Status:\s+Pending/);
    expect(describe.stdout).toMatch(/Controlled By:\s+ReplicaSet\/web-/);
    expect(describe.stdout).toContain("unexpected status from HEAD request to https://us.icr.io/v2/team/web/manifests/1: 401 Unauthorized");
    expect(describe.stdout).toMatch(/Warning\s+Failed\s+.*kubelet\s+Error: (ErrImagePull|ImagePullBackOff)/);

    const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "icr", namespace: ns }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": dockerConfig } };
    expect((await k.run(admin, ["create", "-f", "-"], JSON.stringify(secret))).code).toBe(0);
    expect((await run("-n", ns, "patch", "serviceaccount", "default", "-p", '{"imagePullSecrets":[{"name":"icr"}]}')).code).toBe(0);
    const restart = await run("-n", ns, "rollout", "restart", "deployment/web");
    expect(restart).toMatchObject({ code: 0, stdout: "deployment.apps/web restarted\n" });
    for (let i = 0; i < 100 && !/^web-\S+\s+1\/1\s+Running\s+0\s+\d+s\n\S+\s+1\/1\s+Running/m.test(table); i++) {
      table = (await run("-n", ns, "get", "pods")).stdout;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(table.trim().split("\n").slice(1)).toHaveLength(2);
    expect(table).toMatch(/^web-\S+\s+1\/1\s+Running\s+0\s+\d+s$/m);
    expect(table).not.toContain(podName);
    const deploy = await run("-n", ns, "get", "deployment", "web");
    expect(deploy.stdout).toMatch(/^web\s+2\/2\s+2\s+2\s+\d+s$/m);
    expect(await run("-n", ns, "rollout", "status", "deployment/web", "--timeout=20s")).toMatchObject({ code: 0, stdout: 'deployment "web" successfully rolled out\n' });
    const events = await run("-n", ns, "get", "events");
    expect(events.stdout).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n/);
    expect(events.stdout).toMatch(new RegExp(`^\\d+s\\s+Warning\\s+Failed\\s+pod/${podName}\\s+Failed to pull image "us\\.icr\\.io/team/web:1": rpc error`, "m"));
    expect(events.stdout).toMatch(/^\d+s\s+Normal\s+Started\s+pod\/web-\S+\s+Started container web$/m);
  });
});
