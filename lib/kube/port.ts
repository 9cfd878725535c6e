import type { SourceReads } from "./source-reads";
import type { Provenance } from "@/lib/provenance/annotations";
import type { DeleteExpectation, RefreshCopyOptions, RotateKeyOptions } from "./write-options";
import type { CredentialKind, PullSecretType, RegistryCredentialInfo } from "@/lib/registry/docker-config";

/** One kubeconfig context: Pullkeeper treats every context as a cluster. */
export interface ClusterInfo {
  /** Context name, the cluster's identity everywhere in Pullkeeper. */
  name: string;
  /** The kubeconfig `clusters[]` entry the context points at. */
  clusterEntry: string;
  server: string;
  /** The kubeconfig user entry name (not a credential). */
  user: string;
  /** The context's namespace, if set. */
  namespace: string | null;
  /** The kubeconfig file the context came from (null for in-cluster). */
  sourceFile: string | null;
}

export type ProbeStatus = "reachable" | "unauthorized" | "forbidden" | "unreachable" | "tls_error";

export interface ProbeResult {
  cluster: string;
  status: ProbeStatus;
  /** Operator-readable explanation of the status. */
  message: string;
  /** `gitVersion` from /version, when the server answered it. */
  serverVersion: string | null;
  /** Who the server says we are (SelfSubjectReview) or, where that API is missing, the kubeconfig user name. */
  identity: { username: string; groups: string[]; source: "self-subject-review" | "kubeconfig" } | null;
  latencyMs: number;
  checkedAt: string;
}

export type ManagedBy = "helm" | "argocd" | "flux" | "replicator" | "reflector" | "kubed" | "kyverno" | "external-secrets" | "pullkeeper" | null;

export interface NamespaceDto {
  cluster: string;
  name: string;
  labels: Record<string, string>;
  phase: string;
  createdAt: string | null;
}

/** An image pull secret, described without any secret value. */
export interface PullSecretDto {
  cluster: string;
  namespace: string;
  name: string;
  type: PullSecretType;
  registries: RegistryCredentialInfo[];
  /** Fingerprint of all entries together (null when the content could not be parsed). */
  credentialFingerprint: string | null;
  /** Why the content is unusable, if it is (`not_json`, `missing_key`, ...), with a safe message. */
  parseError: { reason: string; message: string } | null;
  createdAt: string | null;
  /** Labels only: annotations can hold `last-applied-configuration`, which embeds the data. */
  labels: Record<string, string>;
  managedBy: ManagedBy;
  /** Set when the secret's own metadata names its source (Pullkeeper, replicator, reflector, kubed annotations). */
  copyOf?: { namespace: string; name: string; sourceFingerprint?: string };
  /** What the pullkeeper.io provenance annotations claim (lib/provenance); a claim until proven against the audit log. */
  provenance?: Provenance | null;
}

export interface ServiceAccountDto {
  cluster: string;
  namespace: string;
  name: string;
  imagePullSecrets: string[];
  createdAt: string | null;
  labels: Record<string, string>;
  managedBy: ManagedBy;
  resourceVersion: string | null;
}

/** A service account's imagePullSecrets as some read saw them, with the resourceVersion of that read (a write precondition). */
export interface KnownImagePullSecrets {
  resourceVersion: string;
  imagePullSecrets: string[];
}

export interface ContainerImageDto {
  container: string;
  image: string;
  init: boolean;
}

export interface WorkloadDto {
  cluster: string;
  namespace: string;
  kind: "Pod" | "Deployment";
  name: string;
  images: ContainerImageDto[];
  /** The object's own `imagePullSecrets` (for a pod: what the kubelet will use, including those admission copied from its SA). */
  imagePullSecrets: string[];
  serviceAccountName: string;
  createdAt: string | null;
  /** Controller owner (pods: ReplicaSet/StatefulSet/...; for ReplicaSets of Deployments also `deployment`). */
  owner: { kind: string; name: string; deployment?: string } | null;
  managedBy: ManagedBy;
  /** Pods: phase and containers stuck on image pulls. */
  phase?: string;
  imagePullErrors?: ImagePullErrorDto[];
  /** Deployments: the template's `kubectl.kubernetes.io/restartedAt` annotation; pods: their own copy of it (which template made them). */
  restartedAt?: string | null;
}

