// The x87 FPU (docs/x86.md, "x87"): the eight registers as IEEE doubles, a stack top, tags,
// control and status words, kept in the thread's pcb_save (the FNSAVE area) so that cpu_fork
// copies them with the pcb. Layout of the save area at F:
//    0 control word   4 status word (TOP in bits 11-13)   8 tag word (2 bits per physical
//    register: 00 valid, 11 empty; FNSAVE/FNSTENV compute the zero/special tags)
//   12..27 the rest of the FNSAVE environment (zero: no instruction/operand pointers)
//   28..107 unused (FNSAVE's 80-bit register image)   112..175 physical registers 0..7, f64
// Registers are doubles, which is what DragonFly's default control word (0x127F:
// precision control 53 bits) makes of x87 arithmetic anyway; docs/x86.md lists exactly what
// differs from the 80-bit hardware. Exceptions are always handled as masked (their flags
// are set in the status word, nothing traps).
import { ld16, ld32, st16, st32, fill, ldf64, stf64, ldf32, stf32, f2i } from "./mem";
import { K, C_RUN_BASE } from "./state";
import { PSL_C, PSL_PF, PSL_AF, PSL_Z, PSL_N, PSL_V } from "./i386";
import { STOP_FAULT, STOP_ILLEGAL, RUN_FPU, RUN_FL, RUN_REGS, RUN_SCRATCH } from "./x86_defs";
import { xl, wr32 } from "./x86_mem";

const F_CW: i32 = 0;
const F_SW: i32 = 4;
const F_TW: i32 = 8;
const F_REGS: i32 = 112;

// Status word bits.
const IE: i32 = 0x1;
const ZE: i32 = 0x4;
const SF: i32 = 0x40;
const C0: i32 = 0x100;
const C1: i32 = 0x200;
const C2: i32 = 0x400;
const C3: i32 = 0x4000;
const CC: i32 = C0 | C1 | C2 | C3;

const TWO32: f64 = 4294967296.0;

/** npxinit: the state a new image starts with (control word __INITIAL_NPXCW__, empty stack). */
export function fpuInit(F: i32): void {
  fill(F, 0, 176);
  st32(F + F_CW, 0x127F);
  st32(F + F_TW, 0xFFFF);
}

/** fninit: control word 0x037F, status 0, every register empty. */
function fninit(F: i32): void {
  fill(F, 0, 28);
  st32(F + F_CW, 0x37F);
  st32(F + F_TW, 0xFFFF);
}

// ---------------------------------------------------------------- the stack

function top(F: i32): i32 { return (ld32(F + F_SW) >>> 11) & 7; }
function setTop(F: i32, t: i32): void { st32(F + F_SW, (ld32(F + F_SW) & ~0x3800) | (t << 11)); }
function empty(F: i32, p: i32): bool { return ((ld32(F + F_TW) >>> (p << 1)) & 3) == 3; }
function setTag(F: i32, p: i32, t: i32): void {
  st32(F + F_TW, (ld32(F + F_TW) & ~(3 << (p << 1))) | (t << (p << 1)));
}
function swSet(F: i32, bits: i32): void { st32(F + F_SW, ld32(F + F_SW) | bits); }
/** Sets the condition codes C3 C2 C1 C0 to cc (other bits of cc ignored). */
function swCC(F: i32, cc: i32): void { st32(F + F_SW, (ld32(F + F_SW) & ~CC) | (cc & CC)); }

/** ST(i); an empty register is a stack underflow (IE, SF, C1 = 0) and reads as NaN. */
function st(F: i32, i: i32): f64 {
  const p = (top(F) + i) & 7;
  if (empty(F, p)) {
    st32(F + F_SW, (ld32(F + F_SW) & ~C1) | IE | SF);
    return NaN;
  }
  return ldf64(F + F_REGS + (p << 3));
}
function isEmpty(F: i32, i: i32): bool { return empty(F, (top(F) + i) & 7); }
function setSt(F: i32, i: i32, v: f64): void {
  const p = (top(F) + i) & 7;
  stf64(F + F_REGS + (p << 3), v);
  setTag(F, p, 0);
}
/** Pushes v; a full slot is a stack overflow (IE, SF, C1) and the value pushed is NaN. */
function push(F: i32, v: f64): void {
  const t = (top(F) - 1) & 7;
  if (!empty(F, t)) {
    swSet(F, IE | SF | C1);
    v = NaN;
  }
  setTop(F, t);
  stf64(F + F_REGS + (t << 3), v);
  setTag(F, t, 0);
}
function pop(F: i32): void {
  const t = top(F);
  setTag(F, t, 3);
  setTop(F, (t + 1) & 7);
}

