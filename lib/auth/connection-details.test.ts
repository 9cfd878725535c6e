import { describe, expect, it } from "vitest";
import type { FleetRow } from "@/lib/api/fleet";
import { clusterRowFor, withoutServerAddress } from "./connection-details";
import type { SessionUser } from "./permissions";

const viewer: SessionUser = { id: "v", email: "v@example.com", name: "V", role: "viewer", clusters: null };
const admin: SessionUser = { ...viewer, id: "a", role: "admin" };
const SERVER = "https://api.c1.internal.example:6443";
const row = {
  cluster: "c1",
  server: SERVER,
  sourceFile: "/etc/kube/c1.yaml",
  identity: "system:serviceaccount:pk:reader",
  message: `connect ECONNREFUSED api.c1.internal.example:6443 (${SERVER}/version)`,
  scanError: "getaddrinfo ENOTFOUND api.c1.internal.example",
  notes: [`listing at ${SERVER} forbidden`],
} as unknown as FleetRow;

describe("connection details for non-admins", () => {
  it("removes the API server's URL, host:port and host name from messages", () => {
    expect(withoutServerAddress(row.message, SERVER)).toBe("connect ECONNREFUSED the API server (the API server/version)");
    expect(withoutServerAddress("dial tcp 10.0.0.5:443: i/o timeout", "https://10.0.0.5")).toBe("dial tcp the API server:443: i/o timeout");
    expect(withoutServerAddress("unchanged", "")).toBe("unchanged");
  });

  it("gives a viewer the row without server, file, identity or the address in its messages; an admin all of it", () => {
    const shown = clusterRowFor(viewer, row);
    expect(shown).toMatchObject({ server: "", sourceFile: null, identity: null });
    expect(JSON.stringify(shown)).not.toMatch(/internal\.example|6443|\/etc\/kube/);
    expect(clusterRowFor(admin, row)).toEqual(row);
  });
});
