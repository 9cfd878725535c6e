import { describe, expect, it } from "vitest";
import { parseAllowList } from "@/lib/net/outbound";
import { clusterOutboundPolicy, clusterServerRefusal } from "./outbound";

describe("clusterServerRefusal", () => {
  const strict = clusterOutboundPolicy([]);
  it("refuses loopback, private and metadata servers unless PULLKEEPER_CLUSTER_ALLOWED_HOSTS names them", async () => {
    for (const server of ["https://127.0.0.1:6443", "https://10.1.2.3", "http://169.254.169.254", "https://[::1]:443"]) {
      expect(await clusterServerRefusal(server, strict), server).toMatch(/^The cluster was not contacted\. Pullkeeper does not connect to .*PULLKEEPER_CLUSTER_ALLOWED_HOSTS does not name it\.$/);
    }
    const allowed = clusterOutboundPolicy(parseAllowList("127.0.0.1,10.0.0.0/8"));
    expect(await clusterServerRefusal("https://127.0.0.1:6443", allowed)).toBeUndefined();
    expect(await clusterServerRefusal("https://10.1.2.3", allowed)).toBeUndefined();
    expect(await clusterServerRefusal("http://169.254.169.254", allowed)).toMatch(/does not connect to 169\.254\.169\.254:80/);
  });

  it("allows public addresses and refuses what is not an http(s) URL", async () => {
    expect(await clusterServerRefusal("https://203.0.113.0.nip.invalid:6443", strict)).toBeUndefined();
    expect(await clusterServerRefusal("https://8.8.8.8:6443", strict)).toBeUndefined();
    expect(await clusterServerRefusal("unix:///var/run/k8s.sock", strict)).toMatch(/not an http\(s\) URL/);
    expect(await clusterServerRefusal("not a url", strict)).toMatch(/not a URL/);
  });
});
