// The instructions the i686 interpreter gained over the hand-picked subset (docs/x86.md):
// each test runs on the Wasm core and on the portable build, which must agree on every
// register, the FPU state and memory. Semantics the qemu oracle cannot judge (where qemu
// 7.2 departs from the SDM) are pinned here, with restartable rep faults, faults that
// change nothing, segments and TLS, cpuid/rdtsc, popf at CPL 3, and the x87 model.
import { describe, it, expect, beforeAll } from "vitest";
import { Core } from "../../src/core/core.js";
import { Rng, genBody, genState } from "./x86-gen.js";

const CODE = 0x08048000, DATA = 0x08050000, RO = 0x08052000, HOLE = 0x08053000, STACK_TOP = 0x7FFFF000;
const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, IF = 0x200, DF = 0x400, OF = 0x800;
const ARITH = CF | PF | AF | ZF | SF | OF;
const INT80 = [0xCD, 0x80];
const le32 = (v: number): number[] => [v & 0xFF, (v >>> 8) & 0xFF, (v >>> 16) & 0xFF, (v >>> 24) & 0xFF];
const le16 = (v: number): number[] => [v & 0xFF, (v >>> 8) & 0xFF];
const REGS = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags", "gs", "fs", "trapno"] as const;
type Regs = Partial<Record<(typeof REGS)[number], number>>;
const FPU = 64; // pcb_save

interface Out { stop: string; retired: number; faultVa?: number; r: Record<string, number>; fpu: number[]; data: number[] }

class M {
  pm: number; td: number;
  constructor(readonly c: Core) {
    this.pm = c.pmapCreate();
    for (const [va, prot] of [[CODE, 7], [CODE + 0x1000, 7], [DATA, 3], [DATA + 0x1000, 3], [RO, 1], [STACK_TOP - 0x1000, 3], [STACK_TOP - 0x2000, 3]]) {
      expect(c.enter(this.pm, va, prot)).toBe(0);
    }
    this.td = c.threadAlloc();
  }
  load(code: number[], regs: Regs, data: number[]): void {
    this.c.copyout(this.pm, CODE, Uint8Array.from(code));
    this.c.copyout(this.pm, DATA, new Uint8Array(0x2000));
    this.c.copyout(this.pm, DATA, Uint8Array.from(data));
    this.c.execSetregs(this.td, CODE, STACK_TOP, 0);
    const tf = this.c.trapframe(this.td) as unknown as Record<string, number>;
    for (const [k, v] of Object.entries(regs)) tf[k] = v!;
  }
  run(budget = 100000): Out {
    const o = this.c.run(this.td, this.pm, budget);
    const tf = this.c.trapframe(this.td) as unknown as Record<string, number>;
    const r: Record<string, number> = {};
    for (const k of REGS) r[k] = tf[k];
    const fpu = [0, 4, 8].map((off) => this.c.x.pcb_get(this.td, FPU + off) & 0xFFFF);
    for (let i = 0; i < 16; i++) fpu.push(this.c.x.pcb_get(this.td, FPU + 112 + 4 * i) >>> 0);
    return { stop: o.stop, retired: o.retired, faultVa: o.faultVa, r, fpu, data: [...this.c.copyin(this.pm, DATA, 256)!] };
  }
}

let ms: M[];
beforeAll(async () => {
  ms = [new M(Core.create({ physBytes: 8 << 20, maxThreads: 8 })), new M(await Core.createPortable({ physBytes: 8 << 20, maxThreads: 8 }))];
});

