import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AddedClusters, type LiveCheck } from "@/components/clusters/accounts/added-clusters";
import { DiscoveredClusters } from "@/components/clusters/accounts/discovered-clusters";
import { JoinRules } from "@/components/clusters/accounts/join-rules";
import { ownerDescription } from "@/components/clusters/accounts/owner";
import { RemoveAccount } from "@/components/clusters/accounts/remove-account";
import { TokenStatus } from "@/components/clusters/accounts/token-status";
import { Notice } from "@/components/shell/notice";
import { PageHeader } from "@/components/shell/page-header";
import { requireUser } from "@/lib/auth/session";
import { describeRule } from "@/lib/server/cloud-account-audit";
import { accountSummaries, checkClusterAccess, discoverAccountClusters } from "@/lib/server/cloud-accounts";

export const metadata: Metadata = { title: "IBM Cloud account" };
export const dynamic = "force-dynamic";

export default async function CloudAccountPage({ params }: { params: Promise<{ account: string }> }) {
  await requireUser("settings.manage");
  const { account: accountId } = await params;
  const summary = (await accountSummaries()).find((s) => s.account.id === accountId);
  if (!summary) notFound();
  const { account, clusters, joinRules, token } = summary;
  // Asked while the page renders: IBM's list, and each added cluster with the account's current token.
  const [discovery, checks] = await Promise.all([
    discoverAccountClusters(account),
    Promise.all(clusters.map(async (c) => [c.name, await checkClusterAccess(c, account)] as const)).then((entries) => new Map<string, LiveCheck>(entries)),
  ]);
  const found = discovery.ok ? discovery.clusters : [];
  const unique = (values: string[]) => [...new Set(values.filter(Boolean))].sort();
  return (
    <>
      <PageHeader
        title={account.displayName}
        description={`IBM Cloud account ${account.ibmAccountId}, connected with ${ownerDescription(account)} (key name ${account.apiKeyName}). The key itself is sealed and never shown.`}
        actions={
          <Link href="/admin/clusters/accounts" className="text-sm text-sky-800 underline">
            All accounts
          </Link>
        }
      />
      <section aria-labelledby="token-heading" className="mb-8">
        <h2 id="token-heading" className="mb-2 text-base font-semibold">
          IAM token
        </h2>
        <TokenStatus token={token} />
      </section>
      <section aria-labelledby="added-heading" className="mb-8">
        <h2 id="added-heading" className="mb-2 text-base font-semibold">
          Added clusters
        </h2>
        <AddedClusters accountId={account.id} clusters={clusters} checks={checks} />
      </section>
      <section aria-labelledby="discovered-heading" className="mb-8">
        <h2 id="discovered-heading" className="mb-2 text-base font-semibold">
          Clusters in the account
        </h2>
        {discovery.ok ? (
          <>
            {discovery.advice ? (
              <Notice tone="warning" title="The key sees no cluster">
                <p>{discovery.advice}</p>
              </Notice>
            ) : null}
            {found.length ? <DiscoveredClusters accountId={account.id} clusters={found.map((c) => ({ id: c.id, name: c.name, region: c.region, kubeVersion: c.kubeVersion, type: c.type, state: c.state, resourceGroupName: c.resourceGroupName, tags: c.tags, privateEndpoint: c.privateEndpoint, addedAs: c.addedAs }))} /> : null}
          </>
        ) : (
          <Notice tone="error" title="IBM Cloud did not list the account's clusters">
            <p>{discovery.error}</p>
            {discovery.advice ? <p>{discovery.advice}</p> : null}
          </Notice>
        )}
      </section>
      <section aria-labelledby="rules-heading" className="mb-8">
        <h2 id="rules-heading" className="mb-2 text-base font-semibold">
          Join rules
        </h2>
        <p className="mb-2 max-w-3xl text-sm text-slate-600">
          Clusters in a resource group, or with a tag, join by themselves: a rule runs when it is added and then on the join-rule schedule (PULLKEEPER_JOIN_RULE_SCHEDULE), and each run that adds a cluster is in the audit log.
        </p>
        <JoinRules
          accountId={account.id}
          rules={joinRules.map((r) => ({ id: r.id, description: describeRule(r), createdBy: r.createdBy, lastEvaluatedAt: r.lastEvaluatedAt, lastError: r.lastError, joinedCount: clusters.filter((c) => c.joinedBy === `rule:${r.id}`).length }))}
          resourceGroups={unique(found.map((c) => c.resourceGroupName))}
          tags={unique(found.flatMap((c) => c.tags))}
        />
      </section>
      <section aria-labelledby="remove-heading" className="mb-8">
        <h2 id="remove-heading" className="mb-2 text-base font-semibold">
          Remove the account
        </h2>
        <RemoveAccount accountId={account.id} displayName={account.displayName} clusters={clusters.map((c) => c.name)} joinRules={joinRules.map(describeRule)} />
      </section>
    </>
  );
}
