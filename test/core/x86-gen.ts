// Random i386 instruction sequences for the oracle and differential tests: short bodies
// built from templates that cover the integer and x87 instruction set, with the flags each
// leaves undefined tracked so a comparison can mask exactly those. A body keeps ebx (the
// data pointer) and leaves the stack balanced; memory operands stay inside the 256-byte
// data block: bytes 0..127 integers, 128..255 doubles (x87 operands and results); ebx
// points at byte 128, so a disp8 (signed) reaches all of it.

export const CF = 0x001, PF = 0x004, AF = 0x010, ZF = 0x040, SF = 0x080, DF = 0x400, OF = 0x800;
export const ARITH = CF | PF | AF | ZF | SF | OF;
const EAX = 0, ECX = 1, EDX = 2, EBX = 3, EBP = 5, ESI = 6, EDI = 7;
const DST = [EAX, ECX, EDX, EBP, ESI, EDI];     // registers a body may write
const DST8 = [0, 1, 2, 4, 5, 6];                 // al cl dl ah ch dh (never bl, bh)
const SRC = [EAX, ECX, EDX, EBX, EBP, ESI, EDI]; // never esp: its value differs between the worlds

export interface Body {
  code: number[];
  /** Flags (and DF) whose value at the end cannot be compared. */
  undef: number;
  /** Whether the x87 condition codes at the end cannot be compared (after fprem1). */
  fccUndef: boolean;
  /** Templates used (for messages). */
  names: string[];
}

export interface GenOptions { x87?: boolean; integer?: boolean }

const le32 = (v: number): number[] => [v & 0xFF, (v >>> 8) & 0xFF, (v >>> 16) & 0xFF, (v >>> 24) & 0xFF];
const le16 = (v: number): number[] => [v & 0xFF, (v >>> 8) & 0xFF];
const modrm = (mod: number, reg: number, rm: number): number => (mod << 6) | (reg << 3) | rm;

export class Rng {
  constructor(private s: number) {}
  next(): number { this.s = (Math.imul(this.s, 1103515245) + 12345) >>> 0; return this.s >>> 8; }
  int(n: number): number { return this.next() % n; }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]; }
  u32(): number { return ((this.next() << 8) ^ this.next()) >>> 0; }
  /** A word that is often an edge value. */
  edge(): number {
    const e = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0x10000];
    return this.int(3) === 0 ? this.pick(e) : this.u32();
  }
}

interface Ins { b: number[]; def: number; undef: number; reads: number; name: string; fcc?: "def" | "undef" }
const ins = (name: string, b: number[], def = 0, undef = 0, reads = 0): Ins => ({ name, b, def, undef, reads });

/** The disp8 from ebx (byte 128 of the block) of block byte `off`. */
const di = (off: number): number => (off - 128) & 0xFF;
/** An integer memory operand: block byte d in 0..124, aligned to a (1, 2, 4). */
function memI(r: Rng, reg: number, a = 1): number[] { return [modrm(1, reg, EBX), di(r.int(125) & ~(a - 1))]; }
/** A double in the float area: block byte 128 + 8k. */
function memF(r: Rng, reg: number): number[] { return [modrm(1, reg, EBX), 8 * r.int(16)]; }

