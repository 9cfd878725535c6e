import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { createKubernetesServiceClient } from "./client";

const tokens = { accessToken: async () => "access-token-value", refreshToken: async () => "refresh-token-value" };

function clientAnswering(status: number, body: Uint8Array | string, seen: Array<{ url: string; init: RequestInit | undefined }> = []) {
  return createKubernetesServiceClient({
    apiUrl: "https://containers.example/global",
    tagsUrl: "https://tags.example",
    tokens,
    fetch: (async (url: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(url), init });
      return new Response(body as BodyInit, { status, headers: { "Content-Type": typeof body === "string" ? "application/json" : "application/zip" } });
    }) as typeof fetch,
  });
}

const kubeconfig = (user: string) =>
  ["apiVersion: v1", "kind: Config", "clusters:", "- name: prod/c1", "  cluster:", "    server: https://c1.example:30000", "    certificate-authority: ca-dal10-prod.pem", "users:", "- name: u", "  user:", user, "contexts:", "- name: prod/c1", "  context: {cluster: prod/c1, user: u}", "current-context: prod/c1", ""].join("\n");

describe("getClusterAccess", () => {
  it("asks for the ZIP with both tokens and keeps only the server and the CA", async () => {
    const seen: Array<{ url: string; init: RequestInit | undefined }> = [];
    const zip = zipSync({ "kube-config-dal10-prod.yaml": strToU8(kubeconfig("    auth-provider:\n      name: oidc\n      config: {id-token: tok}")), "ca-dal10-prod.pem": strToU8("PEM") });
    const access = await clientAnswering(200, zip, seen).getClusterAccess("prod", { endpoint: "private" });
    expect(access).toEqual({ clusterId: "c1", clusterName: "prod", server: "https://c1.example:30000", caPem: "PEM", authentication: "oidc" });
    expect(seen[0]!.url).toBe("https://containers.example/global/v2/applyRBACAndGetKubeconfig");
    expect(JSON.parse(String(seen[0]!.init?.body))).toEqual({ cluster: "prod", format: "zip", endpointType: "private" });
    expect(seen[0]!.init?.headers).toMatchObject({ Authorization: "Bearer access-token-value", "X-Auth-Refresh-Token": "refresh-token-value" });
  });

  it("refuses a kubeconfig whose user runs an exec plugin, with the reason", async () => {
    const zip = zipSync({ "kube-config-dal10-prod.yaml": strToU8(kubeconfig("    exec:\n      command: ibmcloud\n      args: [ks, cluster, config]")), "ca-dal10-prod.pem": strToU8("PEM") });
    await expect(clientAnswering(200, zip).getClusterAccess("prod")).rejects.toMatchObject({
      kind: "invalid",
      operation: "get_kubeconfig",
      message: expect.stringMatching(/^The kubeconfig IBM Cloud returned for "prod" cannot be used: .*runs the program "ibmcloud".*will not run a user's programs/),
    });
  });

  it("quotes IBM's error description and code, never the tokens", async () => {
    const error = await clientAnswering(403, JSON.stringify({ incidentID: "x", code: "E0035", description: "You do not have the required IAM service access role.", type: "Authorization" }))
      .getClusterAccess("prod")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "forbidden", ibmCode: "E0035", message: "You do not have the required IAM service access role.", status: 403 });
    const e = error as Error;
    expect(JSON.stringify({ ...e, message: e.message, stack: e.stack, cause: e.cause })).not.toMatch(/access-token-value|refresh-token-value/);
  });
});
