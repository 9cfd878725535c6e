import { describe, expect, it } from "vitest";
import { labelKeyProblem, labelValueProblem } from "./validate";

describe("label keys and values, as Kubernetes validates them", () => {
  it("accepts 63-character values and names and refuses 64 with the limit in the message", () => {
    expect(labelValueProblem("a".repeat(63))).toBeNull();
    expect(labelValueProblem("a".repeat(64))).toMatch(/64 characters \(at most 63\)/);
    expect(labelKeyProblem("a".repeat(63))).toBeNull();
    expect(labelKeyProblem("a".repeat(64))).toMatch(/name is 64 characters \(at most 63\)/);
  });

  it("checks the prefix as a DNS subdomain of at most 253 characters", () => {
    expect(labelKeyProblem("app.kubernetes.io/name")).toBeNull();
    expect(labelKeyProblem("Example.com/name")).toMatch(/DNS subdomain/);
    expect(labelKeyProblem(`${"a".repeat(254)}/name`)).toMatch(/prefix is 254 characters/);
    expect(labelKeyProblem("/name")).toMatch(/prefix before '\/' is empty/);
    expect(labelKeyProblem("a/b/c")).toMatch(/at most one '\/'/);
  });

  it("allows an empty value and refuses values that do not start and end alphanumerically", () => {
    expect(labelValueProblem("")).toBeNull();
    expect(labelValueProblem("v1.2_beta-3")).toBeNull();
    expect(labelValueProblem("-x")).toMatch(/starting and ending with a letter or digit/);
    expect(labelValueProblem("a b")).toMatch(/not a label value/);
  });
});
