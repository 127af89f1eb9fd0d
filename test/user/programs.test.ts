// The committed binaries in programs/bin are what their sources build to: with GNU as and
// ld for i386 on PATH, scripts/build-programs.sh rebuilds every program into a temporary
// folder and the bytes must match. Without them, or with other versions of them than
// programs/binutils.txt records, the comparison is skipped, saying why.
// With objdump on PATH, every instruction of every binary (error paths included, which
// the end-to-end runs may never reach) is checked to be one the interpreter executes.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUNDLED_PROGRAMS } from "../../src/user/programs.js";
import { bundledBinDir } from "../../src/user/host.js";

const root = join(bundledBinDir(), "..", "..");
const srcDir = join(root, "programs");
const sources = readdirSync(srcDir).filter((f) => f.endsWith(".S")).map((f) => f.slice(0, -2)).sort();
const binaries = readdirSync(join(srcDir, "bin")).sort();

/** Why the rebuild cannot run here, or null when it can. */
function toolsMissing(): string | null {
  const as = spawnSync(process.env.AS ?? "as", ["--version"], { encoding: "utf8" });
  if (as.error || as.status !== 0 || !/GNU assembler/.test(as.stdout)) return "GNU as is not on PATH";
  const ld = spawnSync(process.env.LD ?? "ld", ["-V"], { encoding: "utf8" });
  if (ld.error || ld.status !== 0) return "ld is not on PATH";
  if (!/\belf_i386\b/.test(ld.stdout)) return "this ld has no elf_i386 emulation (install Debian's binutils on x86, or set LD to an i386 cross ld)";
  // Another binutils version may lay the same program out differently: compare only with
  // the versions that built the committed binaries (programs/binutils.txt).
  const here = [as.stdout.split("\n")[0], spawnSync(process.env.LD ?? "ld", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0]].join("\n");
  const built = readFileSync(join(srcDir, "binutils.txt"), "utf8").trim();
  if (here.trim() !== built) return `the binaries were built with "${built.replace("\n", '" and "')}", PATH has "${here.replace("\n", '" and "')}"`;
  return null;
}
const missing = toolsMissing();

/** Prefix bytes: operand and address size, lock, rep, segment overrides (none is interpreted). */
const PREFIXES = new Set([0x66, 0x67, 0xF0, 0xF2, 0xF3, 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65]);
/** The 32-bit and 8-bit instructions docs/x86.md lists, as objdump -M att,suffix names them. */
const SUPPORTED = new RegExp("^(?:"
  + "(?:add|or|adc|sbb|and|sub|xor|cmp|inc|dec|test|mov|xchg|not|neg|mul|imul|div|idiv|shl|sal|shr|sar|rol|ror)[bl]"
  + "|push[l]?|pop[l]?|lea[l]?|mov[sz][bw]l|nop|cwtl|cltd|sahf|lahf|ret[l]?|leave[l]?|int|hlt|cmc|clc|stc|cld|std"
  + "|call[l]?|jmp[l]?|loop[l]?|loopn?e[l]?|jecxz"
  + "|j(?:n?o|n?b|ae|n?e|n?be|a|n?s|n?p|n?l|ge|n?le|g)"
  + "|set(?:n?o|n?b|ae|n?e|n?be|a|n?s|n?p|n?l|ge|n?le|g)"
  + ")$");
const objdumpMissing = spawnSync("objdump", ["--version"]).status !== 0;

describe("the bundled programs", () => {
  it("every source has a committed binary and a description, and nothing else is there", () => {
    expect(binaries).toEqual(sources);
    expect(Object.keys(BUNDLED_PROGRAMS).sort()).toEqual(sources);
  });

  describe.skipIf(missing !== null)(`the committed binaries match their sources${missing ? ` (skipped: ${missing})` : ""}`, () => {
    it("scripts/build-programs.sh rebuilds every program byte for byte", () => {
      const out = mkdtempSync(join(tmpdir(), "forklab-programs-"));
      try {
        const r = spawnSync("sh", [join(root, "scripts", "build-programs.sh"), out], { encoding: "utf8" });
        expect(r.status, `build-programs.sh failed:\n${r.stderr}`).toBe(0);
        expect(readdirSync(out).sort()).toEqual(sources);
        for (const name of sources) {
          const built = readFileSync(join(out, name));
          const committed = readFileSync(join(srcDir, "bin", name));
          expect(built.equals(committed), `programs/bin/${name} differs from what programs/${name}.S builds to: run scripts/build-programs.sh`).toBe(true);
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  });

  if (missing) {
    it.skip(`rebuilding from source is skipped: ${missing}`, () => {});
  }

  describe.skipIf(objdumpMissing)(`only instructions the interpreter runs${objdumpMissing ? " (skipped: objdump is not on PATH)" : ""}`, () => {
    it.each(sources)("%s: every instruction of .text is one docs/x86.md lists", (name) => {
      const r = spawnSync("objdump", ["-d", "-M", "att,suffix", join(srcDir, "bin", name)], { encoding: "utf8" });
      expect(r.status).toBe(0);
      const bad: string[] = [];
      let count = 0;
      for (const line of r.stdout.split("\n")) {
        const m = /^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(\S+)\s*(.*)$/.exec(line);
        if (!m) continue; // headers, labels, and the byte-only continuation of a long instruction
        count++;
        const [, addr, bytes, mnem, ops] = m;
        const first = parseInt(bytes.slice(0, 2), 16);
        if (PREFIXES.has(first)) bad.push(`${addr}: ${bytes} ${mnem} ${ops}: a prefix byte`);
        else if (!SUPPORTED.test(mnem)) bad.push(`${addr}: ${mnem} ${ops}: not interpreted`);
        else if (mnem === "int" && ops.trim() !== "$0x80") bad.push(`${addr}: int ${ops}: only int $0x80 traps to the kernel`);
      }
      expect(count).toBeGreaterThan(0);
      expect(bad).toEqual([]);
    });
  });
});
