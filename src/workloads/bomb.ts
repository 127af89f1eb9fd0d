// The fork bomb workload: one of the bundled bombs (forkbomb: for (;;) fork(); bashbomb:
// :(){ :|:& };:) started as a user's process, run in virtual time until the kernel's
// limits stop it, with what fork1 did along the way.
//
// Counting fork attempts: the kernel emits a "fork" event for each success and a "limit"
// event for each refusal by kern.maxproc or RLIMIT_NPROC (EAGAIN), but nothing for a fork
// that fails with ENOMEM (out of simulated memory). The bombs make no syscalls but fork
// and exit, so attempts = the syscalls made during the run (vm.stats.vm.v_syscall) minus
// the exit calls (one per "exit" event of a process that was not killed by a signal);
// what neither a success nor a refusal explains is counted as ENOMEM, the only other
// error fork1 returns to a plain fork.
import { bundledProgram, BUNDLED_PROGRAMS } from "../user/programs.js";
import type { ProgramImage } from "../kernel/image.js";
import { EAGAIN, ENOMEM } from "../kernel/errno.js";
import type { VmmeterCounters } from "../kernel/vmmeter.js";
import {
  createMachine, durationTicks, runChunks, appendSeries, vmmeter, vsec, hsec, rate, usec, defaultHostClock, DEFAULT_UID,
  type MachineOptions, type ProcessOptions, type Duration, type ProgressFn, type MachineInfo, type Series,
  type HostClock,
} from "./common.js";

export const BOMB_PROGRAMS = ["forkbomb", "bashbomb"] as const;
export type BombProgram = (typeof BOMB_PROGRAMS)[number];

export interface BombOptions extends MachineOptions, ProcessOptions {
  /** Which bomb (default forkbomb). */
  program?: BombProgram;
  /** Or your own program (a static i386 ELF image) as the bomb. */
  image?: ProgramImage;
  /** Where that image came from, for the report. */
  file?: string;
  /** Run exactly this long. Default: until saturation, then `settle` more, at most `limit`. */
  duration?: Duration;
  /** How long to go on after saturation when no duration is given (default 1 s). */
  settle?: Duration;
  /** The longest a run without a duration goes (default 10 s). */
  limit?: Duration;
  /** Sample kern.nprocs every this many ticks (default 1). */
  sampleTicks?: number;
  onProgress?: ProgressFn;
  /** Polled between scheduling slices: true stops the run early (an interrupt); its end is "interrupted". */
  stop?: () => boolean;
  /** Host clock in ms (default performance.now). */
  hostClock?: HostClock;
}

export interface ErrnoCount {
  errno: number;
  name: string;
  count: number;
}

export interface BombReport {
  command: "bomb";
  /** The bundled bomb's name, or the name of your program's file. */
  program: string;
  description: string;
  machine: MachineInfo;
  process: { pid: number; uid: number; nprocLimit: number | null };
  /** The limit the bomb runs into first, and what it counts. */
  ceiling: {
    by: "maxproc" | "maxproc - 10" | "RLIMIT_NPROC";
    /** "nprocs" (kern.nprocs, every process) or "uid" (the processes of the bomb's uid). */
    counts: "nprocs" | "uid";
    value: number;
  };
  /** How long the run went, in virtual time, and why it ended. */
  run: {
    seconds: number;
    ticks: number;
    /** "duration": the --for time ran out; "settled": saturated, then the settle time; "limit": never saturated within the limit; "idle": nothing left to run; "interrupted": stopped by `stop`. */
    end: "duration" | "settled" | "limit" | "idle" | "interrupted";
  };
  forks: {
    attempts: number;
    succeeded: number;
    failed: ErrnoCount[];
    /** EAGAIN refusals by the limit that refused them. */
    refusedBy: { maxproc: number; nproc: number };
  };
  saturation: {
    reached: boolean;
    /** Virtual seconds from the start until the ceiling was first reached. */
    seconds: number | null;
    tick: number | null;
    /** Host seconds until then. */
    hostSeconds: number | null;
  };
  peak: { nprocs: number; uidProcs: number };
  final: { nprocs: number; uidProcs: number };
  /** Processes of the bomb that ended: by exit() (bashbomb), or killed by a signal (a fault no frame could resolve). */
  exits: { calls: number; killed: number };
  limitMessages: {
    /** Refusals that printed the message (limit events with printed = true). */
    printed: number;
    /** Refusals ppsratecheck kept quiet (printed = false). */
    rateLimited: number;
    /** What the kernel printed during the run, each distinct line with how often. */
    lines: { text: string; count: number }[];
  };
  vmmeter: VmmeterCounters;
  /** Host time of the run, successful forks per host second, and host µs per fork (lmbench style). */
  host: { seconds: number; forksPerSecond: number; usPerFork: number };
  series: Series;
}

