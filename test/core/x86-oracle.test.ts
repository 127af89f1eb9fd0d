// The hardware oracle: random instruction sequences (x86-gen.ts) run in forklab's
// interpreter and, as a static Linux i386 program, under qemu-i386; registers, flags (the
// ones the SDM defines), the x87 status word and the data block must agree. The Linux
// harness is generated assembly: for each case it copies the data block in, sets the FPU
// to DragonFly's initial state (fninit; fldcw 0x127F), loads flags and registers, runs the
// body bytes, and dumps everything; one write(2) at the end. Skips (with the reason) when
// gcc -m32 or qemu-i386 is missing: Debian packages gcc-multilib and qemu-user.
import { describe, it, expect, beforeAll } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Core } from "../../src/core/core.js";
import { Rng, genBody, genState, ARITH, DF, type Body, type State } from "./x86-gen.js";

const DATA = 0x0A000000;   // the data block: the same address in both worlds
const CODE = 0x08048000;
const STACK_TOP = 0x7FFFF000;
const REC = 40 + 256;      // per case: 8 registers, eflags, fsw, data

function tool(cmd: string, args: string[]): string | null {
  try { execFileSync(cmd, args, { stdio: "ignore" }); return null; } catch { return `${cmd} ${args.join(" ")} failed`; }
}
const missing = (() => {
  const dir = mkdtempSync(join(tmpdir(), "forklab-oracle-"));
  try {
    writeFileSync(join(dir, "t.s"), ".globl _start\n_start: movl $1, %eax\nxorl %ebx, %ebx\nint $0x80\n");
    return tool("gcc", ["-m32", "-static", "-nostdlib", "-o", join(dir, "t"), join(dir, "t.s")])
      ?? tool("qemu-i386", [join(dir, "t")]);
  } finally { rmSync(dir, { recursive: true, force: true }); }
})();
if (missing) console.warn(`x86 oracle skipped: ${missing} (install the Debian packages gcc-multilib and qemu-user)`);

