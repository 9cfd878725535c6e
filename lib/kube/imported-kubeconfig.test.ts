import { describe, expect, it } from "vitest";
import { inspectImportedKubeconfig } from "./imported-kubeconfig";

const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

function kubeconfig(user: string, cluster = `    certificate-authority-data: ${Buffer.from(CA).toString("base64")}`): string {
  return ["apiVersion: v1", "kind: Config", "clusters:", "- name: c", "  cluster:", "    server: https://c100.us-south.containers.cloud.ibm.com:30426", cluster, "users:", "- name: u", "  user:", user, "contexts:", "- name: ctx", "  context: {cluster: c, user: u}", "current-context: ctx", ""].join("\n");
}

describe("inspectImportedKubeconfig", () => {
  it("takes server and CA from an IKS kubeconfig whose CA file ships beside it", () => {
    const text = kubeconfig("    auth-provider:\n      name: oidc\n      config: {id-token: x, refresh-token: y}", "    certificate-authority: ca-dal10-legacy.pem");
    expect(inspectImportedKubeconfig(text, { "ca-dal10-legacy.pem": CA })).toEqual({ ok: true, contextName: "ctx", clusterName: "c", server: "https://c100.us-south.containers.cloud.ibm.com:30426", caPem: CA, insecureSkipTlsVerify: false, authentication: "oidc" });
  });

  it("refuses an exec plugin, naming the program and why", () => {
    const result = inspectImportedKubeconfig(kubeconfig("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ibmcloud\n      args: [ks, cluster, config]"));
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('runs the program "ibmcloud"') });
    expect(result.ok ? "" : result.reason).toContain("the server will not run a user's programs");
  });

  it("refuses files from disk: a CA path, a client key, a token file", () => {
    expect(inspectImportedKubeconfig(kubeconfig("    token: abc", "    certificate-authority: /etc/kubernetes/ca.pem"))).toEqual({ ok: false, reason: expect.stringContaining('reads the file "/etc/kubernetes/ca.pem"') });
    expect(inspectImportedKubeconfig(kubeconfig("    client-certificate: /home/a/admin.pem\n    client-key: /home/a/admin-key.pem"))).toEqual({ ok: false, reason: expect.stringContaining('"/home/a/admin.pem"') });
    expect(inspectImportedKubeconfig(kubeconfig("    token-file: /var/run/secrets/token"))).toEqual({ ok: false, reason: expect.stringContaining('"/var/run/secrets/token"') });
  });

  it("refuses auth providers that run their own login, and unusable documents", () => {
    expect(inspectImportedKubeconfig(kubeconfig("    auth-provider:\n      name: gcp"))).toEqual({ ok: false, reason: expect.stringContaining('"gcp" auth provider') });
    expect(inspectImportedKubeconfig("::: not yaml :::\n  - [")).toMatchObject({ ok: false });
    expect(inspectImportedKubeconfig(kubeconfig("    token: abc").replace("https://c100.us-south.containers.cloud.ibm.com:30426", "ftp://x"))).toEqual({ ok: false, reason: expect.stringContaining("no valid https server URL") });
  });

  it("accepts a token user and reports it", () => {
    expect(inspectImportedKubeconfig(kubeconfig("    token: abc"))).toMatchObject({ ok: true, authentication: "token", caPem: CA });
  });
});
