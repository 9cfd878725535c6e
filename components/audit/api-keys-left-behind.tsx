import type { ApiKeyLeftBehindView } from "@/lib/api/operation";

/** The API keys a run created and could not hand to any secret (their value ended with the run). */
export function ApiKeysLeftBehind({ keys }: { keys: ApiKeyLeftBehindView[] }) {
  if (keys.length === 0) return null;
  return (
    <section aria-labelledby="keys-left-behind" className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="api-keys-left-behind">
      <h3 id="keys-left-behind" className="font-semibold text-amber-900">
        {keys.length === 1 ? "1 API key" : `${keys.length} API keys`} left behind
      </h3>
      <p className="mt-1 text-amber-900">
        This run created {keys.length === 1 ? "this key" : "these keys"} in IBM Cloud IAM but wrote no pull secret with {keys.length === 1 ? "it" : "them"}; IAM
        never shows a key&apos;s value again, so nothing can use {keys.length === 1 ? "it" : "them"}. A re-run deletes {keys.length === 1 ? "it" : "them"} before
        creating the key it needs, and so does Undo.
      </p>
      <ul className="mt-1 list-disc pl-5 font-mono text-xs">
        {keys.map((key) => (
          <li key={key.apiKeyId}>
            {key.name} ({key.apiKeyId}){key.fingerprint ? ` · fingerprint ${key.fingerprint}` : ""}
          </li>
        ))}
      </ul>
    </section>
  );
}
