// Signals around fork as DragonFly had them in 2008: the process-group interlock of
// kern_fork.c 1.76 (fork1 holds pg_lock shared, killpg exclusive; CURSIGNB makes fork
// restart), what a child inherits (lwp_siglist yes, p_siglist no), kill's rules.
import { describe, it, expect } from "vitest";
import type { Forklab, KernelEvent } from "../../src/index.js";
import {
  newLab, sys, ok, sleeps, usigset, forkChild, wait4, SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK, sigbit,
} from "./helpers.js";
import {
  SIGINT, SIGTERM, SIGKILL, SIGSTOP, SIGCONT, SIGCHLD, SIGUSR1, SIGUSR2, SIGHUP, W_EXITCODE, RFPROC, RFFDG,
} from "../../src/kernel/param.js";
import { EPERM, ESRCH, EINVAL } from "../../src/kernel/errno.js";
import type { Proc } from "../../src/kernel/proc.js";

const procOf = (fl: Forklab, pid: number): Proc =>
  fl.kernel.procs.pidhash.get(pid) ?? fl.kernel.procs.zombproc.toArray().find((p) => p.p_pid === pid)!;

function pending(fl: Forklab, pid: number): bigint {
  const va = fl.userAlloc(pid, 16);
  ok(fl, pid, "sigpending", [va]);
  return BigInt(fl.readWord(pid, va)) | (BigInt(fl.readWord(pid, va + 4)) << 32n);
}

// vfork02 (lwp_siglist inherited, p_siglist not) is in ltp.test.ts.
describe("what a child inherits of its parent's signal state (fork1 and lwp_fork at rev 1.76)", () => {
  it("the child gets a copy of the parent's signal actions: SIG_IGN stays ignored, and later changes do not cross", () => {
    const fl = newLab();
    const p = fl.spawn();
    const act = fl.userAlloc(p.pid, 24);
    fl.writeWord(p.pid, act, 1); // SIG_IGN
    ok(fl, p.pid, "sigaction", [SIGTERM, act, 0]);
    const c = forkChild(fl, p.pid);
    expect(procOf(fl, c).p_sigacts).not.toBe(procOf(fl, p.pid).p_sigacts);
    fl.signal(c, SIGTERM);
    fl.run({ ticks: 2 });
    expect(fl.proc(c).stat).toBe("SACTIVE");
    fl.writeWord(p.pid, act, 0); // SIG_DFL in the parent only
    ok(fl, p.pid, "sigaction", [SIGTERM, act, 0]);
    fl.signal(c, SIGTERM);
    fl.run({ ticks: 2 });
    expect(fl.proc(c).stat).toBe("SACTIVE");
  });
});

