#!/usr/bin/env bash
# DHT benchmarks that need no js: the 10,000-node simulation (0, 10, 30% churn) over the DHT's
# own KadNode code, and the 300-node whole-system run on loopback. Results: bench/results/.
# Usage: bench/kad.sh [sim-nodes=10000] [loopback-nodes=300]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/find-jdk.sh"
ggen_find_jdk
n=${1:-10000}
m=${2:-300}
jar="$root/ggen-bench/target/benchmarks.jar"
[ -f "$jar" ] || (cd "$root" && JAVA_HOME=$GGEN_JAVA_HOME mvn -B -ntp -q -pl ggen-bench -am package -DskipTests)
mkdir -p "$root/bench/results"
# 300 hosts in one JVM hold thousands of sockets.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
for churn in 0 10 30; do
  timeout 1200 "$GGEN_JAVA_HOME/bin/java" -Xmx8g -cp "$jar" io.ggen.bench.kad.KadSimulation "$n" "$churn" 1000 1
done | tee "$root/bench/results/kad-sim-$n.jsonl"
timeout 1800 "$GGEN_JAVA_HOME/bin/java" -Xmx8g -XX:+UseSerialGC -cp "$jar" io.ggen.bench.kad.KadLoopback "$m" 200 1 2>"$root/bench/results/kad-loopback-$m.err" \
  | tee "$root/bench/results/kad-loopback-$m.json"
