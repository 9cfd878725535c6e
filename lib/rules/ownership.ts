import type { AuditStore, OperationWithSteps } from "@/lib/audit/port";
import type { PullSecretInventory } from "@/lib/kube/port";
import { proveProvenance } from "@/lib/provenance/proof";

/** The audit operation kind of a rule's runs (lib/workflows/keep-rule.ts). */
export const KEEP_RULE_KIND = "keep_rule";

/**
 * `namespace/name` of every secret in the inventory that this rule provably
 * wrote: its provenance annotations name a run of this rule (a `keep_rule`
 * operation whose parameters carry the rule's id) that wrote exactly this
 * secret with exactly its current content (lib/provenance). Nothing else is
 * the rule's to refresh or remove. Each operation is read once.
 */
export async function ownedSecrets(ruleId: string, inventory: PullSecretInventory, audit: Pick<AuditStore, "getOperation">): Promise<Set<string>> {
  const operations = new Map<string, Promise<OperationWithSteps | null>>();
  const cached: Pick<AuditStore, "getOperation"> = {
    getOperation: (id) => {
      let hit = operations.get(id);
      if (!hit) {
        hit = audit.getOperation(id);
        operations.set(id, hit);
      }
      return hit;
    },
  };
  const owned = new Set<string>();
  for (const secret of inventory.pullSecrets) {
    const claim = secret.provenance;
    if (!claim) continue;
    const operation = await cached.getOperation(claim.operationId);
    if (operation?.kind !== KEEP_RULE_KIND || operation.parameters.ruleId !== ruleId) continue;
    const proof = await proveProvenance(cached, { cluster: inventory.cluster, namespace: secret.namespace, name: secret.name, provenance: claim, credentialFingerprint: secret.credentialFingerprint });
    if (proof.proven) owned.add(`${secret.namespace}/${secret.name}`);
  }
  return owned;
}
