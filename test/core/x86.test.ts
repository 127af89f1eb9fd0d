// User mode: the i386 interpreter (assembly/x86.ts, docs/x86.md). Programs are
// hand-assembled here; every program runs on the Wasm core and on the portable build,
// which must agree on the stop, the instructions retired, every register and memory.
// Expected results come from an independent model of the Intel SDM definitions (full-
// precision arithmetic with BigInt), not from the interpreter's formulas.
import { describe, it, expect, beforeAll } from "vitest";
import { Core, CoreError, STOP_REASONS, type RunResult } from "../../src/core/core.js";

// ---------------------------------------------------------------- layout of the test process

const CODE = 0x08048000;        // two pages, read/write/execute
const CODE_END = CODE + 0x2000; // 0x0804A000: unmapped
const DATA = 0x08050000;        // two pages, read/write
const RO = 0x08052000;          // one page, read-only
const HOLE = 0x08053000;        // unmapped
const STACK_LO = 0x7FFFD000;    // two pages, read/write; 0x7FFFC000 unmapped
const STACK_TOP = 0x7FFFF000;
const KSTACK = 0xC0403000;      // the top page of thread slot 0's kernel stack: present, supervisor only
const RO_FILL = 0x5A;

const PGEX_P = 1, PGEX_W = 2, PGEX_U = 4;
const CF = 0x001, PF = 0x004, AF = 0x010, ZF = 0x040, SF = 0x080, DF = 0x400, OF = 0x800;
const ARITH = CF | PF | AF | ZF | SF | OF;
const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
const REGS = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"] as const;
type RegName = (typeof REGS)[number];
type Regs = Partial<Record<RegName | "eflags", number>>;

// ---------------------------------------------------------------- a tiny assembler

const le32 = (v: number): number[] => [v & 0xFF, (v >>> 8) & 0xFF, (v >>> 16) & 0xFF, (v >>> 24) & 0xFF];
const le16 = (v: number): number[] => [v & 0xFF, (v >>> 8) & 0xFF];
const modrm = (mod: number, reg: number, rm: number): number => (mod << 6) | (reg << 3) | rm;
const sib = (scale: number, index: number, base: number): number => (scale << 6) | (index << 3) | base;
const INT80 = [0xCD, 0x80];
const HLT = [0xF4];
const movImm = (r: number, v: number): number[] => [0xB8 + r, ...le32(v)];
/** mov [disp32], r32 */
const store = (addr: number, r: number): number[] => [0x89, modrm(0, r, 5), ...le32(addr)];
/** mov r32, [disp32] */
const load = (r: number, addr: number): number[] => [0x8B, modrm(0, r, 5), ...le32(addr)];

// ---------------------------------------------------------------- the machine

interface Outcome extends RunResult {
  regs: Record<RegName | "eip" | "eflags" | "trapno" | "err", number>;
  data?: number[];
}

class Machine {
  readonly pm: number;
  readonly td: number;
  constructor(readonly core: Core) {
    this.pm = core.pmapCreate();
    expect(this.pm).toBeGreaterThan(0);
    const pages: [number, number][] = [
      [CODE, 7], [CODE + 0x1000, 7], [DATA, 3], [DATA + 0x1000, 3], [RO, 3],
      [STACK_LO, 3], [STACK_LO + 0x1000, 3],
    ];
    for (const [va, prot] of pages) expect(core.enter(this.pm, va, prot)).toBe(0);
    expect(core.copyout(this.pm, RO, new Uint8Array(4096).fill(RO_FILL))).toBe(0);
    core.protect(this.pm, RO, RO + 0x1000, 1);
    this.td = core.threadAlloc();
    expect(this.td).toBeGreaterThan(0);
  }
  /** Writes code (at CODE unless told), zeroes the data and stack pages, sets the registers. */
  setup(code: number[], regs: Regs = {}, at = CODE, eip = at): void {
    const c = this.core;
    expect(c.copyout(this.pm, at, Uint8Array.from(code))).toBe(0);
    expect(c.copyout(this.pm, DATA, new Uint8Array(0x2000))).toBe(0);
    expect(c.copyout(this.pm, STACK_LO, new Uint8Array(0x2000))).toBe(0);
    this.start(regs, eip);
  }
  start(regs: Regs, eip: number): void {
    this.core.execSetregs(this.td, eip, STACK_TOP, 0);
    const tf = this.core.trapframe(this.td);
    for (const [k, v] of Object.entries(regs)) (tf as unknown as Record<string, number>)[k] = v!;
  }
  run(budget = 100000, withData = false): Outcome {
    const r = this.core.run(this.td, this.pm, budget);
    const tf = this.core.trapframe(this.td);
    const regs = {
      eax: tf.eax, ecx: tf.ecx, edx: tf.edx, ebx: tf.ebx, esp: tf.esp, ebp: tf.ebp, esi: tf.esi,
      edi: tf.edi, eip: tf.eip, eflags: tf.eflags, trapno: tf.trapno, err: tf.err,
    };
    const out: Outcome = { ...r, regs };
    if (withData) {
      out.data = [...this.core.copyin(this.pm, DATA, 0x2000)!, ...this.core.copyin(this.pm, STACK_TOP - 64, 64)!];
    }
    return out;
  }
  bytes(va: number, n: number): number[] { return [...this.core.copyin(this.pm, va, n)!]; }
  word(va: number): number { return this.core.readWord(this.pm, va)!; }
}

let wasm: Machine;
let port: Machine;

beforeAll(async () => {
  wasm = new Machine(Core.create({ physBytes: 8 << 20, maxThreads: 16 }));
  port = new Machine(await Core.createPortable({ physBytes: 8 << 20, maxThreads: 16 }));
});

/**
 * Runs a program on both builds; they must agree on everything. Returns the Wasm outcome.
 */
function exec(code: number[], regs: Regs = {}, opts: { budget?: number; at?: number; eip?: number; data?: boolean } = {}): Outcome {
  const at = opts.at ?? CODE;
  const outs = [wasm, port].map((m) => {
    m.setup(code, regs, at, opts.eip ?? at);
    return m.run(opts.budget ?? 100000, opts.data ?? false);
  });
  expect(outs[1], "portable build agrees with Wasm").toEqual(outs[0]);
  return outs[0];
}

/** Runs code that ends in int $0x80 and returns the registers. */
function regsAfter(code: number[], regs: Regs = {}): Outcome["regs"] {
  const o = exec([...code, ...INT80], regs);
  expect(o.stop).toBe("syscall");
  return o.regs;
}

// ---------------------------------------------------------------- the reference model

const MASK = { 8: 0xFFn, 32: 0xFFFFFFFFn } as const;
type Size = 8 | 32;

function parityFlag(r: number): number {
  let ones = 0;
  for (let i = 0; i < 8; i++) ones += (r >>> i) & 1;
  return ones % 2 === 0 ? PF : 0;
}
function szpFlags(r: number, size: Size): number {
  const sign = size === 8 ? 0x80 : 0x80000000;
  return (r === 0 ? ZF : 0) | ((r & sign) !== 0 ? SF : 0) | parityFlag(r);
}
const signOf = (v: number, size: Size): number => (size === 8 ? (v >>> 7) & 1 : v >>> 31);
const sext = (v: number, size: Size | 16): number => (size === 32 ? v | 0 : size === 16 ? (v << 16) >> 16 : (v << 24) >> 24);

/** add or adc / sub, sbb, cmp / and or xor: result and the six flags, by the SDM's definitions. */
function aluModel(kind: number, a: number, b: number, cin: number, size: Size): { r: number; f: number } {
  const m = MASK[size];
  const A = BigInt(a) & m, B = BigInt(b) & m;
  let full: bigint;
  let f = 0;
  const c = kind === 2 || kind === 3 ? cin : 0;
  if (kind === 0 || kind === 2) {
    full = A + B + BigInt(c);
    if (full > m) f |= CF;
    if ((Number(A & 0xFn) + Number(B & 0xFn) + c) > 0xF) f |= AF;
  } else if (kind === 3 || kind === 5 || kind === 7) {
    full = A - B - BigInt(c);
    if (full < 0n) f |= CF;
    if (Number(A & 0xFn) < Number(B & 0xFn) + c) f |= AF;
  } else {
    full = kind === 1 ? A | B : kind === 4 ? A & B : A ^ B;
  }
  const r = Number(((full % (m + 1n)) + (m + 1n)) % (m + 1n));
  const an = Number(A), bn = Number(B);
  if (kind === 0 || kind === 2) {
    if (signOf(an, size) === signOf(bn, size) && signOf(r, size) !== signOf(an, size)) f |= OF;
  } else if (kind === 3 || kind === 5 || kind === 7) {
    if (signOf(an, size) !== signOf(bn, size) && signOf(r, size) !== signOf(an, size)) f |= OF;
  }
  return { r, f: f | szpFlags(r, size) };
}

/** The SDM's condition codes, cc = low nibble of the jcc/setcc opcode. */
function condModel(cc: number, f: number): boolean {
  const c = (f & CF) !== 0, z = (f & ZF) !== 0, s = (f & SF) !== 0, o = (f & OF) !== 0, p = (f & PF) !== 0;
  const base = [o, c, z, c || z, s, p, s !== o, z || s !== o][cc >> 1];
  return (cc & 1) === 0 ? base : !base;
}

const EDGE32 = [0, 1, 2, 0x0F, 0x10, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000,
  0x80000001, 0xFFFFFFFE, 0xFFFFFFFF, 0x12345678, 0xFEDCBA98, 0x0000FFF1];
const EDGE8 = [0, 1, 2, 0x0F, 0x10, 0x3F, 0x40, 0x7E, 0x7F, 0x80, 0x81, 0xC3, 0xFE, 0xFF];
const ALU_NAMES = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"];

// ================================================================ tests

