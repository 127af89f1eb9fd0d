// fork1 (kern_fork.c rev 1.76) driven through the syscalls: every branch, every RF* flag
// and the documented combinations, the return registers, the vmmeter classification, the
// at_fork callouts, and the forklab-only ENOMEM path. Hold shared/seed/kern_fork.c beside it.
import { describe, it, expect } from "vitest";
import { Forklab } from "../../src/index.js";
import { at_fork, rm_at_fork, type ForklistFn } from "../../src/kernel/fork.js";
import { PHOLD, PRELE } from "../../src/kernel/proc.js";
import { SIDL, SIGSTOP, SIGCONT } from "../../src/kernel/param.js";
import { wakeup } from "../../src/kernel/synch.js";
import type { KernelEvent } from "../../src/kernel/events.js";
import type { Vnode } from "../../src/kernel/vfs.js";
import {
  RFFDG, RFPROC, RFMEM, RFNOWAIT, RFCFDG, RFTHREAD, RFSIGSHARE, RFLINUXTHPN, RFPGLOCK, RFPPWAIT,
  FORK_FLAGS, SIGCHLD, SIGUSR1, SIGUSR2, SIG_IGN, SIG_DFL, PSL_C, AFORK, NOTE_FORK, RLIMIT_NPROC,
  O_RDWR, O_CREAT, WNOHANG, WLINUXCLONE, ERRNO,
  ok, errnoOf, fork, rfork, kproc, klwp, cstr, snapshot, lwpParams, done,
} from "./fork-helpers.js";

const MiB = 1 << 20;
const lab = (opts: ConstructorParameters<typeof Forklab>[0] = {}) => new Forklab({ physBytes: 16 * MiB, ...opts });

/** Opens (creating) `path` in pid; the descriptor. */
function open(fl: Forklab, pid: number, path: string): number {
  return ok(fl, pid, "open", [cstr(fl, pid, path), O_RDWR | O_CREAT, 0o644])[0];
}

describe("fork1: argument checks", () => {
  it("RFFDG|RFCFDG is EINVAL, with or without RFPROC, before anything else happens", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const before = snapshot(fl);
    expect(errnoOf(fl, p, "rfork", [RFPROC | RFFDG | RFCFDG])).toBe("EINVAL");
    expect(errnoOf(fl, p, "rfork", [RFFDG | RFCFDG])).toBe("EINVAL");
    expect(snapshot(fl)).toEqual(before);
  });

  it("sys_rfork refuses RFKERNELONLY bits from userland: RFPPWAIT (0x80000000) and RFPGLOCK (0x40000000) give EINVAL", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const before = snapshot(fl);
    expect(errnoOf(fl, p, "rfork", [(RFPROC | RFPPWAIT) >>> 0])).toBe("EINVAL");
    expect(errnoOf(fl, p, "rfork", [RFPROC | RFPGLOCK])).toBe("EINVAL");
    expect(errnoOf(fl, p, "rfork", [(RFPROC | RFFDG | RFMEM | RFPPWAIT) >>> 0])).toBe("EINVAL");
    expect(errnoOf(fl, p, "rfork", [RFPGLOCK])).toBe("EINVAL"); // even without RFPROC
    expect(snapshot(fl)).toEqual(before);
    expect(fl.counters()).toMatchObject({ v_rforks: 0 });
  });

  it("RFPROC clear on a process with more than one LWP is EINVAL (\"this kind of stunt does not work anymore\")", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const stack = fl.userAlloc(p, 4096) + 4096;
    ok(fl, p, "lwp_create", [lwpParams(fl, p, { func: 0x1000, arg: 0, stack, tid1: 0, tid2: 0 })]);
    expect(fl.proc(p).nthreads).toBe(2);
    const fd = kproc(fl, p).p_fd;
    expect(errnoOf(fl, { pid: p, tid: 0 }, "rfork", [RFCFDG])).toBe("EINVAL");
    expect(errnoOf(fl, { pid: p, tid: 0 }, "rfork", [0])).toBe("EINVAL");
    expect(kproc(fl, p).p_fd).toBe(fd);
    // ...while a real fork from a threaded process is fine: its child has one LWP, tid 0.
    const c = fork(fl, { pid: p, tid: 0 });
    expect(fl.proc(c).tids).toEqual([0]);
  });
});

