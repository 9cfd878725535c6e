import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { findCluster } from "@/lib/queries";
import { routeParam } from "@/lib/queries/route-param";

/**
 * Every page under a cluster starts here, outside any loading boundary, so an
 * unknown cluster is answered with HTTP 404 before anything streams (a
 * notFound() under a streamed Suspense boundary can only send 200).
 * The pages below still check their own permissions.
 */
export default async function ClusterLayout({ params, children }: { params: Promise<{ cluster: string }>; children: React.ReactNode }) {
  const cluster = routeParam((await params).cluster);
  await requireUser("coverage.read", { cluster });
  if (!findCluster(cluster)) notFound();
  return children;
}
