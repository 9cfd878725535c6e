import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadInCluster, loadKubeconfigs } from "./kubeconfig";

function serviceAccountDir(token: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-sa-"));
  fs.writeFileSync(path.join(dir, "token"), token);
  fs.writeFileSync(path.join(dir, "ca.crt"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  fs.writeFileSync(path.join(dir, "namespace"), "pullkeeper\n");
  return dir;
}

async function bearer(kc: import("@kubernetes/client-node").KubeConfig): Promise<string | undefined> {
  const opts: { headers: Record<string, string> } = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  return opts.headers.Authorization;
}

describe("in-cluster configuration", () => {
  afterEach(() => vi.useRealTimers());

  it("is one cluster under the configured name, with the pod's namespace and API server", () => {
    const dir = serviceAccountDir("token-a");
    const loaded = loadKubeconfigs({ paths: [], inCluster: { name: "iks-prod", host: "172.21.0.1", port: 443, serviceAccountDir: dir } });
    expect(loaded.problems).toEqual([]);
    expect(loaded.contexts.map((c) => c.info)).toEqual([
      { name: "iks-prod", clusterEntry: "iks-prod", server: "https://172.21.0.1:443", user: "service-account", namespace: "pullkeeper", sourceFile: null },
    ]);
  });

  it("re-reads a projected token after the kubelet rotates it", async () => {
    vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") });
    const dir = serviceAccountDir("token-a");
    const loaded = loadInCluster({ name: "in-cluster", host: "fd00::1", port: 6443, serviceAccountDir: dir });
    if ("problem" in loaded) throw new Error(loaded.problem);
    expect(loaded.info.server).toBe("https://[fd00::1]:6443");
    expect(await bearer(loaded.kc)).toBe("Bearer token-a");
    fs.writeFileSync(path.join(dir, "token"), "token-b");
    vi.setSystemTime(new Date("2026-01-01T00:00:11Z"));
    expect(await bearer(loaded.kc)).toBe("Bearer token-b");
  });

  it("keeps each cluster's token file apart (client-node's own tokenFile support shares one cache)", async () => {
    const first = loadInCluster({ name: "one", host: "10.0.0.1", port: 443, serviceAccountDir: serviceAccountDir("token-one") });
    const second = loadInCluster({ name: "two", host: "10.0.0.2", port: 443, serviceAccountDir: serviceAccountDir("token-two") });
    if ("problem" in first || "problem" in second) throw new Error("not loaded");
    expect(await bearer(first.kc)).toBe("Bearer token-one");
    expect(await bearer(second.kc)).toBe("Bearer token-two");
  });

  it("names the missing file or setting instead of failing later", () => {
    const dir = serviceAccountDir("token-a");
    fs.rmSync(path.join(dir, "token"));
    expect(loadInCluster({ name: "in-cluster", host: "10.0.0.1", port: 443, serviceAccountDir: dir })).toEqual({ problem: expect.stringContaining(`${dir}/token does not exist`) });
    expect(loadInCluster({ name: "in-cluster", host: "", port: 443, serviceAccountDir: dir })).toEqual({ problem: expect.stringContaining("KUBERNETES_SERVICE_HOST is not set") });
  });

  it("refuses a name a kubeconfig context already uses", () => {
    const dir = serviceAccountDir("token-a");
    const file = path.join(dir, "kubeconfig");
    fs.writeFileSync(file, "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: https://1.2.3.4}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: in-cluster\n  context: {cluster: c, user: u}\n");
    const loaded = loadKubeconfigs({ paths: [file], inCluster: { name: "in-cluster", host: "10.0.0.1", port: 443, serviceAccountDir: dir } });
    expect(loaded.contexts.map((c) => c.info.name)).toEqual(["in-cluster"]);
    expect(loaded.contexts[0]!.info.sourceFile).toBe(file);
    expect(loaded.problems).toEqual([expect.stringContaining("PULLKEEPER_IN_CLUSTER_NAME")]);
  });
});
