// Runs the command line in-process with captured output and a host clock that is the
// same every run (1 ms per reading), so two runs of one command print the same report.
import { expect } from "vitest";
import { main } from "../../src/cli/main.js";
import { CHART_TITLE } from "../../src/cli/chart.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  stdin?: string[];
  /** The locale variables (default LANG=C.UTF-8: the Unicode chart). */
  env?: Record<string, string | undefined>;
  /** The interrupt poll (io.interrupted). */
  interrupted?: () => "SIGINT" | "SIGTERM" | null;
  /** A host clock (default: 1 ms per reading). */
  now?: () => number;
}

export async function cli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  let out = "", err = "", t = 0;
  const input = opts.stdin ? [...opts.stdin] : [];
  const code = await main(args, {
    stdout: (s) => { out += s; },
    stderr: (s) => { err += s; },
    now: opts.now ?? (() => (t += 1)),
    cwd: opts.cwd,
    env: opts.env ?? { LANG: "C.UTF-8" },
    interrupted: opts.interrupted,
    stdin: () => { const s = input.shift(); return s === undefined ? null : new TextEncoder().encode(s); },
  });
  return { code, stdout: out, stderr: err };
}

/** Runs a command with --json and parses its report. */
export async function cliJson<T = Record<string, unknown>>(args: string[], opts: { cwd?: string } = {}): Promise<T> {
  // Right after the command: after `run FILE` it would be the program's argument.
  const r = await cli([args[0], "--json", ...args.slice(1)], opts);
  expect(r.stderr).toBe("");
  const report = JSON.parse(r.stdout) as T;
  // `run` exits with the program's status (128 + a signal, 1 if it did not exit).
  const exit = (report as { exit?: { code: number | null; signal: number | null } | null }).exit;
  expect(r.code).toBe(args[0] !== "run" ? 0 : !exit ? 1 : exit.code ?? 128 + exit.signal!);
  return report;
}

/** The text report without its chart (the last section, from the chart's title line). */
export function textWithoutChart(text: string): string {
  const i = text.indexOf(CHART_TITLE);
  expect(i).toBeGreaterThan(0);
  return text.slice(0, i);
}

const NUM = /-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/g;

/** Every number in a text, as the strings JavaScript would print them. */
export function numbersIn(text: string): string[] {
  return (text.match(NUM) ?? []).map((s) => String(Number(s)));
}

/** Every number in a JSON value: number values and numbers inside strings, skipping some keys. */
export function jsonNumbers(v: unknown, skip: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (typeof x === "number") out.push(String(x));
    else if (typeof x === "string") out.push(...numbersIn(x));
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === "object") {
      for (const [k, y] of Object.entries(x)) if (!skip.has(k)) walk(y);
    }
  };
  walk(v);
  return out;
}

/** Just the number values of a JSON value (not numbers in strings), skipping some keys. */
export function jsonNumberValues(v: unknown, skip: ReadonlySet<string> = new Set()): { path: string; value: number }[] {
  const out: { path: string; value: number }[] = [];
  const walk = (x: unknown, path: string): void => {
    if (typeof x === "number") out.push({ path, value: x });
    else if (Array.isArray(x)) x.forEach((y, i) => walk(y, `${path}[${i}]`));
    else if (x && typeof x === "object") {
      for (const [k, y] of Object.entries(x)) if (!skip.has(k)) walk(y, path ? `${path}.${k}` : k);
    }
  };
  walk(v, "");
  return out;
}

/** What --json adds around a report (docs/schema/), and the runs' summary a one-run text report does not print. */
export const ENVELOPE = ["schemaVersion", "forklab", "hostMachine", "benchmark"];

/**
 * The text report and the JSON report of the same command carry the same numbers: every
 * number the text prints (outside the chart) is in the JSON, and every number value of
 * the JSON (outside `skip`: the series the chart draws, the trace) is printed.
 */
export function expectSameNumbers(text: string, json: unknown, skip: string[] = ["series", "trace", ...ENVELOPE]): void {
  const skipSet = new Set(skip);
  const textNums = numbersIn(textWithoutChart(text));
  const inJson = new Set(jsonNumbers(json, skipSet));
  const missingFromJson = [...new Set(textNums)].filter((n) => !inJson.has(n));
  expect(missingFromJson, "numbers printed in the text report but absent from --json").toEqual([]);
  const inText = new Set(textNums);
  const missingFromText = jsonNumberValues(json, skipSet).filter(({ value }) => !inText.has(String(value)));
  expect(missingFromText, "numbers in --json that the text report does not print").toEqual([]);
}
