#!/usr/bin/env bash
# Every test layer, in the order that fails fastest: typecheck, lint, unit,
# build, integration (simulators over HTTP, SQLite and PostgreSQL, the built
# bundle), then the built app end to end in Chromium (the long token-renewal journey beside it). Prints one "N passed, N failed" line at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-install.sh
bash scripts/ensure-chromium.sh
bash scripts/ensure-postgres.sh
rm -rf test-results && mkdir -p test-results

echo "==> typecheck"
npx tsc --noEmit -p .
echo "==> lint"
npx eslint --max-warnings=0 .
echo "==> unit tests"
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=test-results/vitest-unit.json
# Built before the integration tests: tests/deploy runs the assembled standalone bundle as the image does.
echo "==> build"
npm run build
echo "==> integration tests"
npx vitest run --project integration --reporter=default --reporter=json --outputFile.json=test-results/vitest-integration.json
echo "==> end-to-end tests (the ten-minute token-renewal journey runs alongside, on its own demo stack)"
npx playwright test -c playwright.tokens.config.ts >test-results/e2e-tokens.log 2>&1 &
tokens_run=$!
e2e_status=0
npx playwright test || e2e_status=$?
tokens_status=0
wait "$tokens_run" || tokens_status=$?
echo "==> token-renewal journey"
cat test-results/e2e-tokens.log
[[ $e2e_status -eq 0 && $tokens_status -eq 0 ]] || { node scripts/test-summary.mjs || true; exit 1; }

node scripts/test-summary.mjs
