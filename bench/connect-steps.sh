#!/usr/bin/env bash
# Where a loopback TCP connect's time goes under Netty (bench/connect/ConnectSteps.java), with the
# node's JVM options: NIO, then Netty's native epoll transport when Maven's local repository has
# its jars (io.netty:netty-transport-native-epoll:<v>:linux-x86_64, netty-transport-classes-epoll
# and netty-transport-native-unix-common of the same version; the product does not use them).
# usage: bench/connect-steps.sh [WARM [N]]      defaults 500 300; stops by itself (timeout 600 s)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
warm=${1:-500} n=${2:-300}
. "$root/scripts/find-jdk.sh"
ggen_find_jdk || exit 1
jar="$root/interop/java-peer/target/java-peer.jar"
[ -f "$jar" ] || { echo "connect-steps: build the java peer first (bench/wire.sh or mvn package -pl interop/java-peer -am)" >&2; exit 1; }
opts="$(grep -v '^[[:space:]]*#' "$root/scripts/node.options")"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
timeout 300 "$GGEN_JAVA_HOME/bin/java" $opts -cp "$jar" "$root/bench/connect/ConnectSteps.java" "$warm" "$n" nio 2>&1 | grep -v '^WARNING'
m2=${MAVEN_REPO:-$HOME/.m2/repository}/io/netty
native=$(ls "$m2"/netty-transport-native-epoll/*/netty-transport-native-epoll-*-linux-x86_64.jar 2>/dev/null | sort -V | tail -1 || true)
if [ -n "$native" ]; then
  v=$(basename "$(dirname "$native")")
  cp="$jar:$native:$m2/netty-transport-classes-epoll/$v/netty-transport-classes-epoll-$v.jar:$m2/netty-transport-native-unix-common/$v/netty-transport-native-unix-common-$v.jar"
  # shellcheck disable=SC2086
  timeout 300 "$GGEN_JAVA_HOME/bin/java" $opts -cp "$cp" "$root/bench/connect/ConnectSteps.java" "$warm" "$n" epoll 2>&1 | grep -v '^WARNING'
else
  echo "epoll: no netty-transport-native-epoll jar in $m2 (skipped)"
fi
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
