import { describe, expect, it } from "vitest";
import { ActionError } from "../safe-action";
import { assertRegistryServerAllowed } from "./registry-server";

describe("assertRegistryServerAllowed", () => {
  const refuseLoopback = async (domain: string) => (domain.startsWith("127.") ? `Pullkeeper does not connect to ${domain}` : undefined);

  it("turns a refused private-registry server into a field error on server", async () => {
    const error = await assertRegistryServerAllowed("create_private_registry_secret", { server: "127.0.0.1:3000" }, refuseLoopback).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).fieldErrors).toEqual({ server: ["Pullkeeper does not connect to 127.0.0.1:3000"] });
  });

  it("lets an allowed server and other workflows through", async () => {
    await expect(assertRegistryServerAllowed("create_private_registry_secret", { server: "registry.example.com" }, refuseLoopback)).resolves.toBeUndefined();
    await expect(assertRegistryServerAllowed("copy_pull_secrets", { server: "127.0.0.1" }, refuseLoopback)).resolves.toBeUndefined();
  });
});
