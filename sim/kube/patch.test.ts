import { describe, expect, it } from "vitest";
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from "./patch";
import { KubeStatusError } from "./status";

const sa = (ips?: string[], secrets?: string[]) => ({
  apiVersion: "v1",
  kind: "ServiceAccount",
  metadata: { name: "default", namespace: "ns" },
  ...(ips ? { imagePullSecrets: ips.map((name) => ({ name })) } : {}),
  ...(secrets ? { secrets: secrets.map((name) => ({ name })) } : {}),
});

describe("strategic merge patch", () => {
  it("replaces ServiceAccount.imagePullSecrets (no merge key, kubernetes#72475)", () => {
    const out = applyStrategicMergePatch("ServiceAccount", sa(["a", "b"]), { imagePullSecrets: [{ name: "x" }] }) as any;
    expect(out.imagePullSecrets).toEqual([{ name: "x" }]);
  });

  it("merges ServiceAccount.secrets by name", () => {
    const out = applyStrategicMergePatch("ServiceAccount", sa(undefined, ["a"]), { secrets: [{ name: "b" }, { name: "a" }] }) as any;
    expect(out.secrets).toEqual([{ name: "a" }, { name: "b" }]);
  });

  it("merges pod containers by name and imagePullSecrets by name in a deployment template", () => {
    const d = {
      kind: "Deployment",
      spec: { template: { spec: { containers: [{ name: "app", image: "a:1", env: [{ name: "X", value: "1" }] }], imagePullSecrets: [{ name: "one" }] } } },
    };
    const out = applyStrategicMergePatch("Deployment", d, {
      spec: { template: { spec: { containers: [{ name: "app", image: "a:2", env: [{ name: "Y", value: "2" }] }], imagePullSecrets: [{ name: "two" }] } } },
    }) as any;
    expect(out.spec.template.spec.containers).toEqual([{ name: "app", image: "a:2", env: [{ name: "X", value: "1" }, { name: "Y", value: "2" }] }]);
    expect(out.spec.template.spec.imagePullSecrets).toEqual([{ name: "one" }, { name: "two" }]);
  });

  it("honours $patch: delete in keyed lists and null in maps", () => {
    const pod = { kind: "Pod", metadata: { labels: { a: "1", b: "2" } }, spec: { imagePullSecrets: [{ name: "one" }, { name: "two" }] } };
    const out = applyStrategicMergePatch("Pod", pod, { metadata: { labels: { a: null } }, spec: { imagePullSecrets: [{ name: "one", $patch: "delete" }] } }) as any;
    expect(out.metadata.labels).toEqual({ b: "2" });
    expect(out.spec.imagePullSecrets).toEqual([{ name: "two" }]);
  });

  it("unions finalizers and supports $deleteFromPrimitiveList", () => {
    const o = { metadata: { finalizers: ["a"] } };
    expect((applyStrategicMergePatch("Secret", o, { metadata: { finalizers: ["b", "a"] } }) as any).metadata.finalizers).toEqual(["a", "b"]);
    expect((applyStrategicMergePatch("Secret", { metadata: { finalizers: ["a", "b"] } }, { metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] } }) as any).metadata.finalizers).toEqual(["b"]);
  });

  it("rejects a keyed list item without its merge key", () => {
    expect(() => applyStrategicMergePatch("Pod", { spec: {} }, { spec: { containers: [{ image: "x" }] } })).toThrow(/merge key/);
  });
});

describe("JSON merge patch", () => {
  it("replaces arrays wholesale and deletes with null", () => {
    const out = applyMergePatch(sa(["a"], ["s"]), { imagePullSecrets: [{ name: "b" }], secrets: null }) as any;
    expect(out.imagePullSecrets).toEqual([{ name: "b" }]);
    expect("secrets" in out).toBe(false);
  });
});

describe("JSON patch", () => {
  it("appends with /- when the list exists", () => {
    const out = applyJsonPatch(sa(["a"]), [{ op: "add", path: "/imagePullSecrets/-", value: { name: "b" } }]) as any;
    expect(out.imagePullSecrets).toEqual([{ name: "a" }, { name: "b" }]);
  });

  it("fails with the generic 422 when the list is missing", () => {
    try {
      applyJsonPatch(sa(), [{ op: "add", path: "/imagePullSecrets/-", value: { name: "b" } }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KubeStatusError);
      expect((e as KubeStatusError).code).toBe(422);
      expect((e as KubeStatusError).message).toBe("the server rejected our request due to an error in our request");
    }
  });

  it("rejects an object body with 400 like the Go decoder", () => {
    expect(() => applyJsonPatch(sa(), { imagePullSecrets: [] })).toThrow(/cannot unmarshal object into Go value of type jsonpatch.Patch/);
  });

  it("supports test as a precondition, remove, replace, move and copy", () => {
    const doc = { a: 1, b: { c: [1, 2] } };
    expect(() => applyJsonPatch(doc, [{ op: "test", path: "/a", value: 2 }])).toThrow();
    const out = applyJsonPatch(doc, [
      { op: "test", path: "/a", value: 1 },
      { op: "replace", path: "/a", value: 5 },
      { op: "remove", path: "/b/c/0" },
      { op: "copy", from: "/a", path: "/d" },
      { op: "move", from: "/d", path: "/e" },
    ]);
    expect(out).toEqual({ a: 5, b: { c: [2] }, e: 5 });
    expect(doc).toEqual({ a: 1, b: { c: [1, 2] } });
  });
});
