// Benchmark runs, as hyperfine and lmbench take them: warm-up runs (run and discarded, so
// host figures are measured after the JIT has warmed up), then N measured runs of the same
// machine and seed. Host-time figures vary from run to run and are summarised (mean ± σ,
// median, min, max); virtual-time figures are deterministic and must be identical in
// every run, which is checked. Several strategies (--strategy copy,cow) are measured one
// after the other and compared, each against the first.
import type { BombReport } from "../workloads/bomb.js";
import type { SpawnReport } from "../workloads/spawn.js";
import { round } from "../workloads/common.js";

export type BenchReport = BombReport | SpawnReport;

/**
 * Loops of the spawn loop run untimed before a spawn command's first run, on a machine of
 * its own (its figures are not kept), for SPAWN_JIT_WARMUP_MS of host time at most (an
 * interrupt waits for it, then stops the measured run): V8 compiles the kernel's hot
 * paths as they run, so without it the host figure of a short run measured the JIT more
 * than the emulator.
 */
export const SPAWN_JIT_WARMUP_LOOPS = 5000;
export const SPAWN_JIT_WARMUP_MS = 300;

/** Mean, standard deviation (of a sample: n - 1; 0 for one run), median, min, max. */
export interface Stats { mean: number; sd: number; median: number; min: number; max: number }

export function stats(xs: number[], digits: number): Stats {
  if (xs.length === 0) throw new RangeError("no runs to summarise");
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : 0;
  const s = [...xs].sort((a, b) => a - b);
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  const r = (v: number): number => round(v, digits);
  return { mean: r(mean), sd: r(sd), median: r(median), min: r(s[0]), max: r(s[n - 1]) };
}

/** A host-time figure of a report: its key in `benchmark.host`, label, unit and precision. */
interface HostFigure { key: string; label: string; digits: number; of: (r: BenchReport) => number }

/** The host-time figures of each command (the rest of a report is virtual time). */
export const HOST_FIGURES: Record<BenchReport["command"], HostFigure[]> = {
  bomb: [
    { key: "seconds", label: "host seconds", digits: 3, of: (r) => (r as BombReport).host.seconds },
    { key: "forksPerSecond", label: "forks per host second", digits: 1, of: (r) => (r as BombReport).host.forksPerSecond },
    { key: "usPerFork", label: "host µs per fork", digits: 3, of: (r) => (r as BombReport).host.usPerFork },
  ],
  spawn: [
    { key: "seconds", label: "host seconds", digits: 3, of: (r) => (r as SpawnReport).host.seconds },
    { key: "loopsPerSecond", label: "loops per host second", digits: 1, of: (r) => (r as SpawnReport).lps.host },
    { key: "usPerLoop", label: "host µs per loop", digits: 3, of: (r) => (r as SpawnReport).usPerLoop.host },
  ],
};

/** The report without its host-time figures: what must be the same in every run. */
export function virtualPart(r: BenchReport): unknown {
  const c = structuredClone(r) as unknown as Record<string, Record<string, unknown>>;
  delete c.host;
  if (r.command === "bomb") delete c.saturation.hostSeconds;
  else { delete c.lps.host; delete c.usPerLoop.host; }
  return c;
}

export class NondeterminismError extends Error {
  override name = "NondeterminismError";
}

export interface Benchmark {
  runs: number;
  warmup: number;
  /** Always true in a report: runs whose virtual figures differ throw NondeterminismError. */
  virtualIdentical: true;
  host: Record<string, Stats>;
}

/** The last measured run's report, with the benchmark summary of all of them. */
export type Measured<R extends BenchReport> = R & { benchmark: Benchmark };

/**
 * Runs `once` warmup + runs times; summarises the measured runs. `stopped` is checked
 * after each run (an interrupt): the runs done so far are summarised (at least one).
 */
