import {
  DEMO_ACCOUNT,
  DEMO_CLUSTER_ACCESS_SERVICE_ID,
  DEMO_CLUSTER_SERVICE_IDS,
  DEMO_OPERATOR,
  DEMO_TEAM_SERVICE_IDS,
  DEMO_RESTRICTED_USER,
} from "../demo-credentials";
import { roleName } from "./authz";
import {
  entityTag,
  identityTimestamp,
  stableUuid,
  type SimApiKey,
  type SimPolicy,
  type SimServiceId,
  type SimStateData,
} from "./state";

export const SERVICE_ROLE = (name: string) => `crn:v1:bluemix:public:iam::::serviceRole:${name}`;
export const PLATFORM_ROLE = (name: string) => `crn:v1:bluemix:public:iam::::role:${name}`;

const ROLE_DESCRIPTIONS: Record<string, string> = {
  Reader: "As a reader, you can perform read-only actions within a service such as viewing service-specific resources.",
  Writer: "As a writer, you have permissions beyond the reader role, including creating and editing service-specific resources.",
  Manager: "As a manager, you have permissions beyond the writer role to complete privileged actions as defined by the service.",
  Viewer: "As a viewer, you can view service instances, but you can't modify them.",
  Operator: "As an operator, you can perform platform actions required to configure and operate service instances.",
  Editor: "As an editor, you can perform all platform actions except for managing the account and assigning access policies.",
  Administrator: "As an administrator, you can perform all platform actions based on the resource this role is being assigned, including assigning access policies to other users.",
  ServiceIdCreator: "As a Service ID creator, you can create service IDs.",
};

export function describeRole(roleId: string): { role_id: string; display_name: string; description: string } {
  const name = roleName(roleId);
  return { role_id: roleId, display_name: name, description: ROLE_DESCRIPTIONS[name] ?? name };
}

export function serviceIdRecord(accountId: string, uuid: string, name: string, description: string, at: Date): SimServiceId {
  const id = `ServiceId-${uuid}`;
  return {
    id,
    iam_id: `iam-${id}`,
    entity_tag: entityTag(1),
    crn: `crn:v1:bluemix:public:iam-identity::a/${accountId}::serviceid:${id}`,
    locked: false,
    created_at: identityTimestamp(at),
    modified_at: identityTimestamp(at),
    account_id: accountId,
    name,
    description,
    unique_instance_crns: [],
  };
}

export function apiKeyRecord(
  input: { accountId: string; uuid: string; name: string; description?: string; iamId: string; createdBy: string; value: string; storeValue: boolean },
  at: Date,
): SimApiKey {
  const id = `ApiKey-${input.uuid}`;
  return {
    id,
    entity_tag: entityTag(1),
    crn: `crn:v1:bluemix:public:iam-identity::a/${input.accountId}::apikey:${id}`,
    locked: false,
    disabled: false,
    created_at: identityTimestamp(at),
    created_by: input.createdBy,
    modified_at: identityTimestamp(at),
    name: input.name,
    ...(input.description !== undefined ? { description: input.description } : {}),
    iam_id: input.iamId,
    account_id: input.accountId,
    support_sessions: false,
    action_when_leaked: "none",
    store_value: input.storeValue,
    apikey: input.value,
  };
}

export function policyRecord(
  input: { uuid: string; subjectIamId: string; roleIds: string[]; resource: Record<string, string>; createdBy: string; description?: string },
  at: Date,
): SimPolicy {
  const stamp = at.toISOString();
  return {
    id: input.uuid,
    type: "access",
    ...(input.description !== undefined ? { description: input.description } : {}),
    subjects: [{ attributes: [{ name: "iam_id", value: input.subjectIamId }] }],
    roles: input.roleIds.map(describeRole),
    resources: [
      { attributes: Object.entries(input.resource).map(([name, value]) => ({ name, value, operator: "stringEquals" })) },
    ],
    created_at: stamp,
    created_by_id: input.createdBy,
    last_modified_at: stamp,
    last_modified_by_id: input.createdBy,
    state: "active",
    etag_version: 1,
  };
}

/**
 * The demo account: an operator who may manage service IDs and registry access,
 * a restricted user who may only look, and the service IDs IKS created for the
 * demo clusters with Reader on container-registry in every region. The revoked
 * key of DEMO_CLUSTER_SERVICE_IDS is deliberately absent (it was deleted).
 */
