// Signal delivery in bare processes (driven through the API), against DragonFly 2008
// (kern_sig.c 1.89, machdep.c 1.131; reference §4): lwpsignal's choice of LWP and the
// discarded default SIGCONT (issue 7, fidelity defect 11), sigaction's flags and oact,
// sigreturn's checks, sigsuspend, sigaltstack, and what fork and exec do to it all.
import { describe, it, expect } from "vitest";
import type { Forklab } from "../../src/index.js";
import {
  newLab, sys, ok, sleeps, usigset, forkChild, wait4, uvec, ustr, SIG_BLOCK, sigbit, program, TEXT,
} from "./helpers.js";
import { klwp, kproc } from "./fork-helpers.js";
import {
  SIGCONT, SIGUSR1, SIGUSR2, SIGCHLD, SIGKILL, SIGBUS, SIGTERM, W_EXITCODE,
} from "../../src/kernel/param.js";
import { EINVAL, EINTR, ENOMEM, EFAULT } from "../../src/kernel/errno.js";
import { SIGCODE_VA, SIGFRAME_SIZE } from "../../src/kernel/sendsig.js";
import { installBundled } from "../../src/user/programs.js";
import { setrunqueue } from "../../src/kernel/sched.js";

const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const SA_ONSTACK = 0x1, SA_RESTART = 0x2, SA_RESETHAND = 0x4, SA_NODEFER = 0x10, SA_SIGINFO = 0x40;
const SS_ONSTACK = 1, SS_DISABLE = 4;
const HANDLER = 0x08049000;

/** sigaction(sig, {handler, flags, mask}) in pid (tid 0 unless given). */
function sigaction(fl: Forklab, pid: number, sig: number, handler: number, flags = 0, mask: number[] = []): void {
  const me = { pid, tid: klwp(fl, pid, 0).lwp_tid };
  const act = fl.userAlloc(pid, 24);
  fl.writeWord(pid, act, handler);
  fl.writeWord(pid, act + 4, flags);
  for (const s of mask) {
    const w = act + 8 + 4 * Math.floor((s - 1) / 32);
    fl.writeWord(pid, w, (fl.readWord(pid, w) | (1 << ((s - 1) % 32))) >>> 0);
  }
  ok(fl, me, "sigaction", [sig, act, 0]);
}

/** The 2008 i386 frame sendsig left at the LWP's esp: its fields. */
function frameAt(fl: Forklab, pid: number, tid = 0) {
  const tf = fl.trapframe({ pid, tid });
  const sfp = tf.esp;
  const uc = sfp + 20;
  return {
    tf, sfp, uc,
    signum: fl.readWord(pid, sfp), handler: fl.readWord(pid, sfp + 16),
    savedMask: fl.readWord(pid, uc), savedEip: fl.readWord(pid, uc + 16 + 4 + 60),
    savedEsp: fl.readWord(pid, uc + 16 + 4 + 72), onstack: fl.readWord(pid, uc + 16),
  };
}

const mask0 = (fl: Forklab, pid: number, tid = 0): bigint => klwp(fl, pid, tid).lwp_sigmask;

