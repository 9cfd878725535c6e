import { RESOURCES, type ResourceDef } from "./resources";
import type { KubeSimServerVersion } from "./types";
import { AUTHENTICATION_GROUP, selfSubjectReviewVersion } from "./self-subject-review";

/** Discovery documents (/api, /apis, group-version resource lists) and the OpenAPI documents kubectl needs. */

const AUTHZ_RESOURCES = [
  { name: "selfsubjectaccessreviews", singularName: "selfsubjectaccessreview", namespaced: false, kind: "SelfSubjectAccessReview", verbs: ["create"] },
  { name: "selfsubjectrulesreviews", singularName: "selfsubjectrulesreview", namespaced: false, kind: "SelfSubjectRulesReview", verbs: ["create"] },
];

const STATIC_GROUPS = [
  { name: "apps", version: "v1" },
  { name: "authorization.k8s.io", version: "v1" },
  { name: "rbac.authorization.k8s.io", version: "v1" },
];

const SELF_SUBJECT_REVIEW = { name: "selfsubjectreviews", singularName: "selfsubjectreview", namespaced: false, kind: "SelfSubjectReview", verbs: ["create"] };

/** The served groups: authentication.k8s.io only from 1.27, when SelfSubjectReview (its one simulated resource) appears. */
function groupsFor(minor: number) {
  const authentication = selfSubjectReviewVersion(minor);
  return authentication ? [...STATIC_GROUPS, { name: AUTHENTICATION_GROUP, version: authentication }] : STATIC_GROUPS;
}

function apiResource(r: ResourceDef) {
  const out: Record<string, unknown> = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
  if (r.shortNames) out.shortNames = r.shortNames;
  if (r.categories) out.categories = r.categories;
  if (r.storageVersionHash) out.storageVersionHash = r.storageVersionHash;
  return out;
}

function subresources(r: ResourceDef) {
  const subs: Record<string, unknown>[] = [];
  if (r.plural === "namespaces") {
    subs.push({ name: "namespaces/finalize", singularName: "", namespaced: false, kind: "Namespace", verbs: ["update"] });
    subs.push({ name: "namespaces/status", singularName: "", namespaced: false, kind: "Namespace", verbs: ["get", "patch", "update"] });
  }
  if (r.plural === "pods") subs.push({ name: "pods/status", singularName: "", namespaced: true, kind: "Pod", verbs: ["get", "patch", "update"] });
  if (r.group === "apps") subs.push({ name: `${r.plural}/status`, singularName: "", namespaced: true, kind: r.kind, verbs: ["get", "patch", "update"] });
  return subs;
}

function resourceList(group: string, version: string) {
  return RESOURCES.filter((r) => r.group === group && r.version === version)
    .sort((a, b) => a.plural.localeCompare(b.plural))
    .flatMap((r) => [apiResource(r), ...subresources(r)]);
}

/** Returns the discovery document for a path (on a server of this minor version), or undefined when the path is not a discovery path. */
export function discoveryDocument(path: string, serverAddress: string, minor: number): unknown {
  const groups = groupsFor(minor);
  const authentication = selfSubjectReviewVersion(minor);
  if (authentication && path === `/apis/${AUTHENTICATION_GROUP}/${authentication}`) {
    return { kind: "APIResourceList", apiVersion: "v1", groupVersion: `${AUTHENTICATION_GROUP}/${authentication}`, resources: [SELF_SUBJECT_REVIEW] };
  }
  switch (path) {
    case "/api":
      return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
    case "/apis":
      return {
        kind: "APIGroupList",
        apiVersion: "v1",
        groups: groups.map((g) => ({
          name: g.name,
          versions: [{ groupVersion: `${g.name}/${g.version}`, version: g.version }],
          preferredVersion: { groupVersion: `${g.name}/${g.version}`, version: g.version },
        })),
      };
    case "/api/v1":
      return { kind: "APIResourceList", groupVersion: "v1", resources: resourceList("", "v1") };
    case "/apis/apps/v1":
      return { kind: "APIResourceList", apiVersion: "v1", groupVersion: "apps/v1", resources: resourceList("apps", "v1") };
    case "/apis/authorization.k8s.io/v1":
      return { kind: "APIResourceList", apiVersion: "v1", groupVersion: "authorization.k8s.io/v1", resources: AUTHZ_RESOURCES };
    case "/apis/rbac.authorization.k8s.io/v1":
      return { kind: "APIResourceList", apiVersion: "v1", groupVersion: "rbac.authorization.k8s.io/v1", resources: resourceList("rbac.authorization.k8s.io", "v1") };
  }
  const group = groups.find((g) => path === `/apis/${g.name}`);
  if (group) {
    const v = { groupVersion: `${group.name}/${group.version}`, version: group.version };
    return { kind: "APIGroup", apiVersion: "v1", name: group.name, versions: [v], preferredVersion: v };
  }
  return undefined;
}

