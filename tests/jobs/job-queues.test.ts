import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "@/lib/db/client";
import { createLocalJobQueue } from "@/lib/jobs/local-queue";
import { createPgBossQueue, PG_BOSS_SCHEMA } from "@/lib/jobs/pg-boss-queue";
import type { JobQueue } from "@/lib/jobs/port";
import { createMigratedDatabase, type ScratchDatabase } from "../support/databases";

const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe("the embedded job queue (SQLite, one process)", () => {
  let scratch: ScratchDatabase;
  let connection: DatabaseConnection;
  beforeAll(async () => {
    ({ scratch, connection } = await createMigratedDatabase("sqlite"));
  });
  afterAll(async () => {
    await connection?.close();
    await scratch?.drop();
  });

  it("runs each job once, keeps one waiting job per singleton key, and retries a failing one with backoff before giving up", async () => {
    const queue = createLocalJobQueue(connection.prisma, { pollMs: 20 });
    await queue.start();
    const seen: string[] = [];
    let failures = 0;
    await queue.work("workflow-run", async (job) => {
      if (job.data.operationId === "fails") {
        failures++;
        throw new Error("cluster unreachable");
      }
      seen.push(job.data.operationId);
    }, { concurrency: 2 });
    for (let i = 0; i < 10; i++) await queue.send("workflow-run", { operationId: `op-${i}` });
    await queue.send("workflow-run", { operationId: "fails" }, { retryLimit: 2, retryDelaySeconds: 0.05, retryBackoff: true });
    await until(() => seen.length === 10 && failures === 3);
    expect(seen.sort()).toEqual([...Array(10).keys()].map((i) => `op-${i}`).sort());
    const failed = await connection.prisma.localJob.findFirstOrThrow({ where: { data: { contains: "fails" } } });
    expect(failed).toMatchObject({ state: "failed", retryCount: 2, lastError: "cluster unreachable" });
    await queue.stop(1_000);

    const paused = createLocalJobQueue(connection.prisma, { pollMs: 20 });
    expect(await paused.send("workflow-run", { operationId: "single" }, { singletonKey: "single" })).toBeTruthy();
    expect(await paused.send("workflow-run", { operationId: "single" }, { singletonKey: "single" })).toBeNull();
    const depth = (await paused.depth()).find((entry) => entry.queue === "workflow-run");
    expect(depth).toMatchObject({ waiting: 1, active: 0 });
    await connection.prisma.localJob.deleteMany({ where: { singletonKey: "single" } });
  });

  it("wakes an idle worker when its next delayed job is due, not on a fixed poll (the idle bound here is ten minutes)", async () => {
    const queue = createLocalJobQueue(connection.prisma, { pollMs: 20, idleMs: 600_000 });
    await queue.start();
    const seen: string[] = [];
    let attempts = 0;
    await queue.work("workflow-run", async (job) => {
      if (job.data.operationId === "retried" && ++attempts === 1) throw new Error("registry unavailable");
      seen.push(job.data.operationId);
    });
    await queue.send("workflow-run", { operationId: "delayed" }, { startAfterSeconds: 2 });
    await queue.send("workflow-run", { operationId: "retried" }, { retryLimit: 1, retryDelaySeconds: 2 });
    await until(() => seen.length === 2);
    expect(seen.sort()).toEqual(["delayed", "retried"]);
    await queue.stop(1_000);
  });

  it("takes up again, on the next start, a job its previous process left running", async () => {
    const first = createLocalJobQueue(connection.prisma, { pollMs: 20 });
    await first.start();
    let entered = false;
    await first.work("webhook-delivery", async () => {
      entered = true;
      await new Promise(() => undefined); // the process dies inside the handler
    });
    await first.send("webhook-delivery", { deliveryId: "d-1" });
    await until(() => entered);
    await first.stop(50);
    expect(await connection.prisma.localJob.count({ where: { queue: "webhook-delivery", state: "active" } })).toBe(1);

    const restarted = createLocalJobQueue(connection.prisma, { pollMs: 20 });
    expect(await restarted.start()).toBe(1);
    const delivered: string[] = [];
    await restarted.work("webhook-delivery", async (job) => void delivered.push(job.data.deliveryId));
    await until(() => delivered.length === 1);
    expect(delivered).toEqual(["d-1"]);
    await restarted.stop(1_000);
  });
});

