#!/usr/bin/env bash
# The README's first command: installs, builds and starts Pullkeeper on the
# embedded SQLite database and the simulated demo fleet, at http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-install.sh
if [[ "${PULLKEEPER_SKIP_BUILD:-}" != "1" ]]; then
  echo "==> building the app (npm run build: next build, then the standalone bundle npm start runs)"
  npm run build
fi
port=${PORT:-3000}
echo "==> starting the demo fleet and Pullkeeper on http://localhost:$port"
echo "    sign in as demo-admin@pullkeeper.demo / admin-demo-passphrase (demo accounts are listed on the sign-in page)"
exec bash scripts/demo-stack.sh data/demo localhost "$port" "${DEMO_KUBE_BASE_PORT:-6440}" "${DEMO_IBM_PORT:-6480}"
