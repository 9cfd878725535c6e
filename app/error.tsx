"use client";

import { RouteError } from "@/components/shell/route-error";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError title="Something went wrong" error={error} reset={reset} />;
}
