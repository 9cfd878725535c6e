import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { inClusterOptions, kubeconfigFiles } from "./kube-sources";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-sources-"));

describe("where clusters come from", () => {
  it("merges KUBECONFIG first, then each file of a mounted Secret directory by name, skipping Kubernetes' ..data links", () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "prod-us.yaml"), "");
    fs.writeFileSync(path.join(dir, "prod-eu.yaml"), "");
    fs.mkdirSync(path.join(dir, "..2026_01_01"));
    fs.symlinkSync("..2026_01_01", path.join(dir, "..data"));
    const settings = parseEnv({ KUBECONFIG: "/a:/b", PULLKEEPER_KUBECONFIG_DIR: dir });
    expect(kubeconfigFiles(settings)).toEqual(["/a", "/b", path.join(dir, "prod-eu.yaml"), path.join(dir, "prod-us.yaml")]);
    expect(kubeconfigFiles(parseEnv({ PULLKEEPER_KUBECONFIG_DIR: path.join(dir, "missing") }))).toEqual([]);
  });

  it("adds the pod's own cluster in a pod with a mounted token, under the configured name", () => {
    const dir = tmp();
    const base = { KUBERNETES_SERVICE_HOST: "172.21.0.1", PULLKEEPER_SERVICE_ACCOUNT_DIR: dir };
    expect(inClusterOptions(parseEnv(base))).toBeUndefined();
    fs.writeFileSync(path.join(dir, "token"), "t");
    expect(inClusterOptions(parseEnv({ ...base, PULLKEEPER_IN_CLUSTER_NAME: "iks-prod" }))).toEqual({ name: "iks-prod", host: "172.21.0.1", port: 443, serviceAccountDir: dir });
    expect(inClusterOptions(parseEnv({ ...base, PULLKEEPER_IN_CLUSTER: "false" }))).toBeUndefined();
    expect(inClusterOptions(parseEnv({ PULLKEEPER_SERVICE_ACCOUNT_DIR: dir }))).toBeUndefined();
    // Asked for outside a pod: the missing host becomes a problem the settings page shows.
    expect(inClusterOptions(parseEnv({ PULLKEEPER_IN_CLUSTER: "true", PULLKEEPER_SERVICE_ACCOUNT_DIR: dir }))?.host).toBe("");
  });

  it("rejects settings that cannot work, naming them", () => {
    expect(() => parseEnv({ PULLKEEPER_IN_CLUSTER_NAME: "Prod Cluster" })).toThrow(/PULLKEEPER_IN_CLUSTER_NAME: expected a name/);
    expect(() => parseEnv({ PULLKEEPER_MIGRATE: "never" })).toThrow(/PULLKEEPER_MIGRATE: expected true or false/);
    expect(() => parseEnv({ PULLKEEPER_SHUTDOWN_TIMEOUT_SECONDS: "-1" })).toThrow(/PULLKEEPER_SHUTDOWN_TIMEOUT_SECONDS/);
    expect(() => parseEnv({ KUBERNETES_SERVICE_PORT: "99999" })).toThrow(/KUBERNETES_SERVICE_PORT/);
    expect(parseEnv({ PULLKEEPER_MIGRATE: "false" }).PULLKEEPER_MIGRATE).toBe(false);
    expect(parseEnv({}).PULLKEEPER_MIGRATE).toBe(true);
  });
});
