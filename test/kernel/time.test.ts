// Time, interval timers and resource usage on the virtual clock, against DragonFly 2008
// (kern_time.c 1.40, kern_clock.c 1.61, kern_resource.c 1.34, kern_exit.c 1.90;
// reference §5, §6).
import { describe, it, expect } from "vitest";
import type { Forklab, KernelEvent, ProgramImage } from "../../src/index.js";
import { newLab, sys, ok, sleeps, forkChild, program, TEXT } from "./helpers.js";
import { kproc } from "./fork-helpers.js";
import { SIGALRM, SIGUSR1, W_EXITCODE } from "../../src/kernel/param.js";
import { EINVAL, EINTR, EFAULT } from "../../src/kernel/errno.js";
import { BOOTTIME_SEC } from "../../src/kernel/kern_time.js";
import { installBundled } from "../../src/user/programs.js";

const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 4;
const words = (fl: Forklab, pid: number, va: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => fl.readWord(pid, va + 4 * i) | 0);

function itimerval(fl: Forklab, pid: number, interval: [number, number], value: [number, number]): number {
  const va = fl.userAlloc(pid, 16);
  [...interval, ...value].forEach((w, i) => fl.writeWord(pid, va + 4 * i, w >>> 0));
  return va;
}
function timespec(fl: Forklab, pid: number, sec: number, nsec: number): number {
  const va = fl.userAlloc(pid, 8);
  fl.writeWord(pid, va, sec >>> 0);
  fl.writeWord(pid, va + 4, nsec >>> 0);
  return va;
}
function catchSig(fl: Forklab, pid: number, sig: number, flags = 0): void {
  const act = fl.userAlloc(pid, 24);
  fl.writeWord(pid, act, 0x08049000);
  fl.writeWord(pid, act + 4, flags);
  ok(fl, pid, "sigaction", [sig, act, 0]);
}

describe("the clocks (gettimeofday, clock_gettime, clock_getres)", () => {
  it("wall time is the fixed boot time (2008-05-09 00:00 UTC) plus virtual uptime; the timezone is {0, 0}", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    const tv = fl.userAlloc(p, 16);
    fl.writeWord(p, tv + 8, 123);
    ok(fl, p, "gettimeofday", [tv, tv + 8]);
    const t0 = fl.kernel.clock.ticks;
    expect(words(fl, p, tv, 4)).toEqual([BOOTTIME_SEC + Math.floor(t0 / 100), (t0 % 100) * 10000, 0, 0]);
    fl.run({ ticks: 150 });
    ok(fl, p, "gettimeofday", [tv, 0]);
    const t1 = fl.kernel.clock.ticks;
    expect(words(fl, p, tv, 2)).toEqual([BOOTTIME_SEC + Math.floor(t1 / 100), (t1 % 100) * 10000]);
    expect(sys(fl, p, "gettimeofday", [0x1000, 0]).error).toBe(EFAULT);
  });

  it("CLOCK_REALTIME and CLOCK_MONOTONIC differ by the boot time; the others are EINVAL; the resolution is 1e9 / cpuHz + 1 ns", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    fl.run({ ticks: 37 });
    const ts = fl.userAlloc(p, 16);
    ok(fl, p, "clock_gettime", [CLOCK_MONOTONIC, ts]);
    ok(fl, p, "clock_gettime", [CLOCK_REALTIME, ts + 8]);
    const [ms, mns, rs, rns] = words(fl, p, ts, 4);
    expect(rs - ms).toBe(BOOTTIME_SEC);
    expect(rns).toBe(mns);
    expect(ms * 1e9 + mns).toBe(fl.kernel.clock.ticks * 1e7);
    for (const id of [1, 2, 3, -1]) expect(sys(fl, p, "clock_gettime", [id >>> 0, ts]).error).toBe(EINVAL);
    ok(fl, p, "clock_getres", [CLOCK_MONOTONIC, ts]);
    expect(words(fl, p, ts, 2)).toEqual([0, 2]); // cpuHz 1 GHz: 1 ns + 1
    ok(fl, p, "clock_getres", [CLOCK_REALTIME, 0]); // tp may be NULL
    const slow = newLab({ cpuHz: 1_193_182 });
    const q = slow.spawn().pid, qts = slow.userAlloc(q, 8);
    ok(slow, q, "clock_getres", [CLOCK_REALTIME, qts]);
    expect(words(slow, q, qts, 2)).toEqual([0, 839]); // the i8254's figure
  });

  it("inside a run, time advances with the cycles spent in the current tick: two clock_gettime calls in a row differ by the cycles between them", () => {
    const fl = newLab();
    const DATA = 0x0804a000;
    const get = (va: number): number[] => [
      0x68, ...le32(va), 0x6a, CLOCK_MONOTONIC, 0x6a, 0x00,   // push tp; push clock; push 0
      0xb8, 0xe8, 0x00, 0x00, 0x00, 0xcd, 0x80,               // mov eax, 232; int $0x80
      0x83, 0xc4, 0x0c,                                       // add esp, 12
    ];
    const prog = program("clocks", [...get(DATA), ...get(DATA + 8), 0xeb, 0xfe],
      [{ vaddr: DATA, memsz: 16, data: new Uint8Array(16), prot: 3 }]);
    const p = fl.spawn({ image: prog }).pid;
    fl.run({ ticks: 1 });
    const [s1, n1, s2, n2] = words(fl, p, DATA, 4);
    // Between the two readings: add, three pushes, mov, int (6 instructions) and a syscall entry.
    expect((s2 * 1e9 + n2) - (s1 * 1e9 + n1)).toBe(6 + fl.kernel.tun.cost.syscall);
  });
});