// ---------------------------------------------------------------- numbers

function nan(x: f64): bool { return x != x; }

/** Rounds x to an integer by the control word's rounding control. */
function roundRC(F: i32, x: f64): f64 {
  if (nan(x) || x - x != 0) return x; // NaN, infinities
  switch ((ld32(F + F_CW) >>> 10) & 3) {
    case 1: return Math.floor(x);
    case 2: return Math.ceil(x);
    case 3: return Math.trunc(x);
    default: return rint(x);
  }
}

/** Round half to even (a negative x that rounds to 0 gives -0, as hardware). */
function rint(x: f64): f64 {
  const f = Math.floor(x);
  const d = x - f;
  let r = f;
  if (d > 0.5) r = f + 1.0;
  else if (d == 0.5) r = f * 0.5 == Math.floor(f * 0.5) ? f : f + 1.0;
  return r == 0 && x < 0 ? -0.0 : r;
}

/** 2^k for -1022 <= k <= 1023, built from its bits. */
function pow2(k: i32): f64 {
  const s = K + C_RUN_BASE + RUN_SCRATCH;
  st32(s, 0);
  st32(s + 4, (k + 1023) << 20);
  return ldf64(s);
}
/** x * 2^k for any k (in steps that stay exact until the last). */
function scale(x: f64, k: i32): f64 {
  while (k > 1000) { x = x * pow2(1000); k -= 1000; }
  while (k < -1000) { x = x * pow2(-1000); k += 1000; }
  return x * pow2(k);
}

/** The signed 64-bit integer lo + hi * 2^32 as a double (rounded once). */
function i64f(lo: i32, hi: i32): f64 {
  return <f64>hi * TWO32 + (<f64>lo + (lo < 0 ? TWO32 : 0.0));
}

/** The 80-bit extended number at p (from xl) as a double, rounded to nearest. */
function ld80(p: i32): f64 {
  const lo = ld32(p);
  const hi = ld32(p + 4);
  const se = ld16(p + 8);
  const e = se & 0x7FFF;
  const neg = (se & 0x8000) != 0;
  let v: f64 = 0;
  if (e == 0x7FFF) {
    v = (hi & 0x7FFFFFFF) == 0 && lo == 0 ? Infinity : NaN;
  } else if (hi != 0 || lo != 0) {
    const m = (<f64>hi + (hi < 0 ? TWO32 : 0.0)) * TWO32 + (<f64>lo + (lo < 0 ? TWO32 : 0.0));
    v = scale(m, (e == 0 ? 1 : e) - 16383 - 63);
  }
  return neg ? -v : v;
}

/** Stores x as an 80-bit extended number at p (10 bytes; exact). */
function st80(p: i32, x: f64): void {
  const s = K + C_RUN_BASE + RUN_SCRATCH;
  stf64(s, x);
  let lo = ld32(s);
  let hi = ld32(s + 4);
  const sign = hi & (1 << 31);
  const e11 = (hi >>> 20) & 0x7FF;
  let frac = hi & 0xFFFFF;
  let e = 0;
  let mhi = 0;
  let mlo = 0;
  if (e11 == 0x7FF) {
    e = 0x7FFF;
    mhi = (1 << 31) | (frac << 11) | (lo >>> 21);
    mlo = lo << 11;
  } else if (e11 == 0) {
    if (frac != 0 || lo != 0) { // a double denormal is normal in 80 bits
      e = 1 - 1023 + 16383;
      while ((frac & 0x100000) == 0) {
        frac = (frac << 1) | (lo >>> 31);
        lo = lo << 1;
        e--;
      }
      mhi = (1 << 31) | ((frac & 0xFFFFF) << 11) | (lo >>> 21);
      mlo = lo << 11;
    }
  } else {
    e = e11 - 1023 + 16383;
    mhi = (1 << 31) | (frac << 11) | (lo >>> 21);
    mlo = lo << 11;
  }
  st32(p, mlo);
  st32(p + 4, mhi);
  st16(p + 8, e | (sign >>> 16));
}

// ---------------------------------------------------------------- the instructions

