// Real compiler output: small compute-only C programs (test/fixtures/x86cc), built by
// `gcc -m32` for -march=i386 and i686 at -O0, -O2 and -Os (static, no libc; a start stub
// that makes DragonFly-style syscalls), run on forklab through the Node API, and their
// output checked against the same binary under qemu-i386. objdump -d lists what the
// compiler emitted, so the test also shows the instructions it exercises. Skips (with the
// reason) without gcc -m32, qemu-i386 or objdump: Debian gcc-multilib, qemu-user, binutils.
import { describe, it, expect } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Forklab } from "../../src/index.js";
import { parseElf } from "../../src/kernel/imgact_elf.js";

const SRC = join(__dirname, "../fixtures/x86cc");
const OUT = "/forklab-x86-out";

const dir = mkdtempSync(join(tmpdir(), "forklab-cc-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

function build(prog: string, march: string, opt: string, extra: string[] = []): string | { error: string } {
  const out = join(dir, `${prog}-${march}-${opt}${extra.length ? "-x" : ""}`);
  const r = spawnSync("gcc", ["-m32", `-march=${march}`, `-${opt}`, "-static", "-nostdlib", "-ffreestanding", "-fno-pic", "-no-pie",
    "-fno-stack-protector", "-fno-asynchronous-unwind-tables", "-fcf-protection=none", ...extra,
    join(SRC, "start.S"), join(SRC, `${prog}.c`), "-lgcc", "-o", out]);
  return r.status === 0 ? out : { error: `gcc: ${r.stderr?.toString() ?? r.error}` };
}
const missing = (() => {
  const b = build("ints", "i386", "O0");
  if (typeof b !== "string") return b.error;
  if (spawnSync("qemu-i386", [b]).status === null) return "qemu-i386 does not run";
  if (spawnSync("objdump", ["--version"]).status !== 0) return "objdump missing";
  return null;
})();
if (missing) console.warn(`x86 compiled-C tests skipped: ${missing} (install the Debian packages gcc-multilib, qemu-user, binutils)`);

/** Runs the binary on forklab: its output file and exit status. */
function onForklab(path: string): { out: string; status: number } {
  const fl = new Forklab();
  fl.installFile(OUT, new Uint8Array(0), 0o666);
  const img = parseElf(new Uint8Array(readFileSync(path)), "prog");
  let status = -1;
  const p = fl.spawn({ image: img, argv: ["prog"], uid: 1000 });
  fl.on("exit", (e) => { if (e.pid === p.pid) status = e.status; });
  fl.run({ until: () => status >= 0, seconds: 60 });
  const vp = fl.kernel.vfs.lookup(OUT);
  if (typeof vp === "number") throw new Error(`${OUT}: errno ${-vp}`);
  return { out: Buffer.from(vp.v_data.subarray(0, vp.v_size)).toString(), status };
}

/** The mnemonics objdump shows in the binary's text (prefixes like rep/lock kept). */
function mnemonics(path: string): Set<string> {
  const text = execFileSync("objdump", ["-d", "--no-show-raw-insn", path]).toString();
  const set = new Set<string>();
  for (const line of text.split("\n")) {
    const m = /^\s+[0-9a-f]+:\s+(.*)$/.exec(line);
    if (!m) continue;
    const words = m[1].trim().split(/\s+/);
    let k = 0;
    while (["rep", "repz", "repnz", "repe", "repne", "lock", "data16", "cs", "ds", "es", "ss", "gs", "fs"].includes(words[k])) k++;
    set.add([...words.slice(0, k), words[k]].join(" "));
  }
  return set;
}

const seen = new Set<string>();
const builds: [string, string, string, string[]][] = [];
for (const prog of ["ints", "floats"]) {
  for (const march of ["i386", "i686"]) for (const opt of ["O0", "O2", "Os"]) builds.push([prog, march, opt, prog === "floats" ? ["-fno-math-errno"] : []]);
}
// -ffast-math: gcc emits fsin fcos fpatan fyl2x f2xm1 fscale inline for the libm calls
builds.push(["floats", "i686", "O2", ["-ffast-math", "-DFANCY"]], ["floats", "i386", "O2", ["-ffast-math", "-DFANCY"]]);

describe.skipIf(missing !== null)("compiled C programs (gcc -m32) run on forklab as under qemu-i386", () => {
  it.each(builds)("%s -march=%s -%s %j", (prog, march, opt, extra) => {
    const bin = build(prog, march, opt, extra);
    if (typeof bin !== "string") throw new Error(bin.error);
    const q = spawnSync("qemu-i386", [bin]);
    const ours = onForklab(bin);
    expect(ours.out).toBe(q.stdout.toString());
    expect(ours.out.split("\n").length).toBeGreaterThan(5);
    expect(ours.status).toBe((q.status ?? -1) << 8);
    for (const m of mnemonics(bin)) seen.add(m);
  }, 60000);

  it("the builds exercised the instructions compilers emit (objdump -d)", () => {
    const want = ["cmovne", "rep stos", "rep movsl", "sbb", "adc", "shld", "shrd", "bsr", "div", "idiv", "imul", "mul",
      "movzbl", "movsbl", "movswl", "movzwl", "cltd", "fnstcw", "fldcw", "fistpll", "fildll", "fistpl", "fildl",
      "fucomip", "fcomip", "fxch", "fsqrt", "fsin", "fpatan", "fyl2x", "f2xm1", "fscale", "frndint",
      "fldl2e", "fldln2", "fstps", "flds", "faddp", "fdivrp", "fdivr", "fmul", "fnstsw", "leave", "ret"];
    const missingOnes = want.filter((m) => ![...seen].some((s) => s === m || s.startsWith(m)));
    expect(missingOnes).toEqual([]);
    console.log(`x86-cc: ${seen.size} distinct instructions emitted and run: ${[...seen].sort().join(" ")}`);
  });
});
