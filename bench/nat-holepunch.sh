#!/usr/bin/env bash
# Hole punching in the NAT lab: N trials (default 50) per NAT kind (endpoint-independent
# MASQUERADE, and symmetric MASQUERADE --random-fully on the target's router), each a fresh
# relayed connection that DCUtR tries to make direct. Needs root, ip and iptables, and a built
# tree (mvn -o verify -pl ggen-cli -am -DskipTests, or after ./test). Bounded: each trial ends
# within about 45 s; the lab's namespaces (g16b-*) are removed at the end, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${1:-50}
jar=ggen-cli/target/ggen.jar
[ -f "$jar" ] || { echo "build first: $jar is missing" >&2; exit 1; }
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec timeout $(( trials * 2 * 45 + 120 )) "$java" -cp "$jar:ggen-cli/target/test-classes:$(ls ~/.m2/repository/org/junit/jupiter/junit-jupiter-api/*/junit-jupiter-api-*.jar | tail -1):$(ls ~/.m2/repository/org/opentest4j/opentest4j/*/opentest4j-*.jar | tail -1)" \
    io.ggen.cli.bench.HolePunchBench "$trials"
