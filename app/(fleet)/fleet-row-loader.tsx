import { FleetRowView } from "@/components/fleet/fleet-row";
import { clusterRowFor } from "@/lib/auth/connection-details";
import type { SessionUser } from "@/lib/auth/permissions";
import { fleetRowFor } from "@/lib/queries";

/** One cluster's row as this user may see it; rendered as soon as that cluster's scan is done (each row streams on its own). */
export async function FleetRowLoader({ cluster, canPlan, user }: { cluster: string; canPlan: boolean; user: SessionUser }) {
  return <FleetRowView row={clusterRowFor(user, await fleetRowFor(cluster))} canPlan={canPlan} />;
}
