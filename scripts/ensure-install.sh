#!/usr/bin/env bash
# Installs the exact locked dependencies when they are missing or older than the
# lockfile, then (re)generates the Prisma clients. Safe to run every time.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.pullkeeper-installed
if [[ ! -f "$stamp" || package-lock.json -nt "$stamp" || package.json -nt "$stamp" ]]; then
  echo "==> installing dependencies (npm ci)"
  # Playwright drives Debian's Chromium; its own browser download cannot work here.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
node scripts/prisma-generate.mjs
