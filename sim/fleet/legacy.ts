import { DEMO_LEGACY_TOKENS } from "../demo-credentials";
import { daysAfter, deploymentWithPods, dockercfgSecret, namespace, pullSecret, serviceAccount, type Obj, type RegistryCredential } from "./builders";

/**
 * A cluster created before 2019-02-25: only registry-token pull secrets for the
 * discontinued registry.*.bluemix.net domains (user `token`), copied by hand
 * into a few team namespaces with the seed's `sed 's/default/<ns>/g'` naming.
 */
export const LEGACY_CREATED = "2018-06-12T09:14:03Z";

const regional: RegistryCredential = { server: "registry.ng.bluemix.net", username: "token", password: DEMO_LEGACY_TOKENS.regional, email: "token" };
const international: RegistryCredential = { server: "registry.bluemix.net", username: "token", password: DEMO_LEGACY_TOKENS.international, email: "token" };

const SECRETS: [string, RegistryCredential][] = [
  ["bluemix-default-secret", regional],
  ["bluemix-default-secret-regional", regional],
  ["bluemix-default-secret-international", international],
];

export function legacyObjects(): Obj[] {
  const created = LEGACY_CREATED;
  const at = (d: number) => ({ created: daysAfter(created, d) });
  const objects: Obj[] = [
    namespace("default", { created }),
    namespace("kube-system", { created }),
    namespace("kube-public", { created }),
    namespace("ibm-system", { created, labels: { team: "platform", env: "prod" } }),
    namespace("ibm-cert-store", { created, labels: { team: "platform", env: "prod" } }),
    namespace("team-payments", { ...at(40), labels: { team: "payments", env: "prod" } }),
    namespace("team-search", { ...at(55), labels: { team: "search", env: "prod" } }),
    namespace("team-web", { ...at(120), labels: { team: "web", env: "staging" } }),
  ];
  for (const ns of ["default", "kube-system"]) {
    for (const [name, cred] of SECRETS) objects.push(pullSecret(ns, name, [cred], { created }));
    objects.push(serviceAccount(ns, "default", SECRETS.map(([n]) => n), { created }));
  }
  // team-payments: copied with the seed's sed (names rewritten) and attached to the default SA.
  const paymentsNames = SECRETS.map(([n]) => n.replace(/default/g, "team-payments"));
  SECRETS.forEach(([, cred], i) => objects.push(pullSecret("team-payments", paymentsNames[i]!, [cred], at(41))));
  objects.push(serviceAccount("team-payments", "default", paymentsNames, at(40)));
  // team-search: one copy, referenced from the pod template instead of the service account;
  // plus an old .dockercfg-format secret someone created by hand.
  objects.push(pullSecret("team-search", "bluemix-team-search-secret", [regional], at(56)));
  objects.push(dockercfgSecret("team-search", "search-registry-dockercfg", [regional], at(57)));
  // team-web: nothing copied.

  objects.push(
    ...deploymentWithPods("default", "hello-world", { ...at(2), image: "registry.ng.bluemix.net/demo/hello-world:1", replicas: 2, serviceAccountPullSecrets: SECRETS.map(([n]) => n), pulled: true }),
    ...deploymentWithPods("team-payments", "payments-api", { ...at(45), image: "registry.ng.bluemix.net/payments/payments-api:2.3.1", replicas: 2, serviceAccountPullSecrets: paymentsNames, pulled: true, labels: { team: "payments" } }),
    ...deploymentWithPods("team-search", "indexer", { ...at(60), image: "registry.ng.bluemix.net/search/indexer:0.9.4", imagePullSecrets: ["bluemix-team-search-secret"], pulled: true, labels: { team: "search" } }),
    ...deploymentWithPods("team-web", "storefront", { ...at(125), image: "registry.bluemix.net/web/storefront:5.0.0", pulled: false, labels: { team: "web" } }),
  );
  return objects;
}
