#!/usr/bin/env bash
# Whole-system benchmarks of the connection layer, js-libp2p and our Java stack side by side in
# one run: the same scripts (interop/jspeer/bench) start js peers, then Java peers through
# PEER_CMD, back to back per benchmark. Results: bench/results/<timestamp>/*.json, and a table
# with ratios on stdout (bench/compare.mjs).
#
# usage: bench/layer.sh [quick]     quick = fewer runs (a smoke run, not for BENCHMARKS.md)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/find-jdk.sh"
ggen_find_jdk || exit 1
export JAVA_HOME=$GGEN_JAVA_HOME
bash "$root/interop/jspeer/ensure-installed.sh"
( cd "$root" && mvn -B -ntp -q -DskipTests package -pl interop/java-peer -am ) >&2
out="$root/bench/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
# The built jar directly (not the launcher, which would rebuild if a source changed mid-run),
# with the JVM options the launcher uses (JAVA_PEER_OPTS adds more).
jar="$root/interop/java-peer/target/java-peer.jar"
java_cmd=$(node -e 'const [java, jar, extra] = process.argv.slice(1); console.log(JSON.stringify([java, ...extra.split(" ").filter(Boolean), "-jar", jar]))' \
  "$JAVA_HOME/bin/java" "$jar" "$(grep -v '^[[:space:]]*#' "$root/scripts/node.options") ${JAVA_PEER_OPTS:-}")
if [ "${1:-}" = quick ]; then tp="64 2"; dial="20 2"; ping="50 2"; mem="5 5"; else tp="256 5"; dial="50 5"; ping="100 3"; mem="20 10"; fi
cd "$root/interop/jspeer"
run() { # impl name script args...
  local impl=$1 name=$2; shift 2
  echo "# $(date -Is) load $(cut -d' ' -f1-3 /proc/loadavg) | $impl: node $*" >&2
  local cmd=()
  if [ "$impl" = java ]; then cmd=(env "PEER_CMD=$java_cmd"); fi
  "${cmd[@]}" timeout 900 node "$@" | tee -a "$out/$impl-$name.log" | tail -n 1 > "$out/$impl-$name.json"
}
for impl in js java; do run "$impl" throughput bench/throughput.mjs $tp; done
for impl in js java; do run "$impl" dial bench/dial.mjs $dial bare; done
for impl in js java; do run "$impl" ping bench/ping.mjs $ping; done
for impl in js java; do BENCH_PEER_ARGS="--no-dht --no-pubsub" run "$impl" memory bench/memory.mjs $mem; done
node "$root/bench/compare.mjs" "$out"
