// Running any program: an ELF file's image started as a process (with the bundled
// programs installed at /bin/<name>, so it can exec them), run until it exits or the
// time runs out, with its exit status, the kernel's events and the counters.
import type { ProgramImage } from "../kernel/image.js";
import type { KernelEvent, EventType } from "../kernel/events.js";
import type { VmmeterCounters } from "../kernel/vmmeter.js";
import { installBundled } from "../user/programs.js";
import type { ConsoleOutput, Forklab } from "../kernel/api.js";
import {
  createMachine, durationTicks, runChunks, appendSeries, vmmeter, vsec, hsec, exitInfo, defaultHostClock, DEFAULT_UID, SIGNAL_NAMES,
  type MachineOptions, type ProcessOptions, type Duration, type ProgressFn, type MachineInfo, type Series,
  type ExitInfo, type HostClock,
} from "./common.js";

/** A file put in the machine's filesystem before the program starts. */
export interface GuestFile { path: string; bytes: Uint8Array; mode?: number }

export interface RunProgramOptions extends MachineOptions, ProcessOptions {
  image: ProgramImage;
  /**
   * The program's file bytes: installed at `path` so it can read or exec itself (without
   * them, the image is registered there for execve).
   */
  bytes?: Uint8Array;
  /** Where the program goes in the filesystem (default /bin/<image.name>); argv[0] by default. */
  path?: string;
  /** Other files to install first (helpers it execs, data it reads). */
  files?: GuestFile[];
  /** Called with each console write as it is made (the program's stdout and stderr). */
  onOutput?: (o: ConsoleOutput) => void;
  /**
   * Where console input comes from: called when the machine has nothing to run but a
   * process waits for input; returns bytes, or null at end of input.
   */
  stdin?: () => Uint8Array | null;
  /** argv (default [image.name]). */
  argv?: string[];
  /** Where the image came from, for the report. */
  file?: string;
  /** Give up after this much virtual time if the program has not exited (default 2 s: a program that computes all along runs about 10 s of host time per virtual second). */
  limit?: Duration;
  /** Keep every event in the report (`--trace`). */
  trace?: boolean;
  /** Called with every event as it happens. */
  onEvent?: (e: KernelEvent) => void;
  /** Checked between scheduling slices: true stops the run there (an interrupt; the report is partial). */
  stop?: () => boolean;
  sampleTicks?: number;
  onProgress?: ProgressFn;
  hostClock?: HostClock;
}

export interface RunReport {
  command: "run";
  file: string | null;
  machine: MachineInfo;
  process: { pid: number; uid: number; nprocLimit: number | null; argv: string[]; comm: string };
  /** How the program ended, or null if it had not when the run stopped. */
  exit: ExitInfo | null;
  /** The signal that had stopped the program (job control) when the run ended, else null. */
  stopped: { signal: number; signalName: string } | null;
  run: { seconds: number; ticks: number; end: "exited" | "limit" | "idle" | "interrupted" };
  /** Events of each type during the run (from the program's start). */
  events: Partial<Record<EventType, number>>;
  /** Every event, with --trace. */
  trace: KernelEvent[] | null;
  /** Everything written to the console (descriptors 0-2 of every process), as text. */
  output: string;
  /** What the kernel printed, each distinct line with how often. */
  messages: { text: string; count: number }[];
  final: { nprocs: number };
  vmmeter: VmmeterCounters;
  host: { seconds: number };
  series: Series;
}

/** One event as one line: `tick 12 fork parent=2 child=3 flags=0x40000014 tid=0`. */
export function formatEvent(e: KernelEvent): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(e)) {
    if (k === "type" || k === "tick") continue;
    if (k === "flags" && typeof v === "number") parts.push(`${k}=0x${v.toString(16)}`);
    else if (k === "va" && typeof v === "number") parts.push(`${k}=0x${v.toString(16)}`);
    else if (typeof v === "string") parts.push(`${k}=${JSON.stringify(v)}`);
    else parts.push(`${k}=${String(v)}`);
  }
  return `tick ${e.tick} ${e.type} ${parts.join(" ")}`.trimEnd();
}

