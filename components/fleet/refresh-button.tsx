"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import type { ApiErrorBody, ScanResponse } from "@/lib/api/responses";
import { dashboardApi, dashboardKeys } from "@/lib/api/keys";

async function rescan(cluster: string): Promise<ScanResponse> {
  const response = await fetch(dashboardApi.scan(cluster), { method: "POST", headers: { accept: "application/json" } });
  const body = (await response.json().catch(() => null)) as (ScanResponse & Partial<ApiErrorBody>) | null;
  if (!response.ok || !body?.cluster) throw new Error(body?.error ?? `The server answered ${response.status}.`);
  return body;
}

/** Scans one cluster again now, then re-renders the page from the fresh scan. */
export function RefreshButton({ cluster, label = "Refresh", compact = false }: { cluster: string; label?: string; compact?: boolean }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [refreshing, startTransition] = useTransition();
  const mutation = useMutation({
    mutationFn: () => rescan(cluster),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: dashboardKeys.cluster(cluster) });
      startTransition(() => router.refresh());
    },
  });
  const busy = mutation.isPending || refreshing;
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <button
        type="button"
        onClick={() => mutation.mutate()}
        disabled={busy}
        aria-label={`${label} ${cluster}`}
        className={`rounded border border-slate-300 bg-white px-2 text-xs font-medium hover:bg-slate-100 disabled:opacity-60 ${compact ? "py-0" : "py-1"}`}
      >
        {busy ? "Scanning…" : label}
      </button>
      {mutation.isError ? (
        <span role="alert" className="text-xs text-red-800">
          {mutation.error.message}
        </span>
      ) : null}
    </span>
  );
}
