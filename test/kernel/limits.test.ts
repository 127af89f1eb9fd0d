// fork1's limits (kern_fork.c rev 1.76): the global maxproc check (non-root may not take
// the last ten slots, root may not pass maxproc), the per-uid RLIMIT_NPROC check through
// chgproccnt (root exempt), the rate-limited message and the hz/2 back-off sleep on
// forksleep before EAGAIN, and that everything comes back when the processes are reaped.
import { describe, it, expect } from "vitest";
import { Forklab } from "../../src/index.js";
import { defaultMaxproc } from "../../src/kernel/tunables.js";
import { RLIM_INFINITY } from "../../src/kernel/resource.js";
import { crdup } from "../../src/kernel/ucred.js";
import type { KernelEvent } from "../../src/kernel/events.js";
import { ppsratecheck } from "../../src/kernel/ratecheck.js";
import {
  RLIMIT_NPROC, ok, kproc, klwp, snapshot, uidCounts, exitAll, done, fork,
} from "./fork-helpers.js";

const MiB = 1 << 20;
const MESSAGE = (uid: number) => `maxproc limit exceeded by uid ${uid}, please see tuning(7) and login.conf(5).\n`;

/** struct rlimit (two 64-bit quads) in fresh user memory. */
function rlimit(fl: Forklab, pid: number, cur: number, max: number): number {
  const va = fl.userAlloc(pid, 16);
  fl.writeWord(pid, va, cur);
  fl.writeWord(pid, va + 8, max);
  return va;
}

/**
 * A fork bomb: `root` forks, and so does every child, each up to `width` times, breadth
 * first, until every process has either forked `width` times or been refused (asleep in
 * "fork"). Returns every pid made, the refused pids, and the nprocs when the first refusal came.
 */
function bomb(fl: Forklab, root: number, width = 3): { pids: number[]; refused: number[]; nprocsAtRefusal: number } {
  const pids = [root], refused: number[] = [];
  let nprocsAtRefusal = -1;
  for (let i = 0; i < pids.length; i++) {
    for (let j = 0; j < width; j++) {
      const r = fl.syscall(pids[i], "fork");
      if (!r.done) {
        expect(r.wmesg).toBe("fork");
        if (nprocsAtRefusal < 0) nprocsAtRefusal = fl.kernel.nprocs;
        refused.push(pids[i]);
        break;
      }
      expect(r.errno).toBe("");
      pids.push(r.rv[0]);
    }
  }
  return { pids, refused, nprocsAtRefusal };
}

