// The process lifecycle around the fork paths, as kern_exit.c 1.90 and kern_exec.c 1.63
// had it (reference §6.11-6.13): exit1, the zombie, wait4's selection rules and reaping,
// reparenting to init, the vfork handshake, and execve.
import { describe, it, expect } from "vitest";
import { Forklab } from "../../src/index.js";
import type { KernelEvent } from "../../src/index.js";
import {
  newLab, sys, ok, sleeps, ustr, uvec, usigset, forkChild, wait4, exitProgram, spinProgram,
  forkWaitProgram, program, SIG_BLOCK, sigbit, TEXT,
} from "./helpers.js";
import {
  WNOHANG, WUNTRACED, WCONTINUED, WLINUXCLONE, W_EXITCODE, SIGCHLD, SIGUSR1, SIGKILL, SIGTERM,
  RFPROC, RFFDG, RFLINUXTHPN, RFNOWAIT, P_PPWAIT, P_EXEC, AFORK, USRSTACK, PAGE_SIZE,
} from "../../src/kernel/param.js";
import { ECHILD, EINVAL, ENOENT, EFAULT, ENOEXEC } from "../../src/kernel/errno.js";
import { Rng } from "../../src/kernel/rng.js";

describe("smoke", () => {
  it("boots with proc0 and init, nprocs 2", () => {
    const fl = newLab();
    expect(fl.sysctl("kern.nprocs")).toBe(2);
    expect(fl.procs().map((p) => p.pid)).toEqual([0, 1]);
    expect(fl.proc(1).comm).toBe("init");
  });
  it("bare fork, exit, wait", () => {
    const fl = newLab();
    const p = fl.spawn({ uid: 1000 });
    const r = fl.syscall(p.pid, "fork");
    expect(r.done).toBe(true);
    if (!r.done) return;
    expect(r.error).toBe(0);
    const child = r.rv[0];
    expect(fl.proc(child).ppid).toBe(p.pid);
    const rc = fl.syscall(child, "getpid");
    expect(rc).toMatchObject({ done: true, rv: [child, p.pid] });
    const e = fl.syscall(child, "exit", [42]);
    expect(e.done).toBe(true);
    expect(fl.proc(child).stat).toBe("SZOMB");
    const buf = fl.userAlloc(p.pid, 4);
    const w = fl.syscall(p.pid, "wait4", [child, buf, 0, 0]);
    expect(w).toMatchObject({ done: true, error: 0, rv: [child, 0] });
    expect(fl.readWord(p.pid, buf)).toBe(42 << 8);
    expect(fl.sysctl("kern.nprocs")).toBe(3);
  });
});

