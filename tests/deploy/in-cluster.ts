import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AuditStore } from "@/lib/audit/port";
import { parseEnv } from "@/lib/env";
import { inClusterOptions, kubeconfigFiles } from "@/lib/server/kube-sources";
import { createPorts, workflowDeps, type Ports } from "@/lib/server/ports";
import type { WorkflowDeps } from "@/lib/workflows";
import { DEFAULT_POD_FOLLOW } from "@/lib/workflows/shared/follow-pods";
import { DEMO_OPERATOR } from "@/sim/demo-credentials";
import { demoClusterSpec, type DemoClusterName } from "@/sim/fleet";
import type { IbmCloudSim } from "@/sim/ibm-cloud";
import { defaultUsers, startKubeSim, type KubeSim, type KubeSimRule } from "@/sim/kube";

/** The identity the API server gives the Deployment's service account (deploy/base). */
export const SERVICE_ACCOUNT_USER = "system:serviceaccount:pullkeeper:pullkeeper";

export interface InClusterPod {
  sim: KubeSim;
  deps: WorkflowDeps;
  ports: Ports;
  serviceAccountDir: string;
  close(): Promise<void>;
}

/**
 * One demo cluster whose API server knows Pullkeeper's service account with
 * `rules`, and Pullkeeper's ports built as in a pod of that cluster: from the
 * environment the kubelet gives (KUBERNETES_SERVICE_HOST/PORT) and the mounted
 * token, CA and namespace, through lib/env and lib/server/kube-sources, with no
 * kubeconfig at all.
 */
export async function startInClusterPod(cluster: DemoClusterName, rules: KubeSimRule[], shared: { ibm: IbmCloudSim; audit: AuditStore }): Promise<InClusterPod> {
  const spec = demoClusterSpec(cluster);
  const token = `pod-token-${crypto.randomBytes(16).toString("base64url")}`;
  const sim = await startKubeSim({
    name: cluster,
    serverVersion: spec.serverVersion,
    objects: spec.objects,
    users: [...defaultUsers(), { name: SERVICE_ACCOUNT_USER, token, rules }],
  });
  const serviceAccountDir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-sa-"));
  fs.writeFileSync(path.join(serviceAccountDir, "token"), token);
  fs.writeFileSync(path.join(serviceAccountDir, "ca.crt"), sim.caPem ?? "");
  fs.writeFileSync(path.join(serviceAccountDir, "namespace"), "pullkeeper");
  const url = new URL(sim.url);
  const settings = parseEnv({
    KUBERNETES_SERVICE_HOST: url.hostname,
    KUBERNETES_SERVICE_PORT: url.port,
    PULLKEEPER_IN_CLUSTER_NAME: cluster,
    PULLKEEPER_SERVICE_ACCOUNT_DIR: serviceAccountDir,
    // The simulated registries listen on loopback, which the outbound policy refuses unless an admin allows it.
    PULLKEEPER_REGISTRY_ALLOWED_HOSTS: "127.0.0.1",
  });
  const inCluster = inClusterOptions(settings);
  if (!inCluster) throw new Error("in-cluster mode was not detected from the pod's environment");
  const ports = createPorts({
    kubeconfigPaths: kubeconfigFiles(settings),
    inCluster,
    iam: { apiKey: DEMO_OPERATOR.apiKey, iamUrl: shared.ibm.url, identityUrl: shared.ibm.url, policyUrl: shared.ibm.url },
    registryEndpointTemplate: shared.ibm.registryUrlTemplate,
    registryAllowedHosts: settings.PULLKEEPER_REGISTRY_ALLOWED_HOSTS,
    verifyTimeoutMs: 5_000,
  });
  return {
    sim,
    ports,
    serviceAccountDir,
    // No kubelet here: a follow step learns that no controller acted after a second, not fifteen.
    deps: { ...workflowDeps(ports, shared.audit, 8), podFollow: { ...DEFAULT_POD_FOLLOW, noProgressMs: 1_000 } },
    async close() {
      ports.close();
      await sim.close();
      fs.rmSync(serviceAccountDir, { recursive: true, force: true });
    },
  };
}
