// Job control as the 2008 kernel did it (kern_sig.c proc_stop/tstop/proc_unstop, kern_wait's
// WUNTRACED and WCONTINUED, reference §6.13): a stop signal's default action stops the whole
// process (p_stat SSTOP, every LWP counted in p_nstopped), the parent hears of it when the
// last LWP has stopped, SIGCONT and SIGKILL continue it, and the rules around it: a tty stop
// to an orphaned process group is discarded, a vfork child never stops, init never stops.
import { describe, it, expect } from "vitest";
import type { Forklab, KernelEvent } from "../../src/index.js";
import { newLab, sys, ok, sleeps, usigset, forkChild, wait4, SIG_BLOCK, sigbit } from "./helpers.js";
import {
  SIGSTOP, SIGCONT, SIGCHLD, SIGKILL, SIGTERM, SIGHUP, W_STOPCODE, W_EXITCODE, WUNTRACED, WCONTINUED, WNOHANG,
  LWP_WSTOP, SSTOP,
} from "../../src/kernel/param.js";
import type { Proc } from "../../src/kernel/proc.js";

const SIGTSTP = 18;
const procOf = (fl: Forklab, pid: number): Proc => fl.kernel.procs.pidhash.get(pid)!;
const lab = (): Forklab => newLab({ checkInvariants: true });

/** A parent and a child (bare processes), the parent catching SIGCHLD (so it is posted, not ignored). */
function family(fl: Forklab, nocldstop = false): { parent: number; child: number; chld: KernelEvent<"signal">[] } {
  const parent = fl.spawn().pid;
  const act = fl.userAlloc(parent, 24);
  fl.writeWord(parent, act, 0x1000);           // sa_handler: never run (a bare process runs no code)
  fl.writeWord(parent, act + 4, nocldstop ? 0x8 : 0); // sa_flags: SA_NOCLDSTOP
  ok(fl, parent, "sigaction", [SIGCHLD, act, 0]);
  const child = forkChild(fl, parent);
  const chld: KernelEvent<"signal">[] = [];
  fl.on("signal", (e) => { if (e.pid === parent && e.sig === SIGCHLD) chld.push(e); });
  return { parent, child, chld };
}