function intTemplate(r: Rng): Ins[] {
  const k = r.int(8);
  const d = r.pick(DST), s = r.pick(SRC), d8 = r.pick(DST8), s8 = r.int(8);
  const aluDef = k === 1 || k === 4 || k === 6 ? ARITH & ~AF : ARITH;
  const aluUndef = k === 1 || k === 4 || k === 6 ? AF : 0;
  const aluReads = k === 2 || k === 3 ? CF : 0;
  const alu = (b: number[]): Ins => ins(`alu${k}`, b, aluDef, aluUndef, aluReads);
  switch (r.int(40)) {
    case 0: return [alu([k * 8 + 1, modrm(3, s, k === 7 ? r.pick(SRC) : d)])];
    case 1: return [alu([k * 8 + 3, ...memI(r, k === 7 ? r.pick(SRC) : d)])];
    case 2: return [alu(k === 7 ? [k * 8 + 1, ...memI(r, s)] : [r.int(2) ? 0xF0 : 0x3E, k * 8 + 1, ...memI(r, s)])];
    case 3: return [alu([k * 8 + 0, modrm(3, s8, d8)])];
    case 4: return [alu([0x66, k * 8 + 1, modrm(3, s, d)]), alu([0x66, k * 8 + 3, ...memI(r, d)])];
    case 5: return [alu([0x81, modrm(3, k, d), ...le32(r.edge())]), alu([0x83, modrm(3, k, d), r.int(256)])];
    case 6: return [alu([0x66, 0x81, modrm(3, k, d), ...le16(r.edge())]), alu([0x66, 0x83, ...memI(r, k), r.int(256)])];
    case 7: return [alu([0x80, modrm(3, k, d8), r.int(256)]), alu([k * 8 + 5, ...le32(r.edge())]), alu([0x66, k * 8 + 5, ...le16(r.edge())]), alu([k * 8 + 4, r.int(256)])];
    case 8: { // inc dec
      const g = r.int(2);
      return [r.pick([
        ins("incdec", [0x40 + g * 8 + d]), ins("incdec16", [0x66, 0x40 + g * 8 + d]),
        ins("incdec8", [0xFE, modrm(3, g, d8)]), ins("incdecm", [0xFF, ...memI(r, g)]), ins("lock inc", [0xF0, 0xFF, ...memI(r, g)]),
      ])].map((i) => ({ ...i, def: ARITH & ~CF }));
    }
    case 9: { // neg not
      const g = 2 + r.int(2);
      const pre = r.pick([[], [0x66]]);
      return [ins(g === 3 ? "neg" : "not", r.int(2) ? [...pre, 0xF7, modrm(3, g, d)] : [0xF6, modrm(3, g, d8)], g === 3 ? ARITH : 0)];
    }
    case 10: return [r.pick([
      ins("test", [0x85, modrm(3, s, r.pick(SRC))]), ins("test16", [0x66, 0x85, modrm(3, s, r.pick(SRC))]),
      ins("test imm", [0xA9, ...le32(r.edge())]), ins("test m imm", [0xF7, ...memI(r, 0), ...le32(r.edge())]),
      ins("test8", [0xF6, modrm(3, 0, s8), r.int(256)]), ins("test16i", [0x66, 0xF7, modrm(3, 0, s), ...le16(r.edge())]),
    ]), ].map((i) => ({ ...i, def: ARITH & ~AF, undef: AF }));
    case 11: case 12: case 13: { // shifts and rotates
      const g = r.pick([0, 1, 2, 3, 4, 5, 7]);
      const w = r.pick([8, 16, 32]);
      const form = r.int(3);
      const c = form === 1 ? 1 : r.int(3) === 0 ? r.pick([0, 8, 9, 15, 16, 17, 31, 32, 33]) : r.int(40);
      const m = c & 31;
      let def = 0, undef = 0;
      if (m !== 0) {
        if (g < 2) { def = CF | (m === 1 ? OF : 0); undef = m === 1 ? 0 : OF; }
        else if (g < 4) {
          const t = w === 32 ? m : m % (w + 1);
          def = t !== 0 ? CF : 0; undef = m === 1 ? 0 : OF; if (m === 1) def |= OF;
        } else {
          def = SF | ZF | PF | CF | (m === 1 ? OF : 0); undef = AF | (m === 1 ? 0 : OF);
          if (g !== 7 && m >= w) { def &= ~CF; undef |= CF; }
        }
      }
      const pre = w === 16 ? [0x66] : [];
      const opb = w === 8 ? 0 : 1;
      const dest = w === 8 ? d8 : d;
      const code = form === 0 ? [...pre, 0xC0 + opb, modrm(3, g, dest), c] : form === 1 ? [...pre, 0xD0 + opb, modrm(3, g, dest)]
        : [0xB1, c, ...pre, 0xD2 + opb, modrm(3, g, dest === 1 || dest === 5 ? 0 : dest)];
      return [ins(`shift${g}/${w}`, code, def, undef, g === 2 || g === 3 ? CF : 0)];
    }
    case 14: { // mul imul (one operand)
      const g = 4 + r.int(2);
      const w = r.pick([8, 16, 32]);
      const code = w === 8 ? [0xF6, modrm(3, g, s8)] : w === 16 ? [0x66, 0xF7, modrm(3, g, s)] : [0xF7, modrm(3, g, s)];
      return [ins(`mul${g}/${w}`, code, CF | OF, SF | ZF | AF | PF)];
    }
    case 15: return [r.pick([
      ins("imul2", [0x0F, 0xAF, modrm(3, d, s)]), ins("imul2m", [0x0F, 0xAF, ...memI(r, d)]), ins("imul2/16", [0x66, 0x0F, 0xAF, modrm(3, d, s)]),
      ins("imul3", [0x69, modrm(3, d, s), ...le32(r.edge())]), ins("imul3b", [0x6B, modrm(3, d, s), r.int(256)]),
      ins("imul3/16", [0x66, 0x69, modrm(3, d, s), ...le16(r.edge())]), ins("imul3b/16", [0x66, 0x6B, modrm(3, d, s), r.int(256)]),
    ])].map((i) => ({ ...i, def: CF | OF, undef: SF | ZF | AF | PF }));
    case 16: { // div idiv, set up so they do not fault
      const c = r.int(3) === 0 ? r.pick([1, 2, 3, 7, 0x10000, 0x7FFFFFFF]) : (r.u32() >>> r.int(31)) || 1;
      const w = r.pick([8, 16, 32, 32]);
      if (w === 32) return r.int(2)
        ? [ins("div", [0x31, 0xD2, 0xB9, ...le32(c), 0xF7, 0xF1], 0, ARITH)]
        : [ins("idiv", [0x99, 0xB9, ...le32(c === 0xFFFFFFFF ? 3 : c), 0xF7, 0xF9], 0, ARITH)];
      if (w === 16) return [ins("div16", [0x31, 0xD2, 0xB9, ...le32((c & 0xFFFF) || 1), 0x66, 0xF7, 0xF1], 0, ARITH)];
      const cl = (c & 0xFF) || 1;
      return [ins("div8", [0xB9, ...le32(cl), 0xB8, ...le32(r.int(cl * 256)), 0xF6, 0xF1], 0, ARITH)];
    }
    case 17: { // bt bts btr btc
      const op = r.pick([0xA3, 0xAB, 0xB3, 0xBB]);
      const g = (op >> 3) & 3;
      const pre = r.pick([[], [0x66]]);
      return [r.pick([
        ins("bt r", [...pre, 0x0F, op, modrm(3, s, d)]),
        ins("bt i", [...pre, 0x0F, 0xBA, modrm(3, 4 + g, d), r.int(256)]),
        ins("bt m i", [0x0F, 0xBA, ...memI(r, 4 + g), r.int(256)]),
        ins("bt m r", [0xB9, ...le32((r.int(856) - 256) >>> 0), ...(g && r.int(2) ? [0xF0] : []), 0x0F, op, modrm(1, ECX, EBX), di(40)]),
      ])].map((i) => ({ ...i, def: CF, undef: OF | SF | AF | PF }));
    }
    case 18: { // bsf bsr on a non-zero source
      const pre = r.pick([[], [0x66]]);
      const src = r.pick(DST);
      return [ins("bsf/bsr", [0xB8 + src, ...le32((r.u32() | (1 << r.int(16))) >>> 0), ...pre, 0x0F, 0xBC + r.int(2), modrm(3, d, src)], ZF, CF | OF | SF | AF | PF)];
    }
    case 19: { // shld shrd
      const w = r.pick([16, 32]);
      const c = 1 + r.int(w - 1);
      const op = r.pick([0xA4, 0xAC]);
      const pre = w === 16 ? [0x66] : [];
      const def = CF | SF | ZF | PF | (c === 1 ? OF : 0), undef = AF | (c === 1 ? 0 : OF);
      const dd = r.pick([EAX, EDX, ESI, EDI]), ss = r.pick([EAX, EDX, ESI, EDI, EBX]);
      return [r.int(2) ? ins(`shxd${w}`, [...pre, 0x0F, op, modrm(3, ss, dd), c], def, undef)
        : ins(`shxd${w}cl`, [0xB1, c, ...pre, 0x0F, op + 1, modrm(3, ss, dd)], def, undef)];
    }
    case 20: return [r.pick([ // cmpxchg xadd
      ins("cmpxchg", [0x0F, 0xB1, modrm(3, s, d)], ARITH), ins("cmpxchg m", [0xF0, 0x0F, 0xB1, ...memI(r, s)], ARITH),
      ins("cmpxchg8", [0x0F, 0xB0, modrm(3, s8, d8)], ARITH), ins("cmpxchg16", [0x66, 0x0F, 0xB1, modrm(3, s, d)], ARITH),
      ins("xadd", [0x0F, 0xC1, modrm(3, d === EBP ? EAX : d, r.pick(DST))], ARITH), ins("xadd m", [0xF0, 0x0F, 0xC1, ...memI(r, d)], ARITH),
      ins("xadd8", [0x0F, 0xC0, modrm(3, d8, r.pick(DST8))], ARITH),
    ])];
    case 21: return [r.pick([ // xchg
      ins("xchg", [0x87, modrm(3, d, r.pick(DST))]), ins("xchg m", [0x87, ...memI(r, d)]), ins("xchg8", [0x86, modrm(3, d8, r.pick(DST8))]),
      ins("xchg eax", [0x90 + r.pick([ECX, EDX, EBP, ESI, EDI])]), ins("xchg16", [0x66, 0x87, modrm(3, d, r.pick(DST))]),
    ])];
    // The SDM leaves CF PF AF SF OF (and DF) unaffected (forklab does, see x86-ops.test.ts);
    // qemu 7.2 does not keep them, so the oracle cannot judge them.
    case 22: return [ins("cmpxchg8b", [0xF0, 0x0F, 0xC7, modrm(1, 1, EBX), di(8 * r.int(15))], ZF, (ARITH | DF) & ~ZF)];
    case 23: { // cmov setcc jcc
      const cc = r.int(16);
      return [r.pick([
        ins("cmov", [0x0F, 0x40 + cc, modrm(3, d, s)], 0, 0, ARITH), ins("cmov m", [0x0F, 0x40 + cc, ...memI(r, d)], 0, 0, ARITH),
        ins("cmov16", [0x66, 0x0F, 0x40 + cc, modrm(3, d, s)], 0, 0, ARITH),
        ins("setcc", [0x0F, 0x90 + cc, modrm(3, 0, d8)], 0, 0, ARITH), ins("setcc m", [0x0F, 0x90 + cc, ...memI(r, 0)], 0, 0, ARITH),
        ins("jcc", [0x70 + cc, 5, 0xB8 + d, ...le32(r.u32())], 0, 0, ARITH),
        ins("jcc32", [0x0F, 0x80 + cc, ...le32(1), 0x40 + d], 0, 0, ARITH),
      ])];
    }
    case 24: return [r.pick([ // movzx movsx bswap cbw...
      ins("movzx8", [0x0F, 0xB6, modrm(3, d, s8)]), ins("movsx8", [0x0F, 0xBE, modrm(3, d, s8)]),
      ins("movzx16", [0x0F, 0xB7, modrm(3, d, s)]), ins("movsx16", [0x0F, 0xBF, ...memI(r, d)]),
      ins("movzx8/16", [0x66, 0x0F, 0xB6, modrm(3, d, s8)]), ins("movsx8/16", [0x66, 0x0F, 0xBE, ...memI(r, d)]),
      ins("bswap", [0x0F, 0xC8 + d]), ins("cbw", [0x66, 0x98]), ins("cwde", [0x98]), ins("cwd", [0x66, 0x99]), ins("cdq", [0x99]),
    ])];
    case 25: { // lea, mov 16
      const idx = r.pick([EAX, ECX, EDX, EBX, EBP, ESI, EDI]);
      return [r.pick([
        ins("lea", [0x8D, modrm(2, d, 4), (r.int(4) << 6) | (idx << 3) | r.pick(SRC), ...le32(r.u32())]),
        ins("lea16", [0x66, 0x8D, modrm(1, d, r.pick([EAX, EBX, ESI])), r.int(256)]),
        ins("mov16", [0x66, 0x89, ...memI(r, s)]), ins("mov16r", [0x66, 0x8B, modrm(3, d, s)]),
        ins("mov16i", [0x66, 0xB8 + d, ...le16(r.edge())]), ins("mov16mi", [0x66, 0xC7, ...memI(r, 0), ...le16(r.edge())]),
        ins("mov ds:", [0x3E, 0x8B, ...memI(r, d)]), ins("mov es:", [0x26, 0x89, ...memI(r, s)]),
      ])];
    }
    case 26: return [r.pick([ // stack
      ins("push pop", [0x50 + s, 0x58 + d]), ins("push16 pop16", [0x66, 0x50 + s, 0x66, 0x58 + d]),
      ins("push imm pop", [0x6A, r.int(256), 0x58 + d]), ins("push16 imm pop", [0x66, 0x68, ...le16(r.edge()), 0x66, 0x58 + d]),
      ins("pusha popa", [0x60, 0x61]), // (66 60 66 61, pushaw/popaw, crashes qemu 7.2: x86-ops.test.ts has it)
      ins("push m pop m", [0xFF, ...memI(r, 6), 0x8F, ...memI(r, 0)]), ins("push16 m pop", [0x66, 0xFF, ...memI(r, 6), 0x66, 0x58 + d]),
      ins("enter leave", [0xC8, ...le16(r.int(64)), r.int(2), 0xC9]),
    ])];
    case 27: return [ins("popf", [0x68, ...le32(0x202 | (r.u32() & (ARITH | DF))), 0x9D], ARITH | DF)];
    case 28: return [r.pick([
      ins("lahf", [0x9F], 0, 0, ARITH), ins("sahf", [0x9E], ARITH & ~OF), ins("cmc", [0xF5], CF, 0, CF),
      ins("clc", [0xF8], CF), ins("stc", [0xF9], CF), ins("cld", [0xFC], DF), ins("std cld", [0xFD, 0x40 + d, 0xFC], DF),
      ins("xlat", [0xD7]), ins("nopw", [0x66, 0x90]), ins("nopl", [0x0F, 0x1F, 0x44, 0x00, 0x00]),
      ins("nopw cs", [0x66, 0x2E, 0x0F, 0x1F, 0x84, 0, 0, 0, 0, 0]), ins("rep ret-like nop", [0xF3, 0x90]),
      ins("endbr32", [0xF3, 0x0F, 0x1E, 0xFB]),
    ])];
    case 29: case 30: { // strings
      const n = r.int(9);
      const back = r.int(4) === 0;
      const sz = r.pick([1, 2, 4]);
      const lo = back ? 40 : 8, span = 48;
      const setup = [0x8D, 0x73, di(lo + r.int(span)), 0x8D, 0x7B, di(lo + r.int(span)), 0xB9, ...le32(n), back ? 0xFD : 0xFC];
      const op = r.pick(["movs", "stos", "lods", "cmps", "scas"]);
      const base = { movs: 0xA4, cmps: 0xA6, stos: 0xAA, lods: 0xAC, scas: 0xAE }[op]!;
      const opc = [...(sz === 2 ? [0x66] : []), sz === 1 ? base : base + 1];
      const cmp = op === "cmps" || op === "scas";
      const pre = op === "lods" && n > 1 ? [] : cmp ? [r.pick([0xF3, 0xF2])] : r.int(3) ? [0xF3] : [];
      const seg = op !== "stos" && op !== "scas" && r.int(4) === 0 ? [0x3E] : [];
      return [ins(`${pre.length ? "rep " : ""}${op}${sz}${back ? " std" : ""}`, [...setup, ...pre, ...seg, ...opc, 0xFC], DF | (cmp && (pre.length === 0 || n > 0) ? ARITH : 0))];
    }
    case 31: return [ins("rcl/rcr mem", [0xD1, ...memI(r, 2 + r.int(2))], CF | OF, 0, CF)];
    default: { // a plain mov now and then
      return [r.pick([ins("mov", [0xB8 + d, ...le32(r.edge())]), ins("mov m", [0x8B, ...memI(r, d)]), ins("mov m r", [0x89, ...memI(r, s)])])];
    }
  }
}

