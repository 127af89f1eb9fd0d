// Compiling C for forklab in tests, and running the result on forklab or under qemu-i386.
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { cc, findCompiler } from "../../src/cli/cc.js";
import { Forklab } from "../../src/kernel/api.js";
import { parseElf } from "../../src/kernel/imgact_elf.js";
import type { Vnode } from "../../src/kernel/vfs.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CORPUS = join(ROOT, "programs", "c");
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

/** Where scripts/fetch-classic.sh puts the classic programs' sources (git ignores it). */
export const CLASSIC = join(ROOT, ".cache", "classic");

/**
 * Why a classic program's source (a path under CLASSIC) is not there after one run of
 * scripts/fetch-classic.sh, or null when it is.
 */
export function fetchClassic(path: string): string | null {
  if (existsSync(path)) return null;
  const r = spawnSync("sh", [join(ROOT, "scripts", "fetch-classic.sh"), CLASSIC], { encoding: "utf8", timeout: 300_000 });
  if (existsSync(path)) return null;
  return `scripts/fetch-classic.sh could not fetch it from Debian's source packages: ${(r.stderr || String(r.error ?? "")).trim()}`;
}

const compiler = findCompiler();
/** Why C cannot be compiled here, or null when it can. */
export const noCompiler: string | null = typeof compiler === "string" ? compiler : null;
export const QEMU = "/usr/bin/qemu-i386";
export const haveQemu = existsSync(QEMU);

