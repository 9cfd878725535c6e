import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LiveClusterSet } from "./cluster-set";

function kubeconfig(contexts: Array<{ name: string; server: string; token: string }>): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    ...contexts.map((c) => `- name: ${c.name}\n  cluster:\n    server: ${c.server}`),
    "users:",
    ...contexts.map((c) => `- name: ${c.name}-user\n  user:\n    token: ${c.token}`),
    "contexts:",
    ...contexts.map((c) => `- name: ${c.name}\n  context:\n    cluster: ${c.name}\n    user: ${c.name}-user`),
    "",
  ].join("\n");
}

const sets: LiveClusterSet[] = [];
afterEach(() => {
  for (const s of sets.splice(0)) s.close();
});

function setup(files: Record<string, string>, watch?: { pollMs: number; debounceMs: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pullkeeper-cluster-set-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const list = () => fs.readdirSync(dir).sort().map((name) => path.join(dir, name));
  const set = new LiveClusterSet({ kubeconfigPaths: list, ...(watch ? { watch } : {}) });
  sets.push(set);
  return { dir, set, names: () => set.all().map((c) => c.info.name) };
}

describe("the live cluster set", () => {
  it("picks up an edited, added and deleted kubeconfig on reload, and says which clusters changed", () => {
    const { dir, set, names } = setup({ a: kubeconfig([{ name: "one", server: "https://one:6443", token: "t1" }]) });
    expect(names()).toEqual(["one"]);
    fs.writeFileSync(path.join(dir, "a"), kubeconfig([{ name: "one", server: "https://one:6443", token: "t1-rotated" }, { name: "two", server: "https://two:6443", token: "t2" }]));
    fs.writeFileSync(path.join(dir, "b"), kubeconfig([{ name: "three", server: "https://three:6443", token: "t3" }]));
    expect(set.reload()).toEqual({ added: ["two", "three"], replaced: ["one"], removed: [] });
    fs.rmSync(path.join(dir, "b"));
    expect(set.reload()).toEqual({ added: [], replaced: [], removed: ["three"] });
    expect(set.reload()).toEqual({ added: [], replaced: [], removed: [] });
  });

  it("keeps the clusters of a file whose edit no longer parses, and shows the problem until it is fixed", () => {
    const { dir, set, names } = setup({ a: kubeconfig([{ name: "one", server: "https://one:6443", token: "t1" }]) });
    fs.writeFileSync(path.join(dir, "a"), "clusters: [unclosed\n  - :");
    set.reload();
    expect(names()).toEqual(["one"]);
    expect(set.problems()).toEqual([expect.stringMatching(/could not be read.*kept until it reads again/)]);
    expect(set.problems().join()).not.toContain("t1");
    fs.writeFileSync(path.join(dir, "a"), kubeconfig([{ name: "uno", server: "https://one:6443", token: "t1" }]));
    set.reload();
    expect(names()).toEqual(["uno"]);
    expect(set.problems()).toEqual([]);
  });

  it("replaces token-source clusters, reconnecting only those whose connection changed, and keeps disabled ones by name", () => {
    const { set, names } = setup({});
    const token = async () => "x";
    set.setTokenClusters([{ name: "ibm-a", server: "https://a:30000", caPem: null, token }, { name: "reg-b", server: "https://b:6443", caPem: null, token, revision: "1" }]);
    const heard = vi.fn();
    set.onChange(heard);
    expect(set.setTokenClusters([{ name: "ibm-a", server: "https://a:30000", caPem: null, token }, { name: "reg-b", server: "https://b:6443", caPem: null, token, revision: "2" }])).toEqual({ added: [], replaced: ["reg-b"], removed: [] });
    expect(heard).toHaveBeenCalledTimes(1);
    set.setDisabled(["ibm-a"]);
    expect(set.isDisabled("ibm-a")).toBe(true);
    expect(names()).toEqual(["ibm-a", "reg-b"]);
    // The watches follow the enabled clusters: disabling and enabling is a change they hear of, the same set again is not.
    expect(heard).toHaveBeenLastCalledWith({ added: [], replaced: [], removed: [], disabled: ["ibm-a"], enabled: [] });
    set.setDisabled(["ibm-a"]);
    expect(heard).toHaveBeenCalledTimes(2);
    set.setDisabled([]);
    expect(heard).toHaveBeenLastCalledWith({ added: [], replaced: [], removed: [], disabled: [], enabled: ["ibm-a"] });
  });

  it("notices an edit by itself when watching", async () => {
    const { dir, names } = setup({ a: kubeconfig([{ name: "one", server: "https://one:6443", token: "t1" }]) }, { pollMs: 200, debounceMs: 20 });
    fs.writeFileSync(path.join(dir, "a"), kubeconfig([{ name: "renamed", server: "https://one:6443", token: "t1" }]));
    await vi.waitFor(() => expect(names()).toEqual(["renamed"]), { timeout: 5_000, interval: 50 });
  });
});
