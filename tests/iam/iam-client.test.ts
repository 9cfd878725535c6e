import IamIdentityV1 from "@ibm-cloud/platform-services/iam-identity/v1";
import IamPolicyManagementV1 from "@ibm-cloud/platform-services/iam-policy-management/v1";
import { IamAuthenticator } from "ibm-cloud-sdk-core";
import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createIamClient, IamError, serviceIdDescriptionFor, serviceIdNameFor, apiKeyNameFor, apiKeyDescriptionFor, type IamPort } from "@/lib/iam";
import { DEMO_ACCOUNT, DEMO_CLUSTER_SERVICE_IDS, DEMO_OPERATOR, DEMO_RESTRICTED_USER } from "@/sim/demo-credentials";
import { startIbmCloudSim, type IbmCloudSim } from "@/sim/ibm-cloud";

let sim: IbmCloudSim;
let operator: IamPort;

const fastRetry = { baseDelayMs: 10, maxDelayMs: 2_000, maxRetries: 2 };

function client(apiKey: string, extra: Partial<Parameters<typeof createIamClient>[0]> = {}): IamPort {
  return createIamClient({ apiKey, iamUrl: sim.url, timeoutMs: 5_000, retry: fastRetry, ...extra });
}

async function expectIamError(promise: Promise<unknown>): Promise<IamError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(IamError);
    return error as IamError;
  }
  throw new Error("expected an IamError, got success");
}

beforeAll(async () => {
  sim = await startIbmCloudSim();
  operator = client(DEMO_OPERATOR.apiKey);
});

afterAll(async () => {
  await sim.close();
});

afterEach(() => {
  sim.setFaults({});
});

describe("whoAmI", () => {
  it("reads the account and identity from the IAM token", async () => {
    const me = await operator.whoAmI();
    expect(me).toEqual({ accountId: DEMO_ACCOUNT.id, iamId: DEMO_OPERATOR.iamId, kind: "user", name: "Platform Admin", email: DEMO_OPERATOR.email });
  });
});

