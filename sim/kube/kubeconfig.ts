import type { KubeSim } from "./types";

export interface KubeconfigEntry {
  clusterName: string;
  contextName: string;
  userName: string;
  server: string;
  caPem: string | null;
  token: string;
  namespace?: string;
}

/** YAML double-quoted scalars are JSON strings, so JSON.stringify is a safe quoter. */
const q = (s: string) => JSON.stringify(s);

/** Renders a kubeconfig with one cluster/user/context per entry; current-context = first entry. */
export function renderKubeconfig(entries: KubeconfigEntry[]): string {
  const lines: string[] = ["apiVersion: v1", "kind: Config", "clusters:"];
  for (const e of entries) {
    lines.push(`- name: ${q(e.clusterName)}`, "  cluster:", `    server: ${q(e.server)}`);
    if (e.caPem) lines.push(`    certificate-authority-data: ${Buffer.from(e.caPem).toString("base64")}`);
    // client-node refuses http:// unless TLS verification is explicitly skipped.
    else if (e.server.startsWith("http://")) lines.push("    insecure-skip-tls-verify: true");
  }
  lines.push("users:");
  for (const e of entries) {
    lines.push(`- name: ${q(e.userName)}`, "  user:", `    token: ${q(e.token)}`);
  }
  lines.push("contexts:");
  for (const e of entries) {
    lines.push(
      `- name: ${q(e.contextName)}`,
      "  context:",
      `    cluster: ${q(e.clusterName)}`,
      `    user: ${q(e.userName)}`,
    );
    if (e.namespace) lines.push(`    namespace: ${q(e.namespace)}`);
  }
  lines.push(`current-context: ${q(entries[0]?.contextName ?? "")}`, "preferences: {}", "");
  return lines.join("\n");
}

export function kubeconfigEntry(sim: KubeSim, user = "admin", contextName = sim.name): KubeconfigEntry {
  const token = sim.tokens[user];
  if (token === undefined) throw new Error(`cluster ${sim.name} has no user "${user}"`);
  return {
    clusterName: sim.name,
    contextName,
    userName: user === "admin" ? `${sim.name}-admin` : `${sim.name}-${user}`,
    server: sim.url,
    caPem: sim.caPem,
    token,
  };
}

/** One context per simulated cluster (context = cluster name), current-context = the first. */
export function fleetKubeconfig(sims: KubeSim[], opts: { user?: string } = {}): string {
  return renderKubeconfig(sims.map((s) => kubeconfigEntry(s, opts.user ?? "admin")));
}