export function runProgram(o: RunProgramOptions): RunReport {
  const now = o.hostClock ?? defaultHostClock;
  const uid = o.uid ?? DEFAULT_UID;
  const { fl, machine } = createMachine(o);
  installBundled(fl);
  const path = o.path ?? `/bin/${o.image.name}`;
  for (const f of o.files ?? []) fl.installFile(f.path, f.bytes, f.mode ?? 0o755);
  if (o.bytes) fl.installFile(path, o.bytes, 0o755);
  else fl.registerProgram(path, o.image);
  const argv = o.argv ?? [path];
  if (o.onOutput) fl.console.onOutput(o.onOutput);

  const counts: Partial<Record<EventType, number>> = {};
  const trace: KernelEvent[] | null = o.trace ? [] : null;
  fl.on("*", (e) => {
    counts[e.type] = (counts[e.type] ?? 0) + 1;
    if (trace) trace.push({ ...e });
    o.onEvent?.(e);
  });
  const messages0 = fl.messages().length;
  let pid = -1;
  let exit: ExitInfo | null = null;
  let reaped = false;
  const v0 = fl.preciseSeconds; // times are reported from the program's start
  fl.on("exit", (e) => { if (e.pid === pid) exit = exitInfo(e.status, fl.preciseSeconds - v0); });
  fl.on("reap", (e) => { if (e.pid === pid) reaped = true; });

  const t0 = now();
  // The fork from init that starts the program, and its exec, are events of the run too.
  const p = fl.spawn({ path, argv, uid, nprocLimit: o.nprocLimit });
  pid = p.pid;
  if (p.stat === "SZOMB" && exit === null) exit = exitInfo(p.xstat, fl.preciseSeconds - v0);

  // Until init has reaped the program (so it is not left a zombie), or the limit.
  const start = fl.ticks;
  const limit = durationTicks(o.limit ?? { seconds: 2 }, fl.hz);
  let interrupted = false;
  const stopped = (): boolean => (interrupted ||= o.stop?.() ?? false);
  let r: ReturnType<typeof runChunks>;
  let series: Series | null = null;
  for (;;) {
    r = runChunks(fl, {
      origin: start,
      endTick: start + limit, every: o.sampleTicks ?? 1, until: () => reaped || stopped(),
      onChunk: () => o.onProgress?.({ fraction: Math.min(1, (fl.ticks - start) / Math.max(1, limit)), detail: `${vsec(fl.seconds)} s virtual, ${fl.kernel.nprocs} processes` }),
    });
    series = series ? appendSeries(series, r.series) : r.series;
    // Idle with a process waiting for console input: feed it from stdin (or end it) and go on.
    if (r.stop !== "idle" || reaped || interrupted || !o.stdin || fl.console.inputEnded || fl.console.readers === 0) break;
    const chunk = o.stdin();
    if (chunk === null || chunk.length === 0) fl.console.endInput(); else fl.console.input(chunk);
  }
  const hostSeconds = (now() - t0) / 1000;
  const x = exit as ExitInfo | null;
  return {
    command: "run",
    file: o.file ?? null,
    machine,
    process: { pid, uid, nprocLimit: o.nprocLimit ?? null, argv, comm: o.image.name.slice(0, 16) },
    exit: x,
    stopped: stoppedBy(fl, x ? -1 : pid),
    run: { seconds: vsec(x ? x.seconds : fl.preciseSeconds - v0), ticks: fl.ticks - start, end: x ? "exited" : interrupted ? "interrupted" : r.stop === "idle" ? "idle" : "limit" },
    events: counts,
    trace,
    output: fl.console.output(),
    messages: countLines(fl.messages().slice(messages0)),
    final: { nprocs: fl.kernel.nprocs },
    vmmeter: vmmeter(fl),
    host: { seconds: hsec(hostSeconds) },
    series,
  };
}

/** The stop signal of pid if it is stopped (SSTOP), else null. */
function stoppedBy(fl: Forklab, pid: number): RunReport["stopped"] {
  if (pid < 0) return null;
  const p = fl.procs().find((q) => q.pid === pid);
  if (!p || p.stat !== "SSTOP") return null;
  return { signal: p.xstat, signalName: SIGNAL_NAMES[p.xstat] ?? `signal ${p.xstat}` };
}

/** Distinct lines (trailing newline dropped) with how often each came, in first-seen order. */
export function countLines(texts: string[]): { text: string; count: number }[] {
  const m = new Map<string, number>();
  for (const t of texts) { const l = t.replace(/\n$/, ""); m.set(l, (m.get(l) ?? 0) + 1); }
  return [...m].map(([text, count]) => ({ text, count }));
}