describe("lwpsignal puts a process signal on one LWP's lwp_siglist (issue 7 #11)", () => {
  it("a signal a process sends itself goes to the sending LWP (find_lwp_for_signal prefers curthread), not to p_siglist", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    sigaction(fl, p, SIGUSR1, HANDLER);
    const esp = fl.trapframe(p).esp;
    ok(fl, p, "kill", [p, SIGUSR1]);
    // Delivered at the kill's own return to user mode: the frame is below the old esp.
    expect(fl.trapframe(p).esp).toBe(esp - SIGFRAME_SIZE);
    expect(fl.trapframe(p).eip).toBe(SIGCODE_VA);
    expect(kproc(fl, p).p_siglist).toBe(0n);
  });

  it("from outside, with two LWPs that do not mask it, the signal lands on the last runnable one (tid 1): a fork from tid 0 then succeeds", () => {
    const fl = newLab();
    const p = forkChild(fl, fl.spawn().pid);
    const stack = fl.userAlloc(p, 4096) + 4096, params = fl.userAlloc(p, 20);
    [0x08048000, 0, stack, 0, 0].forEach((w, i) => fl.writeWord(p, params + 4 * i, w));
    ok(fl, { pid: p, tid: 0 }, "lwp_create", [params]);
    fl.signal(p, SIGUSR1);
    expect(kproc(fl, p).p_siglist).toBe(0n);
    expect(klwp(fl, p, 0).lwp_siglist).toBe(0n);
    expect(klwp(fl, p, 1).lwp_siglist).toBe(sigbit(SIGUSR1));
    // Before, the signal sat on p_siglist: CURSIGNB made tid 0's fork restart, and its
    // userret took the default action, waiting in "killlwps" for tid 1.
    const r = fl.syscall({ pid: p, tid: 0 }, "fork");
    expect(r).toMatchObject({ done: true, error: 0 });
    // tid 1 takes its signal when it next runs: SIGUSR1's default action ends the process.
    const exits: number[] = [];
    fl.on("exit", (e) => { if (e.pid === p) exits.push(e.status); });
    fl.run({ ticks: 5 });
    expect(exits).toEqual([SIGUSR1]);
  });

  it("an LWP that masks the signal is passed over; when every LWP masks it, it waits on p_siglist", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    const stack = fl.userAlloc(p, 4096) + 4096, params = fl.userAlloc(p, 20);
    [0x08048000, 0, stack, 0, 0].forEach((w, i) => fl.writeWord(p, params + 4 * i, w));
    ok(fl, { pid: p, tid: 0 }, "lwp_create", [params]);
    ok(fl, { pid: p, tid: 1 }, "sigprocmask", [SIG_BLOCK, usigset(fl, p, [SIGUSR2]), 0]);
    sigaction(fl, p, SIGUSR2, HANDLER);
    fl.signal(p, SIGUSR2);
    expect(klwp(fl, p, 0).lwp_siglist).toBe(sigbit(SIGUSR2));
    expect(klwp(fl, p, 1).lwp_siglist).toBe(0n);
    ok(fl, { pid: p, tid: 0 }, "sigprocmask", [SIG_BLOCK, usigset(fl, p, [SIGUSR1]), 0]);
    ok(fl, { pid: p, tid: 1 }, "sigprocmask", [SIG_BLOCK, usigset(fl, p, [SIGUSR1]), 0]);
    fl.signal(p, SIGUSR1);
    expect(kproc(fl, p).p_siglist).toBe(sigbit(SIGUSR1));
  });

  it("a process asleep in wait4 is not woken by a signal that lands on its other, running LWP", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    forkChild(fl, p);
    const stack = fl.userAlloc(p, 4096) + 4096, params = fl.userAlloc(p, 20);
    [0x08048000, 0, stack, 0, 0].forEach((w, i) => fl.writeWord(p, params + 4 * i, w));
    ok(fl, { pid: p, tid: 0 }, "lwp_create", [params]);
    sigaction(fl, p, SIGUSR1, HANDLER);
    expect(sleeps(fl, { pid: p, tid: 0 }, "wait4", [-1, 0, 0, 0])).toBe("wait");
    fl.signal(p, SIGUSR1);
    expect(klwp(fl, p, 1).lwp_siglist).toBe(sigbit(SIGUSR1));
    fl.run({ ticks: 2 });
    expect(fl.result({ pid: p, tid: 0 })).toEqual({ done: false, wmesg: "wait" });
  });

  it("kill(pid, SIGCONT) to an active process whose action is the default is discarded: nothing pending, and a fork goes through", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    ok(fl, fl.spawn().pid, "kill", [p, SIGCONT]);
    expect(kproc(fl, p).p_siglist | klwp(fl, p).lwp_siglist).toBe(0n);
    // Before, SIGCONT stayed pending and fork returned ERESTART.
    expect(sys(fl, p, "fork")).toMatchObject({ error: 0 });
  });

  it("a caught SIGCONT is posted and its handler is entered", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    sigaction(fl, p, SIGCONT, HANDLER);
    fl.signal(p, SIGCONT);
    fl.run({ ticks: 1 });
    expect(frameAt(fl, p).signum).toBe(SIGCONT);
  });
});

