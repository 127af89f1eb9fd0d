// The text reports. They print the report objects' numbers as they are (the workloads
// round them to the precision shown), so `--json` carries exactly the same numbers.
import type { BombReport } from "../workloads/bomb.js";
import type { SpawnReport } from "../workloads/spawn.js";
import type { RunReport } from "../workloads/run.js";
import type { MachineInfo, ExitInfo, Series } from "../workloads/common.js";
import type { VmmeterCounters } from "../kernel/vmmeter.js";
import { textChart } from "./chart.js";

export { CHART_TITLE } from "./chart.js";

const COL = 24;
export function row(label: string, value: string): string {
  return `  ${label.padEnd(COL)}${value}`;
}

export function machineLine(m: MachineInfo): string {
  return `${m.mem} (${m.memBytes} bytes), ${m.cpus} CPU${m.cpus === 1 ? "" : "s"}, ${m.strategy} fork, maxproc ${m.maxproc} (maxprocperuid ${m.maxprocperuid}), hz ${m.hz}, seed ${m.seed}`;
}

function vmmeterLines(v: VmmeterCounters): string[] {
  const entries = Object.entries(v).map(([k, n]) => `${k} ${n}`);
  const out: string[] = [];
  for (let i = 0; i < entries.length; i += 4) {
    out.push(row(i === 0 ? "vmmeter (vm.stats.vm)" : "", entries.slice(i, i + 4).join(", ")));
  }
  return out;
}

function exitText(x: ExitInfo | null, stopped: { signal: number; signalName: string } | null = null): string {
  if (!x && stopped) return `stopped by signal ${stopped.signal} (${stopped.signalName}) when the run ended`;
  if (!x) return "still running when the run stopped";
  if (x.signal !== null) return `killed by signal ${x.signal} (${x.signalName}) at ${x.seconds} s virtual, wait status ${x.status}`;
  return `exit code ${x.code} at ${x.seconds} s virtual, wait status ${x.status}`;
}

function chart(series: Series, ascii: boolean): string[] {
  return ["", ...textChart(series, { ascii }).map((l) => `  ${l}`)];
}

function rlimitText(n: number | null): string {
  return n === null ? "RLIMIT_NPROC inherited (maxproc)" : `RLIMIT_NPROC ${n}`;
}

const END_TEXT = {
  duration: "the --for time ran out",
  settled: "saturated, then ran the settle time",
  limit: "the time limit ran out",
  idle: "nothing was left to run",
  exited: "the program exited",
  interrupted: "interrupted (SIGINT or SIGTERM): a partial report",
} as const;

export function formatBomb(r: BombReport, ascii = false, extra: string[] = []): string {
  const c = r.ceiling;
  const ceiling = c.counts === "nprocs"
    ? `kern.nprocs reaches ${c.value} (${c.by === "maxproc" ? "maxproc: root may use every slot" : "maxproc - 10: the last 10 slots are root's"})`
    : `uid ${r.process.uid} reaches ${c.value} processes (its RLIMIT_NPROC)`;
  const s = r.saturation;
  const eagain = r.forks.failed.find((f) => f.name === "EAGAIN")!;
  const lines = [
    `forklab bomb: ${r.program}: ${r.description}`,
    "",
    row("machine", machineLine(r.machine)),
    row("process", `pid ${r.process.pid}, uid ${r.process.uid}, ${rlimitText(r.process.nprocLimit)}`),
    row("ceiling", ceiling),
    row("run", `${r.run.seconds} s virtual (${r.run.ticks} ticks), ended: ${END_TEXT[r.run.end]}`),
    row("saturated after", s.reached ? `${s.seconds} s virtual (tick ${s.tick}), ${s.hostSeconds} s host` : "never (the ceiling was not reached)"),
    row("peak processes", `${r.peak.nprocs} (${r.peak.uidProcs} of uid ${r.process.uid})`),
    row("final processes", `${r.final.nprocs} (${r.final.uidProcs} of uid ${r.process.uid})`),
    row("exits", `${r.exits.calls} by exit(), ${r.exits.killed} killed by a signal`),
    "",
    row("fork attempts", String(r.forks.attempts)),
    row("  succeeded", String(r.forks.succeeded)),
    ...r.forks.failed.map((f) => row(`  failed ${f.name} (${f.errno})`, f === eagain
      ? `${f.count} (maxproc ${r.forks.refusedBy.maxproc}, RLIMIT_NPROC ${r.forks.refusedBy.nproc})`
      : String(f.count))),
    row("limit messages", `${r.limitMessages.printed} printed, ${r.limitMessages.rateLimited} rate-limited`),
    ...r.limitMessages.lines.map((l) => row("", `${l.count} x ${l.text}`)),
    "",
    row("host", `${r.host.seconds} s, ${r.host.forksPerSecond} emulated forks per host second, ${r.host.usPerFork} µs per fork`),
    ...vmmeterLines(r.vmmeter),
    ...extra,
    ...chart(r.series, ascii),
  ];
  return lines.join("\n") + "\n";
}

