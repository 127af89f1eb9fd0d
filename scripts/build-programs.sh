#!/bin/sh
# Rebuilds the bundled i386 programs, programs/*.S -> programs/bin/<name>, with GNU
# binutils (Debian's `binutils` package: as and ld; on other hosts a cross binutils
# for i386 works too, through AS= and LD=). The output is reproducible: no build-id,
# a fixed layout from programs/link.ld, nothing that depends on time or paths, so
# the committed binaries can be checked against their sources (test/user/programs.test.ts).
#
#   scripts/build-programs.sh [OUTDIR]     (default programs/bin)
#
# SRC=DIR builds DIR/*.S instead (with programs/sys.inc and link.ld): the test programs,
#   SRC=test/kernel/sigprogs scripts/build-programs.sh test/kernel/sigprogs/bin
#
# Other binutils versions may lay the bytes out differently, so a build into
# programs/bin also records the versions used in programs/binutils.txt; the test
# compares bytes only when the binutils on PATH are those.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
src="${SRC:-$root/programs}"
case "$src" in /*) ;; *) src="$root/$src" ;; esac
out="${1:-$src/bin}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
AS="${AS:-as}"
LD="${LD:-ld}"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# Assembled from inside programs/ with relative names, so no path reaches the output.
cd "$src"
for s in *.S; do
  name=${s%.S}
  "$AS" --32 -I . -I "$root/programs" -o "$tmp/$name.o" "$s"
  "$LD" -m elf_i386 -static -nostdlib --build-id=none -z noexecstack -z noseparate-code -T "$root/programs/link.ld" \
    -o "$tmp/$name" "$tmp/$name.o"
  cp "$tmp/$name" "$out/$name"
  chmod 755 "$out/$name"
done
if [ "$#" -eq 0 ]; then
  { "$AS" --version | head -n 1; "$LD" --version | head -n 1; } > "$src/binutils.txt"
fi
