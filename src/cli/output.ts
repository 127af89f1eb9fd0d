// The output formats of the benchmark commands (bomb, spawn): text, json (with a schema:
// docs/schema/), csv (one row per strategy) and markdown (the comparison table).
import { cpus } from "node:os";
import type { RunReport } from "../workloads/run.js";
import { HOST_FIGURES, compare, type BenchReport, type Measured, type Stats, type Comparison } from "./bench.js";

export const FORMATS = ["text", "json", "csv", "markdown"] as const;
export type Format = (typeof FORMATS)[number];

/** The version of the JSON reports' shape (docs/schema/*.schema.json); raised when a field changes meaning or goes. */
export const SCHEMA_VERSION = 1;

/** What every JSON report starts with: its schema version, forklab's version, the host. */
export interface Envelope {
  schemaVersion: number;
  forklab: string;
  hostMachine: { node: string; platform: string; arch: string; cpu: string; cpus: number };
}

export function envelope(version: string): Envelope {
  const c = cpus();
  return {
    schemaVersion: SCHEMA_VERSION,
    forklab: version,
    hostMachine: { node: process.version, platform: process.platform, arch: process.arch, cpu: c[0]?.model ?? "unknown", cpus: c.length },
  };
}

export function jsonReport(version: string, report: Measured<BenchReport> | RunReport): string {
  return JSON.stringify({ ...envelope(version), ...report }, null, 2) + "\n";
}

export function jsonComparison(version: string, results: Measured<BenchReport>[]): string {
  const c = compare(results);
  return JSON.stringify({
    ...envelope(version), command: results[0].command, strategies: c.strategies, results, comparison: c.rows,
  }, null, 2) + "\n";
}

function pm(s: Stats): string {
  return `${s.mean} ± ${s.sd}`;
}

/** The text lines of the runs' summary (printed when there was more than one run). */
export function runsLines(r: Measured<BenchReport>, row: (label: string, value: string) => string): string[] {
  const b = r.benchmark;
  const lines = [
    "",
    row("runs", `${b.runs} measured after ${b.warmup} warm-up; the virtual-time figures were identical in every run`),
  ];
  for (const f of HOST_FIGURES[r.command]) {
    const s = b.host[f.key];
    lines.push(row(f.label, `${pm(s)} (mean ± σ), median ${s.median}, min ${s.min}, max ${s.max}`));
  }
  return lines;
}

function ratioHeads(c: Comparison): string[] {
  return c.strategies.slice(1).map((s) => `${s}/${c.strategies[0]}`);
}

function cell(v: number | null): string {
  return v === null ? "-" : String(v);
}

/** The values of a comparison row, host means with their σ. */
function rowCells(c: Comparison, results: Measured<BenchReport>[], i: number): string[] {
  const row = c.rows[i];
  return row.values.map((v, j) => {
    if (!row.host || v === null) return cell(v);
    const key = row.key.slice("host.".length);
    return `${v} ± ${results[j].benchmark.host[key].sd}`;
  });
}

/** The strategies side by side, with each one's ratio to the first. */
export function comparisonText(results: Measured<BenchReport>[], head: string, machine: string): string {
  const c = compare(results);
  const b = results[0].benchmark;
  const table = [["", ...c.strategies, ...ratioHeads(c)]];
  c.rows.forEach((row, i) => table.push([row.figure, ...rowCells(c, results, i), ...row.ratios.map(cell)]));
  const widths = table[0].map((_, k) => Math.max(...table.map((r) => r[k].length)));
  const lines = [
    head,
    "",
    `  machine: ${machine}`,
    `  runs: ${b.runs} measured after ${b.warmup} warm-up, for each strategy (same seed and options); host figures are the mean ± σ`,
    `  of the runs; virtual-time figures were identical in every run of a strategy`,
    "",
    ...table.map((r) => "  " + r.map((v, k) => (k === 0 ? v.padEnd(widths[k]) : v.padStart(widths[k]))).join("  ").trimEnd()),
  ];
  return lines.join("\n") + "\n";
}

/** Markdown: the comparison table (one strategy: one value column). */
export function markdown(results: Measured<BenchReport>[]): string {
  const c = compare(results);
  const heads = ["figure", ...c.strategies, ...ratioHeads(c)];
  const lines = [
    `| ${heads.join(" | ")} |`,
    `|${heads.map((_, k) => (k === 0 ? ":---" : "---:")).join("|")}|`,
    ...c.rows.map((row, i) => `| ${[row.figure, ...rowCells(c, results, i), ...row.ratios.map(cell)].join(" | ")} |`),
  ];
  return lines.join("\n") + "\n";
}

function csvField(v: string | number | null): string {
  const s = v === null ? "" : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV: one row per strategy, the virtual figures and each host figure's statistics. */
export function csv(results: Measured<BenchReport>[]): string {
  const c = compare(results);
  const virtual = c.rows.filter((r) => !r.host);
  const host = HOST_FIGURES[results[0].command];
  const stat = ["mean", "sd", "median", "min", "max"] as const;
  const header = ["command", "program", "strategy", "runs", "warmup", ...virtual.map((r) => r.key),
    ...host.flatMap((f) => stat.map((s) => `host_${f.key}_${s}`))];
  const rows = results.map((r, j) => [
    r.command, r.program, r.machine.strategy, r.benchmark.runs, r.benchmark.warmup,
    ...virtual.map((row) => row.values[j]),
    ...host.flatMap((f) => stat.map((s) => r.benchmark.host[f.key][s])),
  ]);
  return [header, ...rows].map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}
