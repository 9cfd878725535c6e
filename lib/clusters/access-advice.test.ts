import { describe, expect, it } from "vitest";
import { accessAdvice, addProblemOf, ownerLabel, probeProblemOf } from "./access-advice";

const serviceId = { ownerKind: "service_id" as const, ownerName: "pullkeeper-cluster-access", ownerIamId: "iam-ServiceId-1234" };

describe("what to grant when a key cannot reach a cluster", () => {
  it("names the key's owner as IAM does", () => {
    expect(ownerLabel(serviceId)).toBe('the service ID "pullkeeper-cluster-access" (iam-ServiceId-1234)');
    expect(ownerLabel({ ...serviceId, ownerName: null })).toBe("the service ID iam-ServiceId-1234");
    expect(ownerLabel({ ownerKind: "user", ownerName: null, ownerIamId: "IBMid-27000" })).toBe("the user IBMid-27000");
  });

  it("classifies a failure to add a cluster by where it came from and its kind", () => {
    expect(addProblemOf("iks", "forbidden")).toBe("no_service_role");
    expect(addProblemOf("iks", "not_found")).toBe("cluster_gone");
    expect(addProblemOf("clusters", "not_found")).toBe("cluster_gone");
    expect(addProblemOf("clusters", "conflict")).toBe("name_taken");
    expect(addProblemOf("iks", "unauthorized")).toBe("key_refused");
    expect(addProblemOf("iks", "invalid")).toBe("kubeconfig_unusable");
    expect(addProblemOf("iks", "rate_limited")).toBe("ibm_unavailable");
  });

  it("turns a cluster's answer to a probe into the problem it shows", () => {
    expect(probeProblemOf("reachable")).toBeNull();
    expect(probeProblemOf("forbidden")).toBe("rbac_not_synced");
    expect(probeProblemOf("unauthorized")).toBe("token_refused");
    expect(probeProblemOf("tls_error")).toBe("unreachable");
  });

  it("says the exact role, service and owner to grant", () => {
    expect(accessAdvice("no_service_role", serviceId, "regional")).toMatch(/give the service ID "pullkeeper-cluster-access" \(iam-ServiceId-1234\) the Writer service access role on Kubernetes Service for the cluster regional/);
    expect(accessAdvice("rbac_not_synced", serviceId, "regional")).toMatch(/Sync access/);
    expect(accessAdvice("sees_no_cluster", serviceId)).toMatch(/Viewer platform access role and the Writer service access role/);
  });
});