export function demoSeed(): SimStateData {
  const accountId = DEMO_ACCOUNT.id;
  const at = new Date("2024-03-01T09:00:00Z");
  const account = (serviceName: string) => ({ accountId, serviceName });
  const policies: SimPolicy[] = [];
  const addPolicy = (label: string, subjectIamId: string, roleIds: string[], serviceName: string) =>
    policies.push(
      policyRecord(
        { uuid: stableUuid(`policy:${label}`), subjectIamId, roleIds, resource: account(serviceName), createdBy: DEMO_OPERATOR.iamId },
        at,
      ),
    );

  addPolicy("operator-identity", DEMO_OPERATOR.iamId, [PLATFORM_ROLE("Administrator")], "iam-identity");
  addPolicy("operator-registry", DEMO_OPERATOR.iamId, [PLATFORM_ROLE("Administrator"), SERVICE_ROLE("Manager")], "container-registry");
  addPolicy("restricted-identity", DEMO_RESTRICTED_USER.iamId, [PLATFORM_ROLE("Viewer")], "iam-identity");
  addPolicy("restricted-registry", DEMO_RESTRICTED_USER.iamId, [SERVICE_ROLE("Reader")], "container-registry");
  // Kubernetes Service: the operator manages every cluster; the viewer may list them but gets no kubeconfig.
  addPolicy("operator-kubernetes", DEMO_OPERATOR.iamId, [PLATFORM_ROLE("Administrator"), SERVICE_ROLE("Manager")], "containers-kubernetes");
  addPolicy("restricted-kubernetes", DEMO_RESTRICTED_USER.iamId, [PLATFORM_ROLE("Viewer")], "containers-kubernetes");

  const serviceIds: SimServiceId[] = [];
  const apiKeys: SimApiKey[] = [
    apiKeyRecord({ accountId, uuid: stableUuid("apikey:operator"), name: "pullkeeper-operator", iamId: DEMO_OPERATOR.iamId, createdBy: DEMO_OPERATOR.iamId, value: DEMO_OPERATOR.apiKey, storeValue: false }, at),
    apiKeyRecord({ accountId, uuid: stableUuid("apikey:restricted"), name: "viewer-key", iamId: DEMO_RESTRICTED_USER.iamId, createdBy: DEMO_RESTRICTED_USER.iamId, value: DEMO_RESTRICTED_USER.apiKey, storeValue: false }, at),
  ];
  for (const [cluster, sid] of Object.entries(DEMO_CLUSTER_SERVICE_IDS)) {
    const record = serviceIdRecord(accountId, stableUuid(`serviceid:${cluster}`), sid.name, `ID for ${cluster} demo cluster`, at);
    serviceIds.push(record);
    apiKeys.push(
      apiKeyRecord(
        { accountId, uuid: stableUuid(`apikey:${cluster}`), name: `${sid.name}-key`, description: `API key for ${record.id}`, iamId: record.iam_id, createdBy: DEMO_OPERATOR.iamId, value: sid.apiKey, storeValue: false },
        at,
      ),
    );
    addPolicy(`cluster-${cluster}`, record.iam_id, [SERVICE_ROLE("Reader")], "container-registry");
  }
  for (const [team, sid] of Object.entries(DEMO_TEAM_SERVICE_IDS)) {
    const record = serviceIdRecord(accountId, stableUuid(`serviceid:team:${team}`), sid.name, `Pulls ${team} images`, at);
    serviceIds.push(record);
    apiKeys.push(
      apiKeyRecord({ accountId, uuid: stableUuid(`apikey:team:${team}`), name: `${sid.name}-key`, iamId: record.iam_id, createdBy: DEMO_OPERATOR.iamId, value: sid.apiKey, storeValue: false }, at),
    );
    addPolicy(`team-${team}`, record.iam_id, [SERVICE_ROLE("Reader")], "container-registry");
  }

  const access = serviceIdRecord(accountId, stableUuid("serviceid:cluster-access"), DEMO_CLUSTER_ACCESS_SERVICE_ID.name, "Pullkeeper: discovers and reaches the Kubernetes Service clusters", at);
  serviceIds.push(access);
  apiKeys.push(
    apiKeyRecord({ accountId, uuid: stableUuid("apikey:cluster-access"), name: `${access.name}-key`, iamId: access.iam_id, createdBy: DEMO_OPERATOR.iamId, value: DEMO_CLUSTER_ACCESS_SERVICE_ID.apiKey, storeValue: false }, at),
  );
  addPolicy("cluster-access-kubernetes", access.iam_id, [PLATFORM_ROLE("Viewer"), SERVICE_ROLE("Writer")], "containers-kubernetes");

  return {
    accounts: [{ id: accountId, name: DEMO_ACCOUNT.name }],
    users: [
      { iam_id: DEMO_OPERATOR.iamId, email: DEMO_OPERATOR.email, name: "Platform Admin", account_id: accountId },
      { iam_id: DEMO_RESTRICTED_USER.iamId, email: DEMO_RESTRICTED_USER.email, name: "Read-only Viewer", account_id: accountId },
    ],
    serviceIds,
    apiKeys,
    policies,
  };
}

export function emptySeed(): SimStateData {
  return { accounts: [], users: [], serviceIds: [], apiKeys: [], policies: [] };
}
