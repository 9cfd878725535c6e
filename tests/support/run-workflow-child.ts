/**
 * A separate server process for the "killed mid-way" test: runs one workflow
 * to the end against the given clusters, IBM Cloud and database (storing the
 * run as the server does), unless the parent kills it first (which is the point).
 */
import { connectDatabase } from "../../lib/db/client";
import { parseDatabaseUrl } from "../../lib/db/database-url";
import { createPrismaAuditStore } from "../../lib/audit/prisma-audit-store";
import { parseAllowList } from "../../lib/net/outbound";
import { createPorts, workflowDeps } from "../../lib/server/ports";
import { createPrismaRunStateStore } from "../../lib/queries/run-state-store";
import { createSealedBox } from "../../lib/sealing/sealed-box";
import { runWorkflowToEnd, type WorkflowKind } from "../../lib/workflows";

interface ChildConfig {
  kubeconfigPath: string;
  databaseUrl: string;
  iam: { apiKey: string; iamUrl: string; identityUrl: string; policyUrl: string };
  registryEndpointTemplate: string;
  kind: WorkflowKind;
  input: unknown;
  concurrency: number;
  /** The server secret the run's credentials are sealed under (every replica shares it). */
  sealingSecret: string;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "{}") as ChildConfig;
  const connection = await connectDatabase(parseDatabaseUrl(config.databaseUrl));
  const audit = createPrismaAuditStore(connection.prisma, connection.provider);
  const ports = createPorts({ kubeconfigPaths: [config.kubeconfigPath], iam: config.iam, registryEndpointTemplate: config.registryEndpointTemplate, registryAllowedHosts: parseAllowList("127.0.0.1") });
  // As on the server: the run is stored where another process can finish it.
  const runs = createPrismaRunStateStore(connection.prisma, createSealedBox(config.sealingSecret, "workflow-run-secrets"));
  await runWorkflowToEnd(config.kind, config.input, workflowDeps(ports, audit, config.concurrency, { runs }), { email: "child@example.com", role: "operator" });
  ports.close();
  await connection.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
