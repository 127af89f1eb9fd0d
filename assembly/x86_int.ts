// The interpreter's slow path: every integer instruction the hot loop in x86.ts leaves
// out (16-bit forms under the 66 prefix, bit tests and scans, double shifts, rotates
// through carry, cmpxchg/xadd, cmov, flag and stack-frame instructions, cpuid, rdtsc,
// segment-register moves), plus the multiply and divide helpers both paths share. String
// instructions are in x86_string.ts, x87 in x87.ts.
//
// It also runs every instruction that comes with a prefix (decoded by decodePrefixed), so
// it covers the whole instruction set, the hot loop's included.
//
// Interface (x86.ts): the flags word is in the run area at RUN_FL, fully computed, and is
// written back there; the next eip goes to RUN_NIP (preset to the next instruction). The
// result is 0, or a stop reason; an instruction that stops changed nothing (int3 and
// int $0x80 retire).
import { ld8, ld16, ld32, st8, st16, st32, ltu, divu, mul32 } from "./mem";
import { K, C_RUN_BASE } from "./state";
import {
  PSL_C, PSL_PF, PSL_AF, PSL_Z, PSL_N, PSL_V, PSL_D, TF_ES, TF_CS, TF_SS, TF_DS, TF_FS, TF_GS, GSEL_UDATA,
} from "./i386";
import {
  STOP_SYSCALL, STOP_FAULT, STOP_HALT, STOP_ILLEGAL, STOP_DIVIDE, STOP_TRAP, RUN_REGS, RUN_FL, RUN_NIP,
  RUN_HI, RUN_TD, RUN_FS, RUN_GS, RUN_SEGBAD, RUN_COUNT, RUN_EXTRA, P_FS, P_GS,
  RUN_DOP, RUN_DPFX, RUN_DMOD, RUN_DREG, RUN_DRM, RUN_DEA, RUN_DBESP, RUN_DIMM,
} from "./x86_defs";
import { L_ADD, L_ADC, L_SUB, L_SBB, L_LOGIC, L_INC, L_DEC, L_NONE, flagsN, flagsMul, cond } from "./x86_flags";
import { xl, wrN, wr32, ldN, regp, r8p } from "./x86_mem";
import { stringOp } from "./x86_string";
import { x87Op } from "./x87";
import { decodePrefixed } from "./x86_decode";
import { tfLinear, tscLinear, threadSlot, T_TLS, T_TLS_SET } from "./cpu";

// ---------------------------------------------------------------- multiply, divide

