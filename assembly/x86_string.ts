// String instructions: movs cmps stos lods scas (8, 16, 32 bits), alone or under rep /
// repe / repne, stepping esi/edi by the direction flag. A rep instruction runs one
// iteration at a time with ecx, esi and edi updated after each, so when an iteration
// faults (or the budget runs out) the instruction stops at its own eip with the registers
// describing the iterations done: running it again resumes it, as on hardware. Each
// iteration counts as one instruction retired (RUN_EXTRA carries the surplus to x86.ts).
// rep movs/stos going up take whole page-runs of elements at once, with the same result.
import { ld32, st16, st32, copy, fill, ltu, leu } from "./mem";
import { K, C_RUN_BASE } from "./state";
import { PSL_D, PSL_Z } from "./i386";
import { STOP_FAULT, STOP_HALT, RUN_REGS, RUN_FL, RUN_NIP, RUN_EXTRA, P_REP, P_REPNE } from "./x86_defs";
import { L_SUB, flagsN } from "./x86_flags";
import { xl, wrN, ldN } from "./x86_mem";
import { segBase, segUnusable } from "./x86_int";

/**
 * String opcode o (A4-A7, AA-AF) of operand size s (2 or 4 for the word forms) with
 * prefixes pfx, at eip (next: nip), with `left` instructions of budget: 0 or a stop.
 */
export function stringOp(o: i32, s: i32, pfx: i32, eip: i32, nip: i32, left: i32): i32 {
  const run = K + C_RUN_BASE;
  const R = run + RUN_REGS;
  const sz = (o & 1) == 0 ? 1 : s;
  const kind = o < 0xA8 ? (o - 0xA4) >>> 1 : (o - 0xA8) >>> 1; // movs cmps | stos lods scas
  const useSrc = o < 0xA8 || o >= 0xAC && o < 0xAE; // movs cmps lods read ds:esi
  if (useSrc && segUnusable(pfx)) return STOP_HALT;
  const base = useSrc ? segBase(pfx) : 0;
  let fl = ld32(run + RUN_FL);
  const d = (fl & PSL_D) != 0 ? -sz : sz;
  const rep = (pfx & (P_REP | P_REPNE)) != 0;
  let ecx = ld32(R + 4);
  let esi = ld32(R + 24);
  let edi = ld32(R + 28);
  let done = 0;
  let stop = 0;
  let more = 1;
  if (rep && ecx == 0) more = 0;
  // rep movs/stos going up: whole runs of elements within one page of each operand at once
  const bulk = rep && d > 0 && (kind == 0 && o < 0xA8 || o == 0xAA || o == 0xAB);
  while (more != 0) {
    if (bulk) {
      const sh = sz >>> 1; // log2 of 1, 2, 4
      let k = (4096 - (edi & 0xFFF)) >>> sh;
      if (o < 0xA8) { const k2 = (4096 - ((base + esi) & 0xFFF)) >>> sh; if (k2 < k) k = k2; }
      if (ltu(ecx, k)) k = ecx;
      if (left - done < k) k = left - done;
      if (k >= 2) {
        const p = xl(edi, sz, 1);
        const q = o < 0xA8 ? xl((base + esi) | 0, sz, 0) : 0;
        const n = k << sh;
        // (a copy onto itself a few bytes up replicates, as element by element: not in bulk)
        if (p != 0 && (o >= 0xA8 || (q != 0 && (leu((q + n) | 0, p) || leu((p + n) | 0, q))))) {
          if (o < 0xA8) copy(p, q, n);
          else if (sz == 1) fill(p, ld32(R), n);
          else for (let i = 0; i < n; i += sz) { if (sz == 4) st32(p + i, ld32(R)); else st16(p + i, ld32(R)); }
          done += k;
          ecx = (ecx - k) | 0;
          edi = (edi + n) | 0;
          if (o < 0xA8) esi = (esi + n) | 0;
          st32(R + 4, ecx);
          st32(R + 24, esi);
          st32(R + 28, edi);
          if (ecx == 0) break;
          if (done >= left) { nip = eip; break; }
          continue;
        }
      }
    }
    // one iteration: every access translated before anything changes
    if (o < 0xA8) {
      const q = xl((base + esi) | 0, sz, 0);
      if (q == 0) { stop = STOP_FAULT; break; }
      if (kind == 0) { // movs
        const v = ldN(q, sz);
        const p = xl(edi, sz, 1);
        if (p == 0) { stop = STOP_FAULT; break; }
        wrN(p, v, sz);
      } else { // cmps: [esi] - [edi]
        const a = ldN(q, sz);
        const q2 = xl(edi, sz, 0);
        if (q2 == 0) { stop = STOP_FAULT; break; }
        const b = ldN(q2, sz);
        fl = flagsN(fl, L_SUB, a, b, (a - b) & mask(sz), sz);
      }
      esi = (esi + d) | 0;
      edi = (edi + d) | 0;
    } else if (o < 0xAC) { // stos
      const p = xl(edi, sz, 1);
      if (p == 0) { stop = STOP_FAULT; break; }
      wrN(p, ld32(R), sz);
      edi = (edi + d) | 0;
    } else if (o < 0xAE) { // lods
      const q = xl((base + esi) | 0, sz, 0);
      if (q == 0) { stop = STOP_FAULT; break; }
      const v = ldN(q, sz);
      if (sz == 4) st32(R, v); else if (sz == 2) st32(R, (ld32(R) & ~0xFFFF) | v); else st32(R, (ld32(R) & ~0xFF) | v);
      esi = (esi + d) | 0;
    } else { // scas: acc - [edi]
      const q = xl(edi, sz, 0);
      if (q == 0) { stop = STOP_FAULT; break; }
      const a = ld32(R) & mask(sz);
      const b = ldN(q, sz);
      fl = flagsN(fl, L_SUB, a, b, (a - b) & mask(sz), sz);
      edi = (edi + d) | 0;
    }
    done++;
    if (!rep) break;
    ecx = (ecx - 1) | 0;
    st32(R + 4, ecx);
    st32(R + 24, esi);
    st32(R + 28, edi);
    if (ecx == 0) break;
    if (o == 0xA6 || o == 0xA7 || o >= 0xAE) { // repe / repne end on ZF
      const z = (fl & PSL_Z) != 0;
      if ((pfx & P_REP) != 0 ? !z : z) break;
    }
    if (done >= left) { nip = eip; break; } // the budget ran out: resume here
  }
  st32(R + 24, esi);
  st32(R + 28, edi);
  st32(run + RUN_FL, fl);
  if (stop != 0) {
    st32(run + RUN_EXTRA, done);
    return stop;
  }
  st32(run + RUN_EXTRA, done > 0 ? done - 1 : 0);
  st32(run + RUN_NIP, nip);
  return 0;
}

function mask(s: i32): i32 { return s == 4 ? -1 : s == 2 ? 0xFFFF : 0xFF; }
