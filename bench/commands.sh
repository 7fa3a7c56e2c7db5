#!/usr/bin/env bash
# Wall time and CPU time of the client commands through the real launcher (./ggen: JDK look-up,
# staleness check, JVM start with the class-data-sharing archive), with three nodes running on
# loopback (A - B - C: B bootstraps from A, C from B); then `p2p publish` of a small pack on A,
# and the time from the start of that publish until the release is searchable on C.
# Usage: bench/commands.sh [runs=20]. Starts its nodes in temporary GGEN_HOMEs, stops them after.
# Output: one line per case (median, p90, min wall ms; mean CPU ms of the client's process tree,
# user+system from /proc/self/stat's cutime/cstime, 10 ms ticks summed over the runs), then the
# load average. Bounded: every command runs under `timeout`, the whole run takes a few minutes.
# COMMANDS_JSON=<file>: each case is also appended there as one JSON object per line (bench/run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
[ "$runs" -ge 1 ] && [ "$runs" -le 500 ] || { echo "runs must be 1..500" >&2; exit 2; }
command -v jq >/dev/null || { echo "bench/commands.sh needs jq" >&2; exit 1; }
command -v curl >/dev/null || { echo "bench/commands.sh needs curl" >&2; exit 1; }
work=$(mktemp -d)
A=$work/a B=$work/b C=$work/c OFF=$work/offline
mkdir -p "$A" "$B" "$C" "$OFF"
ggen() { timeout 60 "$root/ggen" "$@"; }
cleanup() {
  for h in "$A" "$B" "$C"; do GGEN_HOME=$h timeout 30 "$root/ggen" marketplace p2p stop >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

addr() {  # the first listen address of the node in GGEN_HOME=$1, with /p2p/<id>
  GGEN_HOME=$1 ggen marketplace p2p status --format json | jq -r '.listen_addrs[0] + "/p2p/" + .peer_id'
}
GGEN_HOME=$A ggen marketplace p2p start --daemon --listen /ip4/127.0.0.1/tcp/0 >/dev/null
GGEN_HOME=$B ggen marketplace p2p start --daemon --listen /ip4/127.0.0.1/tcp/0 --bootstrap "$(addr "$A")" >/dev/null
GGEN_HOME=$C ggen marketplace p2p start --daemon --listen /ip4/127.0.0.1/tcp/0 --bootstrap "$(addr "$B")" >/dev/null
c_peer=$(GGEN_HOME=$C ggen marketplace p2p status --format json | jq -r .peer_id)
b_peer=$(GGEN_HOME=$B ggen marketplace p2p status --format json | jq -r .peer_id)
GGEN_HOME=$A ggen marketplace key generate >/dev/null
GGEN_HOME=$OFF ggen marketplace key generate >/dev/null

# Some packages in the catalogs, so search and info have something to render.
for i in 1 2 3; do
  ggen marketplace new "$work/seed$i" --id "io.bench.seed$i" --name "Bench seed $i" >/dev/null
  GGEN_HOME=$A ggen marketplace p2p publish "$work/seed$i" >/dev/null
  GGEN_HOME=$OFF ggen marketplace publish "$work/seed$i" >/dev/null
done
# Wait until C has the seeds (gossip, or catalog sync).
for ((i = 0; i < 300; i++)); do
  n=$(GGEN_HOME=$C ggen marketplace p2p search seed --format json | jq '.results | length')
  [ "$n" -ge 3 ] && break
  sleep 0.1
done
mkdir -p "$work/project"

ticks() { awk '{ print $16 + $17 }' /proc/$$/stat; }  # CPU of the waited-for children of this shell, in clock ticks
hz=$(getconf CLK_TCK)
report() {  # label runs cpu-ticks then wall microseconds on stdin
  sort -n | awk -v label="$1" -v n="$2" -v cpu="$3" -v hz="$hz" -v json="${COMMANDS_JSON:-}" '
    { a[NR] = $1 }
    END { p90 = int(n * 0.9 + 0.5); if (p90 < 1) p90 = 1
          printf "%-44s %5d %9.1f %9.1f %9.1f %9.1f\n", label, n, a[int((n + 1) / 2)] / 1000, a[p90] / 1000, a[1] / 1000, cpu * 1000 / hz / n
          if (json != "") printf "{\"case\":\"%s\",\"runs\":%d,\"medianMs\":%.1f,\"p90Ms\":%.1f,\"minMs\":%.1f,\"cpuMs\":%.1f}\n",
            label, n, a[int((n + 1) / 2)] / 1000, a[p90] / 1000, a[1] / 1000, cpu * 1000 / hz / n >> json }'
}
measure() {  # label, home, then the command's arguments
  local label=$1 home=$2; shift 2
  GGEN_HOME=$home ggen "$@" >/dev/null 2>&1 || true   # once, unmeasured (page cache)
  local times=() c0 c1
  c0=$(ticks)
  for ((i = 0; i < runs; i++)); do
    local t0 t1
    t0=$(date +%s%N)
    ( cd "$work/project" && GGEN_HOME=$home ggen "$@" >/dev/null 2>&1 ) || { echo "failed: ggen $*" >&2; exit 1; }
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  c1=$(ticks)
  printf '%s\n' "${times[@]}" | report "$label" "$runs" $((c1 - c0))
}

echo "# $(date -Is) $(nproc) cores; JVM options: see ./ggen (GGEN_JAVA_OPTS=${GGEN_JAVA_OPTS:-})"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-44s %5s %9s %9s %9s %9s\n" "case" "runs" "median ms" "p90 ms" "min ms" "CPU ms"
measure "p2p status" "$A" marketplace p2p status
measure "p2p status --format json" "$A" marketplace p2p status --format json
measure "p2p peer-list" "$A" marketplace p2p peer-list
measure "p2p peer-list --format yaml" "$A" marketplace p2p peer-list --format yaml
measure "p2p peer-info" "$A" marketplace p2p peer-info "$b_peer"
measure "p2p search" "$A" marketplace p2p search seed
measure "p2p search --format json" "$A" marketplace p2p search seed --format json
measure "marketplace search" "$A" marketplace search seed
measure "marketplace search --format yaml" "$A" marketplace search seed --format yaml
measure "marketplace info" "$A" marketplace info io.bench.seed1
measure "marketplace list" "$A" marketplace list
measure "marketplace search (no node)" "$OFF" marketplace search seed
measure "p2p search (no node)" "$OFF" marketplace p2p search seed

# Publish on A, then searchable on C: each run a new package (id@version is immutable).
pub_times=() cli_times=() api_pub=() api_vis=() pub_cpu=0
for ((i = 0; i < runs; i++)); do
  id="io.bench.pub$i"
  ggen marketplace new "$work/pub$i" --id "$id" --name "Bench pub $i" >/dev/null
  c0=$(ticks)
  t0=$(date +%s%N)
  ( GGEN_HOME=$A ggen marketplace p2p publish "$work/pub$i" >/dev/null )
  t1=$(date +%s%N)
  pub_cpu=$((pub_cpu + $(ticks) - c0))
  pub_times+=($(( (t1 - t0) / 1000 )))
  # searchable through the CLI on C: the first search that finds it, started after the publish returned
  while true; do
    n=$(GGEN_HOME=$C ggen marketplace p2p search "$id" --format json | jq --arg id "$id" '[.results[] | select(.id == $id)] | length')
    t2=$(date +%s%N)
    [ "$n" -ge 1 ] && break
    [ $(( (t2 - t0) / 1000000 )) -lt 30000 ] || { echo "$id never reached C" >&2; exit 1; }
  done
  cli_times+=($(( (t2 - t0) / 1000 )))
done
# The same without the command line's start-up: the node's publish through its API (curl), and
# the time until C's API knows the release (polled every 5 ms): what the nodes and the network take.
api() {  # home, method, path, [body]
  curl -sf -X "$2" -H "Authorization: Bearer $(cat "$1/api.token")" -H 'Content-Type: application/json' \
    ${4:+--data "$4"} "http://127.0.0.1:$(jq -r .api_port "$1/node.json")$3"
}
for ((i = 0; i < runs; i++)); do
  id="io.bench.api$i"
  ggen marketplace new "$work/api$i" --id "$id" --name "Bench api $i" >/dev/null
  t0=$(date +%s%N)
  api "$A" POST /v1/publish "{\"path\":\"$work/api$i\"}" >/dev/null
  t1=$(date +%s%N)
  api_pub+=($(( (t1 - t0) / 1000 )))
  until api "$C" GET "/v1/packages/$id" >/dev/null 2>&1; do
    [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 30000 ] || { echo "$id never reached C" >&2; exit 1; }
    sleep 0.005
  done
  t2=$(date +%s%N)
  api_vis+=($(( (t2 - t0) / 1000 )))
done
printf '%s\n' "${pub_times[@]}" | report "p2p publish (small pack, on A)" "$runs" "$pub_cpu"
printf '%s\n' "${cli_times[@]}" | report "publish on A -> found by p2p search on C" "$runs" 0
printf '%s\n' "${api_pub[@]}" | report "node A's publish (API, no CLI)" "$runs" 0
printf '%s\n' "${api_vis[@]}" | report "publish on A -> in C's catalog (API, no CLI)" "$runs" 0
echo "# CPU ms: the command's process tree (launcher and JVM), mean per run; 0: not measured"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
