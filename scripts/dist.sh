#!/usr/bin/env bash
# Builds the release archives from the shaded jar (ggen-cli/target/ggen.jar, built before):
#   <out>/ggen-<version>.tar.gz            bin/ggen, lib/ (the jar), completions/, docs/, LICENSE
#   <out>/ggen-<version>-linux-x64.tar.gz  the same, plus runtime/: a jlink image of the JDK that
#                                          runs this script, with only the modules jdeps finds
# Usage: scripts/dist.sh <version> <out dir>    (the ggen-dist module runs it at `mvn package`;
# `./ggen dist` builds everything and then runs it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$1
out=$2
. "$root/scripts/find-jdk.sh"
ggen_find_jdk || exit 1
jdk=$GGEN_JAVA_HOME
jar=$root/ggen-cli/target/ggen.jar
[ -f "$jar" ] || { echo "dist: $jar is missing; build it first (mvn package)" >&2; exit 1; }
name=ggen-$version
stage=$out/stage
mkdir -p "$out"
# jdeps reads the whole jar (about 15 s of CPU): it runs while the plain archive is packed.
deps=$out/jdeps-modules.txt
"$jdk/bin/jdeps" --multi-release "$GGEN_FEATURE" --ignore-missing-deps --print-module-deps "$jar" > "$deps" 2>/dev/null &
jdeps_pid=$!
rm -rf "$stage"
mkdir -p "$stage/$name/bin" "$stage/$name/lib" "$stage/$name/completions" "$stage/$name/docs"
cp "$root/scripts/dist/ggen" "$stage/$name/bin/ggen"
chmod 755 "$stage/$name/bin/ggen"
cp "$jar" "$stage/$name/lib/ggen.jar"
cp "$root/scripts/find-jdk.sh" "$root/scripts/node.options" "$root/scripts/jvm-archive.sh" "$root/scripts/launch.sh" "$stage/$name/lib/"
cp "$root/LICENSE" "$stage/$name/LICENSE"
cp "$root/docs/p2p-marketplace-guide.md" "$stage/$name/docs/"
# the pictures the guide shows
for img in $(sed -n 's/.*](\([A-Za-z0-9_.-]*\.png\)).*/\1/p' "$root/docs/p2p-marketplace-guide.md"); do cp "$root/docs/$img" "$stage/$name/docs/"; done
cp "$root/README.md" "$stage/$name/docs/README.md"
"$jdk/bin/java" -jar "$jar" completion bash > "$stage/$name/completions/ggen.bash"
"$jdk/bin/java" -jar "$jar" completion zsh > "$stage/$name/completions/_ggen"
# Deterministic archives: sorted entries, owner 0 and time 0, gzip without name or time.
tarball() {  # <archive> <dir under stage>
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@0" -C "$stage" -cf - "$2" | gzip -n -6 > "$1.tmp"
  mv -f "$1.tmp" "$1"
}
tarball "$out/$name.tar.gz" "$name"

# The self-contained archive: the modules the jar needs (jdeps), plus those it reaches only by
# name at run time (the DNS resolver for /dns multiaddrs, the charsets, the zip file system).
rt=$name-linux-x64
cp -a "$stage/$name" "$stage/$rt"
wait "$jdeps_pid" || { echo "dist: jdeps failed on $jar" >&2; exit 1; }
modules=$(cat "$deps")
[ -n "$modules" ] || { echo "dist: jdeps found no modules in $jar" >&2; exit 1; }
modules="$modules,jdk.naming.dns,jdk.charsets,jdk.zipfs"
# jdk.crypto.ec exists up to JDK 21 (merged into java.base in 22); jlink refuses a module that does not exist.
"$jdk/bin/java" --list-modules | grep -q '^jdk.crypto.ec@' && modules="$modules,jdk.crypto.ec"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --output "$stage/$rt/runtime"
echo "$modules" > "$stage/$rt/runtime/ggen-modules.txt"
tarball "$out/$rt.tar.gz" "$rt"
rm -rf "$stage" "$deps"
for f in "$out/$name.tar.gz" "$out/$rt.tar.gz"; do
  echo "dist: $f ($(du -k "$f" | cut -f1) KiB)"
done
