import { describe, expect, it } from "vitest";
import { createPrismaAuditStore } from "@/lib/audit/prisma-audit-store";
import { stepData } from "@/lib/audit/prisma-rows";
import { insertStepRows } from "@/lib/audit/prisma-step-insert";
import type { RecordStepInput } from "@/lib/audit/port";
import { PROVIDERS, useMigratedDatabase } from "../support/databases";

// Step events go in as one JSON parameter per INSERT … SELECT (lib/audit/prisma-step-insert.ts). What that stores
// must be exactly what the Prisma client's own create stores: every column, nulls, text that needs escaping, the
// timestamp's stored form (raw SQL and filters read it too) and the order of the ids.
const CANARY = "PKCANARY-step-insert-5b1f";

const events: RecordStepInput[] = [
  { sequence: 1, phase: "planned", action: "secret.copied", outcome: "planned", target: { kind: "Secret", namespace: "team-a", name: "team-a-us-icr-io" }, afterFingerprint: "abc123", detail: { title: `Copy "default/x" → team-a ${CANARY}`, lines: ["a\\b", "tab\there", "quote's", "emoji 🚀", "nul-free ünïcödé"] } },
  { sequence: 2, phase: "started", action: "service_account.patched", outcome: "started" },
  { sequence: 2, phase: "finished", action: "service_account.patched", outcome: "failed", error: { kind: "forbidden", message: `cannot patch "default" in team-b; ${CANARY}` }, durationMs: 0, recordedAt: new Date("2026-03-01T10:00:00.007Z") },
  { sequence: 2_000_000_000, phase: "finished", action: "secret.copied", outcome: "succeeded", beforeFingerprint: "", afterFingerprint: "123", durationMs: 123_456, recordedAt: new Date("1999-12-31T23:59:59.999Z") },
  { sequence: 4, phase: "finished", action: "secret.copied", outcome: "skipped", target: { kind: "Secret", namespace: "ns", name: "" }, detail: {} },
];

describe.each(PROVIDERS)("step events inserted from JSON on %s", (provider) => {
  const db = useMigratedDatabase(provider);

  async function operation(): Promise<string> {
    const store = createPrismaAuditStore(db.connection.prisma, db.connection.provider);
    return (await store.startOperation({ kind: "copy_pull_secrets", actor: "alice@example.com", cluster: "c", namespaces: ["team-a"] })).id;
  }

  /** Every stored column but the id and the operation, as the client reads them and as raw SQL reads the timestamp. */
  async function stored(operationId: string) {
    const rows = await db.connection.prisma.auditStep.findMany({ where: { operationId }, orderBy: { id: "asc" } });
    const raw = await db.connection.prisma.$queryRawUnsafe<{ recordedAt: unknown }[]>(
      provider === "sqlite" ? `SELECT CAST("recordedAt" AS TEXT) AS "recordedAt" FROM "AuditStep" WHERE "operationId" = ? ORDER BY "id"` : `SELECT "recordedAt"::text AS "recordedAt" FROM "AuditStep" WHERE "operationId" = $1 ORDER BY "id"`,
      operationId,
    );
    return rows.map(({ id: _id, operationId: _op, ...row }, i) => ({ ...row, rawRecordedAt: raw[i]?.recordedAt }));
  }

  it("stores exactly what the client's own create stores", async () => {
    const [viaJson, viaClient] = [await operation(), await operation()];
    const recordedAt = new Date("2026-12-07T15:35:13.120Z");
    const rows = (id: string) => events.map((event) => stepData(id, { recordedAt, ...event }));
    await insertStepRows(db.connection.prisma, db.connection.provider, rows(viaJson));
    for (const row of rows(viaClient)) await db.connection.prisma.auditStep.create({ data: row });
    const json = await stored(viaJson);
    expect(json).toEqual(await stored(viaClient));
    expect(json.map((row) => row.sequence)).toEqual(events.map((event) => event.sequence));
    expect(json[0]?.detail).toContain(CANARY);
    expect(json[1]).toMatchObject({ targetKind: null, errorKind: null, detail: null, durationMs: null, beforeFingerprint: null });
    expect(json[3]).toMatchObject({ beforeFingerprint: "", durationMs: 123_456, recordedAt: new Date("1999-12-31T23:59:59.999Z") });
  });

  it("takes more rows than one statement holds, all or none", async () => {
    const id = await operation();
    const many = Array.from({ length: 2_345 }, (_, i) => stepData(id, { sequence: i + 1, phase: "planned", action: "secret.copied", outcome: "planned", detail: { i } }));
    await insertStepRows(db.connection.prisma, db.connection.provider, many);
    const rows = await db.connection.prisma.auditStep.findMany({ where: { operationId: id }, orderBy: { id: "asc" }, select: { sequence: true } });
    expect(rows.map((row) => row.sequence)).toEqual(many.map((row) => row.sequence));

    // A duplicate event in the last statement: the earlier statements are rolled back with it.
    const other = await operation();
    const clash = [...Array.from({ length: 1_500 }, (_, i) => stepData(other, { sequence: i + 1, phase: "planned", action: "secret.copied", outcome: "planned" })), stepData(other, { sequence: 1, phase: "planned", action: "secret.copied", outcome: "planned" })];
    await expect(insertStepRows(db.connection.prisma, db.connection.provider, clash)).rejects.toThrow();
    expect(await db.connection.prisma.auditStep.count({ where: { operationId: other } })).toBe(0);
  });
});
