#!/usr/bin/env bash
# The server the end-to-end tests run against: the built app (next build must
# have run) on a fresh database under data/e2e.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${E2E_PORT:-3100}
rm -rf data/e2e && mkdir -p data/e2e
export DATABASE_URL="file:./data/e2e/pullkeeper.db"
export NODE_ENV=production
exec npx next start -H 127.0.0.1 -p "$port"
