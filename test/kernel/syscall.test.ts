// The syscall entry and return of trap.c 1.111's syscall2 (reference §3.4): the number
// in eax, the arguments from esp + 4, the return in eax/edx with PSL_C clear, errors in
// eax with PSL_C set, ERESTART backing eip up by tf_err, EJUSTRETURN leaving the frame.
import { describe, it, expect } from "vitest";
import type { Forklab, KernelEvent } from "../../src/index.js";
import { newLab, sys, ok, ustr, uvec, usigset, forkChild, wait4, program, SIG_BLOCK } from "./helpers.js";
import * as E from "../../src/kernel/errno.js";
import { SIGSYS, W_EXITCODE } from "../../src/kernel/param.js";
import { setReturn, syscall2 } from "../../src/kernel/syscall.js";
import { TF_EAX, TF_EDX, TF_EIP, TF_ERR, TF_EFLAGS, TF_ESP, PSL_C } from "../../assembly/i386.js";
import type { Lwp } from "../../src/kernel/proc.js";

const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const lwp = (fl: Forklab, pid: number): Lwp => fl.kernel.lwpsOf(fl.kernel.procs.pidhash.get(pid)!)[0];

/** Runs a program as a child of a bare shell; returns its wait4 status. */
function runProgram(code: number[], ticks = 20): number {
  const fl = newLab();
  fl.registerProgram("/bin/t", program("t", code));
  const sh = fl.spawn();
  const c = forkChild(fl, sh.pid);
  const pathp = ustr(fl, c, "/bin/t");
  expect(sys(fl, c, "execve", [pathp, uvec(fl, c, ["t"]), 0]).error).toBe(0);
  fl.run({ ticks });
  const w = wait4(fl, sh.pid, c, 1 /* WNOHANG */);
  expect(w.pid).toBe(c);
  return w.status;
}

describe("syscall2: entry", () => {
  it("the number comes from eax and the arguments from esp + 4 (the word at esp is the return address slot)", () => {
    // push 9; push 7; mov eax, SYS_exit; int $0x80 -> exit(9): esp -> 7, esp + 4 -> 9
    expect(runProgram([0x6a, 9, 0x6a, 7, 0xb8, ...le32(1), 0xcd, 0x80])).toBe(W_EXITCODE(9, 0));
    // mov eax, SYS_getpid; int $0x80; push eax; push 0; mov eax, SYS_exit; int $0x80 -> exit(pid & 0xff)
    const st = runProgram([0xb8, ...le32(20), 0xcd, 0x80, 0x50, 0x6a, 0, 0xb8, ...le32(1), 0xcd, 0x80]);
    expect(st >> 8).toBe(3); // the shell is 2, the child 3
  });

  it("syscall(0) and __syscall(198) take the real number from the first argument", () => {
    const fl = newLab();
    const p = fl.spawn();
    const ppid = fl.proc(p.pid).ppid;
    expect(sys(fl, p.pid, 0, [20])).toMatchObject({ error: 0, rv: [p.pid, ppid] });
    expect(sys(fl, p.pid, 198, [20, 0])).toMatchObject({ error: 0, rv: [p.pid, ppid] });
    // Arguments follow the code: kill(pid, 0) through syscall(SYS_kill, pid, 0).
    expect(sys(fl, p.pid, 0, [37, p.pid, 0]).error).toBe(0);
    expect(sys(fl, p.pid, 0, [37, 99998, 0]).error).toBe(E.ESRCH);
    // __syscall's code is a quad: the arguments start 8 bytes in.
    expect(sys(fl, p.pid, 198, [37, 0, 99998, 0]).error).toBe(E.ESRCH);
    const c = sys(fl, p.pid, 0, [2]).rv[0]; // fork through syscall(0)
    expect(fl.proc(c).ppid).toBe(p.pid);
  });

  it("arguments that cannot be read (esp points at unmapped memory) give EFAULT", () => {
    const fl = newLab();
    const p = fl.spawn();
    const lp = lwp(fl, p.pid), x = fl.kernel.core.x;
    x.tf_set(lp.td, TF_ESP, 0x1000);
    x.tf_set(lp.td, TF_EAX, 37); // kill: 2 arguments
    syscall2(fl.kernel, lp);
    expect(fl.kernel.resume(lp)).toBe(true);
    expect(x.tf_get(lp.td, TF_EAX)).toBe(E.EFAULT);
    expect(x.tf_get(lp.td, TF_EFLAGS) & PSL_C).toBe(PSL_C);
    // A syscall without arguments reads nothing: getpid works with the same esp.
    x.tf_set(lp.td, TF_EAX, 20);
    syscall2(fl.kernel, lp);
    expect(fl.kernel.resume(lp)).toBe(true);
    expect(x.tf_get(lp.td, TF_EAX)).toBe(p.pid);
    expect(x.tf_get(lp.td, TF_EFLAGS) & PSL_C).toBe(0);
  });

  it("every syscall counts in v_syscall", () => {
    const fl = newLab();
    const p = fl.spawn();
    const v0 = fl.counters().v_syscall;
    for (let i = 0; i < 5; i++) ok(fl, p.pid, "getpid");
    sys(fl, p.pid, 9999);
    expect(fl.counters().v_syscall).toBe(v0 + 6);
  });
});

