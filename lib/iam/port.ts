/**
 * The IBM Cloud IAM port: everything Pullkeeper asks of IAM to give a cluster
 * namespace its own registry credential (the seed's "other accounts" procedure:
 * `ibmcloud iam service-id-create` → `service-policy-create` → `service-api-key-create`)
 * and to roll that back. Workflows depend on this interface only; the adapter in
 * ./client.ts implements it over IBM's SDKs.
 *
 * Every method throws {@link IamError} (./errors.ts) and nothing else. No value
 * returned here ever holds an API key or token, except {@link CreatedApiKey.apiKey}.
 */

export type RegistryRole = "Reader" | "Writer" | "Manager";

/** The identity behind the configured API key, read from its IAM access token claims. */
export interface IamIdentity {
  accountId: string;
  /** `IBMid-…` for users, `iam-ServiceId-…` for service IDs. */
  iamId: string;
  kind: "user" | "service_id" | "other";
  name?: string;
  email?: string;
}

export interface ServiceIdSummary {
  /** `ServiceId-<uuid>`. */
  id: string;
  /** `iam-ServiceId-<uuid>`: the subject of policies and the owner of API keys. */
  iamId: string;
  name: string;
  description?: string;
  accountId: string;
  createdAt?: string;
  /** True when the description carries Pullkeeper's marker (see ./conventions.ts). */
  managedByPullkeeper: boolean;
}

export interface FindOrCreateServiceIdInput {
  name: string;
  /** Human text; Pullkeeper appends its marker. */
  description: string;
  /** Defaults to the account of the configured API key. */
  accountId?: string;
}

export interface EnsureRegistryPolicyInput {
  serviceIamId: string;
  role: RegistryRole;
  /** IAM regions (`us-south`, `eu-gb`, …, `global`). Omitted or empty: account-wide, as IKS does. One policy per region. */
  regions?: string[];
  /** Restricts access to one registry namespace (`resourceType=namespace`). */
  registryNamespace?: string;
  accountId?: string;
  /** Human text; Pullkeeper appends its marker. */
  description?: string;
}

export interface EnsuredPolicy {
  policyId: string;
  /** The region this policy covers, or null for all regions. */
  region: string | null;
  created: boolean;
  /** Role names the policy grants (e.g. `["Reader"]`). */
  roles: string[];
}

export interface EnsureRegistryPolicyResult {
  /** The first (for a single scope, the only) policy. */
  policyId: string;
  /** True when at least one policy was created by this call. */
  created: boolean;
  /** One entry per requested region (one entry when account-wide). */
  policies: EnsuredPolicy[];
}

export interface RegistryPolicySummary {
  id: string;
  roles: string[];
  region: string | null;
  registryNamespace: string | null;
  description?: string;
  createdAt?: string;
  managedByPullkeeper: boolean;
}

export interface CreateApiKeyInput {
  serviceIamId: string;
  name: string;
  /** Human text; Pullkeeper appends its marker. */
  description: string;
  accountId?: string;
}

/**
 * The one object in this module that carries a secret. Hand `apiKey` straight
 * to the pull secret being written and drop the object: IAM never returns the
 * value again, and it must not be logged or stored anywhere else.
 */
export interface CreatedApiKey {
  id: string;
  name: string;
  iamId: string;
  apiKey: string;
}

export interface ApiKeySummary {
  id: string;
  name: string;
  description?: string;
  iamId: string;
  createdAt?: string;
  createdBy?: string;
  locked: boolean;
  disabled: boolean;
  managedByPullkeeper: boolean;
}

/**
 * Who owns an API key found in a pull secret, from IAM's details lookup by
 * value. Never holds the value itself; `keyId` and the owner identify it.
 */
export interface ApiKeyIdentity {
  keyId: string;
  keyName: string;
  /** The owner: `iam-ServiceId-…` for a service ID, `IBMid-…` for a user. */
  iamId: string;
  accountId: string;
  createdAt?: string;
  locked: boolean;
  disabled: boolean;
  owner: { kind: "service_id"; serviceId: string; name?: string } | { kind: "user" } | { kind: "other" };
}

/**
 * `found`: IAM answered with the key's details. `unknown`: IAM does not know the
 * value (deleted, never existed). `not_visible`: the key belongs to an account or
 * identity the configured API key may not see (403), so its owner stays unknown.
 */
export type ApiKeyLookup = { status: "found"; identity: ApiKeyIdentity } | { status: "unknown" } | { status: "not_visible" };

