#!/usr/bin/env bash
# `npm test`: installs what npm cannot (redis-server, chromium) when missing, builds, then runs every
# suite (unit, store contract on both adapters, integration on real Redis, browser tests in Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || need+=(chromium)
[ -x "${CADDY_PATH:-/usr/bin/caddy}" ] || need+=(caddy)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${need[*]} with apt-get…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Missing: ${need[*]}. Install with:" >&2
    echo "  sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

[ -d node_modules ] || npm ci --no-audit --no-fund

npx tsc --noEmit -p .
npm run build --silent

mkdir -p .tmp
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json "$@" || status=$?
node scripts/test-summary.mjs .tmp/vitest.json || true
exit $status