describe("job control stops (proc_stop, tstop, proc_unstop)", () => {
  it("SIGSTOP stops a process on its way to user mode; wait4(WUNTRACED) reports W_STOPCODE once; SIGCHLD tells the parent", () => {
    const fl = lab();
    const { parent, child, chld } = family(fl);
    fl.signal(child, SIGSTOP);
    fl.run({ ticks: 2 });
    expect(fl.proc(child).stat).toBe("SSTOP");
    expect(fl.lwps(child)[0]).toMatchObject({ stat: "LSSTOP", wmesg: "stop" });
    expect(procOf(fl, child).p_nstopped).toBe(1);
    expect(chld).toHaveLength(1);
    expect(wait4(fl, parent, -1, 0 | WNOHANG)).toMatchObject({ pid: 0 });      // not without WUNTRACED
    expect(wait4(fl, parent, -1, WUNTRACED)).toMatchObject({ pid: child, status: W_STOPCODE(SIGSTOP) });
    expect(wait4(fl, parent, -1, WUNTRACED | WNOHANG)).toMatchObject({ pid: 0 }); // P_WAITED: reported once
    // A stopped process takes no API syscall: its LWP sleeps in "stop".
    expect(fl.result(child)).toEqual({ done: false, wmesg: "stop" });
  });

  it("SIGCONT continues it: its LWP runs again, wait4(WCONTINUED) reports SIGCONT once; a default SIGCONT is not left pending", () => {
    const fl = lab();
    const { parent, child } = family(fl);
    fl.signal(child, SIGSTOP);
    fl.run({ ticks: 2 });
    fl.signal(child, SIGCONT);
    expect(fl.proc(child).stat).toBe("SACTIVE");
    fl.run({ ticks: 2 });
    expect(fl.lwps(child)[0]).toMatchObject({ stat: "LSRUN", mode: "user", wmesg: "" });
    expect(procOf(fl, child).p_nstopped).toBe(0);
    expect(fl.lwps(child)[0].siglist).toBe(0n);
    expect(wait4(fl, parent, -1, WCONTINUED)).toMatchObject({ pid: child, status: SIGCONT });
    expect(wait4(fl, parent, -1, WCONTINUED | WNOHANG)).toMatchObject({ pid: 0 });
    expect(ok(fl, child, "getpid")).toBe(child); // it makes syscalls again
  });

  it("SA_NOCLDSTOP: the parent is not signalled, but wait4 still reports the stop", () => {
    const fl = lab();
    const { parent, child, chld } = family(fl, true);
    fl.signal(child, SIGSTOP);
    fl.run({ ticks: 2 });
    expect(chld).toEqual([]);
    expect(wait4(fl, parent, child, WUNTRACED)).toMatchObject({ pid: child, status: W_STOPCODE(SIGSTOP) });
  });

  it("a process asleep interruptibly stops where it sleeps (LWP_WSTOP), is reported at once, and sleeps on when continued", () => {
    const fl = lab();
    const { parent, child } = family(fl);
    forkChild(fl, child);
    expect(sleeps(fl, child, "wait4", [-1 >>> 0, 0, 0, 0])).toBe("wait");
    const wakes: KernelEvent<"wakeup">[] = [];
    fl.on("wakeup", (e) => wakes.push(e));
    fl.signal(child, SIGSTOP);
    expect(fl.proc(child).stat).toBe("SSTOP");
    expect(fl.lwps(child)[0]).toMatchObject({ stat: "LSSLEEP", wmesg: "wait" });
    expect(procOf(fl, child).p_nstopped).toBe(1);
    expect(fl.kernel.lwpsOf(procOf(fl, child))[0].lwp_flag & LWP_WSTOP).toBe(LWP_WSTOP);
    expect(wait4(fl, parent, child, WUNTRACED)).toMatchObject({ pid: child, status: W_STOPCODE(SIGSTOP) });
    fl.signal(child, SIGCONT);
    fl.run({ ticks: 3 });
    expect(fl.proc(child).stat).toBe("SACTIVE");
    expect(fl.lwps(child)[0]).toMatchObject({ stat: "LSSLEEP", wmesg: "wait" });
    expect(procOf(fl, child).p_nstopped).toBe(0);
    expect(wakes.filter((e) => e.pid === child)).toEqual([]); // neither the stop nor SIGCONT woke it
  });

  it("a stopped process keeps other signals pending until continued (SIGTERM then kills it); SIGKILL continues it to die", () => {
    const fl = lab();
    const { parent, child } = family(fl);
    fl.signal(child, SIGSTOP);
    fl.run({ ticks: 2 });
    fl.signal(child, SIGTERM);
    fl.run({ ticks: 2 });
    expect(fl.proc(child).stat).toBe("SSTOP");
    expect(fl.lwps(child)[0].siglist | procOf(fl, child).p_siglist).toBe(sigbit(SIGTERM));
    fl.signal(child, SIGCONT);
    fl.run({ ticks: 2 });
    expect(wait4(fl, parent, child)).toMatchObject({ pid: child, status: W_EXITCODE(0, SIGTERM) });

    const c2 = forkChild(fl, parent);
    fl.signal(c2, SIGSTOP);
    fl.run({ ticks: 2 });
    expect(fl.proc(c2).stat).toBe("SSTOP");
    fl.signal(c2, SIGKILL);
    fl.run({ ticks: 2 });
    expect(wait4(fl, parent, c2)).toMatchObject({ pid: c2, status: W_EXITCODE(0, SIGKILL) });
  });

  it("every LWP stops: the parent hears of it only when the last one has (p_nstopped == p_nthreads)", () => {
    const fl = lab();
    const { parent, child, chld } = family(fl);
    // A second LWP asleep in a non-interruptible way would never be counted; one idle in user
    // mode is told and stops in tstop like the first.
    const params = fl.userAlloc(child, 4096);
    const stack = fl.userAlloc(child, 4096);
    for (const [i, v] of [0x08048000, 0, stack + 4000, 0, 0].entries()) fl.writeWord(child, params + 4 * i, v);
    ok(fl, child, "lwp_create", [params]);
    expect(fl.lwps(child)).toHaveLength(2);
    fl.signal(child, SIGSTOP);
    fl.run({ ticks: 3 });
    expect(fl.lwps(child).map((l) => l.stat)).toEqual(["LSSTOP", "LSSTOP"]);
    expect(procOf(fl, child).p_nstopped).toBe(2);
    expect(chld).toHaveLength(1);
    expect(wait4(fl, parent, child, WUNTRACED)).toMatchObject({ status: W_STOPCODE(SIGSTOP) });
    fl.signal(child, SIGCONT);
    fl.run({ ticks: 3 });
    expect(fl.lwps(child).map((l) => l.stat)).toEqual(["LSRUN", "LSRUN"]);
  });
});

