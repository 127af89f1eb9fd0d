// What the workloads share: the machine they run on, the time series of processes they
// sample, the loop that runs virtual time in chunks, and the rounding of report numbers.
//
// Every number in a report is rounded to the precision the CLI prints it with, so the
// text report and the JSON report carry exactly the same numbers.
import { Forklab } from "../kernel/api.js";
import type { VmmeterCounters } from "../kernel/vmmeter.js";
import type { Strategy } from "../core/core.js";

/** The emulated machine: what `--mem`, `--maxproc`, `--cpus`, `--strategy`, `--seed` set. */
export interface MachineOptions {
  /** Simulated physical memory in bytes (default 64 MiB). */
  memBytes?: number;
  /** kern.maxproc (default: DragonFly's formula from the memory size; 532 for 64 MiB). */
  maxproc?: number;
  /** Virtual CPUs (default 1). */
  cpus?: number;
  /** How fork copies an address space (default "cow"). */
  strategy?: Strategy;
  /** Seed of every random choice (default 1). */
  seed?: number;
}

/** The process a workload starts: its real uid and RLIMIT_NPROC. */
export interface ProcessOptions {
  /** Real and effective uid (default 1000: a user, who cannot take the last 10 slots). */
  uid?: number;
  /** RLIMIT_NPROC of the process and so of its descendants (default: maxproc, inherited). */
  nprocLimit?: number;
}

/** A run's length: virtual seconds or ticks (the CLI's `--for 10s` or `--for 300t`). */
export type Duration = { seconds: number } | { ticks: number };

export interface Progress {
  /** 0..1 of the work, as far as it can be known. */
  fraction: number;
  /** A short line on where the run is (virtual time, processes). */
  detail: string;
}
export type ProgressFn = (p: Progress) => void;

/** What the report says of the machine. */
export interface MachineInfo {
  memBytes: number;
  /** memBytes as the CLI prints it ("64 MiB"). */
  mem: string;
  maxproc: number;
  maxprocperuid: number;
  cpus: number;
  strategy: Strategy;
  seed: number;
  hz: number;
}

export const DEFAULT_MEM = 64 * 1024 * 1024;
export const DEFAULT_UID = 1000;

export function createMachine(m: MachineOptions): { fl: Forklab; machine: MachineInfo } {
  const fl = new Forklab({
    physBytes: m.memBytes ?? DEFAULT_MEM,
    maxproc: m.maxproc,
    ncpus: m.cpus ?? 1,
    strategy: m.strategy ?? "cow",
    seed: m.seed ?? 1,
  });
  const t = fl.kernel.tun;
  return {
    fl,
    machine: {
      memBytes: t.physBytes, mem: formatSize(t.physBytes), maxproc: fl.sysctl("kern.maxproc"), maxprocperuid: fl.sysctl("kern.maxprocperuid"),
      cpus: t.ncpus, strategy: t.strategy, seed: t.seed, hz: t.hz,
    },
  };
}

/** A byte count in the largest binary unit that keeps it readable: 64 MiB, 1 GiB, 1.5 MiB. */
export function formatSize(bytes: number): string {
  for (const [u, f] of [["GiB", 1024 ** 3], ["MiB", 1024 ** 2], ["KiB", 1024]] as const) {
    if (bytes >= f) return `${Number((bytes / f).toFixed(2))} ${u}`;
  }
  return `${bytes} bytes`;
}

export function durationTicks(d: Duration, hz: number): number {
  return "ticks" in d ? d.ticks : Math.round(d.seconds * hz);
}

/** nprocs (kern.nprocs: every process the kernel counts, zombies included) sampled over virtual time. */
export interface Series {
  /** Sampled every this many ticks (plus once where the run stopped, if off the grid). */
  everyTicks: number;
  hz: number;
  /** The tick of each sample. */
  ticks: number[];
  /** kern.nprocs at each sample. */
  nprocs: number[];
}

export function seriesMax(s: Series): number {
  let m = 0;
  for (const v of s.nprocs) if (v > m) m = v;
  return m;
}

export type StopReason = "time" | "condition" | "idle";

export interface LoopOptions {
  /** The workload's start: the series' ticks count from it. */
  origin: number;
  /** Stop at this absolute tick. */
  endTick: number;
  /** Sample every this many ticks. */
  every: number;
  /** Checked between scheduling slices; the run stops when it returns true. */
  until?: () => boolean;
  /** Called after each chunk (one sample interval). */
  onChunk?: () => void;
  /** Stop when nothing can run any more (everything exited or asleep forever). Default true. */
  stopWhenIdle?: boolean;
}

