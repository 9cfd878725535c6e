import "server-only";
import type { PrismaDatabase } from "@/lib/db/client";
import { saveNewestWins } from "@/lib/db/errors";
import { normalizeRegistryHost } from "@/lib/registry/domains";
import { VERIFICATION_RESULTS, type RegistryVerification, type VerificationResult } from "@/lib/registry-check/port";

/**
 * Registry verification results in the `RegistryVerificationResult` table,
 * shared by every server process on the database: one row per credential
 * (normalized registry, username, fingerprint), holding its newest check.
 */
export interface VerificationStore {
  /** Stores the result unless the row already holds a newer check of the same credential. */
  save(verification: RegistryVerification): Promise<void>;
  /**
   * Results checked at or after `since` (all when null), at most `limit`, the
   * newest ones when there are more, returned oldest first. Rows only change
   * when a newer check replaces them, so "checked since" is "changed since".
   */
  changedSince(since: Date | null, limit: number): Promise<RegistryVerification[]>;
}

const RESULTS: ReadonlySet<string> = new Set<VerificationResult>(VERIFICATION_RESULTS);

function isVerificationResult(value: string): value is VerificationResult {
  return RESULTS.has(value);
}

export function createVerificationStore(prisma: PrismaDatabase): VerificationStore {
  const table = prisma.registryVerificationResult;
  return {
    async save(verification) {
      const key = { registry: normalizeRegistryHost(verification.domain), username: verification.username, fingerprint: verification.fingerprint };
      const checkedAt = new Date(verification.checkedAt);
      const values = {
        result: verification.result,
        detail: verification.detail,
        credentialTested: verification.credentialTested,
        latencyMs: verification.latencyMs,
        checkedAt,
      };
      // A conditional update is one atomic statement on both databases, so of two
      // replicas saving at once the newer check wins whatever the order of arrival.
      await saveNewestWins(
        () => table.updateMany({ where: { ...key, checkedAt: { lte: checkedAt } }, data: values }),
        () => table.create({ data: { ...key, ...values } }),
      );
    },

    async changedSince(since, limit) {
      const rows = await table.findMany({
        where: since ? { checkedAt: { gte: since } } : {},
        orderBy: { checkedAt: "desc" },
        take: limit,
      });
      return rows.reverse().flatMap((row): RegistryVerification[] => {
        // A result this version does not know (written by a newer replica) is left out rather than misread.
        if (!isVerificationResult(row.result)) return [];
        return [
          {
            domain: row.registry,
            username: row.username,
            fingerprint: row.fingerprint,
            result: row.result,
            detail: row.detail,
            credentialTested: row.credentialTested,
            latencyMs: row.latencyMs,
            checkedAt: row.checkedAt.toISOString(),
          },
        ];
      });
    },
  };
}
