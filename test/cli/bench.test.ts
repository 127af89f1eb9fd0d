// Benchmark ergonomics of bomb and spawn: --runs/--warmup (host figures summarised,
// virtual figures identical), --strategy copy,cow side by side, --format text|json|csv|
// markdown with the JSON validated against docs/schema/report.schema.json, interrupts.
import { describe, it, expect } from "vitest";
import { readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Envelope } from "../../src/cli/output.js";
import { isBundled } from "../../src/user/programs.js";
import { cli, cliJson, expectSameNumbers, textWithoutChart } from "./helpers.js";
import { validate } from "./jsonschema.js";
import { main, RESTORE_TERMINAL } from "../../src/cli/main.js";
import { stats, measure, virtualPart, NondeterminismError, type Measured } from "../../src/cli/bench.js";
import { runSpawn, type SpawnReport } from "../../src/workloads/spawn.js";
import type { BombReport } from "../../src/workloads/bomb.js";

const schema = JSON.parse(readFileSync("docs/schema/report.schema.json", "utf8")) as Record<string, unknown>;
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

/** A host clock whose runs differ: each reading advances 1, 2, 3... ms, so later runs read longer. */
function growingClock(): () => number {
  let t = 0, step = 0;
  return () => (t += ++step % 7 + 1);
}

describe("stats", () => {
  it("mean, sample σ (n - 1), median (even and odd counts), min, max", () => {
    expect(stats([2, 4, 4, 4, 5, 5, 7, 9], 3)).toEqual({ mean: 5, sd: 2.138, median: 4.5, min: 2, max: 9 });
    expect(stats([3, 1, 2], 1)).toEqual({ mean: 2, sd: 1, median: 2, min: 1, max: 3 });
    expect(stats([0.5], 3)).toEqual({ mean: 0.5, sd: 0, median: 0.5, min: 0.5, max: 0.5 });
    expect(() => stats([], 1)).toThrow(RangeError);
  });
});

