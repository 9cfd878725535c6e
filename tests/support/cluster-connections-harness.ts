import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClusterConnections, type ClusterConnections, type ClusterConnectionsDeps } from "@/lib/clusters/connections";
import { createClusterStore, type ClusterStore } from "@/lib/clusters/store";
import type { DatabaseProvider } from "@/lib/db/database-url";
import { createKubeGateway, type KubeGatewayExtras, type KubeRequestEvent } from "@/lib/kube";
import type { KubeGateway } from "@/lib/kube/port";
import { createCredentialCipher } from "@/lib/sealing/credential-cipher";
import { startDemoFleet, type DemoFleet, type DemoFleetOptions } from "@/sim/fleet";
import { createMigratedDatabase } from "./databases";

export interface ClusterConnectionsHarness {
  fleet: DemoFleet;
  store: ClusterStore;
  gateway: KubeGateway & KubeGatewayExtras;
  connections: ClusterConnections;
  /** The directory the gateway reads every kubeconfig file of, and follows edits in; it starts with the fleet's as `config`. */
  kubeconfigDir: string;
  close(): Promise<void>;
}

export interface ClusterConnectionsHarnessOptions {
  fleet: DemoFleetOptions;
  createKeeper: ClusterConnectionsDeps["createKeeper"];
  onRequest?: (event: KubeRequestEvent) => void;
}

/**
 * The demo fleet's clusters as kubeconfig contexts, a scratch cluster store of the provider, and the live gateway the
 * cluster connections keep in step with the store, wired as the app wires them. `close()` stops and removes them all;
 * if starting fails part way, what was started is closed before the error is thrown.
 */
export async function startClusterConnectionsHarness(
  provider: DatabaseProvider,
  options: ClusterConnectionsHarnessOptions,
): Promise<ClusterConnectionsHarness> {
  const cleanups: Array<() => unknown> = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const fleet = await startDemoFleet(options.fleet);
    cleanups.push(() => fleet.close());
    const { scratch, connection } = await createMigratedDatabase(provider);
    cleanups.push(async () => {
      await connection.close();
      await scratch.drop();
    });
    const store = createClusterStore(connection.prisma, createCredentialCipher(Buffer.alloc(32, 7)));
    const kubeconfigDir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-kubeconfigs-"));
    cleanups.push(() => fs.rmSync(kubeconfigDir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(kubeconfigDir, "config"), fleet.kubeconfig.replace(/current-context: .*/, ""));
    const gateway = createKubeGateway({
      kubeconfigPaths: () => fs.readdirSync(kubeconfigDir).map((f) => path.join(kubeconfigDir, f)),
      watchKubeconfigs: { pollMs: 250, debounceMs: 50 },
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    });
    cleanups.push(() => gateway.close());
    const connections = createClusterConnections({ store, gateway, createKeeper: options.createKeeper });
    cleanups.push(() => connections.stop());
    return { fleet, store, gateway, connections, kubeconfigDir, close };
  } catch (error) {
    // The failure to start is the error worth reporting, not one from closing what had started.
    await close().catch(() => undefined);
    throw error;
  }
}
