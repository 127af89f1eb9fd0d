#!/bin/sh
# Builds forklab's thread library, libc/lib/libpthread.a, from libc/pthread (docs/libc.md,
# "Threads"). It needs only the committed headers (libc/include before
# libc/newlib-include), not newlib's build, and is compiled as libc.a's own objects are
# (scripts/build-libc.sh) but with the headers in the order forklab cc uses, members stripped of debug info and
# .comment, in name order, `ar rcsD`, so the archive is the same bytes wherever it is built
# with the toolchain in libc/toolchain.txt (test/cc/pthread.test.ts rebuilds and compares).
#
#   scripts/build-libpthread.sh [OUTDIR]     (default: libc/lib)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out="${1:-$root/libc/lib}"
CC="${CC:-gcc}"
echo 'int x;' | $CC -m32 -c -x c -o /dev/null - 2>/dev/null || { echo "build-libpthread: $CC -m32 cannot compile: apt-get install gcc-multilib" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
gccinc=$($CC -m32 -print-file-name=include)
cd "$root/libc/pthread"
for f in *.c *.S; do
  $CC -m32 -march=i386 -nostdinc -isystem "$root/libc/include" -isystem "$gccinc" -isystem "$root/libc/newlib-include" \
    -U__linux__ -U__linux -Ulinux -U__gnu_linux__ -D__DragonFly__=1 -ffile-prefix-map="$root/=." \
    -O2 -g0 -fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
    -std=gnu11 -Wall -Werror -c -o "$tmp/${f%.*}.o" "$f"
  objcopy --strip-debug -R .comment "$tmp/${f%.*}.o"
done
rm -f "$tmp/libpthread.a"
ar rcsD "$tmp/libpthread.a" $(ls "$tmp"/*.o | LC_ALL=C sort)
mkdir -p "$out"
cp "$tmp/libpthread.a" "$out/libpthread.a"
ls -l "$out/libpthread.a"
