#!/usr/bin/env bash
# NAT traversal in the NAT lab (ggen-cli's NatLab: network namespaces, two home routers, a relay,
# 25 +/- 5 ms on every public link through the lab/netdelay shim). Needs root, ip, iptables, gcc
# and libnetfilter-queue-dev, and a built tree (mvn -o verify -pl ggen-cli -am -DskipTests, or
# after ./test). The lab's namespaces (g16b-*) are removed at the end, also on failure.
#   bench/nat.sh holepunch [trials] [kinds]  DCUtR over fresh relayed connections, per NAT kind of
#        router A (default 50 trials; kinds ENDPOINT_INDEPENDENT,ADDRESS_DEPENDENT_FILTERING,SYMMETRIC):
#        direct share, first-attempt share, relayed -> direct time, fallback. Bounded: 45 s a trial.
#   bench/nat.sh install [runs]  time of `ggen marketplace p2p install` of a small pack across two
#        NATs (hole punched) next to the same between two public nodes (default 5 runs each, a
#        fresh lab each); nodes and commands run with the product's JVM options. Bounded: 4 min a run.
#   bench/nat.sh all  both, with their defaults.
# NAT_JSON=<file>: each result is also appended there as one JSON object per line (bench/run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/find-jdk.sh"
ggen_find_jdk || exit 1
java=$GGEN_JAVA_HOME/bin/java
jar=$root/ggen-cli/target/ggen.jar
for f in "$jar" "$root/ggen-cli/target/test-classes" "$root/ggen-libp2p/target/test-classes"; do
  [ -e "$f" ] || { echo "build first: $f is missing (mvn -o verify -pl ggen-cli -am -DskipTests)" >&2; exit 1; }
done
m2=${MAVEN_REPO:-$HOME/.m2/repository}
lib() { ls "$m2"/$1 2>/dev/null | sort -V | tail -1; }
cp="$jar:$root/ggen-cli/target/test-classes:$root/ggen-libp2p/target/test-classes"
for j in 'org/junit/jupiter/junit-jupiter-api/*/junit-jupiter-api-*.jar' 'org/opentest4j/opentest4j/*/opentest4j-*.jar' \
         'org/assertj/assertj-core/*/assertj-core-*.jar'; do
  found=$(lib "$j"); [ -n "$found" ] || { echo "missing from $m2: $j (run the build once)" >&2; exit 1; }
  cp="$cp:$found"
done
# the product's own JVM options, as the ggen launcher gives the node and the install command
product_jvm="$(grep -v '^[[:space:]]*#' "$root/scripts/node.options" | tr '\n' ' ')"
json_prop=()
[ -n "${NAT_JSON:-}" ] && json_prop=("-Dbench.json=$NAT_JSON")
cd "$root"
# CPU-seconds (user + system) of the processes this script has waited for: the bench JVM and,
# through it, every probe, node and command it started (each parent reaps its children)
child_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($16 + $17) / hz }' "/proc/$$/stat"; }
holepunch() {
  local trials=${1:-50} kinds=${2:-ENDPOINT_INDEPENDENT,ADDRESS_DEPENDENT_FILTERING,SYMMETRIC}
  local n; n=$(tr ',' '\n' <<<"$kinds" | wc -l)
  echo "hole punching: $trials trials per kind ($kinds); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  local cpu0 t0; cpu0=$(child_cpu); t0=$(date +%s.%N)
  timeout $(( trials * n * 45 + 180 )) "$java" "${json_prop[@]}" -cp "$cp" io.ggen.cli.bench.HolePunchBench "$trials" "$kinds"
  echo "wall $(echo "$(date +%s.%N) - $t0" | bc) s, CPU $(echo "$(child_cpu) - $cpu0" | bc) s (all processes); load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}
install() {
  local runs=${1:-5}
  echo "install across NATs vs public: $runs runs each; JVM options: $product_jvm; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  local cpu0 t0; cpu0=$(child_cpu); t0=$(date +%s.%N)
  timeout $(( runs * 2 * 240 + 60 )) "$java" "${json_prop[@]}" -Dggen.jar="$jar" -Dbench.jvm="$product_jvm" -cp "$cp" io.ggen.cli.bench.NatInstallBench "$runs"
  echo "wall $(echo "$(date +%s.%N) - $t0" | bc) s, CPU $(echo "$(child_cpu) - $cpu0" | bc) s (all processes); load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}
case "${1:-all}" in
  holepunch) shift; holepunch "$@" ;;
  install) shift; install "$@" ;;
  all) holepunch; install ;;
  *) echo "usage: bench/nat.sh [holepunch [trials] [kinds] | install [runs] | all]" >&2; exit 2 ;;
esac
