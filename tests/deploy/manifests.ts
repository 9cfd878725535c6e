import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import yaml from "js-yaml";
import type { KubeSimRule } from "@/sim/kube";

/** Renders deploy/ with the real kubectl (its built-in Kustomize), newest version on the machine first. */

export const DEPLOY = path.join(import.meta.dirname, "..", "..", "deploy");
export const OVERLAYS = ["sqlite", "postgresql", "read-only", "namespaced", "iks", "iks-monitoring"] as const;
export type Overlay = (typeof OVERLAYS)[number];

const SDK_BIN = "/usr/lib/google-cloud-sdk/bin";

export function kubectlBinary(): string {
  const versions = fs.existsSync(SDK_BIN) ? fs.readdirSync(SDK_BIN).filter((name) => /^kubectl\.1\.\d+$/.test(name)) : [];
  const newest = versions.sort((a, b) => Number(a.split(".")[2]) - Number(b.split(".")[2])).at(-1);
  if (!newest) throw new Error(`No kubectl.1.xx in ${SDK_BIN}: install the Google Cloud SDK's kubectl component.`);
  return path.join(SDK_BIN, newest);
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

const cache = new Map<string, K8sObject[]>();

export function render(overlay: Overlay | "base"): K8sObject[] {
  let objects = cache.get(overlay);
  if (!objects) {
    const dir = overlay === "base" ? path.join(DEPLOY, "base") : path.join(DEPLOY, "overlays", overlay);
    const text = execFileSync(kubectlBinary(), ["kustomize", dir], { encoding: "utf8" });
    objects = yaml.loadAll(text).filter(Boolean) as K8sObject[];
    cache.set(overlay, objects);
  }
  return objects;
}

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
}

/**
 * The service account's rules in a rendered overlay as simulator rules: the
 * ClusterRole's apply everywhere, each Role's only in its namespace.
 */
export function serviceAccountRules(overlay: Overlay): KubeSimRule[] {
  const objects = render(overlay);
  const bound = (kind: "ClusterRoleBinding" | "RoleBinding") =>
    objects.filter((o) => o.kind === kind && (o.subjects as Array<{ kind: string; name: string }>).some((s) => s.kind === "ServiceAccount" && s.name === "pullkeeper"));
  const rules: KubeSimRule[] = [];
  for (const binding of bound("ClusterRoleBinding")) {
    const role = objects.find((o) => o.kind === "ClusterRole" && o.metadata.name === (binding.roleRef as { name: string }).name);
    for (const rule of (role?.rules as PolicyRule[]) ?? []) rules.push({ verbs: rule.verbs, resources: rule.resources ?? [] });
  }
  for (const binding of bound("RoleBinding")) {
    const role = objects.find((o) => o.kind === "Role" && o.metadata.name === (binding.roleRef as { name: string }).name && o.metadata.namespace === binding.metadata.namespace);
    for (const rule of (role?.rules as PolicyRule[]) ?? []) rules.push({ verbs: rule.verbs, resources: rule.resources ?? [], namespaces: [binding.metadata.namespace!] });
  }
  return rules;
}
