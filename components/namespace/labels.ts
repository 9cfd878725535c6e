import type { CredentialKind } from "@/lib/registry/docker-config";

export const CREDENTIAL_KIND_LABELS: Readonly<Record<CredentialKind, string>> = {
  "iam-api-key": "IBM Cloud API key",
  "registry-token": "Registry token (discontinued)",
  "iam-token": "IAM token (short-lived)",
  basic: "Username and password",
};

export const th = "px-3 py-2";
export const td = "px-3 py-2 align-top";
export const tableShell = "overflow-x-auto rounded-md border border-slate-200 bg-white";
export const headRow = "border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500";
