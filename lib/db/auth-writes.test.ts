import { describe, expect, it } from "vitest";
import { authWriteSignalExtension, isAuthRowWrite, onAuthRowsWritten } from "./auth-writes";

const run = authWriteSignalExtension.query.$allModels.$allOperations;

describe("the auth row write signal", () => {
  it("counts every write to users, sessions and accounts, and no read or other model", () => {
    for (const operation of ["create", "createMany", "update", "updateMany", "upsert", "delete", "deleteMany"]) {
      for (const model of ["User", "Session", "Account"]) expect(isAuthRowWrite(model, operation), `${model}.${operation}`).toBe(true);
      expect(isAuthRowWrite("Operation", operation)).toBe(false);
    }
    for (const operation of ["findUnique", "findFirst", "findMany", "count"]) expect(isAuthRowWrite("Session", operation)).toBe(false);
    expect(isAuthRowWrite(undefined, "executeRaw")).toBe(false);
  });

  it("signals before and after a write, even a failed one, and not around a read", async () => {
    const seen: string[] = [];
    const stop = onAuthRowsWritten(() => seen.push("signal"));
    try {
      await run({ model: "Session", operation: "deleteMany", args: {}, query: async () => seen.push("write") });
      expect(seen).toEqual(["signal", "write", "signal"]);
      seen.length = 0;
      await expect(run({ model: "User", operation: "update", args: {}, query: () => Promise.reject(new Error("constraint")) })).rejects.toThrow("constraint");
      expect(seen).toEqual(["signal", "signal"]);
      seen.length = 0;
      await run({ model: "Session", operation: "findFirst", args: {}, query: async () => seen.push("read") });
      expect(seen).toEqual(["read"]);
    } finally {
      stop();
    }
    await run({ model: "User", operation: "update", args: {}, query: async () => null });
    expect(seen).toEqual(["read"]);
  });
});