describe("pg-boss (PostgreSQL, any number of replicas)", () => {
  let scratch: ScratchDatabase;
  let connection: DatabaseConnection;
  const queues: JobQueue[] = [];
  const replica = async () => {
    const queue = await createPgBossQueue({ connectionString: scratch.target.url, expireInSeconds: 2, maintenanceIntervalSeconds: 1, pollingIntervalSeconds: 0.5 });
    queues.push(queue);
    return queue;
  };
  beforeAll(async () => {
    ({ scratch, connection } = await createMigratedDatabase("postgresql"));
  });
  afterAll(async () => {
    for (const queue of queues) await queue.stop(1_000).catch(() => undefined);
    await connection?.close();
    await scratch?.drop();
  });

  it("shares the work between two replicas, each job exactly once, one waiting job per singleton key", async () => {
    const [a, b] = [await replica(), await replica()];
    const handled: Array<{ by: string; id: string }> = [];
    await a.work("workflow-run", async (job) => void handled.push({ by: "a", id: job.data.operationId }), { concurrency: 2 });
    await b.work("workflow-run", async (job) => void handled.push({ by: "b", id: job.data.operationId }), { concurrency: 2 });
    for (let i = 0; i < 30; i++) await (i % 2 ? a : b).send("workflow-run", { operationId: `run-${i}` });
    await until(() => handled.length >= 30);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(handled).toHaveLength(30);
    expect(new Set(handled.map((entry) => entry.id)).size).toBe(30);

    expect(await a.send("verification-sweep", {}, { singletonKey: "k", startAfterSeconds: 60 })).toBeTruthy();
    expect(await b.send("verification-sweep", {}, { singletonKey: "k", startAfterSeconds: 60 })).toBeNull();
    expect((await a.depth()).find((entry) => entry.queue === "verification-sweep")?.waiting).toBe(1);
  });

  it("never runs two evaluations of the same rule and cluster at once across replicas, and loses none asked meanwhile", async () => {
    const [a, b] = [await replica(), await replica()];
    const active = new Map<string, number>();
    let overlap = 0;
    const ran: string[] = [];
    const handler = async (job: { data: { ruleId: string; cluster: string } }) => {
      const key = `${job.data.ruleId}:${job.data.cluster}`;
      active.set(key, (active.get(key) ?? 0) + 1);
      if (active.get(key)! > 1) overlap++;
      await new Promise((resolve) => setTimeout(resolve, 150));
      ran.push(key);
      active.set(key, active.get(key)! - 1);
    };
    await a.work("rule-evaluation", handler, { concurrency: 2 });
    await b.work("rule-evaluation", handler, { concurrency: 2 });
    const ask = (replicaQueue: JobQueue, cluster: string) => replicaQueue.send("rule-evaluation", { ruleId: "rule-1", cluster }, { singletonKey: `rule-1:${cluster}` });
    // A burst of changes on one cluster, seen by both replicas' watches, while another cluster's evaluation runs too.
    await ask(a, "regional");
    await until(() => (active.get("rule-1:regional") ?? 0) > 0);
    for (let i = 0; i < 12; i++) {
      await ask(i % 2 ? a : b, "regional");
      if (i % 4 === 0) await ask(a, "large");
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    await until(async () => (await a.depth()).filter((entry) => entry.queue === "rule-evaluation").every((entry) => entry.waiting === 0 && entry.active === 0) && ran.length > 0);
    expect(overlap).toBe(0);
    // Not lost: the evaluation running when the burst came and one after it.
    expect(ran.filter((key) => key === "rule-1:regional").length).toBeGreaterThanOrEqual(2);
    expect(ran).toContain("rule-1:large");
  });

  it("gives the job of a replica that died mid-job to another one once it expires", async () => {
    const survivor = await replica();
    // The replica that dies: it takes the job and never completes it (as after kill -9).
    const dead = new PgBoss({ connectionString: scratch.target.url, schema: PG_BOSS_SCHEMA });
    await dead.start();
    await survivor.send("webhook-delivery", { deliveryId: "orphan" }, { retryLimit: 3 });
    const [taken] = await dead.fetch<{ deliveryId: string }>("webhook-delivery");
    expect(taken?.data.deliveryId).toBe("orphan");
    await dead.stop({ graceful: false, close: true, wait: false }).catch(() => undefined);
    const started = Date.now();
    const delivered: Array<{ id: string; retryCount: number }> = [];
    await survivor.work("webhook-delivery", async (job) => void delivered.push({ id: job.data.deliveryId, retryCount: job.retryCount }));
    await until(() => delivered.length === 1, 20_000);
    expect(delivered[0]).toMatchObject({ id: "orphan", retryCount: 1 });
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