describe("maxproc", () => {
  it("defaults to DragonFly's formula: NPROC = 20 + 16 * maxusers (maxusers = physpages / 512 in [32, 384]), capped at physpages / 12", () => {
    expect(defaultMaxproc(64 * MiB)).toBe(532);    // 16384 pages: maxusers 32
    expect(defaultMaxproc(128 * MiB)).toBe(1044);  // 32768 pages: maxusers 64 (the reference's example)
    expect(defaultMaxproc(256 * MiB)).toBe(2068);  // maxusers 128
    expect(defaultMaxproc(512 * MiB)).toBe(4116);  // maxusers 256
    expect(defaultMaxproc(1024 * MiB)).toBe(6164); // maxusers clamped to 384
    expect(defaultMaxproc(3072 * MiB)).toBe(6164);
    expect(defaultMaxproc(32 * MiB)).toBe(532);    // maxusers clamped up to 32
    expect(defaultMaxproc(16 * MiB)).toBe(341);    // capped: 4096 / 12
    expect(defaultMaxproc(2 * MiB)).toBe(42);      // capped: 512 / 12
    for (const [mb, want] of [[64, 532], [128, 1044], [16, 341], [2, 42]]) {
      const fl = new Forklab({ physBytes: mb * MiB });
      expect(fl.sysctl("kern.maxproc")).toBe(want);
      expect(fl.sysctl("kern.maxprocperuid")).toBe(Math.floor(want * 9 / 10));
      // plimit_init0: proc0's RLIMIT_NPROC is maxproc, and everyone inherits it.
      expect(kproc(fl, 0).p_limit!.pl_rlimit[RLIMIT_NPROC]).toEqual({ rlim_cur: want, rlim_max: want });
      expect(kproc(fl, 1).p_limit!.pl_rlimit[RLIMIT_NPROC].rlim_cur).toBe(want);
    }
    expect(new Forklab({ physBytes: 16 * MiB, maxproc: 77 }).sysctl("kern.maxproc")).toBe(77);
  });

  it("nprocs starts at 1 (proc0) and is 2 after boot (init); uid 0 counts both", () => {
    const fl = new Forklab({ physBytes: 16 * MiB });
    expect(fl.sysctl("kern.nprocs")).toBe(2);
    expect(fl.procs().map((p) => [p.pid, p.comm])).toEqual([[0, "swapper"], [1, "init"]]);
    expect(uidCounts(fl).get(0)![0]).toBe(2);
  });

  it("a non-root fork bomb stops at maxproc - 10 processes (default 64 MiB kernel: 522 of 532), every later fork refused", () => {
    const fl = new Forklab({ physBytes: 64 * MiB });
    const start = snapshot(fl);
    const limits: KernelEvent<"limit">[] = [];
    fl.on("limit", (e) => limits.push(e));
    const root = fl.spawn({ uid: 1000 }).pid;
    const { pids, refused, nprocsAtRefusal } = bomb(fl, root);
    expect(nprocsAtRefusal).toBe(522);
    expect(fl.kernel.nprocs).toBe(522);
    expect(pids.length).toBe(520); // plus proc0 and init
    expect(uidCounts(fl).get(1000)![0]).toBe(520);
    expect(refused.length).toBeGreaterThan(1);
    expect(limits.every((e) => e.which === "maxproc" && e.uid === 1000)).toBe(true);
    expect(limits.length).toBe(refused.length);
    // Many refusals within one hz window: one message.
    expect(fl.messages()).toEqual([MESSAGE(1000)]);
    // The refused forks sleep hz/2 on forksleep, then fail with EAGAIN.
    fl.run({ ticks: 50 });
    for (const pid of refused) expect(done(fl.result(pid)).errno).toBe("EAGAIN");
    expect(fl.kernel.nprocs).toBe(522);
    // Root may still fork into the last ten slots.
    const r = fl.spawn({ uid: 0 }).pid;
    for (let i = 0; i < 9; i++) fork(fl, r); // 523 with r itself
    expect(fl.kernel.nprocs).toBe(532);
    expect(fl.syscall(r, "fork")).toEqual({ done: false, wmesg: "fork" });
    fl.run({ ticks: 50 });
    expect(done(fl.result(r)).errno).toBe("EAGAIN");
    // Everything exits and is reaped: nprocs, every uid count and the frames come back.
    exitAll(fl, [...pids, r, ...fl.proc(r).children]);
    const end = snapshot(fl);
    expect(end).toEqual(start);
    expect(uidCounts(fl).has(1000)).toBe(false);
  });

  it("a root fork bomb stops at maxproc (and everything comes back)", () => {
    const fl = new Forklab({ physBytes: 16 * MiB }); // maxproc 341
    const start = snapshot(fl);
    fl.run({ ticks: 1 });
    const root = fl.spawn({ uid: 0, nprocLimit: 5 }).pid; // RLIMIT_NPROC does not bind root
    const { pids, refused, nprocsAtRefusal } = bomb(fl, root);
    expect(nprocsAtRefusal).toBe(341);
    expect(pids.length).toBe(339);
    expect(uidCounts(fl).get(0)![0]).toBe(341);
    expect(fl.messages()).toEqual([MESSAGE(0)]);
    fl.run({ ticks: 50 });
    for (const pid of refused) expect(done(fl.result(pid)).errno).toBe("EAGAIN");
    exitAll(fl, pids);
    expect(snapshot(fl)).toEqual(start);
  });

  it("the check uses the real uid (cr_ruid): ruid 1000 with euid 0 is limited, ruid 0 with euid 1000 is not", () => {
    const fl = new Forklab({ physBytes: 16 * MiB, maxproc: 20 });
    const a = fl.spawn({ uid: 1000 }).pid;
    const b = fl.spawn({ uid: 0 }).pid;
    const A = kproc(fl, a), B = kproc(fl, b);
    const ca = crdup(fl.kernel.uids, A.p_ucred!); ca.cr_uid = 0; A.p_ucred = ca;
    const cb = crdup(fl.kernel.uids, B.p_ucred!); cb.cr_uid = 1000; B.p_ucred = cb;
    while (fl.kernel.nprocs < 10) fork(fl, b);
    expect(fl.syscall(a, "fork")).toEqual({ done: false, wmesg: "fork" });
    while (fl.kernel.nprocs < 20) fork(fl, b);
    expect(fl.syscall(b, "fork")).toEqual({ done: false, wmesg: "fork" });
  });

  it("kern.maxproc is read at every fork: lowering it refuses the next one", () => {
    const fl = new Forklab({ physBytes: 16 * MiB });
    const p = fl.spawn({ uid: 1000 }).pid;
    fork(fl, p);
    fl.sysctlSet("kern.maxproc", fl.kernel.nprocs + 10);
    expect(fl.syscall(p, "fork")).toEqual({ done: false, wmesg: "fork" });
  });
});

