// Shared by the benchmark files: loading forklab's sources, running the `benchmark`
// package synchronously, interleaving two sides of a comparison, and printing tables.
//
// Method (see /work/shared/reference/assemblyscript-notes.md, "Benchmarking on this VM"):
// absolute times drift 1.5-2x between passes on this VM, so every comparison is measured
// side by side: each round runs side A then side B (order alternating between rounds),
// and the ratio reported is the median of the per-round ratios of medians. Every side is
// warmed up first (V8 has no on-stack replacement for Wasm: a long loop inside one Wasm
// call runs in whatever tier the function had when it was called).
import { register } from "node:module";
import { existsSync, readdirSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Benchmark from "benchmark";

export const root = fileURLToPath(new URL("../../", import.meta.url));
register(new URL("./ts-hooks.mjs", import.meta.url));

const args = process.argv.slice(2);
/** `--quick` (or BENCH_QUICK=1): fewer rounds and shorter runs, for a smoke test. */
export const QUICK = args.includes("--quick") || process.env.BENCH_QUICK === "1";
/** Rounds per comparison (BENCH_ROUNDS overrides). */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 2 : 5));
/** Seconds one Benchmark run may take (Benchmark's maxTime). */
export const MAX_TIME = Number(process.env.BENCH_MAX_TIME ?? (QUICK ? 0.08 : 0.25));

/** Rebuilds the core (Wasm + portable) when an assembly/ or portable/ source is newer, like the tests do. */
export function ensureCoreBuilt() {
  const newest = (dir) => Math.max(...readdirSync(join(root, dir)).map((f) => statSync(join(root, dir, f)).mtimeMs));
  const wasm = join(root, "build/core.wasm");
  const stale = !existsSync(wasm) || !existsSync(join(root, "build/portable/index.js"))
    || Math.max(newest("assembly"), newest("portable")) > statSync(wasm).mtimeMs;
  if (stale) {
    console.log("(core sources changed: rebuilding the core)");
    execFileSync(process.execPath, [join(root, "scripts/build.mjs"), "core"], { stdio: "inherit", cwd: root });
  }
}

/** Imports a module of the repository by its path from the root (TypeScript allowed). */
export function importSrc(path) {
  return import(pathToFileURL(join(root, path)).href);
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/**
 * Runs one Benchmark synchronously and returns its sample: seconds per operation, one
 * value per timed cycle. `spec` is a function (the operation), or
 * { fn, setup?, teardown? } as strings: Benchmark compiles strings into one function, so
 * `setup` can declare locals that `fn` and `teardown` use, and `this.count` is the
 * number of operations the cycle will run (setup prepares that many, teardown undoes
 * them outside the timed loop).
 */
export function runBenchmark(name, spec, opts = {}) {
  const options = { minSamples: 5, maxTime: MAX_TIME, ...opts };
  const b = typeof spec === "function"
    ? new Benchmark(name, spec, options)
    : new Benchmark(name, { ...options, fn: spec.fn, setup: spec.setup ?? "", teardown: spec.teardown ?? "" });
  b.run({ async: false });
  if (b.error) throw new Error(`benchmark "${name}" failed: ${b.error?.message ?? b.error}`);
  if (globalThis.__benchFailure) {
    const f = globalThis.__benchFailure;
    globalThis.__benchFailure = undefined;
    throw new Error(`benchmark "${name}" failed: ${f}`);
  }
  return b.stats.sample.slice();
}

/**
 * Samples of one operation timed one by one (`once` returns its milliseconds), in
 * seconds: at least 3 (1 in a warm-up), more while `budget` seconds last (a quarter of
 * it in a warm-up), at most `max`. Their median, unlike the mean of a benchmark cycle of
 * many operations, leaves out the time slices a loaded host gives to other jobs, as long
 * as one operation is shorter than a slice.
 */
export function samples(warm, once, { budget = QUICK ? 0.05 : 0.4, max = 400 } = {}) {
  const out = [];
  const t1 = performance.now() + (warm ? 0.25 : 1) * budget * 1000;
  do out.push(once() / 1000); while (out.length < (warm ? 1 : 3) || (performance.now() < t1 && out.length < max));
  return out;
}

/**
 * Measures sides (an object name -> () => sample) interleaved: a warm-up of each, then
 * `rounds` rounds, each side once per round, in alternating order. Returns per side the
 * pooled median (s/op), and per round the median of each side (for ratios).
 */
export function interleave(sides, { rounds = ROUNDS, warmup = true } = {}) {
  const names = Object.keys(sides);
  if (warmup) for (const n of names) sides[n](true);
  const perRound = Object.fromEntries(names.map((n) => [n, []]));
  const pooled = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...names].reverse() : names;
    for (const n of order) {
      const sample = sides[n](false);
      perRound[n].push(median(sample));
      pooled[n].push(...sample);
    }
  }
  const med = Object.fromEntries(names.map((n) => [n, median(pooled[n])]));
  return { median: med, perRound };
}

/** Median over rounds of perRound[a][r] / perRound[b][r]. */
export function ratio(res, a, b) {
  return median(res.perRound[a].map((x, i) => x / res.perRound[b][i]));
}

/** Seconds -> a short human string (ns, µs, ms). */
export function fmtTime(s) {
  if (!Number.isFinite(s)) return "—";
  if (s < 1e-6) return `${(s * 1e9).toFixed(s < 1e-8 ? 2 : 1)} ns`;
  if (s < 1e-3) return `${(s * 1e6).toFixed(s < 1e-5 ? 2 : 1)} µs`;
  return `${(s * 1e3).toFixed(s < 1e-2 ? 2 : 1)} ms`;
}

/** Prints rows (arrays of strings) as a Markdown table with the given header. */
export function printTable(header, rows) {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => String(c).padEnd(w[i])).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${w.map((n) => "-".repeat(n + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
}

/** A one-line description of the machine, for the record. */
export async function machine() {
  const os = await import("node:os");
  const cpus = os.cpus();
  return `Node ${process.version}, ${cpus.length} x ${cpus[0]?.model ?? "?"}, ${os.platform()} ${os.release()}`;
}
