// forklab bomb: the reports of the bundled bombs on small machines agree with fork1's
// limits (kern_fork.c 1.76): a user stops at maxproc - 10 processes, root at maxproc, a
// uid with RLIMIT_NPROC at that many of its own; every refusal is EAGAIN after a "limit".
import { describe, it, expect } from "vitest";
import { cli, cliJson, expectSameNumbers } from "./helpers.js";
import type { BombReport } from "../../src/workloads/bomb.js";

/** What every bomb report must satisfy, whatever the machine. */
function checkConsistent(r: BombReport): void {
  const eagain = r.forks.failed.find((f) => f.name === "EAGAIN")!;
  const enomem = r.forks.failed.find((f) => f.name === "ENOMEM")!;
  expect(eagain.errno).toBe(35);
  expect(enomem.errno).toBe(12);
  expect(r.forks.attempts).toBe(r.forks.succeeded + eagain.count + enomem.count);
  expect(eagain.count).toBe(r.forks.refusedBy.maxproc + r.forks.refusedBy.nproc);
  expect(r.limitMessages.printed + r.limitMessages.rateLimited).toBe(eagain.count);
  expect(r.limitMessages.lines.reduce((n, l) => n + l.count, 0)).toBe(r.limitMessages.printed);
  // v_forks counts the fork from init that started the bomb, too; the bombs fork nothing else.
  expect(r.vmmeter.v_forks).toBe(r.forks.succeeded + 1);
  expect(r.vmmeter.v_vforks + r.vmmeter.v_rforks).toBe(0);
  // One sample per tick, from the start to the end of the run.
  expect(r.series.ticks.length).toBe(r.run.ticks + 1);
  expect(r.series.nprocs.length).toBe(r.series.ticks.length);
  expect(Math.max(...r.series.nprocs)).toBeLessThanOrEqual(r.peak.nprocs);
}

