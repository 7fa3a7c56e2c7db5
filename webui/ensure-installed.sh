#!/usr/bin/env bash
# Installs the web UI's npm packages (Preact, htm, esbuild, playwright-core) from package-lock.json
# when they are missing or older than the lockfile. Idempotent; used by ./test and by the Maven
# build before the browser tests. playwright-core downloads no browser: the tests use Debian's
# /usr/bin/chromium.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
cd "$dir"
stamp=node_modules/.ggen-installed
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ] && [ -d node_modules/playwright-core ] && [ -d node_modules/esbuild ]; then exit 0; fi
command -v npm >/dev/null || { echo "ensure-installed: npm not found; the web UI's build check and browser tests need Node >= 20 and npm" >&2; exit 1; }
npm ci --no-audit --no-fund --loglevel=error >&2
touch "$stamp"
