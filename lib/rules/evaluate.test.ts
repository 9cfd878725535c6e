import { describe, expect, it } from "vitest";
import { toPullSecretDto } from "@/lib/kube/mappers";
import type { PullSecretDto, PullSecretInventory, ServiceAccountDto } from "@/lib/kube/port";
import { buildIamApiKeyDockerConfigJson } from "@/lib/registry/docker-config";
import { evaluateRule, type EvaluationContext } from "./evaluate";
import { matchingNamespaces } from "./match";
import { ruleSpecSchema, type KeepingRule, type RuleSpecInput } from "./spec";

const CANARY = "PKCANARY-rules-7f2a";
const KEY = `rule-key-${CANARY}-0123456789abcdef012`;
const ROTATED = `rotated-${CANARY}-0123456789abcdef0123`;
const TEAM = `team-${CANARY}-0123456789abcdef012345`;
const b64 = (s: string) => Buffer.from(s).toString("base64");

function icr(namespace: string, name: string, apiKey = KEY, labels: Record<string, string> = {}): PullSecretDto {
  const dto = toPullSecretDto("c", { metadata: { name, namespace, labels }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": b64(buildIamApiKeyDockerConfigJson({ apiKey, domains: ["icr.io", "us.icr.io"] })) } });
  if (!dto) throw new Error("not a pull secret");
  return dto;
}
const sa = (namespace: string, name: string, imagePullSecrets: string[] = [], managedBy: ServiceAccountDto["managedBy"] = null): ServiceAccountDto => ({ cluster: "c", namespace, name, imagePullSecrets, createdAt: null, labels: {}, managedBy, resourceVersion: "1" });

function inventory(namespaces: Array<string | [string, Record<string, string>]>, pullSecrets: PullSecretDto[], serviceAccounts: ServiceAccountDto[]): PullSecretInventory {
  return {
    cluster: "c", readAt: "2026-12-07T00:00:00Z", scope: "cluster",
    namespaces: namespaces.map((entry) => {
      const [name, labels] = typeof entry === "string" ? [entry, {}] : entry;
      return { cluster: "c", name, labels, phase: "Active", createdAt: null };
    }),
    unreadableNamespaces: [], pullSecrets, serviceAccounts, workloads: [], notes: [], requestCount: 0,
  };
}

function rule(spec: Partial<RuleSpecInput> = {}, id = "r1", name = "icr-everywhere"): KeepingRule {
  const parsed = ruleSpecSchema.parse({
    clusters: { mode: "all" }, namespaces: { match: { mode: "all" } }, registries: ["us.icr.io"],
    source: { namespace: "default", secrets: ["all-icr-io"] }, serviceAccounts: { mode: "default" }, naming: "keep", ...spec,
  });
  return { id, name, description: "", mode: "enforce", paused: false, spec: parsed, version: 1, createdBy: "a", createdAt: "", updatedBy: "a", updatedAt: "" };
}

const none: EvaluationContext = { owned: new Set(), decisions: new Map(), otherRules: [] };
const source = icr("default", "all-icr-io");

describe("matchingNamespaces", () => {
  const namespaces = inventory(["default", "kube-system", "ibm-system", ["team-a", { team: "a" }], ["team-b", { team: "b" }], "sandbox"], [], []).namespaces;

  it("leaves system namespaces out unless included by name or by includeSystem", () => {
    expect(matchingNamespaces(rule().spec, namespaces)).toEqual(["default", "sandbox", "team-a", "team-b"]);
    expect(matchingNamespaces(rule({ namespaces: { match: { mode: "all" }, include: ["kube-system"] } }).spec, namespaces)).toContain("kube-system");
    expect(matchingNamespaces(rule({ namespaces: { match: { mode: "all" }, includeSystem: true } }).spec, namespaces)).toContain("ibm-system");
  });

  it("takes a label selector, adds the include list and removes the exclude list", () => {
    const spec = rule({ namespaces: { match: { mode: "labels", labelSelector: "team" }, include: ["sandbox"], exclude: ["team-b"] } }).spec;
    expect(matchingNamespaces(spec, namespaces)).toEqual(["sandbox", "team-a"]);
  });

  it("refuses an invalid selector and a namespace both included and excluded", () => {
    expect(ruleSpecSchema.safeParse({ ...rule().spec, namespaces: { match: { mode: "labels", labelSelector: "team in (a" } } }).success).toBe(false);
    expect(ruleSpecSchema.safeParse({ ...rule().spec, namespaces: { match: { mode: "all" }, include: ["a"], exclude: ["a"] } }).success).toBe(false);
  });
});

describe("evaluateRule", () => {
  it("plans a copy and an attachment for a namespace that lacks both, and nothing where the namespace is covered", () => {
    const inv = inventory(["default", "new", "done"], [source, icr("done", "all-icr-io")], [sa("default", "default", ["all-icr-io"]), sa("new", "default"), sa("done", "default", ["all-icr-io"])]);
    const result = evaluateRule(rule(), inv, none);
    expect(result.matched).toBe(2);
    expect(result.compliant).toBe(1);
    expect(result.drift).toEqual([
      { namespace: "new", registries: ["us.icr.io"], copies: [{ name: "all-icr-io", from: { namespace: "default", name: "all-icr-io" }, action: "create", expectedFingerprint: null }], attach: [{ serviceAccount: "default", names: ["all-icr-io"] }], waitingFor: [] },
    ]);
    expect(result.conflicts).toEqual([]);
  });

  it("leaves a namespace alone whose own credential already covers the registry (a team's own key is not drift)", () => {
    const inv = inventory(["default", "team"], [source, icr("team", "team-pull", TEAM)], [sa("team", "default", ["team-pull"])]);
    const result = evaluateRule(rule(), inv, none);
    expect(result.drift).toEqual([]);
    expect(result.compliant).toBe(1);
  });

  it("calls a same-name secret it cannot prove it made a conflict, and follows a person's decision on it", () => {
    const foreign = icr("app", "all-icr-io", ROTATED);
    const inv = inventory(["default", "app"], [source, foreign], [sa("app", "default")]);
    const conflict = evaluateRule(rule(), inv, none);
    expect(conflict.conflicts).toMatchObject([{ namespace: "app", kind: "foreign_secret", secret: "all-icr-io" }]);
    expect(conflict.drift.flatMap((d) => d.copies)).toEqual([]);

    const decided = (decision: "adopt" | "skip" | "rename") =>
      evaluateRule(rule(), inv, { ...none, decisions: new Map([["app/all-icr-io", { namespace: "app", secret: "all-icr-io", decision, renameTo: decision === "rename" ? "all-icr-io-kept" : null, decidedBy: "a", decidedAt: "" }]]) });
    expect(decided("adopt").drift[0]?.copies).toMatchObject([{ name: "all-icr-io", action: "refresh", expectedFingerprint: foreign.credentialFingerprint }]);
    expect(decided("skip").conflicts).toEqual([]);
    expect(decided("skip").drift.flatMap((d) => d.copies)).toEqual([]);
    expect(decided("rename").drift[0]?.copies).toMatchObject([{ name: "all-icr-io-kept", action: "create" }]);
  });

  it("follows a second decision on the other name it was given: adopt, skip or rename again, each keyed by the name in the way", () => {
    const decision = (secret: string, d: "adopt" | "skip" | "rename", renameTo: string | null = null) => [`app/${secret}`, { namespace: "app", secret, decision: d, renameTo, decidedBy: "a", decidedAt: "" }] as const;
    // Someone else's secret holds both the conventional name and the first other name chosen.
    const inv = inventory(["default", "app"], [source, icr("app", "all-icr-io", ROTATED), icr("app", "all-icr-io-kept", TEAM)], [sa("app", "default")]);
    const renamed = evaluateRule(rule(), inv, { ...none, decisions: new Map([decision("all-icr-io", "rename", "all-icr-io-kept")]) });
    expect(renamed.conflicts).toMatchObject([{ namespace: "app", kind: "foreign_secret", secret: "all-icr-io-kept" }]);

    // The person answers the conflict the evaluation lists: the decision is stored under the name in the way.
    const then = (second: ReturnType<typeof decision>) => evaluateRule(rule(), inv, { ...none, decisions: new Map([decision("all-icr-io", "rename", "all-icr-io-kept"), second]) });
    const adopted = then(decision("all-icr-io-kept", "adopt"));
    expect(adopted.conflicts).toEqual([]);
    expect(adopted.drift).toMatchObject([{ namespace: "app", copies: [{ name: "all-icr-io-kept", action: "refresh" }], attach: [{ serviceAccount: "default", names: ["all-icr-io-kept"] }] }]);
    const skipped = then(decision("all-icr-io-kept", "skip"));
    expect(skipped.conflicts).toEqual([]);
    expect(skipped.drift.flatMap((d) => d.copies)).toEqual([]);
    const renamedAgain = then(decision("all-icr-io-kept", "rename", "all-icr-io-third"));
    expect(renamedAgain.conflicts).toEqual([]);
    expect(renamedAgain.drift[0]?.copies).toMatchObject([{ name: "all-icr-io-third", action: "create" }]);
    // Names given back and forth end at the name in the way, listed again for a person, never a loop.
    const circular = then(decision("all-icr-io-kept", "rename", "all-icr-io"));
    expect(circular.conflicts).toMatchObject([{ namespace: "app", kind: "foreign_secret", secret: "all-icr-io-kept" }]);
  });

  it("keeps the copy it made under another name: it is the rule's copy there, not one out of scope", () => {
    const renamedCopy = icr("app", "all-icr-io-kept");
    const inv = inventory(["default", "app"], [source, icr("app", "all-icr-io", ROTATED), renamedCopy], [sa("app", "default", ["all-icr-io-kept"])]);
    const decisions = new Map([["app/all-icr-io", { namespace: "app", secret: "all-icr-io", decision: "rename" as const, renameTo: "all-icr-io-kept", decidedBy: "a", decidedAt: "" }]]);
    const result = evaluateRule(rule(), inv, { ...none, owned: new Set(["app/all-icr-io-kept"]), decisions });
    expect(result.removals).toEqual([]);
    expect(result.drift).toEqual([]);
    expect(result.compliant).toBe(1);
    expect(result.keptNamespaces).toEqual(["app"]);
  });

  it("refreshes its own copy when the source was rotated, and never overwrites one Helm manages", () => {
    const stale = icr("own", "all-icr-io", ROTATED);
    const helm = icr("charted", "all-icr-io", ROTATED, { "app.kubernetes.io/managed-by": "Helm" });
    const inv = inventory(["default", "own", "charted"], [source, stale, helm], [sa("own", "default", ["all-icr-io"]), sa("charted", "default")]);
    const result = evaluateRule(rule(), inv, { ...none, owned: new Set(["own/all-icr-io"]) });
    expect(result.drift).toMatchObject([{ namespace: "own", copies: [{ action: "refresh", expectedFingerprint: stale.credentialFingerprint }], attach: [] }]);
    expect(result.conflicts).toMatchObject([{ namespace: "charted", kind: "managed_secret" }]);
  });

  it("does not attach to a service account another tool manages: a conflict with the reason", () => {
    const inv = inventory(["default", "argo"], [source], [sa("argo", "default", [], "argocd")]);
    const result = evaluateRule(rule(), inv, none);
    expect(result.conflicts).toMatchObject([{ namespace: "argo", kind: "managed_service_account", serviceAccount: "default" }]);
    expect(result.drift[0]?.attach).toEqual([]);
  });

  it("lists its copies in namespaces that left its scope for removal, with who still references them", () => {
    const inv = inventory(["default", ["gone", { keep: "no" }]], [source, icr("gone", "all-icr-io")], [sa("gone", "default", ["all-icr-io"])]);
    const scoped = rule({ namespaces: { match: { mode: "labels", labelSelector: "keep=yes" } } });
    const result = evaluateRule(scoped, inv, { ...none, owned: new Set(["gone/all-icr-io"]) });
    expect(result.removals).toMatchObject([{ namespace: "gone", secret: "all-icr-io", serviceAccounts: ["default"], deploymentTemplates: [] }]);
    // A copy it cannot prove it made is never listed.
    expect(evaluateRule(scoped, inv, none).removals).toEqual([]);
  });

  it("on a cluster that left its cluster scope, matches nothing and lists every copy it made there for removal, even without its source", () => {
    const inv = inventory(["default", "app", "other"], [icr("app", "all-icr-io"), icr("other", "theirs")], [sa("app", "default", ["all-icr-io"]), sa("other", "default")]);
    const result = evaluateRule(rule(), inv, { ...none, owned: new Set(["app/all-icr-io"]), clusterOutOfScope: true });
    expect(result).toMatchObject({ matched: 0, compliant: 0, drift: [], conflicts: [], sourceProblem: null });
    expect(result.removals).toMatchObject([{ namespace: "app", secret: "all-icr-io", serviceAccounts: ["default"] }]);
    expect(evaluateRule(rule(), inv, { ...none, clusterOutOfScope: true }).removals).toEqual([]);
  });

  it("reports an overlap with another rule keeping the same registry from a different source, on the namespace, and changes nothing there", () => {
    const other = rule({ source: { namespace: "default", secrets: ["other-icr"] } }, "r2", "team-keys");
    const inv = inventory(["default", "app"], [source, icr("default", "other-icr", TEAM)], [sa("app", "default")]);
    const result = evaluateRule(rule(), inv, { ...none, otherRules: [other] });
    expect(result.conflicts).toMatchObject([{ namespace: "app", kind: "overlap", otherRule: "team-keys" }]);
    expect(result.drift).toEqual([]);
  });

  it("does nothing and says why when its source secret is gone", () => {
    const inv = inventory(["default", "app"], [], [sa("app", "default")]);
    const result = evaluateRule(rule(), inv, none);
    expect(result.matched).toBe(0);
    expect(result.drift).toEqual([]);
    expect(result.sourceProblem).toMatch(/default\/all-icr-io does not exist/);
  });

  it("waits for a new namespace's default service account instead of calling it a conflict", () => {
    const inv = inventory(["default", "fresh"], [source], []);
    const result = evaluateRule(rule(), inv, none);
    expect(result.conflicts).toEqual([]);
    expect(result.drift).toMatchObject([{ namespace: "fresh", waitingFor: ["default"], attach: [] }]);
  });
});
