import "server-only";
import type { V1Deployment, V1Namespace, V1Pod, V1Secret, V1ServiceAccount } from "@kubernetes/client-node";
import { DOCKER_CFG_TYPE, DOCKER_CONFIG_JSON_TYPE } from "@/lib/registry/docker-config";
import { isKubeError } from "./errors";
import {
  PullSecretContentMemo,
  toNamespaceDto,
  toPodDto,
  toPullSecretDto,
  toServiceAccountDto,
  toWorkloadDto,
  type Wire,
} from "./mappers";
import type { NamespaceDto, PullSecretDto, PullSecretInventory, RestartableKind, ServiceAccountDto, WorkloadDto } from "./port";
import { WORKLOAD_RESOURCES } from "./workloads";
import { withPullEvents } from "./pull-events";
import type { ClusterTransport, RequestCounter } from "./transport";

interface ListSpec<T> {
  /** Plural resource name, for messages. */
  resource: string;
  /** Path of the cluster-wide list. */
  clusterPath: string;
  /** Path of the list in one namespace. */
  namespacedPath: (ns: string) => string;
  fieldSelector?: string;
  map: (item: unknown) => T | undefined;
}

interface ListPage {
  items?: unknown[];
  metadata?: { continue?: string };
}

/** Pages through one list; a 410 (continue token expired) restarts it once from the top. */
async function listAll<T>(t: ClusterTransport, path: string, spec: ListSpec<T>, pageSize: number, counter: RequestCounter, namespace?: string): Promise<T[]> {
  for (let restart = 0; ; restart++) {
    const out: T[] = [];
    let cont: string | undefined;
    try {
      do {
        const page = await t.request<ListPage>(
          { method: "GET", path, query: { limit: pageSize, continue: cont, fieldSelector: spec.fieldSelector }, ctx: { object: spec.resource, ...(namespace ? { namespace } : {}) }, idempotent: true },
          counter,
        );
        for (const item of page.items ?? []) {
          const v = spec.map(item);
          if (v !== undefined) out.push(v);
        }
        cont = page.metadata?.continue || undefined;
      } while (cont);
      return out;
    } catch (e) {
      if (isKubeError(e) && e.status === 410 && restart === 0) continue;
      throw e;
    }
  }
}

export interface InventoryReadOptions {
  pageSize: number;
  /** Namespaces to read when the namespace list itself is forbidden (the context namespace is always added). */
  knownNamespaces?: string[];
  contextNamespace: string | null;
}

type Settled<T> = { ok: true; v: T } | { ok: false; e: unknown };

const settled = <T>(p: Promise<T>): Promise<Settled<T>> =>
  p.then(
    (v) => ({ ok: true as const, v }),
    (e: unknown) => ({ ok: false as const, e }),
  );

/** The five lists an inventory is made of, and how each maps to its DTO. */
function inventorySpecs(cluster: string) {
  // Both secret lists share it: one read's copies of a secret are parsed once.
  const contents = new PullSecretContentMemo();
  const inNamespace = (resource: string) => (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/${resource}`;
  return {
    secretsJson: {
      resource: "secrets",
      clusterPath: "/api/v1/secrets",
      namespacedPath: inNamespace("secrets"),
      fieldSelector: `type=${DOCKER_CONFIG_JSON_TYPE}`,
      map: (i: unknown) => toPullSecretDto(cluster, i as Wire<V1Secret>, contents),
    } satisfies ListSpec<PullSecretDto>,
    secretsCfg: {
      resource: "secrets",
      clusterPath: "/api/v1/secrets",
      namespacedPath: inNamespace("secrets"),
      fieldSelector: `type=${DOCKER_CFG_TYPE}`,
      map: (i: unknown) => toPullSecretDto(cluster, i as Wire<V1Secret>, contents),
    } satisfies ListSpec<PullSecretDto>,
    serviceAccounts: {
      resource: "serviceaccounts",
      clusterPath: "/api/v1/serviceaccounts",
      namespacedPath: inNamespace("serviceaccounts"),
      map: (i: unknown) => toServiceAccountDto(cluster, i as Wire<V1ServiceAccount>),
    } satisfies ListSpec<ServiceAccountDto>,
    pods: {
      resource: "pods",
      clusterPath: "/api/v1/pods",
      namespacedPath: inNamespace("pods"),
      map: (i: unknown) => toPodDto(cluster, i as Wire<V1Pod>),
    } satisfies ListSpec<WorkloadDto>,
    deployments: workloadList(cluster, "Deployment"),
    statefulSets: workloadList(cluster, "StatefulSet"),
    daemonSets: workloadList(cluster, "DaemonSet"),
  };
}

function workloadList(cluster: string, kind: RestartableKind): ListSpec<WorkloadDto> {
  const resource = WORKLOAD_RESOURCES[kind];
  return {
    resource,
    clusterPath: `/apis/apps/v1/${resource}`,
    namespacedPath: (ns: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/${resource}`,
    map: (i: unknown) => toWorkloadDto(cluster, kind, i as Wire<V1Deployment>),
  };
}