/** The arithmetic op k (0 add, 1 mul, 4 sub, 5 subr, 6 div, 7 div) of a (the destination) and b. */
function arith(F: i32, k: i32, a: f64, b: f64): f64 {
  switch (k) {
    case 0: if (a - a != 0 || b - b != 0) invalidIf(F, a + b); return a + b;
    case 1: invalidIf(F, a * b); return a * b;
    case 4: invalidIf(F, a - b); return a - b;
    case 5: invalidIf(F, b - a); return b - a;
    case 6: return divide(F, a, b);
    default: return divide(F, b, a);
  }
}
/** IE when an operation made a NaN from operands that were not NaN (inf - inf, 0 * inf, ...). */
function invalidIf(F: i32, r: f64): void { if (nan(r)) swSet(F, IE); }
function divide(F: i32, a: f64, b: f64): f64 {
  const r = a / b;
  if (nan(r) && !nan(a) && !nan(b)) swSet(F, IE);
  else if (b == 0 && a == a && a - a == 0 && a != 0) swSet(F, ZE);
  return r;
}

/** fcom: C3 C2 C0 = 000 (>), 001 (<), 100 (=), 111 (unordered; IE for fcom, not fucom). */
function compare(F: i32, a: f64, b: f64, unordered: bool): void {
  if (nan(a) || nan(b)) {
    if (!unordered) swSet(F, IE);
    swCC(F, C3 | C2 | C0);
  } else swCC(F, a > b ? 0 : a < b ? C0 : C3);
}
/** fcomi: ZF PF CF in eflags as fcom sets C3 C2 C0; OF SF AF cleared. */
function compareI(F: i32, a: f64, b: f64, unordered: bool): void {
  const fp = K + C_RUN_BASE + RUN_FL;
  let f = ld32(fp) & ~(PSL_C | PSL_PF | PSL_AF | PSL_Z | PSL_N | PSL_V);
  if (nan(a) || nan(b)) {
    if (!unordered) swSet(F, IE);
    f = f | PSL_Z | PSL_PF | PSL_C;
  } else if (a < b) f = f | PSL_C;
  else if (a == b) f = f | PSL_Z;
  st32(fp, f);
  st32(F + F_SW, ld32(F + F_SW) & ~C1);
}

/** fist: x rounded by RC as a signed integer of s bytes; out of range or NaN is the indefinite. */
function fist(F: i32, p: i32, x: f64, s: i32): void {
  const r = roundRC(F, x);
  if (s == 8) {
    if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0)) {
      swSet(F, IE);
      st32(p, 0);
      st32(p + 4, 1 << 31);
      return;
    }
    const hi = Math.floor(r / TWO32);
    const lo = r - hi * TWO32;
    st32(p, lo >= 2147483648.0 ? f2i(lo - TWO32) : f2i(lo));
    st32(p + 4, f2i(hi));
    return;
  }
  const lim: f64 = s == 4 ? 2147483648.0 : 32768.0;
  let v = 0;
  if (r >= -lim && r < lim) v = f2i(r);
  else {
    swSet(F, IE);
    v = s == 4 ? 1 << 31 : 0x8000;
  }
  if (s == 4) st32(p, v); else st16(p, v);
}

/** The memory operand of a D8-DF instruction as a double: m32real, m32int, m64real, m16int. */
function loadM(o: i32, q: i32): f64 {
  switch (o) {
    case 0xD8: case 0xD9: return ldf32(q);
    case 0xDA: case 0xDB: return <f64>ld32(q);
    case 0xDC: case 0xDD: return ldf64(q);
    default: return <f64>((ld16(q) << 16) >> 16);
  }
}

/**
 * An x87 instruction: o is D8..DF (9B, fwait, is a no-op: exceptions never trap), with the
 * ModRM fields and effective address. 0, or a stop with nothing changed.
 */
