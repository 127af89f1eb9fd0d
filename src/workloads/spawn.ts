// The spawn workload: UnixBench's "Process Creation" (spawn.c) and lmbench's lat_proc
// fork, as the bundled `spawn` program: loop { fork; the child exits 0; the parent
// wait4s it }. A loop is one child reaped by the program. Rates are loops per virtual
// second (the emulated machine's speed: docs/kernel.md's cost model) and per host second
// (the emulator's speed); the UnixBench-style index is lps * 10 / 126 (126 lps is the
// baseline machine, "George", a SPARCstation 20-61), computed on the virtual-time lps.
// UnixBench proper takes a geometric mean over several 30 s runs: this is one run.
import { bundledProgram, BUNDLED_PROGRAMS } from "../user/programs.js";
import type { VmmeterCounters } from "../kernel/vmmeter.js";
import type { ProgramImage } from "../kernel/image.js";
import {
  createMachine, durationTicks, runChunks, vmmeter, vsec, hsec, rate, usec, exitInfo, defaultHostClock, DEFAULT_UID,
  type MachineOptions, type ProcessOptions, type Duration, type ProgressFn, type MachineInfo, type Series,
  type ExitInfo, type HostClock,
} from "./common.js";

export const UNIXBENCH_SPAWN_BASELINE = 126;

export interface SpawnOptions extends MachineOptions, ProcessOptions {
  /** Your own spawn loop (a static i386 ELF image) instead of the bundled one. */
  image?: ProgramImage;
  /** Where that image came from, for the report. */
  file?: string;
  /** Run the program with argv[1] = loops: it exits after that many. */
  loops?: number;
  /** Or run the endless loop for this long (default 1 s when loops is not given). */
  duration?: Duration;
  /** With loops: give up after this much virtual time (default 1 virtual hour). */
  limit?: Duration;
  /** Sample kern.nprocs every this many ticks (default 1). */
  sampleTicks?: number;
  onProgress?: ProgressFn;
  /** Polled between scheduling slices: true stops the run early (an interrupt); its end is "interrupted". */
  stop?: () => boolean;
  hostClock?: HostClock;
}

export interface SpawnReport {
  command: "spawn";
  /** "spawn", or the name of your program's file. */
  program: string;
  description: string;
  machine: MachineInfo;
  process: { pid: number; uid: number; nprocLimit: number | null; argv: string[] };
  /** What was asked: a number of loops, or a virtual duration. */
  requested: { loops: number | null; seconds: number | null };
  /** Loops completed: children the program reaped. */
  loops: number;
  run: { seconds: number; ticks: number; end: "exited" | "duration" | "limit" | "idle" | "interrupted" };
  /** Loops per virtual second and per host second. */
  lps: { virtual: number; host: number };
  /** Microseconds per loop (fork + exit + wait, as lmbench's lat_proc fork), virtual and host. */
  usPerLoop: { virtual: number; host: number };
  /** UnixBench-style index: virtual lps * 10 / baseline. */
  index: { value: number; baseline: number; basis: "virtual lps"; formula: "virtual lps * 10 / 126" };
  /** How the program ended, or null if it was still looping when the run stopped. */
  exit: ExitInfo | null;
  vmmeter: VmmeterCounters;
  host: { seconds: number };
  series: Series;
}

export function runSpawn(o: SpawnOptions = {}): SpawnReport {
  if (o.loops !== undefined && o.duration !== undefined) throw new RangeError("give loops or a duration, not both");
  if (o.loops !== undefined && (!Number.isInteger(o.loops) || o.loops < 1 || o.loops > 0x7FFFFFFF)) {
    throw new RangeError(`loops must be an integer from 1 to 2147483647, got ${o.loops}`);
  }
  const now = o.hostClock ?? defaultHostClock;
  const uid = o.uid ?? DEFAULT_UID;
  const { fl, machine } = createMachine(o);
  const hz = fl.hz;
  const image = o.image ?? bundledProgram("spawn");
  const argv = o.loops !== undefined ? [image.name, String(o.loops)] : [image.name];

  const t0 = now();
  const p = fl.spawn({ image, argv, uid, nprocLimit: o.nprocLimit });
  let loops = 0;
  let exit: ExitInfo | null = null;
  fl.on("reap", (e) => { if (e.by === p.pid) loops++; });
  fl.on("exit", (e) => { if (e.pid === p.pid) exit = exitInfo(e.status, fl.preciseSeconds); });

  const duration = o.loops === undefined ? durationTicks(o.duration ?? { seconds: 1 }, hz) : null;
  const start = fl.ticks, v0 = fl.preciseSeconds;
  const endTick = start + (duration ?? durationTicks(o.limit ?? { seconds: 3600 }, hz));
  const r = runChunks(fl, {
    origin: start,
    endTick, every: o.sampleTicks ?? 1, until: () => exit !== null || (o.stop?.() ?? false),
    onChunk: () => {
      if (!o.onProgress) return;
      const fraction = o.loops !== undefined ? loops / o.loops : (fl.ticks - start) / Math.max(1, duration!);
      o.onProgress({ fraction: Math.min(1, fraction), detail: `${loops} loops, ${vsec(fl.seconds)} s virtual` });
    },
  });
  const hostSeconds = (now() - t0) / 1000;
  const x = exit as ExitInfo | null;
  const elapsed = (x ? x.seconds : fl.preciseSeconds) - v0;
  const lpsVirtual = elapsed > 0 ? loops / elapsed : 0;
  const end: SpawnReport["run"]["end"] = x ? "exited" : r.stop === "idle" ? "idle" : r.stop === "condition" ? "interrupted" : duration !== null ? "duration" : "limit";

  return {
    command: "spawn",
    program: image.name,
    description: o.image ? `your program ${o.file ?? o.image.name}` : BUNDLED_PROGRAMS.spawn,
    machine,
    process: { pid: p.pid, uid, nprocLimit: o.nprocLimit ?? null, argv },
    requested: { loops: o.loops ?? null, seconds: duration === null ? null : vsec(duration / hz) },
    loops,
    run: { seconds: vsec(elapsed), ticks: fl.ticks - start, end },
    lps: { virtual: rate(lpsVirtual), host: rate(hostSeconds > 0 ? loops / hostSeconds : 0) },
    usPerLoop: { virtual: usec(loops > 0 ? elapsed * 1e6 / loops : 0), host: usec(loops > 0 ? hostSeconds * 1e6 / loops : 0) },
    index: { value: rate(lpsVirtual * 10 / UNIXBENCH_SPAWN_BASELINE), baseline: UNIXBENCH_SPAWN_BASELINE, basis: "virtual lps", formula: "virtual lps * 10 / 126" },
    exit: x,
    vmmeter: vmmeter(fl),
    host: { seconds: hsec(hostSeconds) },
    series: r.series,
  };
}
