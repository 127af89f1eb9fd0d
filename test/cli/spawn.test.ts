// forklab spawn: loops are children the program reaped; rates and the UnixBench-style
// index (virtual lps * 10 / 126) follow from them.
import { describe, it, expect } from "vitest";
import { cli, cliJson, expectSameNumbers } from "./helpers.js";
import type { SpawnReport } from "../../src/workloads/spawn.js";

describe("forklab spawn", () => {
  it("--loops N reports N loops, the program's exit 0, and rates that follow from them", async () => {
    const r = await cliJson<SpawnReport>(["spawn", "--loops", "50", "--maxproc", "64"]);
    expect(r).toMatchObject({
      command: "spawn", loops: 50, requested: { loops: 50, seconds: null },
      process: { argv: ["spawn", "50"], uid: 1000 },
      exit: { code: 0, signal: null, status: 0 },
      run: { end: "exited" },
      index: { baseline: 126, basis: "virtual lps" },
    });
    // One fork per loop plus the fork from init; one exit and one wait4 per loop.
    expect(r.vmmeter.v_forks).toBe(51);
    expect(r.run.seconds).toBeGreaterThan(0);
    expect(r.lps.virtual).toBeCloseTo(r.loops / r.run.seconds, -1);
    expect(r.index.value).toBeCloseTo((r.lps.virtual * 10) / 126, 0);
    expect(r.series.nprocs.every((n) => n >= 2 && n <= 4)).toBe(true);
  });

  it("--for runs the endless loop that long: loops are the reaps so far, the program still runs", async () => {
    const r = await cliJson<SpawnReport>(["spawn", "--for", "3t"]);
    expect(r.requested).toEqual({ loops: null, seconds: 0.03 });
    expect(r.process.argv).toEqual(["spawn"]);
    expect(r.exit).toBeNull();
    expect(r.run.end).toBe("duration");
    expect(r.run.ticks).toBe(3);
    expect(r.loops).toBeGreaterThan(100);
    expect(r.vmmeter.v_forks).toBeGreaterThanOrEqual(r.loops + 1);
    expect(r.vmmeter.v_forks).toBeLessThanOrEqual(r.loops + 2); // a child may be unreaped at the end
  });

  it("loops are the same on one CPU and on two (one process loops at a time)", async () => {
    const a = await cliJson<SpawnReport>(["spawn", "--loops", "200", "--cpus", "2"]);
    expect(a.loops).toBe(200);
    expect(a.exit?.code).toBe(0);
  });

  it("the text report prints exactly the numbers of --json", async () => {
    for (const args of [["spawn", "--loops", "100"], ["spawn", "--for", "2t", "--uid", "0"]]) {
      const text = await cli(args);
      expect(text.code).toBe(0);
      expectSameNumbers(text.stdout, await cliJson(args));
      expect(text.stdout).toMatch(/index +[\d.]+ \(UnixBench style: virtual lps \* 10 \/ 126, baseline 126 lps/);
    }
  });
});