export function x87Op(o: i32, mod: i32, reg: i32, rm: i32, ea: i32): i32 {
  if (o == 0x9B) return 0;
  const F = ld32(K + C_RUN_BASE + RUN_FPU);
  if (mod != 3) return x87Mem(F, o, reg, ea);
  switch (o) {
    case 0xD8: { // st0 = st0 op st(i); fcom fcomp
      const a = st(F, 0);
      const b = st(F, rm);
      if (reg == 2 || reg == 3) { compare(F, a, b, false); if (reg == 3) pop(F); return 0; }
      setSt(F, 0, arith(F, reg, a, b));
      return 0;
    }
    case 0xDC: case 0xDE: { // st(i) = st(i) op st0 (sub/subr, div/divr swapped); DE pops
      if (reg == 2 || reg == 3) { // DC D0 D8, DE D0: the aliases of fcom, fcomp, fcomp; DE D9: fcompp
        if (o == 0xDE && reg == 3 && rm != 1) return STOP_ILLEGAL;
        compare(F, st(F, 0), st(F, rm), false);
        if (o == 0xDE || reg == 3) pop(F);
        if (o == 0xDE && reg == 3) pop(F);
        return 0;
      }
      const k = reg >= 4 ? reg ^ 1 : reg;
      setSt(F, rm, arith(F, k, st(F, rm), st(F, 0)));
      if (o == 0xDE) pop(F);
      return 0;
    }
    case 0xD9: return x87D9(F, reg, rm);
    case 0xDA: case 0xDB: {
      if (reg < 4) { // fcmovcc st0, st(i)
        const f = ld32(K + C_RUN_BASE + RUN_FL);
        let t = false;
        if (reg == 0) t = (f & PSL_C) != 0;
        else if (reg == 1) t = (f & PSL_Z) != 0;
        else if (reg == 2) t = (f & (PSL_C | PSL_Z)) != 0;
        else t = (f & PSL_PF) != 0;
        if (o == 0xDB) t = !t;
        const v = st(F, rm);
        if (t) setSt(F, 0, v);
        return 0;
      }
      if (o == 0xDA) {
        if (reg == 5 && rm == 1) { compare(F, st(F, 0), st(F, 1), true); pop(F); pop(F); return 0; } // fucompp
        return STOP_ILLEGAL;
      }
      if (reg == 4) {
        if (rm == 2) { st32(F + F_SW, ld32(F + F_SW) & 0x7F00); return 0; } // fnclex
        if (rm == 3) { fninit(F); return 0; }
        if (rm == 0 || rm == 1 || rm == 4) return 0; // feni fdisi fsetpm: no-ops since the 387
        return STOP_ILLEGAL;
      }
      if (reg == 5 || reg == 6) { compareI(F, st(F, 0), st(F, rm), reg == 5); return 0; } // fucomi fcomi
      return STOP_ILLEGAL;
    }
    case 0xDD:
      switch (reg) {
        case 0: setTag(F, (top(F) + rm) & 7, 3); return 0; // ffree
        case 1: return fxch(F, rm);
        case 2: case 3: { setSt(F, rm, st(F, 0)); if (reg == 3) pop(F); return 0; } // fst fstp st(i)
        case 4: case 5: { compare(F, st(F, 0), st(F, rm), true); if (reg == 5) pop(F); return 0; } // fucom(p)
        default: return STOP_ILLEGAL;
      }
    default: // DF
      switch (reg) {
        case 0: setTag(F, (top(F) + rm) & 7, 3); pop(F); return 0; // ffreep
        case 1: return fxch(F, rm);
        case 2: case 3: { setSt(F, rm, st(F, 0)); pop(F); return 0; }
        case 4:
          if (rm != 0) return STOP_ILLEGAL;
          st16(K + C_RUN_BASE + RUN_REGS, ld32(F + F_SW)); // fnstsw ax
          return 0;
        case 5: case 6: { compareI(F, st(F, 0), st(F, rm), reg == 5); pop(F); return 0; } // fucomip fcomip
        default: return STOP_ILLEGAL;
      }
  }
}

function fxch(F: i32, i: i32): i32 {
  const a = st(F, 0);
  const b = st(F, i);
  setSt(F, 0, b);
  setSt(F, i, a);
  st32(F + F_SW, ld32(F + F_SW) & ~C1);
  return 0;
}

