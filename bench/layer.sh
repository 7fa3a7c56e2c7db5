#!/usr/bin/env bash
# The connection layer's side-by-side benchmarks are now the wire suite (bench/wire.sh: the
# throughput, dial, ping and memory runs this script made, plus several streams, several
# connections and CPU-seconds per GiB). Kept so that older instructions still run.
# usage: bench/layer.sh [quick]
exec "$(dirname "$0")/wire.sh" "$@"