/**
 * x87 templates; depth is the stack depth the generator knows of (kept within 0..8), and
 * fccUndef says the condition codes cannot be compared now (nothing then reads them).
 */
function x87Template(r: Rng, depth: number, fccUndef: boolean): { i: Ins; d: number } {
  const fld = (): { i: Ins; d: number } => ({
    i: r.pick([
      ins("fld m64", [0xDD, ...memF(r, 0)]), ins("fild m32", [0xDB, ...memI(r, 0, 4)]), ins("fild m16", [0xDF, ...memI(r, 0, 2)]),
      // (fldpi and the other inexact constants are 64-bit-precise on hardware, doubles here:
      // docs/x86.md; x87.test.ts checks their values)
      ins("fld1", [0xD9, 0xE8]), ins("fldz", [0xD9, 0xEE]), ins("fld m32", [0xD9, modrm(1, 0, EBX), 4 + 8 * r.int(15)]),
      ...(depth > 0 ? [ins("fld st(i)", [0xD9, 0xC0 + r.int(depth)])] : []),
    ]), d: 1,
  });
  if (depth === 0 || (depth < 7 && r.int(3) === 0)) return fld();
  const i = r.int(depth);
  const k = r.pick([0, 1, 4, 5, 6, 7]);
  const choices: { i: Ins; d: number }[] = [
    { i: ins("farith m64", [0xDC, ...memF(r, k)]), d: 0 },
    { i: ins("farith m32i", [0xDA, ...memI(r, k, 4)]), d: 0 },
    { i: ins("farith m16i", [0xDE, ...memI(r, k, 2)]), d: 0 },
    { i: ins("farith st,st(i)", [0xD8, 0xC0 + k * 8 + i]), d: 0 },
    { i: ins("farith st(i),st", [0xDC, 0xC0 + k * 8 + i]), d: 0 },
    { i: ins("fchs", [0xD9, 0xE0]), d: 0 }, { i: ins("fabs", [0xD9, 0xE1]), d: 0 },
    { i: ins("fsqrt|x|", [0xD9, 0xE1, 0xD9, 0xFA]), d: 0 },
    { i: ins("frndint", [0xD9, 0xFC]), d: 0 },
    { i: ins("fxch", [0xD9, 0xC8 + i]), d: 0 },
    { i: { ...ins("fxam", [0xD9, 0xE5]), fcc: "def" }, d: 0 }, { i: { ...ins("ftst", [0xD9, 0xE4]), fcc: "def" }, d: 0 },
    { i: { ...ins("fcom", [0xD8, 0xD0 + i]), fcc: "def" }, d: 0 }, { i: { ...ins("fucom", [0xDD, 0xE0 + i]), fcc: "def" }, d: 0 },
    { i: { ...ins("fcom m64", [0xDC, ...memF(r, 2)]), fcc: "def" }, d: 0 },
    // fcomi: the SDM and Bochs clear OF SF AF (forklab too); qemu 7.2 keeps them
    { i: ins("fcomi", [0xDB, 0xF0 + i], ZF | PF | CF, OF | SF | AF), d: 0 }, { i: ins("fucomi", [0xDB, 0xE8 + i], ZF | PF | CF, OF | SF | AF), d: 0 },
    { i: ins("fcmov", [0xDA + r.int(2), 0xC0 + r.int(4) * 8 + i], 0, 0, ARITH), d: 0 },
    { i: ins("fnstsw ax", [0xDF, 0xE0, 0x66, 0x25, ...le16(0x7D45)], ARITH & ~AF, AF), d: 0 },
    { i: ins("fstp m64", [0xDD, ...memF(r, 3)]), d: -1 },
    { i: ins("fst m64", [0xDD, ...memF(r, 2)]), d: 0 },
    { i: ins("fstp m32", [0xD9, ...memF(r, 3)]), d: -1 },
    { i: ins("fistp m32", [0xDB, ...memI(r, 3, 4)]), d: -1 },
    { i: ins("fist m16", [0xDF, ...memI(r, 2, 2)]), d: 0 },
    { i: ins("fstp st(i)", [0xDD, 0xD8 + i]), d: -1 },
    { i: ins("fstp st0", [0xDD, 0xD8]), d: -1 },
    { i: ins("fxtract", [0xD9, 0xF4]), d: depth < 8 ? 1 : 0 },
    { i: ins("fld+fstp m80", [0xD9, 0xC0, 0xDB, ...memF(r, 7)]), d: depth < 8 ? 0 : 0 },
    { i: ins("fnstcw fldcw", [0xD9, 0x7B, di(120), 0xD9, 0x6B, di(120)]), d: 0 },
    { i: ins("fistp rc", [0x66, 0xC7, 0x43, di(120), ...le16(0x127F | (r.int(4) << 10)), 0xD9, 0x6B, di(120), 0xDB, 0x5B, di(4 * r.int(28)), 0x66, 0xC7, 0x43, di(120), ...le16(0x127F), 0xD9, 0x6B, di(120)]), d: -1 },
    { i: ins("frndint rc", [0x66, 0xC7, 0x43, di(120), ...le16(0x127F | (r.int(4) << 10)), 0xD9, 0x6B, di(120), 0xD9, 0xFC, 0x66, 0xC7, 0x43, di(120), ...le16(0x127F), 0xD9, 0x6B, di(120)]), d: 0 },
  ];
  if (depth >= 2) {
    choices.push(
      { i: ins("farithp", [0xDE, 0xC0 + k * 8 + 1 + r.int(depth - 1)]), d: -1 },
      { i: ins("fcompp", [0xDE, 0xD9]), d: -2 }, { i: ins("fucompp", [0xDA, 0xE9]), d: -2 },
      { i: ins("fcomip", [0xDF, 0xF0 + 1 + r.int(depth - 1)], ZF | PF | CF, OF | SF | AF), d: -1 },
      // (qemu 7.2 leaves fprem1's quotient bits C0 C3 C1 at 0; the SDM and forklab set them)
      { i: { ...ins("fprem", [0xD9, 0xF8]), fcc: "def" }, d: 0 }, { i: { ...ins("fprem1", [0xD9, 0xF5]), fcc: "undef" }, d: 0 },
    );
  }
  const c = r.pick(choices.filter((t) => !(fccUndef && t.i.name === "fnstsw ax")));
  if (depth + c.d > 8) return fld();
  return c;
}