/** D9 with a register operand: fld st(i), fxch, fnop, fstp1, and the constant and function group. */
function x87D9(F: i32, reg: i32, rm: i32): i32 {
  switch (reg) {
    case 0: push(F, st(F, rm)); return 0;
    case 1: return fxch(F, rm);
    case 2: return rm == 0 ? 0 : STOP_ILLEGAL; // fnop
    case 3: setSt(F, rm, st(F, 0)); pop(F); return 0; // fstp1, the undocumented alias
    case 4: {
      const a = st(F, 0);
      switch (rm) {
        case 0: setSt(F, 0, -a); return 0; // fchs
        case 1: setSt(F, 0, Math.abs(a)); return 0; // fabs
        case 4: compare(F, a, 0.0, false); return 0; // ftst
        case 5: { // fxam: C1 = sign; C3 C2 C0 = the class (no denormals: 80-bit normals)
          let sign = 0;
          if (!isEmpty(F, 0)) {
            const s = K + C_RUN_BASE + RUN_SCRATCH;
            stf64(s, a);
            sign = ld32(s + 4) < 0 ? C1 : 0;
          }
          let c = 0;
          if (isEmpty(F, 0)) c = C3 | C0;
          else if (nan(a)) c = C0;
          else if (a - a != 0) c = C2 | C0;
          else if (a == 0) c = C3;
          else c = C2;
          swCC(F, c | sign);
          return 0;
        }
        default: return STOP_ILLEGAL;
      }
    }
    case 5: {
      let v: f64 = 0;
      switch (rm) {
        case 0: v = 1.0; break;
        case 1: v = 3.321928094887362; break;   // log2(10)
        case 2: v = 1.4426950408889634; break;  // log2(e)
        case 3: v = 3.141592653589793; break;   // pi
        case 4: v = 0.3010299956639812; break;  // log10(2)
        case 5: v = 0.6931471805599453; break;  // ln(2)
        case 6: v = 0.0; break;
        default: return STOP_ILLEGAL;
      }
      push(F, v);
      return 0;
    }
    case 6: {
      switch (rm) {
        case 0: { const a = st(F, 0); setSt(F, 0, Math.expm1(a * 0.6931471805599453)); return 0; } // f2xm1
        case 1: { // fyl2x: st1 = st1 * log2(st0), pop
          const a = st(F, 0);
          const b = st(F, 1);
          if (a < 0) swSet(F, IE); else if (a == 0) swSet(F, ZE);
          setSt(F, 1, b * Math.log2(a));
          pop(F);
          return 0;
        }
        case 2: { // fptan: st0 = tan(st0), push 1
          const a = st(F, 0);
          if (Math.abs(a) >= 9223372036854775808.0) { swCC(F, C2); return 0; }
          setSt(F, 0, Math.tan(a));
          push(F, 1.0);
          swCC(F, ld32(F + F_SW) & C1);
          return 0;
        }
        case 3: { // fpatan: st1 = atan2(st1, st0), pop
          const a = st(F, 0);
          setSt(F, 1, Math.atan2(st(F, 1), a));
          pop(F);
          return 0;
        }
        case 4: { // fxtract: st0 = exponent, push significand
          const a = st(F, 0);
          if (a == 0) {
            swSet(F, ZE);
            setSt(F, 0, -Infinity);
            push(F, a);
            return 0;
          }
          if (nan(a) || a - a != 0) { setSt(F, 0, Math.abs(a)); push(F, a); return 0; }
          const s = K + C_RUN_BASE + RUN_SCRATCH;
          stf64(s, a);
          let e = ((ld32(s + 4) >>> 20) & 0x7FF) - 1023;
          if (e == -1023) { // a double denormal: normalize
            stf64(s, a * pow2(64));
            e = ((ld32(s + 4) >>> 20) & 0x7FF) - 1023 - 64;
          }
          setSt(F, 0, <f64>e);
          push(F, scale(a, -e));
          return 0;
        }
        case 5: return fprem(F, true);
        case 6: setTop(F, (top(F) - 1) & 7); st32(F + F_SW, ld32(F + F_SW) & ~C1); return 0; // fdecstp
        default: setTop(F, (top(F) + 1) & 7); st32(F + F_SW, ld32(F + F_SW) & ~C1); return 0; // fincstp
      }
    }
    default: {
      const a = st(F, 0);
      switch (rm) {
        case 0: return fprem(F, false);
        case 1: { // fyl2xp1: st1 = st1 * log2(st0 + 1), pop
          setSt(F, 1, st(F, 1) * (Math.log1p(a) * 1.4426950408889634));
          pop(F);
          return 0;
        }
        case 2: if (a < 0) swSet(F, IE); setSt(F, 0, Math.sqrt(a)); return 0; // fsqrt
        case 3: { // fsincos: st0 = sin, then push cos
          if (Math.abs(a) >= 9223372036854775808.0) { swCC(F, C2); return 0; }
          setSt(F, 0, Math.sin(a));
          push(F, Math.cos(a));
          swCC(F, ld32(F + F_SW) & C1);
          return 0;
        }
        case 4: setSt(F, 0, roundRC(F, a)); return 0; // frndint
        case 5: { // fscale: st0 * 2^trunc(st1)
          const b = Math.trunc(st(F, 1));
          let v: f64 = 0;
          if (nan(b) || nan(a)) v = a + b;
          else if (b > 100000) v = a == 0 ? a : a * Infinity;
          else if (b < -100000) v = a * 0.0;
          else v = scale(a, f2i(b));
          setSt(F, 0, v);
          return 0;
        }
        default: { // fsin, fcos: C2 = 1 (and st0 unchanged) for |x| >= 2^63
          if (Math.abs(a) >= 9223372036854775808.0) { swCC(F, C2); return 0; }
          setSt(F, 0, rm == 6 ? Math.sin(a) : Math.cos(a));
          swCC(F, 0);
          return 0;
        }
      }
    }
  }
}

