/**
 * Fills a scratch SQLite audit store with 100,000 operations (and their
 * namespace links and steps), then times the first page of the audit log under
 * several filters, as the audit page asks for it. Usage: npm run bench:audit [-- N]
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { connectDatabase } from "../lib/db/client";
import { parseDatabaseUrl } from "../lib/db/database-url";
import { applyPendingMigrations } from "../lib/db/migrations";
import { createPrismaAuditStore } from "../lib/audit/prisma-audit-store";
import type { OperationFilter } from "../lib/audit/port";

const total = Number(process.argv[2] ?? 100_000);
const clusters = ["legacy", "regional", "modern", "large", "prod-eu", "prod-us", "staging", "dev"];
const kinds = ["copy_pull_secrets", "attach_pull_secrets", "migrate_to_api_keys", "verify_credentials", "create_scoped_credentials"];
const statuses = ["succeeded", "succeeded", "succeeded", "dry_run", "failed", "partially_failed"];
const actors = Array.from({ length: 40 }, (_, index) => `engineer${index}@example.com`);

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-bench-"));
  const target = parseDatabaseUrl(`file:${path.join(dir, "bench.db")}`);
  await applyPendingMigrations(target);
  const { prisma, provider, close } = await connectDatabase(target);
  const store = createPrismaAuditStore(prisma, provider);

  const fillStarted = performance.now();
  const start = Date.parse("2025-01-01T00:00:00Z");
  const batch = 2_000;
  for (let offset = 0; offset < total; offset += batch) {
    const operations = [];
    const links = [];
    const steps = [];
    for (let index = offset; index < Math.min(total, offset + batch); index++) {
      const id = randomUUID();
      const startedAt = new Date(start + index * 300_000);
      const namespaces = [`team-${index % 500}`, `app-${index % 37}`];
      operations.push({
        id,
        kind: kinds[index % kinds.length]!,
        actor: actors[index % actors.length]!,
        cluster: clusters[index % clusters.length]!,
        namespaces: JSON.stringify(namespaces),
        parameters: JSON.stringify({ source: "default" }),
        status: statuses[index % statuses.length]!,
        summary: `bench operation ${index}`,
        stepsTotal: 2,
        stepsSucceeded: 2,
        startedAt,
        finishedAt: new Date(startedAt.getTime() + 4_000),
      });
      for (const namespace of namespaces) links.push({ operationId: id, namespace, startedAt });
      for (const sequence of [1, 2]) {
        steps.push({
          operationId: id, sequence, phase: "finished", action: "secret.copied", outcome: "succeeded",
          targetKind: "Secret", targetNamespace: namespaces[0]!, targetName: "all-icr-io", durationMs: 20, recordedAt: startedAt,
        });
      }
    }
    await prisma.$transaction([
      prisma.auditOperation.createMany({ data: operations }),
      prisma.auditOperationNamespace.createMany({ data: links }),
      prisma.auditStep.createMany({ data: steps }),
    ]);
  }
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  await prisma.$queryRawUnsafe("ANALYZE");
  console.log(`filled ${total.toLocaleString("en")} operations (${(total * 2).toLocaleString("en")} steps) in ${fillSeconds.toFixed(1)} s`);

  const cases: Array<[string, OperationFilter]> = [
    ["no filter", {}],
    ["cluster", { cluster: "regional" }],
    ["cluster + status", { cluster: "regional", status: "partially_failed" }],
    ["namespace", { namespace: "team-42" }],
    ["actor + kind", { actor: "engineer7@example.com", kind: "migrate_to_api_keys" }],
    ["time range", { from: new Date(start + 100 * 86_400_000), to: new Date(start + 101 * 86_400_000) }],
    ["text search", { text: "operation 99999" }],
  ];
  console.log("\nfirst page (50 rows), median of 20 runs after 3 warm-ups:");
  for (const [label, filter] of cases) {
    const samples: number[] = [];
    for (let run = 0; run < 23; run++) {
      const began = performance.now();
      const page = await store.listOperations(filter, { limit: 50 });
      if (run >= 3) samples.push(performance.now() - began);
      if (run === 0 && page.items.length === 0) throw new Error(`${label}: no rows, the benchmark is wrong`);
    }
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(samples.length / 2)]!;
    const p95 = samples[Math.floor(samples.length * 0.95)]!;
    console.log(`  ${label.padEnd(18)} median ${median.toFixed(1).padStart(6)} ms   p95 ${p95.toFixed(1).padStart(6)} ms`);
  }
  await close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
