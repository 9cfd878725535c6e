/**
 * Runs the simulated IBM Cloud for local development and the demo.
 *   tsx scripts/sim-ibm-cloud.ts [--port 8790] [--state data/ibm-cloud-sim.json] [--no-seed]
 *     [--latency-ms 200] [--error-rate 0.05] [--rate-limit-rate 0.02] [--control-token TOKEN]
 * Env fallbacks: SIM_IBM_CLOUD_PORT, SIM_IBM_CLOUD_STATE, SIM_IBM_CLOUD_CONTROL_TOKEN.
 */
import { parseArgs } from "node:util";
import { startIbmCloudSim, type SimFaults } from "../sim/ibm-cloud";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    state: { type: "string" },
    "no-seed": { type: "boolean", default: false },
    "latency-ms": { type: "string" },
    "error-rate": { type: "string" },
    "rate-limit-rate": { type: "string" },
    "control-token": { type: "string" },
  },
});

const faults: SimFaults = {};
if (values["latency-ms"]) faults.latencyMs = Number(values["latency-ms"]);
if (values["error-rate"]) faults.errorRate = Number(values["error-rate"]);
if (values["rate-limit-rate"]) faults.rateLimitRate = Number(values["rate-limit-rate"]);

const stateFile = values.state ?? process.env.SIM_IBM_CLOUD_STATE;
const controlToken = values["control-token"] ?? process.env.SIM_IBM_CLOUD_CONTROL_TOKEN;
const sim = await startIbmCloudSim({
  port: Number(values.port ?? process.env.SIM_IBM_CLOUD_PORT ?? 0),
  seed: !values["no-seed"],
  faults,
  ...(stateFile ? { stateFile } : {}),
  ...(controlToken ? { controlToken } : {}),
});

console.log(`IBM Cloud simulator listening on ${sim.url}`);
console.log(`  IBMCLOUD_IAM_URL=${sim.url}`);
console.log(`  REGISTRY_ENDPOINT_TEMPLATE=${sim.registryUrlTemplate}`);
console.log(`  PULLKEEPER_REGISTRY_ALLOWED_HOSTS=${new URL(sim.url).host}`);
console.log(`  control token (POST ${sim.url}/_sim/faults, GET ${sim.url}/_sim/stats): ${sim.controlToken}`);

const stop = () => {
  void sim.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
