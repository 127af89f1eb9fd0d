// vfork (sys_vfork + start_forked_proc, kern_fork.c rev 1.76): the parent sleeps in
// "ppwait" on its own proc, without PCATCH or a timeout, until the child execs or exits;
// P_PPWAIT marks the child meanwhile; the two share one vmspace.
import { describe, it, expect } from "vitest";
import { Forklab } from "../../src/index.js";
import type { KernelEvent } from "../../src/kernel/events.js";
import { wakeup } from "../../src/kernel/synch.js";
import {
  P_PPWAIT, VFORK_FLAGS, SIGCONT, ok, kproc, klwp, cstr, done, exitProgram, spinProgram,
} from "./fork-helpers.js";

const MiB = 1 << 20;

/** A bare parent that has just called vfork; the child's pid (from the fork event). */
function vforked(fl: Forklab, uid = 1000): { p: number; c: number } {
  const p = fl.spawn({ uid }).pid;
  let c = -1;
  const off = fl.on("fork", (e) => { if (e.parent === p) c = e.child; });
  const r = fl.syscall(p, "vfork");
  off();
  expect(r).toEqual({ done: false, wmesg: "ppwait" });
  return { p, c };
}

describe("vfork", () => {
  it("the parent sleeps in \"ppwait\" (no timeout) while the child runs; P_PPWAIT is set on the child; both share one vmspace (refcnt 2)", () => {
    const fl = new Forklab({ physBytes: 16 * MiB });
    const events: KernelEvent[] = [];
    fl.on("*", (e) => { if (e.type === "sleep" || e.type === "wakeup" || e.type === "fork") events.push(e); });
    const { p, c } = vforked(fl);
    const fe = events.find((e) => e.type === "fork" && e.parent === p)!;
    expect(fe).toMatchObject({ parent: p, child: c, flags: VFORK_FLAGS });
    expect(events.filter((e) => e.type === "sleep" && e.pid === p)).toEqual([
      { type: "sleep", pid: p, tid: 0, wmesg: "ppwait", timo: 0, tick: 1 },
    ]);
    expect(fl.lwps(p)[0]).toMatchObject({ stat: "LSSLEEP", wmesg: "ppwait", mode: "kernel" });
    expect(fl.proc(c).flags).toContain("P_PPWAIT");
    expect(fl.proc(c).flag & P_PPWAIT).toBe(P_PPWAIT);
    expect(kproc(fl, c).p_vmspace).toBe(kproc(fl, p).p_vmspace);
    expect(fl.proc(p).vmspace!.refcnt).toBe(2);
    expect(klwp(fl, p).wchan).toBe(kproc(fl, p)); // tsleep(lp1->lwp_proc, ...)
    expect(kproc(fl, p).p_lock).toBe(0);          // PRELE'd before the sleep
    // Virtual time passes; the child runs (its first switch-in) and the parent stays asleep.
    fl.run({ ticks: 500 });
    expect(fl.ticks).toBe(501);
    expect(fl.result(p)).toEqual({ done: false, wmesg: "ppwait" });
    expect(fl.lwps(c)[0].mode).toBe("user");
    expect(fl.trapframe(c)).toMatchObject({ eax: 0, edx: 1 });
    expect(fl.proc(c).flags).toContain("P_PPWAIT");
  });

  it("the child's writes land in the parent's memory (the shared vmspace)", () => {
    const fl = new Forklab({ physBytes: 16 * MiB });
    const p = fl.spawn({ uid: 1000 }).pid;
    const va = fl.userAlloc(p, 4096);
    let c = -1;
    fl.on("fork", (e) => { c = e.child; });
    fl.syscall(p, "vfork");
    fl.writeWord(c, va, 0xFEED);
    ok(fl, c, "getpid"); // the child may make syscalls; its arguments go on the shared stack
    expect(fl.readWord(p, va)).toBe(0xFEED);
  });

  it("the child's exit wakes the parent (exit1's wakeup(p_pptr)); vfork then returns the child's pid, edx 0", () => {
    const fl = new Forklab({ physBytes: 16 * MiB });
    const wakeups: KernelEvent<"wakeup">[] = [];
    fl.on("wakeup", (e) => wakeups.push(e));
    const { p, c } = vforked(fl);
    fl.run({ ticks: 20 });
    ok(fl, c, "exit", [9]);
    expect(fl.proc(c).stat).toBe("SZOMB");
    expect(fl.proc(c).flags).not.toContain("P_PPWAIT"); // exit1 clears it
    expect(wakeups.filter((e) => e.pid === p)).toEqual([
      { type: "wakeup", pid: p, tid: 0, wmesg: "ppwait", result: 0, tick: 21 },
    ]);
    expect(fl.result(p)).toEqual({ done: false, wmesg: "" }); // runnable, not yet resumed
    fl.run({ ticks: 1 });
    const r = done(fl.result(p));
    expect(r.errno).toBe("");
    expect(r.rv).toEqual([c, 0]);
    expect(fl.trapframe(p)).toMatchObject({ eax: c, edx: 0 });
    expect(fl.proc(p).vmspace!.refcnt).toBe(1); // the zombie let go of it
    const buf = fl.userAlloc(p, 4);
    expect(ok(fl, p, "wait4", [c, buf, 0, 0])[0]).toBe(c);
    expect(fl.readWord(p, buf)).toBe(9 << 8);
  });

  it("the child's execve wakes the parent and gives the child an address space of its own", () => {
    const fl = new Forklab({ physBytes: 16 * MiB, cpuHz: 1_000_000 }); // a slow CPU: the spinner costs little
    fl.registerProgram("/spin", spinProgram());
    const p = fl.spawn({ uid: 1000 }).pid;
    const path = cstr(fl, p, "/spin"); // in the parent's memory, which the child shares
    let c = -1;
    fl.on("fork", (e) => { c = e.child; });
    expect(fl.syscall(p, "vfork").done).toBe(false);
    const vm = kproc(fl, p).p_vmspace;
    const r = fl.syscall(c, "execve", [path, argvOf(fl, p, path), 0]);
    expect(r.done).toBe(true);
    expect(fl.proc(c).flags).toContain("P_EXEC");
    expect(fl.proc(c).flags).not.toContain("P_PPWAIT");
    expect(kproc(fl, c).p_vmspace).not.toBe(vm);
    expect(kproc(fl, p).p_vmspace).toBe(vm);
    // pmap_replacevm loaded the new page directory for the child's thread.
    expect(fl.kernel.core.pcb(klwp(fl, c).td).cr3).toBe(fl.proc(c).vmspace!.cr3);
    expect(fl.kernel.core.pcb(klwp(fl, p).td).cr3).toBe(fl.proc(p).vmspace!.cr3);
    expect(vm!.vm_refcnt).toBe(1);
    expect(fl.proc(c).acflag & 1).toBe(0); // exec clears AFORK
    fl.run({ ticks: 2 });
    expect(done(fl.result(p)).rv).toEqual([c, 0]);
    expect(fl.proc(c).stat).toBe("SACTIVE"); // still spinning
  });

  it("a vfork child that runs a program to its exit releases the parent through the scheduler", () => {
    const fl = new Forklab({ physBytes: 16 * MiB });
    fl.registerProgram("/exit5", exitProgram(5));
    const p = fl.spawn({ uid: 1000 }).pid;
    const path = cstr(fl, p, "/exit5");
    let c = -1;
    fl.on("fork", (e) => { c = e.child; });
    fl.syscall(p, "vfork");
    fl.syscall(c, "execve", [path, argvOf(fl, p, path), 0]);
    fl.run({ ticks: 5 });
    expect(done(fl.result(p)).rv[0]).toBe(c);
    expect(fl.proc(c).stat).toBe("SZOMB");
    const buf = fl.userAlloc(p, 4);
    ok(fl, p, "wait4", [c, buf, 0, 0]);
    expect(fl.readWord(p, buf)).toBe(5 << 8);
  });

  it("the ppwait sleep has no PCATCH: a signal to the parent does not end it", () => {
    const fl = new Forklab({ physBytes: 16 * MiB });
    const { p, c } = vforked(fl);
    fl.signal(p, SIGCONT);
    fl.signal(p, 15 /* SIGTERM */);
    const exits: number[] = [];
    fl.on("exit", (e) => { if (e.pid === p) exits.push(e.status); });
    fl.run({ ticks: 100 });
    expect(fl.result(p)).toEqual({ done: false, wmesg: "ppwait" });
    expect(exits).toEqual([]);
    ok(fl, c, "exit", [0]);
    fl.run({ ticks: 1 });
    // On the way back to user mode (userret) the pending SIGTERM ends the parent.
    expect(exits).toEqual([15]);
  });

  it("start_forked_proc re-checks P_PPWAIT after every wakeup: an unrelated wakeup(p) puts the parent back to sleep", () => {
    const fl = new Forklab({ physBytes: 16 * MiB });
    const { p, c } = vforked(fl);
    const sleeps: string[] = [];
    fl.on("sleep", (e) => { if (e.pid === p) sleeps.push(e.wmesg); });
    wakeup(fl.kernel, kproc(fl, p)); // e.g. another child's exit: wakeup(p->p_pptr)
    fl.run({ ticks: 1 });
    expect(sleeps).toEqual(["ppwait"]);
    expect(fl.result(p)).toEqual({ done: false, wmesg: "ppwait" });
    ok(fl, c, "exit", [0]);
    fl.run({ ticks: 1 });
    expect(done(fl.result(p)).rv[0]).toBe(c);
  });

  it("fork while a vfork is pending is independent: only the vfork child's P_PPWAIT holds the parent", () => {
    const fl = new Forklab({ physBytes: 16 * MiB });
    const { p, c } = vforked(fl);
    const g = ok(fl, c, "fork")[0]; // the vfork child forks (its own, copied, address space)
    expect(fl.proc(g).flags).not.toContain("P_PPWAIT");
    expect(fl.proc(g).vmspace!.refcnt).toBe(1);
    ok(fl, g, "exit", [0]);
    fl.run({ ticks: 3 });
    expect(fl.result(p)).toEqual({ done: false, wmesg: "ppwait" });
    ok(fl, c, "exit", [0]);
    fl.run({ ticks: 1 });
    expect(done(fl.result(p)).rv[0]).toBe(c);
  });
});

/** A one-element argv { path, NULL } in pid's memory (execve refuses a NULL argv: EFAULT). */
function argvOf(fl: Forklab, pid: number, path: number): number {
  const argv = fl.userAlloc(pid, 8);
  fl.writeWord(pid, argv, path);
  fl.writeWord(pid, argv + 4, 0);
  return argv;
}
