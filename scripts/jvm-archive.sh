#!/usr/bin/env bash
# The JVM archive of a jar, made once per jar and JDK by running a training class with the given
# JVM options, remade when the jar is newer: on JDK 25 and later an AOT cache (classes loaded and
# linked, and the method profiles of the training, so the JIT compiles hot code from the first
# second), before that a class-data-sharing archive (classes only). An archive maps and readies
# every class it holds, used or not, so each kind of command has its own (scripts/launch.sh):
# with a node running, status takes 0.11 s from the client commands' archive, 0.13 s from the
# node's and 0.16 s from none; a node that syncs right after it starts does it 10-15% faster from
# its own (BENCHMARKS.md, rounds eleven and twelve). Sets GGEN_ARCHIVE_OPTS to the options that
# use it, or to nothing when it cannot be made (the JVM also ignores, silently, an archive that
# does not fit it).
# Needs GGEN_JAVA_HOME and ggen_java_feature (scripts/find-jdk.sh).
# Usage: ggen_jvm_archive <jar> "<training class> [its arguments]" <archive path without extension> [jvm options of the training run...]
ggen_jvm_archive() {
  local jar=$1 base=$3
  local -a trainer
  read -ra trainer <<<"$2"
  shift 3
  GGEN_ARCHIVE_OPTS=()
  ggen_java_feature "$GGEN_JAVA_HOME" || return 0
  # A release may run where the PATH holds little more than a shell: no archive then, silently.
  command -v mv >/dev/null 2>&1 && command -v rm >/dev/null 2>&1 || return 0
  if [ "$GGEN_FEATURE" -ge 25 ]; then
    local aot="$base.aot"
    if [ ! -f "$aot" ] || [ "$jar" -nt "$aot" ]; then
      # One step: the JVM writes the cache when the training ends (a child JVM assembles it).
      local tmp="$base.$$.tmp.aot"
      if "$GGEN_JAVA_HOME/bin/java" "$@" -Xlog:aot=off -Xlog:cds=off -XX:AOTCacheOutput="$tmp" \
           -cp "$jar" "${trainer[@]}" >/dev/null 2>&1 && [ -s "$tmp" ]; then
        mv -f "$tmp" "$aot"
      else
        rm -f "$tmp" "$tmp.config"
      fi
    fi
    [ -f "$aot" ] && GGEN_ARCHIVE_OPTS=(-XX:AOTCache="$aot" -Xlog:aot=off -Xlog:cds=off)
  else
    local jsa="$base.jsa"
    if [ ! -f "$jsa" ] || [ "$jar" -nt "$jsa" ]; then
      local tmp="$jsa.$$.tmp"
      if "$GGEN_JAVA_HOME/bin/java" "$@" -Xlog:cds=off -Xlog:cds+dynamic=off -XX:ArchiveClassesAtExit="$tmp" \
           -cp "$jar" "${trainer[@]}" >/dev/null 2>&1 && [ -s "$tmp" ]; then
        mv -f "$tmp" "$jsa"
      else
        rm -f "$tmp"
      fi
    fi
    [ -f "$jsa" ] && GGEN_ARCHIVE_OPTS=(-XX:SharedArchiveFile="$jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
  return 0
}
