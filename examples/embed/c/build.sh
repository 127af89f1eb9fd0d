#!/bin/sh
# Builds the C example host into OUTDIR (default: build/embed-c): the core's embedding build
# without SIMD (wasm2c 1.0.32, Debian bookworm's wabt, cannot translate SIMD), translated to
# C by wasm2c, compiled with gcc against wasm2c's runtime and include/forklab_core.h.
# Needs: node (with the repository's npm install), wabt, gcc.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${1:-"$root/build/embed-c"}
mkdir -p "$out"
rt=/usr/share/wabt/wasm2c
cd "$root"
node node_modules/assemblyscript/bin/asc.js assembly/index.ts --config asconfig.json --target embed \
  --disable simd -o "$out/core.wasm"
wasm2c "$out/core.wasm" -n core -o "$out/core.c"
gcc -std=gnu11 -O1 -Wall -Wextra -Werror -I"$root/include" -I"$rt" -I"$out" -c "$here/host.c" -o "$out/host.o"
gcc -std=gnu11 -O1 -w -I"$rt" -I"$out" -c "$out/core.c" -o "$out/core.o"
gcc -std=gnu11 -O1 -w -I"$rt" -c "$rt/wasm-rt-impl.c" -o "$out/wasm-rt-impl.o"
gcc "$out/host.o" "$out/core.o" "$out/wasm-rt-impl.o" -lm -o "$out/host"
