import { describe, expect, it } from "vitest";
import { KubeError } from "./errors";
import { probeCluster } from "./probe";
import type { ClusterTransport } from "./transport";

/** A server from before SelfSubjectReview (1.26): /version and access reviews answer, the identity APIs are 404. */
function oldServer(): ClusterTransport {
  const request = async ({ path }: { path: string }) => {
    if (path === "/version") return { gitVersion: "v1.26.15" };
    if (path.includes("selfsubjectreviews")) throw new KubeError("not_found", "404 Not Found", { cluster: "old", object: "selfsubjectreviews" });
    return { status: { allowed: true } };
  };
  return { cluster: "old", server: "https://old.example:6443", request } as unknown as ClusterTransport;
}

describe("probeCluster on a server that cannot say who we are", () => {
  it("shows the kubeconfig's user, which someone chose and will recognise", async () => {
    const probe = await probeCluster(oldServer(), "ops-admin");
    expect(probe).toMatchObject({ status: "reachable", serverVersion: "v1.26.15", identity: { username: "ops-admin", source: "kubeconfig" } });
  });

  it("shows no identity for a token Pullkeeper keeps, whose kubeconfig user name is internal", async () => {
    const probe = await probeCluster(oldServer(), null);
    expect(probe).toMatchObject({ status: "reachable", serverVersion: "v1.26.15", identity: null, message: "Connected to https://old.example:6443; the server cannot say who we are." });
  });
});
