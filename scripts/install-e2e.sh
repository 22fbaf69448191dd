#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium and a Java runtime (for the Nu Html
# Checker), and the npm packages of e2e/ (playwright-core, axe-core, vnu-jar) from the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v java >/dev/null || need+=(default-jre-headless)
command -v node >/dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # Another apt process may hold the lock for a while on a busy machine: wait for it.
  for i in $(seq 1 60); do
    if apt-get update -qq && apt-get install -y -qq "${need[@]}"; then break; fi
    echo "apt busy, retrying ($i)"; sleep 5
  done
fi
(cd e2e && npm ci --no-audit --no-fund)
chromium --version