describe("the seed's 'other accounts' procedure: service ID -> policy -> API key", () => {
  it("creates each piece once, and a re-run creates nothing new", async () => {
    const name = serviceIdNameFor("prod-eu", "payments");
    const first = await operator.findOrCreateServiceId({ name, description: serviceIdDescriptionFor("prod-eu", "payments") });
    expect(first.created).toBe(true);
    expect(first.serviceId).toMatchObject({ name, accountId: DEMO_ACCOUNT.id, managedByPullkeeper: true });
    expect(first.serviceId.id).toMatch(/^ServiceId-[0-9a-f-]{36}$/);
    expect(first.serviceId.iamId).toBe(`iam-${first.serviceId.id}`);

    const policy = await operator.ensureRegistryPolicy({ serviceIamId: first.serviceId.iamId, role: "Reader", regions: ["eu-de"], registryNamespace: "payments" });
    expect(policy.created).toBe(true);
    expect(policy.policies).toEqual([{ policyId: policy.policyId, region: "eu-de", created: true, roles: ["Reader"] }]);

    const key = await operator.createApiKey({
      serviceIamId: first.serviceId.iamId,
      name: apiKeyNameFor("prod-eu", "payments"),
      description: apiKeyDescriptionFor(first.serviceId.id, "prod-eu", "payments"),
    });
    expect(key.apiKey.length).toBeGreaterThanOrEqual(40);
    expect(key.iamId).toBe(first.serviceId.iamId);

    // The new key is a working IAM credential for that service ID.
    expect(await client(key.apiKey).whoAmI()).toMatchObject({ iamId: first.serviceId.iamId, kind: "service_id", accountId: DEMO_ACCOUNT.id });

    const again = await operator.findOrCreateServiceId({ name, description: serviceIdDescriptionFor("prod-eu", "payments") });
    expect(again).toEqual({ serviceId: first.serviceId, created: false });
    const policyAgain = await operator.ensureRegistryPolicy({ serviceIamId: first.serviceId.iamId, role: "Reader", regions: ["eu-de"], registryNamespace: "payments" });
    expect(policyAgain).toEqual({ policyId: policy.policyId, created: false, policies: [{ policyId: policy.policyId, region: "eu-de", created: false, roles: ["Reader"] }] });

    const keys = await operator.listApiKeys(first.serviceId.iamId);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ id: key.id, name: key.name, managedByPullkeeper: true, locked: false });
    expect(JSON.stringify(keys)).not.toContain(key.apiKey);

    const mine = await operator.listServiceIdsCreatedByPullkeeper();
    expect(mine.map((s) => s.id)).toContain(first.serviceId.id);
    expect(mine.map((s) => s.name)).not.toContain(DEMO_CLUSTER_SERVICE_IDS.regional.name);

    expect(await operator.listRegistryPolicies(first.serviceId.iamId)).toEqual([
      expect.objectContaining({ id: policy.policyId, roles: ["Reader"], region: "eu-de", registryNamespace: "payments", managedByPullkeeper: true }),
    ]);
  });

  it("creates one policy per region and skips the regions already granted", async () => {
    const { serviceId } = await operator.findOrCreateServiceId({ name: "multi-region-id", description: "multi" });
    const one = await operator.ensureRegistryPolicy({ serviceIamId: serviceId.iamId, role: "Reader", regions: ["us-south"] });
    const both = await operator.ensureRegistryPolicy({ serviceIamId: serviceId.iamId, role: "Reader", regions: ["us-south", "uk-south"] });
    expect(both.created).toBe(true);
    expect(both.policies).toEqual([
      { policyId: one.policyId, region: "us-south", created: false, roles: ["Reader"] },
      expect.objectContaining({ region: "eu-gb", created: true }),
    ]);
  });

  it("skips when a stronger role already covers the scope, and refuses to weaken or silently edit", async () => {
    const { serviceId } = await operator.findOrCreateServiceId({ name: "role-check-id", description: "roles" });
    const writer = await operator.ensureRegistryPolicy({ serviceIamId: serviceId.iamId, role: "Writer" });
    expect(writer.created).toBe(true);
    const reader = await operator.ensureRegistryPolicy({ serviceIamId: serviceId.iamId, role: "Reader" });
    expect(reader).toMatchObject({ created: false, policyId: writer.policyId });
    const err = await expectIamError(operator.ensureRegistryPolicy({ serviceIamId: serviceId.iamId, role: "Manager" }));
    expect(err.kind).toBe("conflict");
    expect(err.context.policyId).toBe(writer.policyId);
    expect(err.message).toContain(`Access policy ${writer.policyId}`);
    expect(err.message).toContain("does not change existing policies");
  });

  it("treats IAM's real 409 policy_conflict_error as 'already exists' when two runs race", async () => {
    const { serviceId } = await operator.findOrCreateServiceId({ name: "race-id", description: "race" });
    const other = client(DEMO_OPERATOR.apiKey);
    await other.whoAmI();
    const conflictsBefore = sim.stats().byStatus["409"] ?? 0;
    // Equal latency on both clients' list calls lines their creates up, so one of them meets IAM's 409.
    sim.setFaults({ latencyMs: 150, pathPrefix: "/v1/policies" });
    const results = await Promise.all([
      operator.ensureRegistryPolicy({ serviceIamId: serviceId.iamId, role: "Reader", regions: ["jp-tok"] }),
      other.ensureRegistryPolicy({ serviceIamId: serviceId.iamId, role: "Reader", regions: ["jp-tok"] }),
    ]);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect((sim.stats().byStatus["409"] ?? 0) - conflictsBefore).toBe(1);
    expect(results[0]?.policyId).toBe(results[1]?.policyId);
    expect(await operator.listRegistryPolicies(serviceId.iamId)).toHaveLength(1);
  });

  it("the simulator answers a duplicate policy with IAM's 409 body (raw SDK)", async () => {
    const authenticator = new IamAuthenticator({ apikey: DEMO_OPERATOR.apiKey, url: sim.url });
    const policies = new IamPolicyManagementV1({ authenticator, serviceUrl: sim.url });
    const identity = new IamIdentityV1({ authenticator, serviceUrl: sim.url });
    const sid = (await identity.createServiceId({ accountId: DEMO_ACCOUNT.id, name: "raw-sdk-id" })).result;
    const body = {
      type: "access",
      subjects: [{ attributes: [{ name: "iam_id", value: sid.iam_id }] }],
      roles: [{ role_id: "crn:v1:bluemix:public:iam::::serviceRole:Reader" }],
      resources: [{ attributes: [{ name: "accountId", value: DEMO_ACCOUNT.id }, { name: "serviceName", value: "container-registry" }] }],
    };
    const created = await policies.createPolicy(body);
    expect(created.status).toBe(201);
    const dup = await policies.createPolicy(body).catch((e: { status: number; result: { errors: Array<{ code: string; details: { conflicts_with: { policy: { id: string } } } }> } }) => e);
    expect(dup).toMatchObject({ status: 409 });
    const e = dup as { result: { errors: Array<{ code: string; details: { conflicts_with: { policy: { id: string } } } }> } };
    expect(e.result.errors[0]?.code).toBe("policy_conflict_error");
    expect(e.result.errors[0]?.details.conflicts_with.policy.id).toBe(created.result.id);
  });

  it("rolls back: deletes the key, the policy and the service ID, and tolerates re-deletes", async () => {
    const { serviceId } = await operator.findOrCreateServiceId({ name: "rollback-id", description: "rb" });
    const policy = await operator.ensureRegistryPolicy({ serviceIamId: serviceId.iamId, role: "Reader" });
    const key = await operator.createApiKey({ serviceIamId: serviceId.iamId, name: "rollback-key", description: "rb" });
    await operator.deleteApiKey(key.id);
    await operator.deletePolicy(policy.policyId);
    await operator.deleteServiceId(serviceId.id);
    await operator.deleteServiceId(serviceId.id);
    expect(await operator.listRegistryPolicies(serviceId.iamId)).toEqual([]);
    expect((await operator.listServiceIdsCreatedByPullkeeper()).map((s) => s.id)).not.toContain(serviceId.id);
    const gone = await expectIamError(client(key.apiKey).whoAmI());
    expect(gone.kind).toBe("unauthorized");
  });
});

