import type { Metadata } from "next";
import Link from "next/link";
import { CreateTargetForm } from "@/components/notifications/create-target-form";
import { DeliveriesTable } from "@/components/notifications/deliveries-table";
import { TargetsTable } from "@/components/notifications/targets-table";
import { PageHeader } from "@/components/shell/page-header";
import { requireUser } from "@/lib/auth/session";
import { notifications } from "@/lib/notifications";

export const metadata: Metadata = { title: "Notifications" };
export const dynamic = "force-dynamic";

const RECENT_DELIVERIES = 50;

export default async function NotificationsPage() {
  await requireUser("settings.manage");
  const { store } = await notifications();
  const [targets, deliveries] = await Promise.all([store.listTargets(), store.listDeliveries({ limit: RECENT_DELIVERIES })]);
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Webhooks Pullkeeper calls when something needs a person: failed or interrupted runs, credentials a registry rejects, and more. Each request is signed with the target's secret (X-Pullkeeper-Signature); failed deliveries are retried for about an hour."
      />
      <section aria-labelledby="targets-heading" className="mb-8">
        <h2 id="targets-heading" className="mb-2 text-base font-semibold">
          Targets
        </h2>
        <TargetsTable targets={targets} />
      </section>
      <section aria-labelledby="deliveries-heading" className="mb-8">
        <div className="mb-2 flex items-baseline justify-between">
          <h2 id="deliveries-heading" className="text-base font-semibold">
            Recent deliveries
          </h2>
          <Link href="/admin/notifications" className="text-sm text-sky-800 underline">
            Refresh
          </Link>
        </div>
        <DeliveriesTable deliveries={deliveries} />
      </section>
      <section className="rounded-md border border-slate-200 bg-white p-6" aria-labelledby="create-target-heading">
        <h2 id="create-target-heading" className="mb-4 text-base font-semibold">
          Add a target
        </h2>
        <CreateTargetForm />
      </section>
    </>
  );
}