describe("fork1: RFPROC clear (rfork on the current process)", () => {
  it("returns 0 with no child (rv 0, 0), creates nothing and counts nothing", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const before = snapshot(fl), counters = fl.counters();
    expect(ok(fl, p, "rfork", [0])).toEqual([0, 0]);
    expect(ok(fl, p, "rfork", [RFFDG])).toEqual([0, 0]);
    expect(fl.proc(p).children).toEqual([]);
    expect(snapshot(fl)).toEqual(before);
    const after = fl.counters();
    expect([after.v_forks, after.v_vforks, after.v_rforks, after.v_kthreads])
      .toEqual([counters.v_forks, counters.v_vforks, counters.v_rforks, counters.v_kthreads]);
  });

  it("RFCFDG gives the process a fresh empty descriptor table (fdinit), dropping its old one", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const fd = open(fl, p, "/a");
    const old = kproc(fl, p).p_fd!;
    const fp = old.fd_files[fd].fp!;
    expect(fp.f_count).toBe(1);
    expect(ok(fl, p, "rfork", [RFCFDG])).toEqual([0, 0]);
    const now = kproc(fl, p).p_fd!;
    expect(now).not.toBe(old);
    expect(now.fd_lastfile).toBe(-1);
    expect(now.fd_refcnt).toBe(1);
    expect(now.fd_cdir).toBe(old.fd_cdir ?? now.fd_cdir); // cdir inherited by fdinit
    expect(old.fd_refcnt).toBe(0); // freed: the last reference
    expect(fp.f_count).toBe(0);    // and its file closed
    expect(errnoOf(fl, p, "close", [fd])).toBe("EBADF");
    // With a shared table, only p's reference goes: the sharer keeps the table and the file.
    const fd2 = open(fl, p, "/b");
    const c = rfork(fl, p, RFPROC);
    const shared = kproc(fl, p).p_fd!;
    expect(shared.fd_refcnt).toBe(2);
    rfork(fl, p, RFCFDG);
    expect(shared.fd_refcnt).toBe(1);
    expect(kproc(fl, c).p_fd).toBe(shared);
    expect(kproc(fl, p).p_fd!.fd_lastfile).toBe(-1);
    ok(fl, c, "close", [fd2]);
  });

  it("RFFDG copies the table only when it is shared (fd_refcnt > 1); an unshared table is kept as is", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const fd = open(fl, p, "/a");
    const t1 = kproc(fl, p).p_fd!;
    rfork(fl, p, RFFDG); // fd_refcnt 1: nothing to unshare
    expect(kproc(fl, p).p_fd).toBe(t1);

    const c = rfork(fl, p, RFPROC); // shares the table: fd_refcnt 2
    expect(kproc(fl, c).p_fd).toBe(t1);
    expect(t1.fd_refcnt).toBe(2);
    const pfdtol = kproc(fl, p).p_fdtol!, cfdtol = kproc(fl, c).p_fdtol!;
    expect(pfdtol.fdl_next).toBe(cfdtol);
    rfork(fl, p, RFFDG);
    // fdfree dropped p's filedesc_to_leader (unlinking it from the ring) and cleared p_fdtol.
    expect(kproc(fl, p).p_fdtol).toBeNull();
    expect(pfdtol.fdl_refcount).toBe(0);
    expect(cfdtol.fdl_next).toBe(cfdtol);
    const t2 = kproc(fl, p).p_fd!;
    expect(t2).not.toBe(t1);
    expect(t1.fd_refcnt).toBe(1); // the child keeps the old table alone
    expect(t2.fd_refcnt).toBe(1);
    expect(t2.fd_files[fd].fp).toBe(t1.fd_files[fd].fp); // fdcopy: same open file, one more reference
    expect(t1.fd_files[fd].fp!.f_count).toBe(2);
    // Now a close in one no longer touches the other.
    ok(fl, c, "close", [fd]);
    expect(t2.fd_files[fd].fp).not.toBeNull();
  });

  it("RFMEM clear unshares a shared vmspace (vmspace_unshare); RFMEM set keeps sharing; an unshared one is left alone", () => {
    for (const strategy of ["cow", "copy"] as const) {
      const fl = lab({ strategy });
      const p = fl.spawn({ uid: 1000 }).pid;
      const va = fl.userAlloc(p, 4096);
      fl.writeWord(p, va, 0x1111);
      const vm0 = kproc(fl, p).p_vmspace!;
      rfork(fl, p, 0); // refcnt 1: nothing to do
      expect(kproc(fl, p).p_vmspace).toBe(vm0);

      const c = rfork(fl, p, RFPROC | RFMEM);
      expect(kproc(fl, c).p_vmspace).toBe(vm0);
      expect(vm0.vm_refcnt).toBe(2);
      rfork(fl, p, RFMEM); // RFMEM: stay shared
      expect(kproc(fl, p).p_vmspace).toBe(vm0);
      expect(vm0.vm_refcnt).toBe(2);

      rfork(fl, p, 0); // RFMEM clear: p gets its own copy
      const vm1 = kproc(fl, p).p_vmspace!;
      expect(vm1).not.toBe(vm0);
      expect(vm0.vm_refcnt).toBe(1);
      expect(vm1.vm_refcnt).toBe(1);
      expect(klwp(fl, p).lwp_vmspace).toBe(vm1); // pmap_replacevm sets the LWP's too
      expect(fl.kernel.core.pcb(klwp(fl, p).td).cr3).toBe(fl.proc(p).vmspace!.cr3); // and reloads cr3
      expect(fl.readWord(p, va)).toBe(0x1111);
      fl.writeWord(c, va, 0x2222);
      expect(fl.readWord(p, va)).toBe(0x1111);
      fl.writeWord(p, va, 0x3333);
      expect(fl.readWord(c, va)).toBe(0x2222);
    }
  });

  it("does not take the process-group lock (RFPGLOCK is never used on this path)", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const lk = kproc(fl, p).p_pgrp!.pg_lock;
    // Hold the group exclusively: a fork would sleep on "pgwt", rfork without RFPROC must not.
    lk.exclusivecount = 1;
    expect(ok(fl, p, "rfork", [RFFDG])).toEqual([0, 0]);
    const r = fl.syscall(p, "fork");
    expect(r).toEqual({ done: false, wmesg: "pgwt" });
  });
});

describe("fork1: the process-group interlock (RFPGLOCK)", () => {
  it("fork, vfork and rfork hold pg_lock shared while the child is built, and release it before returning", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const lk = kproc(fl, p).p_pgrp!.pg_lock;
    const seen: number[] = [];
    const fn: ForklistFn = () => { seen.push(lk.sharecount); };
    at_fork(fl.kernel, fn);
    fork(fl, p);
    rfork(fl, p, RFPROC);
    expect(fl.syscall(p, "vfork")).toEqual({ done: false, wmesg: "ppwait" });
    expect(seen).toEqual([1, 1, 1]);
    expect(lk.sharecount).toBe(0); // released before start_forked_proc's ppwait sleep
    rm_at_fork(fl.kernel, fn);
  });

  it("a fork waits for a group lock held exclusively (a pgsignal in progress) and proceeds once it is released", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const lk = kproc(fl, p).p_pgrp!.pg_lock;
    lk.exclusivecount = 1; // stand-in for pgsignal's exclusive hold
    const sleeps: string[] = [];
    fl.on("sleep", (e) => { if (e.pid === p) sleeps.push(e.wmesg); });
    expect(fl.syscall(p, "fork")).toEqual({ done: false, wmesg: "pgwt" });
    expect(fl.kernel.nprocs).toBe(3); // nothing counted yet: the lock comes before the limits
    expect(lk.waitcount).toBe(1);
    lk.exclusivecount = 0;
    wakeup(fl.kernel, lk); // LK_RELEASE's wakeup of the waiters
    fl.run({ ticks: 1 });
    const r = done(fl.result(p));
    expect(r.errno).toBe("");
    expect(fl.proc(r.rv[0]).ppid).toBe(p);
    expect(lk.sharecount).toBe(0);
    expect(lk.waitcount).toBe(0);
    expect(sleeps).toEqual(["pgwt"]);
  });

  it("a fork blocks behind a killpg waiting for the group lock (LK_WANT_EXCL), then restarts with ERESTART: the child cannot miss the signal", () => {
    const fl = lab();
    const a = fl.spawn({ uid: 1000 }).pid;
    const b = fork(fl, a), c = fork(fl, a); // all three in a's process group
    const lk = kproc(fl, a).p_pgrp!.pg_lock;
    // a holds the group lock shared through a refused fork's hz/2 back-off.
    const rlim = fl.userAlloc(a, 16); // struct rlimit { cur = 1, max = 1 }: a's own plimit copy
    fl.writeWord(a, rlim, 1);
    fl.writeWord(a, rlim + 8, 1);
    ok(fl, a, "setrlimit", [RLIMIT_NPROC, rlim]);
    expect(fl.syscall(a, "fork")).toEqual({ done: false, wmesg: "fork" });
    expect(lk.sharecount).toBe(1);
    // b signals the group: killpg wants the lock exclusive and waits for the sharer.
    // (SIGSTOP: none of the three sleeps interruptibly, so it stays pending until each
    // returns towards user mode and stops there.)
    expect(fl.syscall(b, "kill", [0, SIGSTOP])).toEqual({ done: false, wmesg: "pgwt" });
    expect(lk.wantexcl).toBe(true);
    // c forks: its shared request queues behind b's (it does not slip in before the signal).
    const forks: number[] = [];
    fl.on("fork", (e) => forks.push(e.parent));
    expect(fl.syscall(c, "fork")).toEqual({ done: false, wmesg: "pgwt" });
    fl.run({ ticks: 60 });
    // All three finished their syscalls and stopped on their way back; SIGCONT goes on.
    for (const q of [a, b, c]) expect([fl.proc(q).stat, fl.result(q)]).toEqual(["SSTOP", { done: false, wmesg: "stop" }]);
    for (const q of [a, b, c]) fl.signal(q, SIGCONT);
    fl.run({ ticks: 1 });
    expect(done(fl.result(a)).errno).toBe("EAGAIN");
    expect(done(fl.result(b)).errno).toBe("");
    // b's SIGSTOP reached c before c's fork could proceed: CURSIGNB -> ERESTART, no child.
    expect(done(fl.result(c))).toMatchObject({ error: -1, errno: "ERESTART" });
    expect(forks).toEqual([]);
    expect([lk.sharecount, lk.exclusivecount, lk.wantexcl]).toEqual([0, 0, false]);
    // Re-issued, the fork goes through.
    expect(fl.proc(fork(fl, c)).ppid).toBe(c);
  });

  it("a pending unmasked signal makes fork return ERESTART: no child, the int $0x80 is backed up (eip -= tf_err), the lock released", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const lk = kproc(fl, p).p_pgrp!.pg_lock;
    const before = snapshot(fl);
    const forks: number[] = [];
    fl.on("fork", (e) => forks.push(e.child));
    fl.kernel.core.x.tf_set(klwp(fl, p).td, 60 /* TF_EIP */, 0x2002);
    // A stop signal is posted; on the way back to user mode userret takes it: the process
    // stops, and SIGCONT continues it. (A default SIGCONT to a running process is
    // discarded at posting: signals.test.ts.)
    fl.signal(p, SIGSTOP);
    expect(klwp(fl, p).lwp_siglist).not.toBe(0n);
    expect(fl.syscall(p, "fork")).toEqual({ done: false, wmesg: "stop" });
    expect(klwp(fl, p).lastSyscall).toMatchObject({ error: -1 }); // ERESTART
    expect(fl.proc(p).stat).toBe("SSTOP");
    expect(forks).toEqual([]);
    expect(fl.trapframe(p).eip).toBe(0x2000); // ERESTART: the syscall instruction runs again
    expect(lk.sharecount).toBe(0);
    expect(klwp(fl, p).lwp_siglist).toBe(0n); // userret took the signal
    fl.signal(p, SIGCONT);
    fl.run({ ticks: 1 });
    expect(fl.proc(p).stat).toBe("SACTIVE");
    expect(snapshot(fl)).toEqual(before);
    // A masked signal does not count.
    const set = fl.userAlloc(p, 16);
    fl.writeWord(p, set, 1 << (SIGUSR1 - 1));
    ok(fl, p, "sigprocmask", [1 /* SIG_BLOCK */, set, 0]);
    fl.signal(p, SIGUSR1);
    const c = fork(fl, p);
    expect(forks).toEqual([c]);
  });
});