describe("exit1 and wait4 (kern_exit.c 1.90)", () => {
  it("the exit status reaches wait4 as W_EXITCODE(rval, 0) = rval << 8 of the whole int (DragonFly does not mask it to 8 bits)", () => {
    const fl = newLab();
    const p = fl.spawn();
    for (const [st, want] of [[0, 0], [1, 0x100], [42, 42 << 8], [255, 0xff00], [256 + 3, 0x10300], [-1, 0xffffff00]]) {
      const c = forkChild(fl, p.pid);
      sys(fl, c, "exit", [st >>> 0]);
      expect(wait4(fl, p.pid, c)).toMatchObject({ pid: c, status: want, error: 0 });
      expect(want).toBe(W_EXITCODE(st, 0) >>> 0);
    }
    // extexit(EXTEXIT_PROC | EXTEXIT_SETINT, status, addr) stores the status, then exits the same way.
    const c = forkChild(fl, p.pid);
    const addr = fl.userAlloc(c, 4);
    sys(fl, c, "extexit", [1, 300, addr]);
    expect(wait4(fl, p.pid, c)).toMatchObject({ pid: c, status: 300 << 8 });
  });

  it("an exited child is a zombie (SZOMB), still counted in nprocs and its uid's count, until it is reaped", () => {
    const fl = newLab();
    const p = fl.spawn({ uid: 1000 });
    const ui = fl.kernel.uids.uifind(1000);
    const before = fl.sysctl("kern.nprocs");
    const c = forkChild(fl, p.pid);
    expect(fl.sysctl("kern.nprocs")).toBe(before + 1);
    expect(ui.ui_proccnt).toBe(2);
    sys(fl, c, "exit", [5]);
    const z = fl.proc(c);
    expect(z.stat).toBe("SZOMB");
    expect(z.xstat).toBe(5 << 8);
    expect(z.nthreads).toBe(0);
    expect(fl.kernel.procs.zombproc.toArray().map((q) => q.p_pid)).toContain(c);
    expect(fl.kernel.procs.pidhash.has(c)).toBe(false); // pfind no longer finds it
    expect(fl.proc(p.pid).children).toContain(c);
    fl.run({ ticks: 200 }); // nothing reaps it but the parent
    expect(fl.proc(c).stat).toBe("SZOMB");
    expect(fl.sysctl("kern.nprocs")).toBe(before + 1);
    expect(ui.ui_proccnt).toBe(2);
    // Reaping: chgproccnt(-1) and nprocs--.
    expect(wait4(fl, p.pid, -1)).toMatchObject({ pid: c, status: 5 << 8 });
    expect(fl.sysctl("kern.nprocs")).toBe(before);
    expect(ui.ui_proccnt).toBe(1);
    expect(() => fl.proc(c)).toThrow(/no process/);
    expect(fl.proc(p.pid).children).toEqual([]);
  });

  it("WNOHANG: rv 0 when children exist but none is a zombie; ECHILD when there are none", () => {
    const fl = newLab();
    const p = fl.spawn();
    expect(wait4(fl, p.pid, -1, WNOHANG)).toMatchObject({ error: ECHILD });
    const c = forkChild(fl, p.pid);
    expect(wait4(fl, p.pid, -1, WNOHANG)).toMatchObject({ pid: 0, error: 0 });
    expect(wait4(fl, p.pid, c, WNOHANG)).toMatchObject({ pid: 0, error: 0 });
    sys(fl, c, "exit", [9]);
    expect(wait4(fl, p.pid, -1, WNOHANG)).toMatchObject({ pid: c, status: 9 << 8, error: 0 });
    expect(wait4(fl, p.pid, -1, WNOHANG)).toMatchObject({ error: ECHILD });
  });

  it("ECHILD with no children, and on a further wait after every child is reaped", () => {
    const fl = newLab();
    const p = fl.spawn();
    expect(wait4(fl, p.pid, -1)).toMatchObject({ error: ECHILD, errno: "ECHILD" });
    const kids = [forkChild(fl, p.pid), forkChild(fl, p.pid), forkChild(fl, p.pid)];
    for (const c of kids) sys(fl, c, "exit", [0]);
    const got = [wait4(fl, p.pid, -1).pid, wait4(fl, p.pid, -1).pid, wait4(fl, p.pid, -1).pid];
    expect(got.sort()).toEqual([...kids].sort());
    expect(wait4(fl, p.pid, -1)).toMatchObject({ error: ECHILD });
    expect(wait4(fl, p.pid, 0)).toMatchObject({ error: ECHILD });
  });

  it("the first zombie on p_children (newest child first, LIST_INSERT_HEAD) is reaped by WAIT_ANY", () => {
    const fl = newLab();
    const p = fl.spawn();
    const a = forkChild(fl, p.pid), b = forkChild(fl, p.pid), c = forkChild(fl, p.pid);
    expect(fl.proc(p.pid).children).toEqual([c, b, a]);
    for (const x of [a, b, c]) sys(fl, x, "exit", [x & 0x7f]);
    expect(wait4(fl, p.pid, -1).pid).toBe(c);
    expect(wait4(fl, p.pid, -1).pid).toBe(b);
    expect(wait4(fl, p.pid, -1).pid).toBe(a);
  });

  it("pid selection: wait4(pid) reaps only that child; a pid that is not a child gives ECHILD", () => {
    const fl = newLab();
    const p = fl.spawn();
    const other = fl.spawn();
    const a = forkChild(fl, p.pid), b = forkChild(fl, p.pid);
    sys(fl, a, "exit", [1]);
    sys(fl, b, "exit", [2]);
    expect(wait4(fl, p.pid, a)).toMatchObject({ pid: a, status: 1 << 8 });
    expect(wait4(fl, p.pid, a)).toMatchObject({ error: ECHILD }); // already reaped
    expect(wait4(fl, p.pid, other.pid)).toMatchObject({ error: ECHILD }); // not my child
    expect(wait4(fl, p.pid, b)).toMatchObject({ pid: b, status: 2 << 8 });
  });

  it("pgid selection: pid 0 waits for children in my process group, a negative pid for that group", () => {
    const fl = newLab();
    const p = fl.spawn();
    const a = forkChild(fl, p.pid), b = forkChild(fl, p.pid);
    ok(fl, b, "setpgid", [0, 0]); // b leads a group of its own
    expect(fl.proc(b).pgid).toBe(b);
    expect(fl.proc(a).pgid).toBe(p.pid);
    sys(fl, a, "exit", [3]);
    sys(fl, b, "exit", [4]);
    // pid 0 = -(my pgid): only a is in my group.
    expect(wait4(fl, p.pid, 0)).toMatchObject({ pid: a, status: 3 << 8 });
    expect(wait4(fl, p.pid, 0, WNOHANG)).toMatchObject({ error: ECHILD });
    // -b: group b.
    expect(wait4(fl, p.pid, -b)).toMatchObject({ pid: b, status: 4 << 8 });
  });

  it("a child in another group is not waited for by pid 0 (WNOHANG gives ECHILD, not 0)", () => {
    const fl = newLab();
    const p = fl.spawn();
    const b = forkChild(fl, p.pid);
    ok(fl, b, "setpgid", [0, 0]);
    expect(wait4(fl, p.pid, 0, WNOHANG)).toMatchObject({ error: ECHILD });
    expect(wait4(fl, p.pid, -b, WNOHANG)).toMatchObject({ pid: 0, error: 0 });
  });

  it("options outside WUNTRACED|WNOHANG|WCONTINUED|WLINUXCLONE give EINVAL, even with no children", () => {
    const fl = newLab();
    const p = fl.spawn();
    const c = forkChild(fl, p.pid);
    sys(fl, c, "exit", [0]);
    for (const bad of [8, 0x10, 0x100, 0x40000000, WNOHANG | 0x20]) {
      expect(wait4(fl, p.pid, -1, bad)).toMatchObject({ error: EINVAL });
    }
    expect(fl.proc(c).stat).toBe("SZOMB"); // nothing reaped
    expect(wait4(fl, p.pid, -1, WUNTRACED | WCONTINUED)).toMatchObject({ pid: c });
    const q = fl.spawn();
    expect(wait4(fl, q.pid, -1, 0x1000)).toMatchObject({ error: EINVAL });
  });

  it("the WLINUXCLONE rule: RFLINUXTHPN children only with WLINUXCLONE, the others only without", () => {
    const fl = newLab();
    const p = fl.spawn();
    ok(fl, p.pid, "sigprocmask", [SIG_BLOCK, usigset(fl, p.pid, [SIGUSR1]), 0]); // SIGUSR1 would kill p
    const lin = ok(fl, p.pid, "rfork", [RFPROC | RFFDG | RFLINUXTHPN]);
    const nor = forkChild(fl, p.pid);
    expect(fl.proc(lin).sigparent).toBe(SIGUSR1);
    expect(fl.proc(nor).sigparent).toBe(SIGCHLD);
    sys(fl, lin, "exit", [7]);
    sys(fl, nor, "exit", [8]);
    // Without WLINUXCLONE only the ordinary child is seen, and by pid the Linux one is not.
    expect(wait4(fl, p.pid, lin, WNOHANG)).toMatchObject({ error: ECHILD });
    expect(wait4(fl, p.pid, -1)).toMatchObject({ pid: nor, status: 8 << 8 });
    expect(wait4(fl, p.pid, -1, WNOHANG)).toMatchObject({ error: ECHILD });
    // With WLINUXCLONE only the RFLINUXTHPN child.
    expect(wait4(fl, p.pid, -1, WLINUXCLONE)).toMatchObject({ pid: lin, status: 7 << 8 });
    expect(wait4(fl, p.pid, -1, WLINUXCLONE | WNOHANG)).toMatchObject({ error: ECHILD });
  });

  it("WLINUXCLONE does not see ordinary children (WNOHANG with only ordinary children is ECHILD)", () => {
    const fl = newLab();
    const p = fl.spawn();
    const c = forkChild(fl, p.pid);
    expect(wait4(fl, p.pid, -1, WLINUXCLONE | WNOHANG)).toMatchObject({ error: ECHILD });
    sys(fl, c, "exit", [1]);
    expect(wait4(fl, p.pid, -1, WLINUXCLONE)).toMatchObject({ error: ECHILD });
    expect(wait4(fl, p.pid, -1)).toMatchObject({ pid: c });
  });

  it("a blocked wait4 sleeps on its own proc in \"wait\" and the child's exit wakes it (run the clock)", () => {
    const fl = newLab();
    const p = fl.spawn();
    const c = forkChild(fl, p.pid);
    const st = fl.userAlloc(p.pid, 4);
    const r = fl.syscall(p.pid, "wait4", [-1, st, 0, 0]);
    expect(r).toEqual({ done: false, wmesg: "wait" });
    expect(fl.lwps(p.pid)[0]).toMatchObject({ stat: "LSSLEEP", wmesg: "wait" });
    expect(fl.kernel.lwpsOf(fl.kernel.procs.pidhash.get(p.pid)!)[0].wchan).toBe(fl.kernel.procs.pidhash.get(p.pid));
    fl.run({ ticks: 100 });
    expect(fl.result(p.pid)).toEqual({ done: false, wmesg: "wait" }); // nobody has exited
    const wakes: KernelEvent<"wakeup">[] = [];
    fl.on("wakeup", (e) => wakes.push(e));
    sys(fl, c, "exit", [77]);
    expect(wakes).toEqual([expect.objectContaining({ pid: p.pid, wmesg: "wait", result: 0 })]);
    fl.run({ ticks: 1 });
    expect(fl.result(p.pid)).toMatchObject({ done: true, error: 0, rv: [c, 0] });
    expect(fl.readWord(p.pid, st)).toBe(77 << 8);
    expect(() => fl.proc(c)).toThrow(/no process/);
  });

  it("a blocked wait4 is interrupted by an unmasked signal (PCATCH): EINTR for a signal in ps_sigintr, else ERESTART", () => {
    const fl = newLab();
    const sh = fl.spawn();
    const p = forkChild(fl, sh.pid);
    forkChild(fl, p);
    ok(fl, p, "sigprocmask", [SIG_BLOCK, usigset(fl, p, [SIGTERM]), 0]);
    const pp = fl.kernel.procs.pidhash.get(p)!;
    const lp = fl.kernel.lwpsOf(pp)[0];
    expect(sleeps(fl, p, "wait4", [-1, 0, 0, 0])).toBe("wait");
    fl.signal(p, SIGTERM); // blocked: the sleep goes on
    fl.run({ ticks: 5 });
    expect(fl.result(p)).toMatchObject({ done: false });
    // A handler installed without SA_RESTART puts the signal in ps_sigintr: tsleep gives EINTR.
    pp.p_sigacts!.ps_sigintr |= sigbit(31);
    fl.signal(p, 31 /* SIGUSR2 */);
    fl.run({ ticks: 2 });
    expect(lp.lastSyscall).toMatchObject({ error: 4 /* EINTR */ });
    expect(wait4(fl, sh.pid, p)).toMatchObject({ pid: p, status: 31 }); // then SIGUSR2 killed it
  });

  it("exit reparents the exiting process's children to init, which reaps them once they exit", () => {
    const fl = newLab();
    const p = fl.spawn();
    const c = forkChild(fl, p.pid);
    const gc1 = forkChild(fl, c), gc2 = forkChild(fl, c);
    sys(fl, gc1, "exit", [1]); // a zombie when its parent exits
    const reaps: KernelEvent<"reap">[] = [];
    fl.on("reap", (e) => reaps.push(e));
    sys(fl, c, "exit", [0]);
    expect(fl.proc(gc2).ppid).toBe(1);
    expect(fl.proc(gc1).ppid).toBe(1);
    expect(fl.proc(gc2).sigparent).toBe(SIGCHLD);
    expect(fl.proc(1).children.slice(0, 2).sort()).toEqual([gc1, gc2].sort());
    fl.run({ ticks: 10 }); // init runs and reaps the zombie
    expect(() => fl.proc(gc1)).toThrow(/no process/);
    expect(reaps).toContainEqual(expect.objectContaining({ pid: gc1, by: 1, status: 1 << 8 }));
    expect(fl.proc(gc2).stat).toBe("SACTIVE");
    sys(fl, gc2, "exit", [2]);
    fl.run({ ticks: 10 });
    expect(() => fl.proc(gc2)).toThrow(/no process/);
    expect(reaps).toContainEqual(expect.objectContaining({ pid: gc2, by: 1, status: 2 << 8 }));
    // c is the parent's zombie; init never takes it.
    expect(fl.proc(c).stat).toBe("SZOMB");
    expect(wait4(fl, p.pid, c)).toMatchObject({ pid: c, status: 0 });
  });

  it("RFNOWAIT: the child is init's from the start, and init reaps it", () => {
    const fl = newLab();
    const p = fl.spawn();
    const c = ok(fl, p.pid, "rfork", [RFPROC | RFFDG | RFNOWAIT]);
    expect(fl.proc(c).ppid).toBe(1);
    expect(wait4(fl, p.pid, -1)).toMatchObject({ error: ECHILD });
    sys(fl, c, "exit", [0]);
    fl.run({ ticks: 10 });
    expect(() => fl.proc(c)).toThrow(/no process/);
  });

  it("the parent is sent SIGCHLD (p_sigparent); with the default disposition it is discarded (in p_sigignore)", () => {
    const fl = newLab();
    const p = fl.spawn();
    const sigs: KernelEvent<"signal">[] = [];
    fl.on("signal", (e) => sigs.push(e));
    const c = forkChild(fl, p.pid);
    sys(fl, c, "exit", [0]);
    expect(sigs).toEqual([]); // SIGCHLD is ignored by default: never posted
    expect(fl.kernel.procs.pidhash.get(p.pid)!.p_siglist).toBe(0n);
    // A process that catches SIGCHLD (ps_sigignore clear) and blocks it sees it pending.
    const pp = fl.kernel.procs.pidhash.get(p.pid)!;
    pp.p_sigacts!.ps_sigignore &= ~sigbit(SIGCHLD);
    ok(fl, p.pid, "sigprocmask", [SIG_BLOCK, usigset(fl, p.pid, [SIGCHLD]), 0]);
    const c2 = forkChild(fl, p.pid);
    sys(fl, c2, "exit", [0]);
    expect(sigs).toEqual([expect.objectContaining({ pid: p.pid, sig: SIGCHLD, tid: -1 })]);
    expect(pp.p_siglist & sigbit(SIGCHLD)).not.toBe(0n);
  });

  it("an RFLINUXTHPN child's exit sends SIGUSR1 to its parent (which kills it by default)", () => {
    const fl = newLab();
    const p = fl.spawn();
    const q = forkChild(fl, p.pid);
    const lin = ok(fl, q, "rfork", [RFPROC | RFFDG | RFLINUXTHPN]);
    const sigs: KernelEvent<"signal">[] = [];
    fl.on("signal", (e) => sigs.push(e));
    sys(fl, lin, "exit", [0]);
    expect(sigs).toEqual([expect.objectContaining({ pid: q, sig: SIGUSR1 })]);
    fl.run({ ticks: 5 });
    // q was bare and idle in user mode: the signal made it runnable, and SIGUSR1 killed it.
    expect(fl.proc(q).stat).toBe("SZOMB");
    expect(wait4(fl, p.pid, q)).toMatchObject({ pid: q, status: W_EXITCODE(0, SIGUSR1) });
    // lin went to init with SIGCHLD as its parent signal.
    fl.run({ ticks: 5 });
    expect(() => fl.proc(lin)).toThrow(/no process/);
  });

  it("exit clears P_PPWAIT and wakes the vfork parent sleeping in \"ppwait\"", () => {
    const fl = newLab();
    const p = fl.spawn();
    expect(sleeps(fl, p.pid, "vfork")).toBe("ppwait");
    const c = fl.proc(p.pid).children[0];
    expect(fl.proc(c).flags).toContain("P_PPWAIT");
    expect(fl.proc(c).vmspace!.refcnt).toBe(2); // shared with the parent
    fl.run({ ticks: 50 });
    expect(fl.result(p.pid)).toEqual({ done: false, wmesg: "ppwait" });
    sys(fl, c, "exit", [3]);
    expect(fl.proc(c).flag & P_PPWAIT).toBe(0);
    fl.run({ ticks: 1 });
    expect(fl.result(p.pid)).toMatchObject({ done: true, error: 0, rv: [c, 0] });
    expect(fl.proc(p.pid).vmspace!.refcnt).toBe(1);
    expect(wait4(fl, p.pid, c)).toMatchObject({ pid: c, status: 3 << 8 });
  });

  it("a child killed by a signal reports W_EXITCODE(0, sig) (the signal number in the low bits)", () => {
    const fl = newLab();
    const p = fl.spawn();
    const c = forkChild(fl, p.pid);
    fl.signal(c, SIGKILL);
    fl.run({ ticks: 2 });
    expect(wait4(fl, p.pid, c)).toMatchObject({ pid: c, status: SIGKILL });
  });

  it("a program forks, its child exits 42 and the parent's wait4 sees 42 (fork01 end to end)", () => {
    const fl = newLab();
    const exits: KernelEvent<"exit">[] = [];
    fl.on("exit", (e) => exits.push(e));
    const p = fl.spawn({ image: forkWaitProgram("fork01", 42) });
    fl.run({ ticks: 50 });
    const child = exits.find((e) => e.parent === p.pid)!;
    expect(child.status).toBe(42 << 8);
    expect(exits.find((e) => e.pid === p.pid)!.status).toBe(42 << 8);
  });
});

