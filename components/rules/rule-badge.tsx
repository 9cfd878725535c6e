"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { keptByRulesApi, keptByRulesKey, type KeptByRulesResponse } from "@/lib/api/rules";

async function fetchKeptByRules(cluster: string, namespace: string): Promise<KeptByRulesResponse> {
  const response = await fetch(keptByRulesApi(cluster, namespace), { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`The server answered ${response.status}.`);
  return (await response.json()) as KeptByRulesResponse;
}

/** "Kept by rule …" for a matrix cell whose coverage a keeping rule's copies provide (says nothing otherwise). */
export function RuleBadge({ cluster, namespace, registry }: { cluster: string; namespace: string; registry: string }) {
  const query = useQuery({ queryKey: keptByRulesKey(cluster, namespace), queryFn: () => fetchKeptByRules(cluster, namespace) });
  const rules = query.data?.rules.filter((rule) => rule.registries.includes(registry)) ?? [];
  if (rules.length === 0) return null;
  return (
    <p className="mt-2 text-slate-700">
      Kept by rule{" "}
      {rules.map((rule, index) => (
        <span key={rule.id}>
          {index > 0 ? ", " : null}
          <Link href={`/rules/${rule.id}`} className="font-medium text-sky-800 underline">
            {rule.name}
          </Link>
        </span>
      ))}
    </p>
  );
}
