"use client";

import { RouteError } from "@/components/shell/route-error";

export default function ClusterError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError title="The cluster page could not be shown" error={error} reset={reset} />;
}
