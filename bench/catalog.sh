#!/usr/bin/env bash
# The catalog's goals (issue 18): catalog sync of 10,000 releases, and search at 100,000 releases
# while the node ingests announcements (io.ggen.bench.marketplace.CatalogBench). Runs with the
# node's own JVM options (scripts/node.options, as `./ggen marketplace p2p start` runs it). Bounded: a few minutes on a quiet 2-core machine, and
# stopped after 15 minutes whatever the load.
# Usage: bench/catalog.sh [all | sync [releases] [runs] | sync-fresh [releases] [runs] | search [releases] [queries] [announcements/s] | search-cost [releases] [queries]]
#        sync: both nodes in this JVM; sync-fresh: each run's joining node a new JVM (the node's
#        options), as a node that syncs right after it starts, its CPU split by thread.
# env:   CATALOG_JOIN_OPTIONS=<options> extra JVM options of sync-fresh's joining nodes ("%d": the
#        run's number; variants separated by '|' take turns run after run, e.g. a JFR recording
#        per run: -XX:StartFlightRecording:filename=/tmp/join%d.jfr,settings=profile).
# env:   CATALOG_NO_ARCHIVE=1 runs without the JVM archive the node starts from (see below).
# env:   CATALOG_JSON=<file> appends each phase's figures there as JSON lines (bench/run reads them);
#        CATALOG_REUSE=<path> keeps the built search catalog at <path>-<releases> and copies it in
#        on later runs of the same size (comparing two builds of the code in minutes).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/find-jdk.sh"
ggen_find_jdk || exit 1
# GGEN_BENCH_JAR: another build's jar (a "before" figure in the same run), used as it is.
jar=${GGEN_BENCH_JAR:-$root/ggen-bench/target/benchmarks.jar}
stale=1
[ -n "${GGEN_BENCH_JAR:-}" ] && stale=""
[ -f "$jar" ] && [ -z "${GGEN_BENCH_JAR:-}" ] && stale=$(find "$root" \( -name node_modules -o -name target -o -name '.?*' \) -prune -o \
  \( -path '*/src/main/*' -o -name pom.xml \) -type f -newer "$jar" -print -quit)
if [ -n "$stale" ]; then
  echo "building ggen-bench..." >&2
  (cd "$root" && JAVA_HOME=$GGEN_JAVA_HOME MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
    mvn -B -ntp -q -pl ggen-bench -am package -DskipTests)
fi
jvm=($(grep -v '^[[:space:]]*#' "$root/scripts/node.options"))
# The JVM archive the product's node starts from (scripts/jvm-archive.sh: an AOT cache on JDK 25+, a
# class-data-sharing archive before), trained once per jar by the node's own training run.
# CATALOG_NO_ARCHIVE=1: without it (a JVM as it was before the launcher made one for the node).
if [ -z "${CATALOG_NO_ARCHIVE:-}" ]; then
  . "$root/scripts/jvm-archive.sh"
  ggen_jvm_archive "$jar" io.ggen.node.NodeTraining "${jar%.jar}-$(basename "$GGEN_JAVA_HOME")" "${jvm[@]}"
  jvm+=("${GGEN_ARCHIVE_OPTS[@]}")
fi
echo "JVM options: ${jvm[*]}" >&2
props=()
[ -n "${CATALOG_JSON:-}" ] && props+=("-Dcatalog.bench.json=$CATALOG_JSON")
[ -n "${CATALOG_REUSE:-}" ] && props+=("-Dcatalog.bench.reuse=$CATALOG_REUSE")
[ -n "${CATALOG_JOIN_OPTIONS:-}" ] && props+=("-Dcatalog.bench.joinOptions=$CATALOG_JOIN_OPTIONS")
echo "load average before: $(cat /proc/loadavg)" >&2
exec timeout 900 "$GGEN_JAVA_HOME/bin/java" "${jvm[@]}" "${props[@]}" -cp "$jar" io.ggen.bench.marketplace.CatalogBench "$@"
