import { describe, expect, it } from "vitest";
import { exportBody } from "./export-stream";

/** A store's export of `pages` pages, counting how many the stream has asked for. */
function pagedExport(pages: number, rowsPerPage = 200) {
  const progress = { produced: 0, closed: false };
  async function* chunks(): AsyncGenerator<string> {
    try {
      for (let page = 0; page < pages; page++) {
        progress.produced++;
        yield Array.from({ length: rowsPerPage }, (_, row) => `op-${page}-${row},copy,succeeded\r\n`).join("");
      }
    } finally {
      progress.closed = true;
    }
  }
  return { chunks: chunks(), progress };
}

describe("exportBody", () => {
  it("streams a large export page by page: reading the first chunk does not read the rest of the log", async () => {
    const { chunks, progress } = pagedExport(500);
    const reader = exportBody(chunks).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^op-0-0,copy,succeeded\r\n/);
    // Let any read-ahead settle: it stays within one page ahead of the reader.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(progress.produced).toBeLessThanOrEqual(2);
    await reader.cancel();
    expect(progress.closed).toBe(true);
  });

  it("delivers exactly the store's text, in order", async () => {
    const { chunks } = pagedExport(12, 50);
    const text = await new Response(exportBody(chunks)).text();
    const lines = text.split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(600);
    expect(lines[0]).toBe("op-0-0,copy,succeeded");
    expect(lines[599]).toBe("op-11-49,copy,succeeded");
    expect(text).toBe(Array.from({ length: 12 }, (_, page) => Array.from({ length: 50 }, (_, row) => `op-${page}-${row},copy,succeeded\r\n`).join("")).join(""));
  });
});