describe("fork1: what the child shares and what it copies", () => {
  it("RFNOWAIT parents the child to init (ppid 1): the forker has no such child to wait for", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const c = rfork(fl, p, RFPROC | RFFDG | RFNOWAIT);
    expect(fl.proc(c).ppid).toBe(1);
    expect(fl.proc(1).children[0]).toBe(c); // LIST_INSERT_HEAD of init's children
    expect(fl.proc(p).children).toEqual([]);
    expect(errnoOf(fl, p, "wait4", [-1, 0, WNOHANG, 0])).toBe("ECHILD");
    // It still joins the forker's process group, right after the forker (LIST_INSERT_AFTER).
    const members = kproc(fl, p).p_pgrp!.pg_members.toArray().map((q) => q.p_pid);
    expect(members.indexOf(c)).toBe(members.indexOf(p) + 1);
    // init reaps it when it exits.
    ok(fl, c, "exit", [0]);
    fl.run();
    expect(() => fl.proc(c)).toThrow(/no process/);
  });

  it("without RFNOWAIT the child goes to the head of the forker's children list", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const a = fork(fl, p), b = fork(fl, p), c = rfork(fl, p, RFPROC);
    expect(fl.proc(p).children).toEqual([c, b, a]);
    for (const x of [a, b, c]) expect(fl.proc(x).ppid).toBe(p);
  });

  it("RFTHREAD links the child into the forker's p_peers and gives it the forker's p_leader; without it p_leader is the child", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const P = kproc(fl, p);
    const t1 = rfork(fl, p, RFPROC | RFTHREAD);
    const t2 = rfork(fl, p, RFPROC | RFTHREAD | RFMEM);
    const T1 = kproc(fl, t1), T2 = kproc(fl, t2);
    expect(T1.p_leader).toBe(P);
    expect(T2.p_leader).toBe(P);
    // p2->p_peers = p1->p_peers; p1->p_peers = p2: pushed at the front of p1's list.
    expect(P.p_peers).toBe(T2);
    expect(T2.p_peers).toBe(T1);
    expect(T1.p_peers).toBeNull();
    // A peer's RFTHREAD child takes p1->p_leader (the group's leader) and goes after p1 = t1.
    const t3 = rfork(fl, t1, RFPROC | RFTHREAD);
    const T3 = kproc(fl, t3);
    expect(T3.p_leader).toBe(P);
    expect(T1.p_peers).toBe(T3);
    // Without RFTHREAD: its own leader, no peers.
    const n = fork(fl, p);
    expect(kproc(fl, n).p_leader).toBe(kproc(fl, n));
    expect(kproc(fl, n).p_peers).toBeNull();
    expect(P.p_peers).toBe(T2);
  });

  it("RFSIGSHARE shares sigacts (a sigaction SIG_IGN in one is seen by the other); without it the child has a copy", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const act = fl.userAlloc(p, 24);
    fl.writeWord(p, act, SIG_IGN);
    const oact = fl.userAlloc(p, 24);
    const handlerIn = (pid: number, sig: number): number => {
      ok(fl, pid, "sigaction", [sig, 0, oact]);
      return fl.readWord(pid, oact);
    };
    const shared = rfork(fl, p, RFPROC | RFMEM | RFSIGSHARE);
    const copied = rfork(fl, p, RFPROC | RFMEM);
    expect(kproc(fl, shared).p_sigacts).toBe(kproc(fl, p).p_sigacts);
    expect(kproc(fl, p).p_sigacts!.ps_refcnt).toBe(2);
    expect(kproc(fl, copied).p_sigacts).not.toBe(kproc(fl, p).p_sigacts);
    expect(kproc(fl, copied).p_sigacts!.ps_refcnt).toBe(1);

    ok(fl, shared, "sigaction", [SIGUSR2, act, 0]); // the child ignores SIGUSR2...
    expect(handlerIn(p, SIGUSR2)).toBe(SIG_IGN);    // ...and so does the parent
    expect(handlerIn(copied, SIGUSR2)).toBe(SIG_DFL);
    ok(fl, copied, "sigaction", [SIGUSR1, act, 0]);
    expect(handlerIn(p, SIGUSR1)).toBe(SIG_DFL);
    expect(handlerIn(shared, SIGUSR1)).toBe(SIG_DFL);
    // The copy is a bcopy of the parent's at fork time.
    const later = fork(fl, p);
    expect(handlerIn(later, SIGUSR2)).toBe(SIG_IGN);
  });

  it("RFLINUXTHPN sets p_sigparent to SIGUSR1 (30) instead of SIGCHLD (20); wait4 sees such a child only with WLINUXCLONE", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const plain = rfork(fl, p, RFPROC);
    const linux = rfork(fl, p, RFPROC | RFLINUXTHPN);
    expect(fl.proc(plain).sigparent).toBe(SIGCHLD);
    expect(fl.proc(linux).sigparent).toBe(SIGUSR1);
    expect(fl.proc(fork(fl, p)).sigparent).toBe(SIGCHLD);
    // The parent ignores SIGUSR1, which the Linux-style child's exit posts to it.
    const act = fl.userAlloc(p, 24);
    fl.writeWord(p, act, SIG_IGN);
    ok(fl, p, "sigaction", [SIGUSR1, act, 0]);
    ok(fl, linux, "exit", [3]);
    // Without WLINUXCLONE it does not match at all: ECHILD, even with WNOHANG.
    expect(errnoOf(fl, p, "wait4", [linux, 0, WNOHANG, 0])).toBe("ECHILD");
    expect(errnoOf(fl, p, "wait4", [linux, 0, 0, 0])).toBe("ECHILD");
    expect(ok(fl, p, "wait4", [linux, 0, WLINUXCLONE >>> 0, 0])[0]).toBe(linux);
  });

  it("RFMEM shares memory: a write in the child (user write or a syscall's copyout) is read in the parent", () => {
    for (const strategy of ["cow", "copy"] as const) {
      const fl = lab({ strategy });
      const p = fl.spawn({ uid: 1000 }).pid;
      const va = fl.userAlloc(p, 8192);
      const c = rfork(fl, p, RFPROC | RFMEM);
      expect(kproc(fl, c).p_vmspace).toBe(kproc(fl, p).p_vmspace);
      expect(fl.proc(p).vmspace!.refcnt).toBe(2);
      expect(fl.proc(c).vmspace!.cr3).toBe(fl.proc(p).vmspace!.cr3);
      fl.writeWord(c, va, 0xC0FFEE);
      expect(fl.readWord(p, va)).toBe(0xC0FFEE);
      ok(fl, c, "getrlimit", [RLIMIT_NPROC, va + 4096]); // copyout of struct rlimit in the child
      expect(fl.readWord(p, va + 4096)).toBe(fl.sysctl("kern.maxproc"));
      fl.writeWord(p, va, 7);
      expect(fl.readWord(c, va)).toBe(7);
    }
  });

  it("without RFMEM writes are isolated both ways, with both strategies (cow and copy)", () => {
    for (const strategy of ["cow", "copy"] as const) {
      const fl = lab({ strategy });
      const p = fl.spawn({ uid: 1000 }).pid;
      const va = fl.userAlloc(p, 8192);
      fl.writeWord(p, va, 0xAAAA);
      for (const c of [fork(fl, p), rfork(fl, p, RFPROC), rfork(fl, p, RFPROC | RFCFDG | RFSIGSHARE)]) {
        expect(kproc(fl, c).p_vmspace).not.toBe(kproc(fl, p).p_vmspace);
        expect(fl.proc(c).vmspace!.refcnt).toBe(1);
        expect(fl.readWord(c, va)).toBe(0xAAAA);
        fl.writeWord(c, va, 0xBBBB);
        expect(fl.readWord(p, va)).toBe(0xAAAA);
        ok(fl, c, "getrlimit", [RLIMIT_NPROC, va + 4096]);
        expect(fl.readWord(p, va + 4096)).toBe(0);
        fl.writeWord(p, va + 4, 0xDDDD);
        expect(fl.readWord(c, va + 4)).toBe(0);
        fl.writeWord(p, va + 4, 0);
      }
    }
  });

  it("RFCFDG gives the child an empty table (fdinit) while RFFDG copies the parent's (fdcopy)", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const fd = open(fl, p, "/f");
    const t = kproc(fl, p).p_fd!;
    const fp = t.fd_files[fd].fp!;
    ok(fl, p, "umask", [0o077]);

    const empty = rfork(fl, p, RFPROC | RFCFDG);
    const e = kproc(fl, empty).p_fd!;
    expect(e).not.toBe(t);
    expect(e.fd_lastfile).toBe(-1);
    expect(e.fd_cmask).toBe(0o022); // fdinit takes the global cmask, not the parent's
    expect(kproc(fl, empty).p_fdtol).toBeNull();
    expect(errnoOf(fl, empty, "close", [fd])).toBe("EBADF");

    const copy = rfork(fl, p, RFPROC | RFFDG);
    const c = kproc(fl, copy).p_fd!;
    expect(c).not.toBe(t);
    expect(c.fd_refcnt).toBe(1);
    expect(c.fd_files[fd].fp).toBe(fp);
    expect(c.fd_cmask).toBe(0o077);
    expect(kproc(fl, copy).p_fdtol).toBeNull();
    ok(fl, copy, "close", [fd]);
    expect(t.fd_files[fd].fp).toBe(fp); // the parent's descriptor is untouched
    expect(fp.f_count).toBe(1);         // the copy's reference went with its close
  });

  it("without RFFDG or RFCFDG the table is shared (fdshare: fd_refcnt 2) with a filedesc_to_leader per leader, or one shared with RFTHREAD", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const fd = open(fl, p, "/s");
    const P = kproc(fl, p);
    const t = P.p_fd!;
    expect(P.p_fdtol).toBeNull();
    const c = rfork(fl, p, RFPROC);
    const C = kproc(fl, c);
    expect(C.p_fd).toBe(t);
    expect(t.fd_refcnt).toBe(2);
    expect(fl.proc(c).fdRefcnt).toBe(2);
    // p1 gets a filedesc_to_leader for its leader; the child another one, linked after it.
    expect(P.p_fdtol).not.toBeNull();
    expect(P.p_fdtol!.fdl_leader).toBe(P);
    expect(C.p_fdtol!.fdl_leader).toBe(C);
    expect(P.p_fdtol!.fdl_next).toBe(C.p_fdtol);
    expect(C.p_fdtol!.fdl_prev).toBe(P.p_fdtol);
    // RFTHREAD: the same fdtol, one more reference.
    const th = rfork(fl, p, RFPROC | RFTHREAD);
    expect(kproc(fl, th).p_fdtol).toBe(P.p_fdtol);
    expect(P.p_fdtol!.fdl_refcount).toBe(2);
    expect(t.fd_refcnt).toBe(3);
    // A close in the child closes the parent's descriptor too: one table.
    ok(fl, c, "close", [fd]);
    expect(errnoOf(fl, p, "close", [fd])).toBe("EBADF");
  });

  it("p_limit is shared copy-on-write (plimit_fork), but a threaded forker (exclusive 2) gives its child a copy", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const lim = kproc(fl, p).p_limit!;
    const refs = lim.p_refcnt;
    const c = fork(fl, p);
    expect(kproc(fl, c).p_limit).toBe(lim);
    expect(lim.p_refcnt).toBe(refs + 1);
    const stack = fl.userAlloc(p, 4096) + 4096;
    ok(fl, p, "lwp_create", [lwpParams(fl, p, { func: 0x1000, arg: 0, stack, tid1: 0, tid2: 0 })]);
    const lim2 = kproc(fl, p).p_limit!;
    expect(lim2.p_exclusive).toBe(2);   // plimit_lwp_fork made it private
    expect(lim2).not.toBe(lim);
    const d = fork(fl, { pid: p, tid: 0 });
    expect(kproc(fl, d).p_limit).not.toBe(lim2);
    expect(kproc(fl, d).p_limit!.p_refcnt).toBe(1);
    expect(kproc(fl, d).p_limit!.p_exclusive).toBe(0);
  });

  it("the startcopy region is copied: p_comm, p_nice, p_pgrp, p_rtprio, p_args (ar_ref++); and, at rev 1.76, p_lock", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000, comm: "forker" }).pid;
    const P = kproc(fl, p);
    P.p_nice = 5;
    P.p_rtprio = { type: 2, prio: 7 };
    P.p_args = { ar_ref: 1, ar_args: ["forker"] };
    const c = fork(fl, p);
    const C = kproc(fl, c);
    expect(C.p_comm).toBe("forker");
    expect(C.p_nice).toBe(5);
    expect(C.p_rtprio).toEqual({ type: 2, prio: 7 });
    expect(C.p_pgrp).toBe(P.p_pgrp);
    expect(C.p_args).toBe(P.p_args);
    expect(P.p_args.ar_ref).toBe(2);
    expect(klwp(fl, c).lwp_thread.td_comm).toBe("forker");
    // p_lock lies inside the bcopy'd region: a child forked while the parent is held
    // inherits the hold (fixed in 2e425d87, December 2008, by p2->p_lock = 0).
    PHOLD(P);
    const d = fork(fl, p);
    expect(fl.proc(d).lock).toBe(1);
    PRELE(P);
    expect(fl.proc(p).lock).toBe(0);
    expect(fl.proc(c).lock).toBe(0);
  });

  it("the child starts with a zeroed p_flag except P_SUGID (copied), P_PPWAIT (vfork) and P_CONTROLT (with a terminal); p_acflag is AFORK", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const P = kproc(fl, p);
    P.p_flag |= 0x100 /* P_SUGID */ | 0x4000 /* P_EXEC */ | 0x2 /* P_CONTROLT */;
    const c = fork(fl, p);
    expect(fl.proc(c).flag).toBe(0x100); // no tty in the session: P_CONTROLT is not copied
    P.p_pgrp!.pg_session.s_ttyvp = {};
    const d = fork(fl, p);
    expect(fl.proc(d).flag).toBe(0x100 | 0x2);
    expect(fl.proc(d).acflag).toBe(AFORK);
    expect(kproc(fl, d).p_stat).toBe(2); // SACTIVE after start_forked_proc
  });

  it("P_PROFIL starts the child's profiling clock, a jailed credential makes it P_JAILED, and the credential is shared (crhold)", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const P = kproc(fl, p);
    const c = fork(fl, p);
    expect(fl.proc(c).flags).toEqual([]);
    expect(kproc(fl, c).p_ucred).toBe(P.p_ucred);
    const refs = P.p_ucred!.cr_ref;
    P.p_flag |= 0x20; // P_PROFIL
    P.p_ucred!.cr_prison = { pr_id: 1, pr_host: "jail" };
    const d = fork(fl, p);
    expect(fl.proc(d).flags).toEqual(["P_PROFIL", "P_JAILED"]);
    expect(P.p_ucred!.cr_ref).toBe(refs + 1);
  });

  it("p_textvp is shared with a vref, p_varsymset is copied, ktrace is inherited only with KTRFAC_INHERIT, p_start is the fork's microtime", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const P = kproc(fl, p);
    const vp = fl.kernel.vfs.create("/prog") as Vnode; // not the root, which fdcopy vrefs too
    vp.v_usecount++;
    P.p_textvp = vp;
    P.p_varsymset.set("a", "1");
    P.p_traceflag = 0x5;
    P.p_tracenode = { refs: 1, name: "ktrace.out" };
    fl.run({ ticks: 12 });
    const uses = vp.v_usecount;
    const c = fork(fl, p);
    const C = kproc(fl, c);
    expect(C.p_textvp).toBe(vp);
    expect(vp.v_usecount).toBe(uses + 1);
    expect(C.p_varsymset).toEqual(new Map([["a", "1"]]));
    expect(C.p_varsymset).not.toBe(P.p_varsymset);
    expect([C.p_traceflag, C.p_tracenode]).toEqual([0, null]);
    expect(fl.proc(c).start).toBe(130000); // tick 13 (boot's tick and 12 more) at hz 100, in microseconds
    P.p_traceflag = (0x40000000 /* KTRFAC_INHERIT */ | 0x5) >>> 0;
    const d = fork(fl, p);
    expect(kproc(fl, d).p_traceflag).toBe(P.p_traceflag);
    expect(kproc(fl, d).p_tracenode).toBe(P.p_tracenode);
    expect(P.p_tracenode.refs).toBe(2);
  });

  it("each child's first LWP is tid 0 (p_lasttid starts at -1) and gets only LWP_ALTSTACK of the parent LWP's flags", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    klwp(fl, p).lwp_flag |= 0x01 /* LWP_ALTSTACK */ | 0x08 /* LWP_SINTR */;
    const c = fork(fl, p);
    expect(fl.proc(c).lasttid).toBe(0);
    expect(fl.proc(c).tids).toEqual([0]);
    expect(fl.proc(c).nthreads).toBe(1);
    expect(klwp(fl, c).lwp_flag).toBe(0x01);
    const g = fork(fl, c);
    expect(fl.proc(g).tids).toEqual([0]);
  });

  it("KNOTE posts NOTE_FORK | child pid on the parent's klist", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const hints: number[] = [];
    kproc(fl, p).p_klist.push((h) => hints.push(h));
    const c = fork(fl, p);
    const d = rfork(fl, p, RFPROC | RFMEM);
    expect(hints).toEqual([(NOTE_FORK | c) >>> 0, (NOTE_FORK | d) >>> 0]);
  });
});

