#!/usr/bin/env bash
# Starts the simulated world (scripts/sim-demo.ts), then Pullkeeper's built app
# pointed at it, in demo mode with the demo accounts, the way production runs it:
# the assembled standalone bundle through scripts/start.mjs (what `npm start` and
# the image run), so `npm run build` must have run. Used by `npm run demo` and by
# the end-to-end tests (scripts/e2e-server.sh).
#   demo-stack.sh <data-dir> <app-host> <app-port> <kube-base-port> <ibm-port>
# SIM_DEMO_ARGS adds options of scripts/sim-demo.ts (e.g. "--scale-clusters 50 --hanging fleet-13").
set -euo pipefail
# The data folder, database and server log hold password hashes, sessions and the audit log: owner only.
umask 077
cd "$(dirname "$0")/.."
dir=$1 host=$2 port=$3 kube_base=$4 ibm_port=$5
mkdir -p "$dir"

trap 'exit 143' INT TERM

# Simulators already serving this data folder (started apart with scripts/sim-demo.ts, say, to
# keep them across app restarts) are used as they are and left running when the app exits:
# this script stops only what it started.
simulators_listening() {
  [[ -f "$dir/demo.env" ]] && (exec 3<>"/dev/tcp/127.0.0.1/$ibm_port") 2>/dev/null
}

if simulators_listening; then
  echo "using the simulators already running for $dir (they keep running when the app exits)"
else
  node --conditions=react-server --import tsx scripts/sim-demo.ts --dir "$dir" --kube-base-port "$kube_base" --ibm-port "$ibm_port" ${SIM_DEMO_ARGS:-} &
  sim=$!
  trap 'kill "$sim" 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    [[ -f "$dir/demo.env" ]] && break
    kill -0 "$sim" 2>/dev/null || { echo "the simulators failed to start" >&2; exit 1; }
    sleep 0.5
  done
  [[ -f "$dir/demo.env" ]] || { echo "the simulators did not come up in 60 s" >&2; exit 1; }
fi

set -a
# shellcheck disable=SC1091
source "$dir/demo.env"
set +a
export DATABASE_URL="file:$dir/pullkeeper.db"
export PULLKEEPER_DEMO=true
# The demo runs the production build: demo mode there must be asked for by name.
export PULLKEEPER_ALLOW_DEMO_IN_PRODUCTION=true
export PULLKEEPER_PUBLIC_URL="http://$host:$port"
# The demo may send webhooks to a receiver on this machine (Admin > Notifications); loopback is refused otherwise.
export PULLKEEPER_WEBHOOK_ALLOWED_HOSTS="${PULLKEEPER_WEBHOOK_ALLOWED_HOSTS:-127.0.0.1}"
# The simulated clusters listen on loopback too: registering one from an uploaded kubeconfig (Admin > Clusters) needs it listed.
export PULLKEEPER_CLUSTER_ALLOWED_HOSTS="${PULLKEEPER_CLUSTER_ALLOWED_HOSTS:-127.0.0.1}"
export NODE_ENV=production
export PORT="$port" PULLKEEPER_LISTEN_ADDRESS="$host"
# The standalone server runs in its own directory, so demo mode's generated session secret would land inside
# the build: keep it in the data folder instead (owner only), stable across restarts and rebuilds.
if [[ -z "${AUTH_SECRET:-}" ]]; then
  [[ -s "$dir/auth-secret" ]] || node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64"))' > "$dir/auth-secret"
  AUTH_SECRET=$(cat "$dir/auth-secret")
  export AUTH_SECRET
fi

# Credentials Pullkeeper keeps (IBM Cloud API keys, cluster tokens) are sealed under this key: generated once beside the
# database, like the session secret. Whoever copies the database needs this file too.
if [[ -z "${PULLKEEPER_ENCRYPTION_KEY:-}" ]]; then
  if [[ ! -s "$dir/encryption-key" ]]; then
    (umask 077 && node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64"))' > "$dir/encryption-key")
    echo "==> generated the demo's encryption key for stored credentials: $dir/encryption-key (keep it with $dir/pullkeeper.db)"
  fi
  PULLKEEPER_ENCRYPTION_KEY=$(cat "$dir/encryption-key")
  export PULLKEEPER_ENCRYPTION_KEY
fi

node --conditions=react-server --import tsx scripts/seed-demo-users.ts
# The server log is kept next to the database: the credential-leak test reads both. The server runs with `npm start`'s
# heap flags, as in production (package.json; the image uses the same), so the demo and the tests run what ships.
read -r -a heap_flags <<< "$(node -p 'require("./package.json").scripts.start.split(" ").filter((word) => word.startsWith("--")).join(" ")')"
node "${heap_flags[@]}" scripts/start.mjs 2>&1 | tee -a "$dir/server.log"
