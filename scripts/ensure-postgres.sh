#!/usr/bin/env bash
# The integration suite runs the audit store against PostgreSQL too. Uses the
# server at TEST_POSTGRES_URL (default: local, trust auth); starts the machine's
# own cluster if it is installed but stopped.
set -euo pipefail
url=${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
ready() { node -e '
  const pg = require("pg"); const c = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
  c.connect().then(() => c.end()).then(() => process.exit(0), () => process.exit(1));' "$url"; }
if ready; then exit 0; fi
if command -v pg_ctlcluster >/dev/null && [[ -d /etc/postgresql ]]; then
  echo "==> starting the local PostgreSQL cluster"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 20); do ready && exit 0; sleep 1; done
fi
echo "PostgreSQL is not reachable at $url: start it or set TEST_POSTGRES_URL" >&2
exit 1
