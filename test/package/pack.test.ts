// The npm package as a user gets it: `npm pack` of this tree holds what users need and
// nothing else, and installed from the tarball into a fresh project it type-checks under
// strict TypeScript without skipLibCheck and runs from ESM, CommonJS and the forklab bin.
// Skipped, saying why, when dist/ is missing or stale.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync, readdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { distMissing } from "./dist.js";
import { BUNDLED_PROGRAMS } from "../../src/user/programs.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const why = distMissing(root);
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

interface PackResult { filename: string; files: { path: string; size: number }[] }

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" },
  });
}

function pack(dest: string | null): PackResult {
  const args = ["pack", "--json", "--ignore-scripts", ...(dest ? ["--pack-destination", dest] : ["--dry-run"])];
  return (JSON.parse(npm(args, root)) as PackResult[])[0];
}

/** Every file the tarball may hold; each pattern must match at least one file. */
const EXPECTED: RegExp[] = [
  /^package\.json$/, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/,
  /^bin\/forklab\.js$/,
  /^build\/core\.wasm$/, /^build\/core\.embed\.wasm$/, /^build\/portable\/[\w-]+\.js$/,
  /^programs\/bin\/[\w-]+$/, /^include\/forklab_core\.(h|mjs|d\.mts)$/,
  /^dist\/src\/[\w/.-]+\.(js|d\.ts)$/, /^dist\/assembly\/i386\.(js|d\.ts)$/,
  /^dist\/cjs\/forklab\.cjs$/, /^dist\/cjs\/package\.json$/, /^dist\/cjs\/(src|assembly)\/[\w/.-]+\.d\.ts$/,
  /^dist\/browser\/forklab\.js$/,
  /^libc\/(include|newlib-include)\/[\w/.-]+\.h$/, /^libc\/lib\/(crt1\.o|lib[cm]\.a|libpthread\.a|forklab\.ld)$/,
];