/**
 * fprem (truncating) / fprem1 (IEEE, round to nearest): the exact remainder of st0 by st1
 * in one step (C2 = 0, the reduction always completes); C0 C3 C1 = quotient bits 2 1 0.
 */
function fprem(F: i32, ieee: bool): i32 {
  const a = st(F, 0);
  const b = st(F, 1);
  if (nan(a) || nan(b) || a - a != 0 || b == 0) {
    if (!nan(a) && !nan(b)) swSet(F, IE);
    setSt(F, 0, NaN);
    swCC(F, 0);
    return 0;
  }
  if (b - b != 0) { swCC(F, 0); return 0; } // x rem inf = x
  let r = a % b; // fmod: exact
  const ab = Math.abs(b);
  let q = Math.trunc((a - r) / b);
  if (ieee) {
    const ar = Math.abs(r);
    const half = ab - ar; // exact (Sterbenz) when ar > ab / 2
    if (ar > half || (ar == half && Math.abs(q % 2) == 1)) {
      r = a < 0 ? r + ab : r - ab;
      q = q + ((a < 0) != (b < 0) ? -1.0 : 1.0);
    }
    if (r == 0) r = a < 0 ? -0.0 : 0.0;
  }
  const qa = Math.abs(q);
  const low = f2i(qa - Math.floor(qa / 8) * 8);
  setSt(F, 0, r);
  swCC(F, ((low & 4) != 0 ? C0 : 0) | ((low & 2) != 0 ? C3 : 0) | ((low & 1) != 0 ? C1 : 0));
  return 0;
}

