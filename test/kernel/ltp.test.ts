// The properties the LTP fork family asserts (prior-art §3.4), checked against forklab
// driven through syscalls. Where DragonFly 2008 differs from Linux, the test follows
// DragonFly and says so.
import { describe, it, expect } from "vitest";
import type { Forklab, KernelEvent } from "../../src/index.js";
import {
  newLab, sys, ok, ustr, usigset, forkChild, wait4, forkWaitProgram, SIG_BLOCK, SIG_UNBLOCK, sigbit,
} from "./helpers.js";
import { SIGUSR1, SIGUSR2, W_EXITCODE } from "../../src/kernel/param.js";
import { ECHILD, EAGAIN, EBADF } from "../../src/kernel/errno.js";
import type { Proc } from "../../src/kernel/proc.js";

const O_RDONLY = 0, O_RDWR = 2, O_CREAT = 0x200;
const SEEK_SET = 0, SEEK_CUR = 1;

const procOf = (fl: Forklab, pid: number): Proc =>
  fl.kernel.procs.pidhash.get(pid) ?? fl.kernel.procs.zombproc.toArray().find((p) => p.p_pid === pid)!;

function pending(fl: Forklab, pid: number): bigint {
  const va = fl.userAlloc(pid, 16);
  ok(fl, pid, "sigpending", [va]);
  return BigInt(fl.readWord(pid, va)) | (BigInt(fl.readWord(pid, va + 4)) << 32n);
}

/** open(path, flags, 0644) in pid; returns the fd. */
function open(fl: Forklab, pid: number, path: string, flags: number): number {
  return ok(fl, pid, "open", [ustr(fl, pid, path), flags, 0o644]);
}
function write(fl: Forklab, pid: number, fd: number, text: string): number {
  const b = new TextEncoder().encode(text);
  const va = fl.userAlloc(pid, b.length);
  fl.writeUser(pid, va, b);
  return ok(fl, pid, "write", [fd, va, b.length]);
}
function read(fl: Forklab, pid: number, fd: number, n: number): string {
  const va = fl.userAlloc(pid, Math.max(1, n));
  const got = ok(fl, pid, "read", [fd, va, n]);
  return got ? new TextDecoder().decode(fl.readUser(pid, va, got)) : "";
}
function lseek(fl: Forklab, pid: number, fd: number, off: number, whence: number): number {
  return ok(fl, pid, "lseek", [fd, 0, off, 0, whence]);
}

describe("fork01 / fork02: return values and exit status", () => {
  it("the parent gets the child's pid, the child gets 0 (eax) with edx 1, and getpid in the child is that pid", () => {
    const fl = newLab();
    const p = fl.spawn();
    const r = sys(fl, p.pid, "fork");
    expect(r.error).toBe(0);
    const child = r.rv[0];
    expect(child).toBeGreaterThan(0);
    expect(r.rv[1]).toBe(0);
    fl.run({ ticks: 1 }); // the child runs fork_return
    expect(fl.trapframe(child)).toMatchObject({ eax: 0, edx: 1 });
    expect(sys(fl, child, "getpid").rv).toEqual([child, p.pid]);
    expect(sys(fl, child, "getppid").rv[0]).toBe(p.pid);
  });

  it("the child's exit(42) reaches waitpid: that pid, WIFEXITED, WEXITSTATUS 42", () => {
    const fl = newLab();
    const p = fl.spawn();
    const c = forkChild(fl, p.pid);
    sys(fl, c, "exit", [42]);
    const w = wait4(fl, p.pid, c);
    expect(w.pid).toBe(c);
    expect(w.status & 0x7f).toBe(0);          // WIFEXITED
    expect((w.status >> 8) & 0xff).toBe(42);   // WEXITSTATUS
  });

  it("end to end in i386 code: fork, the child exits 42, the parent's wait4 sees it and exits with it", () => {
    const fl = newLab();
    const exits: KernelEvent<"exit">[] = [];
    fl.on("exit", (e) => exits.push(e));
    const p = fl.spawn({ image: forkWaitProgram("fork01", 42) });
    fl.run({ ticks: 20 });
    expect(exits.map((e) => [e.pid, e.parent, e.status])).toEqual([
      [p.pid + 1, p.pid, W_EXITCODE(42, 0)],
      [p.pid, 1, W_EXITCODE(42, 0)],
    ]);
  });
});

