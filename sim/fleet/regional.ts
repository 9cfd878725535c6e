import { DEMO_CLUSTER_SERVICE_IDS, DEMO_PRIVATE_REGISTRY, DEMO_TEAM_SERVICE_IDS } from "../demo-credentials";
import { daysAfter, deploymentWithPods, namespace, opaqueSecret, pullSecret, serviceAccount, type Obj, type RegistryCredential } from "./builders";

/**
 * A 2019 cluster after `ibmcloud ks cluster-pull-secret-apply`: one secret per
 * regional domain in `default`, partially and inconsistently copied around.
 */
export const REGIONAL_CREATED = "2019-05-20T08:02:11Z";

export const REGIONAL_DOMAINS: [suffix: string, domain: string][] = [
  ["us", "us.icr.io"],
  ["uk", "uk.icr.io"],
  ["de", "de.icr.io"],
  ["au", "au.icr.io"],
  ["jp", "jp.icr.io"],
  ["", "icr.io"],
];

const key = DEMO_CLUSTER_SERVICE_IDS.regional.apiKey;
const oldKey = DEMO_CLUSTER_SERVICE_IDS.regional.revokedApiKey;
const cred = (domain: string, password = key): RegistryCredential => ({ server: domain, username: "iamapikey", password, email: "iamapikey" });
const secretName = (ns: string, suffix: string) => (suffix ? `${ns}-${suffix}-icr-io` : `${ns}-icr-io`);
const domainOf = (suffix: string) => REGIONAL_DOMAINS.find(([s]) => s === suffix)![1];

