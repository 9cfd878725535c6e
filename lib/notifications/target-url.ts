import { z } from "zod";

/**
 * A target's URL: what may be saved and what may be shown. Pure.
 * A URL can itself be a credential (a Slack incoming-webhook URL carries its
 * token in the path, other services put one in the query), so outside the
 * database a URL is only shown as `displayUrl` gives it.
 */

export const targetUrlSchema = z
  .string()
  .trim()
  .min(1, "Enter the URL Pullkeeper should send to.")
  .max(2000, "Use a URL of at most 2000 characters.")
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "Enter an absolute URL such as https://hooks.example.com/pullkeeper." });
      return;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") ctx.addIssue({ code: "custom", message: "Use an http or https URL." });
    // Basic-auth credentials would be stored and sent in clear; the signature authenticates Pullkeeper instead.
    if (url.username || url.password) ctx.addIssue({ code: "custom", message: "Leave the user name and password out of the URL: receivers check the signature instead." });
    if (url.hash) ctx.addIssue({ code: "custom", message: "Leave the #fragment out: it is never sent." });
  });

/**
 * The scheme, host and port, with the path shortened to its first segment and
 * the query left out: enough to recognise a target, never its token.
 */
export function displayUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "(invalid URL)";
  }
  const [first = ""] = url.pathname.split("/").filter(Boolean);
  const more = url.pathname.split("/").filter(Boolean).length > 1 || url.search !== "";
  return `${url.origin}/${first.length > 24 ? `${first.slice(0, 4)}…` : first}${more ? "/…" : ""}`;
}