describe("syscall2: unknown numbers (sys_nosys)", () => {
  it("DragonFly: SIGSYS to the LWP and EINVAL (not FreeBSD 5's / Linux's ENOSYS); the default action kills (status 12)", () => {
    const fl = newLab();
    const sh = fl.spawn();
    const c = forkChild(fl, sh.pid);
    const sigs: KernelEvent<"signal">[] = [];
    fl.on("signal", (e) => sigs.push(e));
    sys(fl, c, 9999);
    expect(sigs).toEqual([expect.objectContaining({ pid: c, tid: 0, sig: SIGSYS })]);
    expect(wait4(fl, sh.pid, c)).toMatchObject({ pid: c, status: SIGSYS });
    // A program making an unknown call dies the same way.
    expect(runProgram([0xb8, ...le32(450), 0xcd, 0x80, 0x6a, 0, 0x6a, 0, 0xb8, ...le32(1), 0xcd, 0x80])).toBe(SIGSYS);
  });

  it("with SIGSYS blocked the call fails with EINVAL (22): eax = 22 and PSL_C set; numbers >= SYS_MAXSYSCALL (500) alike", () => {
    const fl = newLab();
    const p = fl.spawn();
    ok(fl, p.pid, "sigprocmask", [SIG_BLOCK, usigset(fl, p.pid, [SIGSYS]), 0]);
    for (const num of [300, 499, 500, 0x7fffffff, 0xffffffff]) {
      const r = sys(fl, p.pid, num);
      expect(r).toMatchObject({ done: true, error: E.EINVAL, errno: "EINVAL", value: -1 });
      const tf = fl.trapframe(p.pid);
      expect(tf.eax).toBe(22);
      expect(tf.eflags & PSL_C).toBe(PSL_C);
    }
    expect(fl.lwps(p.pid)[0].siglist).not.toBe(0n); // SIGSYS waits, blocked
    // With SIGSYS ignored it is not even posted.
    const act = fl.userAlloc(p.pid, 24);
    fl.writeWord(p.pid, act, 1);
    ok(fl, p.pid, "sigaction", [SIGSYS, act, 0]);
    expect(fl.lwps(p.pid)[0].siglist).toBe(0n);
    expect(sys(fl, p.pid, 300).error).toBe(E.EINVAL);
    expect(fl.lwps(p.pid)[0].siglist).toBe(0n);
    expect(fl.proc(p.pid).stat).toBe("SACTIVE");
  });
});