describe("tunables that would make boot or spawn sleep", () => {
  it("maxproc below 2 cannot boot (create_init would hit the limit); vmSevereFrames above the free memory cannot boot or spawn", () => {
    expect(() => new Forklab({ physBytes: 16 * MiB, maxproc: 1 })).toThrow(/maxproc must be at least 2/);
    expect(() => new Forklab({ physBytes: 16 * MiB, vmSevereFrames: 1 << 20 })).toThrow(/vmSevereFrames .* leaves no memory to boot/);
    const fl = new Forklab({ physBytes: 16 * MiB, maxproc: 2 });
    expect(() => fl.spawn()).toThrow(/process table is full/);
    const fl2 = new Forklab({ physBytes: 16 * MiB });
    fl2.kernel.tun.vmSevereFrames = 1 << 20;
    const before = snapshot(fl2);
    expect(() => fl2.spawn()).toThrow(/severely short/);
    expect(snapshot(fl2)).toEqual(before);
    fl2.kernel.tun.vmSevereFrames = 0;
    expect(fl2.spawn().ppid).toBe(1);
  });
});

describe("RLIMIT_NPROC (chgproccnt)", () => {
  it("limits the processes of one real uid, across all its processes; the refused fork backs nprocs out", () => {
    const fl = new Forklab({ physBytes: 16 * MiB });
    const limits: KernelEvent<"limit">[] = [];
    fl.on("limit", (e) => limits.push(e));
    const p = fl.spawn({ uid: 1000, nprocLimit: 5 }).pid;
    expect(uidCounts(fl).get(1000)![0]).toBe(1);
    for (let i = 0; i < 4; i++) fork(fl, p);
    expect(uidCounts(fl).get(1000)![0]).toBe(5);
    const n = fl.kernel.nprocs;
    expect(fl.syscall(p, "fork")).toEqual({ done: false, wmesg: "fork" });
    expect(fl.kernel.nprocs).toBe(n); // nprocs++ was backed out
    expect(uidCounts(fl).get(1000)![0]).toBe(5);
    expect(limits).toEqual([expect.objectContaining({ pid: p, uid: 1000, which: "nproc" })]);
    // Another uid is not affected.
    const q = fl.spawn({ uid: 1001, nprocLimit: 5 }).pid;
    fork(fl, q);
    fl.run({ ticks: 50 });
    expect(done(fl.result(p)).errno).toBe("EAGAIN");
    // A child of the same uid with a larger limit of its own still counts the uid's total.
    const big = fl.spawn({ uid: 1000, nprocLimit: 7 }).pid; // spawn's fork came from init (root)
    expect(uidCounts(fl).get(1000)![0]).toBe(6);
    fork(fl, big);
    expect(fl.syscall(big, "fork")).toEqual({ done: false, wmesg: "fork" });
  });

  it("root is exempt (chgproccnt gets max 0, \"no limit\")", () => {
    const fl = new Forklab({ physBytes: 16 * MiB });
    const p = fl.spawn({ uid: 0, nprocLimit: 2 }).pid;
    for (let i = 0; i < 6; i++) fork(fl, p);
    expect(uidCounts(fl).get(0)![0]).toBe(9);
  });

  it("LTP setrlimit01 (test3): RLIMIT_NPROC = 10 set with setrlimit, then a child forks until EAGAIN", () => {
    const fl = new Forklab({ physBytes: 16 * MiB });
    const p = fl.spawn({ uid: 1000 }).pid;
    ok(fl, p, "setrlimit", [RLIMIT_NPROC, rlimit(fl, p, 10, 10)]);
    const got = fl.userAlloc(p, 16);
    ok(fl, p, "getrlimit", [RLIMIT_NPROC, got]);
    expect([fl.readWord(p, got), fl.readWord(p, got + 8)]).toEqual([10, 10]);
    const child = fork(fl, p);
    let forked = 0, error = "";
    for (let i = 0; i < 20; i++) {
      const r = fl.syscall(child, "fork");
      if (!r.done) {
        fl.run({ ticks: 50 });
        error = done(fl.result(child)).errno;
        break;
      }
      forked++;
    }
    expect(error).toBe("EAGAIN");
    expect(forked).toBe(8); // the parent and the child count: 2 + 8 = 10
    expect(uidCounts(fl).get(1000)![0]).toBe(10);
    const tf = fl.trapframe(child);
    expect([tf.eax, tf.eflags & 1]).toEqual([35, 1]);
  });

  it("derived quirk: fork1 passes the 64-bit rlim_cur to chgproccnt's int, so RLIM_INFINITY becomes -1 and every non-root fork is refused", () => {
    const fl = new Forklab({ physBytes: 16 * MiB });
    const p = fl.spawn({ uid: 1000, nprocLimit: RLIM_INFINITY }).pid;
    expect(fl.syscall(p, "fork")).toEqual({ done: false, wmesg: "fork" });
    const r = fl.spawn({ uid: 0, nprocLimit: RLIM_INFINITY }).pid;
    fork(fl, r);
  });
});