/** One inventory read in progress: the transport, its request count, and what could not be read. */
interface InventoryRead {
  t: ClusterTransport;
  opts: InventoryReadOptions;
  counter: RequestCounter;
  unreadable: Map<string, string>;
  notes: string[];
}

/**
 * The namespaces this identity may read when it may not list them: the
 * kubeconfig context's and the known ones, each read by name.
 */
async function namespacesByName(read: InventoryRead): Promise<NamespaceDto[]> {
  const { opts } = read;
  const names = [...new Set([...(opts.contextNamespace ? [opts.contextNamespace] : []), ...(opts.knownNamespaces ?? [])])];
  read.notes.push(
    names.length > 0
      ? `Listing namespaces is forbidden for this identity; only ${names.length === 1 ? "namespace" : "namespaces"} ${names.map((n) => `"${n}"`).join(", ")} (from the kubeconfig context and known namespaces) ${names.length === 1 ? "was" : "were"} read.`
      : "Listing namespaces is forbidden for this identity and the kubeconfig context names no namespace: nothing could be read.",
  );
  return Promise.all(names.map((n) => readNamespace(read.t, n, read.counter, read.unreadable)));
}

/** One list read namespace by namespace; a namespace it may not read is noted and contributes nothing. */
async function listPerNamespace<T>(read: InventoryRead, spec: ListSpec<T>, namespaces: NamespaceDto[]): Promise<T[]> {
  const perNs = await Promise.all(
    namespaces.map(async (ns) => {
      try {
        return await listAll(read.t, spec.namespacedPath(ns.name), spec, read.opts.pageSize, read.counter, ns.name);
      } catch (e) {
        if (isKubeError(e) && e.kind === "forbidden") {
          if (!read.unreadable.has(ns.name)) read.unreadable.set(ns.name, e.message);
          return [];
        }
        throw e;
      }
    }),
  );
  return perNs.flat();
}

/**
 * Reads one cluster's pull-secret inventory with the fewest calls: eight
 * cluster-wide paged lists (namespaces; secrets of the two pull-secret types;
 * service accounts; pods; deployments, statefulsets, daemonsets). Any list the caller may not run
 * cluster-wide falls back to per-namespace lists over the namespaces it can see.
 */