describe("who does not stop", () => {
  it("a tty stop (SIGTSTP) to an orphaned process group is discarded; to a group with a parent in another group of the session it stops", () => {
    const fl = lab();
    const { parent, child } = family(fl);
    // An API-spawned process leads its own session, its parent init outside it: orphaned.
    fl.signal(child, SIGTSTP);
    fl.run({ ticks: 2 });
    expect(fl.proc(child).stat).toBe("SACTIVE");
    expect(fl.lwps(child)[0].siglist).toBe(0n);
    // The child in a group of its own: its parent is in the session, in another group.
    ok(fl, child, "setpgid", [0, 0]);
    fl.signal(child, SIGTSTP);
    fl.run({ ticks: 2 });
    expect(fl.proc(child).stat).toBe("SSTOP");
    expect(wait4(fl, parent, child, WUNTRACED)).toMatchObject({ status: W_STOPCODE(SIGTSTP) });
  });

  it("a held tty stop is kept pending (the orphan rule applies to the default action only)", () => {
    const fl = lab();
    const p = fl.spawn().pid;
    ok(fl, p, "sigprocmask", [SIG_BLOCK, usigset(fl, p, [SIGTSTP]), 0]);
    fl.signal(p, SIGTSTP);
    expect(procOf(fl, p).p_siglist).toBe(sigbit(SIGTSTP));
  });

  it("a vfork child (P_PPWAIT) keeps a stop pending and runs on; its parent still waits in ppwait", () => {
    const fl = lab();
    const p = fl.spawn().pid;
    expect(sleeps(fl, p, "vfork")).toBe("ppwait");
    const c = fl.proc(p).children[0];
    fl.signal(c, SIGSTOP);
    fl.run({ ticks: 3 });
    expect(fl.proc(c).stat).toBe("SACTIVE");
    expect(fl.lwps(c)[0].siglist).toBe(sigbit(SIGSTOP));
    expect(ok(fl, c, "getpid")).toBe(c);
    expect(fl.result(p)).toEqual({ done: false, wmesg: "ppwait" });
  });

  it("init takes no default action: a SIGSTOP to pid 1 stops nothing", () => {
    const fl = lab();
    fl.spawn();
    fl.signal(1, SIGSTOP);
    fl.run({ ticks: 2 });
    expect(fl.proc(1).stat).toBe("SACTIVE");
    expect(procOf(fl, 1).p_stat).not.toBe(SSTOP);
  });
});

describe("orphaned process groups (orphanpg)", () => {
  it("when its parent exits, a stopped child in a group of its own gets SIGHUP and SIGCONT, and dies of the SIGHUP", () => {
    const fl = lab();
    const { parent, child } = family(fl);
    ok(fl, child, "setpgid", [0, 0]); // its parent, in another group of the session, keeps it from being orphaned
    fl.signal(child, SIGSTOP);
    fl.run({ ticks: 2 });
    expect(fl.proc(child).stat).toBe("SSTOP");
    const sigs: number[] = [];
    fl.on("signal", (e) => { if (e.pid === child) sigs.push(e.sig); });
    sys(fl, parent, "exit", [0]);
    // SIGHUP waits pending (it is stopped); the default SIGCONT continues it and goes no further.
    expect(sigs).toEqual([SIGHUP]);
    expect(fl.proc(child).stat).toBe("SACTIVE");
    const exits: KernelEvent<"exit">[] = [];
    fl.on("exit", (e) => exits.push(e));
    fl.run({ ticks: 3 });
    expect(exits).toEqual([expect.objectContaining({ pid: child, status: W_EXITCODE(0, SIGHUP), parent: 1 })]);
  });

  it("a group that was orphaned already, or has no stopped member, gets nothing", () => {
    const fl = lab();
    const { parent, child } = family(fl);
    ok(fl, child, "setpgid", [0, 0]);
    const sigs: number[] = [];
    fl.on("signal", (e) => { if (e.pid === child) sigs.push(e.sig); });
    fl.signal(forkChild(fl, parent), SIGSTOP); // something has stopped: exit looks at the groups
    fl.run({ ticks: 2 });
    sys(fl, parent, "exit", [0]); // the child's group is orphaned now, but none of it is stopped
    fl.run({ ticks: 2 });
    expect(sigs).toEqual([]);
    expect(fl.proc(child).stat).toBe("SACTIVE");
  });
});

describe("the checks", () => {
  it("wait4's options: WUNTRACED and WCONTINUED are accepted, anything else is EINVAL", () => {
    const fl = lab();
    const { parent } = family(fl);
    expect(sys(fl, parent, "wait4", [-1 >>> 0, 0, WUNTRACED | WCONTINUED | WNOHANG, 0])).toMatchObject({ error: 0, rv: [0, 0] });
    expect(sys(fl, parent, "wait4", [-1 >>> 0, 0, 8, 0])).toMatchObject({ errno: "EINVAL" });
  });
});