/** Runs code on both builds (they must agree) and returns the outcome. */
function exec(code: number[], regs: Regs = {}, data: number[] = [], budget = 100000, prep?: (m: M) => void): Out {
  const outs = ms.map((m) => { m.load(code, regs, data); prep?.(m); return m.run(budget); });
  expect(outs[1], "portable agrees with Wasm").toEqual(outs[0]);
  return outs[0];
}
/** Runs again from where both machines stopped. */
function resume(budget = 100000): Out {
  const outs = ms.map((m) => m.run(budget));
  expect(outs[1]).toEqual(outs[0]);
  return outs[0];
}
const ok = (code: number[], regs: Regs = {}, data: number[] = [], prep?: (m: M) => void): Out => {
  const o = exec([...code, ...INT80], regs, data, 100000, prep);
  expect(o.stop).toBe("syscall");
  return o;
};
const f64 = (o: Out, off: number): number => new DataView(Uint8Array.from(o.data).buffer).getFloat64(off, true);
const u32 = (o: Out, off: number): number => new DataView(Uint8Array.from(o.data).buffer).getUint32(off, true);
const dbl = (v: number): number[] => { const b = new Uint8Array(8); new DataView(b.buffer).setFloat64(0, v, true); return [...b]; };

describe("string instructions", () => {
  it("rep movsd/stosb/lodsw, repe cmpsb, repne scasb, with DF and the counts", () => {
    const src = [...Array(32).keys()];
    let o = ok([0xF3, 0xA5], { esi: DATA, edi: DATA + 64, ecx: 5 }, src);
    expect(o.data.slice(64, 84)).toEqual(src.slice(0, 20));
    expect([o.r.ecx, o.r.esi, o.r.edi, o.retired]).toEqual([0, DATA + 20, DATA + 84, 5 + 1]);
    o = ok([0xFD, 0xF3, 0xAA, 0xFC], { edi: DATA + 10, ecx: 4, eax: 0x7A }); // std; rep stosb
    expect(o.data.slice(6, 12)).toEqual([0, 0x7A, 0x7A, 0x7A, 0x7A, 0]);
    expect(o.r.edi).toBe(DATA + 6);
    o = ok([0x66, 0xAD], { esi: DATA + 2, eax: 0x11223344 }, [1, 2, 3, 4]);
    expect([o.r.eax, o.r.esi]).toEqual([0x11220403, DATA + 4]);
    // repe cmpsb stops after the first difference, with its flags
    o = ok([0xF3, 0xA6], { esi: DATA, edi: DATA + 16, ecx: 10 }, [5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 6, 9, 8]);
    expect([o.r.ecx, o.r.esi, o.r.edi, o.r.eflags & (ZF | CF)]).toEqual([7, DATA + 3, DATA + 19, CF]);
    // repne scasb finds the byte
    o = ok([0xF2, 0xAE], { edi: DATA, ecx: 100, eax: 9 }, [1, 2, 9, 4]);
    expect([o.r.ecx, o.r.edi, o.r.eflags & ZF]).toEqual([97, DATA + 3, ZF]);
    // ecx = 0: nothing, one instruction
    o = ok([0xF3, 0xA4], { esi: DATA, edi: DATA + 8, ecx: 0 });
    expect([o.r.esi, o.r.edi, o.retired]).toEqual([DATA, DATA + 8, 2]);
  });

  it("long rep movs/stos (copied a page-run at a time) match element-by-element semantics: page crossings, overlap, faults, budget", () => {
    const src = Array.from({ length: 0x2000 }, (_, i) => (i * 7 + 3) & 0xFF);
    // 500 dwords from DATA+0xF03 to the stack's lower page + 0xCFF: both misaligned, both crossing a page
    const dst = STACK_TOP - 0x1000 - 0x301;
    let o = exec([0xF3, 0xA5, ...INT80], { esi: DATA + 0xF03, edi: dst, ecx: 500 }, src);
    expect([o.stop, o.r.ecx, o.r.esi, o.r.edi, o.retired]).toEqual(["syscall", 0, DATA + 0xF03 + 2000, dst + 2000, 501]);
    for (const m of ms) expect([...m.c.copyin(m.pm, dst, 2000)!]).toEqual(src.slice(0xF03, 0xF03 + 2000));
    // an overlapping forward movsb replicates, as one byte at a time does
    o = exec([0xF3, 0xA4, ...INT80], { esi: DATA, edi: DATA + 1, ecx: 300 }, [0xAB, 1, 2, 3]);
    expect(o.data.slice(0, 256).every((b) => b === 0xAB)).toBe(true);
    // stosd across the page after DATA+0x1000 into the read-only page: a fault with the count consistent
    o = exec([0xF3, 0xAB, ...INT80], { edi: DATA + 0x2000 - 8, ecx: 10, eax: 0x11223344 });
    expect([o.stop, o.faultVa, o.r.eip, o.r.ecx, o.r.edi, o.retired]).toEqual(["fault", RO, CODE, 8, RO, 2]);
    // the budget stops a long stosb between elements
    o = exec([0xF3, 0xAA, ...INT80], { edi: DATA, ecx: 3000, eax: 0x5A }, [], 1234);
    expect([o.stop, o.r.eip, o.r.ecx, o.r.edi, o.retired]).toEqual(["budget", CODE, 3000 - 1234, DATA + 1234, 1234]);
    const r = resume();
    expect([r.stop, r.r.ecx, r.r.edi, r.retired]).toEqual(["syscall", 0, DATA + 3000, 3000 - 1234 + 1]);
  });

  it("a rep movsd that faults mid-way stops at the instruction with ecx/esi/edi consistent, and resumes", () => {
    // copy 2048 dwords from DATA + 4096 - 16 onward: the source runs into the hole at RO+... (RO is readable, HOLE not)
    const start = RO + 0x1000 - 16; // the last 4 dwords of RO, then HOLE
    const o = exec([0xF3, 0xA5, ...INT80], { esi: start, edi: DATA, ecx: 10 });
    expect([o.stop, o.faultVa, o.r.eip, o.r.ecx, o.r.esi, o.r.edi, o.retired]).toEqual(["fault", HOLE, CODE, 6, HOLE, DATA + 16, 4]);
    for (const m of ms) expect(m.c.enter(m.pm, HOLE, 3)).toBe(0);
    const r = resume();
    expect([r.stop, r.r.ecx, r.r.esi, r.r.edi, r.retired]).toEqual(["syscall", 0, HOLE + 24, DATA + 40, 6 + 1]);
    for (const m of ms) m.c.remove(m.pm, HOLE, HOLE + 0x1000);
  });

  it("the budget can stop a rep instruction between iterations; it resumes where it stopped", () => {
    const o = exec([0xF3, 0xAB, ...INT80], { edi: DATA, ecx: 10, eax: 0x55 }, [], 3);
    expect([o.stop, o.r.eip, o.r.ecx, o.r.edi, o.retired]).toEqual(["budget", CODE, 7, DATA + 12, 3]);
    const r = resume();
    expect([r.stop, r.r.ecx, r.r.edi, r.retired]).toEqual(["syscall", 0, DATA + 40, 8]);
    expect(u32(r, 36)).toBe(0x55);
  });
});

