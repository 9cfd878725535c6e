import fs from "node:fs";
import path from "node:path";
import { fleetKubeconfig, startKubeSim, type KubeSim, type KubeSimFaults, type KubeSimServerVersion, type KubeletOptions } from "../kube";
import { legacyObjects } from "./legacy";
import { regionalObjects } from "./regional";
import { modernObjects } from "./modern";
import { largeObjects } from "./large";
import type { Obj } from "./builders";
import { scaleClusterSpecs, type ScaleFleetOptions } from "./scale";

export { scaleClusterName, type ScaleFleetOptions } from "./scale";
import { demoIbmClusters } from "./ibm-clusters";
import type { SimCluster } from "../ibm-cloud";

/** The four demo clusters: seeded state, server versions, and a kubeconfig with one context each. */

export type DemoClusterName = "legacy" | "regional" | "modern" | "large";
export const DEMO_CLUSTERS: DemoClusterName[] = ["legacy", "regional", "modern", "large"];

export interface DemoClusterSpec {
  name: DemoClusterName;
  serverVersion: KubeSimServerVersion;
  objects: Obj[];
}

const VERSIONS: Record<DemoClusterName, KubeSimServerVersion> = {
  legacy: { major: "1", minor: "27", gitVersion: "v1.27.16+IKS" },
  regional: { major: "1", minor: "29", gitVersion: "v1.29.10+IKS" },
  modern: { major: "1", minor: "31", gitVersion: "v1.31.4+IKS" },
  large: { major: "1", minor: "30", gitVersion: "v1.30.8+IKS" },
};

/** JSON round trip drops `undefined` fields the builders leave for brevity. */
const plain = (objects: Obj[]): Obj[] => JSON.parse(JSON.stringify(objects));

export function demoClusterSpec(name: DemoClusterName, opts: { largeNamespaceCount?: number } = {}): DemoClusterSpec {
  const objects =
    name === "legacy" ? legacyObjects() : name === "regional" ? regionalObjects() : name === "modern" ? modernObjects() : largeObjects(opts.largeNamespaceCount ?? 2000);
  return { name, serverVersion: VERSIONS[name], objects: plain(objects) };
}

export interface DemoFleetOptions {
  clusters?: DemoClusterName[];
  largeNamespaceCount?: number;
  /** Where to write the kubeconfig (directories are created). Omit to not write one. */
  kubeconfigPath?: string;
  tls?: boolean;
  host?: string;
  /** First port; cluster i listens on basePort + i. Default: random ports. */
  basePort?: number;
  /**
   * Runs the simulated workload controller and kubelet in the listed clusters (default: every cluster but
   * `large`, whose thousands of seeded pods would only cost CPU): seeded failing pods retry their pulls for real.
   */
  kubelet?: KubeletOptions & { clusters?: DemoClusterName[] };
  /** Extra clusters `fleet-01…` after the demo ones (sim/fleet/scale.ts), on the next ports. */
  scale?: ScaleFleetOptions;
  /** Faults each named cluster starts with (a slow one: `{ latencyMs: 2000 }`; one that never answers: `{ hang: true }`). */
  faults?: Record<string, KubeSimFaults>;
  /** Every cluster also accepts IAM tokens of this issuer (the IBM Cloud simulator's `iamIssuerUrl`), as IKS masters do. */
  iamIssuerUrl?: string;
}

export interface DemoFleet {
  sims: KubeSim[];
  kubeconfigPath: string | null;
  /** The kubeconfig text (admin user, one context per cluster, current-context = first). */
  kubeconfig: string;
  /** The clusters as the demo account's IBM Cloud Kubernetes Service clusters, for the IBM Cloud simulator's `setClusters`. */
  ibmClusters(): SimCluster[];
  close(): Promise<void>;
}

function kubeletFor(name: DemoClusterName, opts: DemoFleetOptions["kubelet"]): KubeletOptions | undefined {
  if (!opts) return undefined;
  const { clusters = DEMO_CLUSTERS.filter((c) => c !== "large"), ...kubelet } = opts;
  return clusters.includes(name) ? kubelet : undefined;
}

export async function startDemoFleet(opts: DemoFleetOptions = {}): Promise<DemoFleet> {
  const names = opts.clusters ?? DEMO_CLUSTERS;
  const specs = [
    ...names.map((name) => ({ ...demoClusterSpec(name, { largeNamespaceCount: opts.largeNamespaceCount }), kubelet: kubeletFor(name, opts.kubelet) })),
    ...(opts.scale ? scaleClusterSpecs(opts.scale).map((spec) => ({ ...spec, serverVersion: VERSIONS.large, kubelet: undefined })) : []),
  ];
  const unknownFaulty = Object.keys(opts.faults ?? {}).filter((name) => !specs.some((spec) => spec.name === name));
  if (unknownFaulty.length) throw new Error(`faults for unknown cluster(s): ${unknownFaulty.join(", ")}`);
  const sims: KubeSim[] = [];
  try {
    for (const [i, spec] of specs.entries()) {
      sims.push(
        await startKubeSim({
          name: spec.name,
          serverVersion: spec.serverVersion,
          objects: spec.objects,
          tls: opts.tls ?? true,
          host: opts.host,
          port: opts.basePort ? opts.basePort + i : 0,
          kubelet: spec.kubelet,
          faults: opts.faults?.[spec.name],
          ...(opts.iamIssuerUrl ? { oidc: { issuerUrl: opts.iamIssuerUrl } } : {}),
        }),
      );
    }
  } catch (e) {
    await Promise.all(sims.map((s) => s.close()));
    throw e;
  }
  const kubeconfig = fleetKubeconfig(sims);
  if (opts.kubeconfigPath) {
    fs.mkdirSync(path.dirname(opts.kubeconfigPath), { recursive: true });
    fs.writeFileSync(opts.kubeconfigPath, kubeconfig, { mode: 0o600 });
  }
  return {
    sims,
    kubeconfigPath: opts.kubeconfigPath ?? null,
    kubeconfig,
    ibmClusters: () => demoIbmClusters(sims, Object.fromEntries(specs.map((spec) => [spec.name, spec.serverVersion.gitVersion]))),
    close: async () => {
      await Promise.all(sims.map((s) => s.close()));
    },
  };
}
