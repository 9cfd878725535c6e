import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OVERLAYS, render, type K8sObject, type PolicyRule } from "./manifests";
import { schemaProblems } from "./schema";

interface Container {
  name: string;
  securityContext?: Record<string, unknown>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}
interface PodSpec {
  securityContext?: Record<string, unknown>;
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  containers: Container[];
  volumes: Array<{ name: string; emptyDir?: unknown; persistentVolumeClaim?: unknown; projected?: { sources: Array<Record<string, unknown>> } }>;
}
const deployment = (objects: K8sObject[]) => objects.find((o) => o.kind === "Deployment")!;
const podSpec = (objects: K8sObject[]) => (deployment(objects).spec as { template: { spec: PodSpec } }).template.spec;
const kinds = (objects: K8sObject[]) => objects.map((o) => o.kind).sort();

const BASE_KINDS = ["ClusterRole", "ClusterRoleBinding", "ConfigMap", "Deployment", "Namespace", "NetworkPolicy", "PodDisruptionBudget", "Service", "ServiceAccount"];

describe("deploy/ rendered by the real kubectl", () => {
  it.each(OVERLAYS)("overlay %s renders objects that validate against the Kubernetes schema", (overlay) => {
    const objects = render(overlay);
    expect(objects.length).toBeGreaterThanOrEqual(BASE_KINDS.length);
    expect(objects.flatMap(schemaProblems)).toEqual([]);
  });

  it("renders the objects each overlay promises", () => {
    expect(kinds(render("base"))).toEqual(BASE_KINDS);
    expect(kinds(render("sqlite"))).toEqual([...BASE_KINDS, "PersistentVolumeClaim"].sort());
    expect(kinds(render("postgresql"))).toEqual(BASE_KINDS);
    expect(kinds(render("iks"))).toEqual([...BASE_KINDS, "Ingress"].sort());
    expect(kinds(render("iks-monitoring"))).toEqual([...BASE_KINDS, "Ingress", "PrometheusRule", "ServiceMonitor"].sort());
    expect(kinds(render("namespaced"))).toEqual([...BASE_KINDS, "PersistentVolumeClaim", "Role", "Role", "RoleBinding", "RoleBinding"].sort());
    expect((deployment(render("sqlite")).spec as { replicas: number; strategy: { type: string } })).toMatchObject({ replicas: 1, strategy: { type: "Recreate" } });
    expect((deployment(render("postgresql")).spec as { replicas: number }).replicas).toBeGreaterThanOrEqual(2);
    const env = (podSpec(render("postgresql")).containers[0] as unknown as { env: Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string } } }> }).env;
    expect(env.find((e) => e.name === "DATABASE_URL")?.valueFrom?.secretKeyRef?.name).toBe("pullkeeper-database");
    const iksContainer = podSpec(render("iks")).containers[0] as unknown as { envFrom: Array<{ secretRef?: { name: string } }> };
    expect(iksContainer.envFrom.some((source) => source.secretRef?.name === "pullkeeper-oidc")).toBe(true);
  });

  it.each(OVERLAYS)("overlay %s puts every namespaced object in the pullkeeper namespace (Roles in the namespaces they grant)", (overlay) => {
    const clusterScoped = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding"]);
    for (const object of render(overlay).filter((o) => !clusterScoped.has(o.kind))) {
      const expected = object.kind === "Role" || object.kind === "RoleBinding" ? expect.stringMatching(/^team-/) : "pullkeeper";
      expect(object.metadata.namespace, `${object.kind} ${object.metadata.name}`).toEqual(expected);
    }
  });

  it.each(OVERLAYS)("overlay %s runs as the restricted Pod Security Standard requires, with a read-only root and the token only where used", (overlay) => {
    const objects = render(overlay);
    const spec = podSpec(objects);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } });
    for (const container of spec.containers) {
      expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, privileged: false, capabilities: { drop: ["ALL"] } });
      expect(container.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.resources?.limits?.memory).toEqual(expect.any(String));
      expect(container.volumeMounts?.find((m) => m.mountPath === "/tmp")).toBeDefined();
    }
    expect(spec.volumes.find((v) => v.name === "tmp")?.emptyDir).toBeDefined();
    // No automatic token: the one projected token is mounted read-only in the one container that calls the API.
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(objects.find((o) => o.kind === "ServiceAccount")?.automountServiceAccountToken).toBe(false);
    const tokenVolumes = spec.volumes.filter((v) => v.projected?.sources.some((s) => "serviceAccountToken" in s));
    expect(tokenVolumes.map((v) => v.name)).toEqual(["service-account"]);
    expect(spec.containers[0]!.volumeMounts?.find((m) => m.name === "service-account")).toMatchObject({ mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true });
  });

  it("the image runs the server with the same heap flags as `npm start`, sized under the Deployment's memory limit", () => {
    const root = path.join(import.meta.dirname, "..", "..");
    const start = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start;
    const cmd = /^CMD (\[.*\])$/m.exec(fs.readFileSync(path.join(root, "Dockerfile"), "utf8"))?.[1];
    const imageFlags = (JSON.parse(cmd ?? "[]") as string[]).filter((word) => word.startsWith("--"));
    expect(imageFlags).toEqual(start.split(" ").filter((word) => word.startsWith("--")));
    const megabytes = (name: string) => Number(imageFlags.find((flag) => flag.startsWith(`--${name}=`))?.split("=")[1]);
    // V8's heap limit: the old generation plus three semi-spaces; code and native memory come on top.
    const heapLimitMi = megabytes("max-old-space-size") + 3 * megabytes("max-semi-space-size");
    const limit = String(podSpec(render("base")).containers[0]!.resources?.limits?.memory);
    expect(limit).toMatch(/^\d+Mi$/);
    expect(heapLimitMi).toBeLessThanOrEqual(parseInt(limit) - 256);
  });

  it.each(OVERLAYS)("overlay %s grants no wildcard and nothing beyond the workflows' resources", (overlay) => {
    const allowed = new Set(["namespaces", "secrets", "serviceaccounts", "pods", "deployments", "statefulsets", "daemonsets"]);
    for (const role of render(overlay).filter((o) => o.kind === "ClusterRole" || o.kind === "Role")) {
      for (const rule of role.rules as PolicyRule[]) {
        expect([...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...rule.verbs].some((value) => value.includes("*")), `${role.kind} ${role.metadata.name}`).toBe(false);
        for (const resource of rule.resources ?? []) expect(allowed.has(resource), resource).toBe(true);
        expect(rule.verbs.every((verb) => ["get", "list", "watch", "create", "update", "patch", "delete"].includes(verb))).toBe(true);
      }
    }
  });

  it("scrapes the metrics with the token the pods get, from the same Secret, on the Service's named port", () => {
    const objects = render("iks-monitoring");
    const monitor = objects.find((o) => o.kind === "ServiceMonitor")!.spec as {
      selector: { matchLabels: Record<string, string> };
      endpoints: Array<{ port: string; path: string; authorization: { type: string; credentials: { name: string; key: string } } }>;
    };
    const service = objects.find((o) => o.kind === "Service")!;
    expect(Object.entries(monitor.selector.matchLabels).every(([key, value]) => service.metadata.labels?.[key] === value)).toBe(true);
    expect((service.spec as { ports: Array<{ name: string }> }).ports.map((port) => port.name)).toContain(monitor.endpoints[0]!.port);
    expect(monitor.endpoints[0]).toMatchObject({ path: "/api/metrics", authorization: { type: "Bearer", credentials: { name: "pullkeeper-metrics", key: "token" } } });
    const env = (podSpec(objects).containers[0] as unknown as { env: Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }> }).env;
    expect(env.find((e) => e.name === "PULLKEEPER_METRICS_TOKEN")?.valueFrom?.secretKeyRef).toEqual({ name: "pullkeeper-metrics", key: "token" });
    expect(render("iks").some((o) => o.kind === "ServiceMonitor")).toBe(false);
    const slipped = structuredClone(objects.find((o) => o.kind === "ServiceMonitor")!);
    (slipped.spec as { endpoints: unknown }).endpoints = "http";
    expect(schemaProblems(slipped)).not.toEqual([]);
  });

  it("a schema slip fails validation (the checks can fail)", () => {
    const objects = structuredClone(render("sqlite"));
    const spec = podSpec(objects) as unknown as { containers: Array<Record<string, unknown>>; replicas?: unknown };
    spec.containers[0]!.readOnlyRootFileSystem = true;
    (deployment(objects).spec as Record<string, unknown>).replicas = "two";
    expect(schemaProblems(deployment(objects))).toEqual([
      expect.stringContaining("replicas must be integer"),
      expect.stringContaining('unknown field "readOnlyRootFileSystem" in V1Container'),
    ]);
  });
});