describe("faults change nothing", () => {
  it("pusha, enter, cmpxchg8b, xadd, bts, fstp, fnsave faulting on a read-only page leave registers, flags, FPU and memory as they were", () => {
    const cases: [string, number[], Regs][] = [
      ["pusha", [0x60], { esp: RO + 8 }],
      ["enter", [0xC8, 8, 0, 1], { esp: RO + 0x1000 + 4, ebp: DATA }],
      ["cmpxchg8b", [0x0F, 0xC7, 0x0B], { ebx: RO + 0xFFC }],
      ["lock xadd", [0xF0, 0x0F, 0xC1, 0x03], { ebx: RO }],
      ["bts m", [0x0F, 0xAB, 0x03], { ebx: RO, eax: 5 }],
      ["fstp m64", [0xD9, 0xE8, 0xDD, 0x1B], { ebx: RO }],
      ["fnsave", [0xD9, 0xE8, 0xDD, 0x33], { ebx: RO + 0xFF0 }],
      ["rep stosd", [0xF3, 0xAB], { edi: RO, ecx: 3 }],
    ];
    for (const [name, code, regs] of cases) {
      const o = exec([0xD9, 0xEE, ...code, ...INT80], { eax: 0x1234, ecx: 7, edx: 9, eflags: 0x202 | CF | SF, ...regs });
      expect(o.stop, name).toBe("fault");
      expect(o.r.eip, name).toBe(CODE + 2 + (name.startsWith("f") ? 2 : 0));
      expect([o.r.eax, o.r.ecx, o.r.esp, o.r.ebp, o.r.eflags & ARITH], name).toEqual([regs.eax ?? 0x1234, regs.ecx ?? 7, regs.esp ?? STACK_TOP, regs.ebp ?? 0, CF | SF]);
      expect((o.fpu[1] >> 11) & 7, `${name}: FPU top`).toBe(name.startsWith("f") ? 6 : 7); // fldz (and fld1) pushed, nothing popped
    }
  });
});

