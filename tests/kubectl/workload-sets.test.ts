import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeSim, type KubeSim } from "@/sim/kube";
import { KubectlHarness } from "./support";

/**
 * StatefulSets and DaemonSets as real kubectl sees them: create from a
 * manifest, the `get` tables, `describe`, `rollout restart` and
 * `rollout status` until the simulated controllers report the rollout done.
 */

const manifest = (kind: "StatefulSet" | "DaemonSet", name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: "apps/v1",
    kind,
    metadata: { name },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: "nginx:1.27" }] } }, ...extra },
  });

async function poll(fn: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(["1.27", "1.33"])("kubectl %s: StatefulSets and DaemonSets", (version) => {
  let sim: KubeSim;
  let k: KubectlHarness;
  let admin: string;
  const run = (...args: string[]) => k.run(admin, args);

  beforeAll(async () => {
    sim = await startKubeSim({ name: `sets-${version}`, kubelet: { nodes: ["10.0.0.1", "10.0.0.2"] } });
    k = new KubectlHarness(version);
    admin = k.writeKubeconfig("admin", sim.kubeconfig());
  });
  afterAll(async () => {
    await sim?.close();
    k?.cleanup();
  });

  it("creates a StatefulSet, shows it, restarts it in reverse order and reports the rollout complete", async () => {
    expect(await k.run(admin, ["create", "-f", "-"], manifest("StatefulSet", "web", { replicas: 2, serviceName: "web" }))).toMatchObject({ code: 0, stdout: "statefulset.apps/web created\n" });
    await poll(async () => /^web\s+2\/2\s+\d+s$/m.test((await run("get", "statefulsets")).stdout), "web 2/2");
    expect((await run("get", "sts", "-o", "wide")).stdout).toMatch(/^NAME\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\nweb\s+2\/2\s+\d+s\s+web\s+nginx:1\.27\n$/);
    const pods = (await run("get", "pods", "-l", "app=web", "-o", "name")).stdout;
    expect(pods).toBe("pod/web-0\npod/web-1\n");
    const describe = await run("describe", "statefulset", "web");
    expect(describe.code).toBe(0);
    expect(describe.stdout).toMatch(/Replicas:\s+2 desired \| 2 total/);
    expect(describe.stdout).toMatch(/Update Strategy:\s+RollingUpdate/);
    expect(describe.stdout).toMatch(/Pods Status:\s+2 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed/);
    expect(describe.stdout).toMatch(/Normal\s+SuccessfulCreate\s+.*statefulset-controller\s+create Pod web-1 in StatefulSet web successful/);
    expect((await run("describe", "pod", "web-1")).stdout).toMatch(/Controlled By:\s+StatefulSet\/web/);

    const uids = (await run("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.uid}")).stdout;
    expect(await run("rollout", "restart", "statefulset/web")).toMatchObject({ code: 0, stdout: "statefulset.apps/web restarted\n" });
    const status = await run("rollout", "status", "statefulset/web", "--timeout=30s");
    expect(status.code).toBe(0);
    // The API server defaults rollingUpdate.partition to 0, so kubectl takes its partitioned branch, as on a real cluster.
    expect(status.stdout).toMatch(/partitioned roll out complete: 2 new pods have been updated\.\.\.\n$/);
    const after = (await run("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.uid}")).stdout.split(" ");
    expect(after.filter((uid) => uids.includes(uid))).toEqual([]);
    const revision = (await run("get", "sts", "web", "-o", "jsonpath={.status.currentRevision} {.status.updateRevision}")).stdout.split(" ");
    expect(revision[0]).toBe(revision[1]);
  });

  it("creates a DaemonSet with one pod per node, restarts it and reports it rolled out", async () => {
    expect(await k.run(admin, ["create", "-f", "-"], manifest("DaemonSet", "agent"))).toMatchObject({ code: 0, stdout: "daemonset.apps/agent created\n" });
    await poll(async () => /^agent\s+2\s+2\s+2\s+2\s+2\s+<none>\s+\d+s$/m.test((await run("get", "daemonsets")).stdout), "agent ready on both nodes");
    expect((await run("get", "ds")).stdout).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\n/);
    const wide = (await run("get", "pods", "-l", "app=agent", "-o", "wide")).stdout;
    expect(wide).toMatch(/^agent-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+\d+s\s+\S+\s+10\.0\.0\.1\s/m);
    expect(wide).toMatch(/^agent-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+\d+s\s+\S+\s+10\.0\.0\.2\s/m);
    expect((await run("describe", "daemonset", "agent")).stdout).toMatch(/Desired Number of Nodes Scheduled: 2\nCurrent Number of Nodes Scheduled: 2\nNumber of Nodes Scheduled with Up-to-date Pods: 2\nNumber of Nodes Scheduled with Available Pods: 2\nNumber of Nodes Misscheduled: 0\nPods Status:\s+2 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed/);

    expect(await run("rollout", "restart", "daemonset/agent")).toMatchObject({ code: 0, stdout: "daemonset.apps/agent restarted\n" });
    const status = await run("rollout", "status", "daemonset/agent", "--timeout=30s");
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/daemon set "agent" successfully rolled out\n$/);
    expect((await run("get", "ds", "agent", "-o", "jsonpath={.status.observedGeneration} {.status.updatedNumberScheduled} {.status.numberAvailable}")).stdout).toBe("2 2 2");
  });
});
