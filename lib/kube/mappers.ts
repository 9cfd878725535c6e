import { readProvenance } from "@/lib/provenance/annotations";
import { DOCKER_CFG_KEY, DOCKER_CONFIG_JSON_KEY, DockerConfigParseError, parsePullSecretData, type ParsedPullSecret, type PullSecretType } from "@/lib/registry/docker-config";
import type { V1DaemonSet, V1Deployment, V1Namespace, V1ObjectMeta, V1Pod, V1PodSpec, V1Secret, V1ServiceAccount, V1StatefulSet } from "@kubernetes/client-node";
import type { ContainerImageDto, ManagedBy, NamespaceDto, PullSecretDto, RestartableKind, ServiceAccountDto, WorkloadDto } from "./port";

/**
 * A client-node object type as the transport hands it over: the JSON the API server sent, parsed without
 * client-node's ObjectSerializer (transport.ts says why), so timestamps are RFC 3339 strings where client-node's
 * classes say Date.
 */
export type Wire<T> = T extends Date ? string : T extends (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

/** An object as the wire carries it or as client-node's typed API returns it (dates as Date); the mappers take both. */
export type KubeObject<T> = T | Wire<T>;

type Meta = KubeObject<V1ObjectMeta>;

/** Annotations Pullkeeper writes on the secrets it creates. */
export const PULLKEEPER_ANNOTATIONS = {
  sourceNamespace: "pullkeeper.io/source-namespace",
  sourceName: "pullkeeper.io/source-name",
  sourceFingerprint: "pullkeeper.io/source-fingerprint",
  fingerprint: "pullkeeper.io/fingerprint",
} as const;
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const PULLKEEPER_MANAGER = "pullkeeper";

function iso(d: string | Date | undefined): string | null {
  if (d === undefined) return null;
  if (d instanceof Date) return Number.isNaN(d.getTime()) ? null : d.toISOString();
  return d;
}

function names(list: { name?: string }[] | undefined): string[] {
  return (list ?? []).map((r) => r.name).filter((n): n is string => typeof n === "string" && n !== "");
}

function hasPrefix(map: Record<string, string> | undefined, prefixes: string[]): boolean {
  if (!map) return false;
  return Object.keys(map).some((k) => prefixes.some((p) => k.startsWith(p)));
}

/**
 * Which controller owns the object's content, from the markers each tool writes.
 * Order matters: GitOps controllers that render Helm charts are reported as the
 * GitOps tool, since that is what will revert an out-of-band change.
 */
export function detectManagedBy(meta: Meta | undefined): ManagedBy {
  const labels = meta?.labels ?? {};
  const ann = meta?.annotations ?? {};
  const managedBy = labels[MANAGED_BY_LABEL]?.toLowerCase();
  if (managedBy === PULLKEEPER_MANAGER) return "pullkeeper";
  if (ann["argocd.argoproj.io/tracking-id"] || labels["argocd.argoproj.io/instance"]) return "argocd";
  if (hasPrefix(labels, ["kustomize.toolkit.fluxcd.io/", "helm.toolkit.fluxcd.io/"])) return "flux";
  if (managedBy === "helm" || ann["meta.helm.sh/release-name"]) return "helm";
  if (hasPrefix(labels, ["reconcile.external-secrets.io/"]) || hasPrefix(ann, ["reconcile.external-secrets.io/"]) || (meta?.ownerReferences ?? []).some((o) => o.kind === "ExternalSecret")) {
    return "external-secrets";
  }
  if (managedBy === "kyverno" || hasPrefix(labels, ["generate.kyverno.io/"])) return "kyverno";
  if (ann["replicator.v1.mittwald.de/replicate-from"] || ann["replicator.v1.mittwald.de/replicated-from-version"]) return "replicator";
  if (ann["reflector.v1.k8s.emberstack.com/reflects"]) return "reflector";
  if (ann["kubed.appscode.com/origin"] || labels["kubed.appscode.com/origin.name"]) return "kubed";
  return null;
}

function splitRef(value: string | undefined, defaultNamespace: string): { namespace: string; name: string } | undefined {
  if (!value) return undefined;
  const [a, b] = value.split("/");
  if (b !== undefined && a) return { namespace: a, name: b };
  if (a) return { namespace: defaultNamespace, name: a };
  return undefined;
}

/** The source a copy names in its own metadata (Pullkeeper, replicator pull mode, reflector, kubed). */
export function detectCopyOf(meta: Meta | undefined): PullSecretDto["copyOf"] {
  const ann = meta?.annotations ?? {};
  const ns = meta?.namespace ?? "";
  const pkNs = ann[PULLKEEPER_ANNOTATIONS.sourceNamespace];
  const pkName = ann[PULLKEEPER_ANNOTATIONS.sourceName];
  if (pkNs && pkName) {
    const fp = ann[PULLKEEPER_ANNOTATIONS.sourceFingerprint];
    return { namespace: pkNs, name: pkName, ...(fp ? { sourceFingerprint: fp } : {}) };
  }
  const ref = splitRef(ann["replicator.v1.mittwald.de/replicate-from"], ns) ?? splitRef(ann["reflector.v1.k8s.emberstack.com/reflects"], ns);
  if (ref) return ref;
  const kubedOrigin = ann["kubed.appscode.com/origin"];
  if (kubedOrigin) {
    try {
      const o = JSON.parse(kubedOrigin) as { namespace?: string; name?: string };
      if (o.namespace && o.name) return { namespace: o.namespace, name: o.name };
    } catch {
      // An unparsable origin annotation just means we cannot name the source.
    }
  }
  return undefined;
}

export function isPullSecretType(type: string | undefined): type is PullSecretType {
  return type === "kubernetes.io/dockerconfigjson" || type === "kubernetes.io/dockercfg";
}

export function toNamespaceDto(cluster: string, ns: KubeObject<V1Namespace>): NamespaceDto {
  return {
    cluster,
    name: ns.metadata?.name ?? "",
    labels: { ...(ns.metadata?.labels ?? {}) },
    phase: ns.status?.phase ?? "Active",
    createdAt: iso(ns.metadata?.creationTimestamp),
  };
}

type ParsedContent = Pick<PullSecretDto, "registries" | "credentialFingerprint" | "parseError">;

/**
 * Parses pull-secret content once per distinct content: a cluster holds the same copied secret in thousands of
 * namespaces, and decoding, parsing and fingerprinting each copy dominated the inventory read. The parse depends only
 * on the type and the one data key the kubelet reads, so that pair is the key. Results (entries, fingerprints, never a
 * credential) are shared between the DTOs of equal content, which nothing mutates. Keep one for one read only: its
 * keys are the secrets' base64 content.
 */
export class PullSecretContentMemo {
  // By type, then by the content string itself: a joined key would copy every secret's content once more.
  private readonly byContent = new Map<PullSecretType, Map<string, ParsedContent>>();

  parse(secret: { type: PullSecretType; data?: Readonly<Record<string, string>> }): ParsedContent {
    const value = secret.data?.[secret.type === "kubernetes.io/dockerconfigjson" ? DOCKER_CONFIG_JSON_KEY : DOCKER_CFG_KEY];
    if (value === undefined) return parseContent(secret);
    let ofType = this.byContent.get(secret.type);
    if (!ofType) {
      ofType = new Map();
      this.byContent.set(secret.type, ofType);
    }
    let hit = ofType.get(value);
    if (!hit) {
      hit = parseContent(secret);
      ofType.set(value, hit);
    }
    return hit;
  }
}

function parseContent(secret: { type: PullSecretType; data?: Readonly<Record<string, string>> }): ParsedContent {
  try {
    const parsed: ParsedPullSecret = parsePullSecretData({ type: secret.type, ...(secret.data ? { data: secret.data } : {}) });
    return { registries: parsed.entries, credentialFingerprint: parsed.credentialFingerprint, parseError: null };
  } catch (e) {
    if (!(e instanceof DockerConfigParseError)) throw e;
    return { registries: [], credentialFingerprint: null, parseError: { reason: e.reason, message: e.message } };
  }
}

/**
 * Maps a pull secret; returns undefined for other secret types. The data is parsed, fingerprinted and dropped;
 * `memo` shares the parse between secrets of equal content (an inventory read passes one).
 */
export function toPullSecretDto(cluster: string, secret: KubeObject<V1Secret>, memo?: PullSecretContentMemo): PullSecretDto | undefined {
  if (!isPullSecretType(secret.type)) return undefined;
  const meta = secret.metadata;
  const content = memo ? memo.parse({ type: secret.type, ...(secret.data ? { data: secret.data } : {}) }) : parseContent({ type: secret.type, ...(secret.data ? { data: secret.data } : {}) });
  const copyOf = detectCopyOf(meta);
  const provenance = readProvenance(meta?.annotations);
  return {
    cluster,
    namespace: meta?.namespace ?? "",
    name: meta?.name ?? "",
    type: secret.type,
    registries: content.registries,
    credentialFingerprint: content.credentialFingerprint,
    parseError: content.parseError,
    createdAt: iso(meta?.creationTimestamp),
    labels: { ...(meta?.labels ?? {}) },
    managedBy: detectManagedBy(meta),
    ...(copyOf ? { copyOf } : {}),
    ...(provenance ? { provenance } : {}),
  };
}

export function toServiceAccountDto(cluster: string, sa: KubeObject<V1ServiceAccount>): ServiceAccountDto {
  return {
    cluster,
    namespace: sa.metadata?.namespace ?? "",
    name: sa.metadata?.name ?? "",
    imagePullSecrets: names(sa.imagePullSecrets),
    createdAt: iso(sa.metadata?.creationTimestamp),
    labels: { ...(sa.metadata?.labels ?? {}) },
    managedBy: detectManagedBy(sa.metadata),
    resourceVersion: sa.metadata?.resourceVersion ?? null,
  };
}

function images(spec: KubeObject<V1PodSpec> | undefined): ContainerImageDto[] {
  const out: ContainerImageDto[] = [];
  for (const c of spec?.initContainers ?? []) if (c.image) out.push({ container: c.name ?? "", image: c.image, init: true });
  for (const c of spec?.containers ?? []) if (c.image) out.push({ container: c.name ?? "", image: c.image, init: false });
  return out;
}

const PULL_FAILURE_REASONS = new Set(["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"]);

function controllerOwner(meta: Meta | undefined): WorkloadDto["owner"] {
  const refs = meta?.ownerReferences ?? [];
  const o = refs.find((r) => r.controller) ?? refs[0];
  if (!o?.kind || !o.name) return null;
  if (o.kind === "ReplicaSet") {
    // A Deployment's ReplicaSet is named `<deployment>-<pod-template-hash>`.
    const hash = meta?.labels?.["pod-template-hash"];
    if (hash && o.name.endsWith(`-${hash}`)) return { kind: o.kind, name: o.name, deployment: o.name.slice(0, -hash.length - 1) };
  }
  return { kind: o.kind, name: o.name };
}

export function toPodDto(cluster: string, pod: KubeObject<V1Pod>): WorkloadDto {
  const meta = pod.metadata;
  const waiting = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]
    .filter((s) => s.state?.waiting?.reason && PULL_FAILURE_REASONS.has(s.state.waiting.reason))
    .map((s) => ({ container: s.name ?? "", reason: s.state?.waiting?.reason ?? "", message: s.state?.waiting?.message ?? "" }));
  return {
    cluster,
    namespace: meta?.namespace ?? "",
    kind: "Pod",
    name: meta?.name ?? "",
    images: images(pod.spec),
    imagePullSecrets: names(pod.spec?.imagePullSecrets),
    serviceAccountName: pod.spec?.serviceAccountName || pod.spec?.serviceAccount || "default",
    createdAt: iso(meta?.creationTimestamp),
    owner: controllerOwner(meta),
    managedBy: detectManagedBy(meta),
    phase: pod.status?.phase ?? "Unknown",
    imagePullErrors: waiting,
    restartedAt: meta?.annotations?.["kubectl.kubernetes.io/restartedAt"] ?? null,
  };
}

/** A Deployment, StatefulSet or DaemonSet as the inventory holds it: its pod template's images, secrets and restart mark. */
export function toWorkloadDto(cluster: string, kind: RestartableKind, d: KubeObject<V1Deployment | V1StatefulSet | V1DaemonSet>): WorkloadDto {
  const meta = d.metadata;
  const tpl = d.spec?.template;
  return {
    cluster,
    namespace: meta?.namespace ?? "",
    kind,
    name: meta?.name ?? "",
    images: images(tpl?.spec),
    imagePullSecrets: names(tpl?.spec?.imagePullSecrets),
    serviceAccountName: tpl?.spec?.serviceAccountName || tpl?.spec?.serviceAccount || "default",
    createdAt: iso(meta?.creationTimestamp),
    owner: controllerOwner(meta),
    managedBy: detectManagedBy(meta),
    desiredPods: kind === "DaemonSet" ? ((d as KubeObject<V1DaemonSet>).status?.desiredNumberScheduled ?? 0) : ((d as KubeObject<V1Deployment>).spec?.replicas ?? 1),
    restartedAt: tpl?.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"] ?? null,
  };
}
