import { FleetRowView } from "@/components/fleet/fleet-row";
import { fleetRowFor } from "@/lib/queries";

/** One cluster's row; rendered as soon as that cluster's scan is done (each row streams on its own). */
export async function FleetRowLoader({ cluster, canPlan }: { cluster: string; canPlan: boolean }) {
  return <FleetRowView row={await fleetRowFor(cluster)} canPlan={canPlan} />;
}