describe("SIGCHLD handlers", () => {
  it("a child's exit runs the parent's SIGCHLD handler (code 0), after which wait4 reaps it", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    sigaction(fl, p, SIGCHLD, HANDLER);
    const c = forkChild(fl, p);
    ok(fl, c, "exit", [3]);
    fl.run({ ticks: 2 });
    const f = frameAt(fl, p);
    expect([f.signum, f.handler, fl.readWord(p, f.sfp + 4)]).toEqual([SIGCHLD, HANDLER, 0]);
    sys(fl, p, "sigreturn", [f.uc]);
    expect(wait4(fl, p, c)).toMatchObject({ pid: c, status: 3 << 8 });
  });

  it("with SA_NOCLDWAIT the child goes to init: no SIGCHLD for the parent, and wait4 finds no child", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    sigaction(fl, p, SIGCHLD, HANDLER, 0x20 /* SA_NOCLDWAIT */);
    const c = forkChild(fl, p);
    const esp = fl.trapframe(p).esp;
    ok(fl, c, "exit", [3]);
    fl.run({ ticks: 2 });
    expect(fl.trapframe(p).esp).toBe(esp); // no frame was built
    expect(wait4(fl, p, -1)).toMatchObject({ errno: "ECHILD" });
  });
});

describe("sigaction with handlers (kern_sigaction)", () => {
  it("oact reports the handler, sa_mask and every flag, SA_RESTART when the signal is not in ps_sigintr", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    const flags = SA_ONSTACK | SA_RESTART | SA_RESETHAND | SA_NODEFER | SA_SIGINFO;
    sigaction(fl, p, SIGUSR1, HANDLER, flags, [SIGUSR2, SIGKILL, 100]);
    const oact = fl.userAlloc(p, 24);
    ok(fl, p, "sigaction", [SIGUSR1, 0, oact]);
    expect([0, 1, 2, 3, 4, 5].map((i) => fl.readWord(p, oact + 4 * i))).toEqual([
      HANDLER, flags, (1 << (SIGUSR2 - 1)) >>> 0, 0, 0, 1 << ((100 - 1) % 32), // KILL dropped from the mask
    ]);
    // A signal never set with sigaction restarts (SA_RESTART reported).
    ok(fl, p, "sigaction", [SIGUSR2, 0, oact]);
    expect(fl.readWord(p, oact + 4)).toBe(SA_RESTART);
  });

  it("signals 1..128 are accepted (_SIG_MAXSIG); 0 and 129 are EINVAL; KILL and STOP take only SIG_DFL", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    sigaction(fl, p, 128, HANDLER);
    const act = fl.userAlloc(p, 24);
    fl.writeWord(p, act, HANDLER);
    expect(sys(fl, p, "sigaction", [0, act, 0]).error).toBe(EINVAL);
    expect(sys(fl, p, "sigaction", [129, act, 0]).error).toBe(EINVAL);
    expect(sys(fl, p, "sigaction", [SIGKILL, act, 0]).error).toBe(EINVAL);
    expect(sys(fl, p, "sigaction", [17, act, 0]).error).toBe(EINVAL);
    expect(sys(fl, p, "sigaction", [SIGUSR1, 0xFFFFF000, 0]).error).toBe(EFAULT);
  });

  it("kill takes signals up to 128: one above NSIG has no properties, so its default action terminates", () => {
    const fl = newLab();
    const sh = fl.spawn().pid;
    const c = forkChild(fl, sh);
    ok(fl, sh, "kill", [c, 100]);
    fl.run({ ticks: 2 });
    expect(wait4(fl, sh, c)).toMatchObject({ pid: c, status: 100 });
    expect(sys(fl, sh, "kill", [sh, 129]).error).toBe(EINVAL);
  });

  it("the lowest unmasked pending signal is delivered first; several caught ones build nested frames at one return", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    sigaction(fl, p, SIGUSR1, HANDLER);
    sigaction(fl, p, SIGUSR2, HANDLER + 16);
    ok(fl, p, "sigprocmask", [SIG_BLOCK, usigset(fl, p, [SIGUSR1, SIGUSR2]), 0]);
    fl.signal(p, SIGUSR2);
    fl.signal(p, SIGUSR1);
    const esp = fl.trapframe(p).esp;
    ok(fl, p, "sigprocmask", [3 /* SIG_SETMASK */, usigset(fl, p, []), 0]);
    // SIGUSR1 first (its frame just below esp), then SIGUSR2 on top: its handler runs first.
    const top = frameAt(fl, p);
    expect(top.signum).toBe(SIGUSR2);
    expect(top.sfp).toBe(esp - 2 * SIGFRAME_SIZE);
    expect(top.savedEip).toBe(SIGCODE_VA); // it returns into SIGUSR1's handler's trampoline
    expect(fl.readWord(p, esp - SIGFRAME_SIZE)).toBe(SIGUSR1);
    expect(mask0(fl, p)).toBe(sigbit(SIGUSR1) | sigbit(SIGUSR2));
    expect(kproc(fl, p).p_sigacts!.ps_sigact[SIGUSR1]).toBe(HANDLER);
    expect(klwp(fl, p).lwp_ru.ru_nsignals).toBe(2);
  });
});