describe("the fork / process-group signal interlock (fork1 takes pg_lock shared, killpg exclusive)", () => {
  it("a signal pending when fork1 holds the lock makes fork return ERESTART: eip backed up by 2, no child made", () => {
    const fl = newLab();
    const p = fl.spawn();
    const eip = fl.trapframe(p.pid).eip;
    const nprocs = fl.sysctl("kern.nprocs");
    const nextpid = fl.kernel.procs.nextpid;
    const locks: KernelEvent<"lock">[] = [];
    fl.on("lock", (e) => locks.push(e));
    fl.signal(p.pid, SIGTERM); // posted while p is in user mode; it is runnable but has not run yet
    const r = sys(fl, p.pid, "fork");
    // The fork restarted, and on the way out to user mode the signal was delivered.
    const pp = procOf(fl, p.pid);
    const lp = fl.kernel.lwpsOf(pp)[0];
    expect(lp.lastSyscall).toMatchObject({ error: -1 });
    expect(r).toMatchObject({ done: true });
    expect(fl.kernel.core.trapframe(lp.td).toJSON().eip).toBe((eip - 2) >>> 0);
    expect(pp.p_stat).toBe(4); // SZOMB: SIGTERM killed it at userret
    expect(fl.sysctl("kern.nprocs")).toBe(nprocs);
    expect(fl.kernel.procs.nextpid).toBe(nextpid); // no pid was taken
    expect(pp.p_pgrp!.pg_lock.isHeld()).toBe(false);
    expect(locks).toEqual([]);
    expect(fl.counters().v_forks).toBe(1); // the spawn's (init's own creation counts as a kthread)
  });

  it("after ERESTART the signal is taken on the way out, and the fork issued again succeeds", () => {
    const fl = newLab();
    const p = fl.spawn();
    ok(fl, p.pid, "sigprocmask", [SIG_BLOCK, usigset(fl, p.pid, [SIGUSR2]), 0]);
    fl.signal(p.pid, SIGUSR2);
    const c = forkChild(fl, p.pid); // blocked: CURSIGNB is false, the fork goes through
    expect(fl.proc(c).ppid).toBe(p.pid);
    // Unmask it behind the kernel's back with a disposition that takes it harmlessly (as a
    // caught signal would be): CURSIGNB is now true and fork restarts.
    const pp = procOf(fl, p.pid);
    fl.kernel.lwpsOf(pp)[0].lwp_sigmask = 0n;
    pp.p_sigacts!.ps_sigact[SIGUSR2] = 1;
    const before = fl.sysctl("kern.nprocs");
    const eip = fl.trapframe(p.pid).eip;
    expect(sys(fl, p.pid, "fork")).toMatchObject({ error: -1, errno: "ERESTART", value: -1 });
    expect(fl.trapframe(p.pid).eip).toBe((eip - 2) >>> 0);
    expect(fl.sysctl("kern.nprocs")).toBe(before);
    expect(pending(fl, p.pid)).toBe(0n); // taken at userret
    const c2 = forkChild(fl, p.pid);      // the re-run succeeds
    expect(fl.proc(c2).ppid).toBe(p.pid);
  });

  it("masked signals do not restart fork, and rfork without RFPROC takes no lock at all", () => {
    const fl = newLab();
    const p = fl.spawn();
    ok(fl, p.pid, "sigprocmask", [SIG_BLOCK, usigset(fl, p.pid, [SIGTERM]), 0]);
    fl.signal(p.pid, SIGTERM);
    expect(sys(fl, p.pid, "fork").error).toBe(0);
    const q = fl.spawn();
    fl.signal(q.pid, SIGTERM);
    sys(fl, q.pid, "rfork", [RFFDG]); // no RFPROC: fork1 returns before the interlock
    const lp = fl.kernel.lwpsOf(procOf(fl, q.pid))[0];
    expect(lp.lastSyscall).toMatchObject({ error: 0 });
    expect(fl.proc(q.pid).stat).toBe("SZOMB"); // and then the signal is delivered
  });

  function interlockSetup(fl: Forklab, opts: { blockInParent: boolean; killerInGroup: boolean }) {
    const sh = fl.spawn({ comm: "sh" });              // the shell: outside the job's group
    const a = forkChild(fl, sh.pid);                  // the job
    ok(fl, a, "setpgid", [0, 0]);
    const killer = opts.killerInGroup ? forkChild(fl, a) : sh.pid;
    if (opts.blockInParent) ok(fl, a, "sigprocmask", [SIG_BLOCK, usigset(fl, a, [SIGINT]), 0]);
    return { sh: sh.pid, a, killer };
  }

  it("^C sent to the group while a fork is in flight reaches the new child: killpg waits on pg_lock until fork1 releases it", () => {
    const fl = newLab({ physBytes: 16 << 20 });
    const { sh, a, killer } = interlockSetup(fl, { blockInParent: false, killerInGroup: false });
    const pg = procOf(fl, a).p_pgrp!;
    const events: KernelEvent[] = [];
    fl.on("*", (e) => { if (e.type === "lock" || e.type === "sleep" || e.type === "fork" || e.type === "signal") events.push(e); });
    // Make memory "severe": vm_fork loops in vm_wait while fork1 holds pg_lock shared.
    fl.kernel.tun.vmSevereFrames = fl.memory().framesFree + 1;
    expect(sleeps(fl, a, "fork")).toBe("vmwait");
    expect(pg.pg_lock.sharecount).toBe(1);
    expect(pg.pg_lock.exclusivecount).toBe(0);
    // The shell's kill(-pgid, SIGINT) must wait for the lock.
    expect(sleeps(fl, killer, "kill", [-a, SIGINT])).toBe("pgwt");
    expect(events.filter((e) => e.type === "lock")).toEqual([
      expect.objectContaining({ pid: killer, lock: "pgwt", sharecount: 1, exclusive: false }),
    ]);
    expect(events.some((e) => e.type === "signal")).toBe(false);
    fl.run({ ticks: 3 * fl.hz }); // still severe: vm_wait times out every hz and rechecks
    expect(fl.result(a)).toEqual({ done: false, wmesg: "vmwait" });
    expect(fl.result(killer)).toEqual({ done: false, wmesg: "pgwt" });
    // Free memory: the next recheck lets the fork finish.
    fl.kernel.tun.vmSevereFrames = 0;
    fl.run({ ticks: fl.hz + 1 });
    const forkEv = events.find((e) => e.type === "fork") as KernelEvent<"fork">;
    const c = forkEv.child;
    expect(fl.result(killer)).toMatchObject({ done: true, error: 0 });
    // The signal went out after the fork, to both members: a and its new child.
    const sigs = events.filter((e) => e.type === "signal") as KernelEvent<"signal">[];
    expect(events.indexOf(forkEv)).toBeLessThan(events.indexOf(sigs[0]));
    expect(sigs.map((e) => [e.pid, e.sig]).sort()).toEqual([[a, SIGINT], [c, SIGINT]].sort());
    fl.run({ ticks: 5 });
    // Both die of SIGINT: the shell reaps a; the child (orphaned) goes to init.
    const reaps: KernelEvent<"reap">[] = [];
    fl.on("reap", (e) => reaps.push(e));
    expect(wait4(fl, sh, a)).toMatchObject({ pid: a, status: SIGINT });
    fl.run({ ticks: 5 });
    expect(() => fl.proc(c)).toThrow(/no process/);
    expect(pg.pg_lock.isHeld()).toBe(false);
    void reaps;
  });

  it("a second fork in the group that comes while killpg waits blocks behind it (LK_WANT_EXCL), then sees ^C and restarts", () => {
    const fl = newLab({ physBytes: 16 << 20 });
    const { sh, a, killer } = interlockSetup(fl, { blockInParent: false, killerInGroup: false });
    const m = forkChild(fl, a); // another member of the job's group
    const forks: KernelEvent<"fork">[] = [];
    fl.on("fork", (e) => forks.push(e));
    fl.kernel.tun.vmSevereFrames = fl.memory().framesFree + 1;
    expect(sleeps(fl, a, "fork")).toBe("vmwait");
    expect(sleeps(fl, killer, "kill", [-a, SIGINT])).toBe("pgwt");
    expect(sleeps(fl, m, "fork")).toBe("pgwt"); // shared request held back by the waiting exclusive one
    const mlp = fl.kernel.lwpsOf(procOf(fl, m))[0];
    const exits: KernelEvent<"exit">[] = [];
    fl.on("exit", (e) => exits.push(e));
    fl.kernel.tun.vmSevereFrames = 0;
    fl.run({ ticks: fl.hz + 5 });
    expect(forks.map((e) => e.parent)).toEqual([a]); // m never forked
    expect(mlp.lastSyscall).toMatchObject({ error: -1 }); // ERESTART
    expect(exits.find((e) => e.pid === m)).toMatchObject({ status: SIGINT });
    expect(wait4(fl, sh, a)).toMatchObject({ status: SIGINT });
  });

  it("the same race with the parent blocking SIGINT: the child inherits the mask, unblocks, dies of SIGINT, and wait4 gives 2", () => {
    const fl = newLab({ physBytes: 16 << 20 });
    const { a, killer } = interlockSetup(fl, { blockInParent: true, killerInGroup: true });
    fl.kernel.tun.vmSevereFrames = fl.memory().framesFree + 1;
    const forks: KernelEvent<"fork">[] = [];
    fl.on("fork", (e) => forks.push(e));
    expect(sleeps(fl, a, "fork")).toBe("vmwait");
    expect(sleeps(fl, killer, "kill", [0, SIGINT])).toBe("pgwt"); // my own group, from inside it
    fl.kernel.tun.vmSevereFrames = 0;
    fl.run({ ticks: fl.hz + 1 });
    expect(fl.result(a)).toMatchObject({ done: true, error: 0 });
    const c = forks[0].child;
    expect(fl.result(a)).toMatchObject({ rv: [c, 0] });
    // The killer is in the group too: it killed itself.
    expect(fl.proc(killer).stat).toBe("SZOMB");
    expect(procOf(fl, c).p_siglist & sigbit(SIGINT)).not.toBe(0n);
    expect(procOf(fl, a).p_siglist & sigbit(SIGINT)).not.toBe(0n);
    sys(fl, c, "sigprocmask", [SIG_SETMASK, usigset(fl, c, []), 0]);
    expect(fl.proc(c).stat).toBe("SZOMB");
    expect(wait4(fl, a, c)).toMatchObject({ pid: c, status: SIGINT });
    expect(wait4(fl, a, killer)).toMatchObject({ pid: killer, status: SIGINT });
  });

  it("a fork that starts while killpg holds the lock exclusive waits for it, then sees the signal and restarts", () => {
    const fl = newLab();
    const sh = fl.spawn();
    const a = forkChild(fl, sh.pid);
    ok(fl, a, "setpgid", [0, 0]);
    const pg = procOf(fl, a).p_pgrp!;
    // Hold the lock exclusive as killpg does, on the shell's behalf.
    const shl = fl.kernel.lwpsOf(procOf(fl, sh.pid))[0];
    fl.kernel.drive(lockmgrGen(fl, shl, pg, 2));
    expect(sleeps(fl, a, "fork")).toBe("pgwt");
    // Now the "killpg" posts SIGHUP to the members and releases.
    for (const m of pg.pg_members) fl.signal(m.p_pid, SIGHUP);
    fl.kernel.drive(lockmgrGen(fl, shl, pg, 6));
    fl.run({ ticks: 2 });
    const lp = fl.kernel.lwpsOf(procOf(fl, a))[0];
    expect(lp.lastSyscall).toMatchObject({ error: -1 }); // ERESTART: CURSIGNB after the lock
    expect(fl.proc(a).stat).toBe("SZOMB");               // then SIGHUP killed it
    expect(fl.proc(a).children).toEqual([]);
    expect(wait4(fl, sh.pid, a)).toMatchObject({ status: SIGHUP });
  });
});