let scratch: string | null = null;
/** A directory for this test file's outputs (removed at exit). */
export function scratchDir(): string {
  if (!scratch) {
    scratch = mkdtempSync(join(tmpdir(), "forklab-cc-"));
    const dir = scratch;
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return scratch;
}

/** Compiles sources with forklab cc; throws with the compiler's messages on failure. */
export function compile(sources: string[], flags: string[] = [], name = "prog"): { path: string; bytes: Uint8Array } {
  const out = join(scratchDir(), `${name}${flags.join("").replace(/[^A-Za-z0-9]/g, "_")}`);
  const r = cc({ args: [...flags, ...sources], output: out });
  if (r.code !== 0) throw new Error(`forklab cc failed:\n${r.command.join(" ")}\n${r.diagnostics}`);
  const b = readFileSync(out);
  return { path: out, bytes: new Uint8Array(b.buffer, b.byteOffset, b.length) };
}

/** Compiles a C source as a static Linux i386 program with the host's glibc. */
export function compileLinux(source: string, flags: string[], name: string): string {
  const out = join(scratchDir(), `${name}-linux${flags.join("").replace(/[^A-Za-z0-9]/g, "_")}`);
  const r = spawnSync("gcc", ["-m32", "-march=i386", "-static", ...flags, "-o", out, source, "-lm"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`gcc -m32 -static failed:\n${r.stderr}`);
  return out;
}

/** Runs a program under qemu-i386: its stdout and exit status. */
export function runQemu(path: string, args: string[] = []): { stdout: string; status: number } {
  const r = spawnSync(QEMU, [path, ...args], { encoding: "utf8", timeout: 60_000 });
  if (r.error) throw r.error;
  return { stdout: r.stdout, status: r.status ?? -1 };
}

/** The expected result of a corpus program: `# exit N`, then lines (`~ ` lines are regexes). */
export interface Expected { status: number; lines: string[] }

export function readExpected(path: string): Expected {
  const text = readFileSync(path, "utf8");
  const nl = text.indexOf("\n");
  const m = /^# exit (\d+)$/.exec(text.slice(0, nl));
  if (!m) throw new Error(`${path}: the first line must be "# exit N"`);
  const body = text.slice(nl + 1);
  return { status: Number(m[1]), lines: body === "" ? [] : body.replace(/\n$/, "").split("\n") };
}

/** Whether output matches an expected file's lines (literal, or `~ regex` for the whole line). */
export function matchesExpected(stdout: string, exp: Expected): boolean {
  const got = stdout === "" ? [] : stdout.replace(/\n$/, "").split("\n");
  if (got.length !== exp.lines.length || (stdout !== "" && !stdout.endsWith("\n"))) return false;
  return exp.lines.every((l, i) => (l.startsWith("~ ") ? new RegExp(`^(?:${l.slice(2)})$`).test(got[i]) : l === got[i]));
}

export interface ForklabRun {
  /** How the process ended: exit code, or the signal that killed it; null if it did not end in time. */
  code: number | null;
  signal: number | null;
  /** What the program wrote to its stdout and stderr (one file, as on a console). */
  output: string;
  /** When the interpreter refused an instruction (SIGILL): where, and its first bytes. */
  illegal: { eip: number; bytes: string } | null;
}

const SIGILL = 4;
let redirector: Uint8Array | null = null;

/**
 * Runs a compiled program on forklab (uid 1000) with its stdout and stderr sent to a
 * regular file (/tmp/out) by a small launcher (fixtures/redirect.c: open, dup2, execv), so
 * the output can be read back whether or not the kernel has a console; the file is not a
 * tty, so stdio buffers fully, as with a pipe under qemu. A program the interpreter
 * stops with SIGILL reports the instruction's address and bytes.
 */
export function runForklab(bytes: Uint8Array, args: string[] = [], opts: { seconds?: number; uid?: number; strategy?: "cow" | "copy" } = {}): ForklabRun {
  redirector ??= compile([join(FIXTURES, "redirect.c")], ["-O2"], "redirect").bytes;
  const fl = new Forklab({ physBytes: 64 << 20, strategy: opts.strategy ?? "cow" });
  fl.kernel.vfs.mkdir("/tmp", 0o1777);
  fl.installFile("/bin/prog", bytes, 0o755);
  const image = parseElf(redirector, "redirect");
  const p = fl.spawn({ image, argv: ["redirect", "/tmp/out", "/bin/prog", ...args], uid: opts.uid ?? 1000 });
  let status: number | null = p.stat === "SZOMB" ? p.xstat : null;
  let illegal: ForklabRun["illegal"] = null;
  // The registers are still in the LWP's frame when its exit is announced.
  const td = p.stat === "SZOMB" ? -1 : fl.lwps(p.pid)[0].td;
  fl.on("exit", (e) => {
    if (e.pid !== p.pid) return;
    status = e.status;
    if ((e.status & 0x7f) === SIGILL) {
      const eip = fl.kernel.core.trapframe(td).toJSON().eip;
      const seg = parseElf(bytes).segments.find((sg) => eip >= sg.vaddr && eip < sg.vaddr + sg.data.length);
      const at = seg ? seg.data.subarray(eip - seg.vaddr, eip - seg.vaddr + 8) : new Uint8Array(0);
      illegal = { eip, bytes: Array.from(at, (b) => b.toString(16).padStart(2, "0")).join(" ") };
    }
  });
  fl.run({ seconds: opts.seconds ?? 5, until: () => status !== null });
  const vp = fl.kernel.vfs.lookup("/tmp/out");
  const output = typeof vp === "number" ? "" : Buffer.from((vp as Vnode).v_data.subarray(0, (vp as Vnode).v_size)).toString("latin1");
  const st = status as number | null;
  if (st === null) return { code: null, signal: null, output, illegal };
  return { code: (st & 0x7f) === 0 ? (st >> 8) & 0xff : null, signal: (st & 0x7f) || null, output, illegal };
}

/**
 * The disassembly of a function in an ELF file, object or archive, one instruction a line;
 * a call or jump to another function ends in "-> SYMBOL" (whether the assembler resolved
 * it or left a relocation), and targets within the function lose their addresses.
 */
export function disassemble(path: string, symbol: string): string[] {
  const r = spawnSync("objdump", ["-dr", "--no-show-raw-insn", "-M", "att", `--disassemble=${symbol}`, path], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`objdump failed: ${r.stderr}`);
  const insns: { at: number; text: string }[] = [];
  const relocs: { at: number; sym: string }[] = [];
  for (const l of r.stdout.split("\n")) {
    const reloc = /^\s+([0-9a-f]+): R_386_\w+\s+(\S+)/.exec(l);
    if (reloc) { relocs.push({ at: parseInt(reloc[1], 16), sym: reloc[2] }); continue; }
    const insn = /^\s+([0-9a-f]+):\t(.*)$/.exec(l);
    // A target inside the function loses its address; one in another function is named.
    if (insn) insns.push({ at: parseInt(insn[1], 16), text: insn[2].replace(/\s+/g, " ").trim().replace(/ [0-9a-f]+ <([^+>]+)(\+0x[0-9a-f]+)?>$/, (_m, sym: string) => (sym === symbol ? "" : ` -> ${sym}`)) });
  }
  return insns.map((ins, i) => {
    const next = i + 1 < insns.length ? insns[i + 1].at : ins.at + 16;
    const rel = relocs.find((x) => x.at > ins.at && x.at < next);
    return rel ? `${ins.text} -> ${rel.sym}` : ins.text;
  });
}
