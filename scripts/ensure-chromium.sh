#!/usr/bin/env bash
# End-to-end tests run in Debian's Chromium (browser downloads are impossible
# here). Installs it from Debian's packages when missing.
set -euo pipefail
CHROMIUM=${PULLKEEPER_CHROMIUM:-/usr/bin/chromium}
if [[ -x "$CHROMIUM" ]]; then exit 0; fi
echo "==> installing Debian's chromium for the end-to-end tests"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "chromium is missing and installing it needs root: apt-get install chromium" >&2; exit 1; }
  SUDO=sudo
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
[[ -x "$CHROMIUM" ]] || { echo "chromium did not install at $CHROMIUM" >&2; exit 1; }