import { lockmgr } from "../../src/kernel/lock.js";
import type { Lwp } from "../../src/kernel/proc.js";
import type { Pgrp } from "../../src/kernel/pgrp.js";
function lockmgrGen(fl: Forklab, lp: Lwp, pg: Pgrp, flags: number) {
  return lockmgr(fl.kernel, lp, pg.pg_lock, flags);
}

describe("kill(2) (kern_sig.c): permissions, groups, the broadcast", () => {
  it("kill(pid): ESRCH for no such process, EPERM across users, allowed for a shared real or effective uid and for root", () => {
    const fl = newLab();
    const root = fl.spawn();
    const asUser = (uid: number) => { const c = forkChild(fl, root.pid); ok(fl, c, "setuid", [uid]); return { pid: c }; };
    const u1 = asUser(1000), u1b = asUser(1000), u2 = asUser(2000);
    expect(sys(fl, u1.pid, "kill", [99998, 0]).error).toBe(ESRCH);
    expect(sys(fl, u1.pid, "kill", [u2.pid, SIGTERM]).error).toBe(EPERM);
    expect(sys(fl, u1.pid, "kill", [u2.pid, 0]).error).toBe(EPERM);
    expect(fl.proc(u2.pid).stat).toBe("SACTIVE");
    expect(sys(fl, u1.pid, "kill", [u1b.pid, 0]).error).toBe(0);
    expect(sys(fl, root.pid, "kill", [u2.pid, 0]).error).toBe(0);
    expect(sys(fl, u1.pid, "kill", [u1.pid, 200]).error).toBe(EINVAL);
    // setuid to a uid the target shares: effective uid 2000 vs the target's real uid 2000.
    const r1 = forkChild(fl, root.pid);
    ok(fl, r1, "setuid", [2000]);
    expect(sys(fl, r1, "kill", [u2.pid, SIGTERM]).error).toBe(0);
    fl.run({ ticks: 2 });
    expect(fl.proc(u2.pid).stat).toBe("SZOMB");
  });

  it("init takes no default action (pid <= 1): root's kill(1, SIGTERM) and even SIGKILL leave it reaping", () => {
    const fl = newLab();
    const root = fl.spawn();
    expect(sys(fl, root.pid, "kill", [1, SIGTERM]).error).toBe(0);
    fl.signal(1, SIGKILL);
    fl.run({ ticks: 5 });
    expect(fl.proc(1).stat).toBe("SACTIVE");
    expect(procOf(fl, 1).p_siglist).toBe(0n);
    // It still reaps orphans.
    const c = forkChild(fl, root.pid);
    sys(fl, root.pid, "exit", [0]);
    sys(fl, c, "exit", [0]);
    fl.run({ ticks: 5 });
    expect(() => fl.proc(c)).toThrow(/no process/);
    expect(() => fl.proc(root.pid)).toThrow(/no process/);
  });

  it("SIGCONT may be sent to any process of the same session, whatever its uid", () => {
    const fl = newLab();
    const root = fl.spawn();
    const c = forkChild(fl, root.pid);
    const u = forkChild(fl, root.pid);
    ok(fl, u, "setuid", [3000]);
    expect(sys(fl, u, "kill", [c, SIGTERM]).error).toBe(EPERM);
    expect(sys(fl, u, "kill", [c, SIGCONT]).error).toBe(0);
    const other = fl.spawn(); // another session
    expect(sys(fl, u, "kill", [other.pid, SIGCONT]).error).toBe(EPERM);
  });

  it("killpg skips init, zombies and those it may not signal, and gives ESRCH when nobody qualified", () => {
    const fl = newLab();
    const p = fl.spawn({ uid: 1000 });
    const z = forkChild(fl, p.pid);
    sys(fl, z, "exit", [0]);
    expect(sys(fl, p.pid, "kill", [-99997, SIGTERM]).error).toBe(ESRCH); // no such group
    expect(sys(fl, p.pid, "kill", [-1 * fl.proc(1).pgid, 0]).error).toBe(ESRCH); // init's group: only pid 1
    const q = fl.spawn({ uid: 2000 });
    expect(sys(fl, p.pid, "kill", [-q.pid, 0]).error).toBe(ESRCH); // everyone there is off limits
    // My own group holds me and the zombie z: the zombie is skipped, I am signalled.
    expect(sys(fl, p.pid, "kill", [0, 0]).error).toBe(0);
    expect(sys(fl, p.pid, "kill", [0, SIGUSR2]).error).toBe(0);
    expect(fl.proc(p.pid).stat).toBe("SZOMB"); // SIGUSR2's default action
    expect(fl.proc(z).stat).toBe("SZOMB");
  });

  it("kill(-1) signals every process the caller may signal but itself, init and system processes", () => {
    const fl = newLab();
    const root = fl.spawn();
    const asUser = (uid: number) => { const c = forkChild(fl, root.pid); ok(fl, c, "setuid", [uid]); return { pid: c }; };
    const a = asUser(1000), b = asUser(1000), c = asUser(2000);
    const b2 = forkChild(fl, b.pid);
    const exits: KernelEvent<"exit">[] = [];
    fl.on("exit", (e) => exits.push(e));
    expect(sys(fl, a.pid, "kill", [-1, SIGTERM]).error).toBe(0);
    fl.run({ ticks: 2 });
    expect(fl.proc(a.pid).stat).toBe("SACTIVE");
    expect(fl.proc(b.pid).stat).toBe("SZOMB");
    expect(exits.map((e) => [e.pid, e.status]).sort()).toEqual([[b.pid, SIGTERM], [b2, SIGTERM]].sort());
    expect(fl.proc(c.pid).stat).toBe("SACTIVE");
    expect(fl.proc(root.pid).stat).toBe("SACTIVE"); // root's process: uid 1000 may not
    expect(fl.proc(1).stat).toBe("SACTIVE");
    const fl2 = newLab();
    const solo = fl2.spawn({ uid: 7 });
    expect(sys(fl2, solo.pid, "kill", [-1, 0]).error).toBe(ESRCH);
  });
});

