# Sourced by ./ggen and interop/java-peer/java-peer: finds a JDK >= 21, rebuilds the jar when a
# source or build file is newer than it (or it is missing), then runs it.
# Usage: ggen_run_jar <jar path relative to the root> [jvm options...] -- [program args...]
ggen_run_jar() {
  local root jar
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  jar="$root/$1"; shift
  . "$root/scripts/find-jdk.sh"
  ggen_find_jdk || exit 1
  local stale=""
  if [ ! -f "$jar" ]; then stale=1
  else
    stale=$(find "$root" \( -name node_modules -o -name target -o -name .git \) -prune -o \
      \( -path '*/src/main/*' -o -name pom.xml \) -type f -newer "$jar" -print -quit 2>/dev/null)
  fi
  if [ -n "$stale" ]; then
    command -v mvn >/dev/null || { echo "ggen: $jar needs building and mvn (Maven) is not installed" >&2; exit 1; }
    echo "ggen: building (first use or sources changed)..." >&2
    ( cd "$root" && JAVA_HOME=$GGEN_JAVA_HOME mvn -B -ntp -q -DskipTests -Dmaven.test.skip=true install >&2 ) \
      || { echo "ggen: build failed; run 'JAVA_HOME=$GGEN_JAVA_HOME mvn -DskipTests install' to see why" >&2; exit 1; }
  fi
  local jvm=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do jvm+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  exec "$GGEN_JAVA_HOME/bin/java" "${jvm[@]}" -jar "$jar" "$@"
}
