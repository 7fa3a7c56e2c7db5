#!/usr/bin/env bash
# Where the time of one connection set-up goes: a Java dialer and a Java listener (the java
# peer with the node's JVM options, scripts/node.options) each record the JFR event
# io.ggen.p2p.ConnectionSetup (off unless a recording asks for it); after WARM warm-up dials,
# RUNS x N dials are measured, and bench/dial-breakdown.mjs lines the steps of both processes up
# by connection: when each step began and ended, in ms after the dial began (medians).
#
# usage: bench/dial-breakdown.sh [WARM [N [RUNS]]]     defaults 300 50 3; stops by itself
# env:   JAVA_PEER_OPTS adds JVM options; DIAL_TRACE_NO_BUILD=1 uses the jar already built;
#        DIAL_TRACE_JAR=<jar> traces another build (e.g. an older one, for before and after)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
warm=${1:-300} n=${2:-50} runs=${3:-3}
. "$root/scripts/find-jdk.sh"
ggen_find_jdk || exit 1
export JAVA_HOME=$GGEN_JAVA_HOME
if [ -z "${DIAL_TRACE_NO_BUILD:-}" ] && [ -z "${DIAL_TRACE_JAR:-}" ]; then
  mopts=${MAVEN_OPTS:-}
  ggen_java_feature "$JAVA_HOME" && [ "$GGEN_FEATURE" -ge 24 ] && mopts="$mopts --sun-misc-unsafe-memory-access=allow"
  ( cd "$root" && MAVEN_OPTS=$mopts mvn -B -ntp -q -DskipTests package -pl interop/java-peer -am ) >&2
fi
out="$root/bench/results/dial-breakdown-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
jar=${DIAL_TRACE_JAR:-"$root/interop/java-peer/target/java-peer.jar"}
opts="$(grep -v '^[[:space:]]*#' "$root/scripts/node.options") ${JAVA_PEER_OPTS:-}"
cmd() {  # the java peer's command as a JSON array, recording into $1
  node -e 'const [java, jar, extra, rec] = process.argv.slice(1); console.log(JSON.stringify([java, ...extra.split(/\s+/).filter(Boolean),
    `-XX:StartFlightRecording=filename=${rec},settings=none,+io.ggen.p2p.ConnectionSetup#enabled=true`, "-jar", jar]))' \
    "$JAVA_HOME/bin/java" "$jar" "$opts" "$1"
}
JAVA_DIALER_CMD=$(cmd "$out/dialer.jfr") JAVA_LISTENER_CMD=$(cmd "$out/listener.jfr") \
  timeout 900 node "$root/bench/dial-trace.mjs" "$warm" "$n" "$runs" | tee "$out/runs.txt"
for side in dialer listener; do
  "$JAVA_HOME/bin/jfr" print --json --events io.ggen.p2p.ConnectionSetup "$out/$side.jfr" > "$out/$side.json"
done
node "$root/bench/dial-breakdown.mjs" "$out/dialer.json" "$out/listener.json" "$warm" | tee "$out/breakdown.txt"
