// Locks that check their use (lock.ts, synch.ts): lockmgr's shared/exclusive/release of
// kern_lock.c 1.27 as pg_lock uses it, spinlocks and critical sections, and the syscall
// exit check. Misuse is a KernelPanic with a message that says what went wrong. The
// generators are driven by hand on the LWPs of bare processes.
import { describe, it, expect, afterEach } from "vitest";
import { ForklabError, type Forklab } from "../../src/index.js";
import { newLab, sys } from "./helpers.js";
import { Lockmgr, lockmgr, Spinlock, spin_lock, spin_unlock, crit_enter, crit_exit } from "../../src/kernel/lock.js";
import { tsleep, wakeup } from "../../src/kernel/synch.js";
import { KernelPanic } from "../../src/kernel/panic.js";
import { sysent } from "../../src/kernel/sysent.js";
import { LK_SHARED, LK_EXCLUSIVE, LK_RELEASE, LK_NOWAIT } from "../../src/kernel/param.js";
import { EBUSY, EWOULDBLOCK } from "../../src/kernel/errno.js";
import type { Lwp, KGen } from "../../src/kernel/proc.js";

function lwps(fl: Forklab, n: number): Lwp[] {
  const out: Lwp[] = [];
  for (let i = 0; i < n; i++) {
    const p = fl.spawn();
    out.push(fl.kernel.lwpsOf(fl.kernel.procs.pidhash.get(p.pid)!)[0]);
  }
  return out;
}

/** Runs a generator until it finishes or sleeps: {done, value} or {slept: true}. */
function step<T>(g: KGen<T>, resumeWith?: number): { done: true; value: T } | { done: false } {
  const r = resumeWith === undefined ? g.next() : g.next(resumeWith);
  return r.done ? { done: true, value: r.value } : { done: false };
}

