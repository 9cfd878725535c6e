import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createPrismaAuditStore } from "@/lib/audit/prisma-audit-store";
import { pageOperationIdsQuery } from "@/lib/audit/prisma-operation-page";
import { AuditError, type AuditStore } from "@/lib/audit/port";
import { PROVIDERS, useMigratedDatabase } from "../support/databases";

const CANARY = "PKCANARY-audit-3d9e";

describe.each(PROVIDERS)("audit store on %s", (provider) => {
  const db = useMigratedDatabase(provider);
  let store: AuditStore;

  beforeAll(async () => {
    store = createPrismaAuditStore(db.connection.prisma, db.connection.provider);
  });

  it("records an operation, its step events, and folds them into steps with counts", async () => {
    const operation = await store.startOperation({
      kind: "copy_pull_secrets",
      actor: "alice@example.com",
      actorRole: "operator",
      cluster: "regional",
      namespaces: ["team-b", "team-a", "team-a"],
      parameters: { source: "default", secrets: ["default-us-icr-io"] },
    });
    expect(operation.status).toBe("running");
    expect(operation.namespaces).toEqual(["team-a", "team-b"]);

    const target = { kind: "Secret", namespace: "team-a", name: "team-a-us-icr-io" };
    await store.recordStep(operation.id, { sequence: 1, phase: "started", action: "secret.copied", outcome: "started", target });
    await store.recordStep(operation.id, {
      sequence: 1, phase: "finished", action: "secret.copied", outcome: "succeeded", target,
      afterFingerprint: "abc123def456", durationMs: 12,
    });
    await store.recordStep(operation.id, { sequence: 2, phase: "started", action: "service_account.patched", outcome: "started" });
    await store.recordStep(operation.id, {
      sequence: 2, phase: "finished", action: "service_account.patched", outcome: "failed",
      error: { kind: "forbidden", message: "cannot patch serviceaccounts in team-b" },
    });
    await store.recordStep(operation.id, { sequence: 3, phase: "finished", action: "secret.copied", outcome: "skipped" });

    const finished = await store.finishOperation(operation.id, { status: "partially_failed", summary: "1 of 2 done" });
    expect(finished.counts).toEqual({ total: 3, succeeded: 1, failed: 1, skipped: 1 });

    const loaded = await store.getOperation(operation.id);
    expect(loaded?.steps.map((step) => [step.sequence, step.outcome])).toEqual([[1, "succeeded"], [2, "failed"], [3, "skipped"]]);
    expect(loaded?.steps[0]?.target).toEqual(target);
    expect(loaded?.steps[0]?.startedAt).not.toBeNull();
    expect(loaded?.steps[1]?.error).toEqual({ kind: "forbidden", message: "cannot patch serviceaccounts in team-b" });
  });

  it("is append-only: no edit or delete path, duplicate events rejected, statuses only move forward", async () => {
    expect(Object.keys(store).sort()).toEqual([
      "exportOperations", "finishOperation", "getOperation", "listOperations", "recordStep", "recordSteps", "startOperation",
    ]);
    const operation = await store.startOperation({ kind: "attach_pull_secrets", actor: "bob" });
    await store.recordStep(operation.id, { sequence: 1, phase: "finished", action: "service_account.patched", outcome: "succeeded" });
    await expect(
      store.recordStep(operation.id, { sequence: 1, phase: "finished", action: "service_account.patched", outcome: "failed" }),
    ).rejects.toMatchObject({ kind: "invalid" });
    await store.finishOperation(operation.id, { status: "succeeded" });
    await expect(store.finishOperation(operation.id, { status: "failed" })).rejects.toMatchObject({ kind: "invalid_transition" });
    expect((await store.getOperation(operation.id))?.steps[0]?.outcome).toBe("succeeded");

    const dryRun = await store.startOperation({ kind: "attach_pull_secrets", actor: "bob", status: "dry_run" });
    await expect(store.finishOperation(dryRun.id, { status: "succeeded" })).rejects.toBeInstanceOf(AuditError);
    await expect(store.recordStep("no-such-operation", { sequence: 1, phase: "planned", action: "secret.created", outcome: "planned" }))
      .rejects.toMatchObject({ kind: "not_found" });
  });

  it("never stores a credential given in parameters or step details", async () => {
    const operation = await store.startOperation({
      kind: "create_private_registry_secret",
      actor: "carol",
      cluster: "modern",
      namespaces: ["apps"],
      parameters: {
        server: "registry.example.com",
        username: "robot",
        password: CANARY,
        apikey: CANARY,
        nested: { auth: Buffer.from(`robot:${CANARY}`).toString("base64"), ".dockerconfigjson": CANARY },
        note: JSON.stringify({ auths: { "registry.example.com": { password: CANARY } } }),
      },
    });
    await store.recordStep(operation.id, {
      sequence: 1, phase: "finished", action: "secret.created", outcome: "succeeded", detail: { token: CANARY, registries: ["registry.example.com"] },
    });
    const quoted = Buffer.from(JSON.stringify({ auths: { "registry.example.com": { password: CANARY } } })).toString("base64");
    await store.recordStep(operation.id, {
      sequence: 2, phase: "finished", action: "secret.updated", outcome: "failed",
      error: { kind: "invalid", message: `admission webhook "policy.example" denied: data[.dockerconfigjson]=${quoted}` },
    });
    await store.finishOperation(operation.id, { status: "succeeded" });
    const loaded = await store.getOperation(operation.id);
    expect(JSON.stringify(loaded)).not.toContain(CANARY);
    expect(loaded?.parameters.username).toBe("robot");
    expect(loaded?.parameters.password).toBe("[redacted]");

    if (db.scratch.file) {
      await db.connection.prisma.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
      for (const file of [db.scratch.file, `${db.scratch.file}-wal`]) {
        if (fs.existsSync(file)) expect(fs.readFileSync(file).includes(Buffer.from(CANARY))).toBe(false);
      }
      expect(fs.readFileSync(db.scratch.file).includes(Buffer.from("registry.example.com"))).toBe(true);
    }
  });

  it("lists newest first with filters, text search and cursor pagination", async () => {
    const base = Date.parse("2026-01-01T00:00:00Z");
    for (let index = 0; index < 25; index++) {
      await store.startOperation({
        kind: index % 2 ? "copy_pull_secrets" : "migrate_to_api_keys",
        actor: index % 3 ? "dave" : "erin",
        cluster: "paging",
        namespaces: [`ns-${index % 5}`],
        startedAt: new Date(base + index * 60_000),
        status: "dry_run",
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await store.listOperations({ cluster: "paging" }, { limit: 10, cursor });
      seen.push(...page.items.map((item) => item.startedAt));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(25);
    expect([...seen].sort().reverse()).toEqual(seen);

    const byNamespace = await store.listOperations({ cluster: "paging", namespace: "ns-2" }, { limit: 50 });
    expect(byNamespace.items).toHaveLength(5);
    const byActorKind = await store.listOperations({ cluster: "paging", actor: "erin", kind: "migrate_to_api_keys" }, { limit: 50 });
    expect(byActorKind.items.every((item) => item.actor === "erin" && item.kind === "migrate_to_api_keys")).toBe(true);
    const byTime = await store.listOperations(
      { cluster: "paging", from: new Date(base + 10 * 60_000), to: new Date(base + 14 * 60_000) },
      { limit: 50 },
    );
    expect(byTime.items).toHaveLength(5);
    const byText = await store.listOperations({ cluster: "paging", text: "MIGRATE_to" }, { limit: 50 });
    expect(byText.items).toHaveLength(13);
    await expect(store.listOperations({}, { limit: 5, cursor: "not-a-cursor" })).rejects.toMatchObject({ kind: "invalid" });
  });

  it("exports the filtered set as CSV and JSON, with steps in JSON", async () => {
    const operation = await store.startOperation({ kind: "undo", actor: "frank", cluster: "export", namespaces: ["=cmd"] });
    await store.recordStep(operation.id, { sequence: 1, phase: "finished", action: "secret.deleted", outcome: "succeeded" });
    await store.finishOperation(operation.id, { status: "succeeded", summary: 'removed "x", and y' });

    let csv = "";
    for await (const chunk of store.exportOperations({ cluster: "export" }, "csv")) csv += chunk;
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toMatch(/^id,kind,status,actor/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"removed ""x"", and y"`);
    expect(lines[1]).toContain(",'=cmd,");

    let json = "";
    for await (const chunk of store.exportOperations({ cluster: "export" }, "json")) json += chunk;
    const parsed = JSON.parse(json) as Array<{ id: string; steps: unknown[] }>;
    expect(parsed).toHaveLength(1);
    expect(parsed[0]?.id).toBe(operation.id);
    expect(parsed[0]?.steps).toHaveLength(1);
  });

  it("exports a log larger than a page one page per chunk, every operation once, steps with their own operation", async () => {
    // Most rows written in one statement (the store's own writes take a transaction each), two through the store with steps.
    const bulk = Array.from({ length: 448 }, (_, i) => ({
      id: `bulk-export-${String(i).padStart(3, "0")}`,
      kind: "copy_pull_secrets",
      actor: "grace",
      cluster: "export-large",
      namespaces: JSON.stringify([`ns-${i}`]),
      status: "succeeded",
      startedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)),
    }));
    await db.connection.prisma.auditOperation.createMany({ data: bulk });
    const withSteps = [
      await store.startOperation({ kind: "copy_pull_secrets", actor: "grace", cluster: "export-large", namespaces: ["ns-a"] }),
      await store.startOperation({ kind: "copy_pull_secrets", actor: "grace", cluster: "export-large", namespaces: ["ns-b"] }),
    ];
    await store.recordStep(withSteps[0]!.id, { sequence: 1, phase: "finished", action: "secret.created", outcome: "succeeded" });
    await store.recordStep(withSteps[1]!.id, { sequence: 1, phase: "finished", action: "secret.created", outcome: "failed" });
    const ids = [...bulk.map((row) => row.id), ...withSteps.map((operation) => operation.id)];

    const chunks: string[] = [];
    for await (const chunk of store.exportOperations({ cluster: "export-large" }, "csv")) chunks.push(chunk);
    // The header, then pages of at most 200 rows: streamed as the log is read, not built whole.
    expect(chunks.map((chunk) => chunk.split("\r\n").filter(Boolean).length)).toEqual([1, 200, 200, 50]);
    const exported = chunks.slice(1).join("").split("\r\n").filter(Boolean).map((line) => line.split(",")[0]);
    expect(new Set(exported).size).toBe(450);
    expect([...exported].sort()).toEqual([...ids].sort());

    let json = "";
    for await (const chunk of store.exportOperations({ cluster: "export-large" }, "json")) json += chunk;
    const parsed = JSON.parse(json) as Array<{ id: string; steps: Array<{ outcome: string }> }>;
    expect(parsed.map((operation) => operation.id)).toEqual(exported);
    const stepsOf = new Map(parsed.map((operation) => [operation.id, operation.steps]));
    expect(stepsOf.get(withSteps[0]!.id)?.map((step) => step.outcome)).toEqual(["succeeded"]);
    expect(stepsOf.get(withSteps[1]!.id)?.map((step) => step.outcome)).toEqual(["failed"]);
    expect(parsed.filter((operation) => operation.steps.length > 0)).toHaveLength(2);
  });

  it("searches any searched column case-insensitively through the full-text index, as written by every write", async () => {
    const found = async (text: string, filter: Record<string, unknown> = {}) =>
      (await store.listOperations({ cluster: "search", ...filter, text }, { limit: 50 })).items.map((item) => item.id);
    const heidi = await store.startOperation({
      kind: "copy_pull_secrets", actor: "Heidi@Example.com", cluster: "search", namespaces: ["team-lookup"], summary: "draft words",
    });
    await store.finishOperation(heidi.id, { status: "succeeded", summary: "copied 100% of pull_secrets" });
    const ivan = await store.startOperation({ kind: "undo", actor: "ivan", cluster: "search", namespaces: ["ns-x"], status: "dry_run" });

    // The summary a finish writes replaces the one the start wrote, in the index too.
    expect(await found("100% of PULL_")).toEqual([heidi.id]);
    expect(await found("draft words")).toEqual([]);
    // LIKE's wildcards are plain characters in a search.
    expect(await found("1_0")).toEqual([]);
    expect(await found("%")).toEqual([heidi.id]);
    expect(await found("heidi@example")).toEqual([heidi.id]);
    expect(await found(heidi.id.slice(9, 23).toUpperCase())).toEqual([heidi.id]);
    expect(await found("m-look")).toEqual([heidi.id]);
    expect(await found("UNDO")).toEqual([ivan.id]);
    // A match never spans two columns (here the end of the actor and the start of the cluster).
    expect(await found("ivansearch")).toEqual([]);
    // Text shorter than a trigram is matched row by row.
    expect(await found("iv")).toEqual([ivan.id]);
    expect(await found("ns-", { namespace: "ns-x" })).toEqual([ivan.id]);
    expect(await found("ns-", { clusters: ["elsewhere"] })).toEqual([]);
    expect(await found("ns-", { clusters: [] })).toEqual([]);
    expect(await found("ns-", { kind: "undo", status: "dry_run", actor: "ivan" })).toEqual([ivan.id]);
  });

  it("pages a search with few matches and one with many the same way: newest first, each match once", async () => {
    // More matches than the index hands over for sorting (2,000), so the common search reads the log newest first.
    const rows = Array.from({ length: 2_100 }, (_, i) => ({
      id: `search-many-${String(i).padStart(4, "0")}`,
      kind: "verify_credentials",
      actor: "judy",
      cluster: "search-many",
      summary: i % 300 === 7 ? `routine sweep, rare marker ${i}` : `routine sweep ${i}`,
      status: "succeeded",
      // Pairs of operations share a start time, so the id decides their order.
      startedAt: new Date(Date.UTC(2024, 0, 1, 0, 0, Math.floor(i / 2))),
    }));
    await db.connection.prisma.auditOperation.createMany({ data: rows });
    const newestFirst = [...rows]
      .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((row) => row.id);
    const pages = async (text: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await store.listOperations({ cluster: "search-many", text }, { limit: 200, cursor });
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await pages("ROUTINE sweep")).toEqual(newestFirst);
    const rare = rows.filter((row) => row.summary.includes("rare marker")).map((row) => row.id);
    expect(await pages("rare marker")).toEqual(newestFirst.filter((id) => rare.includes(id)));
    expect(rare).toHaveLength(7);
  });
  it("finds a rare text among common words exactly as the whole text would, on an analysed table", async () => {
    // Most documents share "routine sweep", so on PostgreSQL the index looks up only the rare number.
    const rows = Array.from({ length: 4_000 }, (_, i) => ({
      id: `rare-words-${String(i).padStart(4, "0")}`,
      kind: "verify_credentials",
      actor: "kim",
      cluster: "rare-words",
      summary: `Routine sweep ${i}`,
      status: "succeeded",
      startedAt: new Date(Date.UTC(2023, 0, 1, 0, 0, i)),
    }));
    await db.connection.prisma.auditOperation.createMany({ data: rows });
    await db.connection.prisma.$executeRawUnsafe(`ANALYZE "AuditOperation"`);
    const expected = (text: string) =>
      rows.filter((row) => row.summary.toLowerCase().includes(text.toLowerCase())).map((row) => row.id).reverse();
    const found = async (text: string) =>
      (await store.listOperations({ cluster: "rare-words", text }, { limit: 200 })).items.map((item) => item.id);
    for (const text of ["sweep 1234", "EEP 123", "routine sweep 3999", "sweep 12"]) {
      expect(await found(text), text).toEqual(expected(text));
    }
    expect(expected("EEP 123")).toHaveLength(11);
    if (provider === "postgresql") {
      const query = await pageOperationIdsQuery(db.connection.prisma, provider, { text: "sweep 1234" }, null, 51);
      expect(query.sql).toContain("concat_ws");
    }
  });
});
