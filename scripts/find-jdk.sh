# Sourced by ./ggen, ./test, interop/java-peer/java-peer and the bench scripts.
# Sets GGEN_JAVA_HOME to a JDK >= 21: JAVA_HOME first, then the newest under /usr/lib/jvm.
# The machine's default java may be 17, which is 8-10x slower at ChaCha20-Poly1305.
ggen_java_feature() {  # sets GGEN_FEATURE to the feature release (17, 21, 25...) of the JDK at $1; fails if unknown
  GGEN_FEATURE=""
  [ -x "$1/bin/java" ] || return 1
  local v="" line
  # The JDK's release file answers without starting a JVM (each start costs ~100 ms, and the
  # launcher runs this on every command), read with bash alone: no process is forked, which
  # keeps the launcher's own share of a short command's wall time to a few milliseconds.
  if [ -r "$1/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in JAVA_VERSION=*) v=${line#JAVA_VERSION=}; v=${v//\"/}; break;; esac
    done < "$1/release"
  fi
  if [ -z "$v" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)
  fi
  case "$v" in 1.*) v=${v#1.}; v=${v%%.*};; *) v=${v%%[!0-9]*};; esac
  [ -n "$v" ] || return 1
  GGEN_FEATURE=$v
}
# GGEN_JDK_TOOL names the program a candidate must have (default javac: building needs a JDK; the
# launcher of a release archive sets java, since running needs only a runtime).
ggen_find_jdk() {
  local cand best="" bestv=0 v tool=${GGEN_JDK_TOOL:-javac}
  if [ -n "${JAVA_HOME:-}" ]; then
    ggen_java_feature "$JAVA_HOME" || GGEN_FEATURE=0
    v=$GGEN_FEATURE
    if [ "${v:-0}" -ge 21 ] 2>/dev/null && [ -x "$JAVA_HOME/bin/$tool" ]; then GGEN_JAVA_HOME=$JAVA_HOME; return 0; fi
  fi
  for cand in "${GGEN_JVM_DIR:-/usr/lib/jvm}"/*; do
    [ -d "$cand" ] && [ -x "$cand/bin/$tool" ] || continue
    ggen_java_feature "$cand" || continue
    v=$GGEN_FEATURE
    if [ "$v" -ge 21 ] 2>/dev/null && [ "$v" -gt "$bestv" ]; then best=$cand; bestv=$v; fi
  done
  if [ -z "$best" ]; then
    echo "ggen: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, nothing >= 21 in ${GGEN_JVM_DIR:-/usr/lib/jvm}); install one, e.g. 'apt-get install openjdk-21-jdk-headless', or point JAVA_HOME at it${GGEN_JDK_HINT:-}" >&2
    return 1
  fi
  GGEN_JAVA_HOME=$best
}