describe("fork1: return registers (fork_return and syscall2)", () => {
  it("the parent gets the child's pid in eax and 0 in edx; the child, once switched in, eax 0 and edx 1; PSL_C is clear in both", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const x = fl.kernel.core.x, TF_EFLAGS = 68, TF_EDX = 36;
    for (const how of ["fork", "rfork", "rforkmem"] as const) {
      x.tf_set(klwp(fl, p).td, TF_EFLAGS, 0x203); // carry set by an earlier failure
      x.tf_set(klwp(fl, p).td, TF_EDX, 0x5555);
      const r = how === "fork" ? fl.syscall(p, "fork") : fl.syscall(p, "rfork", [how === "rfork" ? RFPROC | RFFDG : RFPROC | RFMEM]);
      const c = done(r).rv[0];
      const ptf = fl.trapframe(p);
      expect([ptf.eax, ptf.edx, ptf.eflags & PSL_C]).toEqual([c, 0, 0]);
      // Before its first switch-in the child's frame is a copy of the parent's at syscall entry.
      const before = fl.trapframe(c);
      expect(before.eflags & PSL_C).toBe(1);
      expect(before.edx).toBe(0x5555);
      fl.run({ ticks: 1 }); // the first switch-in runs fork_trampoline -> fork_return
      const ctf = fl.trapframe(c);
      expect([ctf.eax, ctf.edx, ctf.eflags]).toEqual([0, 1, 0x202]);
      expect(ctf.esp).toBe(ptf.esp);
    }
  });

  it("the first switch-in goes through cpu_heavy_restore and fork_trampoline to fork_return (pcb_esi), with pcb_ebx naming the LWP", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const c = fork(fl, p);
    const core = fl.kernel.core, td = klwp(fl, c).td;
    const pcb = core.pcb(td).toJSON() as Record<string, number>;
    const kstack = core.kstack(td);
    expect(pcb.esp).toBe(kstack + 11580);
    expect(pcb.ebx).toBe(kstack);
    expect(pcb.cr3).toBe(fl.proc(c).vmspace!.cr3);
    expect(core.threadSp(td)).toBe(kstack + 11572);
    expect(klwp(fl, c).lwp_thread.td_pri).toBe(42); // TDPRI_KERN_USER with the critical bit
    ok(fl, c, "getpid");
    expect(core.threadSp(td)).toBe(kstack + 11584); // at md_regs, as doreti finds it
    expect(klwp(fl, c).lwp_thread.td_pri).toBe(6);  // generic_lwp_return: TDPRI_USER_NORM
  });

  it("a failed fork sets PSL_C with the errno in eax and leaves edx alone", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const x = fl.kernel.core.x;
    x.tf_set(klwp(fl, p).td, 36, 0x77);
    x.tf_set(klwp(fl, p).td, 68, 0x202);
    expect(errnoOf(fl, p, "rfork", [RFPROC | RFFDG | RFCFDG])).toBe("EINVAL");
    const tf = fl.trapframe(p);
    expect([tf.eax, tf.edx, tf.eflags]).toEqual([ERRNO.EINVAL, 0x77, 0x203]);
    fork(fl, p);
    expect(fl.trapframe(p).eflags).toBe(0x202);
  });
});