describe("sys_sigreturn checks the context as machdep.c does", () => {
  function caught(fl: Forklab) {
    const p = fl.spawn().pid;
    sigaction(fl, p, SIGUSR1, HANDLER);
    const before = fl.trapframe(p);
    ok(fl, p, "kill", [p, SIGUSR1]);
    return { p, before, f: frameAt(fl, p) };
  }

  it("a good context: EJUSTRETURN, every register, the mask and the stack as they were before the signal", () => {
    const fl = newLab();
    const { p, before, f } = caught(fl);
    expect(mask0(fl, p)).toBe(sigbit(SIGUSR1));
    sys(fl, p, "sigreturn", [f.uc]);
    const after = fl.trapframe(p);
    expect(after.eip).toBe(before.eip);
    expect(after.esp).toBe(before.esp);
    expect(after.eax).toBe(0); // kill's result, saved in the frame
    expect(mask0(fl, p)).toBe(0n);
  });

  it("eflags that differ outside PSL_USERCHANGE (here IOPL) are EINVAL, nothing restored; a changed carry is accepted", () => {
    const fl = newLab();
    const { p, f } = caught(fl);
    const ef = f.uc + 16 + 4 + 68;
    const good = fl.readWord(p, ef);
    fl.writeWord(p, ef, good | 0x3000);
    expect(sys(fl, p, "sigreturn", [f.uc])).toMatchObject({ error: EINVAL });
    expect(fl.trapframe(p).eip).toBe(SIGCODE_VA); // nothing restored (the API's syscall leaves eip)
    expect(mask0(fl, p)).toBe(sigbit(SIGUSR1));
    fl.writeWord(p, ef, good | 1 /* PSL_C */);
    sys(fl, p, "sigreturn", [f.uc]);
    expect(fl.trapframe(p).eflags & 1).toBe(1);
  });

  it("a %cs without RPL 3 is EINVAL and raises SIGBUS (T_PROTFLT), which kills by default", () => {
    const fl = newLab();
    const sh = fl.spawn().pid;
    const p = forkChild(fl, sh);
    sigaction(fl, p, SIGUSR1, HANDLER);
    ok(fl, p, "kill", [p, SIGUSR1]);
    const f = frameAt(fl, p);
    fl.writeWord(p, f.uc + 16 + 4 + 64, 0x08);
    const r = fl.syscall(p, "sigreturn", [f.uc]);
    expect(r.done).toBe(true);
    fl.run({ ticks: 2 });
    expect(wait4(fl, sh, p)).toMatchObject({ pid: p, status: SIGBUS });
  });

  it("an unreadable context is EFAULT", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    expect(sys(fl, p, "sigreturn", [0x1000]).error).toBe(EFAULT);
  });
});