/** Runs the cases under qemu-i386: REC bytes per case. */
function runQemu(cases: { body: Body; st: State }[]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "forklab-oracle-"));
  try {
    const L: string[] = [
      ".section .fdata,\"aw\",@progbits", ".globl data", "data: .space 4096",
      ".data", "cw: .short 0x127f", "saved_esp: .long 0", `out: .space ${cases.length * REC}`,
      ".text", ".globl _start", "_start:",
    ];
    cases.forEach(({ body, st }, i) => {
      const o = `out+${i * REC}`;
      L.push(`  movl $init${i}, %esi`, "  movl $data, %edi", "  movl $256, %ecx", "  cld", "  rep movsb");
      L.push("  fninit", "  fldcw cw", `  pushl $${st.eflags}`, "  popfl");
      ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"].forEach((r, k) => { if (r !== "esp") L.push(`  movl $${st.regs[k]}, %${r}`); });
      L.push("  movl %esp, saved_esp");
      L.push(`  .byte ${body.code.join(",")}`);
      ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"].forEach((r, k) => L.push(`  movl %${r}, ${o}+${k * 4}`));
      L.push(`  pushfl`, `  popl ${o}+32`, `  fnstsw ${o}+36`, "  movl saved_esp, %esp", "  cld");
      L.push("  movl $data, %esi", `  movl $${o}+40, %edi`, "  movl $256, %ecx", "  rep movsb");
    });
    L.push("  movl $4, %eax", "  movl $1, %ebx", "  movl $out, %ecx", `  movl $${cases.length * REC}, %edx`, "  int $0x80");
    L.push("  movl $1, %eax", "  xorl %ebx, %ebx", "  int $0x80", ".data");
    cases.forEach(({ st }, i) => L.push(`init${i}: .byte ${[...st.data].join(",")}`));
    writeFileSync(join(dir, "h.s"), L.join("\n") + "\n");
    execFileSync("gcc", ["-m32", "-static", "-nostdlib", `-Wl,--section-start=.fdata=0x${DATA.toString(16)}`, "-o", join(dir, "h"), join(dir, "h.s")]);
    const out = execFileSync("qemu-i386", [join(dir, "h")], { maxBuffer: 64 << 20 });
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

/** The same record from forklab. */
function runForklab(core: Core, pm: number, td: number, body: Body, st: State): Uint8Array {
  const out = new Uint8Array(REC);
  const dv = new DataView(out.buffer);
  expect(core.copyout(pm, CODE, Uint8Array.from([...body.code, 0xCD, 0x80]))).toBe(0);
  expect(core.copyout(pm, DATA, st.data)).toBe(0);
  core.execSetregs(td, CODE, STACK_TOP, 0);
  const tf = core.trapframe(td);
  [tf.eax, tf.ecx, tf.edx, tf.ebx, tf.esp, tf.ebp, tf.esi, tf.edi] = st.regs.map((v, k) => (k === 4 ? STACK_TOP : v));
  tf.eflags = st.eflags;
  const r = core.run(td, pm, 100000);
  expect(r.stop, body.names.join(" ")).toBe("syscall");
  [tf.eax, tf.ecx, tf.edx, tf.ebx, tf.esp, tf.ebp, tf.esi, tf.edi].forEach((v, k) => dv.setUint32(k * 4, v, true));
  dv.setUint32(32, tf.eflags, true);
  dv.setUint16(36, core.x.pcb_get(td, 68) & 0xFFFF, true);
  out.set(core.copyin(pm, DATA, 256)!, 40);
  return out;
}

/** Compares one record; the message names the case's templates and the first difference. */
function compare(i: number, body: Body, st: State, ours: Uint8Array, theirs: Uint8Array): string | null {
  const a = new DataView(ours.buffer, ours.byteOffset), b = new DataView(theirs.buffer, theirs.byteOffset);
  const names = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"];
  const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;
  const ctx = () => `case ${i} [${body.names.join("; ")}] bytes ${body.code.map((x) => x.toString(16).padStart(2, "0")).join(" ")} regs ${st.regs.map(hex).join(" ")} fl ${hex(st.eflags)}`;
  for (let k = 0; k < 8; k++) {
    if (k === 4) continue;
    if (a.getUint32(k * 4, true) !== b.getUint32(k * 4, true)) return `${names[k]} ${hex(a.getUint32(k * 4, true))} != qemu ${hex(b.getUint32(k * 4, true))} in ${ctx()}`;
  }
  const fm = (ARITH | DF) & ~body.undef;
  if ((a.getUint32(32, true) & fm) !== (b.getUint32(32, true) & fm)) return `eflags ${hex(a.getUint32(32, true) & fm)} != qemu ${hex(b.getUint32(32, true) & fm)} (mask ${hex(fm)}) in ${ctx()}`;
  const sm = body.fccUndef ? 0x3845 : 0x7D45; // TOP C3 C2 C0 SF ZE IE
  if ((a.getUint16(36, true) & sm) !== (b.getUint16(36, true) & sm)) return `fsw ${hex(a.getUint16(36, true))} != qemu ${hex(b.getUint16(36, true))} in ${ctx()}`;
  for (let j = 0; j < 128; j++) if (ours[40 + j] !== theirs[40 + j]) return `data byte ${j}: ${ours[40 + j]} != qemu ${theirs[40 + j]} in ${ctx()}`;
  for (let j = 128; j < 256; j += 8) {
    const x = a.getFloat64(40 + j, true), y = b.getFloat64(40 + j, true);
    if (!(Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y)))) return `double at ${j}: ${x} != qemu ${y} in ${ctx()}`;
  }
  return null;
}

describe.skipIf(missing !== null)("x86 hardware oracle (qemu-i386)", () => {
  let cores: Core[];
  beforeAll(async () => { cores = [Core.create({ physBytes: 4 << 20, maxThreads: 4 }), await Core.createPortable({ physBytes: 4 << 20, maxThreads: 4 })]; });

  function oracle(seed: number, count: number, len: number, opts: { x87?: boolean; integer?: boolean }): void {
    const r = new Rng(seed);
    const cases = Array.from({ length: count }, () => ({ body: genBody(r, len, opts), st: genState(r, DATA) }));
    const q = runQemu(cases);
    expect(q.length).toBe(count * REC);
    const diffs: string[] = [];
    for (const core of cores) {
      const pm = core.pmapCreate();
      for (const va of [CODE, CODE + 0x1000, DATA, STACK_TOP - 0x1000, STACK_TOP - 0x2000]) expect(core.enter(pm, va, 7)).toBe(0);
      const td = core.threadAlloc();
      cases.forEach(({ body, st }, i) => {
        const d = compare(i, body, st, runForklab(core, pm, td, body, st), q.subarray(i * REC, (i + 1) * REC));
        if (d && diffs.length < 5) diffs.push(`${core.backend}: ${d}`);
      });
      core.threadFree(td);
      core.pmapDestroy(pm);
    }
    expect(diffs).toEqual([]);
  }

  it("integer sequences agree with qemu (1500 cases of 6 templates)", () => oracle(1, 1500, 6, { x87: false }), 120000);
  it("x87 sequences agree with qemu (800 cases of 8 templates)", () => oracle(2, 800, 8, { integer: false }), 120000);
  it("mixed sequences agree with qemu (600 cases of 10 templates)", () => oracle(3, 600, 10, {}), 120000);
});
