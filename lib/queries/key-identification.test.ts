import { describe, expect, it, vi } from "vitest";
import type { KeyIdentity } from "@/lib/api/key-identity";
import { PullkeeperError } from "@/lib/errors";
import type { ApiKeyLookup } from "@/lib/iam/port";
import { createKeyIdentifier } from "./key-identification";

const FOUND: ApiKeyLookup = {
  status: "found",
  identity: { keyId: "ApiKey-1", keyName: "k", iamId: "iam-ServiceId-1", accountId: "acct", createdAt: "2024-10-04T12:28+0000", locked: false, disabled: false, owner: { kind: "service_id", serviceId: "ServiceId-1", name: "team-payments-puller" } },
};

function harness(answer: () => Promise<ApiKeyLookup>) {
  let clock = Date.parse("2026-12-06T10:00:00Z");
  const saved: KeyIdentity[] = [];
  const identifyApiKey = vi.fn(answer);
  const onSaveError = vi.fn();
  const identifier = createKeyIdentifier({ iam: { identifyApiKey }, save: async (identity) => void saved.push(identity), onSaveError, now: () => new Date(clock), reuseMs: 60_000 });
  return { identifier, identifyApiKey, saved, onSaveError, advance: (ms: number) => (clock += ms) };
}

describe("createKeyIdentifier", () => {
  it("asks IAM once per credential within the reuse window, and again after it", async () => {
    const h = harness(async () => FOUND);
    await Promise.all([h.identifier.identify("fp1", "key"), h.identifier.identify("fp1", "key")]);
    await h.identifier.identify("fp1", "key");
    expect(h.identifyApiKey).toHaveBeenCalledTimes(1);
    h.advance(61_000);
    await h.identifier.identify("fp1", "key");
    expect(h.identifyApiKey).toHaveBeenCalledTimes(2);
    expect(h.saved[0]).toMatchObject({ fingerprint: "fp1", status: "found", owner: { name: "team-payments-puller" }, keyCreatedAt: "2024-10-04T12:28:00.000Z" });
  });

  it("turns a failed lookup into an error result with an operator message, never a throw", async () => {
    const h = harness(async () => {
      throw new PullkeeperError("iam", "unavailable", "IAM did not answer within 10 s.");
    });
    const identity = await h.identifier.identify("fp2", "key");
    expect(identity).toMatchObject({ status: "error", detail: "IAM did not answer within 10 s." });
  });

  it("still answers when the result cannot be saved, and reports the save failure", async () => {
    const identifyApiKey = vi.fn(async () => FOUND);
    const onSaveError = vi.fn();
    const identifier = createKeyIdentifier({ iam: { identifyApiKey }, save: async () => Promise.reject(new Error("database is down")), onSaveError });
    expect(await identifier.identify("fp3", "key")).toMatchObject({ status: "found" });
    expect(onSaveError).toHaveBeenCalledTimes(1);
  });
});
