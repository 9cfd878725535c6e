"use client";

import { useState } from "react";
import { Checkbox, CheckboxGroup } from "./fields";
import { useWorkflowRunner } from "./use-workflow-runner";
import { WorkflowFrame } from "./workflow-frame";

export interface MigrateWorkflowProps {
  cluster: string;
  suggestedStyle: "per-domain" | "all-icr-io";
  /** Namespaces with Deployments still pulling from registry.*.bluemix.net. */
  legacyImageNamespaces: string[];
  /** Namespaces other than default holding copies of the token secrets. */
  legacyCopyNamespaces: string[];
  legacySecretCount: number;
  canApply: boolean;
}

/** Token → API-key migration: one click after the preview. */
export function MigrateWorkflow({ cluster, suggestedStyle, legacyImageNamespaces, legacyCopyNamespaces, legacySecretCount, canApply }: MigrateWorkflowProps) {
  const runner = useWorkflowRunner("migrate_to_api_keys");
  const [style, setStyle] = useState(suggestedStyle);
  const [rewrite, setRewrite] = useState<string[]>([]);
  const [updateCopies, setUpdateCopies] = useState(false);
  const [removeLegacy, setRemoveLegacy] = useState(false);
  const { edit } = runner;
  return (
    <WorkflowFrame
      runner={runner}
      canApply={canApply}
      applyLabel="Migrate"
      onPreview={() => runner.preview({ cluster, style, rewriteImagesIn: rewrite, updateCopies, removeLegacy })}
    >
      <fieldset className="text-sm">
        <legend className="font-medium">API-key pull secrets in default</legend>
        <label className="mt-1 flex items-start gap-1.5">
          <input type="radio" name="style" checked={style === "all-icr-io"} onChange={() => edit(setStyle)("all-icr-io")} className="mt-0.5" />
          <span>
            One <span className="font-mono text-xs">all-icr-io</span> secret for every icr.io domain (IKS since 2020)
            {suggestedStyle === "all-icr-io" ? <span className="ml-1 text-xs text-sky-800">(this cluster&apos;s convention)</span> : null}
          </span>
        </label>
        <label className="flex items-start gap-1.5">
          <input type="radio" name="style" checked={style === "per-domain"} onChange={() => edit(setStyle)("per-domain")} className="mt-0.5" />
          <span>
            One secret per domain, <span className="font-mono text-xs">default-us-icr-io</span> … <span className="font-mono text-xs">default-icr-io</span> (IKS 2019)
            {suggestedStyle === "per-domain" ? <span className="ml-1 text-xs text-sky-800">(this cluster&apos;s convention)</span> : null}
          </span>
        </label>
      </fieldset>
      <p className="text-xs text-slate-600">
        Pullkeeper finds or creates the service ID <span className="font-mono">{cluster}-default-id</span> with Reader on Container Registry, creates its API key, writes the secrets, attaches them to
        default&apos;s service account and verifies each domain against the registry.
      </p>
      <fieldset className="space-y-2 border-t border-slate-100 pt-3 text-sm">
        <legend className="font-medium">Optional clean-up, each previewed</legend>
        {legacyImageNamespaces.length ? (
          <CheckboxGroup
            legend="Rewrite registry.*.bluemix.net images of Deployments to icr.io in:"
            name="rewriteImagesIn"
            options={legacyImageNamespaces}
            chosen={rewrite}
            onChange={edit(setRewrite)}
            errors={runner.fieldErrors}
          />
        ) : (
          <p className="text-xs text-slate-500">No Deployment pulls from registry.*.bluemix.net.</p>
        )}
        <Checkbox
          name="updateCopies"
          label={`Give the ${legacyCopyNamespaces.length} namespace${legacyCopyNamespaces.length === 1 ? "" : "s"} holding copies of the token secrets API-key copies`}
          hint={legacyCopyNamespaces.slice(0, 8).join(", ") + (legacyCopyNamespaces.length > 8 ? ", …" : "")}
          checked={updateCopies}
          onChange={edit(setUpdateCopies)}
        />
        <Checkbox
          name="removeLegacy"
          label={`Detach and delete the ${legacySecretCount} discontinued token secret${legacySecretCount === 1 ? "" : "s"} once the new ones verify`}
          checked={removeLegacy}
          onChange={edit(setRemoveLegacy)}
        />
      </fieldset>
    </WorkflowFrame>
  );
}