describe("syscall2: return", () => {
  it("success puts sysmsg_fds in eax/edx and clears PSL_C; an error sets PSL_C with the errno in eax, edx untouched", () => {
    const fl = newLab();
    const p = fl.spawn();
    const x = fl.kernel.core.x, lp = lwp(fl, p.pid);
    expect(sys(fl, p.pid, "wait4", [-1, 0, 0, 0]).error).toBe(E.ECHILD);
    expect(fl.trapframe(p.pid)).toMatchObject({ eax: E.ECHILD });
    expect(fl.trapframe(p.pid).eflags & PSL_C).toBe(PSL_C);
    x.tf_set(lp.td, TF_EDX, 0x5555);
    expect(sys(fl, p.pid, "kill", [99998, 0]).error).toBe(E.ESRCH);
    expect(fl.trapframe(p.pid).edx).toBe(0x5555);
    // getpid returns two values (pid, ppid), getppid one: edx keeps its value (fds[1] = tf_edx).
    ok(fl, p.pid, "getpid");
    expect(fl.trapframe(p.pid)).toMatchObject({ eax: p.pid, edx: 1 });
    expect(fl.trapframe(p.pid).eflags & PSL_C).toBe(0);
    x.tf_set(lp.td, TF_EDX, 0x7777);
    ok(fl, p.pid, "getppid");
    expect(fl.trapframe(p.pid)).toMatchObject({ eax: 1, edx: 0x7777 });
  });

  it("fork: the parent sees eax = child pid, edx = 0; the child (fork_return) eax = 0, edx = 1, PSL_C clear", () => {
    const fl2 = newLab();
    const q = fl2.spawn();
    ok(fl2, q.pid, "sigprocmask", [SIG_BLOCK, usigset(fl2, q.pid, [SIGSYS]), 0]);
    sys(fl2, q.pid, 9999); // an error first, so PSL_C is set in the frame fork copies
    expect(fl2.trapframe(q.pid).eflags & PSL_C).toBe(PSL_C);
    const c = ok(fl2, q.pid, "fork");
    expect(fl2.trapframe(q.pid)).toMatchObject({ eax: c, edx: 0 });
    expect(fl2.trapframe(q.pid).eflags & PSL_C).toBe(0);
    fl2.run({ ticks: 1 }); // the child's first switch-in runs fork_return
    const tf = fl2.trapframe(c);
    expect(tf).toMatchObject({ eax: 0, edx: 1, eip: fl2.trapframe(q.pid).eip, esp: fl2.trapframe(q.pid).esp });
    expect(tf.eflags & PSL_C).toBe(0);
    expect(fl2.lwps(c)[0].mode).toBe("user");
  });

  it("ERESTART backs eip up by tf_err (2 for int $0x80, 7 for the lcall gate) and changes nothing else", () => {
    const fl = newLab();
    const p = fl.spawn();
    const lp = lwp(fl, p.pid), x = fl.kernel.core.x, td = lp.td;
    for (const err of [2, 7]) {
      x.tf_set(td, TF_EIP, 0x08048010);
      x.tf_set(td, TF_ERR, err);
      x.tf_set(td, TF_EAX, 2);
      x.tf_set(td, TF_EDX, 0x1234);
      x.tf_set(td, TF_EFLAGS, 0x202);
      setReturn(fl.kernel, lp, E.ERESTART, { fds: [99, 98] });
      expect(x.tf_get(td, TF_EIP)).toBe(0x08048010 - err);
      expect(x.tf_get(td, TF_EAX)).toBe(2); // the syscall number stays for the re-run
      expect(x.tf_get(td, TF_EDX)).toBe(0x1234);
      expect(x.tf_get(td, TF_EFLAGS)).toBe(0x202);
    }
  });

  it("EJUSTRETURN leaves the frame alone (execve's success: the new image's registers stand)", () => {
    const fl = newLab();
    const p = fl.spawn();
    const lp = lwp(fl, p.pid), x = fl.kernel.core.x, td = lp.td;
    x.tf_set(td, TF_EIP, 0x1000); x.tf_set(td, TF_EAX, 5); x.tf_set(td, TF_EDX, 6); x.tf_set(td, TF_EFLAGS, 0x203);
    setReturn(fl.kernel, lp, E.EJUSTRETURN, { fds: [1, 2] });
    expect([TF_EIP, TF_EAX, TF_EDX, TF_EFLAGS].map((o) => x.tf_get(td, o))).toEqual([0x1000, 5, 6, 0x203]);
    // execve through the syscall: eax/edx are what exec_setregs left, not sysmsg_fds.
    fl.registerProgram("/bin/spin", program("spin", [0xeb, 0xfe]));
    const c = forkChild(fl, p.pid);
    fl.kernel.core.x.tf_set(lwp(fl, c).td, TF_EDX, 0x4444);
    expect(sys(fl, c, "execve", [ustr(fl, c, "/bin/spin"), uvec(fl, c, ["spin"]), 0]).error).toBe(0);
    const tf = fl.trapframe(c);
    expect(tf.eip).toBe(0x08048000);
    expect(tf.eax).toBe(0);
    expect(tf.edx).toBe(0);
    expect(tf.eflags & 0x202).toBe(0x202);
    expect(tf.cs).toBe(0x1f);
    expect(tf.ss).toBe(0x2f);
  });

  it("errno values are DragonFly's (sys/errno.h 1.10)", () => {
    expect({
      EPERM: E.EPERM, ESRCH: E.ESRCH, EINTR: E.EINTR, ECHILD: E.ECHILD, ENOMEM: E.ENOMEM, EFAULT: E.EFAULT,
      EBUSY: E.EBUSY, EINVAL: E.EINVAL, EAGAIN: E.EAGAIN, EWOULDBLOCK: E.EWOULDBLOCK, EALREADY: E.EALREADY,
      ENOSYS: E.ENOSYS, ENOEXEC: E.ENOEXEC, ENOENT: E.ENOENT, E2BIG: E.E2BIG, EASYNC: E.EASYNC,
      ERESTART: E.ERESTART, EJUSTRETURN: E.EJUSTRETURN, ENOIOCTL: E.ENOIOCTL,
    }).toEqual({
      EPERM: 1, ESRCH: 3, EINTR: 4, ECHILD: 10, ENOMEM: 12, EFAULT: 14, EBUSY: 16, EINVAL: 22, EAGAIN: 35,
      EWOULDBLOCK: 35, EALREADY: 37, ENOSYS: 78, ENOEXEC: 8, ENOENT: 2, E2BIG: 7, EASYNC: 99,
      ERESTART: -1, EJUSTRETURN: -2, ENOIOCTL: -3,
    });
  });

  it("errors reach user mode as those numbers: ECHILD, EFAULT, EINVAL, ESRCH, EPERM, EBADF, ENOENT", () => {
    const fl = newLab();
    const p = fl.spawn({ uid: 1000 });
    const seen: Record<string, number> = {};
    const e = (name: string, code: string, args: number[]) => {
      const r = sys(fl, p.pid, code, args);
      seen[name] = r.error;
      expect(fl.trapframe(p.pid).eax).toBe(r.error);
      expect(fl.trapframe(p.pid).eflags & PSL_C).toBe(PSL_C);
    };
    e("ECHILD", "wait4", [-1, 0, 0, 0]);
    const c = forkChild(fl, p.pid);
    sys(fl, c, "exit", [0]);
    e("EFAULT", "wait4", [-1, 0x10, 0, 0]); // status pointer unmapped (the child is reaped all the same)
    e("EINVAL", "wait4", [-1, 0, 0x100, 0]);
    e("ESRCH", "kill", [99998, 0]);
    e("EPERM", "kill", [1, 0]);
    e("EBADF", "close", [77]);
    e("ENOENT", "open", [ustr(fl, p.pid, "/nope"), 0, 0]);
    expect(seen).toEqual({ ECHILD: 10, EFAULT: 14, EINVAL: 22, ESRCH: 3, EPERM: 1, EBADF: 9, ENOENT: 2 });
  });
});