describe("lockmgr (kern_lock.c 1.27): shared, exclusive, release", () => {
  it("many shared holders at once; an exclusive request sleeps on the lock (\"lock\" event, wmesg = the lock's name) until the last one releases", () => {
    const fl = newLab();
    const [a, b, c] = lwps(fl, 3);
    const lk = new Lockmgr("pgwt");
    const k = fl.kernel;
    expect(step(lockmgr(k, a, lk, LK_SHARED))).toEqual({ done: true, value: 0 });
    expect(step(lockmgr(k, b, lk, LK_SHARED))).toEqual({ done: true, value: 0 });
    expect(lk.sharecount).toBe(2);
    expect(a.lwp_thread.td_locks).toBe(1);
    const events: unknown[] = [];
    fl.on("lock", (e) => events.push(e));
    const gx = lockmgr(k, c, lk, LK_EXCLUSIVE);
    expect(step(gx)).toEqual({ done: false });
    expect(c.wchan).toBe(lk);
    expect(c.wmesg).toBe("pgwt");
    expect(events).toEqual([expect.objectContaining({ pid: c.lwp_proc.p_pid, lock: "pgwt", sharecount: 2, exclusive: false })]);
    // Every release wakes the waiters (LK_WAIT_NONZERO); each rechecks and sleeps again
    // while the lock is still not free for it.
    expect(step(lockmgr(k, a, lk, LK_RELEASE))).toEqual({ done: true, value: 0 });
    expect(c.wchan).toBeNull();
    expect(step(gx, c.wakeResult)).toEqual({ done: false }); // b still holds it
    expect(c.wchan).toBe(lk);
    expect(step(lockmgr(k, b, lk, LK_RELEASE))).toEqual({ done: true, value: 0 });
    expect(c.wchan).toBeNull(); // woken
    expect(c.onRunq).toBe(true);
    expect(step(gx, c.wakeResult)).toEqual({ done: true, value: 0 });
    expect(lk.exclusivecount).toBe(1);
    expect(lk.holder).toBe(c.lwp_thread);
    // Now shared requests wait for the exclusive holder.
    const gs = lockmgr(k, a, lk, LK_SHARED);
    expect(step(gs)).toEqual({ done: false });
    expect(step(lockmgr(k, c, lk, LK_RELEASE))).toEqual({ done: true, value: 0 });
    expect(step(gs, 0)).toEqual({ done: true, value: 0 });
    expect(step(lockmgr(k, a, lk, LK_RELEASE))).toEqual({ done: true, value: 0 });
    expect(lk.isHeld()).toBe(false);
    expect([a, b, c].map((l) => l.lwp_thread.td_locks)).toEqual([0, 0, 0]);
  });

  it("LK_NOWAIT gives EBUSY instead of sleeping", () => {
    const fl = newLab();
    const [a, b] = lwps(fl, 2);
    const lk = new Lockmgr("pgwt");
    step(lockmgr(fl.kernel, a, lk, LK_SHARED));
    expect(step(lockmgr(fl.kernel, b, lk, LK_EXCLUSIVE | LK_NOWAIT))).toEqual({ done: true, value: EBUSY });
    expect(step(lockmgr(fl.kernel, b, lk, LK_SHARED | LK_NOWAIT))).toEqual({ done: true, value: 0 });
  });

  it("an exclusive request that is waiting holds new shared requests back (LK_WANT_EXCL), so a fork cannot starve killpg", () => {
    const fl = newLab();
    const [a, b, c] = lwps(fl, 3);
    const lk = new Lockmgr("pgwt");
    const k = fl.kernel;
    step(lockmgr(k, a, lk, LK_SHARED));
    const gx = lockmgr(k, b, lk, LK_EXCLUSIVE);
    expect(step(gx)).toEqual({ done: false });
    // reference §6.8: LK_SHARED blocks while HAVE_EXCL, WANT_EXCL or WANT_UPGRADE is set.
    const gs = lockmgr(k, c, lk, LK_SHARED);
    expect(step(gs)).toEqual({ done: false });
    step(lockmgr(k, a, lk, LK_RELEASE));
    expect(step(gx, 0)).toEqual({ done: true, value: 0 });
    expect(lk.holder).toBe(b.lwp_thread);
  });

  it("panics: releasing a lock not held, releasing another thread's exclusive hold, locking against myself", () => {
    const fl = newLab();
    const [a, b] = lwps(fl, 2);
    const lk = new Lockmgr("pgwt");
    const k = fl.kernel;
    expect(() => step(lockmgr(k, a, lk, LK_RELEASE))).toThrow(KernelPanic);
    expect(() => step(lockmgr(k, a, lk, LK_RELEASE))).toThrow(/panic: lockmgr: pgwt: pid \d+ releases a lock it does not hold/);
    step(lockmgr(k, a, lk, LK_SHARED));
    expect(() => step(lockmgr(k, b, lk, LK_RELEASE))).toThrow(/releases a lock it does not hold/);
    step(lockmgr(k, a, lk, LK_RELEASE));
    step(lockmgr(k, a, lk, LK_EXCLUSIVE));
    expect(() => step(lockmgr(k, b, lk, LK_RELEASE))).toThrow(/releases an exclusive lock it does not hold/);
    expect(() => step(lockmgr(k, a, lk, LK_EXCLUSIVE))).toThrow(/locking against myself/);
    step(lockmgr(k, a, lk, LK_RELEASE));
    expect(() => step(lockmgr(k, a, lk, 9))).toThrow(/unsupported request/);
  });
});

