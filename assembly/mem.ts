// Raw linear-memory access for the Wasm build. The portable build (portable/mem.ts)
// provides the same functions over an ArrayBuffer, so every other file in assembly/
// compiles both ways. All addresses and words are i32: an address above 2 GiB is a
// negative i32 here and is reinterpreted as unsigned on access.

// @ts-ignore: decorator
@inline export function ld8(p: i32): i32 { return <i32>load<u8>(<usize>p); }
// @ts-ignore: decorator
@inline export function ld16(p: i32): i32 { return <i32>load<u16>(<usize>p); }
// @ts-ignore: decorator
@inline export function ld32(p: i32): i32 { return load<i32>(<usize>p); }
// @ts-ignore: decorator
@inline export function st8(p: i32, v: i32): void { store<u8>(<usize>p, <u8>v); }
// @ts-ignore: decorator
@inline export function st16(p: i32, v: i32): void { store<u16>(<usize>p, <u16>v); }
// @ts-ignore: decorator
@inline export function st32(p: i32, v: i32): void { store<i32>(<usize>p, v); }
// @ts-ignore: decorator
@inline export function copy(dst: i32, src: i32, n: i32): void { memory.copy(<usize>dst, <usize>src, <usize>n); }
// @ts-ignore: decorator
@inline export function fill(dst: i32, v: i32, n: i32): void { memory.fill(<usize>dst, <u8>v, <usize>n); }
/**
 * Skips all-zero 16-byte blocks: the offset j of the first block [p + j, p + j + 16) in
 * [0, n) that is not all zero, or n. n must be a multiple of 16. Page-table walks use it to
 * pass over the empty stretches of mostly empty directories and tables a few SIMD loads
 * at a time.
 */
export function zskip(p: i32, n: i32): i32 {
  let j = 0;
  // A build without SIMD (--disable simd, for runtimes that lack it, such as wasm2c
  // 1.0.32) reads words instead; the constant folds, so the SIMD build is unchanged.
  if (!ASC_FEATURE_SIMD) {
    while (j < n && (load<i32>(<usize>(p + j)) | load<i32>(<usize>(p + j), 4)
      | load<i32>(<usize>(p + j), 8) | load<i32>(<usize>(p + j), 12)) == 0) j += 16;
    return j;
  }
  // 64 bytes per step while they last, then 16.
  while (j + 64 <= n) {
    const a = <usize>(p + j);
    const v = v128.or(v128.or(v128.load(a), v128.load(a, 16)), v128.or(v128.load(a, 32), v128.load(a, 48)));
    if (v128.any_true(v)) break;
    j += 64;
  }
  while (j < n && !v128.any_true(v128.load(<usize>(p + j)))) j += 16;
  return j;
}
/** Unsigned a < b: addresses and PTEs above 2 GiB are negative as i32. */
// @ts-ignore: decorator
@inline export function ltu(a: i32, b: i32): bool { return <u32>a < <u32>b; }
// @ts-ignore: decorator
@inline export function leu(a: i32, b: i32): bool { return <u32>a <= <u32>b; }
/** Unsigned division, for sizes above 2 GiB. */
// @ts-ignore: decorator
@inline export function divu(a: i32, b: i32): i32 { return <i32>(<u32>a / <u32>b); }
/** 32-bit wrapping multiply (Math.imul in the portable build). */
// @ts-ignore: decorator
@inline export function mul32(a: i32, b: i32): i32 { return a * b; }
/** Linear memory size in 64 KiB pages. */
export function memPages(): i32 { return memory.size(); }
/** Grows linear memory by `pages` 64 KiB pages; -1 on failure. */
export function memGrow(pages: i32): i32 { return memory.grow(pages); }
/** First free byte after the module's static data. */
export function heapBase(): i32 { return <i32>__heap_base; }
// Floating point, for the x87 (x87.ts): doubles and floats in memory, and truncation of a
// double known to be in the i32 range.
// @ts-ignore: decorator
@inline export function ldf64(p: i32): f64 { return load<f64>(<usize>p); }
// @ts-ignore: decorator
@inline export function stf64(p: i32, v: f64): void { store<f64>(<usize>p, v); }
// @ts-ignore: decorator
@inline export function ldf32(p: i32): f64 { return <f64>load<f32>(<usize>p); }
// @ts-ignore: decorator
@inline export function stf32(p: i32, v: f64): void { store<f32>(<usize>p, <f32>v); }
// @ts-ignore: decorator
@inline export function f2i(v: f64): i32 { return <i32>v; }