describe("sigsuspend and sigaltstack", () => {
  it("sigsuspend sleeps in \"pause\" under the new mask; the caught signal ends it with EINTR and the frame restores the old mask", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    sigaction(fl, p, SIGUSR1, HANDLER, SA_RESTART);
    ok(fl, p, "sigprocmask", [SIG_BLOCK, usigset(fl, p, [SIGUSR1, SIGUSR2]), 0]);
    expect(sleeps(fl, p, "sigsuspend", [usigset(fl, p, [SIGUSR2])])).toBe("pause");
    fl.signal(p, SIGUSR2); // masked during the suspend: it stays asleep
    fl.run({ ticks: 2 });
    expect(fl.result(p)).toEqual({ done: false, wmesg: "pause" });
    fl.signal(p, SIGUSR1);
    fl.run({ ticks: 2 });
    expect(fl.result(p)).toMatchObject({ done: true, error: EINTR }); // never restarted, SA_RESTART or not
    const f = frameAt(fl, p);
    expect(f.signum).toBe(SIGUSR1);
    expect(BigInt(f.savedMask)).toBe(sigbit(SIGUSR1) | sigbit(SIGUSR2)); // the mask before sigsuspend
    expect(mask0(fl, p)).toBe(sigbit(SIGUSR1) | sigbit(SIGUSR2));
    sys(fl, p, "sigreturn", [f.uc]);
    expect(mask0(fl, p)).toBe(sigbit(SIGUSR1) | sigbit(SIGUSR2));
    expect(fl.trapframe(p).eax).toBe(EINTR);
  });

  it("SA_ONSTACK with an alternate stack: the frame is at ss_sp + ss_size - 820, SS_ONSTACK while on it (disabling it then is EINVAL), sigreturn clears it", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    const alt = fl.userAlloc(p, 16384);
    const ss = fl.userAlloc(p, 12), oss = fl.userAlloc(p, 12);
    [alt, 8191, 0].forEach((w, i) => fl.writeWord(p, ss + 4 * i, w));
    expect(sys(fl, p, "sigaltstack", [ss, 0]).error).toBe(ENOMEM);
    [alt, 16384, 0].forEach((w, i) => fl.writeWord(p, ss + 4 * i, w));
    ok(fl, p, "sigaltstack", [ss, oss]);
    expect(fl.readWord(p, oss + 8)).toBe(SS_DISABLE); // none was enabled
    sigaction(fl, p, SIGUSR1, HANDLER, SA_ONSTACK);
    ok(fl, p, "kill", [p, SIGUSR1]);
    const f = frameAt(fl, p);
    expect(f.sfp).toBe(alt + 16384 - SIGFRAME_SIZE);
    expect(f.onstack).toBe(0);
    ok(fl, p, "sigaltstack", [0, oss]);
    expect(fl.readWord(p, oss + 8)).toBe(SS_ONSTACK);
    fl.writeWord(p, ss + 8, SS_DISABLE);
    expect(sys(fl, p, "sigaltstack", [ss, 0]).error).toBe(EINVAL);
    sys(fl, p, "sigreturn", [f.uc]);
    ok(fl, p, "sigaltstack", [0, oss]);
    expect(fl.readWord(p, oss + 8)).toBe(0);
    ok(fl, p, "sigaltstack", [ss, 0]); // disabling is allowed now
  });
});

