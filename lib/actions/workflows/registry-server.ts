import { ActionError } from "../safe-action";

/**
 * Field errors for a private-registry server Pullkeeper may not contact
 * (loopback, private, link-local, metadata… and not allow-listed), so the form
 * says so at preview instead of a refused step. The plan refuses it too.
 */
export async function assertRegistryServerAllowed(kind: string, input: unknown, refusal: ((domain: string) => Promise<string | undefined>) | undefined): Promise<void> {
  if (kind !== "create_private_registry_secret" || !refusal) return;
  const server = (input as { server?: unknown }).server;
  if (typeof server !== "string") return;
  const reason = await refusal(server);
  if (reason) throw new ActionError("Some fields need attention.", { server: [reason] });
}