describe("fork07 / fork08 / fork09 / fork10: descriptors after fork", () => {
  it("fork07: the file offset is shared: a byte the child reads is gone for the parent", () => {
    const fl = newLab();
    const p = fl.spawn();
    const fd = open(fl, p.pid, "/data", O_CREAT | O_RDWR);
    expect(write(fl, p.pid, fd, "abcdefghij")).toBe(10);
    expect(lseek(fl, p.pid, fd, 0, SEEK_SET)).toBe(0);
    const kids = [forkChild(fl, p.pid), forkChild(fl, p.pid), forkChild(fl, p.pid)];
    expect(kids.map((c) => read(fl, c, fd, 1))).toEqual(["a", "b", "c"]);
    expect(read(fl, p.pid, fd, 1)).toBe("d"); // continues after what the children took
    expect(lseek(fl, p.pid, fd, 0, SEEK_CUR)).toBe(4);
  });

  it("fork10: lseek in the child moves the parent's offset", () => {
    const fl = newLab();
    const p = fl.spawn();
    const fd = open(fl, p.pid, "/data", O_CREAT | O_RDWR);
    write(fl, p.pid, fd, "0123456789");
    const c = forkChild(fl, p.pid);
    expect(lseek(fl, c, fd, 7, SEEK_SET)).toBe(7);
    expect(read(fl, p.pid, fd, 2)).toBe("78");
    expect(lseek(fl, c, fd, 0, SEEK_CUR)).toBe(9);
  });

  it("fork08: closing the inherited descriptor in the child leaves the parent's open", () => {
    const fl = newLab();
    const p = fl.spawn();
    const fd = open(fl, p.pid, "/data", O_CREAT | O_RDWR);
    write(fl, p.pid, fd, "xyz");
    const c = forkChild(fl, p.pid);
    ok(fl, c, "close", [fd]);
    expect(sys(fl, c, "read", [fd, fl.userAlloc(c, 1), 1]).error).toBe(EBADF);
    expect(lseek(fl, p.pid, fd, 0, SEEK_SET)).toBe(0);
    expect(read(fl, p.pid, fd, 3)).toBe("xyz");
  });

  it("fork09: the child can close every descriptor the parent opened and open them again", () => {
    const fl = newLab();
    const p = fl.spawn();
    const fds = Array.from({ length: 20 }, (_, i) => open(fl, p.pid, `/f${i}`, O_CREAT | O_RDWR));
    // 0, 1 and 2 are the console, inherited from init (the open files come after them).
    expect(fds).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
    const c = forkChild(fl, p.pid);
    for (const fd of fds) ok(fl, c, "close", [fd]);
    for (let i = 0; i < 20; i++) expect(open(fl, c, `/f${i}`, O_RDONLY)).toBe(i + 3);
    for (const fd of fds) expect(lseek(fl, p.pid, fd, 0, SEEK_CUR)).toBe(0); // the parent's are intact
  });
});

describe("fork_procs (fork06/fork11): many children, each reaped exactly once", () => {
  it("1000 children are forked and each wait returns one of them, once; a further wait gives ECHILD", () => {
    const fl = newLab({ physBytes: 64 << 20, maxproc: 2000 });
    const p = fl.spawn();
    const nprocs0 = fl.sysctl("kern.nprocs");
    const kids = new Set<number>();
    for (let i = 0; i < 1000; i++) kids.add(forkChild(fl, p.pid));
    expect(kids.size).toBe(1000);
    expect(fl.sysctl("kern.nprocs")).toBe(nprocs0 + 1000);
    for (const c of kids) sys(fl, c, "exit", [c & 0xff]);
    const reaped = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const w = wait4(fl, p.pid, -1);
      expect(w.error).toBe(0);
      expect(kids.has(w.pid)).toBe(true);
      expect(reaped.has(w.pid)).toBe(false);
      expect(w.status).toBe(W_EXITCODE(w.pid & 0xff, 0));
      reaped.add(w.pid);
    }
    expect(wait4(fl, p.pid, -1).error).toBe(ECHILD);
    expect(fl.sysctl("kern.nprocs")).toBe(nprocs0);
    expect(fl.kernel.uids.uifind(0).ui_proccnt).toBe(3); // proc0, init, p
  });
});