describe("sleeping where one must not", () => {
  it("tsleep in a critical section panics; crit_exit without crit_enter panics", () => {
    const fl = newLab();
    const [a] = lwps(fl, 1);
    crit_enter(a.lwp_thread);
    expect(() => step(tsleep(fl.kernel, a, {}, 0, "nap", 1))).toThrow(/panic: tsleep\("nap"\) in a critical section/);
    crit_exit(a.lwp_thread);
    expect(() => crit_exit(a.lwp_thread)).toThrow(/crit_exit: not in a critical section/);
    // Nested sections count.
    crit_enter(a.lwp_thread); crit_enter(a.lwp_thread); crit_exit(a.lwp_thread);
    expect(() => step(tsleep(fl.kernel, a, {}, 0, "nap", 1))).toThrow(KernelPanic);
    crit_exit(a.lwp_thread);
    expect(step(tsleep(fl.kernel, a, {}, 0, "nap", 1))).toEqual({ done: false });
  });

  it("tsleep under a spinlock panics, and a lockmgr wait under one too; spinlocks catch double locking and foreign unlocks", () => {
    const fl = newLab();
    const [a, b] = lwps(fl, 2);
    const s = new Spinlock("p_spin");
    spin_lock(a.lwp_thread, s);
    expect(() => step(tsleep(fl.kernel, a, {}, 0, "nap", 0))).toThrow(/panic: tsleep\("nap"\) while holding a spinlock/);
    expect(() => spin_lock(a.lwp_thread, s)).toThrow(/spin_lock: p_spin already held by this thread/);
    expect(() => spin_lock(b.lwp_thread, s)).toThrow(/already held/);
    expect(() => spin_unlock(b.lwp_thread, s)).toThrow(/spin_unlock: p_spin not held by this thread/);
    const lk = new Lockmgr("pgwt");
    step(lockmgr(fl.kernel, b, lk, LK_EXCLUSIVE));
    expect(() => step(lockmgr(fl.kernel, a, lk, LK_SHARED))).toThrow(/while holding a spinlock/);
    spin_unlock(a.lwp_thread, s);
    expect(a.lwp_thread.td_spinlocks).toBe(0);
  });

  it("a sleep that is not woken times out with EWOULDBLOCK (35) when the clock passes timo; wakeup returns 0", () => {
    const fl = newLab();
    const [a, b] = lwps(fl, 2);
    const chan = {};
    const g = tsleep(fl.kernel, a, chan, 0, "nap", 10);
    expect(step(g)).toEqual({ done: false });
    const g2 = tsleep(fl.kernel, b, chan, 0, "nap", 0);
    step(g2);
    fl.kernel.clock.advanceTo(fl.kernel.clock.ticks + 9);
    expect(a.wchan).toBe(chan);
    fl.kernel.clock.advanceTo(fl.kernel.clock.ticks + 1);
    expect(a.wchan).toBeNull();
    expect(a.wakeResult).toBe(EWOULDBLOCK);
    expect(step(g, a.wakeResult)).toEqual({ done: true, value: 35 });
    expect(b.wchan).toBe(chan); // timo 0: forever
    wakeup(fl.kernel, chan);
    expect(step(g2, b.wakeResult)).toEqual({ done: true, value: 0 });
  });
});

describe("leaving a syscall with a lock held", () => {
  const SLOT = 480; // unused in the table
  afterEach(() => { sysent[SLOT] = undefined; });

  it("panics with the syscall's name and the count of locks held, and the machine stops", () => {
    const fl = newLab();
    const p = fl.spawn();
    const lk = new Lockmgr("leaky");
    sysent[SLOT] = { name: "leaky_call", narg: 0, types: [], fn: function* (k, lp) { yield* lockmgr(k, lp, lk, LK_SHARED); return 0; } };
    let thrown: unknown;
    try { fl.syscall(p.pid, SLOT); } catch (e) { thrown = e; }
    expect(thrown).toBeInstanceOf(ForklabError);
    expect((thrown as Error).cause).toBeInstanceOf(KernelPanic);
    expect(fl.panicked).toMatch(/syscall leaky_call returns to user mode with 1 lock\(s\) held/);
    expect(() => fl.spawn()).toThrow(/the kernel panicked .*; the machine is stopped/);
    expect(fl.proc(p.pid).pid).toBe(p.pid); // still readable
    const fl2 = newLab();
    const q = fl2.spawn();
    const lk2 = new Lockmgr("leaky2");
    sysent[SLOT] = {
      name: "leaky_call", narg: 0, types: [],
      fn: function* (k, lp) { yield* lockmgr(k, lp, lk2, LK_SHARED); yield* lockmgr(k, lp, lk, LK_SHARED); return 0; },
    };
    expect(() => fl2.syscall(q.pid, SLOT)).toThrow(/kernel panic: panic: syscall leaky_call returns to user mode with 2 lock\(s\) held/);
  });

  it("a syscall that releases what it took returns normally (fork holds pg_lock and lets it go)", () => {
    const fl = newLab();
    const p = fl.spawn();
    const lk = new Lockmgr("tidy");
    sysent[SLOT] = {
      name: "tidy_call", narg: 0, types: [],
      fn: function* (k, lp) { yield* lockmgr(k, lp, lk, LK_EXCLUSIVE); yield* lockmgr(k, lp, lk, LK_RELEASE); return 0; },
    };
    expect(sys(fl, p.pid, SLOT).error).toBe(0);
    expect(sys(fl, p.pid, "fork").error).toBe(0);
    expect(fl.kernel.lwpsOf(fl.kernel.procs.pidhash.get(p.pid)!)[0].lwp_thread.td_locks).toBe(0);
    expect(fl.kernel.procs.pidhash.get(p.pid)!.p_pgrp!.pg_lock.isHeld()).toBe(false);
  });
});