describe("int $0x80, hlt, budget", () => {
  it("int $0x80 stops with SYSCALL, eip after the 2-byte instruction, eax intact, tf_trapno 0x80 and tf_err 2", () => {
    const o = exec([...movImm(EAX, 2), ...movImm(EBX, 0x1234), ...INT80, ...movImm(ECX, 7), ...INT80]);
    expect(o.stop).toBe("syscall");
    expect(o.retired).toBe(3);
    expect(o.regs.eip).toBe(CODE + 12);
    expect(o.regs.eax).toBe(2);
    expect(o.regs.ebx).toBe(0x1234);
    expect(o.regs.trapno).toBe(0x80);
    expect(o.regs.err).toBe(2);
    expect(o.faultVa).toBeUndefined();
    // Resuming from the trapframe runs the next instruction (the kernel's return to user mode).
    for (const m of [wasm, port]) {
      const r = m.run();
      expect(r.stop).toBe("syscall");
      expect(r.retired).toBe(2);
      expect(r.regs.eip).toBe(CODE + 19);
      expect(r.regs.ecx).toBe(7);
      expect(r.regs.eax).toBe(2);
    }
  });

  it("ERESTART's eip -= tf_err re-executes the int $0x80", () => {
    exec([...movImm(EAX, 5), ...INT80]);
    for (const m of [wasm, port]) {
      const tf = m.core.trapframe(m.td);
      tf.eip = tf.eip - tf.err;
      tf.eax = 9;
      const r = m.run();
      expect(r.stop).toBe("syscall");
      expect(r.retired).toBe(1);
      expect(r.regs.eip).toBe(CODE + 7);
      expect(r.regs.eax).toBe(9);
    }
  });

  it("hlt stops with HALT at CPL 3, eip at the hlt, and does not retire", () => {
    const o = exec([0x90, ...HLT, ...INT80]);
    expect(o.stop).toBe("halt");
    expect(o.regs.eip).toBe(CODE + 1);
    expect(o.retired).toBe(1);
    expect(o.regs.trapno).toBe(9); // T_PROTFLT: the #GP a user hlt raises
  });

  it("budget stop: exactly `budget` instructions retire, eip at the next one; budget 0 runs nothing", () => {
    const o = exec([0x41, 0xEB, 0xFD], {}, { budget: 1001 }); // inc ecx; jmp back
    expect(o.stop).toBe("budget");
    expect(o.retired).toBe(1001);
    expect(o.regs.ecx).toBe(501);
    expect(o.regs.eip).toBe(CODE + 1);
    const z = exec([0x41, ...INT80], { ecx: 5 }, { budget: 0 });
    expect(z.stop).toBe("budget");
    expect(z.retired).toBe(0);
    expect(z.regs.ecx).toBe(5);
    expect(z.regs.eip).toBe(CODE);
    // The instruction that exhausts the budget may be int $0x80: the syscall wins.
    const s = exec([0x41, ...INT80], {}, { budget: 2 });
    expect(s.stop).toBe("syscall");
    expect(s.retired).toBe(2);
  });

  it("eflags keeps PSL_USER's IF and reserved bit 1 and the bits no instruction here touches", () => {
    const r = regsAfter([0x31, 0xC0], { eflags: 0x202 | ARITH | DF }); // xor eax, eax
    expect(r.eflags).toBe(0x202 | DF | ZF | PF);
    const r2 = regsAfter([0x90], { eflags: 0x200 });
    expect(r2.eflags).toBe(0x202);
  });
});

describe("the face: core.run()", () => {
  it("checks td, pm and budget before calling the core; the raw export refuses dead handles with -EINVAL", () => {
    for (const m of [wasm, port]) {
      expect(() => m.core.run(0, m.pm, 10)).toThrow(CoreError);
      expect(() => m.core.run(m.td, 999, 10)).toThrow(CoreError);
      expect(() => m.core.run(m.td, m.pm, -1)).toThrow(CoreError);
      expect(() => m.core.run(m.td, m.pm, 1.5)).toThrow(CoreError);
      expect(() => m.core.run(m.td, m.pm, 2 ** 31)).toThrow(CoreError);
      expect(m.core.x.cpu_run(9999, m.pm, 10)).toBe(-22);
      expect(m.core.x.cpu_run(m.td, 0, 10)).toBe(-22);
      expect(m.core.x.cpu_run_stop()).toBe(0);
      expect(m.core.x.cpu_run_count()).toBe(0);
    }
    expect(STOP_REASONS).toEqual(["syscall", "fault", "budget", "halt", "illegal", "divide", "trap"]);
  });
});

