// User memory for the interpreter: the software TLB over the MMU walk, the bounce buffers
// for accesses that straddle two pages, and register-file addressing. Every operand is
// resolved to a linear address before anything changes, so a faulting instruction changes
// nothing (docs/x86.md, "Memory").
import { ld8, ld16, ld32, st8, st16, st32, copy, ltu } from "./mem";
import { K, PHYS, C_RUN_BASE } from "./state";
import { PGEX_U, PGEX_W } from "./i386";
import { pmap_walk } from "./pmap";
import { RUN_PD, RUN_TLB, RUN_RB, RUN_WB, RUN_WSEG } from "./x86_defs";


/** Fills the TLB entry for va's page for a read (w 0) or write (w 1): linear page, or 0 on a fault. */
function tlbFill(va: i32, w: i32): i32 {
  const run = K + C_RUN_BASE;
  const pa = pmap_walk(ld32(run + RUN_PD), va, w != 0 ? PGEX_U | PGEX_W : PGEX_U);
  if (ltu(-9, pa)) return 0; // -8 | err: the fault is recorded
  const lin = (PHYS + (pa & ~0xFFF)) | 0;
  const e = run + RUN_TLB + (w << 5) + (((va >>> 12) & 3) << 3);
  st32(e, (va & ~0xFFF) | 1);
  st32(e + 4, lin);
  return lin;
}

/**
 * The linear address at which the n-byte (1, 2, 4) access at user va for a read (w 0) or
 * a write (w 1) can be done, or 0 after recording a page fault. An access that straddles
 * two pages gets a bounce buffer (holding the current bytes); a write through it must be
 * finished with wr32.
 */
export function xl(va: i32, n: i32, w: i32): i32 {
  const off = va & 0xFFF;
  const e = K + C_RUN_BASE + RUN_TLB + (w << 5) + (((va >>> 12) & 3) << 3);
  if (ld32(e) == ((va & ~0xFFF) | 1) && off <= 4096 - n) return (ld32(e + 4) + off) | 0;
  return xlSlow(va, n, w);
}

function xlSlow(va: i32, n: i32, w: i32): i32 {
  const off = va & 0xFFF;
  const l1 = tlbFill(va, w);
  if (l1 == 0) return 0;
  if (off <= 4096 - n) return (l1 + off) | 0;
  const va2 = ((va | 0xFFF) + 1) | 0;
  const l2 = tlbFill(va2, w);
  if (l2 == 0) return 0;
  const run = K + C_RUN_BASE;
  const n1 = 4096 - off;
  const buf = run + (w != 0 ? RUN_WB : RUN_RB);
  copy(buf, (l1 + off) | 0, n1);
  copy(buf + n1, l2, n - n1);
  if (w != 0) {
    st32(run + RUN_WSEG, (l1 + off) | 0);
    st32(run + RUN_WSEG + 4, n1);
    st32(run + RUN_WSEG + 8, l2);
    st32(run + RUN_WSEG + 12, n - n1);
  }
  return buf;
}

/** Stores a word at a linear address from xl (or a register), finishing a straddling write. */
export function wr32(p: i32, v: i32): void {
  st32(p, v);
  const run = K + C_RUN_BASE;
  if (p == run + RUN_WB) {
    copy(ld32(run + RUN_WSEG), p, ld32(run + RUN_WSEG + 4));
    copy(ld32(run + RUN_WSEG + 8), p + ld32(run + RUN_WSEG + 4), ld32(run + RUN_WSEG + 12));
  }
}

/** Linear address of 8-bit register r (al cl dl bl ah ch dh bh) in the register file at R. */
export function r8p(R: i32, r: i32): i32 { return R + ((r & 3) << 2) + (r >>> 2); }

/** Stores an s-byte (1, 2, 4) value at a linear address from xl or regp, finishing a straddling write. */
export function wrN(p: i32, v: i32, s: i32): void {
  if (s == 4) { wr32(p, v); return; }
  if (s == 1) { st8(p, v); return; }
  st16(p, v);
  const run = K + C_RUN_BASE;
  if (p == run + RUN_WB) {
    copy(ld32(run + RUN_WSEG), p, ld32(run + RUN_WSEG + 4));
    copy(ld32(run + RUN_WSEG + 8), p + ld32(run + RUN_WSEG + 4), ld32(run + RUN_WSEG + 12));
  }
}

/** Loads an s-byte value (zero-extended) from a linear address. */
export function ldN(p: i32, s: i32): i32 { return s == 4 ? ld32(p) : s == 1 ? ld8(p) : ld16(p); }

/** Linear address of register r of size s in the register file at R. */
export function regp(R: i32, r: i32, s: i32): i32 { return s == 1 ? r8p(R, r) : R + (r << 2); }

/** Empties the data TLB (8 entries of tag and address): stores, cheaper than a fill call. */
export function emptyTlb(run: i32): void {
  for (let i = 0; i < 64; i += 4) st32(run + RUN_TLB + i, 0);
}
