import { createRequire } from "node:module";
import * as clientNode from "@kubernetes/client-node";
import type { K8sObject } from "./manifests";

const require = createRequire(import.meta.url);

/** ServiceMonitor and PrometheusRule: validated with the same project's models of the Prometheus Operator's CRDs (4.x, matching kubernetes-models 4). */
const PROMETHEUS_OPERATOR_GROUP = "monitoring.coreos.com";

/**
 * Two maintained schema packages, neither written here:
 * - kubernetes-models (4.x, the newest major for Node 20): each kind's OpenAPI
 *   JSON schema compiled to a validator (required fields, types, formats, enums);
 * - @kubernetes/client-node 1.3's models, generated from a recent Kubernetes
 *   OpenAPI document: every field each type has, so a misspelt or unknown field
 *   fails (as `kubectl apply --validate=strict` does), which the JSON schema allows.
 */
export function schemaProblems(object: K8sObject): string[] {
  const problems: string[] = [];
  const where = `${object.kind} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ""}${object.metadata?.name}`;
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  const operatorKind = group === PROMETHEUS_OPERATOR_GROUP;
  const modelPackage = operatorKind ? `@kubernetes-models/prometheus-operator/${group}/${version}` : `kubernetes-models/${group ? `${group}/` : ""}${version}`;
  const models = require(modelPackage) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = models[object.kind];
  if (!Model) return [`${where}: kubernetes-models has no ${object.apiVersion} ${object.kind}`];
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Custom resources have no client-node model: their CRD's schema (above) is all there is.
  if (operatorKind) return problems;
  const typeName = `${version!.charAt(0).toUpperCase()}${version!.slice(1)}${object.kind}`;
  if (!(typeName in clientNode)) problems.push(`${where}: client-node has no model ${typeName}`);
  else unknownFields(object, typeName, where, problems);
  return problems;
}

interface Attribute {
  baseName: string;
  type: string;
}

function attributes(typeName: string): Attribute[] | null {
  const model = (clientNode as unknown as Record<string, { getAttributeTypeMap?: () => Attribute[] }>)[typeName];
  return model?.getAttributeTypeMap ? model.getAttributeTypeMap() : null;
}

function unknownFields(value: unknown, type: string, at: string, problems: string[]): void {
  if (value === null || value === undefined) return;
  const array = type.match(/^Array<(.+)>$/);
  if (array) {
    if (Array.isArray(value)) value.forEach((item, i) => unknownFields(item, array[1]!, `${at}[${i}]`, problems));
    return;
  }
  const map = type.match(/^\{ \[key: string\]: (.+); \}$/);
  if (map) {
    if (typeof value === "object") for (const [key, item] of Object.entries(value)) unknownFields(item, map[1]!, `${at}.${key}`, problems);
    return;
  }
  const fields = attributes(type);
  if (!fields || typeof value !== "object" || Array.isArray(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const field = fields.find((f) => f.baseName === key);
    if (!field) problems.push(`${at}: unknown field "${key}" in ${type}`);
    else unknownFields(item, field.type, `${at}.${key}`, problems);
  }
}