describe("--runs and --warmup", () => {
  it("warm-up runs are run and discarded; host figures are summarised over the measured runs only", async () => {
    const clock = growingClock();
    const r = await cli(["spawn", "--loops", "30", "--runs", "4", "--warmup", "2", "--json"], { now: clock });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Measured<SpawnReport>;
    expect(j.benchmark).toMatchObject({ runs: 4, warmup: 2, virtualIdentical: true });
    const s = j.benchmark.host.seconds;
    expect(s.min).toBeLessThanOrEqual(s.median);
    expect(s.median).toBeLessThanOrEqual(s.max);
    expect(s.min).toBeLessThan(s.max); // the growing clock makes the runs differ
    expect(s.sd).toBeGreaterThan(0);
    expect(j.benchmark.host.loopsPerSecond.max).toBeGreaterThan(j.benchmark.host.loopsPerSecond.min);
    // The report is the last measured run's: its host seconds are among the runs'.
    expect(j.host.seconds).toBeGreaterThanOrEqual(s.min);
    expect(j.host.seconds).toBeLessThanOrEqual(s.max);
  });

  it("measure runs warmup + runs times and checks the virtual figures are identical", () => {
    let n = 0, t = 0;
    const once = (): SpawnReport => { n++; return runSpawn({ loops: 10, hostClock: () => (t += n) }); };
    const m = measure(once, 3, 2);
    expect(n).toBe(5);
    expect(m.benchmark.runs).toBe(3);
    // A run whose virtual figures differ (another seed would do it) is a determinism bug: an error, not a report.
    let k = 0;
    expect(() => measure(() => runSpawn({ loops: 10 + (k++ % 2) }), 2, 0)).toThrow(NondeterminismError);
  });

  it("virtualPart drops exactly the host figures", () => {
    const a = runSpawn({ loops: 5, hostClock: () => 0 });
    let t = 0;
    const b = runSpawn({ loops: 5, hostClock: () => (t += 100) });
    expect(a.host.seconds).not.toBe(b.host.seconds);
    expect(virtualPart(a)).toEqual(virtualPart(b));
    expect(JSON.stringify(virtualPart(a))).not.toMatch(/"host"/);
  });

  it("the text report adds the runs' summary before the chart; its numbers are the JSON's", async () => {
    const args = ["bomb", "--maxproc", "40", "--runs", "3", "--warmup", "1"];
    const text = await cli(args, { now: growingClock() });
    const json = await cliJson(args);
    expect(text.code).toBe(0);
    const body = textWithoutChart(text.stdout);
    expect(body).toMatch(/runs +3 measured after 1 warm-up; the virtual-time figures were identical in every run/);
    expect(body).toMatch(/host seconds +[\d.]+ ± [\d.]+ \(mean ± σ\), median [\d.]+, min [\d.]+, max [\d.]+/);
    expect(body).toMatch(/host µs per fork +[\d.]+ ± /);
    // Same numbers in text and JSON, with the fixed clock of cliJson.
    const fixed = await cli(args);
    expectSameNumbers(fixed.stdout, json, ["series", "schemaVersion", "forklab", "hostMachine"]);
  });

  it("one run prints no runs' summary (the report as before)", async () => {
    const r = await cli(["spawn", "--loops", "20"]);
    expect(r.stdout).not.toMatch(/measured after/);
    expect(r.stdout).toMatch(/µs per loop +[\d.]+ virtual, [\d.]+ host \(fork \+ exit \+ wait/);
  });

  it("rejects bad counts", async () => {
    for (const [args, msg] of [
      [["bomb", "--runs", "0"], /option '--runs <n>' argument '0' is invalid/],
      [["spawn", "--warmup", "-1"], /option '--warmup <n>' argument '-1' is invalid/],
      [["spawn", "--format", "xml"], /option '--format <format>' argument 'xml' is invalid\. Allowed choices are text, json, csv, markdown/],
      [["spawn", "--json", "--format", "csv"], /--json is --format json: it excludes --format csv/],
      [["bomb", "--strategy", "cow,cow"], /each once/],
      [["bomb", "--strategy", "copy,cow", "--plot", "x.svg"], /--plot draws one run/],
      [["run", "--strategy", "copy,cow", "true"], /--strategy takes one strategy here/],
    ] as [string[], RegExp][]) {
      const r = await cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });
});

describe("--strategy copy,cow", () => {
  it("runs each strategy with the same seed and options, side by side with ratios to the first", async () => {
    const r = await cli(["bomb", "--maxproc", "40", "--strategy", "copy,cow"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("forklab bomb: forkbomb: for (;;) fork(); until the process limits stop it");
    expect(r.stdout).toMatch(/machine: .*copy and cow fork, maxproc 40/);
    const head = lines.find((l) => /copy +cow +cow\/copy$/.test(l));
    expect(head).toBeDefined();
    // Both saturate at the same ceiling: ratio 1. Only cow takes copy-on-write faults: no ratio against 0.
    expect(r.stdout).toMatch(/peak processes +30 +30 +1\n/);
    expect(r.stdout).toMatch(/copy-on-write faults +0 +\d+ +-\n/);
    expect(r.stdout).toMatch(/host seconds \(mean\) +[\d.]+ ± [\d.]+ +[\d.]+ ± [\d.]+ +[\d.]+\n/);
  });

  it("JSON: one result per strategy, each identical to its own single-strategy run, and the ratios", async () => {
    const j = await cliJson<{ strategies: string[]; results: Measured<BombReport>[]; comparison: { key: string; values: number[]; ratios: (number | null)[] }[] }>(
      ["bomb", "--maxproc", "40", "--strategy", "cow,copy"]);
    expect(j.strategies).toEqual(["cow", "copy"]);
    const { schemaVersion: _v, forklab: _f, hostMachine: _h, ...alone } = await cliJson<Measured<BombReport> & Envelope>(["bomb", "--maxproc", "40", "--strategy", "copy"]);
    expect(j.results[1]).toEqual(alone);
    const peak = j.comparison.find((c) => c.key === "peakProcesses")!;
    expect(peak).toMatchObject({ values: [30, 30], ratios: [1] });
    const cow = j.comparison.find((c) => c.key === "cowFaults")!;
    expect(cow.values[0]).toBeGreaterThan(0);
    expect(cow.ratios).toEqual([0]);
  });
});

describe("--format", () => {
  it("csv: a header and one row per strategy, the host figures' statistics", async () => {
    const r = await cli(["spawn", "--loops", "40", "--strategy", "copy,cow", "--runs", "2", "--format", "csv"]);
    expect(r.code).toBe(0);
    const rows = r.stdout.trimEnd().split("\n").map((l) => l.split(","));
    expect(rows).toHaveLength(3);
    const h = rows[0];
    expect(h.slice(0, 6)).toEqual(["command", "program", "strategy", "runs", "warmup", "loops"]);
    expect(h).toContain("host_usPerLoop_median");
    expect(rows[1].slice(0, 6)).toEqual(["spawn", "spawn", "copy", "2", "0", "40"]);
    expect(rows[2][2]).toBe("cow");
    for (const row of rows) expect(row).toHaveLength(h.length);
  });

  it("markdown: the comparison as a table", async () => {
    const r = await cli(["spawn", "--loops", "40", "--format", "markdown"]);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("| figure | cow |");
    expect(lines[1]).toBe("|:---|---:|");
    expect(lines).toContain("| loops | 40 |");
    expect(lines.every((l) => l.startsWith("| ") || l.startsWith("|:"))).toBe(true);
  });

  it("json carries schemaVersion 1, the forklab version and the host machine; --json is its alias", async () => {
    const a = await cli(["spawn", "--loops", "10", "--format", "json"]);
    const b = await cli(["spawn", "--loops", "10", "--json"]);
    expect(a.stdout).toBe(b.stdout);
    const j = JSON.parse(a.stdout) as Record<string, unknown>;
    expect(Object.keys(j).slice(0, 3)).toEqual(["schemaVersion", "forklab", "hostMachine"]);
    expect(j.schemaVersion).toBe(1);
    expect(j.forklab).toBe(pkg.version);
    expect(j.hostMachine).toMatchObject({ node: process.version, platform: process.platform, arch: process.arch });
  });
});

describe("docs/schema/report.schema.json", () => {
  const cases: string[][] = [
    ["bomb", "--maxproc", "40"],
    ["bomb", "--maxproc", "40", "--program", "bashbomb", "--runs", "2", "--warmup", "1"],
    ["bomb", "--maxproc", "40", "--strategy", "copy,cow"],
    ["spawn", "--loops", "20"],
    ["spawn", "--for", "2t", "--strategy", "copy,cow", "--runs", "2"],
    ["run", "true"],
    ["run", "--trace", "spawn", "2"],
  ];
  for (const args of cases) {
    it(`validates forklab ${args.join(" ")} --json`, async () => {
      expect(validate(schema, await cliJson(args))).toEqual([]);
    });
  }

  it("rejects what is not a report: a missing field, a wrong type, an unknown field, another schemaVersion", async () => {
    const good = await cliJson<Record<string, unknown>>(["spawn", "--loops", "5"]);
    const { loops: _, ...missing } = good;
    expect(validate(schema, missing).join("\n")).toMatch(/missing loops/);
    expect(validate(schema, { ...good, loops: "5" }).join("\n")).toMatch(/\$\.loops: expected integer, got string/);
    expect(validate(schema, { ...good, extra: 1 }).join("\n")).toMatch(/unexpected property extra/);
    expect(validate(schema, { ...good, schemaVersion: 2 }).length).toBeGreaterThan(0);
  });
});

describe("interrupts (SIGINT, SIGTERM)", () => {
  it("stop the run at the next chunk, print the partial report and exit 128 + the signal", async () => {
    let polls = 0;
    const r = await cli(["bomb", "--for", "60s", "--maxproc", "40", "--json"], { interrupted: () => (++polls > 200 ? "SIGINT" : null) });
    expect(r.code).toBe(130);
    const j = JSON.parse(r.stdout) as Measured<BombReport>;
    expect(j.run.end).toBe("interrupted");
    expect(j.run.ticks).toBeLessThan(6000);
    expect(validate(schema, j)).toEqual([]);
    // In the third of five runs: the two complete runs are the summary, the third the (partial) report.
    let perRun = 0;
    await cli(["spawn", "--for", "20t"], { interrupted: () => { perRun++; return null; } });
    let n = 0;
    const m = await cli(["spawn", "--for", "20t", "--runs", "5", "--json"], { interrupted: () => (++n > 2.5 * perRun ? "SIGINT" : null) });
    expect(m.code).toBe(130);
    const k = JSON.parse(m.stdout) as Measured<SpawnReport>;
    expect(k.run.end).toBe("interrupted");
    expect(k.benchmark.runs).toBe(2);
    expect(k.run.ticks).toBeLessThan(20);
    const t = await cli(["spawn", "--for", "60s", "--runs", "5"], { interrupted: () => "SIGTERM" });
    expect(t.code).toBe(143);
    expect(t.stdout).toMatch(/ended: interrupted \(SIGINT or SIGTERM\): a partial report/);
  });
});

describe("the terminal after an interrupt", () => {
  it("the progress bar hid the cursor and turned autowrap off: both are restored before the report", async () => {
    let written = "", t = 0;
    const progressStream = { isTTY: true, columns: 80, write: (s: string) => { written += s; return true; } } as unknown as NodeJS.WritableStream;
    let polls = 0, out = "";
    const code = await main(["spawn", "--for", "60s"], {
      stdout: (s) => { out += s; }, stderr: () => {}, progressStream, now: () => (t += 100), env: { LANG: "C.UTF-8" },
      interrupted: () => (++polls > 20000 ? "SIGINT" : null),
    });
    expect(code).toBe(130);
    expect(written).toContain("\x1b[?25l"); // the bar hid the cursor
    expect(written.endsWith(RESTORE_TERMINAL)).toBe(true);
    expect(RESTORE_TERMINAL).toBe("\x1b[?25h\x1b[?7h");
    expect(out).toMatch(/ended: interrupted/);
  });
});

describe("the terminal chart", () => {
  const chartOf = (out: string): string => out.slice(out.indexOf("processes (kern.nprocs)"));
  it("is ASCII where the locale is not UTF-8, or with --ascii; Unicode where it is", async () => {
    const args = ["bomb", "--maxproc", "40"];
    for (const env of [{}, { LANG: "C" }, { LANG: "en_US.UTF-8", LC_ALL: "POSIX" }]) {
      const c = chartOf((await cli(args, { env })).stdout);
      expect(c, JSON.stringify(env)).toMatch(/^ *30 \+#+$/m);
      expect(/^[\x00-\x7f]*$/.test(c)).toBe(true);
    }
    expect(chartOf((await cli([...args, "--ascii"])).stdout)).toMatch(/^ *30 \+#+$/m);
    for (const env of [{ LANG: "en_US.UTF-8" }, { LC_CTYPE: "C.utf8" }, { LANG: "C", LC_ALL: "de_DE.UTF-8" }]) {
      expect(chartOf((await cli(args, { env })).stdout), JSON.stringify(env)).toMatch(/^ *30 ┤█+$/m);
    }
  });
});

describe("help examples", () => {
  it("every `forklab run` example names a bundled program or ./a file, and the bundled ones run from any directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "forklab-help-"));
    const helps = await Promise.all([[], ["run"], ["bomb"], ["spawn"]].map((a) => cli([...a, "--help"])));
    const examples = helps.flatMap((h) => h.stdout.split("\n"))
      .map((l) => /^\s+forklab run ((?:--\S+(?: \d+)? )*)(\S+)((?: \S+)*)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null);
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const m of examples) {
      const file = m[2];
      if (file.startsWith("./")) continue;
      expect(isBundled(file), `${m[0]}: ${file} is not a bundled program`).toBe(true);
      expect(m[3], m[0]).not.toMatch(/[a-z]{4}/); // arguments, not the example's description
      const r = await cli(["run", ...m[1].split(" ").filter(Boolean), file, ...m[3].trim().split(/\s+/).filter(Boolean)], { cwd: dir });
      expect(r.stderr, m[0]).toBe("");
      expect(r.code, m[0]).toBe(0);
    }
  });
});