/** A container waiting on its image, as the kubelet reports it (no credential is ever in these texts). */
export interface ImagePullErrorDto {
  container: string;
  /** `ErrImagePull`, `ImagePullBackOff`, `InvalidImageName`, `ErrImageNeverPull`. */
  reason: string;
  /** The waiting message: the runtime's error, or only "Back-off pulling image …" on kubelets before 1.32. */
  message: string;
  /** The newest Warning `Failed` event's runtime error for this container ("Failed to pull image …: <error>"), when it was read. */
  lastPullError?: string;
}

export type InventoryScope = "cluster" | "namespaces";

/** Everything coverage needs for one cluster, as plain DTOs. */
export interface PullSecretInventory {
  cluster: string;
  readAt: string;
  /** `cluster`: cluster-wide lists were allowed. `namespaces`: per-namespace fallback (see `notes`). */
  scope: InventoryScope;
  namespaces: NamespaceDto[];
  /** Namespaces whose contents could not be read (forbidden), with the reason. */
  unreadableNamespaces: { namespace: string; message: string }[];
  pullSecrets: PullSecretDto[];
  serviceAccounts: ServiceAccountDto[];
  workloads: WorkloadDto[];
  /** Operator-readable remarks about how the inventory was gathered (fallbacks, guesses). */
  notes: string[];
  /** HTTP requests this read made (including retries). */
  requestCount: number;
}

export type { DeleteExpectation, RefreshCopyOptions, RotateKeyOptions } from "./write-options";

export interface ObjectRef {
  namespace: string;
  name: string;
}

/** A named object a workflow plan depends on. */
export interface ObjectKey extends ObjectRef {
  kind: "Secret" | "ServiceAccount" | "Deployment";
}

/** One object as read by name: the inventory's DTO for it, or null when it is absent (or a secret that is not a pull secret). */
export type ObservedObject = PullSecretDto | ServiceAccountDto | WorkloadDto | null;

export interface SecretWriteResult {
  namespace: string;
  name: string;
  secret: PullSecretDto;
}

export interface ImagePullSecretsChange {
  namespace: string;
  serviceAccount: string;
  before: string[];
  after: string[];
  changed: boolean;
  /** Attempts made (more than 1 when a 409 Conflict was retried). */
  attempts: number;
}

export interface DeploymentImagesChange {
  namespace: string;
  name: string;
  changes: { container: string; init: boolean; before: string; after: string }[];
}

export interface AccessCheck {
  verb: string;
  resource: string;
  namespace?: string;
  /** API group, "" for core (default), "apps" for deployments. */
  group?: string;
  name?: string;
}

export interface AccessDecision {
  allowed: boolean;
  reason: string | null;
}

export type { InClusterOptions, KubeGatewayOptions, KubeRequestEvent, RetryOptions, TokenSourceCluster } from "./port-options";