describe("fork1: vmmeter classification (exact flag equality)", () => {
  type C = ReturnType<Forklab["counters"]>;
  const delta = (a: C, b: C) => Object.fromEntries(
    (Object.keys(b) as (keyof C)[]).filter((k) => /^v_(fork|vfork|rfork|kthread)/.test(k) && b[k] !== a[k]).map((k) => [k, b[k] - a[k]]),
  );

  it("boot: init's creation (fork1(lwp0, RFFDG|RFPROC), p1 == &proc0) is counted in v_kthreads with proc0's one stack page", () => {
    const fl = lab();
    expect(fl.counters()).toMatchObject({ v_forks: 0, v_vforks: 0, v_rforks: 0, v_kthreads: 1, v_kthreadpages: 1 });
  });

  it("fork -> v_forks, vfork -> v_vforks, rfork(RFFDG|RFPROC) -> v_forks (its flags equal fork's), other rforks -> v_rforks", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid; // spawn() forks from init with fork's flags
    expect(fl.counters()).toMatchObject({ v_forks: 1, v_kthreads: 1 });
    const P = kproc(fl, p);
    P.p_vmspace!.vm_dsize = 5;
    P.p_vmspace!.vm_ssize = 3;
    const cases: [string, () => void, Record<string, number>][] = [
      ["fork", () => fork(fl, p), { v_forks: 1, v_forkpages: 8 }],
      ["rfork(RFFDG|RFPROC)", () => rfork(fl, p, RFFDG | RFPROC), { v_forks: 1, v_forkpages: 8 }],
      ["rfork(RFPROC|RFMEM)", () => rfork(fl, p, RFPROC | RFMEM), { v_rforks: 1, v_rforkpages: 8 }],
      ["rfork(RFPROC)", () => rfork(fl, p, RFPROC), { v_rforks: 1, v_rforkpages: 8 }],
      ["rfork(RFFDG|RFPROC|RFMEM)", () => rfork(fl, p, RFFDG | RFPROC | RFMEM), { v_rforks: 1, v_rforkpages: 8 }],
      ["rfork(RFFDG|RFPROC|RFNOWAIT)", () => rfork(fl, p, RFFDG | RFPROC | RFNOWAIT), { v_rforks: 1, v_rforkpages: 8 }],
      ["rfork(RFFDG) without RFPROC", () => rfork(fl, p, RFFDG), {}],
      ["vfork", () => { expect(fl.syscall(p, "vfork").done).toBe(false); }, { v_vforks: 1, v_vforkpages: 8 }],
    ];
    for (const [name, f, want] of cases) {
      const a = fl.counters();
      f();
      expect(delta(a, fl.counters()), name).toEqual(want);
    }
  });

  it("the pages added are the child's vm_dsize + vm_ssize (the vmspace_fork copy; the shared one for vfork)", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const P = kproc(fl, p);
    P.p_vmspace!.vm_dsize = 40;
    P.p_vmspace!.vm_ssize = 32;
    const a = fl.counters();
    const c = fork(fl, p);
    expect(fl.proc(c).vmspace).toMatchObject({ dsize: 40, ssize: 32 });
    expect(fl.counters().v_forkpages - a.v_forkpages).toBe(72);
    fl.syscall(p, "vfork");
    expect(fl.counters().v_vforkpages - a.v_vforkpages).toBe(72);
  });

  it("counters land on the forking LWP's CPU (gd_cnt); with ncpus 2 the per-CPU split sums to the total", () => {
    const fl = lab({ ncpus: 2, seed: 7 });
    const parents = Array.from({ length: 8 }, () => fl.spawn({ uid: 1000 }).pid);
    const base = fl.countersPerCpu();
    const want = [0, 0];
    for (const [i, p] of parents.entries()) {
      const cpu = klwp(fl, p).cpu;
      for (let j = 0; j <= i % 3; j++) { fork(fl, p); want[cpu]++; }
    }
    const per = fl.countersPerCpu();
    expect(per.map((c, i) => c.v_forks - base[i].v_forks)).toEqual(want);
    expect(want[0]).toBeGreaterThan(0);
    expect(want[1]).toBeGreaterThan(0);
    const total = fl.counters();
    for (const k of ["v_forks", "v_vforks", "v_rforks", "v_kthreads", "v_forkpages", "v_kthreadpages", "v_syscall", "v_swtch"] as const) {
      expect(per[0][k] + per[1][k], k).toBe(total[k]);
    }
  });
});

