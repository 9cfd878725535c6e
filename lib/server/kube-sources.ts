import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { Env } from "@/lib/env";
import type { InClusterOptions } from "@/lib/kube/port";

/**
 * Kubeconfig files in the order they are merged: KUBECONFIG's list, then every
 * file of PULLKEEPER_KUBECONFIG_DIR (a Secret mounted as a directory: one key,
 * one file), sorted by name. Kubernetes' `..data` links and dotfiles are skipped.
 */
export function kubeconfigFiles(settings: Pick<Env, "KUBECONFIG" | "PULLKEEPER_KUBECONFIG_DIR">): string[] {
  const listed = settings.KUBECONFIG?.split(":").filter(Boolean) ?? [];
  const dir = settings.PULLKEEPER_KUBECONFIG_DIR;
  if (!dir || !fs.existsSync(dir)) return listed;
  const mounted = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith(".") && (entry.isFile() || entry.isSymbolicLink()))
    .map((entry) => path.join(dir, entry.name))
    .sort();
  return [...listed, ...mounted];
}

/**
 * The pod's own cluster, when Pullkeeper runs in one: on request (true), or by
 * default when the kubelet set KUBERNETES_SERVICE_HOST and mounted a token.
 */
export function inClusterOptions(
  settings: Pick<Env, "KUBERNETES_SERVICE_HOST" | "KUBERNETES_SERVICE_PORT" | "PULLKEEPER_IN_CLUSTER" | "PULLKEEPER_IN_CLUSTER_NAME" | "PULLKEEPER_SERVICE_ACCOUNT_DIR">,
): InClusterOptions | undefined {
  if (settings.PULLKEEPER_IN_CLUSTER === "false") return undefined;
  const options = {
    name: settings.PULLKEEPER_IN_CLUSTER_NAME,
    host: settings.KUBERNETES_SERVICE_HOST ?? "",
    port: settings.KUBERNETES_SERVICE_PORT,
    serviceAccountDir: settings.PULLKEEPER_SERVICE_ACCOUNT_DIR,
  };
  // Asked for explicitly: a missing host or token becomes a problem on the settings page, not silence.
  if (settings.PULLKEEPER_IN_CLUSTER === "true") return options;
  const mounted = fs.existsSync(path.join(settings.PULLKEEPER_SERVICE_ACCOUNT_DIR, "token"));
  return settings.KUBERNETES_SERVICE_HOST && mounted ? options : undefined;
}
