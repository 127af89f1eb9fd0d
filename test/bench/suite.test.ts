// The benchmark suite's code paths, briefly (--quick, one round, tiny runs): npm run bench
// picks bench/*.bench.mjs and passes flags on; fork.bench measures every strategy on both
// core builds, the native kernel (or says why not) and writes its figures and plot. No
// timing is asserted: the figures only have to exist and be positive.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STRATEGIES } from "../../src/core/core.js";

const root = join(import.meta.dirname, "../..");
const env = { ...process.env, BENCH_ROUNDS: "1", BENCH_MAX_TIME: "0.005" };

function runBench(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, "bench/run.mjs"), ...args], { cwd: root, env, encoding: "utf8", timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run bench", () => {
  it("runs the fork bench with --quick: every strategy on Wasm and portable, the native kernel, the JSON figures and the SVG plot", () => {
    const dir = mkdtempSync(join(tmpdir(), "forklab-bench-"));
    try {
      const json = join(dir, "fork.json"), svg = join(dir, "fork.svg");
      const r = runBench(["--quick", "fork", "--json", json, "--plot", svg]);
      expect(r.stderr).not.toMatch(/failed/);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("=== bench/fork.bench.mjs ===");
      expect(r.stdout).not.toContain("=== bench/core.bench.mjs ==="); // only the file named
      const res = JSON.parse(readFileSync(json, "utf8"));
      expect(res.quick).toBe(true);
      expect(res.strategies).toEqual([...STRATEGIES]);
      const positive = expect.any(Number);
      for (const s of STRATEGIES) {
        expect(res.spawn[s].wasm).toBeGreaterThan(0);
        expect(res.spawn[s].portable).toBeGreaterThan(0);
        for (const size of res.sizes) {
          const f = res.bySize[size][s];
          for (const b of ["wasm", "portable"]) {
            expect(f[b].fork).toBeGreaterThan(0);
            expect(f[b].cycle).toBeGreaterThan(0);
            // Under copy no page is shared after fork: no fault to time.
            if (s === "copy") expect(f[b].fault).toBeNull(); else expect(f[b].fault).toBeGreaterThan(0);
          }
          expect(f.wasmOverPortable.fork).toEqual(positive);
        }
      }
      if (res.native === null) {
        expect(r.stdout).toMatch(/native figures skipped: /);
      } else {
        expect(res.native.forkExitWait).toBeGreaterThan(0);
        expect(res.native.vforkExitWait).toBeGreaterThan(0);
        for (const size of res.sizes) expect(res.native.bySize[size].fork).toBeGreaterThan(0);
        expect(r.stdout).toContain("native fork+_exit+waitpid");
      }
      const plot = readFileSync(svg, "utf8");
      expect(plot).toMatch(/^<svg /);
      for (const s of STRATEGIES) expect(plot).toContain(`forklab ${s}`);
      expect((plot.match(/<path /g) ?? []).length).toBe(STRATEGIES.length + (res.native ? 1 : 0));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);

  it("refuses a selection that names no benchmark file", () => {
    const r = runBench(["nosuchbench"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("no benchmark file matches nosuchbench");
  });
});