/** Inputs for a new pull secret. `dockerConfigJson` is the decoded JSON text, built with lib/registry. */
export interface NewPullSecret {
  namespace: string;
  name: string;
  dockerConfigJson: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * The Kubernetes port. Every method throws KubeError (closed `kind`) on failure,
 * and returns DTOs that never contain secret values.
 */
export interface KubeGateway {
  /** Every kubeconfig context, as a cluster. */
  listClusters(): ClusterInfo[];
  /** Reachability, server version and identity. Never throws for cluster-side failures: they are the result. */
  probe(cluster: string): Promise<ProbeResult>;
  /**
   * Namespaces, pull secrets (`kubernetes.io/dockerconfigjson` and `kubernetes.io/dockercfg`),
   * service accounts, pods and deployments, read cluster-wide with paged lists
   * (GET /api/v1/namespaces, /api/v1/secrets?fieldSelector=type=..., /api/v1/serviceaccounts,
   * /api/v1/pods, /apis/apps/v1/deployments). When a cluster-wide list is Forbidden it falls back
   * to per-namespace lists of the namespaces it can see, and says so in `notes`. When even the namespace
   * list is forbidden, the context namespace plus `knownNamespaces` are read.
   */
  readPullSecretInventory(cluster: string, opts?: { knownNamespaces?: string[] }): Promise<PullSecretInventory>;
  /**
   * Reads named secrets, service accounts and deployments, one GET each
   * (/api/v1/namespaces/{ns}/secrets/{name}, …/serviceaccounts/{name},
   * /apis/apps/v1/namespaces/{ns}/deployments/{name}), mapped exactly as the inventory maps them;
   * null for an absent object. In the order of `keys`.
   */
  readObjects(cluster: string, keys: readonly ObjectKey[]): Promise<ObservedObject[]>;
  /**
   * The pods of one namespace as the inventory maps them (GET /api/v1/namespaces/{ns}/pods), plus, when a failing
   * pod's status omits the pull error, one Events list with `fieldSelector=involvedObject.kind=Pod,reason=Failed,type=Warning`.
   */
  readPods(cluster: string, namespace: string): Promise<WorkloadDto[]>;
  /** POST a `kubernetes.io/dockerconfigjson` secret. Throws already_exists, invalid, forbidden... */
  createPullSecret(cluster: string, secret: NewPullSecret): Promise<SecretWriteResult>;
  /**
   * Copies a pull secret: the copy is built from the source's `type` and `data` and
   * an explicit name only (no uid, resourceVersion, managedFields, ownerReferences,
   * last-applied-configuration or foreign labels), labelled managed-by pullkeeper and
   * annotated with the source namespace/name and content fingerprint. With `sources`, a source
   * already read through the same holder is not read again (one read per run chunk, not per copy).
   */
  copySecret(cluster: string, from: ObjectRef, to: ObjectRef, opts?: { annotations?: Record<string, string>; sources?: SourceReads }): Promise<SecretWriteResult>;
  /**
   * Brings the copy `to` up to date with `from`: one GET of each, then a PUT of the target with the
   * resourceVersion that was read (a legacy `.dockercfg` target keeps its type). Throws a non-transient
   * `conflict` when the target's fingerprint is not `expectedFingerprint`, or when the server answers
   * 409 because the target was written in between; nothing is overwritten then.
   */
  refreshSecretCopy(cluster: string, from: ObjectRef, to: ObjectRef, opts?: RefreshCopyOptions): Promise<SecretWriteResult>;
  /** Replaces the named API keys of one pull secret with a new one (GET, then PUT with its resourceVersion); `written: false` when it already held it. */
  rotateApiKey(cluster: string, ref: ObjectRef, opts: RotateKeyOptions): Promise<SecretWriteResult & { written: boolean }>;
  /**
   * Adds names to a service account's imagePullSecrets, deduplicated: a merge patch of the whole list carrying the
   * resourceVersion it was computed from (the server answers 409 when someone wrote in between), read again and
   * retried on 409. With `known` (the caller's own read of it, e.g. the plan's), the first attempt needs no GET.
   */
  addImagePullSecrets(cluster: string, namespace: string, serviceAccount: string, names: string[], known?: KnownImagePullSecrets): Promise<ImagePullSecretsChange>;
  /** Removes names from a service account's imagePullSecrets (same precondition and retry). */
  removeImagePullSecrets(cluster: string, namespace: string, serviceAccount: string, names: string[], known?: KnownImagePullSecrets): Promise<ImagePullSecretsChange>;
  /** Rewrites container and initContainer images of a Deployment's template (`rewrite` returns the new reference or undefined to keep it). */
  setDeploymentImages(cluster: string, ref: ObjectRef, rewrite: (image: string) => string | undefined): Promise<DeploymentImagesChange>;
  /** Sets the template annotation `kubectl.kubernetes.io/restartedAt`, as `kubectl rollout restart` does. */
  restartDeployment(cluster: string, ref: ObjectRef, opts?: { at?: Date }): Promise<{ restartedAt: string }>;
  /** Deletes a secret, with a uid + resourceVersion precondition; refuses (forbidden) unless it is Pullkeeper-managed or `force` is set. */
  deleteSecret(cluster: string, ref: ObjectRef, opts?: { force?: boolean; expect?: DeleteExpectation }): Promise<{ deleted: boolean }>;
  /** SelfSubjectAccessReview. */
  canI(cluster: string, check: AccessCheck): Promise<AccessDecision>;
  /**
   * Runs `consume` with the decoded credentials of one pull secret (for registry
   * verification) without the credentials ever leaving the callback's scope in a DTO.
   */
  withPullSecretCredentials<T>(cluster: string, ref: ObjectRef, consume: (creds: { registry: string; username: string; password: string; credentialKind: CredentialKind }[]) => Promise<T>): Promise<T>;
  /** Releases keep-alive sockets. */
  close(): void;
}