/** A random body of about n templates. */
export function genBody(r: Rng, n: number, opts: GenOptions = {}): Body {
  const integer = opts.integer ?? true, x87 = opts.x87 ?? true;
  const code: number[] = [], names: string[] = [];
  let undef = 0, depth = 0, fccUndef = false;
  for (let j = 0; j < n; j++) {
    let list: Ins[];
    if (x87 && (!integer || r.int(3) === 0)) {
      const t = x87Template(r, depth, fccUndef);
      depth += t.d;
      if (t.i.fcc) fccUndef = t.i.fcc === "undef";
      list = [t.i];
    } else list = intTemplate(r);
    for (const t of list) {
      if (t.reads & undef) { code.push(0x39, 0xC8); undef = 0; names.push("cmp"); } // define them first
      code.push(...t.b);
      names.push(t.name);
      undef = (undef & ~t.def) | t.undef;
    }
  }
  return { code, undef, fccUndef, names };
}

/** Initial state for a body: registers (ebx = data + 128), flags, and the 256-byte data block. */
export interface State { regs: number[]; eflags: number; data: Uint8Array }

export function genState(r: Rng, dataAddr: number): State {
  const regs = [0, 0, 0, dataAddr + 128, 0, 0, 0, 0].map((v, i) => (i === 3 ? v : r.edge()));
  const data = new Uint8Array(256);
  const dv = new DataView(data.buffer);
  for (let i = 0; i < 128; i += 4) dv.setUint32(i, r.edge(), true);
  for (let i = 128; i < 256; i += 8) {
    const kind = r.int(6);
    const v = kind === 0 ? r.int(2000) - 1000 : kind === 1 ? 0 : kind === 2 ? (r.u32() / 4096) * (r.int(2) ? 1 : -1)
      : kind === 3 ? 0.5 * (r.int(9) - 4) : (r.u32() - 2147483648) / (1 + r.int(100000));
    dv.setFloat64(i, v, true);
  }
  return { regs, eflags: 0x202 | (r.u32() & ARITH), data };
}
