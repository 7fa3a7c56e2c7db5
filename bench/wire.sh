#!/usr/bin/env bash
# The wire suite, js-libp2p and our Java peer side by side in one run (phase by phase, js then
# Java): one-stream, several-stream and several-connection throughput with CPU-seconds per GiB
# of every peer process (from /proc), dial + upgrade + identify, ping, and RSS with 100
# connections. The Java peer runs with the node's own JVM options (scripts/node.options), as
# `ggen marketplace p2p start` does. Prints a table with ratios; the run's JSON and log go to
# bench/results/wire-<time>/.
#
# usage: bench/wire.sh [quick]    quick = small transfers and few connections (a smoke run,
#                                 not for BENCHMARKS.md); bounded by WIRE_TIMEOUT_S (1500 s)
# env:   JAVA_PEER_OPTS adds JVM options; the WIRE_* variables of wire.mjs override the sizes;
#        WIRE_OUT=<dir> writes the run's files there instead of bench/results/wire-<time>/;
#        WIRE_IMPLS=js,java-before,java with JAVA_BEFORE_CMD (a JSON array: an older build's jar
#        with its options) adds that build, run in between, as a column of its own.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/find-jdk.sh"
ggen_find_jdk || exit 1
export JAVA_HOME=$GGEN_JAVA_HOME
bash "$root/interop/jspeer/ensure-installed.sh"
mopts=${MAVEN_OPTS:-}
ggen_java_feature "$JAVA_HOME" && [ "$GGEN_FEATURE" -ge 24 ] && mopts="$mopts --sun-misc-unsafe-memory-access=allow"
# package, not install: the peer's jar is all the suite needs, and ~/.m2 stays untouched.
( cd "$root" && MAVEN_OPTS=$mopts mvn -B -ntp -q -DskipTests package -pl interop/java-peer -am ) >&2
out=${WIRE_OUT:-"$root/bench/results/wire-$(date +%Y%m%d-%H%M%S)"}
mkdir -p "$out"
jar="$root/interop/java-peer/target/java-peer.jar"
opts="$(grep -v '^[[:space:]]*#' "$root/scripts/node.options") ${JAVA_PEER_OPTS:-}"
JAVA_CMD=$(node -e 'const [java, jar, extra] = process.argv.slice(1); console.log(JSON.stringify([java, ...extra.split(/\s+/).filter(Boolean), "-jar", jar]))' \
  "$JAVA_HOME/bin/java" "$jar" "$opts")
export JAVA_CMD
if [ "${1:-}" = quick ]; then
  export WIRE_MIB=${WIRE_MIB:-64} WIRE_RUNS=${WIRE_RUNS:-2} WIRE_WARM_MIB=${WIRE_WARM_MIB:-128} WIRE_DIAL=${WIRE_DIAL:-"20 2"} WIRE_DIAL_WARM=${WIRE_DIAL_WARM:-100} \
    WIRE_PING=${WIRE_PING:-"50 2"} WIRE_MEM_CONNS=${WIRE_MEM_CONNS:-10} WIRE_MEM_SETTLE=${WIRE_MEM_SETTLE:-3}
fi
cd "$root/interop/jspeer"
node bench/wire.mjs "$out/wire.json" 2> >(tee "$out/wire.log" >&2) > /dev/null
node "$root/bench/wire-table.mjs" "$out/wire.json" | tee "$out/table.md"