/** `granted`: a policy on the caller grants it directly. `unknown`: IAM offers no check; the first write decides. */
export type PermissionVerdict = "granted" | "unknown";

export interface PermissionPreflight {
  identity: IamIdentity;
  createServiceIds: PermissionVerdict;
  createApiKeys: PermissionVerdict;
  assignRegistryAccess: PermissionVerdict;
  /** Operator-readable notes on what was and could not be checked. */
  notes: string[];
}

export interface IamPort {
  /**
   * Who the configured API key belongs to. Exchanges the key for an IAM token
   * (`POST /identity/token`) and reads its claims; no other call.
   * @throws IamError `unauthorized` if IAM does not know the key.
   */
  whoAmI(): Promise<IamIdentity>;

  /**
   * Best-effort permission preflight. Lists the caller's own access policies
   * (`GET /v1/policies?iam_id=`) and reports what they grant directly. Access
   * through access groups or account ownership is invisible to that query, so a
   * missing grant is reported as `unknown`, never as denied.
   */
  canManageServiceIds(): Promise<PermissionPreflight>;

  /**
   * Finds a service ID by exact name in the account (`GET /v1/serviceids?name=`),
   * or creates it (`POST /v1/serviceids`). Idempotent: re-running returns the
   * existing one with `created: false`. IAM allows duplicate names; when several
   * exist, the oldest carrying Pullkeeper's marker wins, else the oldest.
   * @throws IamError `forbidden` naming the role needed to create service IDs.
   */
  findOrCreateServiceId(input: FindOrCreateServiceIdInput): Promise<{ serviceId: ServiceIdSummary; created: boolean }>;

  /**
   * The service ID `findOrCreateServiceId` would reuse for this name (`GET /v1/serviceids?name=`), or null
   * when it would create one. Lets a preview show a reused service ID as no change.
   */
  findServiceId(name: string, accountId?: string): Promise<ServiceIdSummary | null>;

  /**
   * Grants a service ID `role` on container-registry (optionally per region and
   * registry namespace) with v1 access policies (`POST /v1/policies`). Skips a
   * scope when a policy with identical attributes already grants `role` or a
   * stronger one, including when IAM answers 409 `policy_conflict_error`.
   * @throws IamError `conflict` when an identical-scope policy grants a weaker
   * role: Pullkeeper never edits an existing policy silently.
   * @throws IamError `forbidden` naming the Administrator role on container-registry.
   */
  ensureRegistryPolicy(input: EnsureRegistryPolicyInput): Promise<EnsureRegistryPolicyResult>;

  /** Access policies on container-registry whose subject is the service ID (`GET /v1/policies?iam_id=`). */
  listRegistryPolicies(serviceIamId: string, accountId?: string): Promise<RegistryPolicySummary[]>;

  /**
   * Creates an API key for the service ID (`POST /v1/apikeys`, `store_value: false`).
   * Never retried after a server error: the key may exist, and a retry would
   * mint a second one. The only method whose result carries a secret.
   */
  createApiKey(input: CreateApiKeyInput): Promise<CreatedApiKey>;

  /**
   * Who owns an API key, looked up by its value (`GET /v1/apikeys/details` with
   * the `IAM-ApiKey` header), plus the owning service ID's name when IAM lets the
   * configured key read it. The value travels only in that header and is
   * scrubbed from every error.
   */
  identifyApiKey(value: string): Promise<ApiKeyLookup>;

  /** API keys of one identity (`GET /v1/apikeys?iam_id=`), without their values. */
  listApiKeys(serviceIamId: string, accountId?: string): Promise<ApiKeySummary[]>;

  /** Service IDs in the account whose description carries Pullkeeper's marker. */
  listServiceIdsCreatedByPullkeeper(accountId?: string): Promise<ServiceIdSummary[]>;

  /**
   * `DELETE /v1/apikeys/{id}`. Tokens already issued stay valid until they expire (≤ 1 h).
   * The three deletes are for rollback: an id that is already gone counts as done.
   */
  deleteApiKey(id: string): Promise<void>;

  /**
   * `POST` / `DELETE /v1/apikeys/{id}/lock`. A locked key still authenticates; IAM refuses to
   * change or delete it (409) until it is unlocked. Idempotent; a key already gone is `not_found`.
   */
  setApiKeyLocked(id: string, locked: boolean): Promise<void>;

  /** `DELETE /v1/serviceids/{id}`; IAM deletes its API keys with it. */
  deleteServiceId(id: string): Promise<void>;

  /** `DELETE /v1/policies/{id}`. */
  deletePolicy(id: string): Promise<void>;
}