describe("at_fork / rm_at_fork", () => {
  it("callouts run in list order with (p1, p2, flags) while the child is still SIDL, after the counters", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const calls: string[] = [];
    const first: ForklistFn = (p1, p2, flags) => { calls.push(`first ${p1.p_pid} ${p2.p_pid} ${(flags >>> 0).toString(16)} ${p2.p_stat === SIDL}`); };
    const second: ForklistFn = (p1, p2, flags) => { calls.push(`second ${p1.p_pid} ${p2.p_pid} ${(flags >>> 0).toString(16)} ${fl.counters().v_rforks}`); };
    expect(at_fork(fl.kernel, first)).toBe(0);
    expect(at_fork(fl.kernel, second)).toBe(0);
    const c = fork(fl, p);
    const d = rfork(fl, p, RFPROC | RFMEM);
    expect(calls).toEqual([
      `first ${p} ${c} ${FORK_FLAGS.toString(16)} true`, `second ${p} ${c} ${FORK_FLAGS.toString(16)} 0`,
      `first ${p} ${d} 40000030 true`, `second ${p} ${d} 40000030 1`,
    ]);
    rm_at_fork(fl.kernel, first);
    rm_at_fork(fl.kernel, second);
  });

  it("registering twice prints the WARNING and keeps one entry, moved to the tail; rm_at_fork returns 1 then 0", () => {
    const fl = lab();
    const order: string[] = [];
    function cb1() { order.push("cb1"); }
    function cb2() { order.push("cb2"); }
    at_fork(fl.kernel, cb1);
    at_fork(fl.kernel, cb2);
    expect(fl.messages()).toEqual([]);
    at_fork(fl.kernel, cb1);
    expect(fl.messages()).toEqual(["WARNING: fork callout entry (cb1) already present\n"]);
    expect(fl.kernel.fork_list).toEqual([cb2, cb1]);
    const p = fl.spawn().pid; // spawn() forks from init: the callouts run for it too
    expect(order).toEqual(["cb2", "cb1"]);
    fork(fl, p);
    expect(order).toEqual(["cb2", "cb1", "cb2", "cb1"]);
    expect(rm_at_fork(fl.kernel, cb1)).toBe(1);
    expect(rm_at_fork(fl.kernel, cb1)).toBe(0);
    expect(rm_at_fork(fl.kernel, cb2)).toBe(1);
    expect(fl.kernel.fork_list).toEqual([]);
  });
});