describe("flags and the slow path's semantics", () => {
  it("cmpxchg8b sets ZF only (the SDM: CF PF AF SF OF unaffected; qemu 7.2 clobbers them)", () => {
    let o = ok([0x0F, 0xC7, 0x0B], { ebx: DATA, eax: 1, edx: 2, ecx: 0xAA, eflags: 0x202 | CF | PF | AF | SF | OF }, [...le32(1), ...le32(2)]);
    expect([o.r.eflags & ARITH, u32(o, 0), u32(o, 4)]).toEqual([CF | PF | AF | SF | OF | ZF, DATA, 0xAA]);
    o = ok([0x0F, 0xC7, 0x0B], { ebx: DATA, eax: 1, edx: 3, eflags: 0x202 | ZF | PF }, [...le32(7), ...le32(8)]);
    expect([o.r.eflags & ARITH, o.r.eax, o.r.edx]).toEqual([PF, 7, 8]);
  });

  it("popf at CPL 3 with IOPL 0 keeps IF and IOPL, clears RF, sets AC ID NT DF TF and the arithmetic flags; pushf hides VM and RF", () => {
    let o = ok([0x68, ...le32(0xFFFFFFFF), 0x9D, 0x9C, 0x5A, 0x68, ...le32(0x202), 0x9D], { eflags: 0x202 });
    expect(o.r.edx >>> 0).toBe(0x244DD5 | 0x202);
    o = ok([0x68, ...le32(0), 0x9D, 0x9C, 0x5A], { eflags: 0x202 });
    expect(o.r.edx).toBe(0x202); // IF stays, bit 1 reads 1
    o = ok([0x66, 0x68, ...le16(0xFFFF), 0x66, 0x9D, 0x9C, 0x5A]);
    expect(o.r.edx).toBe(0x4DD5 | 0x202); // 16-bit popf: the low half only
  });

  it("pushaw/popaw (66 60, 66 61) move the 16-bit halves through the 32-bit stack", () => {
    const o = ok([0x66, 0x60, 0x66, 0xB8, ...le16(0), 0x66, 0xBF, ...le16(0), 0x66, 0x61], { eax: 0x11112222, edi: 0x3333AAAA });
    expect([o.r.eax, o.r.edi, o.r.esp]).toEqual([0x11112222, 0x3333AAAA, STACK_TOP]);
  });

  it("cpuid answers an i686 (family 6) with only FPU TSC CX8 CMOV; rdtsc counts the thread's retired instructions", () => {
    let o = ok([0x31, 0xC0, 0x0F, 0xA2]);
    expect([o.r.eax, o.r.ebx, o.r.edx, o.r.ecx]).toEqual([1, 0x756E6547, 0x49656E69, 0x6C65746E]);
    o = ok([0xB8, ...le32(1), 0x0F, 0xA2]);
    expect([(o.r.eax >> 8) & 15, o.r.edx, o.r.ecx]).toEqual([6, (1 << 0) | (1 << 4) | (1 << 8) | (1 << 15), 0]);
    // rdtsc after three instructions of a fresh image
    for (const m of ms) m.c.x.pcb_set(m.td, 592, 0), m.c.x.pcb_set(m.td, 596, 0);
    o = exec([0x90, 0x90, 0x90, 0x0F, 0x31, ...INT80]);
    expect([o.r.eax, o.r.edx]).toEqual([3, 0]);
  });

  it("bt with a register offset reaches bits outside the addressed dword, signed; bsf/bsr of 0 set ZF and keep the destination", () => {
    let o = ok([0x0F, 0xAB, 0x03], { ebx: DATA + 8, eax: -33 });    // bts [ebx], eax: bit 31 of the dword at ebx-8
    expect([u32(o, 0) >>> 0, u32(o, 4) >>> 0, u32(o, 8)]).toEqual([0x80000000, 0, 0]);
    o = ok([0x0F, 0xBC, 0xC1], { ecx: 0, eax: 77, eflags: 0x202 });
    expect([o.r.eax, o.r.eflags & ZF]).toEqual([77, ZF]);
  });

  it("multi-byte NOPs, endbr32, rep ret, and segment prefixes CS DS ES SS are no-ops", () => {
    const o = ok([0x0F, 0x1F, 0x44, 0x00, 0x00, 0x66, 0x2E, 0x0F, 0x1F, 0x84, 0, 0, 0, 0, 0, 0xF3, 0x0F, 0x1E, 0xFB, 0x66, 0x90,
      0x2E, 0x8B, 0x03, 0x36, 0x8B, 0x4B, 0x04], { ebx: DATA }, [1, 0, 0, 0, 2]);
    expect([o.r.eax, o.r.ecx, o.retired]).toEqual([1, 2, 7]);
  });
});

