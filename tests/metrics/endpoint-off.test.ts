/** Without PULLKEEPER_METRICS_TOKEN the endpoint does not exist: 404 whatever is sent, and nothing is rendered. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("/api/metrics without PULLKEEPER_METRICS_TOKEN", () => {
  it("answers 404 with or without a token", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-metrics-off-"));
    Object.assign(process.env, { DATABASE_URL: `file:${dir}/pullkeeper.db`, LOG_LEVEL: "silent", PULLKEEPER_IN_CLUSTER: "false", KUBECONFIG: path.join(dir, "none") });
    delete process.env.PULLKEEPER_METRICS_TOKEN;
    const { GET } = await import("@/app/api/metrics/route");
    for (const headers of [new Headers(), new Headers({ authorization: "Bearer metrics-test-token-0123456789abcdef" })]) {
      const response = await GET(new Request("http://pullkeeper.test/api/metrics", { headers }));
      expect(response.status).toBe(404);
      expect(await response.text()).not.toMatch(/pullkeeper_|process_/);
    }
  });
});
