#!/usr/bin/env bash
# Wall time of `ggen marketplace p2p status` against a running node, through the real launcher
# (./ggen: JDK look-up, staleness check, JVM start with the JVM archive).
# Usage: bench/status.sh [runs=30]. Starts its own node in a temporary GGEN_HOME, stops it after.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-30}
[ "$runs" -ge 1 ] && [ "$runs" -le 1000 ] || { echo "runs must be 1..1000" >&2; exit 2; }
home=$(mktemp -d)
export GGEN_HOME=$home
cleanup() { "$root/ggen" marketplace p2p stop >/dev/null 2>&1 || true; rm -rf "$home"; }
trap cleanup EXIT
"$root/ggen" marketplace p2p start --daemon --listen /ip4/127.0.0.1/tcp/0 >/dev/null
"$root/ggen" marketplace p2p status >/dev/null   # first run after a build trains the JVM archive (scripts/jvm-archive.sh)

measure() {  # label, then env assignments for the runs
  local label=$1; shift
  local times=()
  for ((i = 0; i < runs; i++)); do
    local t0 t1
    t0=$(date +%s%N)
    env "$@" "$root/ggen" marketplace p2p status >/dev/null
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" -v n="$runs" '
    { a[NR] = $1 }
    END { printf "{\"case\":\"%s\",\"runs\":%d,\"medianMs\":%.1f,\"p90Ms\":%.1f,\"minMs\":%.1f}\n", label, n,
          a[int((n + 1) / 2)] / 1000, a[int(n * 0.9 + 0.5) < 1 ? 1 : int(n * 0.9 + 0.5)] / 1000, a[1] / 1000 }'
}
measure "launcher + JVM archive + short path" GGEN_BENCH=1
measure "launcher, no JVM archive" GGEN_NO_CDS=1
