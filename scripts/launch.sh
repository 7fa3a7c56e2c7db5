# The JVM options of one ggen command and the JVM archive it starts from: one place for the
# development launcher (./ggen) and a release's bin/ggen, which sources its copy in lib/.
# Needs bash alone (a release runs where the PATH may hold little more than a shell).
#
# Two sets of JVM options:
# - The commands that only ask a running node, or read a little local data, and --version/--help
#   finish in a fraction of a second: C1 alone starts faster and leaves the CPU to the node;
#   without the perf-data file (only jstat and jps read it) the JVM skips creating and mapping it,
#   about 20 ms of a status call here.
# - The node itself and the commands that hash or pack archives keep the optimising compiler
#   (publish hands the packing to a running node, but packs itself when none runs; with C1 alone,
#   SHA-256 of 128 MiB took 4.0 s here against 0.56-0.89 s with C2, on a loaded machine), with
#   the node's one set of options (node.options).
#
# Two JVM archives (scripts/jvm-archive.sh): the node's (`p2p start`, and the node it starts in
# the background), trained on the client commands and then on two nodes syncing a catalog
# (io.ggen.cli.CdsTraining node) with the node's options; and the commands', for every other
# command, trained on the client commands alone (io.ggen.cli.CdsTraining client) with the short
# commands' options. An archive maps and readies every class it holds, used or not, and the
# node's also brings its method profiles: a command started from it pays for a node it does not
# run (status 0.134 s against 0.111 s from the commands' archive, `install --help` 0.333 against
# 0.244 with the node's options; BENCHMARKS.md, round twelve).
#
# Usage: ggen_launch_options <node.options path> [command words...]
# Sets GGEN_LAUNCH_OPTS (array: the JVM options of this command), GGEN_ARCHIVE_KIND (client or
# node: the archive it starts from, the argument of the training run) and GGEN_ARCHIVE_TRAIN_OPTS
# (array: the options that archive is trained with).
ggen_launch_options() {
  local options_file=$1 line
  shift
  local -a node_opts=() words=()
  while IFS= read -r line || [ -n "$line" ]; do
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    read -ra words <<<"$line"
    node_opts+=("${words[@]}")
  done < "$options_file"
  # The same collector and heap as node.options: the commands that run with the node's options
  # start from the archive trained with these, and the JVM ignores an archive made with another GC.
  local -a client_opts=(-XX:+UseSerialGC -Xms8m -Xmx1g --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:-UsePerfData)
  case "${1:-} ${2:-} ${3:-}" in
    "marketplace p2p status"|"marketplace p2p peer-list"|"marketplace p2p peer-info"|"marketplace p2p stop"|\
    "marketplace p2p bootstrap"|"marketplace p2p config"|"marketplace p2p search"|\
    "marketplace search "*|"marketplace info "*|"marketplace list "*|\
    "--version  "|"-V  "|"--help  "|"-h  "|"  ") GGEN_LAUNCH_OPTS=("${client_opts[@]}") ;;
    "marketplace p2p publish") GGEN_LAUNCH_OPTS=("${node_opts[@]}" -XX:-UsePerfData) ;;
    *) GGEN_LAUNCH_OPTS=("${node_opts[@]}") ;;
  esac
  if [ "${1:-} ${2:-} ${3:-}" = "marketplace p2p start" ]; then
    GGEN_ARCHIVE_KIND=node
    GGEN_ARCHIVE_TRAIN_OPTS=("${node_opts[@]}")
  else
    GGEN_ARCHIVE_KIND=client
    GGEN_ARCHIVE_TRAIN_OPTS=("${client_opts[@]}")
  fi
}
