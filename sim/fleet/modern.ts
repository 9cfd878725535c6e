import { DEMO_CLUSTER_SERVICE_IDS } from "../demo-credentials";
import { daysAfter, deploymentWithPods, namespace, opaqueSecret, pullSecret, serviceAccount, type Obj, type RegistryCredential } from "./builders";

/** A mid-2020+ cluster: one `all-icr-io` secret in `default` covering every icr.io domain. */
export const MODERN_CREATED = "2020-09-14T15:40:52Z";

export const ALL_ICR_DOMAINS = ["icr.io", "us.icr.io", "uk.icr.io", "de.icr.io", "au.icr.io", "jp.icr.io", "jp2.icr.io", "ca.icr.io", "br.icr.io", "fr2.icr.io"];

export function allIcrCredentials(apiKey: string): RegistryCredential[] {
  return ALL_ICR_DOMAINS.map((server) => ({ server, username: "iamapikey", password: apiKey, email: "iamapikey" }));
}

export function modernObjects(): Obj[] {
  const created = MODERN_CREATED;
  const at = (d: number) => ({ created: daysAfter(created, d) });
  const creds = allIcrCredentials(DEMO_CLUSTER_SERVICE_IDS.modern.apiKey);
  const o: Obj[] = [namespace("default", { created }), namespace("kube-system", { created }), namespace("ibm-system", { created, labels: { team: "platform", env: "prod" } })];
  o.push(pullSecret("default", "all-icr-io", creds, at(1)));
  o.push(serviceAccount("default", "default", ["all-icr-io"], { created }));
  o.push(...deploymentWithPods("default", "welcome", { ...at(2), image: "icr.io/ext/welcome:2.0", serviceAccountPullSecrets: ["all-icr-io"], pulled: true }));

  const ns = (name: string, team: string, env: string, d: number) => o.push(namespace(name, { ...at(d), labels: { team, env } }));
  // billing: copied with the seed's sed, which leaves `all-icr-io` unrenamed.
  ns("billing", "payments", "prod", 20);
  o.push(pullSecret("billing", "all-icr-io", creds, at(21)));
  o.push(serviceAccount("billing", "default", ["all-icr-io"], at(20)));
  o.push(...deploymentWithPods("billing", "invoicer", { ...at(22), image: "us.icr.io/billing/invoicer:4.0.2", replicas: 2, serviceAccountPullSecrets: ["all-icr-io"], pulled: true, labels: { team: "payments" } }));

  // Namespaces for the `team-a` identity (RBAC limited to team-a-*).
  ns("team-a-dev", "team-a", "dev", 30);
  ns("team-a-prod", "team-a", "prod", 31);
  o.push(opaqueSecret("team-a-prod", "db-credentials", { username: "app", password: "not-a-registry-secret" }, at(32)));
  o.push(...deploymentWithPods("team-a-prod", "orders-api", { ...at(33), image: "us.icr.io/team-a/orders-api:1.5.0", pulled: false, labels: { team: "team-a" } }));

  ns("orders", "logistics", "prod", 40);
  o.push(...deploymentWithPods("orders", "order-router", { ...at(41), image: "icr.io/logistics/order-router:2.2.2", pulled: false, labels: { team: "logistics" } }));
  ns("observability", "platform", "prod", 45);
  ns("experiments", "data", "dev", 50);
  return o;
}
