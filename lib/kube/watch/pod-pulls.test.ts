import { describe, expect, it } from "vitest";
import type { WatchChange } from "./port";
import { createPodPullTracker } from "./pod-pulls";

const waiting = (reason: string) => ({ containerStatuses: [{ name: "api", state: { waiting: { reason, message: "pull access denied" } } }] });
const running = { containerStatuses: [{ name: "api", state: { running: { startedAt: "2026-12-07T10:00:00Z" } } }] };

function pod(name: string, opts: { ns?: string; image?: string; status?: object; type?: WatchChange["type"]; firstList?: true } = {}): WatchChange {
  const namespace = opts.ns ?? "shop";
  return {
    cluster: "c1", resource: "pods", type: opts.type ?? "modified", via: "watch", namespace, name, uid: `uid-${name}`, resourceVersion: "1",
    ...(opts.firstList ? { firstList: true as const } : {}),
    object: { metadata: { name, namespace }, spec: { containers: [{ name: "api", image: opts.image ?? "us.icr.io/shop/api:1" }] }, status: opts.status ?? running } as WatchChange["object"],
  };
}

describe("createPodPullTracker", () => {
  it("counts a pod entering and leaving a pull failure, and a failing pod going away, not status churn", () => {
    const t = createPodPullTracker();
    expect(t.observe(pod("a", { type: "added" }))).toBe(true); // us.icr.io is new in shop
    expect(t.observe(pod("b", { type: "added" }))).toBe(false); // same registry, pulls fine
    expect(t.observe(pod("b", { status: waiting("ErrImagePull") }))).toBe(true);
    expect(t.observe(pod("b", { status: waiting("ImagePullBackOff") }))).toBe(false);
    expect(t.observe(pod("b", { status: running }))).toBe(true);
    expect(t.observe(pod("b", { status: waiting("ErrImagePull") }))).toBe(true);
    expect(t.observe({ ...pod("b"), type: "deleted", object: undefined })).toBe(true);
    expect(t.observe({ ...pod("a"), type: "deleted", object: undefined })).toBe(false);
    expect(t.size()).toEqual({ failingPods: 0, namespaceRegistries: 1 });
  });

  it("counts a pod pulling from a registry its namespace did not pull from before", () => {
    const t = createPodPullTracker();
    t.observe(pod("a", { type: "added", firstList: true }));
    expect(t.observe(pod("b", { type: "added", image: "de.icr.io/shop/api:1" }))).toBe(true);
    expect(t.observe(pod("c", { type: "added", ns: "other" }))).toBe(true);
    expect(t.observe(pod("d", { type: "added", ns: "other" }))).toBe(false);
  });

  it("records what the first list found without calling it a change, so a pod failing at start that recovers is noticed", () => {
    const t = createPodPullTracker();
    expect(t.observe(pod("a", { type: "added", firstList: true, status: waiting("ImagePullBackOff") }))).toBe(false);
    expect(t.size().failingPods).toBe(1);
    expect(t.observe(pod("a", { status: running }))).toBe(true);
  });

  it("drops a deleted namespace's pods and registries, and a cluster it is told to forget", () => {
    const t = createPodPullTracker();
    t.observe(pod("a", { type: "added", status: waiting("ErrImagePull") }));
    t.observe(pod("x", { type: "added", ns: "kept", status: waiting("ErrImagePull") }));
    t.observe({ cluster: "c1", resource: "namespaces", type: "deleted", via: "watch", namespace: null, name: "shop", uid: "n", resourceVersion: "2" });
    expect(t.size()).toEqual({ failingPods: 1, namespaceRegistries: 1 });
    t.forget("c1");
    expect(t.size()).toEqual({ failingPods: 0, namespaceRegistries: 0 });
  });

  it("looks again when a pod change comes without its object", () => {
    const t = createPodPullTracker();
    expect(t.observe({ ...pod("a"), object: undefined })).toBe(true);
    expect(t.observe({ ...pod("a"), object: undefined, firstList: true })).toBe(false);
  });
});
