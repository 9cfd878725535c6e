import { z } from "zod";
import { parseLabelSelector } from "@/lib/labels/selector";

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
  .superRefine((value, context) => {
    const parsed = parseLabelSelector(value);
    if (!parsed.ok) context.addIssue({ code: "custom", message: parsed.error });
  });