/** Unsigned 32x32 -> 64 multiply: the low word; the high word goes to the run area. */
export function umul64(a: i32, b: i32): i32 {
  const al = a & 0xFFFF;
  const ah = a >>> 16;
  const bl = b & 0xFFFF;
  const bh = b >>> 16;
  const ll = mul32(al, bl);
  const lh = mul32(al, bh);
  const hl = mul32(ah, bl);
  const hh = mul32(ah, bh);
  const mid = (ll >>> 16) + (lh & 0xFFFF) + (hl & 0xFFFF);
  const hi = (hh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
  st32(K + C_RUN_BASE + RUN_HI, hi);
  return (ll & 0xFFFF) | (mid << 16);
}

/** Signed 32x32 -> 64 multiply: the low word; the high word goes to the run area. */
export function smul64(a: i32, b: i32): i32 {
  const lo = umul64(a, b);
  const p = K + C_RUN_BASE + RUN_HI;
  let hi = ld32(p);
  if (a < 0) hi = (hi - b) | 0;
  if (b < 0) hi = (hi - a) | 0;
  st32(p, hi);
  return lo;
}

/**
 * Unsigned 64/32 divide of hi:lo by d, with hi < d (unsigned) so the quotient fits: the
 * quotient; the remainder goes to the run area.
 */
export function udiv64(hi: i32, lo: i32, d: i32): i32 {
  const p = K + C_RUN_BASE + RUN_HI;
  if (hi == 0) {
    const q0 = divu(lo, d);
    st32(p, (lo - mul32(q0, d)) | 0);
    return q0;
  }
  let rem = hi;
  let q = 0;
  for (let i = 0; i < 32; i++) {
    const top = rem >>> 31;
    rem = (rem << 1) | (lo >>> 31);
    lo = lo << 1;
    q = q << 1;
    if (top != 0 || !ltu(rem, d)) {
      rem = (rem - d) | 0;
      q = q | 1;
    }
  }
  st32(p, rem);
  return q;
}

// ---------------------------------------------------------------- helpers

function maskOf(s: i32): i32 { return s == 4 ? -1 : s == 2 ? 0xFFFF : 0xFF; }
function sext(v: i32, s: i32): i32 { return s == 4 ? v : s == 2 ? (v << 16) >> 16 : (v << 24) >> 24; }
/** The operand's linear address: a register of size s, or memory (0 after a fault). */
function rmp(R: i32, mod: i32, rm: i32, ea: i32, s: i32, w: i32): i32 {
  return mod == 3 ? regp(R, rm, s) : xl(ea, s, w);
}
/** Stores the low s bytes of v in register r (the rest of a 32-bit register stays). */
function setReg(R: i32, r: i32, v: i32, s: i32): void {
  if (s == 4) st32(R + (r << 2), v); else if (s == 2) st16(R + (r << 2), v); else st8(r8p(R, r), v);
}
function getReg(R: i32, r: i32, s: i32): i32 { return ldN(regp(R, r, s), s); }

/** Condition cc on a computed flags word. */
export function condFl(cc: i32, fl: i32): i32 { return cond(cc, fl, L_NONE, 0, 0, 0); }

/** Pushes an s-byte value (the stack slot was not checked): 0, or STOP_FAULT with nothing changed. */
function push(R: i32, v: i32, s: i32): i32 {
  const sp = (ld32(R + 16) - s) | 0;
  const p = xl(sp, s, 1);
  if (p == 0) return STOP_FAULT;
  wrN(p, v, s);
  st32(R + 16, sp);
  return 0;
}

/**
 * The two-operand ALU (kind: add or adc sbb and sub xor cmp) on the s-byte operand at p
 * with b, carry in from fl: the new flags word; the result is stored unless cmp.
 */
function alu(kind: i32, p: i32, b: i32, s: i32, fl: i32): i32 {
  const m = maskOf(s);
  const a = ldN(p, s);
  b = b & m;
  const c = fl & PSL_C;
  let r = 0;
  let k = 0;
  switch (kind) {
    case 0: r = a + b; k = L_ADD; break;
    case 1: r = a | b; k = L_LOGIC; break;
    case 2: r = a + b + c; k = c != 0 ? L_ADC : L_ADD; break;
    case 3: r = a - b - c; k = c != 0 ? L_SBB : L_SUB; break;
    case 4: r = a & b; k = L_LOGIC; break;
    case 6: r = a ^ b; k = L_LOGIC; break;
    default: r = a - b; k = L_SUB; break; // sub, cmp
  }
  r = r & m;
  if (kind != 7) wrN(p, r, s);
  return flagsN(fl, k, a, b, r, s);
}

/**
 * Shift or rotate group (reg: rol ror rcl rcr shl shr sal sar) of the s-byte a by c (1..31,
 * already masked): the result; the flags word in the run area is updated.
 */
export function shiftN(reg: i32, a: i32, c: i32, s: i32): i32 {
  const fp = K + C_RUN_BASE + RUN_FL;
  const fl = ld32(fp);
  const w = s << 3;
  const m = maskOf(s);
  const top = w - 1;
  a = a & m;
  let r = 0;
  let cf = 0;
  let ov = 0;
  switch (reg) {
    case 0: { // rol
      const t = c & top;
      r = t == 0 ? a : ((a << t) | (a >>> (w - t))) & m;
      cf = r & 1;
      ov = ((r >>> top) ^ cf) & 1;
      break;
    }
    case 1: { // ror
      const t = c & top;
      r = t == 0 ? a : ((a >>> t) | (a << (w - t))) & m;
      cf = (r >>> top) & 1;
      ov = ((r >>> top) ^ (r >>> (top - 1))) & 1;
      break;
    }
    case 2: case 3: { // rcl, rcr: through CF, count mod w + 1
      let t = s == 4 ? c : c % (w + 1);
      cf = fl & PSL_C;
      r = a;
      if (t == 0) return r; // flags unchanged
      ov = reg == 3 ? ((r >>> top) ^ cf) & 1 : 0;
      while (t > 0) {
        if (reg == 2) {
          const out = (r >>> top) & 1;
          r = ((r << 1) | cf) & m;
          cf = out;
        } else {
          const out = r & 1;
          r = ((r >>> 1) | (cf << top)) & m;
          cf = out;
        }
        t--;
      }
      if (reg == 2) ov = ((r >>> top) ^ cf) & 1;
      break;
    }
    case 4: case 6: // shl, and its undocumented alias /6
      r = c < 32 ? (a << c) & m : 0;
      cf = c <= w ? (a >>> (w - c)) & 1 : 0;
      if (c == w && s == 4) cf = a & 1;
      ov = ((r >>> top) ^ cf) & 1;
      break;
    case 5: // shr
      r = a >>> c;
      cf = (a >>> (c - 1)) & 1;
      ov = c == 1 ? (a >>> top) & 1 : 0;
      break;
    default: { // sar
      const sa = sext(a, s);
      r = (sa >> c) & m;
      cf = (sa >> (c - 1)) & 1;
      break;
    }
  }
  if (reg < 4) st32(fp, (fl & ~(PSL_C | PSL_V)) | cf | (ov << 11));
  else st32(fp, (flagsN(fl, L_LOGIC, 0, 0, r, s) & ~PSL_C) | cf | (ov << 11));
  return r;
}

/** Whether a data selector names a usable segment for this thread: the flat one or a set TLS segment. */
function selectorOk(sel: i32): bool {
  if (sel == GSEL_UDATA) return true;
  const which = (sel >>> 3) - 15;
  if ((sel & 7) != 3 || which < 0 || which > 2) return false;
  const s = threadSlot(ld32(K + C_RUN_BASE + RUN_TD));
  return ((ld32(s + T_TLS_SET) >>> which) & 1) != 0;
}

/** %fs/%gs bases for the run area from the trapframe's selectors (run start, segment loads). */
export function segLoad(tf: i32, td: i32): void {
  const run = K + C_RUN_BASE;
  const s = threadSlot(td);
  let bad = 0;
  for (let i = 0; i < 2; i++) {
    const sel = ld32(tf + (i == 0 ? TF_FS : TF_GS)) & 0xFFFF;
    let base = 0;
    if (sel != GSEL_UDATA) {
      const which = (sel >>> 3) - 15;
      if ((sel & 7) == 3 && which >= 0 && which <= 2 && ((ld32(s + T_TLS_SET) >>> which) & 1) != 0) {
        base = ld32(s + T_TLS + (which << 2));
      } else {
        bad = bad | (1 << i);
      }
    }
    st32(run + (i == 0 ? RUN_FS : RUN_GS), base);
  }
  st32(run + RUN_SEGBAD, bad);
}

/** The base a segment prefix adds to a data address (0 for none: DS is flat). */
export function segBase(pfx: i32): i32 {
  if ((pfx & (P_FS | P_GS)) == 0) return 0;
  const run = K + C_RUN_BASE;
  const i = (pfx & P_FS) != 0 ? 0 : 1;
  return ld32(run + (i == 0 ? RUN_FS : RUN_GS));
}
/** Whether the prefix names %fs/%gs holding no usable selector (an access through it is #GP). */
export function segUnusable(pfx: i32): bool {
  if ((pfx & (P_FS | P_GS)) == 0) return false;
  const bit = (pfx & P_FS) != 0 ? 1 : 2;
  return (ld32(K + C_RUN_BASE + RUN_SEGBAD) & bit) != 0;
}

// The eflags bits popf may change at CPL 3 with IOPL 0: CF PF AF ZF SF TF DF OF NT AC ID
// (IF, IOPL and VM stay, RF is cleared).
const POPF_MASK: i32 = 0x244DD5;
const PSL_RF: i32 = 0x10000;
const PSL_VM: i32 = 0x20000;

// ---------------------------------------------------------------- the slow path

/**
 * An instruction with prefixes at linear address ip0 (readable up to plim; ferr: the fetch
 * fault past it) at eip: decodePrefixed, then execSlow. 0, or a stop reason.
 */
export function execPrefixed(ip0: i32, plim: i32, eip: i32, ferr: i32, left: i32): i32 {
  const run = K + C_RUN_BASE;
  st32(run + RUN_EXTRA, 0);
  const stop = decodePrefixed(ip0, plim, eip, ferr);
  if (stop != 0) return stop;
  return execSlow(ld32(run + RUN_DOP), ld32(run + RUN_DPFX), ld32(run + RUN_DMOD), ld32(run + RUN_DREG),
    ld32(run + RUN_DRM), ld32(run + RUN_DEA), ld32(run + RUN_DBESP), ld32(run + RUN_DIMM), eip,
    ld32(run + RUN_NIP), left);
}

/**
 * Executes opcode op (0..0x3FF, docs/x86.md numbering) with its decoded ModRM fields,
 * effective address (segment base included), immediate and prefixes, at eip (next: nip).
 * `left` is the budget left (for rep iterations). 0, or a stop reason.
 */
export function execSlow(op: i32, pfx: i32, mod: i32, reg: i32, rm: i32, ea: i32, besp: i32,
  imm: i32, eip: i32, nip: i32, left: i32): i32 {
  const run = K + C_RUN_BASE;
  const R = run + RUN_REGS;
  let fl = ld32(run + RUN_FL);
  const s = (op & 0x200) != 0 ? 2 : 4;
  const o = op & 0x1FF;

  // ALU: 00-3D and 80-83
  if (o < 0x40) {
    const kind = o >>> 3;
    const f = o & 7;
    const sz = (f & 1) == 0 ? 1 : s;
    let p = 0;
    let b = 0;
    if (f < 2) {
      p = rmp(R, mod, rm, ea, sz, kind != 7 ? 1 : 0);
      b = getReg(R, reg, sz);
    } else if (f < 4) {
      const q = rmp(R, mod, rm, ea, sz, 0);
      if (q == 0) return STOP_FAULT;
      b = ldN(q, sz);
      p = regp(R, reg, sz);
    } else {
      p = regp(R, 0, sz);
      b = imm;
    }
    if (p == 0) return STOP_FAULT;
    st32(run + RUN_FL, alu(kind, p, b, sz, fl));
    return 0;
  }
  if (o >= 0x80 && o < 0x84) {
    const sz = (o & 1) == 0 ? 1 : s;
    const p = rmp(R, mod, rm, ea, sz, reg != 7 ? 1 : 0);
    if (p == 0) return STOP_FAULT;
    st32(run + RUN_FL, alu(reg, p, o == 0x83 ? (imm << 24) >> 24 : imm, sz, fl));
    return 0;
  }
  if ((o >= 0xA4 && o < 0xA8) || (o >= 0xAA && o < 0xB0)) return stringOp(o, s, pfx, eip, nip, left);
  if ((o >= 0xD8 && o < 0xE0) || o == 0x9B) return x87Op(o, mod, reg, rm, ea);
  if (o >= 0x140 && o < 0x150) { // cmovcc: the source is read even when nothing moves
    const q = rmp(R, mod, rm, ea, s, 0);
    if (q == 0) return STOP_FAULT;
    if (condFl(o & 15, fl) != 0) setReg(R, reg, ldN(q, s), s);
    return 0;
  }
  if (o >= 0x190 && o < 0x1A0) { // setcc (66 changes nothing)
    const p = rmp(R, mod, rm, ea, 1, 1);
    if (p == 0) return STOP_FAULT;
    st8(p, condFl(o & 15, fl));
    return 0;
  }
  if (o >= 0x118 && o < 0x120) return 0; // hint NOPs: the operand is not accessed

  switch (o) {
    // ---- inc/dec/push/pop r16
    case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
    case 0x48: case 0x49: case 0x4A: case 0x4B: case 0x4C: case 0x4D: case 0x4E: case 0x4F: {
      const r = o & 7;
      const a = getReg(R, r, s);
      const v = (o < 0x48 ? a + 1 : a - 1) & maskOf(s);
      setReg(R, r, v, s);
      st32(run + RUN_FL, flagsN(fl, o < 0x48 ? L_INC : L_DEC, a, 1, v, s));
      return 0;
    }
    case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55: case 0x56: case 0x57:
      return push(R, getReg(R, o & 7, s), s);
    case 0x58: case 0x59: case 0x5A: case 0x5B: case 0x5C: case 0x5D: case 0x5E: case 0x5F: {
      const sp = ld32(R + 16);
      const q = xl(sp, s, 0);
      if (q == 0) return STOP_FAULT;
      const v = ldN(q, s);
      st32(R + 16, (sp + s) | 0);
      setReg(R, o & 7, v, s);
      return 0;
    }
    case 0x60: { // pusha: eax ecx edx ebx (the original) esp ebp esi edi; every slot checked first
      const sp = ld32(R + 16);
      for (let i = 1; i <= 8; i++) if (xl((sp - i * s) | 0, s, 1) == 0) return STOP_FAULT;
      for (let i = 0; i < 8; i++) wrN(xl((sp - (i + 1) * s) | 0, s, 1), getReg(R, i, s), s);
      st32(R + 16, (sp - 8 * s) | 0);
      return 0;
    }
    case 0x61: { // popa: edi esi ebp (skip) ebx edx ecx eax
      const sp = ld32(R + 16);
      for (let i = 0; i < 8; i++) if (xl((sp + i * s) | 0, s, 0) == 0) return STOP_FAULT;
      for (let i = 0; i < 8; i++) {
        const r = 7 - i;
        if (r != 4) setReg(R, r, ldN(xl((sp + i * s) | 0, s, 0), s), s);
      }
      st32(R + 16, (sp + 8 * s) | 0);
      return 0;
    }
    case 0x68: return push(R, imm, s);
    case 0x6A: return push(R, (imm << 24) >> 24, s);
    case 0x69: case 0x6B: case 0x1AF: {
      const q = rmp(R, mod, rm, ea, s, 0);
      if (q == 0) return STOP_FAULT;
      const a = sext(ldN(q, s), s);
      const b = o == 0x1AF ? sext(getReg(R, reg, s), s) : o == 0x6B ? (imm << 24) >> 24 : sext(imm, s);
      if (s == 2) {
        const prod = mul32(a, b);
        setReg(R, reg, prod, 2);
        st32(run + RUN_FL, flagsMul(fl, prod & 0xFFFF, 2, prod != ((prod << 16) >> 16) ? 1 : 0));
      } else {
        const lo = smul64(a, b);
        st32(R + (reg << 2), lo);
        st32(run + RUN_FL, flagsMul(fl, lo, 4, ld32(run + RUN_HI) != (lo >> 31) ? 1 : 0));
      }
      return 0;
    }
    case 0x6C: case 0x6D: case 0x6E: case 0x6F: case 0xE4: case 0xE5: case 0xE6: case 0xE7:
    case 0xEC: case 0xED: case 0xEE: case 0xEF: case 0xFA: case 0xFB:
      return STOP_HALT; // in, out, ins, outs, cli, sti: #GP at IOPL 0
    // ---- test, xchg, mov
    case 0x84: case 0x85: case 0xA8: case 0xA9: {
      const sz = (o & 1) == 0 ? 1 : s;
      let a = 0;
      let b = 0;
      if (o >= 0xA8) {
        a = getReg(R, 0, sz);
        b = imm & maskOf(sz);
      } else {
        const q = rmp(R, mod, rm, ea, sz, 0);
        if (q == 0) return STOP_FAULT;
        a = ldN(q, sz);
        b = getReg(R, reg, sz);
      }
      st32(run + RUN_FL, flagsN(fl, L_LOGIC, a, b, a & b, sz));
      return 0;
    }
    case 0x86: case 0x87: {
      const sz = o == 0x86 ? 1 : s;
      const p = rmp(R, mod, rm, ea, sz, 1);
      if (p == 0) return STOP_FAULT;
      const t = ldN(p, sz);
      wrN(p, getReg(R, reg, sz), sz);
      setReg(R, reg, t, sz);
      return 0;
    }
    case 0x88: case 0x89: {
      const sz = o == 0x88 ? 1 : s;
      const p = rmp(R, mod, rm, ea, sz, 1);
      if (p == 0) return STOP_FAULT;
      wrN(p, getReg(R, reg, sz), sz);
      return 0;
    }
    case 0x8A: case 0x8B: {
      const sz = o == 0x8A ? 1 : s;
      const q = rmp(R, mod, rm, ea, sz, 0);
      if (q == 0) return STOP_FAULT;
      setReg(R, reg, ldN(q, sz), sz);
      return 0;
    }
    case 0x8C: { // mov r/m16, sreg (a register destination gets it zero-extended)
      if (reg > 5) return STOP_ILLEGAL;
      const tf = tfLinear(ld32(run + RUN_TD));
      const v = ld32(tf + sregOff(reg)) & 0xFFFF;
      if (mod == 3) { setReg(R, rm, v, s); return 0; }
      const p = xl(ea, 2, 1);
      if (p == 0) return STOP_FAULT;
      wrN(p, v, 2);
      return 0;
    }
    case 0x8D:
      if (mod == 3) return STOP_ILLEGAL;
      setReg(R, reg, ea, s);
      return 0;
    case 0x8E: { // mov sreg, r/m16: the flat user data segment, a set TLS segment, or null (not ss)
      if (reg == 1 || reg > 5) return STOP_ILLEGAL;
      const q = rmp(R, mod, rm, ea, 2, 0);
      if (q == 0) return STOP_FAULT;
      const sel = ld16(q);
      const nul = (sel & ~3) == 0;
      if (!(selectorOk(sel) || (nul && reg != 2))) return STOP_HALT; // #GP
      const td = ld32(run + RUN_TD);
      const tf = tfLinear(td);
      st32(tf + sregOff(reg), sel);
      if (reg >= 4) segLoad(tf, td);
      return 0;
    }
    case 0x8F: {
      if (reg != 0) return STOP_ILLEGAL;
      const sp = ld32(R + 16);
      const q = xl(sp, s, 0);
      if (q == 0) return STOP_FAULT;
      const v = ldN(q, s);
      if (mod == 3) {
        st32(R + 16, (sp + s) | 0);
        setReg(R, rm, v, s);
        return 0;
      }
      const p = xl(besp != 0 ? (ea + s) | 0 : ea, s, 1);
      if (p == 0) return STOP_FAULT;
      wrN(p, v, s);
      st32(R + 16, (sp + s) | 0);
      return 0;
    }
    case 0x90: return 0; // 66 90: the two-byte NOP
    case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97: {
      const t = getReg(R, o & 7, s);
      setReg(R, o & 7, getReg(R, 0, s), s);
      setReg(R, 0, t, s);
      return 0;
    }
    case 0x98: // cbw, cwde
      if (s == 2) st16(R, (ld8(R) << 24) >> 24); else st32(R, (ld16(R) << 16) >> 16);
      return 0;
    case 0x99: // cwd, cdq
      if (s == 2) st16(R + 8, (ld16(R) << 16) >> 31); else st32(R + 8, ld32(R) >> 31);
      return 0;
    case 0x9C: { // pushf: the image has VM and RF clear
      return push(R, fl & ~(PSL_VM | PSL_RF), s);
    }
    case 0x9D: { // popf at CPL 3, IOPL 0
      const sp = ld32(R + 16);
      const q = xl(sp, s, 0);
      if (q == 0) return STOP_FAULT;
      const v = ldN(q, s);
      const m = s == 4 ? POPF_MASK : POPF_MASK & 0xFFFF;
      st32(run + RUN_FL, (fl & ~m & ~PSL_RF) | (v & m) | 2);
      st32(R + 16, (sp + s) | 0);
      return 0;
    }
    case 0xA0: case 0xA1: {
      const sz = o == 0xA0 ? 1 : s;
      const q = xl(imm, sz, 0);
      if (q == 0) return STOP_FAULT;
      setReg(R, 0, ldN(q, sz), sz);
      return 0;
    }
    case 0xA2: case 0xA3: {
      const sz = o == 0xA2 ? 1 : s;
      const p = xl(imm, sz, 1);
      if (p == 0) return STOP_FAULT;
      wrN(p, getReg(R, 0, sz), sz);
      return 0;
    }
    case 0xB0: case 0xB1: case 0xB2: case 0xB3: case 0xB4: case 0xB5: case 0xB6: case 0xB7:
      st8(r8p(R, o & 7), imm);
      return 0;
    case 0xB8: case 0xB9: case 0xBA: case 0xBB: case 0xBC: case 0xBD: case 0xBE: case 0xBF:
      setReg(R, o & 7, imm, s);
      return 0;
    case 0xC0: case 0xC1: case 0xD0: case 0xD1: case 0xD2: case 0xD3: {
      const sz = (o & 1) == 0 ? 1 : s;
      const p = rmp(R, mod, rm, ea, sz, 1);
      if (p == 0) return STOP_FAULT;
      const c = (o < 0xD0 ? imm : o < 0xD2 ? 1 : ld8(R + 4)) & 31;
      if (c == 0) return 0;
      wrN(p, shiftN(reg, ldN(p, sz), c, sz), sz);
      return 0;
    }
    case 0xC6: case 0xC7: {
      if (reg != 0) return STOP_ILLEGAL;
      const sz = o == 0xC6 ? 1 : s;
      const p = rmp(R, mod, rm, ea, sz, 1);
      if (p == 0) return STOP_FAULT;
      wrN(p, imm, sz);
      return 0;
    }
    case 0xC8: return enter(R, imm & 0xFFFF, (imm >>> 16) & 31);
    case 0xC9: { // leave: esp = ebp, pop ebp (66: bp)
      const bp = ld32(R + 20);
      const q = xl(bp, s, 0);
      if (q == 0) return STOP_FAULT;
      setReg(R, 5, ldN(q, s), s);
      st32(R + 16, (bp + s) | 0);
      return 0;
    }
    case 0xCC: return STOP_TRAP; // int3: retires; the kernel posts SIGTRAP
    case 0xCD: return imm == 0x80 ? STOP_SYSCALL : STOP_ILLEGAL; // int n, n != 0x80: #UD here
    // ---- control transfer and flag instructions (the hot loop runs them unprefixed)
    case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
    case 0x78: case 0x79: case 0x7A: case 0x7B: case 0x7C: case 0x7D: case 0x7E: case 0x7F:
      if (condFl(o & 15, fl) != 0) st32(run + RUN_NIP, (nip + ((imm << 24) >> 24)) | 0);
      return 0;
    case 0x180: case 0x181: case 0x182: case 0x183: case 0x184: case 0x185: case 0x186: case 0x187:
    case 0x188: case 0x189: case 0x18A: case 0x18B: case 0x18C: case 0x18D: case 0x18E: case 0x18F:
      if (condFl(o & 15, fl) != 0) st32(run + RUN_NIP, (nip + imm) | 0);
      return 0;
    case 0xEB: st32(run + RUN_NIP, (nip + ((imm << 24) >> 24)) | 0); return 0;
    case 0xE9: st32(run + RUN_NIP, (nip + imm) | 0); return 0;
    case 0xE8: {
      const r = push(R, nip, 4);
      if (r != 0) return r;
      st32(run + RUN_NIP, (nip + imm) | 0);
      return 0;
    }
    case 0xC2: case 0xC3: {
      const sp = ld32(R + 16);
      const q = xl(sp, 4, 0);
      if (q == 0) return STOP_FAULT;
      st32(run + RUN_NIP, ld32(q));
      st32(R + 16, (sp + 4 + (o == 0xC2 ? imm : 0)) | 0);
      return 0;
    }
    case 0xE0: case 0xE1: case 0xE2: case 0xE3: { // loopne loope loop jecxz
      let c = ld32(R + 4);
      let t = 0;
      if (o == 0xE3) t = c == 0 ? 1 : 0;
      else {
        c = (c - 1) | 0;
        st32(R + 4, c);
        t = c != 0 ? 1 : 0;
        if (o == 0xE1) t = t & condFl(4, fl); else if (o == 0xE0) t = t & condFl(5, fl);
      }
      if (t != 0) st32(run + RUN_NIP, (nip + ((imm << 24) >> 24)) | 0);
      return 0;
    }
    case 0x9E: // sahf
      st32(run + RUN_FL, (fl & ~(PSL_C | PSL_PF | PSL_AF | PSL_Z | PSL_N)) | (ld8(R + 1) & (PSL_C | PSL_PF | PSL_AF | PSL_Z | PSL_N)));
      return 0;
    case 0x9F: st8(R + 1, (fl & 0xD5) | 2); return 0; // lahf
    case 0xF4: return STOP_HALT;
    case 0xF5: st32(run + RUN_FL, fl ^ PSL_C); return 0;
    case 0xF8: st32(run + RUN_FL, fl & ~PSL_C); return 0;
    case 0xF9: st32(run + RUN_FL, fl | PSL_C); return 0;
    case 0xFC: st32(run + RUN_FL, fl & ~PSL_D); return 0;
    case 0xFD: st32(run + RUN_FL, fl | PSL_D); return 0;
    case 0xD7: { // xlat: al = [ebx + al]
      if (segUnusable(pfx)) return STOP_HALT;
      const q = xl((segBase(pfx) + ld32(R + 12) + ld8(R)) | 0, 1, 0);
      if (q == 0) return STOP_FAULT;
      st8(R, ld8(q));
      return 0;
    }
    case 0xF6: case 0xF7: return group3(R, o == 0xF6 ? 1 : s, mod, rm, ea, reg, imm, fl);
    case 0xFE: case 0xFF: {
      const sz = o == 0xFE ? 1 : s;
      if (reg < 2) {
        const p = rmp(R, mod, rm, ea, sz, 1);
        if (p == 0) return STOP_FAULT;
        const a = ldN(p, sz);
        const v = (reg == 0 ? a + 1 : a - 1) & maskOf(sz);
        wrN(p, v, sz);
        st32(run + RUN_FL, flagsN(fl, reg == 0 ? L_INC : L_DEC, a, 1, v, sz));
        return 0;
      }
      if (sz == 1 || reg == 3 || reg == 5 || reg == 7 || (s == 2 && reg != 6)) return STOP_ILLEGAL; // FE /2-7, far, 16-bit call/jmp
      const q = rmp(R, mod, rm, ea, s, 0);
      if (q == 0) return STOP_FAULT;
      const v = ldN(q, s);
      if (reg == 6) return push(R, v, s);
      if (reg == 2) { const r = push(R, nip, 4); if (r != 0) return r; }
      st32(run + RUN_NIP, v); // call, jmp r/m32
      return 0;
    }
    // ---- 0F
    case 0x10B: return STOP_ILLEGAL; // ud2
    case 0x131: { // rdtsc: the instructions this thread retired in user mode so far
      const tsc = tscLinear(ld32(run + RUN_TD));
      const lo = ld32(tsc);
      const l2 = (lo + ld32(run + RUN_COUNT)) | 0;
      st32(R, l2);
      st32(R + 8, (ld32(tsc + 4) + (ltu(l2, lo) ? 1 : 0)) | 0);
      return 0;
    }
    case 0x1A2: return cpuid(R);
    case 0x1A3: case 0x1AB: case 0x1B3: case 0x1BB: case 0x1BA: return bitOp(R, o, s, mod, rm, ea, reg, imm, fl);
    case 0x1A4: case 0x1A5: case 0x1AC: case 0x1AD: {
      const p = rmp(R, mod, rm, ea, s, 1);
      if (p == 0) return STOP_FAULT;
      const c = ((o & 1) == 0 ? imm : ld8(R + 4)) & 31;
      if (c == 0) return 0;
      wrN(p, dshift(o < 0x1A8 ? 1 : 0, ldN(p, s), getReg(R, reg, s), c, s), s);
      return 0;
    }
    case 0x1B0: case 0x1B1: { // cmpxchg: the destination is always written (a locked cycle)
      const sz = o == 0x1B0 ? 1 : s;
      const p = rmp(R, mod, rm, ea, sz, 1);
      if (p == 0) return STOP_FAULT;
      const a = ldN(p, sz);
      const acc = getReg(R, 0, sz);
      const r = (acc - a) & maskOf(sz);
      st32(run + RUN_FL, flagsN(fl, L_SUB, acc, a, r, sz));
      if (r == 0) {
        wrN(p, getReg(R, reg, sz), sz);
      } else {
        wrN(p, a, sz);
        setReg(R, 0, a, sz);
      }
      return 0;
    }
    case 0x1B6: case 0x1BE: { // movzx/movsx r16, r/m8
      const q = rmp(R, mod, rm, ea, 1, 0);
      if (q == 0) return STOP_FAULT;
      const v = ld8(q);
      setReg(R, reg, o == 0x1B6 ? v : (v << 24) >> 24, s);
      return 0;
    }
    case 0x1B7: case 0x1BF: {
      const q = rmp(R, mod, rm, ea, 2, 0);
      if (q == 0) return STOP_FAULT;
      const v = ld16(q);
      setReg(R, reg, o == 0x1B7 ? v : (v << 16) >> 16, s);
      return 0;
    }
    case 0x1BC: case 0x1BD: { // bsf, bsr: a zero source sets ZF and leaves the destination
      const q = rmp(R, mod, rm, ea, s, 0);
      if (q == 0) return STOP_FAULT;
      const v = ldN(q, s);
      if (v == 0) { st32(run + RUN_FL, fl | PSL_Z); return 0; }
      let i = 0;
      if (o == 0x1BC) { while (((v >>> i) & 1) == 0) i++; } else { i = (s << 3) - 1; while (((v >>> i) & 1) == 0) i--; }
      setReg(R, reg, i, s);
      st32(run + RUN_FL, fl & ~PSL_Z);
      return 0;
    }
    case 0x1C0: case 0x1C1: { // xadd
      const sz = o == 0x1C0 ? 1 : s;
      const p = rmp(R, mod, rm, ea, sz, 1);
      if (p == 0) return STOP_FAULT;
      const a = ldN(p, sz);
      const b = getReg(R, reg, sz);
      const r = (a + b) & maskOf(sz);
      setReg(R, reg, a, sz);
      wrN(p, r, sz);
      st32(run + RUN_FL, flagsN(fl, L_ADD, a, b, r, sz));
      return 0;
    }
    case 0x1C7: { // cmpxchg8b m64
      if (reg != 1 || mod == 3) return STOP_ILLEGAL;
      const p = xl(ea, 8, 1);
      if (p == 0) return STOP_FAULT;
      const lo = ld32(p);
      const hi = ld32(p + 4);
      if (lo == ld32(R) && hi == ld32(R + 8)) {
        st32(p, ld32(R + 12));
        st32(p + 4, ld32(R + 4));
        st32(run + RUN_FL, fl | PSL_Z);
      } else {
        st32(R, lo);
        st32(R + 8, hi);
        st32(run + RUN_FL, fl & ~PSL_Z);
      }
      wrFinish(p);
      return 0;
    }
    case 0x1C8: case 0x1C9: case 0x1CA: case 0x1CB: case 0x1CC: case 0x1CD: case 0x1CE: case 0x1CF: {
      const rp = R + ((o & 7) << 2);
      const v = ld32(rp);
      st32(rp, (v << 24) | ((v << 8) & 0xFF0000) | ((v >>> 8) & 0xFF00) | (v >>> 24));
      return 0;
    }
    default: return STOP_ILLEGAL;
  }
}

/** The trapframe offset of segment register r (es cs ss ds fs gs). */
function sregOff(r: i32): i32 {
  switch (r) {
    case 0: return TF_ES;
    case 1: return TF_CS;
    case 2: return TF_SS;
    case 3: return TF_DS;
    case 4: return TF_FS;
    default: return TF_GS;
  }
}

/** Finishes a write of up to 16 bytes made at p (from xl), copying a bounce buffer back. */
export function wrFinish(p: i32): void { wr32(p, ld32(p)); }

/** enter size, level (32-bit): every stack slot and display read checked before anything changes. */
function enter(R: i32, size: i32, level: i32): i32 {
  const sp = ld32(R + 16);
  const bp = ld32(R + 20);
  const slots = level == 0 ? 1 : level + 1;
  for (let i = 1; i <= slots; i++) if (xl((sp - (i << 2)) | 0, 4, 1) == 0) return STOP_FAULT;
  for (let i = 1; i < level; i++) if (xl((bp - (i << 2)) | 0, 4, 0) == 0) return STOP_FAULT;
  const frame = (sp - 4) | 0;
  wr32(xl(frame, 4, 1), bp);
  let top = frame;
  for (let i = 1; i < level; i++) {
    top = (top - 4) | 0;
    wr32(xl(top, 4, 1), ld32(xl((bp - (i << 2)) | 0, 4, 0)));
  }
  if (level > 0) { top = (top - 4) | 0; wr32(xl(top, 4, 1), frame); }
  st32(R + 20, frame);
  st32(R + 16, (top - size) | 0);
  return 0;
}

/** cpuid: an i686 of the period (family 6) with only the features the interpreter has. */
function cpuid(R: i32): i32 {
  const leaf = ld32(R);
  if (leaf == 0) {
    st32(R, 1);                 // highest basic leaf
    st32(R + 12, 0x756E6547);   // "Genu"
    st32(R + 8, 0x49656E69);    // "ineI"
    st32(R + 4, 0x6C65746E);    // "ntel"
    return 0;
  }
  // Leaf 1, and (as Intel parts answer) any leaf above the highest: family 6, model 1,
  // stepping 9; EDX = FPU (0) | TSC (4) | CX8 (8) | CMOV (15); nothing in ECX.
  st32(R, 0x619);
  st32(R + 12, 0);
  st32(R + 4, 0);
  st32(R + 8, 0x8111);
  return 0;
}

/** bt bts btr btc (0F A3 AB B3 BB, and BA /4-7 with an immediate): CF = the bit. */
function bitOp(R: i32, o: i32, s: i32, mod: i32, rm: i32, ea: i32, reg: i32, imm: i32, fl: i32): i32 {
  let kind = 0;
  let off = 0;
  const w = s << 3;
  if (o == 0x1BA) {
    if (reg < 4) return STOP_ILLEGAL;
    kind = reg - 4;
    off = imm & (w - 1);
  } else {
    kind = (o >>> 3) & 3; // A3 0, AB 1, B3 2, BB 3
    off = sext(getReg(R, reg, s), s);
    if (mod != 3) { // a register offset reaches any bit of memory (signed)
      ea = (ea + ((off >> (s == 4 ? 5 : 4)) * s)) | 0;
    }
    off = off & (w - 1);
  }
  const p = rmp(R, mod, rm, ea, s, kind != 0 ? 1 : 0);
  if (p == 0) return STOP_FAULT;
  const v = ldN(p, s);
  const bit = (v >>> off) & 1;
  if (kind == 1) wrN(p, v | (1 << off), s);
  else if (kind == 2) wrN(p, v & ~(1 << off), s);
  else if (kind == 3) wrN(p, v ^ (1 << off), s);
  st32(K + C_RUN_BASE + RUN_FL, (fl & ~PSL_C) | bit);
  return 0;
}

/** shld (left 1) / shrd (left 0) of the s-byte a by c (1..31) filling from b; flags in the run area. */
function dshift(left: i32, a: i32, b: i32, c: i32, s: i32): i32 {
  const fp = K + C_RUN_BASE + RUN_FL;
  const fl = ld32(fp);
  const w = s << 3;
  let r = 0;
  let cf = 0;
  if (s == 4) {
    r = left != 0 ? (a << c) | (b >>> (32 - c)) : (a >>> c) | (b << (32 - c));
    cf = left != 0 ? (a >>> (32 - c)) & 1 : (a >>> (c - 1)) & 1;
  } else {
    // 16-bit: through the 32-bit pair (a:b for shld, b:a for shrd); past 16 the SDM leaves it undefined
    if (left != 0) {
      const t = ((a & 0xFFFF) << 16) | (b & 0xFFFF);
      r = ((t << c) | (c > 16 ? (a & 0xFFFF) << (c - 16) : 0)) >>> 16;
      cf = (t >>> (32 - c)) & 1;
    } else {
      const t = ((b & 0xFFFF) << 16) | (a & 0xFFFF);
      r = (t >>> c) & 0xFFFF;
      cf = (t >>> (c - 1)) & 1;
    }
  }
  r = r & maskOf(s);
  const ov = (((r ^ a) >>> (w - 1)) & 1);
  st32(fp, (flagsN(fl, L_LOGIC, 0, 0, r, s) & ~(PSL_C | PSL_V)) | cf | (ov << 11));
  return r;
}

/** Group 3 (F6 F7) at size s: test not neg mul imul div idiv. */
function group3(R: i32, s: i32, mod: i32, rm: i32, ea: i32, reg: i32, imm: i32, fl: i32): i32 {
  const run = K + C_RUN_BASE;
  const m = maskOf(s);
  const p = rmp(R, mod, rm, ea, s, reg == 2 || reg == 3 ? 1 : 0);
  if (p == 0) return STOP_FAULT;
  const a = ldN(p, s);
  switch (reg) {
    case 0: case 1:
      st32(run + RUN_FL, flagsN(fl, L_LOGIC, a, imm & m, a & imm & m, s));
      return 0;
    case 2:
      wrN(p, ~a & m, s);
      return 0;
    case 3: {
      const r = (0 - a) & m;
      wrN(p, r, s);
      st32(run + RUN_FL, flagsN(fl, L_SUB, 0, a, r, s));
      return 0;
    }
    case 4: case 5: {
      if (s == 4) {
        const lo = reg == 4 ? umul64(ld32(R), a) : smul64(ld32(R), a);
        const hi = ld32(run + RUN_HI);
        st32(R, lo);
        st32(R + 8, hi);
        st32(run + RUN_FL, flagsMul(fl, lo, 4, (reg == 4 ? hi != 0 : hi != (lo >> 31)) ? 1 : 0));
      } else if (s == 2) {
        const ax = ld16(R);
        const prod = reg == 4 ? mul32(ax, a) : mul32(sext(ax, 2), sext(a, 2));
        st16(R, prod);
        st16(R + 8, prod >>> 16);
        const over = reg == 4 ? (prod >>> 16) != 0 : prod != ((prod << 16) >> 16);
        st32(run + RUN_FL, flagsMul(fl, prod & 0xFFFF, 2, over ? 1 : 0));
      } else {
        const al = ld8(R);
        const prod = reg == 4 ? mul32(al, a) : mul32(sext(al, 1), sext(a, 1));
        st16(R, prod);
        const over = reg == 4 ? (prod & 0xFF00) != 0 : prod != ((prod << 24) >> 24);
        st32(run + RUN_FL, flagsMul(fl, prod & 0xFF, 1, over ? 1 : 0));
      }
      return 0;
    }
    default: {
      if (a == 0) return STOP_DIVIDE;
      if (s == 4) return div32(R, a, reg == 7);
      // 8 and 16 bits: the dividend (ax, or dx:ax) fits an i32
      const w = s << 3;
      const num = s == 1 ? ld16(R) : (ld16(R + 8) << 16) | ld16(R);
      let q = 0;
      let r = 0;
      if (reg == 6) {
        q = divu(num, a);
        if (!ltu(q, m + 1)) return STOP_DIVIDE;
        r = (num - mul32(q, a)) | 0;
      } else {
        const sn = s == 1 ? (num << 16) >> 16 : num;
        const sd = sext(a, s);
        q = divu(sn < 0 ? -sn : sn, sd < 0 ? -sd : sd);
        if ((sn < 0) != (sd < 0)) q = -q;
        const lim = 1 << (w - 1);
        if (q < -lim || q >= lim) return STOP_DIVIDE;
        r = (sn - mul32(q, sd)) | 0;
      }
      if (s == 1) { st8(R, q); st8(R + 1, r); } else { st16(R, q); st16(R + 8, r); }
      return 0;
    }
  }
}

/** div / idiv r/m32: edx:eax / d -> eax quotient, edx remainder (d != 0). */
export function div32(R: i32, a: i32, signed: bool): i32 {
  const run = K + C_RUN_BASE;
  let lo = ld32(R);
  let hi = ld32(R + 8);
  if (!signed) {
    if (!ltu(hi, a)) return STOP_DIVIDE;
    const q = udiv64(hi, lo, a);
    st32(R, q);
    st32(R + 8, ld32(run + RUN_HI));
    return 0;
  }
  const neg = hi < 0 ? 1 : 0;
  if (neg != 0) {
    hi = (~hi + (lo == 0 ? 1 : 0)) | 0;
    lo = (0 - lo) | 0;
  }
  const dneg = a < 0 ? 1 : 0;
  const d = dneg != 0 ? (0 - a) | 0 : a;
  if (!ltu(hi, d)) return STOP_DIVIDE;
  let q = udiv64(hi, lo, d);
  let rem = ld32(run + RUN_HI);
  if (neg != dneg) {
    if (ltu(1 << 31, q)) return STOP_DIVIDE;
    q = (0 - q) | 0;
  } else if (q < 0) return STOP_DIVIDE;
  if (neg != 0) rem = (0 - rem) | 0;
  st32(R, q);
  st32(R + 8, rem);
  return 0;
}