describe("syscall2: one context per LWP, reused (nothing allocated per syscall)", () => {
  it("an LWP's context serves every syscall; the arguments of a longer call do not reach a shorter one's handler", () => {
    const fl = newLab();
    const p = fl.spawn();
    const lp = lwp(fl, p.pid);
    ok(fl, p.pid, "getpid");
    const ctx = lp.sysctx!;
    // wait4 with four arguments (ECHILD: no child), then kill with two: kill(pid, 0) probes.
    expect(sys(fl, p.pid, "wait4", [-1, 0, 0, 0]).error).toBe(E.ECHILD);
    expect(sys(fl, p.pid, "kill", [p.pid, 0]).error).toBe(0);
    expect(sys(fl, p.pid, "kill", [p.pid, 200]).error).toBe(E.EINVAL); // above _SIG_MAXSIG (128)
    expect(lp.sysctx).toBe(ctx);
    expect(ctx.tf).toBe(fl.kernel.core.tfAddr(lp.td));
  });

  it("a result handed out keeps its values when the LWP makes its next syscall", () => {
    const fl = newLab();
    const p = fl.spawn();
    const r1 = sys(fl, p.pid, "getpid");
    const r2 = sys(fl, p.pid, "getppid");
    expect(r1.rv[0]).toBe(p.pid);
    expect(r2.rv[0]).toBe(p.ppid);
    expect(r1.rv).not.toBe(r2.rv);
  });

  it("a disposed LWP's context goes to the next LWP's first syscall, with that thread's trapframe", () => {
    const fl = newLab();
    const p = fl.spawn();
    const c1 = forkChild(fl, p.pid);
    ok(fl, c1, "getpid");
    const ctx = lwp(fl, c1).sysctx!;
    sys(fl, c1, "exit", [0]);
    expect(wait4(fl, p.pid, c1, 0).pid).toBe(c1); // reaped: lwp_dispose
    const c2 = forkChild(fl, p.pid);
    expect(sys(fl, c2, "getpid").rv[0]).toBe(c2);
    const lp2 = lwp(fl, c2);
    expect(lp2.sysctx).toBe(ctx);
    expect(ctx.tf).toBe(fl.kernel.core.tfAddr(lp2.td));
  });
});