export function measure<R extends BenchReport>(once: () => R, runs: number, warmup: number, stopped: () => boolean = () => false): Measured<R> {
  for (let i = 0; i < warmup && !stopped(); i++) once();
  const reports: R[] = [];
  do reports.push(once()); while (reports.length < runs && !stopped());
  // An interrupted run is the report (a partial one) but not a sample, unless it is the only run.
  const done = reports.filter((r) => r.run.end !== "interrupted");
  const first = done.length ? JSON.stringify(virtualPart(done[0])) : "";
  done.forEach((r, i) => {
    if (JSON.stringify(virtualPart(r)) !== first) {
      throw new NondeterminismError(`run ${i + 1}'s virtual-time figures differ from run 1's (same seed and options): a determinism bug in forklab`);
    }
  });
  const sampled = done.length ? done : reports;
  const last = reports[reports.length - 1];
  const host: Record<string, Stats> = {};
  for (const f of HOST_FIGURES[last.command]) host[f.key] = stats(sampled.map(f.of), f.digits);
  return { ...last, benchmark: { runs: sampled.length, warmup, virtualIdentical: true, host } };
}

/** A figure of the comparison: virtual ones from the report, host ones as the mean of the runs. */
export interface Figure { key: string; label: string; host: boolean; of: (r: Measured<BenchReport>) => number | null }

function hostFigures(cmd: BenchReport["command"]): Figure[] {
  return HOST_FIGURES[cmd].map((f) => ({ key: `host.${f.key}`, label: `${f.label} (mean)`, host: true, of: (r) => r.benchmark.host[f.key].mean }));
}

/** The figures compared side by side, virtual time first. */
export function figures(cmd: BenchReport["command"]): Figure[] {
  const virtual: Figure[] = cmd === "bomb"
    ? [
      { host: false, key: "virtualSeconds", label: "virtual seconds", of: (r) => r.run.seconds },
      { host: false, key: "saturationSeconds", label: "saturated after (virtual s)", of: (r) => (r as BombReport).saturation.seconds },
      { host: false, key: "peakProcesses", label: "peak processes", of: (r) => (r as BombReport).peak.nprocs },
      { host: false, key: "forkAttempts", label: "fork attempts", of: (r) => (r as BombReport).forks.attempts },
      { host: false, key: "forksSucceeded", label: "forks succeeded", of: (r) => (r as BombReport).forks.succeeded },
      { host: false, key: "cowFaults", label: "copy-on-write faults", of: (r) => r.vmmeter.v_cow_faults },
    ]
    : [
      { host: false, key: "loops", label: "loops", of: (r) => (r as SpawnReport).loops },
      { host: false, key: "virtualSeconds", label: "virtual seconds", of: (r) => r.run.seconds },
      { host: false, key: "loopsPerVirtualSecond", label: "loops per virtual second", of: (r) => (r as SpawnReport).lps.virtual },
      { host: false, key: "virtualUsPerLoop", label: "virtual µs per loop", of: (r) => (r as SpawnReport).usPerLoop.virtual },
      { host: false, key: "cowFaults", label: "copy-on-write faults", of: (r) => r.vmmeter.v_cow_faults },
    ];
  return [...virtual, ...hostFigures(cmd)];
}

export interface Comparison {
  /** The strategies, in the order measured; ratios are each against the first. */
  strategies: string[];
  /** One row per figure: its value for each strategy, and value / first's value for the others. */
  rows: { figure: string; key: string; host: boolean; values: (number | null)[]; ratios: (number | null)[] }[];
}

export function compare(results: Measured<BenchReport>[]): Comparison {
  const cmd = results[0].command;
  return {
    strategies: results.map((r) => r.machine.strategy),
    rows: figures(cmd).map((f) => {
      const values = results.map(f.of);
      const base = values[0];
      return {
        figure: f.label, key: f.key, host: f.host,
        values,
        ratios: values.slice(1).map((v) => (v === null || base === null || base === 0 ? null : round(v / base, 3))),
      };
    }),
  };
}