describe("segments: %gs and %fs through the thread's TLS segments", () => {
  it("a gs: access adds the TLS base set_tls_area gave; the flat selector has base 0; an unset TLS selector is #GP", () => {
    const tls = (m: M): void => m.c.setTls(m.td, 0, DATA + 0x100); // after exec, which clears them
    let o = ok([0x65, 0xA1, ...le32(4), 0x65, 0x8B, 0x4B, 0x08], { gs: 0x7B, ebx: 0 }, [...Array(0x100).fill(0), 0, 0, 0, 0, 0x44, 0, 0, 0, 0x88], tls);
    expect([o.r.eax, o.r.ecx]).toEqual([0x44, 0x88]);
    o = ok([0x65, 0x8B, 0x03], { gs: 0x2F, ebx: DATA }, [9]);
    expect(o.r.eax).toBe(9);
    o = exec([0x65, 0x8B, 0x03, ...INT80], { gs: 0x83, ebx: DATA }, [], 100, tls); // TLS segment 1 is not set
    expect([o.stop, o.r.eip, o.r.trapno]).toEqual(["halt", CODE, 9]);
    // mov gs, ax loads a set TLS selector; mov ax, gs reads it back; fs works alike
    o = ok([0xB8, ...le32(0x7B), 0x8E, 0xE8, 0x65, 0x8B, 0x0D, ...le32(4), 0x8C, 0xEA, 0x8E, 0xE0, 0x64, 0x8B, 0x35, ...le32(4)], {}, [...Array(0x104).fill(0), 0x77], tls);
    expect([o.r.ecx, o.r.edx, o.r.gs, o.r.fs, o.r.esi]).toEqual([0x77, 0x7B, 0x7B, 0x7B, 0x77]);
    o = exec([0xB8, ...le32(0x8B), 0x8E, 0xE8, ...INT80], {}, [], 100, tls);
    expect([o.stop, o.r.eip]).toEqual(["halt", CODE + 5]); // #GP: TLS segment 2 unset
  });

  it("cpu_fork copies the TLS segments and the FPU state with the pcb (fork carries both)", () => {
    for (const m of ms) {
      m.load([0xD9, 0xE8, 0xD9, 0xEB, ...INT80], {}, []); // fld1; fldpi
      m.c.setTls(m.td, 1, 0x1234000);
      expect(m.run().stop).toBe("syscall");
      const td2 = m.c.threadAlloc();
      m.c.cpuFork(m.td, td2, m.pm, 0x10);
      expect(m.c.tls(td2, 1)).toBe(0x1234000);
      // the child pops both: pi then 1
      m.c.copyout(m.pm, CODE + 0x100, Uint8Array.from([0xDD, 0x1D, ...le32(DATA), 0xDD, 0x1D, ...le32(DATA + 8), ...INT80]));
      const tf = m.c.trapframe(td2);
      tf.eip = CODE + 0x100;
      expect(m.c.run(td2, m.pm, 100).stop).toBe("syscall");
      const b = m.c.copyin(m.pm, DATA, 16)!;
      const dv = new DataView(b.buffer, b.byteOffset);
      expect([dv.getFloat64(0, true), dv.getFloat64(8, true)]).toEqual([Math.PI, 1]);
      m.c.threadFree(td2);
      m.c.setTls(m.td, 1, null);
    }
  });
});

