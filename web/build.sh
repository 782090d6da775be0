#!/usr/bin/env bash
# Builds the web clients (customer widget, agent console, static pages) into OUT.
# Called by gateway-service's Maven build (generate-resources), so the gateway jar serves them.
# Installs the npm packages from package-lock.json when they are missing or out of date.
# Usage: web/build.sh OUT
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: web/build.sh OUT}"
command -v node >/dev/null || { echo "[web] Node.js 18 or newer is needed to build the web clients (Debian: apt-get install nodejs npm)" >&2; exit 1; }
major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$major" -ge 18 ] || { echo "[web] Node.js $(node -v) is too old; 18 or newer is needed" >&2; exit 1; }
cd "$here"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[web] installing npm packages (npm ci, once)"
  # playwright-core never downloads a browser; the flag keeps any other package from trying.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
node_modules/.bin/tsc --noEmit -p .
node build.mjs "$out"
