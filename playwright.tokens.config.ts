import { defineConfig } from "@playwright/test";
import main from "./playwright.config";

/**
 * The ten-minute token-renewal journey (e2e/long/*.long.ts) on a demo stack of its own whose IAM tokens
 * live 60 s: run beside the main end-to-end run (scripts/test.sh), not after it, since it mostly waits.
 */
const port = Number(process.env.E2E_TOKENS_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 50);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  ...main,
  testDir: "e2e/long",
  testMatch: "**/*.long.ts",
  outputDir: "test-results/e2e-tokens",
  timeout: 20 * 60_000,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/playwright-tokens.json" }]],
  use: { ...main.use, baseURL },
  webServer: {
    // Its own data folder and simulators on free ports; the large cluster small, to keep the machine for the main run.
    command: "rm -rf data/e2e-tokens && bash scripts/demo-stack.sh data/e2e-tokens 127.0.0.1 \"$E2E_TOKENS_PORT\" 0 0",
    url: `${baseURL}/api/health`,
    env: { E2E_TOKENS_PORT: String(port), SIM_DEMO_ARGS: "--iam-token-ttl-seconds 60 --large-namespaces 50" },
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