/**
 * Runs virtual time from now to `endTick` in chunks of `every` ticks, sampling nprocs
 * after each, and before the first. Returns why it stopped and the series.
 */
export function runChunks(fl: Forklab, o: LoopOptions): { stop: StopReason; series: Series } {
  if (!Number.isInteger(o.every) || o.every < 1) throw new RangeError(`sample interval must be a positive number of ticks, got ${o.every}`);
  const series: Series = { everyTicks: o.every, hz: fl.hz, ticks: [], nprocs: [] };
  const sample = (): void => {
    const t = fl.ticks - o.origin;
    const n = fl.sysctl("kern.nprocs");
    const last = series.ticks.length - 1;
    if (last >= 0 && series.ticks[last] === t) series.nprocs[last] = n;
    else { series.ticks.push(t); series.nprocs.push(n); }
  };
  sample();
  let stop: StopReason = "time";
  while (fl.ticks < o.endTick) {
    const step = Math.min(o.every - ((fl.ticks - o.origin) % o.every), o.endTick - fl.ticks);
    const r = fl.run({ ticks: step, until: o.until });
    sample();
    o.onChunk?.();
    if (r.stop === "condition") { stop = "condition"; break; }
    if (r.stop === "idle" && (o.stopWhenIdle ?? true)) { stop = "idle"; break; }
  }
  return { stop, series };
}

/**
 * Joins the series of two consecutive runChunks calls (the second starts where the first
 * ended, so a shared first sample takes the later value). Appends to `a` and returns it.
 */
export function appendSeries(a: Series, b: Series): Series {
  let i = 0;
  if (a.ticks.length && b.ticks.length && b.ticks[0] === a.ticks[a.ticks.length - 1]) {
    a.nprocs[a.nprocs.length - 1] = b.nprocs[0];
    i = 1;
  }
  for (; i < b.ticks.length; i++) { a.ticks.push(b.ticks[i]); a.nprocs.push(b.nprocs[i]); }
  return a;
}

/** The vmmeter totals of the machine since boot (sysctl vm.stats.vm). */
export function vmmeter(fl: Forklab): VmmeterCounters {
  return fl.counters();
}

// ---- rounding: every report number is stored as printed ----

/** Rounds to `digits` decimals (and turns -0 into 0). */
export function round(v: number, digits: number): number {
  if (!Number.isFinite(v)) return v;
  const f = 10 ** digits;
  const r = Math.round(v * f) / f;
  return r === 0 ? 0 : r;
}
/** Virtual seconds: microseconds. */
export const vsec = (v: number): number => round(v, 6);
/** Host seconds: milliseconds. */
export const hsec = (v: number): number => round(v, 3);
/** Rates: one decimal. */
export const rate = (v: number): number => round(v, 1);
/** Microseconds per operation: nanoseconds. */
export const usec = (v: number): number => round(v, 3);

/** Host time in milliseconds (performance.now unless a caller fixes it, as tests do). */
export type HostClock = () => number;
export const defaultHostClock: HostClock = () => performance.now();

/** BSD signal names (sys/signal.h) for exit reports. */
export const SIGNAL_NAMES: Record<number, string> = {
  1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGEMT", 8: "SIGFPE",
  9: "SIGKILL", 10: "SIGBUS", 11: "SIGSEGV", 12: "SIGSYS", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM",
  16: "SIGURG", 17: "SIGSTOP", 18: "SIGTSTP", 19: "SIGCONT", 20: "SIGCHLD", 21: "SIGTTIN", 22: "SIGTTOU",
  23: "SIGIO", 24: "SIGXCPU", 25: "SIGXFSZ", 26: "SIGVTALRM", 27: "SIGPROF", 28: "SIGWINCH", 29: "SIGINFO",
  30: "SIGUSR1", 31: "SIGUSR2",
};

/** How a process ended, from its wait status (W_EXITCODE(code, sig)). */
export interface ExitInfo {
  /** The raw wait status. */
  status: number;
  /** The exit code when it exited (signal 0), else null. */
  code: number | null;
  /** The signal that ended it, else null. */
  signal: number | null;
  signalName: string | null;
  /** Virtual seconds when it exited. */
  seconds: number;
}

export function exitInfo(status: number, seconds: number): ExitInfo {
  const sig = status & 0x7f;
  return {
    status,
    code: sig === 0 ? (status >> 8) & 0xff : null,
    signal: sig === 0 ? null : sig,
    signalName: sig === 0 ? null : SIGNAL_NAMES[sig] ?? `signal ${sig}`,
    seconds: vsec(seconds),
  };
}
