#!/usr/bin/env bash
# The server the end-to-end tests run against: the standalone bundle as production
# runs it (`npm run build` must have run; npm test builds once, before the
# integration tests, and this reuses that build) on a fresh database and a fresh
# simulated fleet under data/e2e, with the product's default settings but one (workflow
# runs are durable jobs, so there is no runner sweep to speed up here).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf data/e2e
# The credential sweep is scheduled by the wall clock (every six hours at :17 UTC): left on, a run that
# crosses 00:17, 06:17, 12:17 or 18:17 would see every secret verified mid-run, and the journeys that
# show "never verified" and "owner not checked yet" would pass or fail by the hour. The sweep has its own
# unit tests (lib/workflows/verification-sweep.test.ts); here it is off.
export PULLKEEPER_VERIFY_SCHEDULE=off
exec bash scripts/demo-stack.sh data/e2e 127.0.0.1 "${E2E_PORT:-3100}" "${E2E_KUBE_BASE_PORT:-16440}" "${E2E_IBM_PORT:-16480}"
