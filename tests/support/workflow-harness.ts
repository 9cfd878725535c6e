import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPrismaAuditStore } from "@/lib/audit/prisma-audit-store";
import type { AuditStore } from "@/lib/audit/port";
import { createVerificationStore } from "@/lib/queries/verification-store";
import { createPorts, workflowDeps, type Ports } from "@/lib/server/ports";
import { parseAllowList } from "@/lib/net/outbound";
import { PreviewedPlans, type Actor, type WorkflowDeps } from "@/lib/workflows";
import { DEFAULT_POD_FOLLOW } from "@/lib/workflows/shared/follow-pods";
import { DEMO_OPERATOR } from "@/sim/demo-credentials";
import { startDemoFleet, type DemoClusterName, type DemoFleet } from "@/sim/fleet";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";
import { fleetKubeconfig, type KubeletOptions } from "@/sim/kube";
import { createMigratedDatabase, type ScratchDatabase } from "./databases";
import type { DatabaseConnection } from "@/lib/db/client";
import type { DatabaseProvider } from "@/lib/db/database-url";

export const OPERATOR: Actor = { email: "operator@example.com", role: "operator" };

export interface WorkflowHarness {
  fleet: DemoFleet;
  ibm: IbmCloudSim;
  audit: AuditStore;
  ports: Ports;
  deps: WorkflowDeps;
  dir: string;
  kubeconfigPath: string;
  scratch: ScratchDatabase;
  connection: DatabaseConnection;
  /** Ports and deps for another kubeconfig user of the same clusters (e.g. `viewer`). */
  depsAs(user: string): WorkflowDeps;
  /** A second, independent set of ports (another server process) over the same clusters and store. */
  otherProcess(): WorkflowDeps;
  close(): Promise<void>;
}

/**
 * The demo clusters, the simulated IBM Cloud and a scratch audit store, wired
 * exactly as the app wires production services: over HTTP(S) through lib/server/ports.
 */
export async function startWorkflowHarness(
  clusters: DemoClusterName[],
  opts: { largeNamespaceCount?: number; iam?: boolean; database?: DatabaseProvider; kubelet?: Omit<KubeletOptions, "registryUrlTemplate"> } = {},
): Promise<WorkflowHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-wf-"));
  const kubeconfigPath = path.join(dir, "kubeconfig");
  const ibm = await startIbmCloudSim({});
  // With `kubelet`, Deployments make pods that really pull from the simulated IBM Cloud registry.
  const kubelet = opts.kubelet ? { kubelet: { ...opts.kubelet, registryUrlTemplate: ibm.registryUrlTemplate } } : {};
  const fleet = await startDemoFleet({ clusters, kubeconfigPath, ...kubelet, ...(opts.largeNamespaceCount ? { largeNamespaceCount: opts.largeNamespaceCount } : {}) });
  const { scratch, connection } = await createMigratedDatabase(opts.database ?? "sqlite");
  const audit = createPrismaAuditStore(connection.prisma, connection.provider);
  // As in the app (lib/server/context), every registry check is saved for the dashboard.
  const verifications = createVerificationStore(connection.prisma);
  const portsFor = (paths: string[]) =>
    createPorts({
      kubeconfigPaths: paths,
      iam: opts.iam === false ? null : { apiKey: DEMO_OPERATOR.apiKey, iamUrl: ibm.url, identityUrl: ibm.url, policyUrl: ibm.url },
      registryEndpointTemplate: ibm.registryUrlTemplate,
      // As the demo does: the simulator's address only (it listens on loopback, refused by default).
      registryAllowedHosts: parseAllowList(new URL(ibm.url).host),
      verifyTimeoutMs: 5_000,
      onVerified: (verification) => verifications.save(verification),
    });
  const ports = portsFor([kubeconfigPath]);
  // As the composition root holds one per process: apply runs the plan this "process" previewed.
  const previews = new PreviewedPlans();
  const opened: Ports[] = [ports];
  return {
    fleet, ibm, audit, ports, dir, kubeconfigPath, scratch, connection,
    // Without the kubelet no controller acts on a restart: a follow step learns that after a second, not fifteen.
    deps: { ...workflowDeps(ports, audit, 8, { previews }), ...(opts.kubelet ? {} : { podFollow: { ...DEFAULT_POD_FOLLOW, noProgressMs: 1_000 } }) },
    depsAs(user) {
      const file = path.join(dir, `kubeconfig-${user}`);
      fs.writeFileSync(file, fleetKubeconfig(fleet.sims, { user }));
      const other = portsFor([file]);
      opened.push(other);
      return workflowDeps(other, audit, 8, { previews });
    },
    otherProcess() {
      const other = portsFor([kubeconfigPath]);
      opened.push(other);
      return workflowDeps(other, audit, 8, { previews: new PreviewedPlans() });
    },
    async close() {
      for (const entry of opened) entry.close();
      await fleet.close();
      await ibm.close();
      await connection.close();
      await scratch.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