describe("execve (kern_exec.c 1.63)", () => {
  function execArgs(fl: Forklab, pid: number, path: string, argv: string[], envp: string[] = []): number[] {
    return [ustr(fl, pid, path), uvec(fl, pid, argv), uvec(fl, pid, envp)];
  }

  it("a bare process execs a registered program: new address space, P_EXEC, AFORK cleared, v_exec counted; the program runs", () => {
    const fl = newLab();
    fl.registerProgram("/bin/seven", exitProgram("seven", 7));
    const sh = fl.spawn();
    const c = forkChild(fl, sh.pid);
    expect(fl.proc(c).acflag & AFORK).toBe(AFORK);
    const arena = fl.userAlloc(c, 4096);
    fl.writeWord(c, arena, 0x12345678);
    const cr3 = fl.proc(c).vmspace!.cr3;
    const v0 = fl.counters().v_exec;
    const r = sys(fl, c, "execve", execArgs(fl, c, "/bin/seven", ["seven", "a"]));
    expect(r.error).toBe(0);
    const info = fl.proc(c);
    expect(info.flag & P_EXEC).toBe(P_EXEC);
    expect(info.acflag & AFORK).toBe(0);
    expect(info.comm).toBe("seven");
    expect(info.hasProgram).toBe(true);
    expect(info.vmspace!.cr3).toBe(cr3); // not shared: the same vmspace, emptied
    expect(() => fl.readWord(c, arena)).toThrow(/not readable/); // the old mappings are gone
    expect(fl.counters().v_exec).toBe(v0 + 1);
    expect(fl.trapframe(c).eip).toBe(TEXT);
    fl.run({ ticks: 10 });
    expect(wait4(fl, sh.pid, c)).toMatchObject({ pid: c, status: 7 << 8 });
  });

  it("an empty argv becomes { path } (exec_copyin_args), and envv may be NULL", () => {
    const fl = newLab();
    fl.registerProgram("/bin/spin", spinProgram("spin"));
    const sh = fl.spawn();
    const c = forkChild(fl, sh.pid);
    sys(fl, c, "execve", [ustr(fl, c, "/bin/spin"), uvec(fl, c, []), 0]);
    const esp = fl.trapframe(c).esp >>> 0;
    expect(fl.readWord(c, esp)).toBe(1);
    const s = fl.readUser(c, fl.readWord(c, esp + 4), 10);
    expect(new TextDecoder().decode(s.subarray(0, s.indexOf(0)))).toBe("/bin/spin");
    expect(fl.readWord(c, esp + 8)).toBe(0);
    expect(fl.readWord(c, esp + 12)).toBe(0); // no environment
    expect(fl.kernel.procs.pidhash.get(c)!.p_args).toEqual({ ar_ref: 1, ar_args: ["/bin/spin"] });
  });

  it("argc, argv and envp are on the new stack: [esp] = argc, argv[], NULL, envp[], NULL", () => {
    const fl = newLab();
    fl.registerProgram("/bin/spin", spinProgram("spin"));
    const sh = fl.spawn();
    const c = forkChild(fl, sh.pid);
    sys(fl, c, "execve", execArgs(fl, c, "/bin/spin", ["spin", "-x", "hello world"], ["A=1", "B=22"]));
    const esp = fl.trapframe(c).esp >>> 0;
    expect(esp % 16).toBe(0);
    expect(esp).toBeLessThan(USRSTACK);
    expect(esp).toBeGreaterThan(USRSTACK - 2 * PAGE_SIZE);
    const rd = (va: number): string => {
      let s = "";
      for (let a = va; ; a++) { const b = fl.readUser(c, a, 1)[0]; if (!b) return s; s += String.fromCharCode(b); }
    };
    expect(fl.readWord(c, esp)).toBe(3);
    expect([1, 2, 3].map((i) => rd(fl.readWord(c, esp + 4 * i)))).toEqual(["spin", "-x", "hello world"]);
    expect(fl.readWord(c, esp + 16)).toBe(0);
    expect([5, 6].map((i) => rd(fl.readWord(c, esp + 4 * i)))).toEqual(["A=1", "B=22"]);
    expect(fl.readWord(c, esp + 28)).toBe(0);
    // ebx = ps_strings: {argv, argc, envp, envc}
    const ps = fl.trapframe(c).ebx >>> 0;
    expect([0, 1, 2, 3].map((i) => fl.readWord(c, ps + 4 * i))).toEqual([esp + 4, 3, esp + 20, 2]);
    expect(fl.proc(c).vmspace!.ssize).toBe(32); // sgrowsiz >> 12
  });

  it("vfork then execve: the child gets its own vmspace, P_PPWAIT is released with a wakeup and the parent returns", () => {
    const fl = newLab();
    fl.registerProgram("/bin/five", exitProgram("five", 5));
    const sh = fl.spawn();
    const pathp = ustr(fl, sh.pid, "/bin/five");
    const argv = uvec(fl, sh.pid, ["five"]);
    expect(sleeps(fl, sh.pid, "vfork")).toBe("ppwait");
    const c = fl.proc(sh.pid).children[0];
    const shared = fl.proc(sh.pid).vmspace!.cr3;
    expect(fl.proc(c).vmspace!.cr3).toBe(shared);
    const wakes: KernelEvent<"wakeup">[] = [];
    fl.on("wakeup", (e) => wakes.push(e));
    // The child shares the parent's memory, so the parent's strings are readable to it.
    expect(sys(fl, c, "execve", [pathp, argv, 0]).error).toBe(0);
    expect(wakes).toEqual([expect.objectContaining({ pid: sh.pid, wmesg: "ppwait" })]);
    expect(fl.proc(c).flag & P_PPWAIT).toBe(0);
    expect(fl.proc(c).vmspace!.cr3).not.toBe(shared);
    expect(fl.proc(sh.pid).vmspace!.refcnt).toBe(1);
    expect(fl.readWord(sh.pid, argv)).toBe(fl.readWord(sh.pid, argv)); // the parent's memory is intact
    fl.run({ ticks: 10 });
    expect(fl.result(sh.pid)).toMatchObject({ done: true, error: 0, rv: [c, 0] });
    expect(wait4(fl, sh.pid, c)).toMatchObject({ pid: c, status: 5 << 8 });
  });

  it("ENOENT for a missing path, EFAULT for bad pointers (and a NULL argv), EACCES for a file without x bits or a directory, ENOEXEC for no program; the process is unchanged", () => {
    const fl = newLab();
    const sh = fl.spawn();
    const argv = uvec(fl, sh.pid, ["x"]);
    expect(sys(fl, sh.pid, "execve", [ustr(fl, sh.pid, "/bin/nothing"), argv, 0])).toMatchObject({ error: ENOENT, value: -1 });
    expect(sys(fl, sh.pid, "execve", [0x10, argv, 0])).toMatchObject({ error: EFAULT });
    expect(sys(fl, sh.pid, "execve", [0xC0000000, argv, 0])).toMatchObject({ error: EFAULT });
    // The strings are copied in before the lookup: a bad argv is EFAULT even for a missing file.
    expect(sys(fl, sh.pid, "execve", [ustr(fl, sh.pid, "/bin/nothing"), 0x10, 0])).toMatchObject({ error: EFAULT });
    expect(sys(fl, sh.pid, "execve", [ustr(fl, sh.pid, "/bin/nothing"), 0, 0])).toMatchObject({ error: EFAULT });
    expect(sys(fl, sh.pid, "execve", [ustr(fl, sh.pid, "/bin/nothing"), argv, 0x10])).toMatchObject({ error: EFAULT });
    fl.kernel.vfs.create("/data", 0o644);
    expect(sys(fl, sh.pid, "execve", [ustr(fl, sh.pid, "/data"), argv, 0])).toMatchObject({ error: 13 /* EACCES */ });
    expect(sys(fl, sh.pid, "execve", [ustr(fl, sh.pid, "/"), argv, 0])).toMatchObject({ error: 13 });
    fl.kernel.vfs.create("/script", 0o755);
    expect(sys(fl, sh.pid, "execve", [ustr(fl, sh.pid, "/script"), argv, 0])).toMatchObject({ error: ENOEXEC });
    const big = "y".repeat(40000);
    expect(sys(fl, sh.pid, "execve", [ustr(fl, sh.pid, "/script"), uvec(fl, sh.pid, [big]), uvec(fl, sh.pid, [big])]))
      .toMatchObject({ error: 7 /* E2BIG: argv and envv share ARG_MAX */ });
    const info = fl.proc(sh.pid);
    expect(info.flag & P_EXEC).toBe(0);
    expect(info.acflag & AFORK).toBe(AFORK);
    expect(info.hasProgram).toBe(false);
    expect(fl.counters().v_exec).toBe(0);
    expect(fl.trapframe(sh.pid).eflags & 1).toBe(1); // PSL_C: the error return
  });

  it("execve closes close-on-exec descriptors, keeps the others, and unshares a shared descriptor table", () => {
    const fl = newLab();
    fl.registerProgram("/bin/spin", spinProgram("spin"));
    const sh = fl.spawn();
    const fd = ok(fl, sh.pid, "open", [ustr(fl, sh.pid, "/f"), 0x202 /* O_CREAT|O_RDWR */, 0o644]);
    const fd2 = ok(fl, sh.pid, "dup", [fd]);
    const shp = fl.kernel.procs.pidhash.get(sh.pid)!;
    shp.p_fd!.fd_files[fd2].fileflags |= 1; // UF_EXCLOSE (fcntl F_SETFD)
    // rfork without RFFDG: the child shares the table.
    const c = ok(fl, sh.pid, "rfork", [RFPROC]);
    const cp = fl.kernel.procs.pidhash.get(c)!;
    expect(cp.p_fd).toBe(shp.p_fd);
    expect(shp.p_fd!.fd_refcnt).toBe(2);
    expect(sys(fl, c, "execve", [ustr(fl, c, "/bin/spin"), uvec(fl, c, ["spin"]), 0]).error).toBe(0);
    expect(cp.p_fd).not.toBe(shp.p_fd);
    expect(shp.p_fd!.fd_refcnt).toBe(1);
    expect(cp.p_fd!.fd_files[fd].fp).not.toBeNull();
    expect(cp.p_fd!.fd_files[fd2].fp).toBeNull();
    expect(shp.p_fd!.fd_files[fd2].fp).not.toBeNull(); // the parent's table is untouched
  });

  it("execve resets the sigaltstack (LWP_ALTSTACK) and unshares RFSIGSHARE'd sigacts", () => {
    const fl = newLab();
    fl.registerProgram("/bin/spin", spinProgram("spin"));
    const sh = fl.spawn();
    const c = ok(fl, sh.pid, "rfork", [RFPROC | RFFDG | 0x4000 /* RFSIGSHARE */]);
    const shp = fl.kernel.procs.pidhash.get(sh.pid)!, cp = fl.kernel.procs.pidhash.get(c)!;
    expect(cp.p_sigacts).toBe(shp.p_sigacts);
    const lp = fl.kernel.lwpsOf(cp)[0];
    lp.lwp_flag |= 1;
    lp.lwp_sigstk = { ss_sp: 0x1000, ss_size: 8192, ss_flags: 0 };
    expect(sys(fl, c, "execve", [ustr(fl, c, "/bin/spin"), uvec(fl, c, ["spin"]), 0]).error).toBe(0);
    expect(cp.p_sigacts).not.toBe(shp.p_sigacts);
    expect(shp.p_sigacts!.ps_refcnt).toBe(1);
    expect(cp.p_sigacts!.ps_refcnt).toBe(1);
    expect(lp.lwp_flag & 1).toBe(0);
    expect(lp.lwp_sigstk).toEqual({ ss_sp: 0, ss_size: 0, ss_flags: 4 /* SS_DISABLE */ });
  });

  it("a program spawned with an image runs and exits; init reaps it", () => {
    const fl = newLab();
    const exits: KernelEvent<"exit">[] = [];
    fl.on("exit", (e) => exits.push(e));
    const p = fl.spawn({ image: program("two", [0x6a, 0x02, 0x6a, 0x00, 0xb8, 1, 0, 0, 0, 0xcd, 0x80]) });
    fl.run({ ticks: 10 });
    expect(exits).toEqual([expect.objectContaining({ pid: p.pid, status: 2 << 8, parent: 1 })]);
    expect(() => fl.proc(p.pid)).toThrow(/no process/);
  });
});

