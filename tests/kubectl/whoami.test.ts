import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeSim, type KubeSim } from "@/sim/kube";
import { KubectlHarness } from "./support";

/** `kubectl auth whoami` (SelfSubjectReview) with real kubectl against a 1.30 and a 1.27 simulated server. */

let sim: KubeSim;
let old: KubeSim;
beforeAll(async () => {
  [sim, old] = await Promise.all([
    startKubeSim({ name: "whoami" }),
    startKubeSim({ name: "whoami-127", serverVersion: { major: "1", minor: "27", gitVersion: "v1.27.16" } }),
  ]);
});
afterAll(async () => Promise.all([sim?.close(), old?.close()]));

describe.each(["1.28", "1.33"])("kubectl %s auth whoami", (version) => {
  let k: KubectlHarness;
  let admin: string;
  beforeAll(() => {
    k = new KubectlHarness(version);
    admin = k.writeKubeconfig("admin", sim.kubeconfig({ user: "admin" }));
  });
  afterAll(() => k?.cleanup());

  it("prints the user and groups the server authenticated", async () => {
    const res = await k.run(admin, ["auth", "whoami"]);
    expect(res, res.stderr).toMatchObject({ code: 0, stdout: "ATTRIBUTE   VALUE\nUsername    admin\nGroups      [system:authenticated]\n" });
  });

  it("prints the SelfSubjectReview as JSON", async () => {
    const res = await k.run(admin, ["auth", "whoami", "-o", "json"]);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({
      kind: "SelfSubjectReview",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { creationTimestamp: expect.stringMatching(/Z$/) },
      status: { userInfo: { username: "admin", groups: ["system:authenticated"] } },
    });
  });

  it("shows the impersonated service account", async () => {
    const res = await k.run(admin, ["auth", "whoami", "--as", "system:serviceaccount:default:scanner"]);
    expect(res, res.stderr).toMatchObject({
      code: 0,
      stdout: "ATTRIBUTE   VALUE\nUsername    system:serviceaccount:default:scanner\nGroups      [system:serviceaccounts system:serviceaccounts:default system:authenticated]\n",
    });
  });

  it("is Unauthorized with a token the server does not know", async () => {
    const res = await k.run(admin, ["--token", "not-a-token", "auth", "whoami"]);
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe("error: You must be logged in to the server (Unauthorized)");
  });

  it("falls back to v1beta1 on a 1.27 server", async () => {
    const file = k.writeKubeconfig("old", old.kubeconfig({ user: "viewer" }));
    const res = await k.run(file, ["auth", "whoami", "-o", "jsonpath={.apiVersion} {.status.userInfo.username}"]);
    expect(res, res.stderr).toMatchObject({ code: 0, stdout: "authentication.k8s.io/v1beta1 viewer" });
  });
});
