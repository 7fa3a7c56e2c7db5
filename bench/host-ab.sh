#!/usr/bin/env bash
# Old and new builds of the data path, interleaved in one run: io.ggen.bench.HostThroughput (two
# hosts in one JVM, one stream over TCP + Noise + Yamux on loopback) for each build in turn, one
# JVM per build and round, then the medians of each build's runs after its first (the JIT's
# warm-up): MB/s, CPU-s per GiB (user, system), voluntary context switches and read/write system
# calls per GiB. The counts hardly move with the machine's load; CPU-seconds less than MB/s.
#
# usage: bench/host-ab.sh ROUNDS MIB RUNS NAME=BENCHMARKS_JAR=OPTIONS_FILE ...
#   e.g. bench/host-ab.sh 3 512 5 main=/tmp/old/benchmarks.jar=/tmp/old/node.options \
#          branch=ggen-bench/target/benchmarks.jar=scripts/node.options
# OPTIONS_FILE is in scripts/node.options's format (# comments, options separated by white space).
# BENCHMARKS_JAR may be a class path: builds older than HostThroughput's counters (main before
# 2026-12-05's bulk branch) need a newer HostThroughput.class in front of their jar.
# Bounded: each JVM moves ROUNDS x (RUNS + 1) transfers of at most MIB MiB and then exits.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/find-jdk.sh"
ggen_find_jdk || exit 1
[ $# -ge 4 ] || { echo "usage: bench/host-ab.sh ROUNDS MIB RUNS NAME=BENCHMARKS_JAR=OPTIONS_FILE ..." >&2; exit 2; }
rounds=$1 mib=$2 runs=$3
shift 3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "$rounds"); do
  for v in "$@"; do
    IFS='=' read -r name jar optfile <<< "$v"
    [ -f "$optfile" ] || { echo "host-ab: $v: no options file $optfile (NAME=BENCHMARKS_JAR=OPTIONS_FILE)" >&2; exit 2; }
    load=$(cut -d' ' -f1 /proc/loadavg)
    # shellcheck disable=SC2046 # the options are meant to split on white space
    "$GGEN_JAVA_HOME/bin/java" $(grep -v '^[[:space:]]*#' "$optfile") -cp "$jar" io.ggen.bench.HostThroughput "$mib" "$runs" 2>/dev/null \
      | grep '^run ' | sed "s/^/$name load=$load /" | tee -a "$out" >&2
  done
done
node - "$out" <<'EOF'
const lines = require('fs').readFileSync(process.argv[2], 'utf8').split('\n')
const re = /^(\S+) load=\S+ run (\d+) \d+ MiB: ([\d.]+) MB\/s, ([\d.]+) CPU-s per GiB \(user ([\d.]+), system ([\d.]+)\), (\d+) voluntary context switches, (\d+) read and (\d+) write/
const keys = ['MB/s', 'CPU-s/GiB', 'user', 'system', 'switches/GiB', 'reads/GiB', 'writes/GiB']
const by = {}
for (const l of lines) {
  const m = re.exec(l)
  if (!m || m[2] === '1') continue
  const v = (by[m[1]] ??= keys.map(() => []))
  keys.forEach((_, i) => v[i].push(Number(m[i + 3])))
}
const median = (a) => { const s = [...a].sort((x, y) => x - y); const h = s.length >> 1; return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2 }
console.log(`| build | runs | ${keys.join(' | ')} |`)
console.log(`|---|---|${keys.map(() => '---').join('|')}|`)
for (const [name, v] of Object.entries(by)) console.log(`| ${name} | ${v[0].length} | ${v.map(a => +median(a).toFixed(2)).join(' | ')} |`)
EOF
