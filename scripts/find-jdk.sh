# Sourced by ./ggen, ./test, interop/java-peer/java-peer and the bench scripts.
# Sets GGEN_JAVA_HOME to a JDK >= 21: JAVA_HOME first, then the newest under /usr/lib/jvm.
# The machine's default java may be 17, which is 8-10x slower at ChaCha20-Poly1305.
ggen_java_feature() {  # prints the feature release (17, 21, 25...) of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] || return 1
  local v=""
  # The JDK's release file answers without starting a JVM (each start costs ~100 ms, and the
  # launcher runs this on every command); ask the JVM itself only when there is no such file.
  if [ -r "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9.]*\).*/\1/p' "$1/release" | head -n1)
  fi
  if [ -z "$v" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)
  fi
  case "$v" in 1.*) v=${v#1.}; v=${v%%.*};; *) v=${v%%.*};; esac
  [ -n "$v" ] && printf '%s\n' "$v"
}
ggen_find_jdk() {
  local cand best="" bestv=0 v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(ggen_java_feature "$JAVA_HOME") || v=0
    if [ "${v:-0}" -ge 21 ] 2>/dev/null && [ -x "$JAVA_HOME/bin/javac" ]; then GGEN_JAVA_HOME=$JAVA_HOME; return 0; fi
  fi
  for cand in "${GGEN_JVM_DIR:-/usr/lib/jvm}"/*; do
    [ -d "$cand" ] && [ -x "$cand/bin/javac" ] || continue
    v=$(ggen_java_feature "$cand") || continue
    if [ "$v" -ge 21 ] 2>/dev/null && [ "$v" -gt "$bestv" ]; then best=$cand; bestv=$v; fi
  done
  if [ -z "$best" ]; then
    echo "ggen: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, nothing >= 21 in ${GGEN_JVM_DIR:-/usr/lib/jvm}); install one, e.g. 'apt-get install openjdk-21-jdk-headless', or point JAVA_HOME at it" >&2
    return 1
  fi
  GGEN_JAVA_HOME=$best
}