describe("nanosleep sleeps on the virtual clock, with the 2008 remainder bug", () => {
  it("sleeps in \"nanslp\" until the time has passed, then returns 0", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    const t0 = fl.kernel.clock.ticks;
    expect(sleeps(fl, p, "nanosleep", [timespec(fl, p, 0, 50_000_000), 0])).toBe("nanslp");
    fl.run({ ticks: 100 });
    expect(fl.result(p)).toMatchObject({ done: true, error: 0 });
    expect(fl.kernel.clock.ticks - t0).toBeGreaterThanOrEqual(5);
  });

  it("nsec outside [0, 1e9) is EINVAL; a negative or zero request returns 0 at once; with rmtp set, EINVAL becomes 0 (the copyout's result) and {0, 0} is written", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    expect(sys(fl, p, "nanosleep", [timespec(fl, p, 0, 1e9), 0]).error).toBe(EINVAL);
    expect(sys(fl, p, "nanosleep", [timespec(fl, p, 0, -1), 0]).error).toBe(EINVAL);
    expect(sys(fl, p, "nanosleep", [timespec(fl, p, -1, 0), 0]).error).toBe(0);
    expect(sys(fl, p, "nanosleep", [timespec(fl, p, 0, 0), 0]).error).toBe(0);
    const rmt = timespec(fl, p, 7, 7);
    expect(sys(fl, p, "nanosleep", [timespec(fl, p, 1, 1e9), rmt]).error).toBe(0);
    expect(words(fl, p, rmt, 2)).toEqual([0, 0]);
    expect(sys(fl, p, "nanosleep", [0x1000, 0]).error).toBe(EFAULT);
  });

  it("a caught signal cuts it short: EINTR without rmtp (even with SA_RESTART), 0 and the time left with rmtp", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    catchSig(fl, p, SIGUSR1, 0x2 /* SA_RESTART */);
    sleeps(fl, p, "nanosleep", [timespec(fl, p, 2, 0), 0]);
    fl.run({ ticks: 10 });
    fl.signal(p, SIGUSR1);
    fl.run({ ticks: 1 });
    expect(fl.result(p)).toMatchObject({ done: true, error: EINTR });
    const q = fl.spawn().pid;
    catchSig(fl, q, SIGUSR1);
    const rmt = fl.userAlloc(q, 8);
    const t0 = fl.kernel.clock.ticks;
    sleeps(fl, q, "nanosleep", [timespec(fl, q, 2, 0), rmt]);
    fl.run({ ticks: 50 });
    fl.signal(q, SIGUSR1);
    fl.run({ ticks: 1 });
    expect(fl.result(q)).toMatchObject({ done: true, error: 0 });
    // Woken in the 51st tick: the time left is 2 s less 50 ticks and part of one.
    const [s, ns] = words(fl, q, rmt, 2);
    expect(fl.kernel.clock.ticks - t0).toBe(51);
    expect(s * 1e9 + ns).toBeLessThanOrEqual(2e9 - 50 * 1e7);
    expect(s * 1e9 + ns).toBeGreaterThan(2e9 - 51 * 1e7);
  });
});

