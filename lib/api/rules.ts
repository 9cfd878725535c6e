/** The matrix's "kept by rule" lookup: route, react-query key and answer (names and registries only). */
export const keptByRulesApi = (cluster: string, namespace: string) =>
  `/api/rules/kept?cluster=${encodeURIComponent(cluster)}&namespace=${encodeURIComponent(namespace)}`;

export const keptByRulesKey = (cluster: string, namespace: string) => ["dashboard", "cluster", cluster, "namespace", namespace, "kept-by-rules"] as const;

export interface KeptByRulesResponse {
  rules: { id: string; name: string; registries: string[] }[];
}
