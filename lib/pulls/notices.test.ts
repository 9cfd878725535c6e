import { describe, expect, it } from "vitest";
import { toPodDto } from "@/lib/kube/mappers";
import type { PullSecretInventory } from "@/lib/kube/port";
import { newPullFailureEvents } from "./notices";

function failingPod(namespace: string, name: string) {
  return toPodDto("c", {
    metadata: { name, namespace },
    spec: { containers: [{ name: "app", image: "us.icr.io/team/api:1.4" }] },
    status: {
      phase: "Pending",
      containerStatuses: [{ name: "app", image: "us.icr.io/team/api:1.4", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason: "ImagePullBackOff", message: 'Back-off pulling image "us.icr.io/team/api:1.4": ErrImagePull: failed to pull and unpack image "us.icr.io/team/api:1.4": failed to resolve reference "us.icr.io/team/api:1.4": pulling from host us.icr.io failed with status code [manifests 1.4]: 401 Unauthorized' } } }],
    },
  });
}

const inventory = (pods: ReturnType<typeof failingPod>[]): PullSecretInventory => ({
  cluster: "c", readAt: "", scope: "cluster", namespaces: [], unreadableNamespaces: [], pullSecrets: [], serviceAccounts: [], workloads: pods, notes: [], requestCount: 0,
});

describe("newPullFailureEvents", () => {
  it("notifies once per namespace and cause for pods newly failing, and not again while they keep failing", () => {
    const first = newPullFailureEvents(inventory([failingPod("shop", "api-1"), failingPod("shop", "api-2"), failingPod("ml", "train-1")]), new Set(), "2026-12-07T07:00:00Z");
    expect(first.events.map((e) => e.data)).toEqual([
      expect.objectContaining({ cluster: "c", namespace: "shop", pods: [expect.objectContaining({ name: "api-1" }), expect.objectContaining({ name: "api-2" })] }),
      expect.objectContaining({ namespace: "ml" }),
    ]);
    const again = newPullFailureEvents(inventory([failingPod("shop", "api-1"), failingPod("shop", "api-3")]), first.failing, "2026-12-07T07:05:00Z");
    expect(again.events.map((e) => e.data)).toEqual([expect.objectContaining({ namespace: "shop", pods: [expect.objectContaining({ name: "api-3" })] })]);
    expect([...again.failing].sort()).toEqual(["shop/api-1", "shop/api-3"]);
  });
});
