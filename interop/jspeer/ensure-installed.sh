#!/usr/bin/env bash
# Installs the js-libp2p reference peer's npm packages from package-lock.json when they are
# missing or older than the lockfile. Idempotent; used by ./test and by the Maven build.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
cd "$dir"
stamp=node_modules/.ggen-installed
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ] && [ -d node_modules/libp2p ]; then exit 0; fi
command -v npm >/dev/null || { echo "ensure-installed: npm not found; the interop tests need Node >= 20 and npm" >&2; exit 1; }
npm ci --no-audit --no-fund --loglevel=error >&2
touch "$stamp"