describe("fork13: pids are not reused back to back", () => {
  it("over 3000 fork/exit/wait rounds consecutive pids differ and each wait returns the right pid and status", () => {
    const fl = newLab();
    const p = fl.spawn();
    let last = -1;
    for (let i = 0; i < 3000; i++) {
      const c = forkChild(fl, p.pid);
      expect(c).not.toBe(last);
      sys(fl, c, "exit", [i & 0xff]);
      expect(wait4(fl, p.pid, c)).toMatchObject({ pid: c, status: W_EXITCODE(i & 0xff, 0) });
      last = c;
    }
  });

  it("across the wrap at PID_MAX too: 99998, then 100, never 99999", () => {
    const fl = newLab();
    const p = fl.spawn();
    fl.kernel.procs.nextpid = 99990;
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) {
      const c = forkChild(fl, p.pid);
      seen.push(c);
      sys(fl, c, "exit", [0]);
      wait4(fl, p.pid, c);
    }
    expect(seen).toEqual([99991, 99992, 99993, 99994, 99995, 99996, 99997, 99998, 100, 101, 102, 103]);
  });
});

describe("vfork01 / vfork02", () => {
  it("vfork01: the child has the parent's real and effective uid and gid, umask, cwd and root", () => {
    const fl = newLab();
    const root = fl.spawn();
    const p = forkChild(fl, root.pid);
    ok(fl, p, "setuid", [1000]);
    procOf(fl, p).p_ucred!.cr_gid = procOf(fl, p).p_ucred!.cr_rgid = 100;
    ok(fl, p, "umask", [0o027]);
    const r = fl.syscall(p, "vfork");
    expect(r.done).toBe(false);
    const c = fl.proc(p).children[0];
    expect(sys(fl, c, "getuid").rv).toEqual([1000, 1000]); // ruid, euid
    expect(ok(fl, c, "geteuid")).toBe(1000);
    expect(sys(fl, c, "getgid").rv).toEqual([100, 100]);
    expect(procOf(fl, c).p_ucred).toBe(procOf(fl, p).p_ucred); // crhold: the same credential
    expect(procOf(fl, c).p_ucred!.cr_svuid).toBe(1000);
    expect(ok(fl, c, "umask", [0o022])).toBe(0o027);
    const pf = procOf(fl, p).p_fd!, cf = procOf(fl, c).p_fd!;
    expect(cf).not.toBe(pf); // vfork copies the table (RFFDG)
    expect(cf.fd_cdir).toBe(pf.fd_cdir);
    expect(cf.fd_rdir).toBe(pf.fd_rdir);
    sys(fl, c, "exit", [0]);
    fl.run({ ticks: 1 });
    expect(fl.result(p)).toMatchObject({ done: true, rv: [c, 0] });
  });

  it("vfork02, DragonFly 2008: the parent's pending signals (p_siglist) are not pending in the child, but a blocked signal pending on the forking LWP (lwp_siglist) is", () => {
    const fl = newLab();
    const p = fl.spawn();
    ok(fl, p.pid, "sigprocmask", [SIG_BLOCK, usigset(fl, p.pid, [SIGUSR1, SIGUSR2]), 0]);
    fl.signal(p.pid, SIGUSR2);          // to the process: p_siglist
    fl.signal(p.pid, SIGUSR1, 0);       // to LWP tid 0: lwp_siglist
    const pp = procOf(fl, p.pid);
    expect(pp.p_siglist).toBe(sigbit(SIGUSR2));
    expect(fl.lwps(p.pid)[0].siglist).toBe(sigbit(SIGUSR1));
    expect(pending(fl, p.pid)).toBe(sigbit(SIGUSR1) | sigbit(SIGUSR2));
    for (const how of ["vfork", "fork"] as const) {
      const r = fl.syscall(p.pid, how); // both blocked: CURSIGNB is false, no restart
      const c = r.done ? r.rv[0] : pp.p_children.first!.value.p_pid;
      const cp = procOf(fl, c);
      expect(cp.p_siglist).toBe(0n);                              // a zeroed proc: not inherited
      expect(pending(fl, c) & sigbit(SIGUSR2)).toBe(0n);          // (Linux would say the same)
      expect(fl.lwps(c)[0].siglist).toBe(sigbit(SIGUSR1));        // the lwp copy region: inherited
      expect(pending(fl, c)).toBe(sigbit(SIGUSR1));               // (Linux would say nothing pending)
      expect(fl.lwps(c)[0].sigmask).toBe(sigbit(SIGUSR1) | sigbit(SIGUSR2));
      // Unblocking SIGUSR1 in the child delivers the inherited signal: it dies of it.
      sys(fl, c, "sigprocmask", [SIG_UNBLOCK, usigset(fl, c, [SIGUSR1]), 0]);
      expect(procOf(fl, c).p_stat).toBe(4);
      fl.run({ ticks: 2 });
      if (how === "vfork") expect(fl.result(p.pid)).toMatchObject({ done: true, rv: [c, 0] });
      expect(wait4(fl, p.pid, c)).toMatchObject({ pid: c, status: W_EXITCODE(0, SIGUSR1) });
    }
    expect(pending(fl, p.pid)).toBe(sigbit(SIGUSR1) | sigbit(SIGUSR2)); // the parent keeps both
  });
});