describe("interval timers (setitimer, getitimer)", () => {
  it("alarm(1): ITIMER_REAL fires SIGALRM tvtohz_high(1 s) = 101 ticks after it is set; the default action kills", () => {
    const fl = newLab();
    const sh = fl.spawn().pid;
    const p = forkChild(fl, sh);
    const t0 = fl.kernel.clock.ticks;
    ok(fl, p, "setitimer", [0, itimerval(fl, p, [0, 0], [1, 0]), 0]);
    const exits: KernelEvent<"exit">[] = [];
    fl.on("exit", (e) => exits.push(e));
    fl.run({ ticks: 100 });
    expect(exits).toEqual([]);
    fl.run({ ticks: 2 });
    expect(exits.map((e) => [e.pid, e.status, e.tick])).toEqual([[p, W_EXITCODE(0, SIGALRM), t0 + 101]]);
  });

  it("with it_interval the timer reloads: signals at +101, +151, +201 ticks; getitimer reports the time left; missed periods give one signal", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    catchSig(fl, p, SIGALRM);
    const t0 = fl.kernel.clock.ticks;
    const sigs: number[] = [];
    fl.on("signal", (e) => { if (e.sig === SIGALRM) sigs.push(e.tick - t0); });
    ok(fl, p, "setitimer", [0, itimerval(fl, p, [0, 500_000], [1, 0]), 0]);
    fl.run({ ticks: 120 });
    const o = fl.userAlloc(p, 16);
    ok(fl, p, "getitimer", [0, o]);
    expect(words(fl, p, o, 4)).toEqual([0, 500_000, 0, 1_500_000 - (fl.kernel.clock.ticks - t0) * 10_000]);
    fl.run({ ticks: 90 });
    expect(sigs).toEqual([101, 151, 201]);
  });

  it("setitimer writes the old value to oitv before it checks the new one; invalid values are EINVAL; a value under a tick becomes one tick; it_value 0 disarms", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    const o = fl.userAlloc(p, 16);
    ok(fl, p, "setitimer", [1, itimerval(fl, p, [0, 1], [0, 5]), 0]);
    ok(fl, p, "getitimer", [1, o]);
    expect(words(fl, p, o, 4)).toEqual([0, 10_000, 0, 10_000]);
    for (const bad of [[0, 1_000_000], [-1, 0], [100_000_001, 0], [0, -1]] as [number, number][]) {
      fl.writeWord(p, o, 0xdead);
      expect(sys(fl, p, "setitimer", [1, itimerval(fl, p, [0, 0], bad), o]).error).toBe(EINVAL);
      expect(words(fl, p, o, 4)).toEqual([0, 10_000, 0, 10_000]); // oitv was written first
    }
    // An invalid interval counts only when the value is set.
    ok(fl, p, "setitimer", [1, itimerval(fl, p, [-1, 0], [0, 0]), 0]);
    ok(fl, p, "getitimer", [1, o]);
    expect(words(fl, p, o, 4)).toEqual([0, 0, 0, 0]);
    expect(sys(fl, p, "setitimer", [3, 0, 0]).error).toBe(EINVAL);
    expect(sys(fl, p, "getitimer", [3, o]).error).toBe(EINVAL);
    ok(fl, p, "setitimer", [0, 0, o]); // no itv: only the old value
  });

  /**
   * setitimer(which, {0, {0, 10000}}, NULL), then `body` for ever: a program that arms
   * a 10 ms CPU-time timer on itself.
   */
  function armed(which: number, body: number[]): ProgramImage {
    const itv = TEXT + 21 + body.length;
    const code = [
      0x6a, 0x00, 0x68, ...le32(itv), 0x6a, which, 0x6a, 0x00, // push 0; push itv; push which; push 0
      0xb8, 0x53, 0x00, 0x00, 0x00, 0xcd, 0x80,                  // mov eax, 83; int $0x80
      0x83, 0xc4, 0x10,                                          // add esp, 16
      ...body, ...le32(0), ...le32(0), ...le32(0), ...le32(10_000),
    ];
    return program("armed", code);
  }
  const SPIN = [0xeb, 0xfe];                                                    // jmp $
  const GETPID_LOOP = [0xb8, 0x14, 0, 0, 0, 0x50, 0xcd, 0x80, 0x58, 0xeb, 0xf5]; // getpid; loop

  function runArmed(prog: ProgramImage) {
    const fl = newLab();
    let ucycles = -1, scycles = -1, status = -1;
    fl.on("exit", (e) => {
      const lp = fl.kernel.lwpsOf(kproc(fl, e.pid))[0];
      [ucycles, scycles, status] = [lp.lwp_thread.td_ucycles, lp.lwp_thread.td_scycles, e.status];
    });
    fl.spawn({ image: prog });
    fl.run({ ticks: 20 });
    return { ucycles, scycles, status };
  }

  it("ITIMER_VIRTUAL runs down on user-mode cycles: a spinning program gets SIGVTALRM after 10 ms of its own instructions, to the cycle", () => {
    const r = runArmed(armed(1, SPIN));
    expect(r.status).toBe(26 /* SIGVTALRM */);
    expect(r.ucycles - 6).toBe(10_000_000); // 6 instructions up to the int $0x80 that set it
  });

  it("ITIMER_PROF runs down on system time too: a program making syscalls gets SIGPROF after far fewer of its own cycles", () => {
    const r = runArmed(armed(2, GETPID_LOOP));
    expect(r.status).toBe(27 /* SIGPROF */);
    expect(r.ucycles + r.scycles).toBeGreaterThanOrEqual(10_000_000);
    expect(r.ucycles).toBeLessThan(100_000);
    const v = runArmed(armed(1, SPIN));
    expect(v.ucycles).toBeGreaterThan(r.ucycles);
  });

  it("fork clears the child's itimers; exec keeps ITIMER_REAL running", () => {
    const fl = newLab();
    installBundled(fl);
    const sh = fl.spawn().pid;
    const p = forkChild(fl, sh);
    ok(fl, p, "setitimer", [0, itimerval(fl, p, [0, 0], [1, 0]), 0]);
    const c = forkChild(fl, p);
    const o = fl.userAlloc(c, 16);
    ok(fl, c, "getitimer", [0, o]);
    expect(words(fl, c, o, 4)).toEqual([0, 0, 0, 0]);
    const po = fl.userAlloc(p, 16); // c's buffer is c's alone: the parent needs its own
    ok(fl, p, "getitimer", [0, po]);
    expect(fl.readWord(p, po + 8)).toBe(1);
    // exec a program that runs for ever (spawn forks and waits in a loop): the alarm ends it.
    const path = fl.userAlloc(p, 16);
    fl.writeUser(p, path, new TextEncoder().encode("/bin/spawn\0"));
    const argv = fl.userAlloc(p, 8);
    fl.writeWord(p, argv, path);
    const exits: KernelEvent<"exit">[] = [];
    fl.on("exit", (e) => { if (e.pid === p) exits.push(e); });
    sys(fl, p, "execve", [path, argv, 0]);
    fl.run({ ticks: 110 });
    expect(exits.map((e) => e.status)).toEqual([SIGALRM]);
  });
});

