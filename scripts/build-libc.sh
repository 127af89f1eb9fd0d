#!/bin/sh
# Rebuilds forklab's C library from Debian's newlib-source and libc/src:
#   libc/lib/crt1.o  libc/lib/libc.a  libc/lib/libm.a  libc/newlib-include/
# docs/libc.md says what the library is and why it is built this way. In short: newlib
# is configured as a bare i386-elf target with --disable-newlib-supplied-syscalls, so
# it calls read, write, sbrk, ... by their POSIX names, and the machine's own gcc -m32
# compiles it with forklab's headers (libc/include) in front of newlib's, so newlib's
# code sees DragonFly's errno numbers, signals, O_ flags and struct layouts. The
# system calls (libc/src) are ours. Nothing depends on time or on the build directory
# (deterministic ar, no debug info, no .comment), so the committed files can be
# checked against a rebuild (test/cc/libc-build.test.ts) when the same gcc, binutils
# and newlib are used; those are recorded in libc/toolchain.txt.
#
#   scripts/build-libc.sh [OUTDIR]     (default: libc/, in place)
#
# NEWLIB_BUILD=DIR keeps newlib's build in DIR and reuses it when it is there (for work
# on libc/src or libc/include: remove DIR after changing a header newlib uses).
#
# Needs: gcc with gcc-multilib (gcc -m32), binutils, make, xz-utils, and Debian's
# newlib-source (/usr/src/newlib/newlib-*.tar.xz; NEWLIB_TARBALL= overrides).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out="${1:-$root/libc}"
CC="${CC:-gcc}"
tarball="${NEWLIB_TARBALL:-$(ls /usr/src/newlib/newlib-*.tar.xz 2>/dev/null | head -n 1)}"
[ -n "$tarball" ] && [ -f "$tarball" ] || { echo "build-libc: newlib's source is missing: apt-get install newlib-source" >&2; exit 1; }
echo 'int x;' | $CC -m32 -c -x c -o /dev/null - 2>/dev/null || { echo "build-libc: $CC -m32 cannot compile: apt-get install gcc-multilib" >&2; exit 1; }
jobs="${JOBS:-2}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
gccinc=$($CC -m32 -print-file-name=include)
overlay="$root/libc/include"
nlb="${NEWLIB_BUILD:-$tmp/nl}"

# The compiler newlib and libc/src are built with. -U__linux__: the host compiler says
# Linux, which newlib's headers would act on; DragonFly's compiler says __DragonFly__.
# The prefix maps keep build paths out of the objects.
target_cc="$CC -m32 -march=i386 -nostdinc -isystem $gccinc -I$overlay -U__linux__ -U__linux -Ulinux -U__gnu_linux__ -D__DragonFly__=1 -ffile-prefix-map=$nlb/=. -ffile-prefix-map=$root/=."
target_cflags="-O2 -g0 -fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables -DSIGNAL_PROVIDED -DHAVE_FCNTL -DHAVE_BLKSIZE"

if [ ! -f "$nlb/build/i386-elf/newlib/libm.a" ] || [ ! -d "$nlb/inst/i386-elf/include" ]; then
echo "build-libc: newlib from $tarball"
rm -rf "$nlb"
mkdir -p "$nlb/src" "$nlb/build" "$nlb/inst"
xz -dc "$tarball" | tar -x -C "$nlb/src"
src=$(ls -d "$nlb"/src/*/ | head -n 1)
cd "$nlb/build"
"${src}configure" --target=i386-elf --prefix="$nlb/inst" \
  --disable-multilib --disable-libgloss --disable-nls \
  --disable-newlib-supplied-syscalls --disable-newlib-multithread \
  --enable-newlib-long-time_t --enable-newlib-io-long-long --enable-newlib-io-c99-formats \
  CC_FOR_TARGET="$target_cc" CFLAGS_FOR_TARGET="$target_cflags" \
  AR_FOR_TARGET=ar RANLIB_FOR_TARGET=ranlib AS_FOR_TARGET="as --32" \
  LD_FOR_TARGET="ld -m elf_i386" NM_FOR_TARGET=nm > "$tmp/configure.log" 2>&1 \
  || { tail -n 30 "$tmp/configure.log" >&2; exit 1; }
make -j"$jobs" all-target-newlib > "$tmp/make.log" 2>&1 || { grep -B2 -A8 -m3 'error' "$tmp/make.log" >&2; exit 1; }
make install-target-newlib > "$tmp/install.log" 2>&1 || { tail -n 30 "$tmp/install.log" >&2; exit 1; }
fi
nl="$nlb/build/i386-elf/newlib"

echo "build-libc: the system call layer (libc/src)"
mkdir "$tmp/own"
cd "$root/libc/src"
for f in *.c *.S; do
  $target_cc -isystem "$nlb/inst/i386-elf/include" $target_cflags -std=gnu11 -Wall -Werror -c -o "$tmp/own/${f%.*}.o" "$f"
done

# An archive with newlib's members in their order, minus those that define a symbol of
# ours (newlib's raise, clock, setjmp: ours follow DragonFly), then ours, sorted.
# Members are stripped of debug info and .comment.
pack() { # pack OUT.a NEWLIB.a [OWN.o...]
  a="$1"; lib="$2"; shift 2
  d="$tmp/pack-$(basename "$a")"
  mkdir "$d"
  (cd "$d" && ar x "$lib")
  own_syms=""
  for o in "$@"; do own_syms="$own_syms $(nm -g --defined-only "$o" | awk '{print $3}' | tr '\n' ' ')"; done
  members=""
  for m in $(ar t "$lib"); do
    drop=""
    for s in $(nm -g --defined-only "$d/$m" | awk '{print $3}'); do
      case " $own_syms " in *" $s "*) drop="$s";; esac
    done
    if [ -n "$drop" ]; then echo "build-libc:   newlib's $m left out (ours defines $drop)"; continue; fi
    members="$members $d/$m"
  done
  for o in "$@"; do cp "$o" "$d/forklab-$(basename "$o")"; members="$members $d/forklab-$(basename "$o")"; done
  for m in $members; do objcopy --strip-debug -R .comment "$m"; done
  rm -f "$a"
  ar rcsD "$a" $members
}

mkdir -p "$out/lib"
own_objs=$(ls "$tmp"/own/*.o | grep -v '/crt1\.o$' | LC_ALL=C sort)
pack "$tmp/libc.a" "$nl/libc.a" $own_objs
pack "$tmp/libm.a" "$nl/libm.a"
objcopy --strip-debug -R .comment "$tmp/own/crt1.o"
cp "$tmp/libc.a" "$tmp/libm.a" "$tmp/own/crt1.o" "$out/lib/"

# newlib's installed headers (ours in libc/include come before them).
rm -rf "$out/newlib-include"
cp -R "$nlb/inst/i386-elf/include" "$out/newlib-include"
find "$out/newlib-include" -type f -exec chmod 644 {} +

if [ "$#" -eq 0 ]; then
  { $CC --version | head -n 1; ld --version | head -n 1; echo "newlib $(basename "$tarball") sha256 $(sha256sum "$tarball" | cut -d' ' -f1)"; } > "$root/libc/toolchain.txt"
fi
ls -l "$out/lib"
