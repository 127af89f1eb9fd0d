// The arithmetic flags: the lazy state the interpreter keeps in locals (the last
// add/adc/sub/sbb/cmp/neg/inc/dec or logic operation's kind, operands and result), turned
// into EFLAGS bits only when something reads them; and eager helpers for the slow path's
// 8-, 16- and 32-bit operations.
import { ltu, leu } from "./mem";
import { PSL_C, PSL_PF, PSL_AF, PSL_Z, PSL_N, PSL_V } from "./i386";

// Lazy flag kinds; L_8 marks a byte operation (operands and result kept as 0..255).
export const L_NONE: i32 = 0;
export const L_ADD: i32 = 1;
export const L_ADC: i32 = 2;    // add with carry in 1 (carry in 0 is L_ADD)
export const L_SUB: i32 = 3;
export const L_SBB: i32 = 4;    // subtract with borrow in 1
export const L_LOGIC: i32 = 5;
export const L_INC: i32 = 6;    // CF comes from the flags word
export const L_DEC: i32 = 7;
export const L_8: i32 = 8;

export const ARITH: i32 = PSL_C | PSL_PF | PSL_AF | PSL_Z | PSL_N | PSL_V; // 0x8D5


/** Parity flag of the low byte of r (set when the number of one bits is even). */
export function parity(r: i32): i32 {
  const x = (r ^ (r >>> 4)) & 0xF;
  return ((0x9669 >>> x) & 1) << 2;
}

/** ZF, SF and PF of a result (byte results as 0..255). */
export function szp(r: i32, s8: i32): i32 {
  const sb = s8 != 0 ? 0x80 : 1 << 31;
  return (r == 0 ? PSL_Z : 0) | ((r & sb) != 0 ? PSL_N : 0) | parity(r);
}

/** The carry flag the lazy state describes. */
export function lazyCF(fl: i32, op: i32, a: i32, b: i32, r: i32): i32 {
  switch (op & 7) {
    case L_ADD: return ltu(r, a) ? 1 : 0;
    case L_ADC: return leu(r, a) ? 1 : 0;
    case L_SUB: return ltu(a, b) ? 1 : 0;
    case L_SBB: return leu(a, b) ? 1 : 0;
    case L_LOGIC: return 0;
    default: return fl & PSL_C; // L_NONE, L_INC, L_DEC
  }
}

/** The flags word with the lazy state's CF PF AF ZF SF OF filled in. */
export function flagsOf(fl: i32, op: i32, a: i32, b: i32, r: i32): i32 {
  if (op == L_NONE) return fl;
  const k = op & 7;
  const s8 = op & L_8;
  const sb = s8 != 0 ? 0x80 : 1 << 31;
  let cf = 0;
  let ov = 0;
  let af = (a ^ b ^ r) & PSL_AF;
  switch (k) {
    case L_ADD: cf = ltu(r, a) ? 1 : 0; ov = (a ^ r) & (b ^ r) & sb; break;
    case L_ADC: cf = leu(r, a) ? 1 : 0; ov = (a ^ r) & (b ^ r) & sb; break;
    case L_SUB: cf = ltu(a, b) ? 1 : 0; ov = (a ^ b) & (a ^ r) & sb; break;
    case L_SBB: cf = leu(a, b) ? 1 : 0; ov = (a ^ b) & (a ^ r) & sb; break;
    case L_LOGIC: af = 0; break;
    case L_INC: cf = fl & PSL_C; ov = (a ^ r) & (b ^ r) & sb; break;
    default: cf = fl & PSL_C; ov = (a ^ b) & (a ^ r) & sb; break; // L_DEC
  }
  return (fl & ~ARITH) | cf | af | (ov != 0 ? PSL_V : 0) | szp(r, s8);
}

/** Condition cc (the low nibble of a jcc/setcc opcode) under the lazy state. */
export function cond(cc: i32, fl: i32, op: i32, a: i32, b: i32, r: i32): i32 {
  const base = cc >>> 1;
  let t = 0;
  if (op == L_SUB) { // 32-bit sub or cmp: compare the operands directly
    switch (base) {
      case 1: t = ltu(a, b) ? 1 : 0; return t ^ (cc & 1);
      case 2: t = a == b ? 1 : 0; return t ^ (cc & 1);
      case 3: t = leu(a, b) ? 1 : 0; return t ^ (cc & 1);
      case 6: t = a < b ? 1 : 0; return t ^ (cc & 1);
      case 7: t = a <= b ? 1 : 0; return t ^ (cc & 1);
      default: break;
    }
  }
  if (op != L_NONE && base == 2) return (r == 0 ? 1 : 0) ^ (cc & 1);
  const f = flagsOf(fl, op, a, b, r);
  const sf = (f >>> 7) & 1;
  const ov = (f >>> 11) & 1;
  switch (base) {
    case 0: t = ov; break;
    case 1: t = f & PSL_C; break;
    case 2: t = (f >>> 6) & 1; break;
    case 3: t = (f & (PSL_C | PSL_Z)) != 0 ? 1 : 0; break;
    case 4: t = sf; break;
    case 5: t = (f >>> 2) & 1; break;
    case 6: t = sf ^ ov; break;
    default: t = ((f >>> 6) & 1) | (sf ^ ov); break;
  }
  return t ^ (cc & 1);
}


/**
 * The flags word fl with CF PF AF ZF SF OF of an s-byte (1, 2, 4) operation of lazy kind k
 * (without L_8) on a, b giving r (each masked to s bytes): the 32-bit formulas on the
 * operands shifted to the top of the word, with PF and AF from the low bytes.
 */
export function flagsN(fl: i32, k: i32, a: i32, b: i32, r: i32, s: i32): i32 {
  const sh = 32 - (s << 3);
  const f = flagsOf(fl, k, a << sh, b << sh, r << sh);
  return (f & ~(PSL_PF | PSL_AF)) | parity(r) | (k == L_LOGIC ? 0 : (a ^ b ^ r) & PSL_AF);
}

/** The flags word with SZP of an s-byte result r, CF = OF = co (0 or 1), AF = 0. */
export function flagsMul(fl: i32, r: i32, s: i32, co: i32): i32 {
  const sh = 32 - (s << 3);
  return (fl & ~ARITH) | (szp(r << sh, 0) & ~PSL_PF) | parity(r) | (co != 0 ? PSL_C | PSL_V : 0);
}
