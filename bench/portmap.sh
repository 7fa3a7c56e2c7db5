#!/usr/bin/env bash
# Port mapping against Debian's miniupnpd in network namespaces (g16p-*): N trials (default 20)
# per method (pcp, natpmp, upnp), each a fresh JVM that maps TCP 4001 and deletes it on stop;
# prints the time from PortMapper.start to the mapping (median, p95, max) and the probes' CPU
# seconds (JVM start-up included). Needs root, ip, nft and miniupnpd, and a built tree
# (mvn -o verify -pl ggen-cli -am -DskipTests, or after ./test). Bounded: each trial ends within
# about a minute, the whole run within trials * 3 minutes; the namespaces are removed at the end,
# also on failure. js-libp2p is not run beside it: its UPnP mapper is not among the interop
# peer's packages.
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${1:-20}
jar=ggen-cli/target/ggen.jar
[ -f "$jar" ] || { echo "build first: $jar is missing" >&2; exit 1; }
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec timeout $(( trials * 3 * 60 + 60 )) "$java" -cp "$jar:ggen-libp2p/target/test-classes:$(ls ~/.m2/repository/org/junit/jupiter/junit-jupiter-api/*/junit-jupiter-api-*.jar | tail -1):$(ls ~/.m2/repository/org/opentest4j/opentest4j/*/opentest4j-*.jar | tail -1)" \
    io.ggen.p2p.portmap.PortMapBench "$trials"