/** Every file path package.json points at (main, types, bin, exports). */
function pointedAt(): string[] {
  const out: string[] = [pkg.main, pkg.types, ...Object.values(pkg.bin as Record<string, string>)];
  const walk = (v: unknown): void => {
    if (typeof v === "string") out.push(v);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(pkg.exports);
  return out.map((p) => p.replace(/^\.\//, ""));
}

describe("the npm package", () => {
  if (why) {
    it.skip(`skipped: ${why}`, () => {});
    console.warn(`test/package/pack.test.ts: ${why}`);
    return;
  }

  it("holds what users need and nothing else (npm pack --dry-run)", () => {
    const files = pack(null).files.map((f) => f.path).sort();
    const unexpected = files.filter((f) => !EXPECTED.some((re) => re.test(f)));
    expect(unexpected).toEqual([]);
    const unmatched = EXPECTED.filter((re) => !files.some((f) => re.test(f)));
    expect(unmatched).toEqual([]);
    // Nothing package.json names is missing; every bundled program is there.
    expect(pointedAt().filter((p) => !files.includes(p))).toEqual([]);
    for (const name of Object.keys(BUNDLED_PROGRAMS)) expect(files).toContain(`programs/bin/${name}`);
    // No source maps, test reports, sources or build scripts.
    expect(files.filter((f) => /\.map$|test-results|^(src|assembly|portable|scripts|test|bench)\//.test(f))).toEqual([]);
  });

  it("declares no AssemblyScript types in dist's declarations", () => {
    // A type annotation or argument naming one (comments left out).
    const AS_TYPE = /(?::|<|\||&)\s*(?:i8|u8|i16|u16|i32|u32|i64|u64|f32|f64|isize|usize)\b/;
    const bad: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith(".d.ts") && AS_TYPE.test(readFileSync(p, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ""))) bad.push(p);
      }
    };
    walk(join(root, "dist"));
    expect(bad).toEqual([]);
  });

  it("has the licence and its notices", () => {
    const license = readFileSync(join(root, "LICENSE"), "utf8");
    expect(license).toMatch(/^BSD 2-Clause License/);
    expect(license).toContain("The Regents of the University of California. All rights reserved.");
    expect(license).toContain("kern_fork.c");
    expect(pkg.license).toBe("BSD-2-Clause AND BSD-4-Clause-UC");
  });

  describe("installed from its tarball into a fresh project", () => {
    let dir = "";
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "forklab-consumer-"));
      const tgz = join(dir, pack(dir).filename);
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "1.0.0" }));
      // commander and cli-progress come from npm's cache when it has them (offline CI
      // too, after npm ci), from the registry otherwise.
      npm(["install", "--prefer-offline", "--ignore-scripts", "--no-package-lock", tgz], dir);
    }, 120_000);
    afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

    /** tsc from this repository on the consumer's files, with its own tsconfig. */
    function tsc(config: object): string {
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config));
      try {
        return execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", dir], { cwd: dir, encoding: "utf8" });
      } catch (e) {
        throw new Error(`tsc failed:\n${(e as { stdout: string }).stdout}`);
      }
    }

    const consumer = (imp: string) => `${imp}
// Every type the API takes or gives can be named.
const fl: Forklab = new Forklab({ maxproc: 60, strategy: "cow" });
const kernel: Kernel = fl.kernel;
const counters: VmmeterCounters = fl.counters();
const name: SysctlName = "vm.stats.vm.v_forks";
const w: WritableSysctlName = "kern.maxproc";
fl.sysctlSet(w, 70);
const sh: ProcInfo = fl.spawn({ uid: 1000 });
const r: SyscallResult = fl.syscall(sh.pid, "fork");
fl.run({ ticks: 1 });
const regs: TrapframeRegisters = fl.trapframe(sh.pid);
// @ts-expect-error: a register the i386 trapframe does not have
regs.eaxx;
try {
  // @ts-expect-error: a sysctl forklab does not know (and at run time a ForklabError)
  fl.sysctl("kern.maxprocs");
} catch { /* expected */ }
try {
  // @ts-expect-error: a read-only sysctl
  fl.sysctlSet("kern.nprocs", 1);
} catch { /* expected */ }
const report: BombReport = runBomb({ maxproc: 60, strategy: "copy" });
const opts: BombOptions = { maxproc: 60 };
const src: CoreSource = new Uint8Array(0);
const core: Core = Core.create({ physBytes: 1 << 20 });
const image: ProgramImage = bundledProgram("forkbomb");
const ev: KernelEvent[] = [];
console.log(JSON.stringify({
  maxproc: fl.sysctl("kern.maxproc"), forks: fl.sysctl(name), v_forks: counters.v_forks, eax: regs.eax,
  error: r.done ? r.error : -1, peak: report.peak.nprocs, opts: opts.maxproc, src: typeof src,
  frames: core.framesTotal(), entry: image.entry, events: ev.length, procs: kernel.nprocs,
}));
`;
    const TYPES = "Forklab, Core, runBomb, bundledProgram, type Kernel, type VmmeterCounters, type SysctlName, "
      + "type WritableSysctlName, type ProcInfo, type SyscallResult, type TrapframeRegisters, type BombReport, "
      + "type BombOptions, type CoreSource, type ProgramImage, type KernelEvent";

    it("type-checks (strict, no skipLibCheck) and runs as ESM and as CommonJS", () => {
      writeFileSync(join(dir, "esm.mts"), consumer(`import { ${TYPES} } from "forklab";`));
      writeFileSync(join(dir, "cjs.cts"), consumer(`import { ${TYPES} } from "forklab";`));
      // skipLibCheck is off, so forklab's declarations (and @types/node) are checked;
      // TypeScript's own lib files are not (skipDefaultLibCheck), which saves ~10 s.
      const base = {
        strict: true, skipLibCheck: false, skipDefaultLibCheck: true, module: "nodenext", moduleResolution: "nodenext",
        target: "es2022", typeRoots: [join(root, "node_modules/@types")], outDir: "out",
      };
      // As a browser project (the default libs, DOM included; no Node types), then as a
      // Node project without the DOM lib.
      tsc({ compilerOptions: { ...base, types: [], noEmit: true }, files: ["esm.mts", "cjs.cts"] });
      tsc({ compilerOptions: { ...base, types: ["node"], lib: ["es2023"] }, files: ["esm.mts", "cjs.cts"] });
      const esm = execFileSync(process.execPath, [join(dir, "out/esm.mjs")], { cwd: dir, encoding: "utf8" });
      const cjs = execFileSync(process.execPath, [join(dir, "out/cjs.cjs")], { cwd: dir, encoding: "utf8" });
      expect(readFileSync(join(dir, "out/cjs.cjs"), "utf8")).toMatch(/require\("forklab"\)/);
      expect(JSON.parse(esm)).toEqual(JSON.parse(cjs));
      expect(JSON.parse(esm)).toMatchObject({ maxproc: 70, forks: 2, error: 0, peak: 50, opts: 60, frames: 256 });
    }, 120_000);

    it("require() and import() both load it, with the Wasm core and the portable build", () => {
      const script = `
        const cjs = require("forklab");
        import("forklab").then(async (esm) => {
          const a = cjs.runBomb({ maxproc: 40 }).peak.nprocs, b = esm.runBomb({ maxproc: 40 }).peak.nprocs;
          const portable = (await cjs.Core.createPortable()).backend;
          const wasm = require.resolve("forklab/core.wasm");
          console.log(JSON.stringify({ a, b, portable, wasm: require("fs").statSync(wasm).size > 0,
            esmIsCjs: esm.Forklab === cjs.Forklab, version: require("forklab/package.json").version }));
        });`;
      const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" }));
      expect(out).toEqual({ a: 30, b: 30, portable: "portable", wasm: true, esmIsCjs: false, version: pkg.version });
    }, 60_000);

    it("runs the forklab command it installs", () => {
      const bin = join(dir, "node_modules/.bin/forklab");
      expect(existsSync(bin)).toBe(true);
      const out = JSON.parse(execFileSync(bin, ["bomb", "--maxproc", "64", "--json"], { cwd: dir, encoding: "utf8" }));
      expect(out.peak.nprocs).toBe(54);
    }, 60_000);
  });
});
