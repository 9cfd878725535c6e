/**
 * Builds `resolveBaseUrl` from a template such as `http://127.0.0.1:8790/{domain}`
 * (the IBM Cloud simulator serves every registry under one port). Without a
 * template: `https://{domain}`.
 */
export function registryBaseUrlResolver(template?: string): (domain: string) => string {
  if (template === undefined || template.trim() === "") return (domain) => `https://${domain}`;
  if (!template.includes("{domain}")) throw new Error("A registry endpoint template must contain {domain}.");
  return (domain) => template.split("{domain}").join(domain).replace(/\/+$/, "");
}
