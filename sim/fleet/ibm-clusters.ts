import { createHash } from "node:crypto";
import type { KubeSim } from "../kube";
import type { SimCluster } from "../ibm-cloud";
import { simClusterId } from "../ibm-cloud";
import { DEMO_ACCOUNT } from "../demo-credentials";

/**
 * The demo fleet as the demo account's IBM Cloud Kubernetes Service clusters: what the
 * IBM Cloud simulator lists from `GET /global/v2/getClusters` and hands kubeconfigs for.
 * Each master is the cluster's sim/kube server; `rbacSync` lets `applyRBACAndGetKubeconfig`
 * write the caller's IAM role into it. Scale clusters (`fleet-01…`) join resource group
 * `scale` with tag `env:bench`.
 */

interface Placement {
  region: string;
  datacenter: string;
  provider: SimCluster["provider"];
  build: string;
  resourceGroupName: string;
  tags: string[];
  createdDate: string;
  workerCount: number;
}

const PLACEMENT: Record<string, Placement> = {
  legacy: { region: "us-south", datacenter: "dal10", provider: "classic", build: "1570", resourceGroupName: "default", tags: ["env:prod", "team:platform", "generation:2018"], createdDate: "2018-06-12T09:14:52+0000", workerCount: 3 },
  regional: { region: "eu-de", datacenter: "fra02", provider: "classic", build: "1546", resourceGroupName: "prod", tags: ["env:prod", "region:eu-de"], createdDate: "2019-05-20T11:02:07+0000", workerCount: 6 },
  modern: { region: "us-east", datacenter: "wdc04", provider: "vpc-gen2", build: "1531", resourceGroupName: "prod", tags: ["env:prod", "team:a"], createdDate: "2020-09-03T15:40:11+0000", workerCount: 3 },
  large: { region: "eu-gb", datacenter: "lon04", provider: "vpc-gen2", build: "1552", resourceGroupName: "batch", tags: ["env:prod", "size:large"], createdDate: "2021-03-17T08:25:40+0000", workerCount: 12 },
};

const SCALE: Placement = { region: "us-south", datacenter: "dal12", provider: "vpc-gen2", build: "1552", resourceGroupName: "scale", tags: ["env:bench"], createdDate: "2024-01-08T10:00:00+0000", workerCount: 3 };

function resourceGroupId(name: string): string {
  return createHash("sha256").update(`resource-group:${name}`).digest("hex").slice(0, 32);
}

/** `v1.29.10+IKS` → `1.29.10_1546`, IKS's `masterKubeVersion` form. */
function kubeVersion(gitVersion: string, build: string): string {
  return `${gitVersion.replace(/^v/, "").replace(/\+.*$/, "")}_${build}`;
}

export function demoIbmClusters(sims: KubeSim[], versions: Record<string, string> = {}): SimCluster[] {
  return sims.map((sim) => {
    const p = PLACEMENT[sim.name] ?? SCALE;
    if (!sim.caPem) throw new Error(`cluster ${sim.name} must serve TLS to stand for an IKS master`);
    return {
      id: simClusterId(DEMO_ACCOUNT.id, sim.name),
      name: sim.name,
      accountId: DEMO_ACCOUNT.id,
      region: p.region,
      datacenter: p.datacenter,
      masterKubeVersion: kubeVersion(versions[sim.name] ?? "v1.30.8", p.build),
      type: "kubernetes",
      provider: p.provider,
      state: "normal",
      resourceGroup: resourceGroupId(p.resourceGroupName),
      resourceGroupName: p.resourceGroupName,
      tags: p.tags,
      createdDate: p.createdDate,
      workerCount: p.workerCount,
      serverUrl: sim.url,
      caPem: sim.caPem,
      rbacSync: { controlToken: sim.controlToken },
    };
  });
}
