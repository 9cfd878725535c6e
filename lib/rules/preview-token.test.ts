import { describe, expect, it } from "vitest";
import { checkPreview, PREVIEW_TOKEN_TTL_MS, previewTokenKey, signPreview, type PreviewedValues } from "./preview-token";
import { ruleSpecSchema } from "./spec";

const key = previewTokenKey("preview-token-test-secret-0123456789abcdef");
const spec = ruleSpecSchema.parse({ clusters: { mode: "list", names: ["regional"] }, namespaces: { match: { mode: "all" } }, registries: ["icr.io"], source: { secrets: ["default-icr-io"] }, serviceAccounts: { mode: "default" } });
const values: PreviewedValues = { user: "admin@example.com", ruleId: null, draft: { name: "icr-everywhere", description: "", mode: "enforce", spec } };
const at = 1_800_000_000_000;

describe("rule preview tokens", () => {
  it("accepts the token of a preview of exactly these values, by this user, for this rule, while it is fresh", () => {
    const token = signPreview(key, values, at);
    expect(checkPreview(key, token, values, at + 1_000)).toEqual({ ok: true });
    // Key order does not matter: the values are compared, not their spelling.
    const reordered = { draft: { spec: values.draft.spec, mode: "enforce" as const, description: "", name: "icr-everywhere" }, ruleId: null, user: "admin@example.com" };
    expect(checkPreview(key, token, reordered, at + 1_000)).toEqual({ ok: true });
  });

  it("refuses values that differ in anything from the ones previewed", () => {
    const token = signPreview(key, values, at);
    const changed: PreviewedValues[] = [
      { ...values, draft: { ...values.draft, mode: "report" } },
      { ...values, draft: { ...values.draft, description: "changed after the preview" } },
      { ...values, draft: { ...values.draft, spec: { ...spec, registries: ["icr.io", "us.icr.io"] } } },
      { ...values, draft: { ...values.draft, spec: { ...spec, clusters: { mode: "all" } } } },
      { ...values, user: "other-admin@example.com" },
      { ...values, ruleId: "rule-1" },
    ];
    for (const other of changed) expect(checkPreview(key, token, other, at + 1_000)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("refuses a missing, malformed, altered or foreign token", () => {
    const token = signPreview(key, values, at);
    expect(checkPreview(key, undefined, values, at)).toEqual({ ok: false, reason: "missing" });
    expect(checkPreview(key, "", values, at)).toEqual({ ok: false, reason: "missing" });
    expect(checkPreview(key, "not-a-token", values, at)).toEqual({ ok: false, reason: "mismatch" });
    // A later issue time on the same signature (to stretch its life) breaks it.
    expect(checkPreview(key, token.replace(String(at), String(at + 60_000)), values, at + 60_000)).toEqual({ ok: false, reason: "mismatch" });
    const otherKey = previewTokenKey("another-deployment-secret-0123456789abcdef");
    expect(checkPreview(key, signPreview(otherKey, values, at), values, at)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("refuses a preview older than its freshness window, or issued in the future beyond clock skew", () => {
    const token = signPreview(key, values, at);
    expect(checkPreview(key, token, values, at + PREVIEW_TOKEN_TTL_MS)).toEqual({ ok: true });
    expect(checkPreview(key, token, values, at + PREVIEW_TOKEN_TTL_MS + 1)).toEqual({ ok: false, reason: "expired" });
    expect(checkPreview(key, token, values, at - 5 * 60_000)).toEqual({ ok: false, reason: "expired" });
  });
});
