import type { IamIdentity } from "./port";

/**
 * Reads the identity from an IAM access token's claims. The signature is not
 * checked: the token came straight from IAM over the configured endpoint and is
 * only used to learn who we are, never to authorise anything.
 */
export function identityFromAccessToken(accessToken: string): IamIdentity | undefined {
  const payload = accessToken.split(".")[1];
  if (!payload) return undefined;
  let claims: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null) return undefined;
    claims = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const iamId = typeof claims.iam_id === "string" ? claims.iam_id : undefined;
  const account = claims.account as { bss?: unknown } | undefined;
  const accountId = typeof account?.bss === "string" ? account.bss : undefined;
  if (!iamId || !accountId) return undefined;
  const kind = iamId.startsWith("iam-ServiceId-") ? "service_id" : iamId.startsWith("IBMid-") ? "user" : "other";
  return {
    accountId,
    iamId,
    kind,
    ...(typeof claims.name === "string" ? { name: claims.name } : {}),
    ...(typeof claims.email === "string" ? { email: claims.email } : {}),
  };
}