export function regionalObjects(): Obj[] {
  const created = REGIONAL_CREATED;
  const at = (d: number) => ({ created: daysAfter(created, d) });
  const o: Obj[] = [namespace("default", { created }), namespace("kube-system", { created }), namespace("ibm-system", { created, labels: { team: "platform", env: "prod" } })];

  // default: the six secrets IKS wrote, attached to the default service account.
  for (const [suffix, domain] of REGIONAL_DOMAINS) o.push(pullSecret("default", secretName("default", suffix), [cred(domain)], at(1)));
  o.push(serviceAccount("default", "default", REGIONAL_DOMAINS.map(([s]) => secretName("default", s)), { created }));
  o.push(...deploymentWithPods("default", "status-page", { ...at(3), image: "us.icr.io/platform/status-page:1.2.0", serviceAccountPullSecrets: REGIONAL_DOMAINS.map(([s]) => secretName("default", s)), pulled: true }));

  const team = (name: string, t: string, env: string, d: number) => o.push(namespace(name, { ...at(d), labels: { team: t, env } }));
  /** Copies as the seed's sed produces them (`<ns>-<region>-icr-io`), optionally with the pre-rotation key. */
  const copies = (ns: string, suffixes: string[], d: number, stale = false) =>
    suffixes.map((s) => {
      o.push(pullSecret(ns, secretName(ns, s), [cred(domainOf(s), stale ? oldKey : key)], at(d)));
      return secretName(ns, s);
    });

  // payments: fresh copies of us + global, attached.
  team("payments", "payments", "prod", 10);
  o.push(serviceAccount("payments", "default", copies("payments", ["us", ""], 11), at(10)));
  o.push(...deploymentWithPods("payments", "payments-api", { ...at(12), image: "us.icr.io/payments/payments-api:3.4.1", replicas: 3, serviceAccountPullSecrets: ["payments-us-icr-io", "payments-icr-io"], pulled: true, labels: { team: "payments" } }));

  // payments also pulls its batch images with its own service ID's key (least privilege): independent, never stale.
  o.push(pullSecret("payments", "payments-team-puller", [cred("us.icr.io", DEMO_TEAM_SERVICE_IDS.payments.apiKey)], at(13)));
  o.push(...deploymentWithPods("payments", "payments-batch", { ...at(13), image: "us.icr.io/payments/settlement-batch:2.0.3", imagePullSecrets: ["payments-team-puller"], pulled: true, labels: { team: "payments" } }));

  // checkout: copies made before the key rotation (stale), attached.
  team("checkout", "payments", "prod", 14);
  const checkout = copies("checkout", ["us", "de"], 15, true);
  o.push(serviceAccount("checkout", "default", checkout, at(14)));
  o.push(...deploymentWithPods("checkout", "checkout-web", { ...at(16), image: "de.icr.io/checkout/checkout-web:1.0.7", replicas: 2, serviceAccountPullSecrets: checkout, pulled: true, labels: { team: "payments" } }));

  // search: every domain copied; the service account is managed by Helm.
  team("search", "search", "prod", 20);
  const search = copies("search", REGIONAL_DOMAINS.map(([s]) => s), 21);
  const sa = serviceAccount("search", "default", search, { ...at(20), labels: { "app.kubernetes.io/managed-by": "Helm" }, annotations: { "meta.helm.sh/release-name": "search-platform", "meta.helm.sh/release-namespace": "search" } });
  o.push(sa);
  o.push(...deploymentWithPods("search", "query-api", { ...at(22), image: "us.icr.io/search/query-api:7.1.0", replicas: 2, serviceAccountPullSecrets: search, pulled: true, labels: { team: "search" } }));

  // analytics: kept in sync by kubernetes-replicator (same name as the source).
  team("analytics", "data", "staging", 25);
  o.push({
    ...pullSecret("analytics", "default-us-icr-io", [cred("us.icr.io")], { ...at(26), annotations: { "replicator.v1.mittwald.de/replicate-from": "default/default-us-icr-io", "replicator.v1.mittwald.de/replicated-at": daysAfter(created, 300), "replicator.v1.mittwald.de/replicated-from-version": "1873" } }),
  });
  o.push(serviceAccount("analytics", "default", ["default-us-icr-io"], at(25)));
  o.push(...deploymentWithPods("analytics", "etl-runner", { ...at(27), image: "us.icr.io/data/etl-runner:2024.1", serviceAccountPullSecrets: ["default-us-icr-io"], pulled: true, labels: { team: "data" } }));

  // ml-training: nothing copied; its pods cannot pull.
  team("ml-training", "data", "dev", 30);
  o.push(...deploymentWithPods("ml-training", "trainer", { ...at(31), image: "us.icr.io/data/trainer:0.4.0", pulled: false, labels: { team: "data" } }));

  // web-frontend: the pod template carries its own pull secret; the service account has none.
  team("web-frontend", "web", "prod", 33);
  o.push(pullSecret("web-frontend", "web-pull", [cred("us.icr.io")], at(34)));
  o.push(...deploymentWithPods("web-frontend", "storefront", { ...at(35), image: "us.icr.io/web/storefront:5.2.0", replicas: 2, imagePullSecrets: ["web-pull"], pulled: true, labels: { team: "web" } }));

  // web-staging: the service account points at a secret that does not exist (dangling).
  team("web-staging", "web", "staging", 36);
  o.push(serviceAccount("web-staging", "default", ["web-staging-us-icr-io"], at(36)));
  o.push(...deploymentWithPods("web-staging", "storefront", { ...at(37), image: "us.icr.io/web/storefront:5.3.0-rc1", serviceAccountPullSecrets: ["web-staging-us-icr-io"], pulled: false, labels: { team: "web" } }));

  // inventory: stale copy referenced from the pod template.
  team("inventory", "logistics", "prod", 40);
  copies("inventory", ["us"], 41, true);
  o.push(...deploymentWithPods("inventory", "stock-service", { ...at(42), image: "us.icr.io/logistics/stock-service:1.9.2", imagePullSecrets: ["inventory-us-icr-io"], pulled: true, labels: { team: "logistics" } }));

  // shipping: uncovered, and an app config secret.
  team("shipping", "logistics", "dev", 44);
  o.push(opaqueSecret("shipping", "shipping-config", { "carrier-endpoint": "https://carrier.example.com/api" }, at(45)));
  o.push(...deploymentWithPods("shipping", "label-printer", { ...at(46), image: "us.icr.io/logistics/label-printer:0.2.1", pulled: false, labels: { team: "logistics" } }));

  // monitoring: a third-party private registry, attached.
  team("monitoring", "platform", "prod", 50);
  o.push(pullSecret("monitoring", "example-registry", [{ server: DEMO_PRIVATE_REGISTRY.server, username: DEMO_PRIVATE_REGISTRY.username, password: DEMO_PRIVATE_REGISTRY.password, email: "ci@example.com" }], at(50)));
  o.push(serviceAccount("monitoring", "default", ["example-registry"], at(50)));
  o.push(...deploymentWithPods("monitoring", "node-agent", { ...at(51), image: `${DEMO_PRIVATE_REGISTRY.server}/monitoring/node-agent:3.0.0`, serviceAccountPullSecrets: ["example-registry"], pulled: true, labels: { team: "platform" } }));

  // batch-jobs: only de.icr.io, attached to a non-default service account.
  team("batch-jobs", "data", "prod", 55);
  const batch = copies("batch-jobs", ["de"], 56);
  o.push(serviceAccount("batch-jobs", "builder", batch, at(55)));
  o.push(...deploymentWithPods("batch-jobs", "nightly-report", { ...at(57), image: "de.icr.io/data/nightly-report:1.1.0", serviceAccountName: "builder", serviceAccountPullSecrets: batch, pulled: true, labels: { team: "data" } }));

  // sandbox and qa: empty, uncovered.
  team("sandbox", "platform", "dev", 60);
  team("qa", "web", "staging", 62);
  o.push(...deploymentWithPods("qa", "smoke-tests", { ...at(63), image: "us.icr.io/web/smoke-tests:latest", pulled: false, labels: { team: "web" } }));
  return o;
}