/** A D8-DF instruction with a memory operand. */
function x87Mem(F: i32, o: i32, reg: i32, ea: i32): i32 {
  // the arithmetic groups: D8 (m32real) DA (m32int) DC (m64real) DE (m16int)
  if ((o & 1) == 0) {
    const q = xl(ea, o == 0xDC ? 8 : o == 0xDE ? 2 : 4, 0);
    if (q == 0) return STOP_FAULT;
    const b = loadM(o, q);
    const a = st(F, 0);
    if (reg == 2 || reg == 3) { compare(F, a, b, false); if (reg == 3) pop(F); return 0; }
    setSt(F, 0, arith(F, reg, a, b));
    return 0;
  }
  switch ((o << 4) | reg) {
    case 0xD90: case 0xDB0: case 0xDD0: case 0xDF0: { // fld m32real, fild m32, fld m64real, fild m16
      const q = xl(ea, o == 0xDD ? 8 : o == 0xDF ? 2 : 4, 0);
      if (q == 0) return STOP_FAULT;
      push(F, loadM(o == 0xD9 ? 0xD8 : o == 0xDB ? 0xDA : o == 0xDD ? 0xDC : 0xDE, q));
      return 0;
    }
    case 0xDF5: { // fild m64
      const q = xl(ea, 8, 0);
      if (q == 0) return STOP_FAULT;
      push(F, i64f(ld32(q), ld32(q + 4)));
      return 0;
    }
    case 0xDB5: { // fld m80
      const q = xl(ea, 10, 0);
      if (q == 0) return STOP_FAULT;
      push(F, ld80(q));
      return 0;
    }
    case 0xD92: case 0xD93: case 0xDD2: case 0xDD3: { // fst(p) m32real, m64real
      const p = xl(ea, o == 0xD9 ? 4 : 8, 1);
      if (p == 0) return STOP_FAULT;
      const v = st(F, 0);
      if (o == 0xD9) stf32(p, v); else stf64(p, v);
      finish(p);
      if ((reg & 1) != 0) pop(F);
      return 0;
    }
    case 0xDB7: { // fstp m80
      const p = xl(ea, 10, 1);
      if (p == 0) return STOP_FAULT;
      st80(p, st(F, 0));
      finish(p);
      pop(F);
      return 0;
    }
    case 0xDB2: case 0xDB3: case 0xDF2: case 0xDF3: case 0xDF7: { // fist(p) m32, m16; fistp m64
      const n = o == 0xDB ? 4 : reg == 7 ? 8 : 2;
      const p = xl(ea, n, 1);
      if (p == 0) return STOP_FAULT;
      fist(F, p, st(F, 0), n);
      finish(p);
      if (reg != 2) pop(F);
      return 0;
    }
    case 0xD95: { // fldcw
      const q = xl(ea, 2, 0);
      if (q == 0) return STOP_FAULT;
      st32(F + F_CW, ld16(q) | 0x40); // bit 6 reads as 1
      return 0;
    }
    case 0xD97: case 0xDD7: { // fnstcw, fnstsw m16
      const p = xl(ea, 2, 1);
      if (p == 0) return STOP_FAULT;
      st16(p, ld32(F + (reg == 7 && o == 0xD9 ? F_CW : F_SW)));
      finish(p);
      return 0;
    }
    case 0xD96: case 0xDD6: { // fnstenv (28 bytes), fnsave (108 bytes, then fninit)
      const n = o == 0xD9 ? 28 : 108;
      if (!span(ea, n, 1)) return STOP_FAULT;
      putEnv(F, ea);
      if (o == 0xDD) {
        for (let i = 0; i < 8; i++) {
          const p = xl((ea + 28 + i * 10) | 0, 10, 1);
          st80(p, ldf64(F + F_REGS + (((top(F) + i) & 7) << 3)));
          finish(p);
        }
        fninit(F);
      } else st32(F + F_CW, ld32(F + F_CW) | 0x3F); // fnstenv masks all exceptions
      return 0;
    }
    case 0xD94: case 0xDD4: { // fldenv, frstor
      const n = o == 0xD9 ? 28 : 108;
      if (!span(ea, n, 0)) return STOP_FAULT;
      st32(F + F_CW, ld16(xl(ea, 2, 0)) | 0x40);
      st32(F + F_SW, ld16(xl((ea + 4) | 0, 2, 0)));
      const tw = ld16(xl((ea + 8) | 0, 2, 0));
      let t = 0;
      for (let p = 0; p < 8; p++) t = t | (((tw >>> (p << 1)) & 3) == 3 ? 3 << (p << 1) : 0);
      st32(F + F_TW, t);
      if (o == 0xDD) {
        for (let i = 0; i < 8; i++) {
          stf64(F + F_REGS + (((top(F) + i) & 7) << 3), ld80(xl((ea + 28 + i * 10) | 0, 10, 0)));
        }
      }
      return 0;
    }
    default: return STOP_ILLEGAL; // fisttp (SSE3), fbld, fbstp, and the undefined slots
  }
}

/** Whether all n bytes at ea are accessible (the first and the last, since n < 4096). */
function span(ea: i32, n: i32, w: i32): bool {
  return xl(ea, 1, w) != 0 && xl((ea + n - 1) | 0, 1, w) != 0;
}

/** Finishes a write through xl (copies a straddling bounce buffer back). */
function finish(p: i32): void { wr32(p, ld32(p)); }

/** Writes the 28-byte protected-mode environment at ea (known accessible). */
function putEnv(F: i32, ea: i32): void {
  let tw = 0;
  for (let p = 0; p < 8; p++) {
    let t = 3;
    if (!empty(F, p)) {
      const v = ldf64(F + F_REGS + (p << 3));
      t = v == 0 ? 1 : nan(v) || v - v != 0 ? 2 : 0;
    }
    tw = tw | (t << (p << 1));
  }
  for (let i = 0; i < 7; i++) {
    let v = 0;
    if (i == 0) v = ld32(F + F_CW) | (0xFFFF << 16);
    else if (i == 1) v = ld32(F + F_SW) | (0xFFFF << 16);
    else if (i == 2) v = tw | (0xFFFF << 16);
    const p = xl((ea + (i << 2)) | 0, 4, 1);
    wr32(p, v);
  }
}