export function formatSpawn(r: SpawnReport, ascii = false, extra: string[] = []): string {
  const asked = r.requested.loops !== null ? `${r.requested.loops} loops` : `${r.requested.seconds} s virtual`;
  const lines = [
    `forklab spawn: ${r.description}`,
    "",
    row("machine", machineLine(r.machine)),
    row("process", `pid ${r.process.pid}, uid ${r.process.uid}, ${rlimitText(r.process.nprocLimit)}, argv: ${r.process.argv.join(" ")}`),
    row("asked for", asked),
    row("loops", `${r.loops} (children reaped)`),
    row("run", `${r.run.seconds} s virtual (${r.run.ticks} ticks), ended: ${END_TEXT[r.run.end]}`),
    row("loops per second", `${r.lps.virtual} virtual, ${r.lps.host} host`),
    row("µs per loop", `${r.usPerLoop.virtual} virtual, ${r.usPerLoop.host} host (fork + exit + wait, as lmbench's lat_proc fork)`),
    row("index", `${r.index.value} (UnixBench style: ${r.index.formula}, baseline ${r.index.baseline} lps; one run, not a geometric mean)`),
    row("program", exitText(r.exit)),
    row("host", `${r.host.seconds} s`),
    ...vmmeterLines(r.vmmeter),
    ...extra,
    ...chart(r.series, ascii),
  ];
  return lines.join("\n") + "\n";
}

export function formatRun(r: RunReport, ascii = false): string {
  const ev = Object.entries(r.events).map(([k, n]) => `${k} ${n}`);
  const lines = [
    `forklab run: ${r.file ?? r.process.comm}`,
    "",
    row("machine", machineLine(r.machine)),
    row("process", `pid ${r.process.pid}, uid ${r.process.uid}, ${rlimitText(r.process.nprocLimit)}, argv: ${r.process.argv.join(" ")}`),
    row("program", exitText(r.exit, r.stopped)),
    row("run", `${r.run.seconds} s virtual (${r.run.ticks} ticks), ended: ${END_TEXT[r.run.end]}`),
    row("events", ev.length ? ev.slice(0, 6).join(", ") : "none"),
  ];
  for (let i = 6; i < ev.length; i += 6) lines.push(row("", ev.slice(i, i + 6).join(", ")));
  lines.push(row("kernel messages", r.messages.length ? `${r.messages[0].count} x ${r.messages[0].text}` : "none"));
  for (const m of r.messages.slice(1)) lines.push(row("", `${m.count} x ${m.text}`));
  lines.push(
    row("final processes", String(r.final.nprocs)),
    row("host", `${r.host.seconds} s`),
    ...vmmeterLines(r.vmmeter),
    ...chart(r.series, ascii),
  );
  return lines.join("\n") + "\n";
}
