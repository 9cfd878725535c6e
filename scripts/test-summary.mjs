// Adds up the layers' JSON reports into one closing line for CI.
import fs from "node:fs";

const read = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : null);
let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];
for (const layer of ["unit", "integration"]) {
  const report = read(`test-results/vitest-${layer}.json`);
  if (!report) continue;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  lines.push(`${layer}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
// The main end-to-end run, and the token-renewal journey that runs beside it (playwright.tokens.config.ts).
for (const [label, file] of [["e2e", "test-results/playwright.json"], ["e2e tokens", "test-results/playwright-tokens.json"]]) {
  const report = read(file);
  if (!report) continue;
  const { expected, unexpected, flaky, skipped: e2eSkipped } = report.stats;
  passed += expected + flaky;
  failed += unexpected;
  skipped += e2eSkipped;
  lines.push(`${label}: ${expected + flaky} passed, ${unexpected} failed`);
}
for (const line of lines) console.log(`  ${line}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
