#!/usr/bin/env bash
# Connection set-up of two or more builds of the Java peer, interleaved round by round in one run
# (bench/dial-ab.mjs), each with the node's JVM options (scripts/node.options): for a change to
# the set-up path, before against after on the same machine at the same moments.
#
# usage: bench/dial-ab.sh [js] [name=jar ...] [-- WARM N ROUNDS]   defaults: WARM 1000, N 50, ROUNDS 8
#        With no name=jar, compares before=$DIAL_AB_BEFORE (a jar) with after=this tree's peer;
#        "js" adds js-libp2p's reference peer (interop/jspeer) as one more build.
# env:   JAVA_PEER_OPTS adds JVM options to every build; DIAL_AB_NO_BUILD=1 skips the build.
# Bounded by timeout (1800 s); prints per-round figures, then medians.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/find-jdk.sh"
ggen_find_jdk || exit 1
export JAVA_HOME=$GGEN_JAVA_HOME
builds=() nums=() js=()
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; nums=("$@"); break ;;
    js) js=(js); shift ;;
    *=*) builds+=("$1"); shift ;;
    *) echo "dial-ab: expected name=jar or --, got '$1'" >&2; exit 2 ;;
  esac
done
jar="$root/interop/java-peer/target/java-peer.jar"
if [ ${#builds[@]} -eq 0 ]; then
  [ -n "${DIAL_AB_BEFORE:-}" ] || { echo "dial-ab: give name=jar pairs, or DIAL_AB_BEFORE=<jar> to compare with this tree" >&2; exit 2; }
  builds=("before=$DIAL_AB_BEFORE" "after=$jar")
fi
if [ -z "${DIAL_AB_NO_BUILD:-}" ]; then
  mopts=${MAVEN_OPTS:-}
  ggen_java_feature "$JAVA_HOME" && [ "$GGEN_FEATURE" -ge 24 ] && mopts="$mopts --sun-misc-unsafe-memory-access=allow"
  ( cd "$root" && MAVEN_OPTS=$mopts mvn -B -ntp -q -DskipTests package -pl interop/java-peer -am ) >&2
fi
bash "$root/interop/jspeer/ensure-installed.sh"
opts="$(grep -v '^[[:space:]]*#' "$root/scripts/node.options") ${JAVA_PEER_OPTS:-}"
cmds=$(node -e '
  const [java, extra, ...builds] = process.argv.slice(1)
  const out = {}
  for (const b of builds) {
    const i = b.indexOf("=")
    if (i < 0) out[b] = null
    else out[b.slice(0, i)] = [java, ...extra.split(/\s+/).filter(Boolean), "-jar", b.slice(i + 1)]
  }
  console.log(JSON.stringify(out))' "$JAVA_HOME/bin/java" "$opts" "${js[@]}" "${builds[@]}")
echo "JVM options: $(echo $opts)" >&2
DIAL_AB_CMDS=$cmds timeout 1800 node "$root/bench/dial-ab.mjs" "${nums[0]:-1000}" "${nums[1]:-50}" "${nums[2]:-8}"