describe("pid allocation (kern_proc.c 1.42, reference §6.3)", () => {
  /** Forks from pid and has the child exit and be reaped at once; returns the child's pid. */
  function forkReap(fl: Forklab, pid: number): number {
    const c = forkChild(fl, pid);
    sys(fl, c, "exit", [0]);
    wait4(fl, pid, c);
    return c;
  }

  it("pids are handed out in sequence: init 1, then 2, 3, ... (proc0 is 0)", () => {
    const fl = newLab();
    expect(fl.proc(0).comm).toBe("swapper");
    const p = fl.spawn();
    expect(p.pid).toBe(2);
    expect([forkChild(fl, p.pid), forkChild(fl, p.pid), forkReap(fl, p.pid), forkChild(fl, p.pid)]).toEqual([3, 4, 5, 6]);
  });

  it("the pid of a zombie is not handed out until it is reaped", () => {
    const fl = newLab();
    const p = fl.spawn();
    const z = forkChild(fl, p.pid);
    sys(fl, z, "exit", [0]);
    fl.kernel.procs.nextpid = z - 1;
    fl.kernel.procs.pidchecked = 0;
    expect(forkChild(fl, p.pid)).toBe(z + 1);
  });

  it("a pid that is still a live process-group id is skipped", () => {
    const fl = newLab();
    const sh = fl.spawn();
    const a = forkChild(fl, sh.pid);
    ok(fl, a, "setpgid", [0, 0]);      // group a
    const b = forkChild(fl, a);         // b is in group a
    sys(fl, a, "exit", [0]);
    wait4(fl, sh.pid, a);               // pid a is free, group a lives on in b
    expect(fl.proc(b).pgid).toBe(a);
    fl.kernel.procs.nextpid = a - 1;
    fl.kernel.procs.pidchecked = 0;
    expect(forkChild(fl, sh.pid)).toBe(b + 1); // a (a group id) and b (a pid) are skipped
  });

  it("a pid that is still a live session id is skipped", () => {
    const fl = newLab();
    const sh = fl.spawn();
    const a = forkChild(fl, sh.pid);
    expect(ok(fl, a, "setsid")).toBe(a); // session a, group a
    const b = forkChild(fl, a);
    ok(fl, b, "setpgid", [0, 0]);        // b leaves group a (which dies with a) but stays in session a
    sys(fl, a, "exit", [0]);
    wait4(fl, sh.pid, a);
    expect(fl.proc(b)).toMatchObject({ pgid: b, sid: a });
    expect(fl.kernel.pgrps.pgfind(a)).toBeUndefined();
    fl.kernel.procs.nextpid = a - 1;
    fl.kernel.procs.pidchecked = 0;
    expect(forkChild(fl, sh.pid)).toBe(b + 1);
  });

  it("pids run to 99998 and wrap to 100 (never 99999, never below 100), skipping those in use", () => {
    const fl = newLab();
    const sh = fl.spawn();
    fl.kernel.procs.nextpid = 99996;
    expect(forkReap(fl, sh.pid)).toBe(99997);
    const keep = forkChild(fl, sh.pid);
    expect(keep).toBe(99998);
    const low = forkChild(fl, sh.pid);
    expect(low).toBe(100);
    // Wrap again with 100 and 99998 alive: 101 is next.
    fl.kernel.procs.nextpid = 99997;
    expect(forkChild(fl, sh.pid)).toBe(101);
    expect(fl.procs().every((p) => p.pid !== 99999)).toBe(true);
  });

  it("kern.randompid clamps as its sysctl handler does (and so does the option)", () => {
    const fl = newLab();
    const set = (v: number) => { fl.sysctlSet("kern.randompid", v); return fl.sysctl("kern.randompid"); };
    expect([set(-5), set(0), set(1), set(2), set(50), set(99), set(100), set(5000), set(99899), set(99900), set(1 << 30)])
      .toEqual([99899, 0, 0, 100, 100, 100, 100, 5000, 99899, 99899, 99899]);
    expect(newLab({ randompid: 50 }).sysctl("kern.randompid")).toBe(100);
    expect(newLab({ randompid: 1 }).sysctl("kern.randompid")).toBe(0);
  });

  it("randompid: each pid is the last + 1 + karc4random() % randompid, the same for the same seed, different for another", () => {
    const seq = (seed: number): number[] => {
      const fl = newLab({ seed });
      const sh = fl.spawn();
      fl.sysctlSet("kern.randompid", 1000);
      return Array.from({ length: 20 }, () => forkReap(fl, sh.pid));
    };
    const a = seq(7), b = seq(7), c = seq(8);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    // The generator is the kernel's only one (one CPU: the scheduler draws nothing).
    const rng = new Rng(7);
    let last = 2;
    const want = Array.from({ length: 20 }, () => (last = last + 1 + (rng.next() % 1000)));
    expect(a).toEqual(want);
    for (let i = 1; i < a.length; i++) expect(a[i] - a[i - 1]).toBeGreaterThanOrEqual(1);
  });
});