describe("x87", () => {
  it("exec_setregs leaves the FPU as npxinit does: control word 0x127F, empty stack; fninit gives 0x037F", () => {
    let o = ok([]);
    expect(o.fpu.slice(0, 3)).toEqual([0x127F, 0, 0xFFFF]);
    o = ok([0xDB, 0xE3, 0xD9, 0x3B], { ebx: DATA });
    expect(o.data.slice(0, 2)).toEqual([0x7F, 0x03]);
  });

  it("(int) casts: fistp honours the rounding control (nearest-even, down, up, chop)", () => {
    for (const [v, want] of [[2.5, [2, 2, 3, 2]], [-2.5, [-2, -3, -2, -2]], [3.5, [4, 3, 4, 3]], [-0.4, [0, -1, 0, 0]]] as [number, number[]][]) {
      const got: number[] = [];
      for (let rc = 0; rc < 4; rc++) {
        const o = ok([0xDD, 0x03, 0xD9, 0x6B, 0x10, 0xDB, 0x5B, 0x20], { ebx: DATA }, [...dbl(v), 0, 0, 0, 0, 0, 0, 0, 0, ...le16(0x127F | (rc << 10))]);
        got.push(u32(o, 0x20) | 0);
      }
      expect(got, `${v}`).toEqual(want);
    }
  });

  it("frndint rounds by the control word; a negative value rounding to zero gives -0", () => {
    const o = ok([0xDD, 0x03, 0xD9, 0xFC, 0xDD, 0x5B, 0x10, 0xDD, 0x43, 0x08, 0xD9, 0xFC, 0xDD, 0x5B, 0x18], { ebx: DATA }, [...dbl(-0.4), ...dbl(-2.5)]);
    expect([Object.is(f64(o, 0x10), -0), f64(o, 0x18)]).toEqual([true, -2]);
  });

  it("fist out of range and NaN store the integer indefinite with IE; fild/fistp m64 are exact below 2^53", () => {
    let o = ok([0xDD, 0x03, 0xDB, 0x5B, 0x10, 0xDD, 0x43, 0x08, 0xDF, 0x5B, 0x14], { ebx: DATA }, [...dbl(3e9), ...dbl(NaN)]);
    expect([u32(o, 0x10) >>> 0, o.data[0x14] | (o.data[0x15] << 8), o.fpu[1] & 1]).toEqual([0x80000000, 0x8000, 1]);
    const big = 2 ** 52 + 12345;
    o = ok([0xDF, 0x2B, 0xDF, 0x7B, 0x08], { ebx: DATA }, [...le32(big % 2 ** 32), ...le32(Math.floor(big / 2 ** 32))]);
    expect(u32(o, 8) + u32(o, 12) * 2 ** 32).toBe(big);
  });

  it("the constants are the nearest doubles (hardware has them to 64 bits: docs/x86.md)", () => {
    const o = ok([0xD9, 0xEB, 0xDD, 0x1B, 0xD9, 0xEA, 0xDD, 0x5B, 0x08, 0xD9, 0xE9, 0xDD, 0x5B, 0x10, 0xD9, 0xEC, 0xDD, 0x5B, 0x18, 0xD9, 0xED, 0xDD, 0x5B, 0x20], { ebx: DATA });
    expect([0, 8, 16, 24, 32].map((k) => f64(o, k))).toEqual([Math.PI, Math.LOG2E, Math.log2(10), Math.LOG10E === 0 ? 0 : Math.log10(2), Math.LN2]);
  });

  it("m80: fstp m80 writes the exact extended form; fld m80 rounds to the nearest double", () => {
    let o = ok([0xD9, 0xE8, 0xD9, 0xE0, 0xDB, 0x3B], { ebx: DATA }); // -1.0
    expect(o.data.slice(0, 10)).toEqual([0, 0, 0, 0, 0, 0, 0, 0x80, 0xFF, 0xBF]);
    // pi to 64 bits (C90FDAA2 2168C234 C, exponent 0x4000) loads as Math.PI
    o = ok([0xDB, 0x2B, 0xDD, 0x5B, 0x10], { ebx: DATA }, [0x35, 0xC2, 0x68, 0x21, 0xA2, 0xDA, 0x0F, 0xC9, 0x00, 0x40]);
    expect(f64(o, 0x10)).toBe(Math.PI);
    // a double denormal becomes a normal extended number
    o = ok([0xDD, 0x03, 0xDB, 0x7B, 0x10, 0xDB, 0x6B, 0x10, 0xDD, 0x5B, 0x20], { ebx: DATA }, dbl(5e-324));
    expect([o.data[0x19] & 0x7F, f64(o, 0x20)]).toEqual([0x3B, 5e-324]);
  });

  it("fprem1 sets the quotient bits C0 C3 C1 (qemu 7.2 leaves them 0); fprem truncates", () => {
    const C0 = 0x100, C1 = 0x200, C3 = 0x4000;
    // st1 = 2, st0 = 7: fprem1 -> -1, quotient 4 (C0); fprem -> 1, quotient 3 (C3 C1)
    let o = ok([0xDD, 0x43, 0x08, 0xDD, 0x03, 0xD9, 0xF5, 0xDD, 0x5B, 0x10], { ebx: DATA }, [...dbl(7), ...dbl(2)]);
    expect([f64(o, 0x10), o.fpu[1] & (C0 | C1 | C3)]).toEqual([-1, C0]);
    o = ok([0xDD, 0x43, 0x08, 0xDD, 0x03, 0xD9, 0xF8, 0xDD, 0x5B, 0x10], { ebx: DATA }, [...dbl(7), ...dbl(2)]);
    expect([f64(o, 0x10), o.fpu[1] & (C0 | C1 | C3)]).toEqual([1, C3 | C1]);
  });

  it("fcomi sets ZF PF CF and clears OF SF AF (the SDM, Bochs; qemu 7.2 keeps them)", () => {
    const o = ok([0xD9, 0xE8, 0xD9, 0xEE, 0xDB, 0xF1], { eflags: 0x202 | OF | SF | AF | ZF }); // st0 = 0 < st1 = 1
    expect(o.r.eflags & ARITH).toBe(CF);
  });

  it("stack overflow pushes NaN with IE SF C1; an empty register reads as NaN with IE SF; fxam tells empty, zero, normal, inf, NaN", () => {
    let o = ok([...Array(9).fill([0xD9, 0xE8]).flat(), 0xDD, 0x1B], { ebx: DATA });
    expect([Number.isNaN(f64(o, 0)), o.fpu[1] & 0x241]).toEqual([true, 0x241]);
    o = ok([0xD8, 0xC1, 0xDD, 0x1B], { ebx: DATA });
    expect([Number.isNaN(f64(o, 0)), o.fpu[1] & 0x41]).toEqual([true, 0x41]);
    const cls = (code: number[]): number => ok([...code, 0xD9, 0xE5, 0xDF, 0xE0]).r.eax & 0x4700;
    expect(cls([])).toBe(0x4100);                                     // empty: C3 C0
    expect(cls([0xD9, 0xEE])).toBe(0x4000);                           // zero: C3
    expect(cls([0xD9, 0xE8, 0xD9, 0xE0])).toBe(0x0600);               // -1: C2, C1 sign
    expect(cls([0xD9, 0xE8, 0xD9, 0xEE, 0xDE, 0xF9])).toBe(0x0500);   // 1/0 = inf: C2 C0
    expect(cls([0xD9, 0xEE, 0xD9, 0xEE, 0xDE, 0xF9]) & ~0x200).toBe(0x0100); // 0/0 = NaN: C0 (its sign is the host's)
  });

  it("fnsave then frstor round-trips the whole state; fnsave leaves the FPU initialized", () => {
    const o = ok([0xD9, 0xE8, 0xD9, 0xEB, 0xDD, 0x33, 0xD9, 0xEE, 0xDD, 0x23, 0xDE, 0xC1, 0xDD, 0x5E, 0x70], { esi: DATA, ebx: DATA, esp: STACK_TOP });
    expect(f64(o, 0x70)).toBe(Math.PI + 1);
    expect([o.data[0], o.data[1], o.data[8], o.data[9]]).toEqual([0x7F, 0x12, 0xFF, 0x0F]); // cw, tag word (registers 6 7 valid)
  });

  it("fincstp/fdecstp rotate TOP; transcendental instructions compute", () => {
    let o = ok([0xD9, 0xF6, 0xD9, 0xF6, 0xD9, 0xF7]);
    expect((o.fpu[1] >> 11) & 7).toBe(7);
    o = ok([0xDD, 0x03, 0xD9, 0xFE, 0xDD, 0x5B, 0x10, 0xDD, 0x03, 0xD9, 0xFF, 0xDD, 0x5B, 0x18, 0xDD, 0x03, 0xD9, 0xE8, 0xD9, 0xF3, 0xDD, 0x5B, 0x20,
      0xDD, 0x03, 0xD9, 0xF0, 0xDD, 0x5B, 0x28, 0xD9, 0xE8, 0xDD, 0x03, 0xD9, 0xF1, 0xDD, 0x5B, 0x30], { ebx: DATA }, dbl(0.5));
    expect([0x10, 0x18, 0x20, 0x28, 0x30].map((k) => f64(o, k))).toEqual([Math.sin(0.5), Math.cos(0.5), Math.atan2(0.5, 1), Math.expm1(0.5 * Math.LN2), Math.log2(0.5)]);
  });
});