describe("forklab only: a fork that runs out of simulated memory", () => {
  /** A fork memory cannot hold waits a second in "vmwait" (as the kernel's allocations would), then fails: its result. */
  const afterVmwait = (fl: Forklab, pid: number, r: ReturnType<Forklab["syscall"]>) => {
    expect(r).toEqual({ done: false, wmesg: "vmwait" });
    fl.run({ ticks: fl.hz - 1 });
    expect(fl.result(pid)).toEqual({ done: false, wmesg: "vmwait" });
    fl.run({ ticks: 1 });
    return fl.result(pid);
  };

  it("waits in vmwait, then fails with ENOMEM (strategy copy, 2 MiB) and leaks nothing: nprocs, uid counts, frames, allproc, threads", () => {
    const fl = new Forklab({ physBytes: 2 * MiB, strategy: "copy" });
    const p = fl.spawn({ uid: 1000 }).pid;
    const pages = Math.floor(fl.memory().framesFree * 0.6);
    fl.userAlloc(p, pages * 4096);
    const before = snapshot(fl);
    const P = kproc(fl, p), sa = P.p_sigacts!, lim = P.p_limit!, cr = P.p_ucred!, fdp = P.p_fd!;
    const refs = [sa.ps_refcnt, lim.p_refcnt, cr.cr_ref, fdp.fd_refcnt, P.p_vmspace!.vm_refcnt];
    const counters = fl.counters();
    const events: string[] = [];
    fl.on("fork", () => events.push("fork"));
    for (const flags of [FORK_FLAGS, RFPROC | RFFDG, RFPROC, RFPROC | RFTHREAD, RFPROC | RFCFDG | RFSIGSHARE]) {
      const r = flags === FORK_FLAGS ? fl.syscall(p, "fork") : fl.syscall(p, "rfork", [flags]);
      expect(done(afterVmwait(fl, p, r)).errno).toBe("ENOMEM");
      expect(snapshot(fl)).toEqual(before);
      expect([sa.ps_refcnt, lim.p_refcnt, cr.cr_ref, fdp.fd_refcnt, P.p_vmspace!.vm_refcnt]).toEqual(refs);
      expect(P.p_lock).toBe(0);
      expect(P.p_peers).toBeNull();
      expect(P.p_children.length).toBe(0);
      expect(P.p_pgrp!.pg_members.length).toBe(1);
      expect(P.p_pgrp!.pg_lock.sharecount).toBe(0);
      // A shared-table attempt left p1 its own filedesc_to_leader (as fork1 would), alone in its ring.
      if (P.p_fdtol) expect([P.p_fdtol.fdl_next, P.p_fdtol.fdl_refcount]).toEqual([P.p_fdtol, 1]);
    }
    expect(P.p_fdtol).not.toBeNull();
    expect(events).toEqual([]);
    expect(fl.counters().v_forks).toBe(counters.v_forks);
    // The same fork with copy-on-write needs only page tables, and succeeds.
    const fl2 = new Forklab({ physBytes: 2 * MiB, strategy: "cow" });
    const q = fl2.spawn({ uid: 1000 }).pid;
    fl2.userAlloc(q, pages * 4096);
    expect(fl2.proc(fork(fl2, q)).ppid).toBe(q);
  });

  it("fails with ENOMEM (after vmwait) when the address space fits but the kernel stack does not, and frees the new vmspace", () => {
    const fl = new Forklab({ physBytes: 2 * MiB, strategy: "cow" });
    const p = fl.spawn({ uid: 1000 }).pid;
    fl.userAlloc(p, Math.floor(fl.memory().framesFree * 0.6) * 4096);
    // Measure what one fork takes now (vmspace + the kernel stack's top frame), and give it back.
    const f0 = fl.memory().framesFree;
    const c = fork(fl, p);
    const perFork = f0 - fl.memory().framesFree;
    ok(fl, c, "exit", [0]);
    ok(fl, p, "wait4", [c, 0, 0, 0]);
    expect(fl.memory().framesFree).toBe(f0);
    // Leave room for the address space but one frame short for the stack.
    while (fl.memory().framesFree > perFork - 1) fl.userAlloc(p, 4096);
    expect(fl.memory().framesFree).toBe(perFork - 1);
    const before = snapshot(fl);
    const vmforks = fl.kernel.core.stat("pmapForks");
    expect(done(afterVmwait(fl, p, fl.syscall(p, "fork"))).errno).toBe("ENOMEM");
    expect(fl.kernel.core.stat("pmapForks")).toBe(vmforks + 1); // vm_fork did run
    expect(snapshot(fl)).toEqual(before);
    expect(kproc(fl, p).p_vmspace!.vm_refcnt).toBe(1);
  });
});

describe("determinism", () => {
  const script = (fl: Forklab) => {
    const p = fl.spawn({ uid: 1000 }).pid;
    const kids = [fork(fl, p), fork(fl, p), rfork(fl, p, RFPROC | RFMEM)];
    fl.syscall(p, "vfork");
    fl.run({ ticks: 3 });
    for (const c of kids) ok(fl, c, "exit", [1]);
    fl.run({ ticks: 10 });
    const q = fl.spawn({ uid: 0 }).pid;
    for (let i = 0; i < 5; i++) fork(fl, q);
    fl.run({ ticks: 5 });
    return fl.traceHash();
  };

  it("two kernels with the same seed and the same calls (including run()) give the same trace hash", () => {
    const a = script(new Forklab({ physBytes: 16 * MiB, trace: true, ncpus: 2, randompid: 1000, seed: 3 }));
    const b = script(new Forklab({ physBytes: 16 * MiB, trace: true, ncpus: 2, randompid: 1000, seed: 3 }));
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });

  it("a different seed with ncpus 2 and randompid gives a different hash", () => {
    const a = script(new Forklab({ physBytes: 16 * MiB, trace: true, ncpus: 2, randompid: 1000, seed: 3 }));
    const b = script(new Forklab({ physBytes: 16 * MiB, trace: true, ncpus: 2, randompid: 1000, seed: 4 }));
    expect(a).not.toBe(b);
  });
});

