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
    # Hidden folders (.git, the fuzzers' .cifuzz-corpus with thousands of inputs) hold no sources:
    # walking them cost about 30 ms of every command in a checkout that has fuzzed.
    stale=$(find "$root" \( -name node_modules -o -name target -o -name '.?*' \) -prune -o \
      \( -path '*/src/main/*' -o -path '*/src/build/*' -o -name pom.xml \) -type f -newer "$jar" -print -quit 2>/dev/null)
  fi
  if [ -n "$stale" ]; then
    command -v mvn >/dev/null || { echo "ggen: $jar needs building and mvn (Maven) is not installed" >&2; exit 1; }
    echo "ggen: building (first use or sources changed)..." >&2
    local mopts=${MAVEN_OPTS:-}
    ggen_java_feature "$GGEN_JAVA_HOME" && [ "$GGEN_FEATURE" -ge 24 ] && mopts="$mopts --sun-misc-unsafe-memory-access=allow"
    # Quiet: the build's own output (Maven prints terminal resets even in batch mode) is shown
    # only when it fails, without escape codes.
    local blog
    blog=$(mktemp "${TMPDIR:-/tmp}/ggen-build.XXXXXX")
    if ! ( cd "$root" && JAVA_HOME=$GGEN_JAVA_HOME MAVEN_OPTS=$mopts mvn -B -ntp -q -Dstyle.color=never -DskipTests -Dggen.dist.skip=true install ) >"$blog" 2>&1; then
      sed 's/\x1b\[[0-9;]*m//g' "$blog" | grep -v '^\s*$' >&2
      rm -f "$blog"
      echo "ggen: build failed (above); run 'JAVA_HOME=$GGEN_JAVA_HOME mvn -DskipTests install' to see more" >&2
      exit 1
    fi
    rm -f "$blog"
  fi
  local jvm=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do jvm+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  # The JVM archive: when the caller names a training class (GGEN_CDS_TRAINER, with its
  # arguments), every run starts from an archive of what that class's run loaded
  # (scripts/jvm-archive.sh), named after the jar, GGEN_CDS_SUFFIX and the JDK. Best effort:
  # without an archive everything still works.
  if [ -n "${GGEN_CDS_TRAINER:-}" ] && [ -z "${GGEN_NO_CDS:-}" ]; then
    # GGEN_TRAIN_OPTS (an array, set by ./ggen): the options of the commands that use this
    # archive, so it is trained as they run, whichever of them makes it.
    . "$root/scripts/jvm-archive.sh"
    local base="${jar%.jar}${GGEN_CDS_SUFFIX:-}-$(basename "$GGEN_JAVA_HOME")"
    if [ -n "${GGEN_TRAIN_OPTS+x}" ] && [ ${#GGEN_TRAIN_OPTS[@]} -gt 0 ]; then ggen_jvm_archive "$jar" "$GGEN_CDS_TRAINER" "$base" "${GGEN_TRAIN_OPTS[@]}"
    else ggen_jvm_archive "$jar" "$GGEN_CDS_TRAINER" "$base" "${jvm[@]}"; fi
    jvm+=("${GGEN_ARCHIVE_OPTS[@]}")
  fi
  exec "$GGEN_JAVA_HOME/bin/java" "${jvm[@]}" -jar "$jar" "$@"
}
