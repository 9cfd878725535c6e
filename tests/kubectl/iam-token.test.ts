import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CLUSTER_ACCESS_SERVICE_ID } from "@/sim/demo-credentials";
import { startDemoFleet, type DemoFleet } from "@/sim/fleet";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";
import { KubectlHarness } from "./support";

/**
 * Real kubectl against an IKS-like master (sim/kube with IAM as its OIDC issuer): the IAM token
 * works once the Kubernetes Service has synced the key's role, and an expired one gets kubectl's
 * own "You must be logged in to the server (Unauthorized)", as from a real API server.
 */

let ibm: IbmCloudSim;
let fleet: DemoFleet;
let k: KubectlHarness;

async function iamToken(): Promise<{ access: string; refresh: string }> {
  const res = await fetch(`${ibm.url}/identity/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Basic ${Buffer.from("bx:bx").toString("base64")}` },
    body: new URLSearchParams({ grant_type: "urn:ibm:params:oauth:grant-type:apikey", apikey: DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey }),
  });
  const body = (await res.json()) as { access_token: string; refresh_token: string };
  return { access: body.access_token, refresh: body.refresh_token };
}

beforeAll(async () => {
  ibm = await startIbmCloudSim({ tokenTtlSeconds: 10 });
  fleet = await startDemoFleet({ clusters: ["modern"], iamIssuerUrl: ibm.iamIssuerUrl });
  ibm.setClusters(fleet.ibmClusters());
  k = new KubectlHarness("1.31");
});

afterAll(async () => {
  k?.cleanup();
  await fleet?.close();
  await ibm?.close();
});

describe("kubectl 1.31 with an IAM token", () => {
  it("is allowed after applyRBACAndGetKubeconfig and refused with Unauthorized once the token expired", async () => {
    const { access, refresh } = await iamToken();
    // The JSON kubeconfig (no `format`), as the captured API flow uses it: server + CA + the user's IAM id-token.
    const res = await fetch(`${ibm.url}/global/v2/applyRBACAndGetKubeconfig`, {
      method: "POST",
      headers: { Authorization: `Bearer ${access}`, "X-Auth-Refresh-Token": refresh, "Content-Type": "application/json" },
      body: JSON.stringify({ cluster: "modern" }),
    });
    expect(res.status).toBe(200);
    const config = (await res.json()) as { clusters: Array<{ cluster: { server: string; "certificate-authority-data": string } }> };
    const cluster = config.clusters[0]!.cluster;
    const file = k.writeKubeconfig(
      "iam",
      ["apiVersion: v1", "kind: Config", "clusters:", "- name: modern", "  cluster:", `    server: ${cluster.server}`, `    certificate-authority-data: ${cluster["certificate-authority-data"]}`, "users:", "- name: iam", "  user: {}", "contexts:", "- name: modern", "  context: {cluster: modern, user: iam}", "current-context: modern", ""].join("\n"),
    );
    const ok = await k.run(file, ["--token", access, "get", "namespace", "team-a-dev", "-o", "name"]);
    expect(ok, ok.stderr).toMatchObject({ code: 0, stdout: "namespace/team-a-dev\n" });
    // The identity IKS gives a service ID's token: IAM#<iam_id>.
    const iamId = (JSON.parse(Buffer.from(access.split(".")[1]!, "base64url").toString("utf8")) as { iam_id: string }).iam_id;
    expect(iamId).toMatch(/^iam-ServiceId-/);
    const whoami = await k.run(file, ["--token", access, "auth", "whoami"]);
    expect(whoami, whoami.stderr).toMatchObject({ code: 0, stdout: `ATTRIBUTE   VALUE\nUsername    IAM#${iamId}\nGroups      [system:authenticated]\n` });
    await new Promise((r) => setTimeout(r, 10_300));
    const expired = await k.run(file, ["--token", access, "get", "namespaces"]);
    expect(expired.code).toBe(1);
    expect(expired.stderr.trim()).toBe("error: You must be logged in to the server (Unauthorized)");
  });
});