describe("fork1: what lwp_fork copies, and the rev-1.76 quirks around it", () => {
  it("the child's LWP inherits the forking LWP's pending signals (lwp_siglist, in the copy region) and mask; p_siglist starts empty", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const set = fl.userAlloc(p, 16);
    fl.writeWord(p, set, (1 << (SIGUSR1 - 1)) | (1 << (SIGUSR2 - 1)));
    ok(fl, p, "sigprocmask", [1 /* SIG_BLOCK */, set, 0]);
    fl.signal(p, SIGUSR2, 0); // to the LWP
    fl.signal(p, SIGUSR1);    // to the process
    const c = fork(fl, p);    // both masked: CURSIGNB is false
    const bit = (s: number) => 1n << BigInt(s - 1);
    expect(klwp(fl, c).lwp_siglist).toBe(bit(SIGUSR2));
    expect(kproc(fl, c).p_siglist).toBe(0n);
    expect(klwp(fl, c).lwp_sigmask).toBe(bit(SIGUSR1) | bit(SIGUSR2));
  });

  it("usched_bsd4 heuristic_forking: child and parent estcpu both go up by ESTCPUPPQ (512), capped at ESTCPUMAX (16384)", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const P = klwp(fl, p);
    const base = P.lwp_estcpu;
    const c = fork(fl, p);
    expect(P.lwp_estcpu).toBe(base + 512);
    expect(klwp(fl, c).lwp_estcpu).toBe(base + 512);
    expect(klwp(fl, c).lwp_origcpu).toBe(base + 512);
    for (let i = 0; i < 40; i++) fork(fl, p);
    expect(P.lwp_estcpu).toBe(16384);
    const d = fork(fl, p);
    expect(klwp(fl, d).lwp_estcpu).toBe(16384);
  });

  it("lwp_cpbase is the last scheduler tick (gd_schedclock.time - periodic) of the forking CPU", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    fl.run({ ticks: 5 });
    const cpu = fl.kernel.cpus[klwp(fl, p).cpu];
    const c = fork(fl, p);
    expect(klwp(fl, c).lwp_cpbase).toBe(cpu.gd_schedclock.time - cpu.gd_schedclock.periodic);
  });

  it("vm_fork waits in \"vmwait\" while memory is severe, holding the parent (PHOLD) and the group lock; it proceeds once memory is back", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    fl.kernel.tun.vmSevereFrames = fl.memory().framesFree + 1;
    const sleeps: KernelEvent<"sleep">[] = [];
    fl.on("sleep", (e) => { if (e.pid === p) sleeps.push(e); });
    expect(fl.syscall(p, "fork")).toEqual({ done: false, wmesg: "vmwait" });
    expect(sleeps).toEqual([expect.objectContaining({ wmesg: "vmwait", timo: 100 })]);
    expect(fl.proc(p).lock).toBe(1);
    expect(kproc(fl, p).p_pgrp!.pg_lock.sharecount).toBe(1);
    expect(fl.kernel.nprocs).toBe(4); // the child exists already (SIDL)
    const child = fl.proc(p).children[0];
    expect(fl.proc(child).stat).toBe("SIDL");
    fl.run({ ticks: 250 });
    expect(fl.result(p)).toEqual({ done: false, wmesg: "vmwait" }); // re-checked every hz
    expect(sleeps.length).toBe(3);
    fl.kernel.tun.vmSevereFrames = 0;
    fl.run({ ticks: 100 });
    expect(done(fl.result(p)).rv[0]).toBe(child);
    expect(fl.proc(child).stat).toBe("SACTIVE");
    expect(fl.proc(p).lock).toBe(0);
  });

  it("quirk (rev 1.76): p_lock is in the bcopy'd region, so a child forked while another LWP's fork holds the parent inherits the hold, and its exit then waits in \"reap1\" for ever", () => {
    const fl = lab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const stack = fl.userAlloc(p, 4096) + 4096;
    ok(fl, p, "lwp_create", [lwpParams(fl, p, { func: 0x1000, arg: 0, stack, tid1: 0, tid2: 0 })]);
    fl.kernel.tun.vmSevereFrames = fl.memory().framesFree + 1;
    expect(fl.syscall({ pid: p, tid: 0 }, "fork")).toEqual({ done: false, wmesg: "vmwait" }); // PHOLD(p1) held
    expect(fl.syscall({ pid: p, tid: 1 }, "fork")).toEqual({ done: false, wmesg: "vmwait" }); // bcopy sees p_lock 1
    fl.kernel.tun.vmSevereFrames = 0;
    fl.run({ ticks: 101 });
    const c0 = done(fl.result({ pid: p, tid: 0 })).rv[0];
    const c1 = done(fl.result({ pid: p, tid: 1 })).rv[0];
    expect(fl.proc(p).lock).toBe(0);
    expect(fl.proc(c0).lock).toBe(0);
    expect(fl.proc(c1).lock).toBe(1); // nobody will ever PRELE it
    ok(fl, c0, "exit", [0]);
    expect(fl.syscall(c1, "exit", [0])).toEqual({ done: false, wmesg: "reap1" });
    fl.run({ ticks: 1000 });
    expect(fl.result(c1)).toEqual({ done: false, wmesg: "reap1" });
    expect(fl.proc(c1).stat).toBe("SACTIVE");
  });
});

describe("forklab only: the core's thread slots run out", () => {
  it("a fork when every LWP tree head is taken fails with ENOMEM and backs out nprocs and the uid count", () => {
    // 4 MiB gives 256 thread slots; maxproc above it lets fork1 reach the allocation.
    const fl = new Forklab({ physBytes: 4 << 20, maxproc: 5000 });
    const sh = fl.spawn({ uid: 0 }).pid;
    const heads: number[] = [];
    for (let h = fl.kernel.core.x.lwptree_alloc(); h !== 0; h = fl.kernel.core.x.lwptree_alloc()) heads.push(h);
    const nprocs = fl.kernel.nprocs, count = fl.kernel.uids.uilookup(0)!.ui_proccnt;
    const r = fl.syscall(sh, "fork");
    expect(r).toMatchObject({ done: true, error: 12, errno: "ENOMEM" });
    expect(fl.kernel.nprocs).toBe(nprocs);
    expect(fl.kernel.uids.uilookup(0)!.ui_proccnt).toBe(count);
    for (const h of heads) fl.kernel.core.x.lwptree_free(h);
    expect(fl.syscall(sh, "fork")).toMatchObject({ done: true, error: 0 });
  });
});