export function runBomb(o: BombOptions = {}): BombReport {
  if (o.image && o.program) throw new RangeError("give a bundled program or an image, not both");
  const program = o.image ? o.image.name : o.program ?? "forkbomb";
  if (!o.image && !(BOMB_PROGRAMS as readonly string[]).includes(program)) {
    throw new RangeError(`program must be one of ${BOMB_PROGRAMS.join(", ")}, got ${JSON.stringify(program)}`);
  }
  const now = o.hostClock ?? defaultHostClock;
  const uid = o.uid ?? DEFAULT_UID;
  const { fl, machine } = createMachine(o);
  const hz = fl.hz;
  const image = o.image ?? bundledProgram(program as BombProgram);

  const t0 = now();
  const p = fl.spawn({ image, argv: [program], uid, nprocLimit: o.nprocLimit });

  // The ceiling: root is stopped by maxproc alone; a user by the 10 reserved slots or by
  // RLIMIT_NPROC on the uid's count, whichever comes first.
  const maxproc = machine.maxproc;
  const others = fl.sysctl("kern.nprocs") - fl.uidProcs(uid);
  const rlimit = o.nprocLimit ?? maxproc; // proc0's RLIMIT_NPROC is maxproc; children inherit
  let ceiling: BombReport["ceiling"];
  if (uid === 0) ceiling = { by: "maxproc", counts: "nprocs", value: maxproc };
  else if (rlimit + others < maxproc - 10) ceiling = { by: "RLIMIT_NPROC", counts: "uid", value: rlimit };
  else ceiling = { by: "maxproc - 10", counts: "nprocs", value: maxproc - 10 };
  const level = (): number => (ceiling.counts === "nprocs" ? fl.kernel.nprocs : fl.uidProcs(uid));

  let succeeded = 0, exitCalls = 0, killed = 0, printed = 0, rateLimited = 0;
  const refusedBy = { maxproc: 0, nproc: 0 };
  const lines = new Map<string, number>();
  fl.on("fork", () => { succeeded++; });
  fl.on("exit", (e) => { if ((e.status & 0x7f) === 0) exitCalls++; else killed++; });
  fl.on("limit", (e) => {
    refusedBy[e.which]++;
    if (e.printed) printed++; else rateLimited++;
  });
  fl.on("kprintf", (e) => { const t = e.text.replace(/\n$/, ""); lines.set(t, (lines.get(t) ?? 0) + 1); });
  const syscalls0 = fl.counters().v_syscall;

  // Times are reported from the bomb's start (the machine booted a tick before).
  const start = fl.ticks, v0 = fl.preciseSeconds;
  let satSeconds: number | null = null, satTick: number | null = null, satHost: number | null = null;
  let peakN = 0, peakU = 0;
  const watch = (): boolean => {
    const n = fl.kernel.nprocs, u = fl.uidProcs(uid);
    if (n > peakN) peakN = n;
    if (u > peakU) peakU = u;
    if (satTick === null && (ceiling.counts === "nprocs" ? n : u) >= ceiling.value) {
      satSeconds = fl.preciseSeconds; satTick = fl.ticks; satHost = (now() - t0) / 1000;
    }
    return false;
  };
  watch();

  const fixed = o.duration !== undefined ? durationTicks(o.duration, hz) : null;
  const settle = durationTicks(o.settle ?? { seconds: 1 }, hz);
  const limit = durationTicks(o.limit ?? { seconds: 10 }, hz);
  const endTick = (): number => {
    if (fixed !== null) return start + fixed;
    if (satTick !== null) return Math.min(start + limit, satTick + settle);
    return start + limit;
  };
  const every = o.sampleTicks ?? 1;

  // The loop: chunks of `every` ticks up to an end that moves once saturation is seen.
  const stopped = o.stop ?? (() => false);
  let stop: "time" | "idle" | "interrupted" = "time";
  let series: Series | null = null;
  for (;;) {
    const target = endTick();
    const r = runChunks(fl, {
      origin: start,
      endTick: target, every, until: () => watch() || endTick() !== target || stopped(),
      onChunk: () => {
        watch();
        if (!o.onProgress) return;
        const t = fl.ticks - start;
        let fraction: number;
        if (fixed !== null) fraction = t / Math.max(1, fixed);
        else if (satTick === null) fraction = 0.9 * Math.min(1, level() / Math.max(1, ceiling.value));
        else fraction = 0.9 + 0.1 * Math.min(1, (fl.ticks - satTick) / Math.max(1, settle));
        o.onProgress({ fraction: Math.min(1, fraction), detail: `${vsec(fl.seconds)} s virtual, ${fl.kernel.nprocs} processes` });
      },
    });
    series = series ? appendSeries(series, r.series) : r.series;
    if (r.stop === "idle") { stop = "idle"; break; }
    if (stopped()) { stop = "interrupted"; break; }
    if (r.stop === "time" || fl.ticks >= endTick()) break;
    // "condition": the end moved (saturation); go on to the new end.
  }
  watch();
  const hostSeconds = (now() - t0) / 1000;

  const attempts = fl.counters().v_syscall - syscalls0 - exitCalls;
  const refusals = refusedBy.maxproc + refusedBy.nproc;
  const enomem = Math.max(0, attempts - succeeded - refusals);
  const end: BombReport["run"]["end"] = stop !== "time" ? stop
    : fixed !== null ? "duration"
    : satTick !== null ? "settled" : "limit";

  return {
    command: "bomb",
    program,
    description: o.image ? `your program ${o.file ?? o.image.name}` : BUNDLED_PROGRAMS[program as BombProgram],
    machine,
    process: { pid: p.pid, uid, nprocLimit: o.nprocLimit ?? null },
    ceiling,
    run: { seconds: vsec(fl.preciseSeconds - v0), ticks: fl.ticks - start, end },
    forks: {
      attempts: succeeded + refusals + enomem,
      succeeded,
      failed: [
        { errno: EAGAIN, name: "EAGAIN", count: refusals },
        { errno: ENOMEM, name: "ENOMEM", count: enomem },
      ],
      refusedBy,
    },
    saturation: {
      reached: satTick !== null,
      seconds: satSeconds === null ? null : vsec(satSeconds - v0),
      tick: satTick === null ? null : satTick - start,
      hostSeconds: satHost === null ? null : hsec(satHost),
    },
    peak: { nprocs: peakN, uidProcs: peakU },
    final: { nprocs: fl.kernel.nprocs, uidProcs: fl.uidProcs(uid) },
    exits: { calls: exitCalls, killed },
    limitMessages: {
      printed, rateLimited,
      lines: [...lines].map(([text, count]) => ({ text, count })),
    },
    vmmeter: vmmeter(fl),
    host: {
      seconds: hsec(hostSeconds),
      forksPerSecond: rate(hostSeconds > 0 ? succeeded / hostSeconds : 0),
      usPerFork: usec(succeeded > 0 ? hostSeconds * 1e6 / succeeded : 0),
    },
    series: series!,
  };
}
