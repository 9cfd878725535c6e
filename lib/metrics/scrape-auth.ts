import { createHash, timingSafeEqual } from "node:crypto";

export type ScrapeDecision = "off" | "unauthorized" | "allowed";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * Whether a scrape may read the metrics: `off` without a configured token (the
 * endpoint does not exist), `allowed` only for `Authorization: Bearer <token>`.
 * Both sides are hashed first so the comparison takes the same time whatever
 * the length or content of what was sent.
 */
export function decideScrape(configuredToken: string | undefined, authorization: string | null): ScrapeDecision {
  if (!configuredToken) return "off";
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? "");
  const presented = match?.[1] ?? "";
  return timingSafeEqual(digest(presented), digest(configuredToken)) && presented !== "" ? "allowed" : "unauthorized";
}
