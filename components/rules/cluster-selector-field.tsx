"use client";

import { useState } from "react";
import { Field, inputClass, invalidProps } from "@/components/forms/field";
import type { ClusterLabelling } from "@/lib/clusters/labels";
import { matchesSelector, parseLabelSelector } from "@/lib/labels/selector";

/** The clusters a selector matches now, or why it does not parse (the server says the same when previewing). */
export function clustersMatching(selector: string, clusters: readonly ClusterLabelling[]): { ok: true; matching: ClusterLabelling[] } | { ok: false; error: string } {
  if (!selector.trim()) return { ok: false, error: "Type a label selector, for example env=prod." };
  const parsed = parseLabelSelector(selector);
  if (!parsed.ok) return parsed;
  return { ok: true, matching: clusters.filter((cluster) => matchesSelector(parsed.requirements, cluster.labels)) };
}

/**
 * The rule's cluster label selector, with a live count of the clusters its labels match now. Clusters labelled later
 * join the rule at its next evaluation; the blast-radius preview counts them the same way.
 */
export function ClusterSelectorField({ defaultValue, clusters, errors }: { defaultValue: string; clusters: readonly ClusterLabelling[]; errors: string[] | undefined }) {
  const [selector, setSelector] = useState(defaultValue);
  const outcome = clustersMatching(selector, clusters);
  const id = "rule-clusterSelector";
  return (
    <Field id={id} label="Cluster label selector" errors={errors} hint="Labels are set on the clusters page, for example env=prod,region in (eu-de,eu-gb).">
      <input id={id} name="clusterSelector" value={selector} onChange={(event) => setSelector(event.target.value)} className={inputClass} {...invalidProps(id, errors)} />
      <p role="status" aria-live="polite" className="mt-1 text-xs text-slate-600">
        {outcome.ok ? (
          <>
            Matches {outcome.matching.length} of {clusters.length} clusters now
            {outcome.matching.length ? `: ${outcome.matching.map((cluster) => cluster.displayName).join(", ")}` : ""}.
          </>
        ) : (
          outcome.error
        )}
      </p>
    </Field>
  );
}