describe("permission preflight", () => {
  it("reports direct grants for the operator and unknown (not denied) for the restricted user", async () => {
    const op = await operator.canManageServiceIds();
    expect(op).toMatchObject({ createServiceIds: "granted", createApiKeys: "granted", assignRegistryAccess: "granted", notes: [] });
    const viewer = await client(DEMO_RESTRICTED_USER.apiKey).canManageServiceIds();
    expect(viewer).toMatchObject({ createServiceIds: "unknown", createApiKeys: "unknown", assignRegistryAccess: "unknown" });
    expect(viewer.notes.join(" ")).toContain("first write");
  });
});

describe("failures surface as IamError kinds an operator can act on", () => {
  it("unauthorized for an API key IAM does not know", async () => {
    const bad = client(DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey);
    const err = await expectIamError(bad.findOrCreateServiceId({ name: "never", description: "x" }));
    expect(err).toMatchObject({ kind: "unauthorized", operation: "authenticate", status: 400 });
    expect(err.ibmCode).toBe("BXNIM0415E");
    expect(err.message).toContain("IAM does not know this API key");
  });

  it("forbidden, naming the role, when the caller may not create service IDs", async () => {
    const viewer = client(DEMO_RESTRICTED_USER.apiKey);
    const err = await expectIamError(viewer.findOrCreateServiceId({ name: "viewer-cannot-create", description: "x" }));
    expect(err).toMatchObject({ kind: "forbidden", operation: "create_service_id", status: 403 });
    expect(err.message).toContain("Operator, Editor or Administrator platform role on the IAM Identity Service (iam-identity)");
  });

  it("forbidden, naming the role, when the caller may not create policies", async () => {
    const { serviceId } = await operator.findOrCreateServiceId({ name: "viewer-policy-target", description: "x" });
    const err = await expectIamError(client(DEMO_RESTRICTED_USER.apiKey).ensureRegistryPolicy({ serviceIamId: serviceId.iamId, role: "Reader" }));
    expect(err).toMatchObject({ kind: "forbidden", operation: "create_policy" });
    expect(err.message).toContain("Administrator platform role on Container Registry (container-registry)");
  });

  it("rate_limited with retryAfter when IAM's Retry-After is longer than the adapter will wait", async () => {
    sim.setFaults({ rateLimitNext: 10, retryAfterSeconds: 30, pathPrefix: "/v1/serviceids" });
    const err = await expectIamError(operator.listServiceIdsCreatedByPullkeeper());
    expect(err).toMatchObject({ kind: "rate_limited", status: 429, retryAfterSeconds: 30, operation: "list_service_ids" });
    expect(err.message).toContain("Retry after 30 s");
    expect(sim.stats().injected.rateLimited).toBeGreaterThanOrEqual(1);
  });

  it("retries a 429 after Retry-After, even for a create", async () => {
    const before = sim.stats();
    sim.setFaults({ rateLimitNext: 1, retryAfterSeconds: 1, pathPrefix: "/v1/apikeys" });
    const { serviceId } = await operator.findOrCreateServiceId({ name: "retry-429-id", description: "x" });
    const started = Date.now();
    const key = await operator.createApiKey({ serviceIamId: serviceId.iamId, name: "retry-429-key", description: "x" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(key.id).toMatch(/^ApiKey-/);
    const after = sim.stats();
    expect(after.injected.rateLimited - before.injected.rateLimited).toBe(1);
    expect((after.byRoute["POST /v1/apikeys"] ?? 0) - (before.byRoute["POST /v1/apikeys"] ?? 0)).toBe(2);
  });

  it("unavailable on 5xx: reads are retried, creates are not", async () => {
    sim.setFaults({ failNext: 1, pathPrefix: "/v1/serviceids" });
    await expect(operator.listServiceIdsCreatedByPullkeeper()).resolves.toBeInstanceOf(Array);

    sim.setFaults({ failNext: 10, errorStatus: 502, pathPrefix: "/v1/serviceids" });
    const read = await expectIamError(operator.listServiceIdsCreatedByPullkeeper());
    expect(read).toMatchObject({ kind: "unavailable", status: 502 });
    expect(read.message).toContain("HTTP 502");

    const { serviceId } = await operator.findOrCreateServiceId({ name: "no-retry-id", description: "x" }).catch(() => ({ serviceId: undefined }));
    expect(serviceId).toBeUndefined();
    sim.setFaults({});
    const target = await operator.findOrCreateServiceId({ name: "no-retry-id", description: "x" });
    const before = sim.stats().byRoute["POST /v1/apikeys"] ?? 0;
    sim.setFaults({ failNext: 1, pathPrefix: "/v1/apikeys" });
    const create = await expectIamError(operator.createApiKey({ serviceIamId: target.serviceId.iamId, name: "k", description: "x" }));
    expect(create).toMatchObject({ kind: "unavailable", status: 503, operation: "create_api_key" });
    expect((sim.stats().byRoute["POST /v1/apikeys"] ?? 0) - before).toBe(1);
  });

  it("unavailable with 'timed out after N ms' when IAM is slow", async () => {
    sim.setFaults({ latencyMs: 1_500 });
    const slow = client(DEMO_OPERATOR.apiKey, { timeoutMs: 300, retry: { maxRetries: 0 } });
    const err = await expectIamError(slow.whoAmI());
    expect(err.kind).toBe("unavailable");
    expect(err.message).toContain("timed out after 300 ms");
  });

  it("unavailable when nothing listens on the IAM endpoint", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const nowhere = createIamClient({ apiKey: DEMO_OPERATOR.apiKey, iamUrl: `http://127.0.0.1:${port}`, retry: { maxRetries: 0 } });
    const err = await expectIamError(nowhere.whoAmI());
    expect(err.kind).toBe("unavailable");
    expect(err.message).toContain("unreachable");
    expect(err.message).toContain(`127.0.0.1:${port}`);
  });

  it("invalid for a request IAM rejects", async () => {
    const err = await expectIamError(operator.ensureRegistryPolicy({ serviceIamId: "iam-ServiceId-x", role: "Reader", registryNamespace: "x".repeat(1001) }));
    expect(err).toMatchObject({ kind: "invalid", status: 400, operation: "create_policy" });
  });

  it("not_found is not an error for rollback deletes, but is for other calls", async () => {
    await expect(operator.deleteApiKey("ApiKey-00000000-0000-4000-a000-000000000000")).resolves.toBeUndefined();
    const err = await expectIamError(operator.createApiKey({ serviceIamId: "iam-ServiceId-00000000-0000-4000-a000-000000000000", name: "k", description: "x" }));
    expect(err.kind).toBe("not_found");
  });
});
