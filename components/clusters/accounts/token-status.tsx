import { RelativeTime } from "@/components/shell/relative-time";
import type { TokenKeeperStatus } from "@/lib/iks/token-keeper";

const STATE_TEXT: Record<string, string> = {
  fresh: "Fresh",
  stale: "Stale: IAM did not answer the last renewal; the current token is used until it expires, and renewal is retried",
  failed: "Failed: IAM refuses the key",
};

/** This server's IAM token for the account: state, renewals, expiry (never the token). */
export function TokenStatus({ token }: { token: TokenKeeperStatus | null }) {
  if (!token) return <p className="text-sm text-slate-600">Not obtained yet: the first discovery or added cluster asks IAM for one.</p>;
  return (
    <dl className="grid max-w-3xl grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      <dt className="text-slate-500">State</dt>
      <dd>{STATE_TEXT[token.state] ?? token.state}</dd>
      <dt className="text-slate-500">Tokens obtained since this server started</dt>
      <dd data-testid="token-refreshes">{token.refreshes}</dd>
      <dt className="text-slate-500">Last renewal</dt>
      <dd>{token.lastRefreshedAt ? <RelativeTime iso={token.lastRefreshedAt.toISOString()} /> : "—"}</dd>
      <dt className="text-slate-500">Current token expires</dt>
      <dd>{token.expiresAt ? token.expiresAt.toISOString().replace("T", " ").slice(0, 19) + " UTC" : "—"}</dd>
      {token.lastError ? (
        <>
          <dt className="text-slate-500">Last error</dt>
          <dd className="text-red-900">{token.lastError}</dd>
        </>
      ) : null}
    </dl>
  );
}