describe("signal dispositions and masks", () => {
  it("sigaction(SIG_IGN) discards a pending signal; SIG_DFL of a default-ignored signal keeps it ignored (p_sigignore)", () => {
    const fl = newLab();
    const p = fl.spawn();
    ok(fl, p.pid, "sigprocmask", [SIG_BLOCK, usigset(fl, p.pid, [SIGTERM, SIGUSR1]), 0]);
    fl.signal(p.pid, SIGTERM);
    fl.signal(p.pid, SIGUSR1, 0);
    const act = fl.userAlloc(p.pid, 24);
    fl.writeWord(p.pid, act, 1);
    ok(fl, p.pid, "sigaction", [SIGTERM, act, 0]);
    ok(fl, p.pid, "sigaction", [SIGUSR1, act, 0]);
    expect(pending(fl, p.pid)).toBe(0n); // off p_siglist and lwp_siglist alike
    fl.writeWord(p.pid, act, 0);
    ok(fl, p.pid, "sigaction", [SIGCHLD, act, 0]);
    const pp = procOf(fl, p.pid);
    expect(pp.p_sigacts!.ps_sigignore & sigbit(SIGCHLD)).toBe(sigbit(SIGCHLD));
    const c = forkChild(fl, p.pid);
    sys(fl, c, "exit", [0]);
    expect(pp.p_siglist).toBe(0n);
    // The old action reads back.
    const oact = fl.userAlloc(p.pid, 24);
    ok(fl, p.pid, "sigaction", [SIGTERM, 0, oact]);
    expect(fl.readWord(p.pid, oact)).toBe(1);
    expect(sys(fl, p.pid, "sigaction", [SIGKILL, act + 0, 0]).error).toBe(0); // SIG_DFL is allowed
    fl.writeWord(p.pid, act, 1);
    expect(sys(fl, p.pid, "sigaction", [SIGKILL, act, 0]).error).toBe(EINVAL);
    expect(sys(fl, p.pid, "sigaction", [SIGSTOP, act, 0]).error).toBe(EINVAL);
  });

  it("sigprocmask cannot block SIGKILL or SIGSTOP, returns the old mask, and rejects a bad how", () => {
    const fl = newLab();
    const p = { pid: forkChild(fl, fl.spawn().pid) };
    ok(fl, p.pid, "sigprocmask", [SIG_SETMASK, usigset(fl, p.pid, [SIGKILL, SIGSTOP, SIGTERM]), 0]);
    expect(fl.lwps(p.pid)[0].sigmask).toBe(sigbit(SIGTERM));
    const old = fl.userAlloc(p.pid, 16);
    ok(fl, p.pid, "sigprocmask", [SIG_BLOCK, usigset(fl, p.pid, [SIGUSR1]), old]);
    expect(fl.readWord(p.pid, old)).toBe(Number(sigbit(SIGTERM)));
    expect(sys(fl, p.pid, "sigprocmask", [7, usigset(fl, p.pid, [SIGUSR1]), 0]).error).toBe(EINVAL);
    fl.signal(p.pid, SIGKILL);
    fl.run({ ticks: 2 });
    expect(fl.proc(p.pid).stat).toBe("SZOMB");
  });

  it("SIGCONT with its default action does not wake an interruptible sleeper; SIGTERM does (setrunnable; tsleep's CURSIG then gives ERESTART) and then kills", () => {
    const fl = newLab();
    const p = { pid: forkChild(fl, fl.spawn().pid) };
    forkChild(fl, p.pid);
    expect(sleeps(fl, p.pid, "wait4", [-1, 0, 0, 0])).toBe("wait");
    const wakes: KernelEvent<"wakeup">[] = [];
    fl.on("wakeup", (e) => wakes.push(e));
    fl.signal(p.pid, SIGCONT);
    fl.run({ ticks: 5 });
    expect(fl.result(p.pid)).toEqual({ done: false, wmesg: "wait" });
    expect(pending(fl, fl.proc(p.pid).children[0])).toBe(0n);
    expect(procOf(fl, p.pid).p_siglist).toBe(0n);
    fl.signal(p.pid, SIGTERM);
    expect(wakes).toEqual([expect.objectContaining({ pid: p.pid, wmesg: "wait", result: 0 })]);
    fl.run({ ticks: 2 });
    expect(fl.proc(p.pid).stat).toBe("SZOMB");
    expect(fl.proc(p.pid).xstat).toBe(SIGTERM);
  });

  it("a signal does not interrupt an uninterruptible sleep: the vfork parent in \"ppwait\" dies only after its child releases it", () => {
    const fl = newLab();
    const p = { pid: forkChild(fl, fl.spawn().pid) };
    expect(sleeps(fl, p.pid, "vfork")).toBe("ppwait");
    const c = fl.proc(p.pid).children[0];
    fl.signal(p.pid, SIGTERM);
    fl.run({ ticks: 10 });
    expect(fl.result(p.pid)).toEqual({ done: false, wmesg: "ppwait" });
    sys(fl, c, "exit", [0]);
    fl.run({ ticks: 2 });
    expect(fl.proc(p.pid).stat).toBe("SZOMB");
    expect(fl.proc(p.pid).xstat).toBe(SIGTERM);
  });

  it("a signal to an ignored-by-default number is never posted, and stop signals clear a pending SIGCONT", () => {
    const fl = newLab();
    const p = fl.spawn();
    ok(fl, p.pid, "sigprocmask", [SIG_BLOCK, usigset(fl, p.pid, [SIGCONT, 18]), 0]);
    fl.signal(p.pid, 28 /* SIGWINCH */);
    fl.signal(p.pid, SIGCHLD);
    expect(pending(fl, p.pid)).toBe(0n);
    fl.signal(p.pid, SIGCONT);
    expect(pending(fl, p.pid)).toBe(sigbit(SIGCONT));
    fl.signal(p.pid, 18 /* SIGTSTP */);
    expect(pending(fl, p.pid)).toBe(sigbit(18));
    fl.signal(p.pid, SIGCONT);
    expect(pending(fl, p.pid)).toBe(sigbit(SIGCONT));
  });

  it("rfork(RFPROC|RFFDG) from userland takes the group lock as fork does (RFPGLOCK is added by sys_rfork)", () => {
    const fl = newLab();
    const p = fl.spawn();
    fl.signal(p.pid, SIGTERM);
    sys(fl, p.pid, "rfork", [RFPROC | RFFDG]);
    const lp = fl.kernel.lwpsOf(procOf(fl, p.pid))[0];
    expect(lp.lastSyscall).toMatchObject({ error: -1 });
    expect(fl.proc(p.pid).children).toEqual([]);
  });
});
