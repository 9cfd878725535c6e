/**
 * What the admin sees before registering a cluster: the objects Pullkeeper would create, reuse or refuse to
 * touch, the rules its role would grant, and why it would refuse. Text only, never a credential.
 */
export interface RegistrationPreview {
  server: string;
  context: string;
  steps: { action: string; object: string; detail: string }[];
  rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
  refusals: string[];
  /** Proves, at registration, that the cluster is still as previewed. */
  digest: string;
}
