import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { readKubeconfigZip } from "./kubeconfig-zip";
import { kubeVersionOf, toIksCluster } from "./mappers";

describe("readKubeconfigZip", () => {
  it("finds the one kubeconfig and keeps the other files by name", () => {
    const zip = zipSync({ "kube-config-dal10-legacy.yaml": strToU8("apiVersion: v1\n"), "ca-dal10-legacy.pem": strToU8("PEM") });
    expect(readKubeconfigZip(zip)).toEqual({ ok: true, kubeconfig: "apiVersion: v1\n", fileName: "kube-config-dal10-legacy.yaml", files: { "ca-dal10-legacy.pem": "PEM" } });
  });

  it("refuses archives that are not a kubeconfig bundle", () => {
    expect(readKubeconfigZip(strToU8("not a zip"))).toEqual({ ok: false, reason: expect.stringContaining("not a valid ZIP") });
    expect(readKubeconfigZip(zipSync({ "ca.pem": strToU8("PEM") }))).toEqual({ ok: false, reason: expect.stringContaining("no kubeconfig") });
    expect(readKubeconfigZip(zipSync({ "a.yaml": strToU8("x"), "b.yml": strToU8("y") }))).toEqual({ ok: false, reason: expect.stringContaining("more than one") });
    expect(readKubeconfigZip(zipSync({ "a.yaml": strToU8("x"), "../../etc/ca.pem": strToU8("y") }))).toEqual({ ok: false, reason: expect.stringContaining("unexpected path") });
    expect(readKubeconfigZip(zipSync({ "a.yaml": new Uint8Array(2 * 1024 * 1024) }))).toEqual({ ok: false, reason: expect.stringContaining("more or larger files") });
  });
});

describe("toIksCluster", () => {
  it("maps a v2 cluster item and tolerates missing fields", () => {
    expect(kubeVersionOf("4.15.20_1547_openshift")).toBe("4.15.20");
    const c = toIksCluster({ id: "c1", name: "prod", region: "eu-de", location: "fra02", masterKubeVersion: "1.29.10_1546", type: "openshift", provider: "vpc-gen2", state: "normal", resourceGroup: "rg1", resourceGroupName: "prod", createdDate: "2019-05-20T11:02:07+0000", workerCount: 6, masterURL: "https://c1.example:30000", serviceEndpoints: { privateServiceEndpointEnabled: true, privateServiceEndpointURL: "https://private.c1.example:30000" } }, ["env:prod", "a"]);
    expect(c).toEqual({ id: "c1", name: "prod", region: "eu-de", location: "fra02", kubeVersion: "1.29.10", type: "openshift", provider: "vpc-gen2", state: "normal", resourceGroupId: "rg1", resourceGroupName: "prod", tags: ["a", "env:prod"], createdAt: "2019-05-20T11:02:07+0000", workerCount: 6, publicEndpoint: "https://c1.example:30000", privateEndpoint: "https://private.c1.example:30000" });
    expect(toIksCluster({})).toMatchObject({ id: "", type: "kubernetes", publicEndpoint: null, privateEndpoint: null, workerCount: 0 });
  });
});