describe("forklab bomb", () => {
  it("a user's forkbomb saturates at maxproc - 10 processes, refused with EAGAIN and the rate-limited message", async () => {
    const r = await cliJson<BombReport>(["bomb", "--maxproc", "64"]);
    checkConsistent(r);
    expect(r).toMatchObject({
      command: "bomb", program: "forkbomb",
      machine: { maxproc: 64, memBytes: 64 << 20, cpus: 1, strategy: "cow", seed: 1, hz: 100 },
      process: { pid: 2, uid: 1000, nprocLimit: null },
      ceiling: { by: "maxproc - 10", counts: "nprocs", value: 54 },
      saturation: { reached: true },
      peak: { nprocs: 54, uidProcs: 52 },
      final: { nprocs: 54, uidProcs: 52 },
      exits: { calls: 0, killed: 0 },
    });
    // proc0, init and the bomb were there; every other slot up to the ceiling is a fork.
    expect(r.forks.succeeded).toBe(54 - 3);
    expect(r.forks.refusedBy).toMatchObject({ nproc: 0 });
    expect(r.forks.refusedBy.maxproc).toBeGreaterThan(0);
    expect(r.run.end).toBe("settled");
    // Saturated, then one virtual second more.
    expect(r.run.ticks).toBe(r.saturation.tick! + 100);
    expect(r.saturation.seconds!).toBeGreaterThan(0);
    expect(r.saturation.seconds!).toBeLessThanOrEqual(r.run.seconds);
    expect(r.limitMessages.lines[0].text).toBe("maxproc limit exceeded by uid 1000, please see tuning(7) and login.conf(5).");
    expect(r.series.ticks[0]).toBe(0);
    expect(r.series.nprocs[r.series.nprocs.length - 1]).toBe(54);
  });

  it("root's forkbomb takes every slot: it saturates at maxproc", async () => {
    const r = await cliJson<BombReport>(["bomb", "--uid", "0", "--maxproc", "40"]);
    checkConsistent(r);
    expect(r.ceiling).toEqual({ by: "maxproc", counts: "nprocs", value: 40 });
    expect(r.peak.nprocs).toBe(40);
    expect(r.forks.succeeded).toBe(37);
    expect(r.limitMessages.lines[0].text).toContain("by uid 0,");
  });

  it("RLIMIT_NPROC stops a uid first when it is lower: refused by nproc, not maxproc", async () => {
    const r = await cliJson<BombReport>(["bomb", "--nproc-limit", "20", "--maxproc", "100"]);
    checkConsistent(r);
    expect(r.ceiling).toEqual({ by: "RLIMIT_NPROC", counts: "uid", value: 20 });
    expect(r.peak).toEqual({ nprocs: 22, uidProcs: 20 });
    expect(r.forks.succeeded).toBe(19);
    expect(r.forks.refusedBy.maxproc).toBe(0);
    expect(r.forks.refusedBy.nproc).toBeGreaterThan(0);
  });

  it("bashbomb saturates, then burns out: every process exits and init reaps them", async () => {
    const r = await cliJson<BombReport>(["bomb", "--program", "bashbomb", "--maxproc", "60"]);
    checkConsistent(r);
    expect(r.saturation.reached).toBe(true);
    expect(r.peak.nprocs).toBe(50);
    expect(r.run.end).toBe("idle");
    expect(r.final).toEqual({ nprocs: 2, uidProcs: 0 });
    expect(r.exits).toEqual({ calls: r.forks.succeeded + 1, killed: 0 });
  });

  it("out of memory before the ceiling: forks fail with ENOMEM (forklab), and a fault no frame can resolve waits in \"pfault\" as vm_fault does", async () => {
    const r = await cliJson<BombReport>(["bomb", "--mem", "4M", "--maxproc", "2000", "--for", "20t"]);
    checkConsistent(r);
    expect(r.saturation).toMatchObject({ reached: false, seconds: null, tick: null });
    expect(r.run.end).toBe("duration");
    expect(r.peak.nprocs).toBeLessThan(1990);
    expect(r.forks.failed.find((f) => f.name === "ENOMEM")!.count).toBeGreaterThan(0);
    expect(r.forks.failed.find((f) => f.name === "EAGAIN")!.count).toBe(0);
    expect(r.exits.calls).toBe(0); // forkbomb never calls exit
    // fork is the only syscall forkbomb makes: every one is an attempt.
    expect(r.forks.attempts).toBe(r.vmmeter.v_syscall);
  });

  it("--for runs exactly that long and --sample thins the series", async () => {
    const r = await cliJson<BombReport>(["bomb", "--maxproc", "64", "--for", "300t", "--sample", "10"]);
    expect(r.run).toMatchObject({ ticks: 300, end: "duration" });
    expect(r.series.everyTicks).toBe(10);
    expect(r.series.ticks).toEqual(Array.from({ length: 31 }, (_, i) => i * 10));
    const s = await cliJson<BombReport>(["bomb", "--maxproc", "64", "--for", "1.5s"]);
    expect(s.run.ticks).toBe(150);
  });

  it("is deterministic: the same flags give the same report (host clock fixed)", async () => {
    const a = await cliJson<BombReport>(["bomb", "--maxproc", "80", "--cpus", "2", "--seed", "7"]);
    const b = await cliJson<BombReport>(["bomb", "--maxproc", "80", "--cpus", "2", "--seed", "7"]);
    expect(a).toEqual(b);
    expect(a.machine.cpus).toBe(2);
    expect(a.peak.nprocs).toBe(70);
  });

  it("the copy strategy saturates at the same ceiling, without copy-on-write faults", async () => {
    const r = await cliJson<BombReport>(["bomb", "--maxproc", "64", "--strategy", "copy", "--mem", "32M"]);
    checkConsistent(r);
    expect(r.machine).toMatchObject({ strategy: "copy", memBytes: 32 << 20, mem: "32 MiB" });
    expect(r.peak.nprocs).toBe(54);
    expect(r.vmmeter.v_cow_faults).toBe(0);
  });

  it("the text report prints exactly the numbers of --json", async () => {
    for (const args of [["bomb", "--maxproc", "64"], ["bomb", "--program", "bashbomb", "--maxproc", "50", "--uid", "0"]]) {
      const text = await cli(args);
      expect(text.code).toBe(0);
      const json = await cliJson(args);
      expectSameNumbers(text.stdout, json);
      expect(text.stdout).toContain("saturated after");
      expect(text.stdout).toContain("failed EAGAIN (35)");
      expect(text.stdout).toContain("processes (kern.nprocs) over virtual time");
    }
  });

  it("the default run (no flags) saturates a 64 MiB machine at 522 processes", async () => {
    const r = await cli(["bomb"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/maxproc 532/);
    expect(r.stdout).toMatch(/peak processes +522 \(520 of uid 1000\)/);
    expect(r.stdout).toMatch(/ceiling +kern\.nprocs reaches 522/);
  });
});