export function versionDocument(v: KubeSimServerVersion) {
  return {
    major: v.major,
    minor: v.minor,
    gitVersion: v.gitVersion,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2024-01-01T00:00:00Z",
    goVersion: "go1.22.0",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

/**
 * /openapi/v2 as protobuf `openapi_v2.Document{swagger:"2.0"}`: kubectl finds no
 * schema and skips client-side validation (served as octet-stream because Go's
 * MIME parser rejects the real content type's `@`).
 */
export const OPENAPI_V2_MINIMAL = Buffer.from([0x0a, 0x03, 0x32, 0x2e, 0x30]);

const OPENAPI_V3_GVS: Record<string, { group: string; version: string }> = {
  "api/v1": { group: "", version: "v1" },
  "apis/apps/v1": { group: "apps", version: "v1" },
  "apis/rbac.authorization.k8s.io/v1": { group: "rbac.authorization.k8s.io", version: "v1" },
};

export function openapiV3Root() {
  return {
    paths: Object.fromEntries(Object.keys(OPENAPI_V3_GVS).map((p) => [p, { serverRelativeURL: `/openapi/v3/${p}?hash=SIM${p.replace(/\W/g, "").toUpperCase()}` }])),
  };
}

/**
 * Per group-version OpenAPI v3: one PATCH operation per kind advertising the
 * `fieldValidation` query parameter, which is what kubectl's query-param
 * verifier looks for before relying on server-side field validation.
 */
export function openapiV3Document(gvPath: string, gitVersion: string): unknown {
  const gvInfo = OPENAPI_V3_GVS[gvPath];
  if (!gvInfo) return undefined;
  const paths: Record<string, unknown> = {};
  for (const r of RESOURCES.filter((x) => x.group === gvInfo.group && x.version === gvInfo.version)) {
    const base = `/${gvPath}${r.namespaced ? "/namespaces/{namespace}" : ""}/${r.plural}/{name}`;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const params = ["dryRun", "fieldManager", "fieldValidation", "force"].map((name) => ({ name, in: "query", schema: { type: name === "force" ? "boolean" : "string", uniqueItems: true } }));
    paths[base] = {
      patch: {
        operationId: `patch${r.namespaced ? "Namespaced" : ""}${r.kind}`,
        parameters: params,
        requestBody: { content: { "application/strategic-merge-patch+json": { schema: {} } }, required: true },
        responses: { "200": { description: "OK" } },
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": gvk,
      },
      put: {
        operationId: `replace${r.namespaced ? "Namespaced" : ""}${r.kind}`,
        parameters: params.filter((p) => p.name !== "force"),
        responses: { "200": { description: "OK" } },
        "x-kubernetes-action": "put",
        "x-kubernetes-group-version-kind": gvk,
      },
    };
  }
  return { openapi: "3.0.0", info: { title: "Kubernetes", version: gitVersion }, paths, components: { schemas: {} } };
}
