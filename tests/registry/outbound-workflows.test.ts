import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowList, refusalMessage } from "@/lib/net/outbound";
import { buildDockerConfigJson } from "@/lib/registry/docker-config";
import { createPorts, workflowDeps, type Ports } from "@/lib/server/ports";
import { previewWorkflow, verifyPullSecretCredentials } from "@/lib/workflows";
import { OPERATOR, startWorkflowHarness, type WorkflowHarness } from "../support/workflow-harness";

/**
 * The two ways a user could aim Pullkeeper at an internal address: a tenant
 * plants a pull secret for one and an operator clicks Verify, or an operator
 * types one into the private-registry form. A server configured as in
 * production (default endpoint template `https://{domain}`, no allow-list)
 * refuses both; the allow-list opens exactly what it names.
 */

const SETTING = "PULLKEEPER_REGISTRY_ALLOWED_HOSTS";
const PASSWORD = "planted-secret-password-0123456789";

describe("outbound policy in Verify and the private-registry workflow", () => {
  let harness: WorkflowHarness;
  let registry: Server;
  let port: number;
  const hits: string[] = [];
  const opened: Ports[] = [];
  /** Ports as a production server builds them: no endpoint template. */
  const productionPorts = (allowed = "") => {
    const ports = createPorts({ kubeconfigPaths: [harness.kubeconfigPath], iam: null, registryAllowedHosts: parseAllowList(allowed), verifyTimeoutMs: 3_000 });
    opened.push(ports);
    return ports;
  };

  beforeAll(async () => {
    harness = await startWorkflowHarness(["modern"], { iam: false });
    registry = createServer((req, res) => {
      hits.push(req.url ?? "");
      const expected = `Basic ${Buffer.from(`robot:${PASSWORD}`).toString("base64")}`;
      if (req.headers.authorization === expected) return res.writeHead(200).end("{}");
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="internal"' }).end();
    });
    await new Promise<void>((resolve) => registry.listen(0, "127.0.0.1", () => resolve()));
    port = (registry.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const ports of opened) ports.close();
    registry?.closeAllConnections();
    registry?.close();
    await harness?.close();
  });

  it("Verify on a tenant-planted secret for a loopback registry is refused, and nothing reaches it; the allow-list opens it", async () => {
    // A pull-secret payload is plain http for 127.0.0.1 only through the template; the default is https://{domain}.
    const server = `127.0.0.1:${port}`;
    await harness.ports.kube.createPullSecret("modern", { namespace: "default", name: "tenant-planted", dockerConfigJson: buildDockerConfigJson([{ registry: server, username: "robot", password: PASSWORD }]) });
    const ref = { cluster: "modern", namespace: "default", secret: "tenant-planted" };

    const verifyWith = (ports: Ports) =>
      verifyPullSecretCredentials(
        {
          kube: ports.kube,
          verifyRegistry: ports.verifyRegistry,
          audit: harness.audit,
         
          lookup: async (r) => (await ports.kube.readPullSecretInventory(r.cluster)).pullSecrets.find((s) => s.namespace === r.namespace && s.name === r.secret),
        },
        ref,
        OPERATOR,
      );
    const refused = await verifyWith(productionPorts());
    expect(refused.checks).toEqual([expect.objectContaining({ registry: server, result: "unreachable", credentialTested: false, detail: refusalMessage("127.0.0.1", port, SETTING) })]);
    expect(hits).toEqual([]);

    // Allowed: the check connects (https to a plain-http listener fails TLS, which proves the connection was made).
    const reached = await verifyWith(productionPorts(server));
    expect(reached.checks).toEqual([expect.objectContaining({ registry: server, result: "tls_error" })]);
  });

  it.each(["127.0.0.1:3000", "localhost:6443", "169.254.169.254", "10.0.0.1:5000", "0.0.0.0:5000"])(
    "the private-registry preview refuses %s with the reason, writing nothing",
    async (server) => {
      const deps = workflowDeps(productionPorts(), harness.audit, 4);
      const input = { cluster: "modern", namespace: "default", secretName: "internal-registry", server, username: "robot", password: PASSWORD };
      const plan = await previewWorkflow("create_private_registry_secret", input, deps, OPERATOR);
      const create = plan.steps.find((step) => step.action === "secret.created");
      expect(create).toMatchObject({ status: "refused" });
      expect(create?.reason).toMatch(/^Pullkeeper does not connect to .*PULLKEEPER_REGISTRY_ALLOWED_HOSTS does not name it\.$/);
      expect(plan.counts.change).toBe(0);
    },
  );

  it("the allow-list (or the demo's simulator template) lets the same preview through", async () => {
    const input = { cluster: "modern", namespace: "default", secretName: "internal-registry", server: "127.0.0.1:3000", username: "robot", password: PASSWORD };
    const allowed = await previewWorkflow("create_private_registry_secret", input, workflowDeps(productionPorts("127.0.0.1:3000"), harness.audit, 4), OPERATOR);
    expect(allowed.steps.find((step) => step.action === "secret.created")?.status).toBe("change");
    const demo = await previewWorkflow("create_private_registry_secret", { ...input, server: "169.254.169.254" }, harness.deps, OPERATOR);
    expect(demo.steps.find((step) => step.action === "secret.created")?.status).toBe("change");
  });
});