describe("what fork and exec do to signal state (kern_fork.c 1.76, execsigs)", () => {
  it("fork copies handlers, flags, masks and the alternate stack; RFSIGSHARE shares them", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    sigaction(fl, p, SIGUSR1, HANDLER, SA_SIGINFO, [SIGUSR2]);
    ok(fl, p, "sigprocmask", [SIG_BLOCK, usigset(fl, p, [SIGTERM]), 0]);
    const c = forkChild(fl, p);
    const cps = kproc(fl, c).p_sigacts!, pps = kproc(fl, p).p_sigacts!;
    expect(cps).not.toBe(pps);
    expect(cps.ps_sigact[SIGUSR1]).toBe(HANDLER);
    expect(cps.ps_catchmask[SIGUSR1]).toBe(sigbit(SIGUSR2));
    expect(cps.ps_siginfo).toBe(sigbit(SIGUSR1));
    expect(mask0(fl, c)).toBe(sigbit(SIGTERM));
    sigaction(fl, p, SIGUSR1, HANDLER + 4);
    expect(cps.ps_sigact[SIGUSR1]).toBe(HANDLER); // a copy: later changes do not cross
  });

  it("execve: caught signals go back to SIG_DFL, a caught default-ignored one becomes ignored and its pending bit goes; ignored stay ignored; the mask is kept; the alternate stack is disabled", () => {
    const fl = newLab();
    installBundled(fl);
    const p = fl.spawn().pid;
    sigaction(fl, p, SIGUSR1, HANDLER);
    sigaction(fl, p, SIGUSR2, 1 /* SIG_IGN */);
    sigaction(fl, p, SIGCHLD, HANDLER);
    ok(fl, p, "sigprocmask", [SIG_BLOCK, usigset(fl, p, [SIGCHLD, SIGTERM]), 0]);
    fl.signal(p, SIGCHLD);
    const ss = fl.userAlloc(p, 12), alt = fl.userAlloc(p, 16384);
    [alt, 16384, 0].forEach((w, i) => fl.writeWord(p, ss + 4 * i, w));
    ok(fl, p, "sigaltstack", [ss, 0]);
    const path = ustr(fl, p, "/bin/true");
    sys(fl, p, "execve", [path, uvec(fl, p, ["true"]), 0]);
    const ps = kproc(fl, p).p_sigacts!;
    expect([ps.ps_sigact[SIGUSR1], ps.ps_sigact[SIGUSR2], ps.ps_sigact[SIGCHLD]]).toEqual([0, 1, 0]);
    expect(ps.ps_sigcatch).toBe(0n);
    expect(ps.ps_sigignore & sigbit(SIGCHLD)).toBe(sigbit(SIGCHLD));
    expect(klwp(fl, p).lwp_siglist | kproc(fl, p).p_siglist).toBe(0n);
    expect(mask0(fl, p)).toBe(sigbit(SIGCHLD) | sigbit(SIGTERM));
    expect(klwp(fl, p).lwp_sigstk).toEqual({ ss_sp: 0, ss_size: 0, ss_flags: SS_DISABLE });
  });
});