describe("setrlimit01 and the process limits", () => {
  function setNproc(fl: Forklab, pid: number, n: number): void {
    const rl = fl.userAlloc(pid, 16);
    [n, 0, n, 0].forEach((w, i) => fl.writeWord(pid, rl + 4 * i, w));
    ok(fl, pid, "setrlimit", [7 /* RLIMIT_NPROC */, rl]);
  }

  it("with RLIMIT_NPROC = 10 a non-root user's forks fail with EAGAIN once it has 10 processes (after the hz/2 \"fork\" sleep)", () => {
    const fl = newLab();
    const root = fl.spawn();
    const u = forkChild(fl, root.pid);
    ok(fl, u, "setuid", [1000]);
    setNproc(fl, u, 10);
    const limits: KernelEvent<"limit">[] = [];
    fl.on("limit", (e) => limits.push(e));
    const kids: number[] = [];
    let error = 0;
    for (let i = 0; i < 20 && !error; i++) {
      const r = fl.syscall(u, "fork");
      if (r.done) { expect(r.error).toBe(0); kids.push(r.rv[0]); continue; }
      expect(r.wmesg).toBe("fork");
      const t0 = fl.ticks;
      fl.run({ until: () => fl.result(u).done });
      expect(fl.ticks - t0).toBe(fl.hz / 2);
      const res = fl.result(u);
      if (res.done) error = res.error;
    }
    expect(error).toBe(EAGAIN);
    expect(kids.length).toBe(9); // u itself and 9 children: 10 processes of uid 1000
    expect(fl.kernel.uids.uifind(1000).ui_proccnt).toBe(10);
    expect(limits).toEqual([expect.objectContaining({ pid: u, uid: 1000, which: "nproc", printed: true })]);
    expect(fl.messages().some((m) => m.includes("maxproc limit exceeded by uid 1000"))).toBe(true);
    // One child gone: forking works again.
    sys(fl, kids[0], "exit", [0]);
    wait4(fl, u, kids[0]);
    expect(sys(fl, u, "fork").error).toBe(0);
  });

  it("root is not held to RLIMIT_NPROC (chgproccnt gets max 0)", () => {
    const fl = newLab();
    const p = fl.spawn();
    setNproc(fl, p.pid, 2);
    for (let i = 0; i < 5; i++) expect(sys(fl, p.pid, "fork").error).toBe(0);
  });

  it("kern.maxproc: non-root users may not take the last 10 slots, root may, and nobody the last one", () => {
    const fl = newLab();
    const root = fl.spawn();
    const u = forkChild(fl, root.pid);
    ok(fl, u, "setuid", [1000]);
    fl.sysctlSet("kern.maxproc", fl.sysctl("kern.nprocs") + 11);
    expect(sys(fl, u, "fork").error).toBe(0); // nprocs = maxproc - 11 before it
    const r = fl.syscall(u, "fork");           // nprocs = maxproc - 10: refused for uid 1000
    expect(r.done).toBe(false);
    fl.run({ ticks: fl.hz });
    expect(fl.result(u)).toMatchObject({ done: true, error: EAGAIN });
    for (let i = 0; i < 10; i++) expect(sys(fl, root.pid, "fork").error).toBe(0);
    expect(fl.sysctl("kern.nprocs")).toBe(fl.sysctl("kern.maxproc"));
    expect(fl.syscall(root.pid, "fork").done).toBe(false);
    fl.run({ ticks: fl.hz });
    expect(fl.result(root.pid)).toMatchObject({ done: true, error: EAGAIN });
  });
});