describe("the message and the back-off", () => {
  it("prints \"maxproc limit exceeded by uid N, ...\" at most once per hz ticks (ppsratecheck with maxpps 1)", () => {
    const fl = new Forklab({ physBytes: 16 * MiB });
    expect(fl.ticks).toBe(1); // boot is over: user processes start at tick 1
    const a = fl.spawn({ uid: 1000, nprocLimit: 1 }).pid;
    const b = fl.spawn({ uid: 1000, nprocLimit: 1 }).pid;
    const printed: [number, boolean][] = [];
    fl.on("limit", (e) => printed.push([e.tick, e.printed]));
    fl.syscall(a, "fork"); // tick 1: a new window, printed
    fl.syscall(b, "fork"); // same window: not printed
    fl.run({ ticks: 50 });
    fl.syscall(a, "fork"); // tick 51: 50 ticks after the window began, not printed
    fl.run({ ticks: 49 });
    fl.syscall(b, "fork"); // tick 100: 99 ticks, still the same window
    fl.run({ ticks: 1 });
    expect(fl.ticks).toBe(101);
    expect(done(fl.result(a)).errno).toBe("EAGAIN");
    fl.syscall(a, "fork"); // tick 101: hz ticks later, a new window: printed
    expect(printed).toEqual([[1, true], [1, false], [51, false], [100, false], [101, true]]);
    expect(fl.messages()).toEqual([MESSAGE(1000), MESSAGE(1000)]);
  });

  it("no user code runs at tick 0, so the ppsratecheck quirk (a window stamped at tick 0 reads as \"never\") cannot flood: one message a second from boot on", () => {
    const fl = new Forklab({ physBytes: 16 * MiB });
    expect(fl.ticks).toBe(1);
    const pids = [1000, 1001, 1002].map((uid) => fl.spawn({ uid, nprocLimit: 1 }).pid);
    for (const p of pids) fl.syscall(p, "fork");
    expect(fl.ticks).toBe(1);
    expect(fl.messages()).toEqual([MESSAGE(1000)]); // the window began at tick 1: the others are rate-limited
    // The quirk itself is kept (ratecheck.test.ts): a window stamped at tick 0 would let every call print.
    const state = { lasttime: 0, curpps: 0 };
    expect([0, 0, 0].map((t) => ppsratecheck(state, 1, t, 100))).toEqual([true, true, true]);
  });

  it("at hz 100 the refused fork sleeps in \"fork\" and returns EAGAIN only after 50 ticks", () => {
    const fl = new Forklab({ physBytes: 16 * MiB });
    fl.run({ ticks: 6 }); // boot ended at tick 1
    const p = fl.spawn({ uid: 1000, nprocLimit: 1 }).pid;
    const sleeps: KernelEvent<"sleep">[] = [];
    fl.on("sleep", (e) => { if (e.pid === p) sleeps.push(e); });
    expect(fl.syscall(p, "fork")).toEqual({ done: false, wmesg: "fork" });
    expect(sleeps).toEqual([expect.objectContaining({ wmesg: "fork", timo: 50, tick: 7 })]);
    expect(fl.lwps(p)[0]).toMatchObject({ stat: "LSSLEEP", wmesg: "fork" });
    expect(klwp(fl, p).wchan).toBe(fl.kernel.forksleep);
    fl.run({ ticks: 49 });
    expect(fl.result(p)).toEqual({ done: false, wmesg: "fork" });
    fl.run({ ticks: 1 });
    expect(fl.ticks).toBe(57);
    const r = done(fl.result(p));
    expect([r.error, r.errno, r.value]).toEqual([35, "EAGAIN", -1]);
    expect(fl.proc(p).children).toEqual([]);
  });

  it("at hz 1000 the back-off is 500 ticks (still half a second)", () => {
    const fl = new Forklab({ physBytes: 16 * MiB, hz: 1000 });
    const p = fl.spawn({ uid: 1000, nprocLimit: 1 }).pid;
    expect(fl.syscall(p, "fork")).toEqual({ done: false, wmesg: "fork" });
    fl.run({ ticks: 499 });
    expect(fl.result(p)).toEqual({ done: false, wmesg: "fork" });
    fl.run({ ticks: 1 });
    expect(done(fl.result(p)).errno).toBe("EAGAIN");
    expect(fl.seconds).toBeCloseTo(0.501);
  });

  it("nobody wakes forksleep: the back-off is a pure delay (hz 1: hz/2 is 0 ticks, i.e. no timeout, and the fork never returns)", () => {
    const fl = new Forklab({ physBytes: 16 * MiB, hz: 1 });
    const p = fl.spawn({ uid: 1000, nprocLimit: 1 }).pid;
    expect(fl.syscall(p, "fork")).toEqual({ done: false, wmesg: "fork" });
    fl.run({ ticks: 3600 });
    expect(fl.result(p)).toEqual({ done: false, wmesg: "fork" });
  });
});