describe("trap signals (trapsignal)", () => {
  it("a fault with SIGSEGV's default action still ends the process with SIGSEGV", () => {
    const fl = newLab();
    const exits: number[] = [];
    fl.on("exit", (e) => exits.push(e.status));
    // mov eax, [0]: an unmapped address
    fl.spawn({ image: { name: "segv", entry: 0x08048000, segments: [{ vaddr: 0x08048000, memsz: 5, data: Uint8Array.from([0xa1, 0, 0, 0, 0]), prot: 5 }] } });
    fl.run({ ticks: 2 });
    expect(exits).toEqual([W_EXITCODE(0, 11)]);
  });

  it("a caught SIGSEGV gets a frame at once with code T_PAGEFLT (12) and si_addr = the fault address", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    sigaction(fl, p, 11, HANDLER, SA_SIGINFO);
    // Give the bare process a (empty) image and point eip at an unmapped page: its next
    // user instruction faults.
    const lp = klwp(fl, p);
    kproc(fl, p).image = { name: "segv", entry: 0x10000, segments: [] };
    fl.kernel.core.x.tf_set(lp.td, 60 /* TF_EIP */, 0x10000);
    setrunqueue(fl.kernel, lp);
    fl.run({ ticks: 1 });
    const f = frameAt(fl, p);
    expect(f.signum).toBe(11);
    const si = fl.readWord(p, f.sfp + 4);
    expect(si).toBe(f.sfp + 756);
    expect(fl.readWord(p, si + 8)).toBe(12);       // si_code: T_PAGEFLT
    expect(fl.readWord(p, si + 24)).toBe(0x10000); // si_addr: the fault address (tf_err)
    expect(f.savedEip).toBe(0x10000);
  });

  it("#UD is SIGILL, hlt at CPL 3 SIGBUS, a divide error SIGFPE: each ends the process by default", () => {
    const fl = newLab();
    const exits = new Map<number, number>();
    fl.on("exit", (e) => exits.set(e.pid, e.status));
    const run = (code: number[]): number => fl.spawn({ image: program("trap", code) }).pid;
    const ill = run([0x0f, 0x0b]), bus = run([0xf4]), fpe = run([0x31, 0xc9, 0xf7, 0xf1]);
    fl.run({ ticks: 2 });
    expect([exits.get(ill), exits.get(bus), exits.get(fpe)]).toEqual([4, 10, 8]);
  });

  it("a caught SIGFPE: its SA_SIGINFO handler gets si_code FPE_INTDIV (2), and the frame saves the eip of the div", () => {
    const fl = newLab();
    const act = TEXT + 32, handler = TEXT + 56;
    const code = [
      0x6a, 0x00, 0x68, ...le32(act), 0x6a, 0x08, 0x6a, 0x00,   // push 0; push act; push SIGFPE; push 0
      0xb8, 0x56, 0x01, 0x00, 0x00, 0xcd, 0x80,                // mov eax, 342; int $0x80
      0x83, 0xc4, 0x10,                                        // add esp, 16
      0x31, 0xc9, 0xf7, 0xf1,                                  // xor ecx, ecx; div ecx   (at +21)
    ];
    while (code.length < 32) code.push(0x90);
    code.push(...le32(handler), ...le32(SA_SIGINFO), ...new Array(16).fill(0)); // struct sigaction at +32
    code.push(0xeb, 0xfe);                                   // the handler: jmp $  (at +56)
    const p = fl.spawn({ image: program("fpe", code) }).pid;
    fl.run({ ticks: 1 });
    const tf = fl.trapframe(p);
    expect(tf.eip).toBe(handler);
    const sfp = tf.esp + 4;
    expect(fl.readWord(p, sfp)).toBe(8);
    const si = fl.readWord(p, sfp + 4);
    expect(fl.readWord(p, si + 8)).toBe(2);
    expect(fl.readWord(p, sfp + 20 + 16 + 4 + 60)).toBe(TEXT + 23);
  });

  it("a masked SIGSEGV stays pending and the instruction faults again for ever (the derived 2008 loop), each trap charged: the machine keeps running", () => {
    const fl = newLab();
    const set = TEXT + 32;
    const code = [
      0x6a, 0x00, 0x68, ...le32(set), 0x6a, 0x01, 0x6a, 0x00,   // push 0; push set; push SIG_BLOCK; push 0
      0xb8, 0x54, 0x01, 0x00, 0x00, 0xcd, 0x80,                // mov eax, 340; int $0x80
      0x83, 0xc4, 0x10,                                        // add esp, 16
      0xa1, 0x00, 0x00, 0x00, 0x00,                            // mov eax, [0]
    ];
    while (code.length < 32) code.push(0x90);
    code.push(...le32(1 << 10), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0); // sigset: SIGSEGV
    const p = fl.spawn({ image: program("segvloop", code) }).pid;
    const traps0 = fl.counters().v_trap;
    fl.run({ ticks: 3 });
    expect(fl.proc(p).stat).toBe("SACTIVE");
    expect(fl.trapframe(p).eip).toBe(TEXT + 21);
    expect(klwp(fl, p).lwp_siglist).toBe(sigbit(11));
    expect(fl.counters().v_trap - traps0).toBeGreaterThan(1000);
    expect(klwp(fl, p).lwp_thread.td_scycles).toBeGreaterThan(2 * fl.kernel.tun.cyclesPerTick);
  });
});