describe("ALU family: add or adc sbb and sub xor cmp", () => {
  it("every operation, 32-bit and 8-bit, over edge operands and carry in 0/1, gives the SDM result and CF PF AF ZF SF OF", () => {
    const bad: string[] = [];
    for (const size of [32, 8] as Size[]) {
      for (let kind = 0; kind < 8; kind++) {
        for (const cin of [0, 1]) {
          // stc/clc; op eax, ebx (or al, bl); int $0x80
          const code = [cin ? 0xF9 : 0xF8, kind * 8 + (size === 32 ? 1 : 0), modrm(3, EBX, EAX), ...INT80];
          const vals = size === 32 ? EDGE32 : EDGE8.map((v) => v | 0x5A5A5A00);
          for (const a of vals) for (const b of vals) {
            const o = exec(code, { eax: a, ebx: b, eflags: 0x202 });
            const exp = aluModel(kind, a, b, cin, size);
            const expEax = kind === 7 ? a >>> 0 : size === 32 ? exp.r : ((a & ~0xFF) | exp.r) >>> 0;
            const got = { eax: o.regs.eax, f: o.regs.eflags & ARITH };
            if (got.eax !== expEax || got.f !== exp.f || o.regs.ebx !== b >>> 0) {
              bad.push(`${ALU_NAMES[kind]}${size} cin=${cin} ${a.toString(16)},${b.toString(16)}: got ${got.eax.toString(16)}/${got.f.toString(16)} want ${expEax.toString(16)}/${exp.f.toString(16)}`);
            }
          }
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("add: 0x7FFFFFFF+1 sets OF SF AF not CF; 0xFFFFFFFF+1 sets CF ZF AF PF not OF", () => {
    let r = regsAfter([0x01, modrm(3, EBX, EAX)], { eax: 0x7FFFFFFF, ebx: 1 });
    expect(r.eax).toBe(0x80000000);
    expect(r.eflags & ARITH).toBe(OF | SF | AF | PF);
    r = regsAfter([0x01, modrm(3, EBX, EAX)], { eax: 0xFFFFFFFF, ebx: 1 });
    expect(r.eax).toBe(0);
    expect(r.eflags & ARITH).toBe(CF | ZF | AF | PF);
  });

  it("sub borrow: 0 - 1 sets CF SF AF PF; 0x80000000 - 1 sets OF; cmp leaves the operand", () => {
    let r = regsAfter([0x29, modrm(3, EBX, EAX)], { eax: 0, ebx: 1 });
    expect(r.eax).toBe(0xFFFFFFFF);
    expect(r.eflags & ARITH).toBe(CF | SF | AF | PF);
    r = regsAfter([0x29, modrm(3, EBX, EAX)], { eax: 0x80000000, ebx: 1 });
    expect(r.eax).toBe(0x7FFFFFFF);
    expect(r.eflags & ARITH).toBe(OF | AF | PF);
    r = regsAfter([0x39, modrm(3, EBX, EAX)], { eax: 3, ebx: 3 });
    expect(r.eax).toBe(3);
    expect(r.eflags & ARITH).toBe(ZF | PF);
  });

  it("adc/sbb chain a 64-bit add and subtract through CF", () => {
    // edx:eax += edi:esi ; then ecx:ebx -= edi:esi
    const r = regsAfter([0x01, modrm(3, ESI, EAX), 0x11, modrm(3, EDI, EDX), 0x29, modrm(3, ESI, EBX), 0x19, modrm(3, EDI, ECX)],
      { eax: 0xFFFFFFF0, edx: 0x00000001, esi: 0x20, edi: 0x2, ebx: 0x10, ecx: 0x5 });
    expect([r.edx, r.eax]).toEqual([0x4, 0x10]);
    expect([r.ecx, r.ebx]).toEqual([0x2, 0xFFFFFFF0]);
  });

  it("all operand forms: r/m8,r8  r/m32,r32  r8,r/m8  r32,r/m32  al,imm8  eax,imm32  80 81 82 83 with memory and registers", () => {
    const bad: string[] = [];
    const a = 0x81C3E7F0, b = 0x7F3C1891;
    for (let kind = 0; kind < 8; kind++) {
      const w = (v: number, bits: Size) => aluModel(kind, a, v, 0, bits);
      const keep = (r: number, bits: Size, old: number) => kind === 7 ? old >>> 0 : bits === 32 ? r : ((old & ~0xFF) | r) >>> 0;
      const cases: [string, number[], () => number, number][] = [
        // form 0: op [DATA], bl (memory destination)
        ["r/m8,r8 mem", [kind * 8, modrm(0, EBX, 5), ...le32(DATA), ...load(EAX, DATA)], () => keep(w(b, 8).r, 8, a), w(b, 8).f],
        // form 1: op [esi+4], ebx
        ["r/m32,r32 mem", [kind * 8 + 1, modrm(1, EBX, ESI), 4, ...load(EAX, DATA + 4)], () => keep(w(b, 32).r, 32, a), w(b, 32).f],
        // form 2: op al, [DATA+8]
        ["r8,r/m8", [kind * 8 + 2, modrm(0, EAX, 5), ...le32(DATA + 8)], () => keep(w(b, 8).r, 8, a), w(b, 8).f],
        // form 3: op eax, [DATA+12]
        ["r32,r/m32", [kind * 8 + 3, modrm(0, EAX, 5), ...le32(DATA + 12)], () => keep(w(b, 32).r, 32, a), w(b, 32).f],
        ["al,imm8", [kind * 8 + 4, 0x91], () => keep(w(0x91, 8).r, 8, a), w(0x91, 8).f],
        ["eax,imm32", [kind * 8 + 5, ...le32(b)], () => keep(w(b, 32).r, 32, a), w(b, 32).f],
        ["80 /k r/m8,imm8", [0x80, modrm(3, kind, EAX), 0x91], () => keep(w(0x91, 8).r, 8, a), w(0x91, 8).f],
        ["82 /k r/m8,imm8", [0x82, modrm(3, kind, EAX), 0x91], () => keep(w(0x91, 8).r, 8, a), w(0x91, 8).f],
        ["81 /k r/m32,imm32", [0x81, modrm(3, kind, EAX), ...le32(b)], () => keep(w(b, 32).r, 32, a), w(b, 32).f],
        ["83 /k r/m32,imm8 sign-extended", [0x83, modrm(3, kind, EAX), 0x91], () => keep(w(0xFFFFFF91, 32).r, 32, a), w(0xFFFFFF91, 32).f],
        ["81 /k [DATA+16],imm32", [0x81, modrm(0, kind, 5), ...le32(DATA + 16), ...le32(b), ...load(EAX, DATA + 16)], () => keep(w(b, 32).r, 32, a), w(b, 32).f],
      ];
      for (const [name, body, want, wantF] of cases) {
        // Memory operands hold a at DATA, DATA+4, DATA+16 and b at DATA+8, DATA+12.
        const pre = [...movImm(EDX, a), ...store(DATA, EDX), ...store(DATA + 4, EDX), ...store(DATA + 16, EDX),
          ...movImm(EDX, b), ...store(DATA + 8, EDX), ...store(DATA + 12, EDX), 0x31, 0xD2 /* xor edx,edx */];
        // Restore eax = a without touching flags (mov), then run the form and reload.
        const isMemDest = name.includes("mem") || name.includes("[DATA");
        const o = exec([...pre, ...movImm(EAX, a), ...body, ...INT80], { ebx: b, esi: DATA });
        let expEax = want();
        if (isMemDest && kind === 7) expEax = a >>> 0;
        if (isMemDest && name.startsWith("r/m8")) expEax = kind === 7 ? a >>> 0 : ((a & ~0xFF) | w(b, 8).r) >>> 0;
        if (o.regs.eax !== expEax || (o.regs.eflags & ARITH) !== wantF) {
          bad.push(`${ALU_NAMES[kind]} ${name}: got ${o.regs.eax.toString(16)}/${(o.regs.eflags & ARITH).toString(16)} want ${expEax.toString(16)}/${wantF.toString(16)}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});

describe("inc dec neg not test", () => {
  it("inc/dec (40+r, 48+r, FE /0 /1, FF /0 /1) set OF SF ZF AF PF and never touch CF", () => {
    const bad: string[] = [];
    for (const cin of [0, CF]) {
      for (const v of EDGE32) {
        for (const [name, code, size, delta] of [
          ["inc r32", [0x40 + EDX], 32, 1], ["dec r32", [0x48 + EDX], 32, -1],
          ["inc r/m32", [0xFF, modrm(3, 0, EDX)], 32, 1], ["dec r/m32", [0xFF, modrm(3, 1, EDX)], 32, -1],
          ["inc r/m8", [0xFE, modrm(3, 0, EDX)], 8, 1], ["dec r/m8", [0xFE, modrm(3, 1, EDX)], 8, -1],
          ["inc [mem32]", [...store(DATA, EDX), 0xFF, modrm(0, 0, 5), ...le32(DATA), ...load(EDX, DATA)], 32, 1],
          ["dec [mem8]", [...store(DATA, EDX), 0xFE, modrm(0, 1, 5), ...le32(DATA), ...load(EDX, DATA)], 8, -1],
        ] as [string, number[], Size, number][]) {
          const r = regsAfter(code, { edx: v, eflags: 0x202 | cin });
          const m = aluModel(delta > 0 ? 0 : 5, v, 1, 0, size);
          const want = size === 32 ? m.r : ((v & ~0xFF) | m.r) >>> 0;
          const wantF = (m.f & ~CF) | cin;
          if (r.edx !== want || (r.eflags & ARITH) !== wantF) bad.push(`${name} ${v.toString(16)} cf=${cin}: ${r.edx.toString(16)}/${(r.eflags & ARITH).toString(16)} want ${want.toString(16)}/${wantF.toString(16)}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("inc after a carry-producing add keeps that CF for a following adc", () => {
    // add eax, ebx (CF=1); inc ecx; adc edx, 0  -> edx = 1
    const r = regsAfter([0x01, modrm(3, EBX, EAX), 0x41, 0x83, modrm(3, 2, EDX), 0], { eax: 0xFFFFFFFF, ebx: 1, ecx: 0x7FFFFFFF });
    expect(r.edx).toBe(1);
    expect(r.ecx).toBe(0x80000000);
  });

  it("neg (F7 /3, F6 /3): CF unless zero, OF for the most negative value; not (F7 /2, F6 /2) changes no flags", () => {
    const bad: string[] = [];
    for (const v of EDGE32) {
      let r = regsAfter([0xF7, modrm(3, 3, ECX)], { ecx: v, eflags: 0x202 });
      let m = aluModel(5, 0, v, 0, 32);
      if (r.ecx !== m.r || (r.eflags & ARITH) !== m.f) bad.push(`neg32 ${v.toString(16)}`);
      r = regsAfter([0xF6, modrm(3, 3, ECX)], { ecx: v, eflags: 0x202 });
      m = aluModel(5, 0, v & 0xFF, 0, 8);
      if (r.ecx !== (((v & ~0xFF) | m.r) >>> 0) || (r.eflags & ARITH) !== m.f) bad.push(`neg8 ${v.toString(16)}`);
      r = regsAfter([0xF7, modrm(3, 2, ECX)], { ecx: v, eflags: 0x202 | CF | ZF });
      if (r.ecx !== (~v >>> 0) || (r.eflags & ARITH) !== (CF | ZF)) bad.push(`not32 ${v.toString(16)}`);
      r = regsAfter([0xF6, modrm(3, 2, ECX)], { ecx: v, eflags: 0x202 });
      if (r.ecx !== ((v ^ 0xFF) >>> 0) || (r.eflags & ARITH) !== 0) bad.push(`not8 ${v.toString(16)}`);
    }
    expect(bad).toEqual([]);
    const r = regsAfter([0xF7, modrm(3, 3, ECX)], { ecx: 0x80000000 });
    expect(r.ecx).toBe(0x80000000);
    expect(r.eflags & ARITH).toBe(CF | OF | SF | PF);
  });

  it("test (84 85 A8 A9 F6 /0 F7 /0) sets SF ZF PF, clears CF OF AF, and writes nothing", () => {
    const bad: string[] = [];
    for (const a of EDGE32) for (const b of [0, 0x80, 0x80000001, 0xFFFFFFFF]) {
      for (const [code, size] of [
        [[0x85, modrm(3, EBX, EAX)], 32], [[0x84, modrm(3, EBX, EAX)], 8], [[0xA9, ...le32(b)], 32],
        [[0xA8, b & 0xFF], 8], [[0xF7, modrm(3, 0, EAX), ...le32(b)], 32], [[0xF6, modrm(3, 0, EAX), b & 0xFF], 8],
        [[...store(DATA, EBX), 0xF7, modrm(0, 0, 5), ...le32(DATA), ...le32(a)], 32],
      ] as [number[], Size][]) {
        const r = regsAfter(code, { eax: a, ebx: b, eflags: 0x202 | CF | OF | AF });
        const m = aluModel(4, a, b, 0, size);
        if (r.eax !== a >>> 0 || (r.eflags & ARITH) !== m.f) bad.push(`test${size} ${code[0].toString(16)} ${a.toString(16)},${b.toString(16)}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe("shifts and rotates", () => {
  /** shl shr sar rol ror by the SDM: result and flags (only CF, OF for rotates). */
  function shiftModel(op: number, a: number, count: number, size: Size, f0: number): { r: number; f: number } {
    const c = count & 31;
    const m = MASK[size];
    const A = BigInt(a) & m;
    const msb = (v: bigint) => Number((v >> BigInt(size - 1)) & 1n);
    if (c === 0) return { r: Number(A), f: f0 & ARITH };
    if (op === 0 || op === 1) {
      const t = c % size;
      const r = op === 0 ? ((A << BigInt(t)) | (A >> BigInt(size - t))) & m : ((A >> BigInt(t)) | (A << BigInt(size - t))) & m;
      const cf = op === 0 ? Number(r & 1n) : msb(r);
      const of = op === 0 ? msb(r) ^ cf : msb(r) ^ Number((r >> BigInt(size - 2)) & 1n);
      return { r: Number(r), f: (f0 & ARITH & ~(CF | OF)) | cf | (of ? OF : 0) };
    }
    let r: bigint, cf: number, of: number;
    if (op === 4) { // shl: CF is the last bit shifted out (0 once the count passes the size)
      r = (A << BigInt(c)) & m;
      cf = c <= size ? Number((A >> BigInt(size - c)) & 1n) : 0;
      of = msb(r) ^ cf;
    } else if (op === 5) {
      r = A >> BigInt(c);
      cf = Number((A >> BigInt(c - 1)) & 1n);
      of = c === 1 ? msb(A) : 0;
    } else {
      const S = BigInt(sext(Number(A), size));
      r = (S >> BigInt(c)) & m;
      cf = Number((S >> BigInt(c - 1)) & 1n);
      of = 0;
    }
    return { r: Number(r), f: cf | (of ? OF : 0) | szpFlags(Number(r), size) };
  }

  it("shl shr sar rol ror, 32 and 8 bits, by 1 (D0/D1), by cl (D2/D3), by imm8 (C0/C1): counts 0..33", () => {
    const bad: string[] = [];
    const vals = [0, 1, 0x40, 0x80, 0x81, 0xC0, 0xFF, 0x7FFFFFFF, 0x80000000, 0xC0000001, 0xFFFFFFFF, 0x12345678, 0x8765432F];
    for (const size of [32, 8] as Size[]) {
      for (const op of [0, 1, 4, 5, 7]) {
        for (const count of [0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33]) {
          const w = size === 32 ? 1 : 0;
          const forms: number[][] = [[0xD2 + w, modrm(3, op, EDX)], [0xC0 + w, modrm(3, op, EDX), count]];
          if (count === 1) forms.push([0xD0 + w, modrm(3, op, EDX)]);
          for (const form of forms) for (const v of vals) for (const f0 of [0, ARITH]) {
            const r = regsAfter(form, { edx: v, ecx: 0xFFFFFF00 | count, eflags: 0x202 | f0 });
            const m = shiftModel(op, v, count, size, f0);
            const want = size === 32 ? m.r : ((v & ~0xFF) | m.r) >>> 0;
            if (r.edx !== want || (r.eflags & ARITH) !== m.f) {
              bad.push(`${["rol", "ror", "", "", "shl", "shr", "", "sar"][op]}${size} ${form[0].toString(16)} ${v.toString(16)} by ${count} f0=${f0}: ${r.edx.toString(16)}/${(r.eflags & ARITH).toString(16)} want ${want.toString(16)}/${m.f.toString(16)}`);
            }
          }
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("shift by 1: shl sets OF = MSB(result) xor CF, shr sets OF = MSB(operand), sar clears OF", () => {
    let r = regsAfter([0xD1, modrm(3, 4, EAX)], { eax: 0x40000000 });
    expect([r.eax, r.eflags & (CF | OF)]).toEqual([0x80000000, OF]);
    r = regsAfter([0xD1, modrm(3, 4, EAX)], { eax: 0xC0000000 });
    expect([r.eax, r.eflags & (CF | OF)]).toEqual([0x80000000, CF]);
    r = regsAfter([0xD1, modrm(3, 5, EAX)], { eax: 0x80000001 });
    expect([r.eax, r.eflags & (CF | OF)]).toEqual([0x40000000, CF | OF]);
    r = regsAfter([0xD1, modrm(3, 7, EAX)], { eax: 0x80000001, eflags: 0x202 | OF });
    expect([r.eax, r.eflags & (CF | OF)]).toEqual([0xC0000000, CF]);
  });

  it("shift by 0 (cl = 32 masks to 0) changes neither the operand nor any flag, even after a lazy add", () => {
    // add eax, ebx (CF ZF); shl eax, cl with cl = 32
    const r = regsAfter([0x01, modrm(3, EBX, EAX), 0xD3, modrm(3, 4, EAX)], { eax: 0xFFFFFFFF, ebx: 1, ecx: 32 });
    expect(r.eax).toBe(0);
    expect(r.eflags & ARITH).toBe(CF | ZF | AF | PF);
  });

  it("shifts a memory operand in place (C1 /4 [mem], imm8)", () => {
    const r = regsAfter([...movImm(EAX, 0x01020304), ...store(DATA + 100, EAX), 0xC1, modrm(0, 4, 5), ...le32(DATA + 100), 8, ...load(EBX, DATA + 100)]);
    expect(r.ebx).toBe(0x02030400);
  });
});

describe("multiply and divide", () => {
  const M32 = (1n << 32n);
  const u = (v: number) => BigInt(v >>> 0);
  const s = (v: number) => BigInt(v | 0);
  const vals = [0, 1, 2, 3, 0x7F, 0x80, 0xFF, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFF, 0x12345678, 0xDEADBEEF, 0x10001];

  it("mul / imul one-operand (F7 /4 /5, F6 /4 /5): edx:eax or ax, CF = OF = the high half is significant", () => {
    const bad: string[] = [];
    for (const a of vals) for (const b of vals) {
      // 32-bit
      for (const sign of [false, true]) {
        const r = regsAfter([0xF7, modrm(3, sign ? 5 : 4, EBX)], { eax: a, ebx: b, edx: 0x5555 });
        const p = sign ? s(a) * s(b) : u(a) * u(b);
        const lo = Number(((p % M32) + M32) % M32), hi = Number((((p >> 32n) % M32) + M32) % M32);
        const over = sign ? p !== BigInt(lo | 0) : hi !== 0;
        const f = (over ? CF | OF : 0) | szpFlags(lo, 32);
        if (r.eax !== lo || r.edx !== hi || (r.eflags & ARITH) !== f) bad.push(`${sign ? "imul" : "mul"}32 ${a.toString(16)}*${b.toString(16)}: ${r.edx.toString(16)}:${r.eax.toString(16)}/${(r.eflags & ARITH).toString(16)}`);
      }
      // 8-bit: ax = al * r/m8
      for (const sign of [false, true]) {
        const r = regsAfter([0xF6, modrm(3, sign ? 5 : 4, EBX)], { eax: a, ebx: b, edx: 0x5555 });
        const p = sign ? sext(a & 0xFF, 8) * sext(b & 0xFF, 8) : (a & 0xFF) * (b & 0xFF);
        const ax = p & 0xFFFF;
        const over = sign ? p !== sext(p & 0xFF, 8) : (ax & 0xFF00) !== 0;
        const f = (over ? CF | OF : 0) | szpFlags(ax & 0xFF, 8);
        if (r.eax !== (((a & 0xFFFF0000) | ax) >>> 0) || r.edx !== 0x5555 || (r.eflags & ARITH) !== f) bad.push(`${sign ? "imul" : "mul"}8 ${a.toString(16)}*${b.toString(16)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("imul r32, r/m32 (0F AF), imul r32, r/m32, imm32 (69) and imm8 (6B): truncated product, CF = OF = it overflowed", () => {
    const bad: string[] = [];
    for (const a of vals) for (const b of vals) {
      for (const [code, bb] of [
        [[0x0F, 0xAF, modrm(3, ECX, EBX)], b],
        [[0x69, modrm(3, ECX, EBX), ...le32(a)], a],
        [[0x6B, modrm(3, ECX, EBX), a & 0xFF], sext(a & 0xFF, 8)],
        [[...store(DATA, EBX), 0x0F, 0xAF, modrm(0, ECX, 5), ...le32(DATA)], b],
      ] as [number[], number][]) {
        // 0F AF: ecx = ecx * ebx (ecx = a); 69/6B: ecx = ebx * imm (ebx = b)
        const x = code[0] === 0x69 || code[0] === 0x6B ? b : a;
        const r = regsAfter(code, { ecx: a, ebx: b, eax: 0x1111, edx: 0x2222 });
        const p = s(x) * s(bb);
        const lo = Number(((p % M32) + M32) % M32);
        const f = (p !== BigInt(lo | 0) ? CF | OF : 0) | szpFlags(lo, 32);
        if (r.ecx !== lo || r.eax !== 0x1111 || r.edx !== 0x2222 || (r.eflags & ARITH) !== f) bad.push(`imul ${code.map((c) => c.toString(16)).join(" ")} ${x.toString(16)}*${bb.toString(16)}: ${r.ecx.toString(16)}/${(r.eflags & ARITH).toString(16)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("div / idiv r/m32 (F7 /6 /7): quotient in eax, remainder in edx, flags unchanged", () => {
    const bad: string[] = [];
    const his = [0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x12345];
    for (const hi of his) for (const lo of [0, 1, 0x80000000, 0xFFFFFFFF, 0x9ABCDEF0]) for (const d of vals) {
      for (const sign of [false, true]) {
        const o = exec([0xF7, modrm(3, sign ? 7 : 6, EBX), ...INT80], { eax: lo, edx: hi, ebx: d, eflags: 0x202 | CF | ZF });
        const n = sign ? (s(hi) << 32n) | u(lo) : (u(hi) << 32n) | u(lo);
        const dd = sign ? s(d) : u(d);
        let de = dd === 0n;
        let q = 0n, rem = 0n;
        if (!de) {
          q = n / dd; rem = n % dd; // BigInt division truncates toward zero, like idiv
          de = sign ? q < -(1n << 31n) || q >= (1n << 31n) : q >= M32;
        }
        if (de) {
          if (o.stop !== "divide" || o.regs.eip !== CODE || o.regs.eax !== lo >>> 0 || o.regs.edx !== hi >>> 0 || o.regs.trapno !== 18) bad.push(`${sign ? "i" : ""}div ${hi.toString(16)}:${lo.toString(16)}/${d.toString(16)} should be #DE, got ${o.stop}`);
        } else {
          const qn = Number(((q % M32) + M32) % M32), rn = Number(((rem % M32) + M32) % M32);
          if (o.stop !== "syscall" || o.regs.eax !== qn || o.regs.edx !== rn || (o.regs.eflags & ARITH) !== (CF | ZF)) bad.push(`${sign ? "i" : ""}div ${hi.toString(16)}:${lo.toString(16)}/${d.toString(16)}: got ${o.regs.eax.toString(16)} r ${o.regs.edx.toString(16)}, want ${qn.toString(16)} r ${rn.toString(16)}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("div / idiv r/m8 (F6 /6 /7): ax / src -> al quotient, ah remainder; #DE on zero or overflow", () => {
    const bad: string[] = [];
    for (const ax of [0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x1234, 0xFF80]) for (const d of [0, 1, 2, 3, 0x7F, 0x80, 0xFF, 0x10, 0xFE]) {
      for (const sign of [false, true]) {
        const eax = 0xABCD0000 | ax;
        const o = exec([0xF6, modrm(3, sign ? 7 : 6, EBX), ...INT80], { eax, ebx: 0x1200 | d });
        const n = sign ? sext(ax, 16) : ax, dd = sign ? sext(d, 8) : d;
        let de = dd === 0;
        let q = 0, rem = 0;
        if (!de) {
          q = Math.trunc(n / dd); rem = n - q * dd;
          de = sign ? q < -128 || q > 127 : q > 255;
        }
        if (de) {
          if (o.stop !== "divide" || o.regs.eax !== eax >>> 0) bad.push(`${sign ? "i" : ""}div8 ${ax.toString(16)}/${d.toString(16)} should be #DE`);
        } else if (o.stop !== "syscall" || o.regs.eax !== ((0xABCD0000 | ((rem & 0xFF) << 8) | (q & 0xFF)) >>> 0)) {
          bad.push(`${sign ? "i" : ""}div8 ${ax.toString(16)}/${d.toString(16)}: got ${o.regs.eax.toString(16)}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("idiv of -2^31 by -1 and div by zero raise #DE with eip at the instruction and nothing changed", () => {
    let o = exec([0x99, 0xF7, modrm(3, 7, ECX), ...INT80], { eax: 0x80000000, ecx: 0xFFFFFFFF });
    expect(o.stop).toBe("divide");
    expect(o.regs.eip).toBe(CODE + 1);
    expect(o.retired).toBe(1);
    expect([o.regs.eax, o.regs.edx]).toEqual([0x80000000, 0xFFFFFFFF]);
    o = exec([0xF7, modrm(0, 6, 5), ...le32(DATA), ...INT80], { eax: 1 });
    expect(o.stop).toBe("divide");
    expect(o.regs.eip).toBe(CODE);
  });
});

describe("conditions: jcc, setcc, loop", () => {
  const PRODUCERS: [string, number[]][] = [
    ["cmp32", [0x39, modrm(3, EBX, EAX)]],
    ["cmp8", [0x38, modrm(3, EBX, EAX)]],
    ["sub32", [0x29, modrm(3, EBX, EAX)]],
    ["add32", [0x01, modrm(3, EBX, EAX)]],
    ["adc8", [0xF9, 0x10, modrm(3, EBX, EAX)]],
    ["sbb32", [0xF9, 0x19, modrm(3, EBX, EAX)]],
    ["and32", [0x21, modrm(3, EBX, EAX)]],
    ["xor8", [0x30, modrm(3, EBX, EAX)]],
    ["test32", [0x85, modrm(3, EBX, EAX)]],
    ["inc32", [0x40]],
    ["dec8", [0xFE, modrm(3, 1, EAX)]],
    ["neg32", [0xF7, modrm(3, 3, EAX)]],
    ["shl32", [0xD1, modrm(3, 4, EAX)]],
    ["sar8", [0xD0, modrm(3, 7, EAX)]],
    ["imul", [0x0F, 0xAF, modrm(3, EAX, EBX)]],
    ["sahf", [0x88, 0xDC /* mov ah, bl */, 0x9E]],
    ["none", []],
  ];
  const PAIRS = [[0, 0], [1, 2], [2, 1], [0x80000000, 1], [1, 0x80000000], [0x7FFFFFFF, 0xFFFFFFFF], [0xFFFFFFFF, 0x7FFFFFFF],
    [0xFFFFFFFF, 0xFFFFFFFF], [0x80, 0x7F], [0x7F, 0x80], [0x12345678, 0x12345678], [0xC5, 0x3A], [0xD7, 0x28]];

  it("setcc (0F 90-9F) for all 16 conditions after every kind of flag producer matches the SDM's predicates on the flags", () => {
    const bad: string[] = [];
    for (const [name, prod] of PRODUCERS) for (const [a, b] of PAIRS) for (const f0 of [0x202, 0x202 | ARITH]) {
      const code = [...prod];
      for (let cc = 0; cc < 16; cc++) code.push(0x0F, 0x90 + cc, modrm(0, 0, 5), ...le32(DATA + cc));
      const o = exec([...code, ...INT80], { eax: a, ebx: b, eflags: f0 }, { data: true });
      const f = o.regs.eflags;
      for (let cc = 0; cc < 16; cc++) {
        if (o.data![cc] !== (condModel(cc, f) ? 1 : 0)) bad.push(`${name} ${a.toString(16)},${b.toString(16)} cc=${cc}`);
      }
      // And the flags themselves, for the ALU producers.
      const alu = ["cmp32", "cmp8", "sub32", "add32", "adc8", "sbb32", "and32", "xor8"].indexOf(name);
      if (alu >= 0) {
        const kind = [7, 7, 5, 0, 2, 3, 4, 6][alu], size: Size = name.endsWith("8") ? 8 : 32;
        if ((f & ARITH) !== aluModel(kind, a, b, 1, size).f) bad.push(`${name} flags ${a.toString(16)},${b.toString(16)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("jcc rel8 (70-7F) and rel32 (0F 80-8F), taken and not taken, for all 16 conditions after cmp", () => {
    const bad: string[] = [];
    for (const [a, b] of PAIRS) for (const long of [false, true]) {
      const code: number[] = [0x39, modrm(3, EBX, EAX)];
      for (let cc = 0; cc < 16; cc++) {
        const mark = [0xC6, modrm(0, 0, 5), ...le32(DATA + cc), 1]; // mov byte [DATA+cc], 1 (7 bytes)
        code.push(...(long ? [0x0F, 0x80 + cc, ...le32(mark.length)] : [0x70 + cc, mark.length]), ...mark);
      }
      const o = exec([...code, ...INT80], { eax: a, ebx: b }, { data: true });
      const f = aluModel(7, a, b, 0, 32).f;
      for (let cc = 0; cc < 16; cc++) {
        if (o.data![cc] !== (condModel(cc, f) ? 0 : 1)) bad.push(`${long ? "rel32" : "rel8"} ${a.toString(16)},${b.toString(16)} cc=${cc}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("backward jumps: jcc rel8/rel32, jmp rel8/rel32 with negative displacements", () => {
    // ecx = 5; L: add eax, 3; dec ecx; jnz L (rel8 -6)  then  ebx = 3; M: inc edx; dec ebx; jnz M (rel32)
    const r = regsAfter([...movImm(ECX, 5), 0x83, modrm(3, 0, EAX), 3, 0x49, 0x75, 0xFA,
      ...movImm(EBX, 3), 0x42, 0x4B, 0x0F, 0x85, ...le32(-8)]);
    expect(r.eax).toBe(15);
    expect(r.edx).toBe(3);
    // jmp rel32 forward over a hlt, jmp rel8 forward over a hlt
    const r2 = regsAfter([0xE9, ...le32(1), 0xF4, 0xEB, 0x01, 0xF4, 0x41]);
    expect(r2.ecx).toBe(1);
  });

  it("loop (E2), loope (E1), loopne (E0) and jecxz (E3) count ecx without touching flags", () => {
    // ecx = 10; L: inc eax; loop L
    let r = regsAfter([...movImm(ECX, 10), 0x40, 0xE2, 0xFD], { eflags: 0x202 | CF });
    expect([r.eax, r.ecx]).toEqual([10, 0]);
    // loope stops when ZF clears: cmp eax, 3 inside
    r = regsAfter([...movImm(ECX, 10), 0x40, 0x83, modrm(3, 7, EAX), 3, 0xE1, 0xFA], { eax: 2 });
    expect([r.eax, r.ecx]).toEqual([4, 8]);
    // loopne stops when ZF sets
    r = regsAfter([...movImm(ECX, 10), 0x40, 0x83, modrm(3, 7, EAX), 5, 0xE0, 0xFA]);
    expect([r.eax, r.ecx]).toEqual([5, 5]);
    r = regsAfter([0xE3, 0x01, 0xF4, 0x42], { ecx: 0 });
    expect(r.edx).toBe(1);
    const o = exec([0xE3, 0x01, 0xF4, 0x42], { ecx: 1 });
    expect(o.stop).toBe("halt");
  });

  it("cmc clc stc cld std, lahf/sahf", () => {
    let r = regsAfter([0xF9, 0xF5, 0xF5], {});
    expect(r.eflags & CF).toBe(CF);
    r = regsAfter([0xF9, 0xF8]);
    expect(r.eflags & CF).toBe(0);
    r = regsAfter([0xFD]);
    expect(r.eflags & DF).toBe(DF);
    r = regsAfter([0xFC], { eflags: 0x202 | DF });
    expect(r.eflags & DF).toBe(0);
    // lahf after cmp 1, 2: SF AF PF CF (0x95) | bit 1
    r = regsAfter([0x39, modrm(3, EBX, EAX), 0x9F], { eax: 1, ebx: 2 });
    expect((r.eax >>> 8) & 0xFF).toBe(0x97);
    r = regsAfter([0x9E], { eax: 0xFF00, eflags: 0x202 | OF });
    expect(r.eflags & ARITH).toBe(CF | PF | AF | ZF | SF | OF);
  });
});

describe("data movement", () => {
  it("mov in every form: 88 89 8A 8B, B0+r, B8+r, C6 /0, C7 /0, A0-A3 moffs, with 8-bit registers ah ch dh bh", () => {
    const r = regsAfter([
      ...movImm(EAX, 0x11223344),
      0x88, modrm(3, 4 /* ah */, 3 /* bl */),           // mov bl, ah -> ebx low = 0x33
      0x89, modrm(3, EAX, ECX),                            // mov ecx, eax
      0xB6, 0x77,                                          // mov dh, 0x77
      0xB1, 0x99,                                          // mov cl, 0x99
      0xA3, ...le32(DATA),                                 // mov [DATA], eax
      0xA2, ...le32(DATA + 8),                             // mov [DATA+8], al
      0xC7, modrm(0, 0, 5), ...le32(DATA + 12), ...le32(0xCAFEBABE),
      0xC6, modrm(0, 0, 5), ...le32(DATA + 16), 0xEE,
      0x8B, modrm(0, ESI, 5), ...le32(DATA + 12),          // mov esi, [DATA+12]
      0x8A, modrm(0, 7 /* bh */, 5), ...le32(DATA + 16),   // mov bh, [DATA+16]
      0xA1, ...le32(DATA),                                 // mov eax, [DATA]
      0xA0, ...le32(DATA + 12),                            // mov al, [DATA+12]
      0x8B, modrm(0, EDI, 5), ...le32(DATA + 8),
    ], { ebx: 0xAABBCCDD, edx: 0 });
    expect(r.ebx).toBe(0xAABBEE33);
    expect(r.ecx).toBe(0x11223399);
    expect(r.edx).toBe(0x7700);
    expect(r.esi).toBe(0xCAFEBABE);
    expect(r.eax).toBe(0x112233BE);
    expect(r.edi).toBe(0x44);
  });

  it("movzx / movsx from r/m8 and r/m16 (0F B6 B7 BE BF), registers and memory", () => {
    const r = regsAfter([
      0x0F, 0xBE, modrm(3, ECX, 0 /* al */),
      0x0F, 0xB6, modrm(3, EAX, 4 /* ah */),
      0x0F, 0xB7, modrm(3, EDX, EBX),
      0x0F, 0xBF, modrm(3, ESI, EBX),
      ...store(DATA, EBX),
      0x0F, 0xBF, modrm(0, EDI, 5), ...le32(DATA + 1),
      0x0F, 0xBE, modrm(0, EBP, 5), ...le32(DATA + 2),
    ], { eax: 0x1234F280, ebx: 0x5A5A8001 });
    expect(r.eax).toBe(0xF2);
    expect(r.ecx).toBe(0xFFFFFF80);
    expect(r.edx).toBe(0x8001);
    expect(r.esi).toBe(0xFFFF8001);
    expect(r.edi).toBe(0x5A80);
    expect(r.ebp).toBe(0x5A);
  });

  it("xchg r/m8, r/m32 with registers and memory, 90+r with eax; nop; cwde; cdq", () => {
    const r = regsAfter([
      0x87, modrm(3, EBX, ECX),               // xchg ecx, ebx
      0x86, modrm(3, 4 /* ah */, 2 /* dl */), // xchg dl, ah
      0x92,                                   // xchg eax, edx
      0x90,
      ...store(DATA, ESI),
      0x87, modrm(0, EDI, 5), ...le32(DATA),  // xchg [DATA], edi
      ...load(EBP, DATA),
    ], { eax: 0x1111AA11, ebx: 0xB, ecx: 0xC, edx: 0x22222222, esi: 0x5, edi: 0x7 });
    expect([r.ecx, r.ebx]).toEqual([0xB, 0xC]);
    expect(r.eax).toBe(0x222222AA);
    expect(r.edx).toBe(0x11112211);
    expect([r.edi, r.ebp]).toEqual([0x5, 0x7]);
    const c = regsAfter([0x98, 0x89, modrm(3, EAX, ECX), 0x99], { eax: 0x12348000, edx: 7 });
    expect([c.eax, c.ecx, c.edx]).toEqual([0xFFFF8000, 0xFFFF8000, 0xFFFFFFFF]);
    const d = regsAfter([0x99], { eax: 0x7FFFFFFF, edx: 7 });
    expect(d.edx).toBe(0);
  });

  it("push / pop: 50+r 58+r 68 6A FF /6 8F /0; push esp pushes the old esp, pop esp loads the popped value", () => {
    const r = regsAfter([
      0x68, ...le32(0xDEADBEEF),                // push imm32
      0x6A, 0x80,                               // push -128
      0x53,                                     // push ebx
      0xFF, modrm(0, 6, 5), ...le32(DATA),      // push [DATA]
      0x5E,                                     // pop esi  (= [DATA])
      0x8F, modrm(0, 0, 5), ...le32(DATA + 4),  // pop [DATA+4] (= ebx)
      0x5F,                                     // pop edi (= -128)
      0x59,                                     // pop ecx (= imm32)
      0x54,                                     // push esp
      0x58,                                     // pop eax (= esp before the push)
      ...load(EDX, DATA + 4),
    ], { ebx: 0x600DF00D });
    expect(r.esi).toBe(0);
    expect(r.edx).toBe(0x600DF00D);
    expect(r.edi).toBe(0xFFFFFF80);
    expect(r.ecx).toBe(0xDEADBEEF);
    expect(r.eax).toBe(STACK_TOP);
    expect(r.esp).toBe(STACK_TOP);
    const p = regsAfter([0x68, ...le32(0x12345678), 0x5C]); // push; pop esp
    expect(p.esp).toBe(0x12345678);
    // pop [esp+4]: the address uses esp after the pop's increment.
    const q = exec([0x6A, 0x11, 0x6A, 0x22, 0x6A, 0x33, 0x8F, modrm(1, 0, 4), sib(0, 4, ESP), 4, ...INT80], {}, { data: true });
    expect(q.regs.esp).toBe(STACK_TOP - 8);
    // stack: [top-12]=0x33 popped; stored at (top-8)+4 = top-4, overwriting 0x11
    expect(wasm.word(STACK_TOP - 4)).toBe(0x33);
    expect(wasm.word(STACK_TOP - 8)).toBe(0x22);
  });

  it("call rel32 / ret / ret imm16 / call r/m32 / jmp r/m32 / leave: a recursive factorial with a frame pointer", () => {
    // main: push 10; call fact; add esp, 4; int 0x80
    // fact: push ebp; mov ebp, esp; mov eax, [ebp+8]; cmp eax, 1; jbe done;
    //       dec eax; push eax; call fact; add esp, 4; imul eax, [ebp+8]; done: leave; ret
    const fact = [0x55, 0x89, 0xE5, 0x8B, modrm(1, EAX, EBP), 8, 0x83, modrm(3, 7, EAX), 1, 0x76, 0x0E,
      0x48, 0x50, 0xE8, ...le32(-18), 0x83, modrm(3, 0, ESP), 4, 0x0F, 0xAF, modrm(1, EAX, EBP), 8, 0xC9, 0xC3];
    const main = [0x6A, 10, 0xE8, ...le32(6), 0x83, modrm(3, 0, ESP), 4, ...INT80, 0xF4];
    expect(main.length).toBe(13);
    // (regsAfter appends an int $0x80 after fact, never reached)
    const r = regsAfter([...main, ...fact]);
    expect(r.eax).toBe(3628800);
    expect(r.esp).toBe(STACK_TOP);
    expect(r.eip).toBe(CODE + 12);
    // ret imm16 pops its arguments; call / jmp through registers and memory
    const r2 = regsAfter([
      0x6A, 5, 0x6A, 6, 0xE8, ...le32(9),   // push 5; push 6; call f
      0xB8 + EDI, ...le32(CODE + 29),       // mov edi, g
      0xFF, modrm(3, 2, EDI),              // call edi
      0xEB, 0x0D,                           // jmp over f and g to the end (CODE + 31)
      // f (CODE + 18): mov eax, [esp+4]; ret 8
      0x8B, modrm(1, EAX, 4), sib(0, 4, ESP), 4, 0xC2, ...le16(8),
      // four nops, then g (CODE + 29): inc ebx; ret
      0x90, 0x90, 0x90, 0x90, 0x43, 0xC3,
    ]);
    expect(r2.eax).toBe(6);
    expect(r2.esp).toBe(STACK_TOP);
    expect(r2.ebx).toBe(1);
    const r3 = regsAfter([...movImm(EAX, CODE + 18), ...store(DATA, EAX), 0xFF, modrm(0, 4, 5), ...le32(DATA), 0xF4, 0x41]);
    expect(r3.ecx).toBe(1);
  });

  it("lea computes the address without touching memory, even an unmapped or kernel one", () => {
    const r = regsAfter([0x8D, modrm(2, EAX, EBX), ...le32(0xC0000000), 0x8D, modrm(0, ECX, 4), sib(3, EDX, 5), ...le32(0x10)], { ebx: 0x401000, edx: 3 });
    expect(r.eax).toBe(0xC0401000);
    expect(r.ecx).toBe(0x28);
  });
});

describe("ModRM and SIB addressing", () => {
  const REGV = [0x00001000, 0x00020003, 0x00300050, 0x04000700, 0x7FFFEF00, 0x50000009, 0x0600A000, 0x7000B0C0];
  const D8 = 0x85;         // disp8 = -123
  const D32 = 0x12345678;

  function eaModel(mod: number, rm: number, s: number): number {
    let ea = 0;
    if (rm === 4) {
      const base = s & 7, index = (s >> 3) & 7, scale = s >> 6;
      if (index !== 4) ea += REGV[index] * (1 << scale);
      if (base === 5 && mod === 0) ea += D32; else ea += REGV[base];
    } else if (rm === 5 && mod === 0) ea = D32;
    else ea = REGV[rm];
    if (mod === 1) ea += D8 - 256;
    if (mod === 2) ea += D32;
    return ea >>> 0;
  }

  it("every mod (0 1 2) x rm x SIB byte (all 256: scale, index incl. none, base incl. no-base disp32 and esp/ebp) via lea", () => {
    const bad: string[] = [];
    const regs: Regs = {};
    REGS.forEach((n, i) => { regs[n] = REGV[i]; });
    for (let mod = 0; mod < 3; mod++) for (let rm = 0; rm < 8; rm++) {
      for (let s = 0; s < (rm === 4 ? 256 : 1); s++) {
        const code = [0x8D, modrm(mod, EDI, rm)];
        if (rm === 4) code.push(s);
        const base = s & 7;
        if ((rm === 5 && mod === 0) || (rm === 4 && base === 5 && mod === 0)) code.push(...le32(D32));
        if (mod === 1) code.push(D8);
        if (mod === 2) code.push(...le32(D32));
        const o = exec([...code, ...INT80], regs);
        if (o.stop !== "syscall" || o.regs.eip !== CODE + code.length + 2 || o.regs.edi !== eaModel(mod, rm, s)) {
          bad.push(`mod=${mod} rm=${rm} sib=${s.toString(16)}: ${o.stop} ${o.regs.edi.toString(16)} want ${eaModel(mod, rm, s).toString(16)}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("memory operands through each addressing shape read and write the right bytes", () => {
    const cases: [string, number[], Regs][] = [
      ["[ebx]", [modrm(0, EAX, EBX)], { ebx: DATA + 0x40 }],
      ["[disp32]", [modrm(0, EAX, 5), ...le32(DATA + 0x40)], {}],
      ["[esi+disp8]", [modrm(1, EAX, ESI), 0x10], { esi: DATA + 0x30 }],
      ["[esi-disp8]", [modrm(1, EAX, ESI), 0xF0], { esi: DATA + 0x50 }],
      ["[edi+disp32]", [modrm(2, EAX, EDI), ...le32(0x40)], { edi: DATA }],
      ["[ebp+0] (mod 1 rm 5)", [modrm(1, EAX, EBP), 0], { ebp: DATA + 0x40 }],
      ["[ecx+edx*4]", [modrm(0, EAX, 4), sib(2, EDX, ECX)], { ecx: DATA, edx: 0x10 }],
      ["[edx*8+disp32] (no base)", [modrm(0, EAX, 4), sib(3, EDX, 5), ...le32(DATA)], { edx: 8 }],
      ["[ebp+esi*2+disp8] (SIB base ebp, mod 1)", [modrm(1, EAX, 4), sib(1, ESI, EBP), 0x20], { ebp: DATA, esi: 0x10 }],
      ["[ebx+disp32] via SIB with no index", [modrm(2, EAX, 4), sib(0, 4, EBX), ...le32(0x20)], { ebx: DATA + 0x20 }],
      ["[esp+disp8]", [modrm(1, EAX, 4), sib(0, 4, ESP), 0x10], { esp: DATA + 0x30 }],
      ["[eax+eax*1]", [modrm(0, EAX, 4), sib(0, EAX, EAX)], { eax: (DATA + 0x40) / 2 }],
      ["[ecx+disp32] wrapping past 4 GiB", [modrm(2, EAX, ECX), ...le32(0xFFFFF000)], { ecx: DATA + 0x1040 }],
    ];
    for (const [name, addr, regs] of cases) {
      // mov dword [addr], 0xA1B2C3D4 (C7 /0); mov ecx, [addr] (8B /1): DATA+0x40 both times
      const o = exec([0xC7, ...addr.map((b, i) => (i === 0 ? b & ~0x38 : b)), ...le32(0xA1B2C3D4),
        0x8B, ...addr.map((b, i) => (i === 0 ? (b & ~0x38) | (ECX << 3) : b)), ...INT80], regs, { data: true });
      expect(o.stop, name).toBe("syscall");
      expect(o.data!.slice(0x3C, 0x48), name).toEqual([0, 0, 0, 0, 0xD4, 0xC3, 0xB2, 0xA1, 0, 0, 0, 0]);
      expect(o.regs.ecx, name).toBe(0xA1B2C3D4);
    }
  });
});

describe("page faults", () => {
  it("a write to a read-only page faults P|W|U with cr2 = the address, eip at the instruction, nothing changed", () => {
    const o = exec([...movImm(EAX, 7), 0x89, modrm(2, EAX, EBX), ...le32(0x10), ...INT80], { ebx: RO, ecx: 3 });
    expect(o.stop).toBe("fault");
    expect(o.faultVa).toBe(RO + 0x10);
    expect(o.faultErr).toBe(PGEX_P | PGEX_W | PGEX_U);
    expect(o.regs.eip).toBe(CODE + 5);
    expect(o.retired).toBe(1);
    expect(o.regs.eax).toBe(7);
    expect(o.regs.trapno).toBe(12);
    expect(o.regs.err).toBe(PGEX_P | PGEX_W | PGEX_U);
    expect(wasm.bytes(RO + 0x10, 4)).toEqual([RO_FILL, RO_FILL, RO_FILL, RO_FILL]);
    // Reading it is fine.
    const r = regsAfter([0x8B, modrm(0, EAX, EBX)], { ebx: RO });
    expect(r.eax).toBe(0x5A5A5A5A);
  });

  it("read-modify-write instructions on a read-only page fault before changing flags or registers", () => {
    for (const code of [
      [0x01, modrm(0, EAX, EBX)],          // add [ebx], eax
      [0xFF, modrm(0, 0, EBX)],            // inc dword [ebx]
      [0xF7, modrm(0, 3, EBX)],            // neg dword [ebx]
      [0xD1, modrm(0, 4, EBX)],            // shl dword [ebx], 1
      [0x87, modrm(0, EAX, EBX)],          // xchg [ebx], eax
      [0x0F, 0x94, modrm(0, 0, EBX)],      // sete [ebx]
      [0x8F, modrm(0, 0, EBX)],            // pop [ebx]
    ]) {
      const o = exec([0x6A, 0x01, 0x39, modrm(3, EAX, EAX), ...code, ...INT80], { eax: 0x55, ebx: RO + 8 });
      expect(o.stop, code.join(",")).toBe("fault");
      expect(o.faultErr).toBe(PGEX_P | PGEX_W | PGEX_U);
      expect(o.regs.eip).toBe(CODE + 4);
      expect(o.regs.eflags & ARITH).toBe(ZF | PF);
      expect(o.regs.eax).toBe(0x55);
      expect(o.regs.esp).toBe(STACK_TOP - 4);
      expect(wasm.bytes(RO + 8, 4)).toEqual([RO_FILL, RO_FILL, RO_FILL, RO_FILL]);
    }
    // cmp and test only read: no fault
    const r = regsAfter([0x39, modrm(0, EAX, EBX), 0x85, modrm(0, EAX, EBX)], { eax: 2, ebx: RO });
    expect(r.eflags & ZF).toBe(0);
  });

  it("a supervisor-only page (the kernel stack's top page at 0xC0403000) faults P|U on read and P|W|U on write", () => {
    let o = exec([0x8B, modrm(0, EAX, EBX), ...INT80], { ebx: KSTACK, eax: 9 });
    expect(o.stop).toBe("fault");
    expect(o.faultVa).toBe(KSTACK);
    expect(o.faultErr).toBe(PGEX_P | PGEX_U);
    expect(o.regs.eax).toBe(9);
    expect(o.regs.eip).toBe(CODE);
    o = exec([0x89, modrm(0, EAX, EBX), ...INT80], { ebx: KSTACK + 0x123 });
    expect(o.faultVa).toBe(KSTACK + 0x123);
    expect(o.faultErr).toBe(PGEX_P | PGEX_W | PGEX_U);
    // The page tables themselves (the self-map) are supervisor-only too.
    o = exec([0xA1, ...le32(0xBFEFF000), ...INT80]);
    expect([o.stop, o.faultErr]).toEqual(["fault", PGEX_P | PGEX_U]);
  });

  it("an unmapped page faults U on read and W|U on write (and the stack guard catches push)", () => {
    let o = exec([0xA1, ...le32(HOLE + 4), ...INT80]);
    expect([o.stop, o.faultVa, o.faultErr, o.regs.eip]).toEqual(["fault", HOLE + 4, PGEX_U, CODE]);
    o = exec([0xA3, ...le32(HOLE + 8), ...INT80]);
    expect([o.stop, o.faultVa, o.faultErr]).toEqual(["fault", HOLE + 8, PGEX_W | PGEX_U]);
    o = exec([0x53, ...INT80], { esp: STACK_LO });
    expect([o.stop, o.faultVa, o.faultErr, o.regs.esp]).toEqual(["fault", STACK_LO - 4, PGEX_W | PGEX_U, STACK_LO]);
    o = exec([0xE8, ...le32(0), ...INT80], { esp: STACK_LO });
    expect([o.stop, o.faultVa, o.regs.eip, o.regs.esp]).toEqual(["fault", STACK_LO - 4, CODE, STACK_LO]);
    o = exec([0xC3], { esp: STACK_TOP });
    expect([o.stop, o.faultVa, o.faultErr]).toEqual(["fault", STACK_TOP, PGEX_U]);
  });

  it("instruction fetch faults: unmapped (U) and supervisor (P|U) code, cr2 = eip", () => {
    let o = exec([0xE9, ...le32(HOLE - (CODE + 5))]);
    expect([o.stop, o.faultVa, o.faultErr, o.regs.eip, o.retired]).toEqual(["fault", HOLE, PGEX_U, HOLE, 1]);
    o = exec([0xFF, modrm(3, 4, EAX)], { eax: KSTACK + 16 });
    expect([o.stop, o.faultVa, o.faultErr, o.regs.eip]).toEqual(["fault", KSTACK + 16, PGEX_P | PGEX_U, KSTACK + 16]);
  });

  it("after the kernel resolves a copy-on-write fault the instruction restarts and completes", () => {
    for (const m of [wasm, port]) {
      m.setup([...movImm(EAX, 0x77), 0x01, modrm(0, EAX, 5), ...le32(DATA + 32), ...INT80], { eflags: 0x202 });
      m.core.writeWord(m.pm, DATA + 32, 5);
      const child = m.core.fork(m.pm, "cow");
      expect(child).toBeGreaterThan(0);
      let o = m.run();
      expect([o.stop, o.faultVa, o.faultErr, o.regs.eip, o.retired]).toEqual(["fault", DATA + 32, PGEX_P | PGEX_W | PGEX_U, CODE + 5, 1]);
      expect(m.core.fault(m.pm, o.faultVa!, o.faultErr!)).toBe(0);
      o = m.run();
      expect([o.stop, o.retired]).toEqual(["syscall", 2]);
      expect(m.word(DATA + 32)).toBe(0x7C);
      expect(m.core.readWord(child, DATA + 32)).toBe(5);
      m.core.pmapDestroy(child);
    }
  });

  // A read of DATA+32 (fills the read TLB with the shared frame), a write to it (copy), a
  // read after it (must see the copy), a push (the stack page: copy) and a write to the
  // second data page (the child copied it first, so this one keeps its frame), then int $0x80.
  const COW_PROG = [
    ...load(EBX, DATA + 32), ...movImm(EAX, 0x77), 0x01, modrm(0, EAX, 5), ...le32(DATA + 32),
    ...load(ECX, DATA + 32), 0x50, ...store(DATA + 0x1008, EAX), ...INT80,
  ];
  /** COW_PROG after a cow fork whose child wrote the second data page; the run by `how`. */
  function cowRun(m: Machine, how: "host" | "core", budget = 100000) {
    m.setup(COW_PROG, { eflags: 0x202 });
    m.core.writeWord(m.pm, DATA + 32, 5);
    const child = m.core.fork(m.pm, "cow");
    expect(m.core.writeWord(child, DATA + 0x1100, 1)).toBe(0);
    const before = m.core.stats();
    let stop: string, retired = 0, faults = 0, kept = 0;
    if (how === "host") {
      // What the kernel did before cpu_run_cow: each fault back to the host, resolved, run again.
      for (;;) {
        const o = m.core.run(m.td, m.pm, budget - retired);
        retired += o.retired;
        stop = o.stop;
        if (o.stop !== "fault") break;
        const k0 = m.core.stat("cowOptim");
        expect(m.core.fault(m.pm, o.faultVa!, o.faultErr!)).toBe(0);
        faults++;
        if (m.core.stat("cowOptim") !== k0) kept++;
      }
    } else {
      stop = STOP_REASONS[m.core.runCode(m.td, m.pm, budget, true) - 1];
      retired = m.core.runRetired();
      faults = m.core.runCowFaults();
      kept = m.core.runCowKept();
    }
    const tf = m.core.trapframe(m.td).toJSON();
    const after = m.core.stats();
    const out = {
      stop, retired, faults, kept, tf, faultVa: m.core.faultVa(), faultErr: m.core.faultErr(),
      // (framesPeak is a high-water mark: only the first of two runs can raise it.)
      stats: Object.fromEntries(Object.entries(after).filter(([k]) => k !== "framesPeak")
        .map(([k, v]) => [k, v - before[k as keyof typeof before]])),
      parent: [m.word(DATA + 32), m.word(DATA + 0x1008), m.word(STACK_TOP - 4)],
      child: [m.core.readWord(child, DATA + 32), m.core.readWord(child, DATA + 0x1008), m.core.readWord(child, STACK_TOP - 4)],
      refcounts: [DATA + 32, DATA + 0x1008, STACK_TOP - 4].map((va) => m.core.frameRefcount(m.core.pte(m.pm, va) & ~0xFFF)),
    };
    m.core.pmapDestroy(child);
    return out;
  }

  it("cpu_run_cow resolves copy-on-write faults inside the run, ending exactly where the host's resolutions do", () => {
    const outs = [wasm, port].map((m) => {
      const core = cowRun(m, "core");
      expect(core).toEqual(cowRun(m, "host"));
      return core;
    });
    expect(outs[1], "portable build agrees with Wasm").toEqual(outs[0]);
    const o = outs[0];
    expect([o.stop, o.retired, o.faults, o.kept]).toEqual(["syscall", 7, 3, 1]);
    expect([o.tf.ebx, o.tf.ecx, o.tf.trapno, o.tf.err]).toEqual([5, 5 + 0x77, 0x80, 2]);
    expect(o.parent).toEqual([5 + 0x77, 0x77, 0x77]);
    expect(o.child).toEqual([5, 0, 0]);
    expect(o.refcounts).toEqual([1, 1, 1]);
    expect(o.stats).toMatchObject({ cowFaults: 3, cowOptim: 1, pagesCopied: 2 });
  });

  it("cpu_run_cow: a budget stop after a resolved fault leaves tf_trapno/tf_err as the fault's, as the host's run does", () => {
    for (const m of [wasm, port]) {
      const core = cowRun(m, "core", 3);
      expect(core).toEqual(cowRun(m, "host", 3));
      expect([core.stop, core.retired, core.faults, core.tf.trapno, core.tf.err]).toEqual(["budget", 3, 1, 12, PGEX_P | PGEX_W | PGEX_U]);
    }
  });

  it("cpu_run_cow: code that writes its own copy-on-write page runs the bytes it wrote (the fetch page is refetched)", () => {
    for (const m of [wasm, port]) {
      // mov eax, 0; mov byte [X], 0x40 (X's nop becomes inc eax); X: nop; int $0x80
      const X = CODE + 5 + 7;
      m.setup([...movImm(EAX, 0), 0xC6, modrm(0, 0, 5), ...le32(X), 0x40, 0x90, ...INT80]);
      const child = m.core.fork(m.pm, "cow");
      expect(STOP_REASONS[m.core.runCode(m.td, m.pm, 100, true) - 1]).toBe("syscall");
      expect([m.core.trapframe(m.td).eax, m.core.runCowFaults(), m.bytes(X, 1)[0], m.core.copyin(child, X, 1)![0]]).toEqual([1, 1, 0x40, 0x90]);
      m.core.pmapDestroy(child);
    }
  });

  it("cpu_run_cow stops on a fault that is not copy-on-write (read-only page, unmapped page), counting none", () => {
    for (const m of [wasm, port]) {
      for (const [va, err] of [[RO, PGEX_P | PGEX_W | PGEX_U], [HOLE, PGEX_W | PGEX_U]] as const) {
        m.setup([...movImm(EAX, 1), ...store(va, EAX), ...INT80]);
        const stop = m.core.runCode(m.td, m.pm, 100, true);
        expect([STOP_REASONS[stop - 1], m.core.runRetired(), m.core.faultVa(), m.core.faultErr()]).toEqual(["fault", 1, va, err]);
        expect([m.core.runCowFaults(), m.core.runCowKept()]).toEqual([0, 0]);
      }
    }
  });
});

describe("page-straddling accesses", () => {
  it("unaligned word reads and writes across a page boundary, and 16-bit reads (movzx) across it", () => {
    const edge = DATA + 0xFFE;
    const o = exec([
      ...movImm(EAX, 0x44332211), 0x89, modrm(0, EAX, EBX),        // mov [ebx], eax
      0x8B, modrm(0, ECX, EBX),                                    // mov ecx, [ebx]
      0x0F, 0xB7, modrm(1, EDX, EBX), 1,                           // movzx edx, word [ebx+1]
      0x81, modrm(0, 0, EBX), ...le32(0x01010101),                 // add dword [ebx], 0x01010101
      0x8B, modrm(0, ESI, EBX),
      0xFF, modrm(0, 6, EBX), 0x5F,                                // push [ebx]; pop edi
      ...INT80], { ebx: edge }, { data: true });
    expect(o.regs.ecx).toBe(0x44332211);
    expect(o.regs.edx).toBe(0x3322);
    expect(o.regs.esi).toBe(0x45342312);
    expect(o.regs.edi).toBe(0x45342312);
    expect(o.data!.slice(0xFFE, 0x1002)).toEqual([0x12, 0x23, 0x34, 0x45]);
  });

  it("a straddling write whose second page is read-only faults at the page boundary and writes neither page", () => {
    const o = exec([0x89, modrm(0, EAX, EBX), ...INT80], { eax: 0x11223344, ebx: RO - 2 }, { data: true });
    expect([o.stop, o.faultVa, o.faultErr]).toEqual(["fault", RO, PGEX_P | PGEX_W | PGEX_U]);
    expect(o.data!.slice(0x1FFE, 0x2000)).toEqual([0, 0]);
    expect(wasm.bytes(RO, 2)).toEqual([RO_FILL, RO_FILL]);
    // Reading across it works.
    const r = regsAfter([0x8B, modrm(0, EAX, EBX)], { ebx: RO - 2 });
    expect(r.eax).toBe(0x5A5A0000);
    // A straddling read into an unmapped page faults at its first byte.
    const u = exec([0x8B, modrm(0, EAX, EBX), ...INT80], { ebx: HOLE - 1 });
    expect([u.stop, u.faultVa, u.faultErr]).toEqual(["fault", HOLE, PGEX_U]);
  });

  it("a straddling push at the stack guard faults without moving esp", () => {
    const o = exec([0x50, ...INT80], { esp: STACK_LO + 2 });
    expect([o.stop, o.faultVa, o.faultErr, o.regs.esp]).toEqual(["fault", STACK_LO - 4 + 2, PGEX_W | PGEX_U, STACK_LO + 2]);
  });

  it("an instruction straddling two code pages runs; one straddling into an unmapped page faults at that page", () => {
    // mov eax, imm32 across CODE+0x1000
    let o = exec([...movImm(EAX, 0xCAFED00D), ...INT80], {}, { at: CODE + 0xFFD });
    expect([o.stop, o.regs.eax, o.regs.eip]).toEqual(["syscall", 0xCAFED00D, CODE + 0x1004]);
    // every split point of a long instruction: mov dword [ebx+disp32], imm32 (C7 83 disp32 imm32, 10 bytes)
    for (let k = 1; k < 10; k++) {
      o = exec([0xC7, modrm(2, 0, EBX), ...le32(0x10), ...le32(0x600D), ...load(ECX, DATA + 0x10), ...INT80], { ebx: DATA }, { at: CODE + 0x1000 - k });
      expect([o.stop, o.regs.ecx], `split ${k}`).toEqual(["syscall", 0x600D]);
    }
    // into the unmapped page after the code
    for (let k = 1; k < 5; k++) {
      o = exec([...movImm(EAX, 0x12345678)].slice(0, k), { eax: 3 }, { at: CODE_END - k });
      expect([o.stop, o.faultVa, o.faultErr, o.regs.eip, o.regs.eax, o.retired]).toEqual(["fault", CODE_END, PGEX_U, CODE_END - k, 3, 0]);
    }
    // 0F at the last byte: the second opcode byte faults (not #UD)
    o = exec([0x0F], {}, { at: CODE_END - 1 });
    expect([o.stop, o.faultVa]).toEqual(["fault", CODE_END]);
    // an instruction ending exactly at the page end runs; the next fetch faults
    o = exec([...movImm(EAX, 0x12345678)], {}, { at: CODE_END - 5 });
    expect([o.stop, o.faultVa, o.regs.eip, o.regs.eax, o.retired]).toEqual(["fault", CODE_END, CODE_END, 0x12345678, 1]);
  });
});

describe("illegal and unsupported instructions", () => {
  it("ud2, instructions an i686 without MMX/SSE rejects, 67, misplaced lock, int n != 0x80, bad group members stop ILLEGAL at the instruction", () => {
    const cases: [string, number[]][] = [
      ["ud2", [0x0F, 0x0B]],
      ["67 prefix", [0x67, 0x8B, 0x00]],
      ["lock mov", [0xF0, 0x89, 0x03]], ["lock add reg", [0xF0, 0x01, 0xC0]], ["lock cmp", [0xF0, 0x39, 0x03]],
      ["lock nop", [0xF0, 0x90]], ["lock bt", [0xF0, 0x0F, 0xA3, 0x03]],
      ["daa", [0x27]], ["push es", [0x06]], ["aam", [0xD4, 0x0A]], ["salc", [0xD6]],
      ["iret", [0xCF]], ["far call", [0x9A, 0, 0, 0, 0, 0, 0]], ["far ret", [0xCB]], ["les", [0xC4, 0x03]],
      ["int 0x21", [0xCD, 0x21]], ["into", [0xCE]],
      ["lea eax, eax", [0x8D, 0xC0]], ["8F /1", [0x8F, 0xC8]], ["C6 /1", [0xC6, 0xC8, 0]], ["C7 /7", [0xC7, 0xF8, 0, 0, 0, 0]],
      ["FE /2", [0xFE, 0xD0]], ["FF /3 far call", [0xFF, 0x18]], ["FF /5 far jmp", [0xFF, 0x28]], ["FF /7", [0xFF, 0xF8]],
      ["0F FF", [0x0F, 0xFF]], ["SSE movups", [0x0F, 0x10, 0xC0]], ["MMX movq", [0x0F, 0x6F, 0xC0]],
      ["SSE2 movdqa", [0x66, 0x0F, 0x6F, 0xC0]], ["SSSE3", [0x0F, 0x38, 0x00, 0xC0]], ["sysenter", [0x0F, 0x34]],
      ["syscall", [0x0F, 0x05]], ["fisttp (SSE3)", [0xDB, 0x0B]], ["fbld", [0xDF, 0x23]],
      ["66 jmp rel8", [0x66, 0xEB, 0x00]], ["66 call", [0x66, 0xE8, 0, 0]], ["66 ret", [0x66, 0xC3]],
      ["bswap r16", [0x66, 0x0F, 0xC8]], ["mov cs, ax", [0x8E, 0xC8]], ["mov r/m, sreg 6", [0x8C, 0xF0]],
      ["cmpxchg8b reg", [0x0F, 0xC7, 0xC8]], ["bt /0 imm", [0x0F, 0xBA, 0xC0, 0]],
      ["16 prefixes", [...Array(15).fill(0x66), 0x90]],
    ];
    for (const [name, code] of cases) {
      const o = exec([0x40, ...code, ...INT80], { eax: 1, ebx: DATA, eflags: 0x202 });
      expect([o.stop, o.regs.eip, o.retired, o.regs.eax, o.regs.trapno], name).toEqual(["illegal", CODE + 1, 1, 2, 1]);
    }
  });

  it("cli, sti, in, out, ins, outs are #GP at IOPL 0 (the halt stop, T_PROTFLT); int3 retires and stops as a trap (T_BPTFLT)", () => {
    for (const code of [[0xFA], [0xFB], [0xEC], [0xEE], [0xE4, 0x60], [0xE6, 0x60], [0x6C], [0x6F], [0xF3, 0x6E]]) {
      const o = exec([0x40, ...code, ...INT80], { eax: 1 });
      expect([o.stop, o.regs.eip, o.retired, o.regs.trapno], code.join(" ")).toEqual(["halt", CODE + 1, 1, 9]);
    }
    const o = exec([0x40, 0xCC, ...INT80], { eax: 1 });
    expect([o.stop, o.regs.eip, o.retired, o.regs.eax, o.regs.trapno]).toEqual(["trap", CODE + 2, 2, 2, 3]);
  });
});

describe("programs", () => {
  it("sum 1..1000 in a loop gives 500500", () => {
    // xor eax, eax; mov ecx, 1; L: add eax, ecx; inc ecx; cmp ecx, 1000; jle L; int 0x80
    const o = exec([0x31, 0xC0, ...movImm(ECX, 1), 0x01, 0xC8, 0x41, 0x81, modrm(3, 7, ECX), ...le32(1000), 0x7E, 0xF5, ...INT80]);
    expect(o.stop).toBe("syscall");
    expect(o.regs.eax).toBe(500500);
    expect(o.retired).toBe(2 + 4 * 1000 + 1);
  });

  it("sums an array in memory with SIB indexing and counts bytes with setcc", () => {
    // fill DATA[i] = i*3 for i < 256 (dwords); sum them; count how many are odd with setc after shr
    const o = exec([
      0x31, 0xC9,                                             // xor ecx, ecx
      0x8D, modrm(0, EAX, 4), sib(1, ECX, ECX),              // L1: lea eax, [ecx+ecx*2]
      0x89, modrm(0, EAX, 4), sib(2, ECX, 5), ...le32(DATA), // mov [DATA+ecx*4], eax
      0x41, 0x81, modrm(3, 7, ECX), ...le32(256), 0x72, 0xED, // inc ecx; cmp ecx, 256; jb L1
      0x31, 0xC0, 0x31, 0xDB, 0x31, 0xC9,                     // xor eax, xor ebx, xor ecx
      0x8B, modrm(0, EDX, 4), sib(2, ECX, 5), ...le32(DATA), // L2: mov edx, [DATA+ecx*4]
      0x01, 0xD0,                                             // add eax, edx
      0xD1, 0xEA, 0x0F, 0x92, 0xC2, 0x0F, 0xB6, 0xD2, 0x01, 0xD3, // shr edx,1; setc dl; movzx edx, dl; add ebx, edx
      0x41, 0x81, modrm(3, 7, ECX), ...le32(256), 0x72, 0xE4, // inc ecx; cmp ecx, 256; jb L2
      ...INT80]);
    expect(o.stop).toBe("syscall");
    expect(o.regs.eax).toBe(3 * 255 * 256 / 2);
    expect(o.regs.ebx).toBe(128);
  });

  it("random byte streams never trap or hang, and both builds agree on every outcome and every byte", () => {
    let seed = 12345;
    const rnd = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed >>> 8; };
    // Opcodes the interpreter supports, so runs get past the first byte; the rest random.
    const ops = [0x01, 0x03, 0x09, 0x11, 0x19, 0x21, 0x29, 0x31, 0x39, 0x05, 0x2D, 0x40, 0x4B, 0x50, 0x5A, 0x68, 0x69, 0x6B, 0x72,
      0x75, 0x7C, 0x80, 0x81, 0x83, 0x85, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8D, 0x8F, 0x91, 0x98, 0x99, 0x9E, 0x9F, 0xA1, 0xA3,
      0xA8, 0xB0, 0xB8, 0xC0, 0xC1, 0xC6, 0xC7, 0xD0, 0xD1, 0xD3, 0xE2, 0xEB, 0xF6, 0xF7, 0xFE, 0xFF, 0x0F];
    const stops = new Map<string, number>();
    for (let t = 0; t < 400; t++) {
      const code: number[] = [];
      while (code.length < 200) {
        code.push(ops[rnd() % ops.length]);
        const extra = rnd() % 7;
        for (let i = 0; i < extra; i++) code.push(rnd() & 0xFF);
      }
      const pick = [DATA + (rnd() & 0x1FFF), RO + (rnd() & 0xFFF), STACK_LO + (rnd() & 0x1FFF), rnd() << 8, HOLE, DATA + 0xFFE];
      const regs: Regs = { eflags: 0x202 | (rnd() & ARITH) };
      for (const r of ["eax", "ebx", "ecx", "edx", "esi", "edi", "ebp"] as RegName[]) regs[r] = pick[rnd() % pick.length] >>> 0;
      const o = exec(code, regs, { budget: 500, data: true });
      stops.set(o.stop, (stops.get(o.stop) ?? 0) + 1);
    }
    expect([...stops.keys()].sort()).toEqual(expect.arrayContaining(["fault", "illegal"]));
  });
});