export async function readInventory(t: ClusterTransport, opts: InventoryReadOptions): Promise<PullSecretInventory> {
  const cluster = t.cluster;
  const read: InventoryRead = { t, opts, counter: { count: 0 }, unreadable: new Map(), notes: [] };
  const specs = inventorySpecs(cluster);
  const nsSpec: ListSpec<NamespaceDto> = {
    resource: "namespaces",
    clusterPath: "/api/v1/namespaces",
    namespacedPath: () => "/api/v1/namespaces",
    map: (i) => toNamespaceDto(cluster, i as Wire<V1Namespace>),
  };

  // Start everything at once; the transport's semaphore bounds concurrency.
  const clusterWide = <T>(spec: ListSpec<T>) => settled(listAll(t, spec.clusterPath, spec, opts.pageSize, read.counter));
  const namespacesP = clusterWide(nsSpec);
  const started = {
    secretsJson: clusterWide(specs.secretsJson),
    secretsCfg: clusterWide(specs.secretsCfg),
    serviceAccounts: clusterWide(specs.serviceAccounts),
    pods: clusterWide(specs.pods),
    deployments: clusterWide(specs.deployments),
    statefulSets: clusterWide(specs.statefulSets),
    daemonSets: clusterWide(specs.daemonSets),
  };

  const nsResult = await namespacesP;
  if (!nsResult.ok && (!isKubeError(nsResult.e) || nsResult.e.kind !== "forbidden")) {
    await Promise.all(Object.values(started)); // let in-flight requests settle before reporting
    throw nsResult.e;
  }
  const namespaces = nsResult.ok ? nsResult.v : await namespacesByName(read);

  let fallbackUsed = false;
  const gather = async <T>(key: keyof typeof started, spec: ListSpec<T>): Promise<T[]> => {
    const r = await started[key];
    if (r.ok) return r.v as T[];
    if (!isKubeError(r.e) || r.e.kind !== "forbidden") throw r.e;
    fallbackUsed = true;
    return listPerNamespace(read, spec, namespaces);
  };

  // Sequential gathers keep the per-namespace fallback from multiplying concurrency beyond the semaphore's queue.
  const secretsJson = await gather("secretsJson", specs.secretsJson);
  const secretsCfg = await gather("secretsCfg", specs.secretsCfg);
  const serviceAccounts = await gather("serviceAccounts", specs.serviceAccounts);
  // Only when a failing pod's status omits the pull error: one more (filtered) list for the kubelet's Events.
  const pods = await withPullEvents(t, await gather("pods", specs.pods), read.counter, read.notes);
  const deployments = await gather("deployments", specs.deployments);
  const statefulSets = await gather("statefulSets", specs.statefulSets);
  const daemonSets = await gather("daemonSets", specs.daemonSets);
  if (fallbackUsed) read.notes.push("Cluster-wide listing is forbidden for this identity: the inventory was read namespace by namespace.");

  const visible = new Set(namespaces.map((n) => n.name));
  const keep = <T extends { namespace: string }>(xs: T[]) => (nsResult.ok ? xs : xs.filter((x) => visible.has(x.namespace)));
  return {
    cluster,
    readAt: new Date().toISOString(),
    scope: nsResult.ok && !fallbackUsed ? "cluster" : "namespaces",
    namespaces,
    unreadableNamespaces: [...read.unreadable].map(([namespace, message]) => ({ namespace, message })),
    pullSecrets: keep([...secretsJson, ...secretsCfg]),
    serviceAccounts: keep(serviceAccounts),
    workloads: keep([...deployments, ...statefulSets, ...daemonSets, ...pods]),
    notes: read.notes,
    requestCount: read.counter.count,
  };
}

async function readNamespace(t: ClusterTransport, name: string, counter: RequestCounter, unreadable: Map<string, string>): Promise<NamespaceDto> {
  try {
    const ns = await t.request<Wire<V1Namespace>>({ method: "GET", path: `/api/v1/namespaces/${encodeURIComponent(name)}`, ctx: { object: `namespaces/${name}` }, idempotent: true }, counter);
    return toNamespaceDto(t.cluster, ns);
  } catch (e) {
    if (isKubeError(e) && (e.kind === "forbidden" || e.kind === "not_found")) {
      if (e.kind === "not_found") unreadable.set(name, e.message);
      return { cluster: t.cluster, name, labels: {}, phase: e.kind === "not_found" ? "NotFound" : "Unknown", createdAt: null };
    }
    throw e;
  }
}
