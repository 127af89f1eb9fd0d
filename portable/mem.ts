// The portable build's linear memory: the same functions as assembly/mem.ts over an
// ArrayBuffer, so the core's sources run unchanged as plain JavaScript (WasmBoy's
// approach). Typed-array indexing is used for aligned words, DataView otherwise.

let buf = new ArrayBuffer(0);
let u8 = new Uint8Array(buf);
let i32v = new Int32Array(buf);
let dv = new DataView(buf);

function setBuffer(b: ArrayBuffer): void {
  buf = b;
  u8 = new Uint8Array(b);
  i32v = new Int32Array(b);
  dv = new DataView(b);
}

/** Host side: the current buffer (replaced on growth, like WebAssembly.Memory.buffer). */
export function memBuffer(): ArrayBuffer { return buf; }

export function ld8(p: number): number { return u8[p >>> 0]; }
export function ld16(p: number): number { return dv.getUint16(p >>> 0, true); }
export function ld32(p: number): number {
  return (p & 3) === 0 ? i32v[(p >>> 2)] : dv.getInt32(p >>> 0, true);
}
export function st8(p: number, v: number): void { u8[p >>> 0] = v; }
export function st16(p: number, v: number): void { dv.setUint16(p >>> 0, v, true); }
export function st32(p: number, v: number): void {
  if ((p & 3) === 0) i32v[p >>> 2] = v; else dv.setInt32(p >>> 0, v, true);
}
export function copy(dst: number, src: number, n: number): void {
  u8.copyWithin(dst >>> 0, src >>> 0, (src >>> 0) + (n >>> 0));
}
export function fill(dst: number, v: number, n: number): void {
  u8.fill(v, dst >>> 0, (dst >>> 0) + (n >>> 0));
}
/** assembly/mem.ts's zskip: the offset of the first non-zero 16-byte block at p, or n. */
export function zskip(p: number, n: number): number {
  const w = i32v, base = p >>> 2;
  let j = 0;
  // As in Wasm: 64 bytes per step while they last, then 16.
  for (; j + 64 <= n; j += 64) {
    const i = base + (j >>> 2);
    if ((w[i] | w[i + 1] | w[i + 2] | w[i + 3] | w[i + 4] | w[i + 5] | w[i + 6] | w[i + 7]
      | w[i + 8] | w[i + 9] | w[i + 10] | w[i + 11] | w[i + 12] | w[i + 13] | w[i + 14] | w[i + 15]) !== 0) break;
  }
  for (; j < n; j += 16) {
    const i = base + (j >>> 2);
    if ((w[i] | w[i + 1] | w[i + 2] | w[i + 3]) !== 0) return j;
  }
  return n;
}
export function ltu(a: number, b: number): boolean { return (a >>> 0) < (b >>> 0); }
export function leu(a: number, b: number): boolean { return (a >>> 0) <= (b >>> 0); }
export function divu(a: number, b: number): number { return (((a >>> 0) / (b >>> 0)) >>> 0) | 0; }
export function mul32(a: number, b: number): number { return Math.imul(a, b); }
export function memPages(): number { return buf.byteLength >>> 16; }
export function memGrow(pages: number): number {
  const old = buf.byteLength >>> 16;
  const next = new ArrayBuffer((old + pages) * 65536);
  new Uint8Array(next).set(u8);
  setBuffer(next);
  return old;
}
/** The portable build has no static data; keep the first page free like a null page. */
export function heapBase(): number { return 1024; }

setBuffer(new ArrayBuffer(65536));
export function ldf64(p: number): number { return dv.getFloat64(p >>> 0, true); }
export function stf64(p: number, v: number): void { dv.setFloat64(p >>> 0, v, true); }
export function ldf32(p: number): number { return dv.getFloat32(p >>> 0, true); }
export function stf32(p: number, v: number): void { dv.setFloat32(p >>> 0, v, true); }
export function f2i(v: number): number { return v | 0; }