describe("getrusage and wait4's rusage (kern_resource.c, kern_exit.c)", () => {
  /** struct rusage at va: [utime µs, stime µs, maxrss, ..., nivcsw] (16 numbers). */
  function rusage(fl: Forklab, pid: number, va: number): number[] {
    const w = words(fl, pid, va, 18);
    return [w[0] * 1e6 + w[1], w[2] * 1e6 + w[3], ...w.slice(4)];
  }
  const MINFLT = 6, NSIGNALS = 13, NVCSW = 14;

  it("RUSAGE_SELF counts the LWP's signals and the system time of its syscalls; RUSAGE_CHILDREN starts at zero; other values are EINVAL", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    const ru = fl.userAlloc(p, 72);
    ok(fl, p, "getrusage", [-1 >>> 0, ru]);
    expect(rusage(fl, p, ru).every((v) => v === 0)).toBe(true);
    catchSig(fl, p, SIGUSR1);
    ok(fl, p, "kill", [p, SIGUSR1]);
    ok(fl, p, "getrusage", [0, ru]);
    expect(rusage(fl, p, ru)[NSIGNALS]).toBe(1);
    expect(sys(fl, p, "getrusage", [1, ru]).error).toBe(EINVAL);
    expect(sys(fl, p, "getrusage", [0, 0x1000]).error).toBe(EFAULT);
  });

  it("a program's figures: user time from its instructions, system time from its forks and syscalls, faults, voluntary switches; the parent's RUSAGE_CHILDREN is what wait4 gave", () => {
    const fl = newLab();
    installBundled(fl);
    const sh = fl.spawn().pid;
    const c = forkChild(fl, sh);
    const path = fl.userAlloc(c, 16);
    fl.writeUser(c, path, new TextEncoder().encode("/bin/spawn\0"));
    const arg = fl.userAlloc(c, 8);
    fl.writeUser(c, arg, new TextEncoder().encode("20\0"));
    const argv = fl.userAlloc(c, 12);
    fl.writeWord(c, argv, path);
    fl.writeWord(c, argv + 4, arg);
    sys(fl, c, "execve", [path, argv, 0]);
    fl.run({ ticks: 200 });
    const ru = fl.userAlloc(sh, 72);
    const st = fl.userAlloc(sh, 4);
    expect(ok(fl, sh, "wait4", [c, st, 0, ru])).toBe(c);
    expect(fl.readWord(sh, st)).toBe(0);
    const r = rusage(fl, sh, ru);
    const fork = fl.kernel.tun.cost.fork / 1000; // µs per fork at 1 GHz
    expect(r[1]).toBeGreaterThanOrEqual(20 * fork);   // 20 forks of system time
    expect(r[0]).toBeLessThan(r[1]);                  // few instructions: little user time
    expect(r[MINFLT]).toBeGreaterThanOrEqual(20);     // copy-on-write faults after each fork
    expect(r[NVCSW]).toBeGreaterThanOrEqual(20);      // a wait4 sleep per child
    const cru = fl.userAlloc(sh, 72);
    ok(fl, sh, "getrusage", [-1 >>> 0, cru]);
    expect(rusage(fl, sh, cru)).toEqual(r);
  });

  it("the derived quirk: lwp_exit adds the last LWP's counters again after exit1 computed p_ru, so wait4 reports them twice (times once)", () => {
    const fl = newLab();
    const sh = fl.spawn().pid;
    const c = forkChild(fl, sh);
    catchSig(fl, c, SIGUSR1, 0x10 /* SA_NODEFER: the second is delivered too */);
    ok(fl, c, "kill", [c, SIGUSR1]);
    ok(fl, c, "kill", [c, SIGUSR1]);
    const self = fl.userAlloc(c, 72);
    ok(fl, c, "getrusage", [0, self]);
    expect(rusage(fl, c, self)[NSIGNALS]).toBe(2);
    ok(fl, c, "exit", [0]);
    const ru = fl.userAlloc(sh, 72);
    ok(fl, sh, "wait4", [c, 0, 0, ru]);
    expect(rusage(fl, sh, ru)[NSIGNALS]).toBe(4);
  });
});
