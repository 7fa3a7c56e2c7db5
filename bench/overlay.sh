#!/usr/bin/env bash
# Gossipsub (network and one relay) and DHT whole-system benchmarks, js-libp2p and our Java peers side by side in one run:
# the shared harness scripts (interop/jspeer/bench/gossip.mjs, dht.mjs) start js peers, then Java
# peers through PEER_CMD, with the same seeds and topologies. Results: bench/results/<timestamp>/.
# usage: bench/overlay.sh [gossip-nodes=20] [dht-nodes=30]
#   ONLY=gossip|dht|relay runs one of the three (relay: one node's validate-and-forward rate,
#   bench/relay.mjs, RELAY_MESSAGES (5000) messages to 5 subscribers through one relay); IMPLS="java" skips js; JAVA_PEER_OPTS adds JVM options,
#   JAVA_PEER_ARGS java-peer flags; GOSSIP_MESH=D,D_lo,D_hi sets the mesh degrees of both
#   implementations (unset: each its own defaults, Java 6,5,12 and js-libp2p 6,4,12);
#   GOSSIP_MESSAGES (20) messages of GOSSIP_SIZE (256) bytes in the gossip run; OVERLAY_OUT=<dir>
#   writes the results there instead of bench/results/<time>-overlay/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/find-jdk.sh"
ggen_find_jdk || exit 1
export JAVA_HOME=$GGEN_JAVA_HOME
bash "$root/interop/jspeer/ensure-installed.sh"
( cd "$root" && mvn -B -ntp -q -DskipTests package -pl interop/java-peer -am ) >&2
out=${OVERLAY_OUT:-"$root/bench/results/$(date +%Y%m%d-%H%M%S)-overlay"}
mkdir -p "$out"
jar="$root/interop/java-peer/target/java-peer.jar"
java_cmd=$(node -e 'const [java, jar, extra, args] = process.argv.slice(1); console.log(JSON.stringify([java, ...extra.split(/\s+/).filter(Boolean), "-jar", jar, ...args.split(/\s+/).filter(Boolean)]))' \
  "$JAVA_HOME/bin/java" "$jar" "$(grep -v '^[[:space:]]*#' "$root/scripts/node.options") ${JAVA_PEER_OPTS:-}" "${JAVA_PEER_ARGS:-}${GOSSIP_MESH:+ --gossip-mesh $GOSSIP_MESH}")
gn=${1:-20}
dn=${2:-30}
cd "$root/interop/jspeer"
run() { # impl name script args...
  local impl=$1 name=$2; shift 2
  echo "# $(date -Is) load $(cut -d' ' -f1-3 /proc/loadavg) | $impl${GOSSIP_MESH:+ (mesh $GOSSIP_MESH)}: node $*" >&2
  local cmd=(env "PEER_GOSSIP_MESH=${GOSSIP_MESH:-}")
  if [ "$impl" = java ]; then cmd+=("PEER_CMD=$java_cmd"); fi
  "${cmd[@]}" timeout 900 node "$@" | tee -a "$out/$impl-$name.log" | tail -n 1 > "$out/$impl-$name.json"
}
impls=${IMPLS:-js java}
if [ "${ONLY:-gossip}" = gossip ] || [ -z "${ONLY:-}" ]; then for impl in $impls; do run "$impl" gossip bench/gossip.mjs "$gn" 4 "${GOSSIP_MESSAGES:-20}" "${GOSSIP_SIZE:-256}" 1; done; fi
if [ "${ONLY:-dht}" = dht ] || [ -z "${ONLY:-}" ]; then for impl in $impls; do run "$impl" dht bench/dht.mjs "$dn" 10 5 3 1; done; fi
if [ "${ONLY:-relay}" = relay ] || [ -z "${ONLY:-}" ]; then for impl in $impls; do run "$impl" relay bench/relay.mjs "${RELAY_MESSAGES:-5000}" "${GOSSIP_SIZE:-256}" 5; done; fi
for f in "$out"/*.json; do echo "$(basename "$f" .json): $(cat "$f")"; done