describe("Wasm and portable agree on random programs with every new opcode", () => {
  it("random bodies (integer and x87 templates) and random byte streams over the new opcodes", () => {
    const r = new Rng(99);
    for (let t = 0; t < 300; t++) {
      const body = genBody(r, 12);
      const st = genState(r, DATA);
      exec([...body.code, ...INT80], { eax: st.regs[0], ecx: st.regs[1], edx: st.regs[2], ebx: st.regs[3], ebp: st.regs[5], esi: st.regs[6], edi: st.regs[7], eflags: st.eflags }, [...st.data]);
    }
    const ops = [0x66, 0xF3, 0xF2, 0xF0, 0x65, 0x64, 0x0F, 0xA4, 0xA5, 0xAA, 0xAB, 0xA6, 0xAE, 0x9C, 0x9D, 0x60, 0x61, 0xC8, 0xD7,
      0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF, 0xD1, 0xD3, 0xC1, 0xF7, 0x98, 0x99, 0x8C, 0x8E];
    const sec = [0xA3, 0xAB, 0xB3, 0xBB, 0xBA, 0xBC, 0xBD, 0xA4, 0xA5, 0xAC, 0xAD, 0xB0, 0xB1, 0xC0, 0xC1, 0xC7, 0xC8, 0x44, 0x4F, 0xA2, 0x31, 0x1F, 0xB6, 0xBF];
    const stops = new Map<string, number>();
    for (let t = 0; t < 300; t++) {
      const code: number[] = [];
      while (code.length < 150) {
        const op = r.pick(ops);
        code.push(op);
        if (op === 0x0F) code.push(r.pick(sec));
        for (let i = r.int(5); i > 0; i--) code.push(r.int(256));
      }
      const pick = [DATA + r.int(0x1FF0), RO + r.int(0x1000), STACK_TOP - 1 - r.int(0x1000), r.u32(), HOLE];
      const o = exec(code, { eax: r.pick(pick), ebx: r.pick(pick), ecx: r.int(40), edx: r.pick(pick), esi: r.pick(pick), edi: r.pick(pick), ebp: r.pick(pick), eflags: 0x202 | (r.u32() & (ARITH | DF)) }, [], 400);
      stops.set(o.stop, (stops.get(o.stop) ?? 0) + 1);
    }
    expect([...stops.keys()]).toEqual(expect.arrayContaining(["fault", "illegal"]));
  });
});
