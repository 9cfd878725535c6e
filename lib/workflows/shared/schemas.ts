import { z } from "zod";

/** Kubernetes names, validated as the API server does, so a bad name is refused before any call. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const namespaceNameSchema = z
  .string()
  .trim()
  .min(1, "a namespace name is required")
  .max(63, "namespace names are at most 63 characters")
  .regex(DNS_LABEL, "lower-case letters, digits and '-', starting and ending with a letter or digit");

export const objectNameSchema = z
  .string()
  .trim()
  .min(1, "a name is required")
  .max(253, "names are at most 253 characters")
  .regex(DNS_SUBDOMAIN, "lower-case letters, digits, '-' and '.', starting and ending with a letter or digit");

export const clusterNameSchema = z.string().trim().min(1, "choose a cluster").max(253);

/** A registry host with an optional port, without scheme or path (what `auths` keys and image domains hold). */
export const registryHostSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((value) => value.replace(/^https?:\/\//, "").replace(/\/+$/, ""))
  .pipe(
    z
      .string()
      .min(1, "a registry server is required")
      .max(253)
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d{1,5})?$/, "a host name such as registry.example.com or registry.example.com:5000"),
  );

export const registryRoleSchema = z.enum(["Reader", "Writer", "Manager"], { error: "choose Reader, Writer or Manager" });

export const ibmRegionSchema = z.enum(
  ["global", "us-south", "us-east", "eu-gb", "eu-de", "eu-es", "eu-fr2", "au-syd", "jp-tok", "jp-osa", "ca-tor", "ca-mon", "br-sao", "in-che", "in-mum"],
  { error: "an IBM Cloud region such as us-south or eu-de" },
);

/** A label selector in kubectl's syntax (`team=payments,env in (prod,staging),!legacy`). */
export const labelSelectorSchema = z
  .string()
  .trim()
  .min(1, "a label selector is required")
  .max(1000)
  .refine((value) => {
    try {
      parseLabelSelector(value);
      return true;
    } catch {
      return false;
    }
  }, "a selector such as team=payments,env in (prod,staging)");

export type LabelRequirement =
  | { key: string; op: "=" | "!="; value: string }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!exists" };

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

/** Parses kubectl's label selector grammar; throws on anything else. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of selector) {
    if (char === "(") depth++;
    if (char === ")") depth--;
    if (char === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts.map((raw) => {
    const part = raw.trim();
    let match = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (match) {
      const values = match[3]!.split(",").map((value) => value.trim()).filter(Boolean);
      if (!KEY.test(match[1]!) || values.length === 0) throw new Error(`bad requirement ${part}`);
      return { key: match[1]!, op: match[2] as "in" | "notin", values };
    }
    match = /^(\S+?)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (match) {
      if (!KEY.test(match[1]!)) throw new Error(`bad key ${match[1]}`);
      return { key: match[1]!, op: match[2] === "!=" ? "!=" : "=", value: match[3]! };
    }
    match = /^(!?)(\S+)$/.exec(part);
    if (match && KEY.test(match[2]!)) return { key: match[2]!, op: match[1] ? "!exists" : "exists" };
    throw new Error(`bad requirement ${part}`);
  });
}

export function matchesLabelSelector(labels: Record<string, string>, requirements: readonly LabelRequirement[]): boolean {
  return requirements.every((requirement) => {
    const value = labels[requirement.key];
    switch (requirement.op) {
      case "=":
        return value === requirement.value;
      case "!=":
        return value !== requirement.value;
      case "in":
        return value !== undefined && requirement.values.includes(value);
      case "notin":
        return value === undefined || !requirement.values.includes(value);
      case "exists":
        return value !== undefined;
      case "!exists":
        return value === undefined;
    }
  });
}
