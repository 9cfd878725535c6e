/**
 * The fake-but-well-formed credentials shared by the simulated Kubernetes fleet
 * (sim/fleet) and the simulated IBM Cloud (sim/ibm-cloud), so that the API keys
 * written into the demo clusters' pull secrets are the ones the simulated IAM
 * and registries accept.
 *
 * Every value contains CREDENTIAL_CANARY: the leak tests search responses, logs
 * and database files for it, and it must never be found outside the simulators.
 */
export const CREDENTIAL_CANARY = "PKCANARY7f3a9c";

/** Builds a 44-character IBM-style API key that embeds the canary. */
function demoApiKey(tag: string): string {
  const body = `${tag}_${CREDENTIAL_CANARY}_`;
  return (body + "x".repeat(44)).slice(0, 44);
}

export const DEMO_ACCOUNT = {
  id: "9f0e1d2c3b4a59687766554433221100",
  name: "Pullkeeper Demo Account",
} as const;

/** The key Pullkeeper itself runs with in the demo (IBMCLOUD_API_KEY). */
export const DEMO_OPERATOR = {
  iamId: "IBMid-270000DEMO",
  email: "platform-admin@example.com",
  apiKey: demoApiKey("operator"),
} as const;

/** A user who may read but not create service IDs or policies. */
export const DEMO_RESTRICTED_USER = {
  iamId: "IBMid-270000VIEW",
  email: "viewer@example.com",
  apiKey: demoApiKey("restricted"),
} as const;

/**
 * Service IDs that IKS created for the demo clusters, each with the API key
 * that sits in that cluster's `default-*-icr-io` / `all-icr-io` secrets.
 * `revokedApiKey` was the key before a rotation: copies made before the
 * rotation still carry it, and the registries reject it.
 */
export const DEMO_CLUSTER_SERVICE_IDS = {
  regional: {
    name: "regional-cluster-service-id",
    apiKey: demoApiKey("regional"),
    revokedApiKey: demoApiKey("regional-old"),
  },
  modern: {
    name: "modern-cluster-service-id",
    apiKey: demoApiKey("modern"),
    revokedApiKey: null,
  },
} as const;

/**
 * A team's own, narrowly scoped service ID (IBM's least-privilege advice): its key
 * sits in a secret of the `payments` namespace of `regional`. It is an independent
 * credential, not a copy of the cluster's key, and must never be reported stale.
 */
export const DEMO_TEAM_SERVICE_IDS = {
  payments: {
    name: "team-payments-puller",
    apiKey: demoApiKey("team-payments"),
  },
} as const;

/**
 * The service ID whose key Pullkeeper uses to discover and reach the demo account's
 * Kubernetes Service clusters (IBM recommends a service ID over a person's key): Viewer
 * to list clusters, Writer (the `edit` role in each cluster) to manage pull secrets.
 */
export const DEMO_CLUSTER_ACCESS_SERVICE_ID = {
  name: "pullkeeper-cluster-access",
  apiKey: demoApiKey("cluster-access"),
} as const;

/** Discontinued registry tokens (user `token`): well-formed, rejected by every registry. */
export const DEMO_LEGACY_TOKENS = {
  regional: `eyJhbGciOiJIUzI1NiJ9.legacy-regional-${CREDENTIAL_CANARY}.c2lnbmF0dXJl`,
  international: `eyJhbGciOiJIUzI1NiJ9.legacy-international-${CREDENTIAL_CANARY}.c2lnbmF0dXJl`,
} as const;

/** A third-party private registry seen in the demo (basic auth). */
export const DEMO_PRIVATE_REGISTRY = {
  server: "registry.example.com",
  username: "robot$ci",
  password: `private-${CREDENTIAL_CANARY}-pass`,
} as const;