describe("determinism", () => {
  function scenario(seed: number): { hash: string; pids: number[]; ticks: number } {
    const fl = newLab({ seed, ncpus: 3, randompid: 300, trace: true });
    fl.registerProgram("/bin/fw", forkWaitProgram("fw", 9));
    const pids: number[] = [];
    fl.on("fork", (e) => pids.push(e.child));
    const sh = fl.spawn();
    for (let i = 0; i < 3; i++) fl.spawn({ image: forkWaitProgram("fw", i) });
    const c = forkChild(fl, sh.pid);
    sys(fl, c, "execve", [ustr(fl, c, "/bin/fw"), uvec(fl, c, ["fw"]), 0]);
    const v = sleeps(fl, sh.pid, "vfork");
    expect(v).toBe("ppwait");
    const vc = fl.proc(sh.pid).children[0];
    sys(fl, vc, "exit", [1]);
    fl.signal(c, SIGTERM);
    fl.run({ ticks: 200 });
    for (let i = 0; i < 4; i++) wait4(fl, sh.pid, -1, WNOHANG);
    fl.run({ ticks: 10 });
    return { hash: fl.traceHash(), pids, ticks: fl.ticks };
  }

  it("the same seed and calls give the same trace hash, pids and time; another seed another hash", () => {
    const a = scenario(11), b = scenario(11), c = scenario(12);
    expect(a).toEqual(b);
    expect(a.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(c.hash).not.toBe(a.hash);
    expect(c.pids).not.toEqual(a.pids);
  });
});

describe("more of exit1: SA_NOCLDWAIT, RFTHREAD peers, several LWPs, rev 1.76's p_lock copy", () => {
  /** lwp_create in a bare process: a second LWP whose syscalls are driven with {pid, tid}. */
  function lwpCreate(fl: Forklab, pid: number): number {
    const stack = fl.userAlloc(pid, 4096) + 4096;
    const params = fl.userAlloc(pid, 20);
    const tidp = fl.userAlloc(pid, 4);
    [0x08048000, 0, stack, tidp, 0].forEach((w, i) => fl.writeWord(pid, params + 4 * i, w));
    expect(sys(fl, { pid, tid: 0 }, "lwp_create", [params]).error).toBe(0);
    return fl.readWord(pid, tidp);
  }

  it("SA_NOCLDWAIT on SIGCHLD: an exiting child goes to init instead, and a parent waiting with no children left gets ECHILD", () => {
    const fl = newLab();
    const sh = fl.spawn();
    const p = forkChild(fl, sh.pid);
    const act = fl.userAlloc(p, 24);
    fl.writeWord(p, act, 0);          // SIG_DFL
    fl.writeWord(p, act + 4, 0x20);   // SA_NOCLDWAIT
    ok(fl, p, "sigaction", [SIGCHLD, act, 0]);
    const c = forkChild(fl, p);
    expect(sleeps(fl, p, "wait4", [-1, 0, 0, 0])).toBe("wait");
    const reaps: KernelEvent<"reap">[] = [];
    fl.on("reap", (e) => reaps.push(e));
    sys(fl, c, "exit", [5]);
    expect(fl.proc(c).ppid).toBe(1);
    fl.run({ ticks: 5 });
    expect(fl.result(p)).toMatchObject({ done: true, error: ECHILD });
    expect(reaps).toEqual([expect.objectContaining({ pid: c, by: 1, status: 5 << 8 })]);
    // The flag reads back through oact; init may not set it.
    const oact = fl.userAlloc(p, 24);
    ok(fl, p, "sigaction", [SIGCHLD, 0, oact]);
    expect(fl.readWord(p, oact + 4) & 0x20).toBe(0x20);
  });

  it("an RFTHREAD leader's exit kills its peers with SIGKILL and sleeps in \"exit1\" until they have all unlinked", () => {
    const fl = newLab();
    const sh = fl.spawn();
    const leader = forkChild(fl, sh.pid);
    const RFTHREAD = 0x2000;
    const p1 = ok(fl, leader, "rfork", [RFPROC | RFFDG | RFTHREAD]);
    const p2 = ok(fl, leader, "rfork", [RFPROC | RFFDG | RFTHREAD]);
    const lp = fl.kernel.procs.pidhash.get(leader)!;
    expect(lp.p_peers!.p_pid).toBe(p2);
    expect(lp.p_peers!.p_peers!.p_pid).toBe(p1);
    ok(fl, p1, "sigprocmask", [SIG_BLOCK, usigset(fl, p1, [SIGTERM]), 0]); // no help against SIGKILL
    expect(sleeps(fl, leader, "exit", [0])).toBe("exit1");
    fl.run({ ticks: 5 });
    expect(fl.proc(leader).stat).toBe("SZOMB");
    expect(lp.p_peers).toBeNull();
    expect(wait4(fl, sh.pid, leader)).toMatchObject({ status: 0 });
    // The peers were the leader's children: init has them now.
    fl.run({ ticks: 5 });
    expect(() => fl.proc(p1)).toThrow(/no process/);
    expect(() => fl.proc(p2)).toThrow(/no process/);
  });

  it("exit of a process with two LWPs: the other LWP gets SIGKILL, the exit waits for it (\"killlwps\"), the zombie has no threads", () => {
    const fl = newLab();
    const sh = fl.spawn();
    const p = forkChild(fl, sh.pid);
    const tid = lwpCreate(fl, p);
    expect(tid).toBe(1);
    expect(fl.proc(p).nthreads).toBe(2);
    const r = fl.syscall({ pid: p, tid: 0 }, "exit", [6]);
    if (!r.done) { expect(r.wmesg).toBe("killlwps"); fl.run({ ticks: 5 }); }
    const z = fl.proc(p);
    expect(z.stat).toBe("SZOMB");
    expect(z.nthreads).toBe(0);
    expect(z.tids).toEqual([0]); // the master stays in the tree for wait4 to reap
    expect(wait4(fl, sh.pid, p)).toMatchObject({ pid: p, status: 6 << 8 });
  });

  it("extexit(EXTEXIT_LWP) ends only the calling LWP while others remain; from the last one it exits the process", () => {
    const fl = newLab();
    const sh = fl.spawn();
    const p = forkChild(fl, sh.pid);
    const tid = lwpCreate(fl, p);
    const EXTEXIT_LWP = 1 << 16;
    sys(fl, { pid: p, tid }, "extexit", [EXTEXIT_LWP, 0, 0]);
    expect(fl.proc(p)).toMatchObject({ stat: "SACTIVE", nthreads: 1, tids: [0] });
    sys(fl, { pid: p, tid: 0 }, "extexit", [EXTEXIT_LWP, 9, 0]);
    expect(wait4(fl, sh.pid, p)).toMatchObject({ pid: p, status: 9 << 8 });
  });

  it("rev 1.76 copies p_lock into the child (fixed by 2e425d87, Dec 2008): a child forked while another LWP's fork holds the parent (PHOLD) inherits the hold, and its exit never gets past \"reap1\"", () => {
    const fl = newLab();
    const sh = fl.spawn();
    const p = forkChild(fl, sh.pid);
    const tid = lwpCreate(fl, p);
    const forks: KernelEvent<"fork">[] = [];
    fl.on("fork", (e) => forks.push(e));
    fl.kernel.tun.vmSevereFrames = fl.memory().framesFree + 1;
    expect(sleeps(fl, { pid: p, tid: 0 }, "fork")).toBe("vmwait"); // PHOLD(p1): p_lock 1
    expect(fl.proc(p).lock).toBe(1);
    expect(sleeps(fl, { pid: p, tid }, "fork")).toBe("vmwait");     // its bcopy copied p_lock 1
    expect(fl.proc(p).lock).toBe(2);
    fl.kernel.tun.vmSevereFrames = 0;
    fl.run({ ticks: fl.hz + 2 });
    expect(fl.proc(p).lock).toBe(0);
    const byTid = new Map(forks.map((e) => [e.tid, e.child]));
    const clean = byTid.get(0)!, held = byTid.get(tid)!;
    expect(fl.proc(clean).lock).toBe(0);
    expect(fl.proc(held).lock).toBe(1);
    sys(fl, clean, "exit", [0]);
    expect(fl.proc(clean).stat).toBe("SZOMB");
    expect(sleeps(fl, held, "exit", [0])).toBe("reap1");
    fl.run({ ticks: 10 * fl.hz });
    expect(fl.result(held)).toEqual({ done: false, wmesg: "reap1" });
    expect(fl.proc(held).stat).toBe("SACTIVE"); // never becomes a zombie
  });
});

describe("process groups (kern_prot.c)", () => {
  it("setpgid: descendants only (ESRCH otherwise), not after they exec'd (EACCES), not a session leader (EPERM), groups of my session only", () => {
    const fl = newLab();
    fl.registerProgram("/bin/spin", spinProgram("spin"));
    const sh = fl.spawn();
    const a = forkChild(fl, sh.pid), g = forkChild(fl, a);
    ok(fl, sh.pid, "setpgid", [g, 0]);             // a grandchild is an inferior
    expect(fl.proc(g).pgid).toBe(g);
    ok(fl, sh.pid, "setpgid", [a, g]);             // into an existing group of my session
    expect(fl.proc(a).pgid).toBe(g);
    const other = fl.spawn();
    expect(sys(fl, sh.pid, "setpgid", [other.pid, 0]).error).toBe(3);  // ESRCH: not mine
    expect(sys(fl, sh.pid, "setpgid", [a, other.pid]).error).toBe(1);  // EPERM: another session's group
    expect(sys(fl, sh.pid, "setpgid", [0, 0]).error).toBe(1);          // EPERM: I lead my session
    expect(sys(fl, sh.pid, "setpgid", [a, -1 >>> 0]).error).toBe(EINVAL);
    const e = forkChild(fl, sh.pid);
    expect(sys(fl, e, "execve", [ustr(fl, e, "/bin/spin"), uvec(fl, e, ["spin"]), 0]).error).toBe(0);
    expect(sys(fl, sh.pid, "setpgid", [e, 0]).error).toBe(13);         // EACCES: it has exec'd
  });

  it("setsid: EPERM for a group leader; otherwise a new session and group named by the caller", () => {
    const fl = newLab();
    const sh = fl.spawn();
    expect(sys(fl, sh.pid, "setsid").error).toBe(1);
    const c = forkChild(fl, sh.pid);
    expect(ok(fl, c, "setsid")).toBe(c);
    expect(fl.proc(c)).toMatchObject({ pgid: c, sid: c });
    expect(sys(fl, c, "setsid").error).toBe(1);
  });

  it("execve clears P_SUGID when the ids agree and sets the saved uid to the effective uid", () => {
    const fl = newLab();
    fl.registerProgram("/bin/spin", spinProgram("spin"));
    const sh = fl.spawn();
    const c = forkChild(fl, sh.pid);
    ok(fl, c, "setuid", [1000]);
    expect(fl.proc(c).flags).toContain("P_SUGID");
    const gc = forkChild(fl, c);
    expect(fl.proc(gc).flags).toContain("P_SUGID"); // fork1 copies it
    expect(sys(fl, gc, "execve", [ustr(fl, gc, "/bin/spin"), uvec(fl, gc, ["spin"]), 0]).error).toBe(0);
    expect(fl.proc(gc).flags).not.toContain("P_SUGID");
  });
});
