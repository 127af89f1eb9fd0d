// Pipes (pipe.ts, sys_pipe.c 1.46), fcntl, select and poll (sys_generic.ts), readv/writev
// and fstat on pipes, in virtual time (reference userland §8).
import { describe, it, expect } from "vitest";
import { newLab, sys, ok, sleeps, forkChild, ustr } from "./helpers.js";
import type { Forklab } from "../../src/index.js";

const SIGPIPE = 13, SIGUSR1 = 30;
const O_NONBLOCK = 4;
const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4;
const POLLIN = 1, POLLOUT = 4, POLLHUP = 0x10, POLLNVAL = 0x20;

function pipe(fl: Forklab, pid: number): [number, number] {
  const r = sys(fl, pid, "pipe");
  expect(r.error).toBe(0);
  return [r.rv[0], r.rv[1]];
}
function bytes(fl: Forklab, pid: number, s: string | Uint8Array): number {
  const b = typeof s === "string" ? new TextEncoder().encode(s) : s;
  const va = fl.userAlloc(pid, Math.max(1, b.length));
  if (b.length) fl.writeUser(pid, va, b);
  return va;
}
const text = (fl: Forklab, pid: number, va: number, n: number) => new TextDecoder().decode(fl.readUser(pid, va, n));

describe("pipe(2)", () => {
  it("returns both descriptors in eax and edx, the lowest free ones (0-2 are the console)", () => {
    const fl = newLab();
    const p = fl.spawn();
    expect(pipe(fl, p.pid)).toEqual([3, 4]);
  });

  it("both ends read and write: writing fd[1] feeds fd[0] and writing fd[0] feeds fd[1]", () => {
    const fl = newLab();
    const p = fl.spawn();
    const [r, w] = pipe(fl, p.pid);
    const buf = fl.userAlloc(p.pid, 64);
    expect(ok(fl, p.pid, "write", [w, bytes(fl, p.pid, "to-r"), 4])).toBe(4);
    expect(ok(fl, p.pid, "write", [r, bytes(fl, p.pid, "to-w"), 4])).toBe(4);
    expect(ok(fl, p.pid, "read", [r, buf, 64])).toBe(4);
    expect(text(fl, p.pid, buf, 4)).toBe("to-r");
    expect(ok(fl, p.pid, "read", [w, buf, 64])).toBe(4);
    expect(text(fl, p.pid, buf, 4)).toBe("to-w");
  });

  it("a read of an empty pipe sleeps in \"piperd\" until a writer in another process writes; it returns what is there", () => {
    const fl = newLab();
    const p = fl.spawn();
    const [r, w] = pipe(fl, p.pid);
    const c = forkChild(fl, p.pid);
    const buf = fl.userAlloc(p.pid, 64);
    expect(sleeps(fl, p.pid, "read", [r, buf, 64])).toBe("piperd");
    fl.run({ ticks: 5 });
    expect(fl.result(p.pid)).toEqual({ done: false, wmesg: "piperd" });
    expect(ok(fl, c, "write", [w, bytes(fl, c, "abc"), 3])).toBe(3);
    fl.run({ ticks: 1 });
    expect(fl.result(p.pid)).toMatchObject({ done: true, error: 0, rv: [3, 0] });
    expect(text(fl, p.pid, buf, 3)).toBe("abc");
  });

  it("EOF: read gives 0 once the last writer closes (the child's copy of the descriptor counts)", () => {
    const fl = newLab();
    const p = fl.spawn();
    const [r, w] = pipe(fl, p.pid);
    const c = forkChild(fl, p.pid);
    ok(fl, p.pid, "close", [w]);
    ok(fl, c, "write", [w, bytes(fl, c, "x"), 1]);
    const buf = fl.userAlloc(p.pid, 8);
    expect(ok(fl, p.pid, "read", [r, buf, 8])).toBe(1);
    expect(sleeps(fl, p.pid, "read", [r, buf, 8])).toBe("piperd"); // the child still holds w
    ok(fl, c, "exit", [0]);
    fl.run({ ticks: 1 });
    expect(fl.result(p.pid)).toMatchObject({ done: true, error: 0, rv: [0, 0] });
    expect(ok(fl, p.pid, "read", [r, buf, 8])).toBe(0);
  });

  it("a write with no reader is EPIPE and SIGPIPE to the writer (which kills it by default)", () => {
    const fl = newLab();
    const p = fl.spawn();
    const [r, w] = pipe(fl, p.pid);
    ok(fl, p.pid, "close", [r]);
    const sigs: number[] = [];
    fl.on("signal", (e) => { if (e.pid === p.pid) sigs.push(e.sig); });
    const res = fl.syscall(p.pid, "write", [w, bytes(fl, p.pid, "x"), 1]);
    expect(res).toMatchObject({ done: true, errno: "EPIPE" });
    expect(sigs).toEqual([SIGPIPE]);
  });

  it("PIPE_BUF: a write of 512 bytes or less waits for room for all of it; a bigger one fills the buffer and waits for the rest", () => {
    const fl = newLab();
    const p = fl.spawn();
    const [r, w] = pipe(fl, p.pid);
    const big = bytes(fl, p.pid, new Uint8Array(16384 - 100).fill(0x61));
    expect(ok(fl, p.pid, "write", [w, big, 16384 - 100])).toBe(16284);
    // 100 bytes free: an atomic 200-byte write takes none of it and sleeps.
    const c = forkChild(fl, p.pid);
    expect(sleeps(fl, p.pid, "write", [w, bytes(fl, p.pid, new Uint8Array(200).fill(0x62)), 200])).toBe("pipewr");
    const buf = fl.userAlloc(c, 16384);
    expect(ok(fl, c, "read", [r, buf, 50])).toBe(50);   // 150 free, still not 200: the writer sleeps on
    fl.run({ ticks: 1 });
    expect(fl.result(p.pid)).toEqual({ done: false, wmesg: "pipewr" });
    expect(ok(fl, c, "read", [r, buf, 16384])).toBe(16234); // emptied: the writer wakes and writes all 200
    fl.run({ ticks: 1 });
    expect(fl.result(p.pid)).toMatchObject({ done: true, error: 0, rv: [200, 0] });
    expect(ok(fl, c, "read", [r, buf, 16384])).toBe(200);
    // 20000 bytes into an empty pipe: the buffer grows to 64 KiB and takes them all at once.
    expect(ok(fl, p.pid, "write", [w, bytes(fl, p.pid, new Uint8Array(20000)), 20000])).toBe(20000);
    const st = fl.userAlloc(p.pid, 104);
    ok(fl, p.pid, "fstat", [r, st]);
    expect(fl.readWord(p.pid, st + 72)).toBe(65536); // st_blksize: the buffer size
    expect(fl.readWord(p.pid, st + 56)).toBe(20000); // st_size: bytes queued
    expect(fl.readUser(p.pid, st + 16, 2)).toEqual(Uint8Array.of(0x00, 0x10)); // S_IFIFO
  });

  it("the read sleeps with PCATCH: a blocked signal leaves it asleep, an unblocked one breaks it (and SIGUSR1 kills)", () => {
    const fl = newLab();
    const p = fl.spawn();
    const [r] = pipe(fl, p.pid);
    const buf = fl.userAlloc(p.pid, 8);
    const sigset = fl.userAlloc(p.pid, 16);
    fl.writeWord(p.pid, sigset, 1 << (SIGUSR1 - 1));
    ok(fl, p.pid, "sigprocmask", [1, sigset, 0]);               // SIG_BLOCK SIGUSR1
    expect(sleeps(fl, p.pid, "read", [r, buf, 8])).toBe("piperd");
    fl.signal(p.pid, SIGUSR1);
    fl.run({ ticks: 1 });
    expect(fl.result(p.pid)).toEqual({ done: false, wmesg: "piperd" });
    let status = -1;
    fl.on("exit", (e) => { if (e.pid === p.pid) status = e.status; });
    const q = fl.spawn();
    const [r2] = pipe(fl, q.pid);
    expect(sleeps(fl, q.pid, "read", [r2, fl.userAlloc(q.pid, 8), 8])).toBe("piperd");
    fl.on("exit", (e) => { if (e.pid === q.pid) status = e.status; });
    fl.signal(q.pid, SIGUSR1);
    fl.run({ ticks: 1 });
    expect(status).toBe(SIGUSR1);
  });

  it("O_NONBLOCK through fcntl(F_SETFL): an empty read is EAGAIN, a full pipe's write EAGAIN or the count taken", () => {
    const fl = newLab();
    const p = fl.spawn();
    const [r, w] = pipe(fl, p.pid);
    expect(ok(fl, p.pid, "fcntl", [r, F_GETFL, 0])).toBe(2); // O_RDWR
    ok(fl, p.pid, "fcntl", [r, F_SETFL, O_NONBLOCK]);
    ok(fl, p.pid, "fcntl", [w, F_SETFL, O_NONBLOCK]);
    expect(ok(fl, p.pid, "fcntl", [r, F_GETFL, 0])).toBe(2 | O_NONBLOCK); // the access mode is kept
    const buf = fl.userAlloc(p.pid, 20000);
    expect(sys(fl, p.pid, "read", [r, buf, 8]).errno).toBe("EAGAIN");
    expect(ok(fl, p.pid, "write", [w, buf, 16000])).toBe(16000);
    expect(ok(fl, p.pid, "write", [w, buf, 1000])).toBe(384);        // the partial count
    expect(sys(fl, p.pid, "write", [w, buf, 10]).errno).toBe("EAGAIN");
    // EOF is checked before O_NONBLOCK.
    ok(fl, p.pid, "close", [w]);
    expect(ok(fl, p.pid, "read", [r, buf, 20000])).toBe(16384);
    expect(ok(fl, p.pid, "read", [r, buf, 8])).toBe(0);
  });

  it("fcntl: F_DUPFD gives the lowest descriptor at or above arg; F_SETFD/F_GETFD keep FD_CLOEXEC; bad ones EINVAL/EBADF", () => {
    const fl = newLab();
    const p = fl.spawn();
    const [r] = pipe(fl, p.pid);
    expect(ok(fl, p.pid, "fcntl", [r, F_DUPFD, 10])).toBe(10);
    expect(ok(fl, p.pid, "fcntl", [r, F_DUPFD, 0])).toBe(5);
    expect(ok(fl, p.pid, "fcntl", [r, F_GETFD, 0])).toBe(0);
    ok(fl, p.pid, "fcntl", [r, F_SETFD, 1]);
    expect(ok(fl, p.pid, "fcntl", [r, F_GETFD, 0])).toBe(1);
    expect(sys(fl, p.pid, "fcntl", [r, F_DUPFD, -1]).errno).toBe("EINVAL");
    expect(sys(fl, p.pid, "fcntl", [r, 99, 0]).errno).toBe("EINVAL");
    expect(sys(fl, p.pid, "fcntl", [77, F_GETFD, 0]).errno).toBe("EBADF");
    expect(sys(fl, p.pid, "lseek", [r, 0, 0, 0, 0]).errno).toBe("ESPIPE");
  });

  it("readv and writev move several iovecs; more than 1024 is EMSGSIZE", () => {
    const fl = newLab();
    const p = fl.spawn();
    const [r, w] = pipe(fl, p.pid);
    const iov = fl.userAlloc(p.pid, 16);
    const a = bytes(fl, p.pid, "head-"), b = bytes(fl, p.pid, "tail");
    fl.writeWord(p.pid, iov, a); fl.writeWord(p.pid, iov + 4, 5);
    fl.writeWord(p.pid, iov + 8, b); fl.writeWord(p.pid, iov + 12, 4);
    expect(ok(fl, p.pid, "writev", [w, iov, 2])).toBe(9);
    const x = fl.userAlloc(p.pid, 8), y = fl.userAlloc(p.pid, 8);
    fl.writeWord(p.pid, iov, x); fl.writeWord(p.pid, iov + 4, 3);
    fl.writeWord(p.pid, iov + 8, y); fl.writeWord(p.pid, iov + 12, 8);
    expect(ok(fl, p.pid, "readv", [r, iov, 2])).toBe(9);
    expect(text(fl, p.pid, x, 3) + text(fl, p.pid, y, 6)).toBe("head-tail");
    expect(sys(fl, p.pid, "readv", [r, iov, 1025]).errno).toBe("EMSGSIZE");
  });
});

describe("select(2) and poll(2)", () => {
  it("poll: POLLIN with data, POLLOUT with room, POLLHUP when the peer is gone, POLLNVAL for a closed fd (counted), 0 for fd < 0", () => {
    const fl = newLab();
    const p = fl.spawn();
    const [r, w] = pipe(fl, p.pid);
    const fds = fl.userAlloc(p.pid, 32);
    const set = (i: number, fd: number, ev: number) => { fl.writeWord(p.pid, fds + 8 * i, fd >>> 0); fl.writeWord(p.pid, fds + 8 * i + 4, ev); };
    const revents = (i: number) => fl.readWord(p.pid, fds + 8 * i + 4) >>> 16;
    set(0, r, POLLIN); set(1, w, POLLOUT); set(2, 40, POLLIN); set(3, -1, POLLIN);
    expect(ok(fl, p.pid, "poll", [fds, 4, 0])).toBe(2);
    expect([revents(0), revents(1), revents(2), revents(3)]).toEqual([0, POLLOUT, POLLNVAL, 0]);
    ok(fl, p.pid, "write", [w, bytes(fl, p.pid, "z"), 1]);
    ok(fl, p.pid, "close", [w]);
    set(0, r, POLLIN);
    expect(ok(fl, p.pid, "poll", [fds, 1, 0])).toBe(1);
    expect(revents(0)).toBe(POLLIN | POLLHUP);
    expect(sys(fl, p.pid, "poll", [fds, 1, -2]).errno).toBe("EINVAL");
    // nfds over both RLIMIT_NOFILE (2 * maxproc, under 1064 here) and FD_SETSIZE (1024): EINVAL.
    expect(sys(fl, p.pid, "poll", [fds, 1065, 0]).errno).toBe("EINVAL");
  });

  it("poll with a timeout sleeps in virtual time and returns 0 when it runs out; a write in another process wakes it early", () => {
    const fl = newLab();
    const p = fl.spawn();
    const [r, w] = pipe(fl, p.pid);
    const fds = fl.userAlloc(p.pid, 8);
    fl.writeWord(p.pid, fds, r); fl.writeWord(p.pid, fds + 4, POLLIN);
    expect(sleeps(fl, p.pid, "poll", [fds, 1, 50])).toBe("poll"); // 50 ms = 5 ticks at hz 100
    fl.run({ ticks: 4 });
    expect(fl.result(p.pid)).toEqual({ done: false, wmesg: "poll" });
    fl.run({ ticks: 2 });
    expect(fl.result(p.pid)).toMatchObject({ done: true, error: 0, value: 0 });
    const c = forkChild(fl, p.pid);
    expect(sleeps(fl, p.pid, "poll", [fds, 1, -1])).toBe("poll");
    ok(fl, c, "write", [w, bytes(fl, c, "!"), 1]);
    fl.run({ ticks: 1 });
    expect(fl.result(p.pid)).toMatchObject({ done: true, error: 0, value: 1 });
  });

  it("select: bits of the ready descriptors, EBADF for a closed one in a set, EINVAL for nd < 0 or a bad timeval; {0,0} polls", () => {
    const fl = newLab();
    const p = fl.spawn();
    const [r, w] = pipe(fl, p.pid);
    const rd = fl.userAlloc(p.pid, 4), wr = fl.userAlloc(p.pid, 4), tv = fl.userAlloc(p.pid, 8);
    fl.writeWord(p.pid, rd, 1 << r);
    fl.writeWord(p.pid, wr, (1 << w) | (1 << 1)); // the pipe and the console are writable
    expect(ok(fl, p.pid, "select", [w + 1, rd, wr, 0, tv])).toBe(2);
    expect(fl.readWord(p.pid, rd)).toBe(0);
    expect(fl.readWord(p.pid, wr)).toBe((1 << w) | (1 << 1));
    fl.writeWord(p.pid, rd, 1 << 9);
    expect(sys(fl, p.pid, "select", [10, rd, 0, 0, tv]).errno).toBe("EBADF");
    expect(sys(fl, p.pid, "select", [-1, 0, 0, 0, tv]).errno).toBe("EINVAL");
    // nd past the table is lowered to its size (15 slots: one word of each set is read).
    fl.writeWord(p.pid, rd, 1 << r);
    expect(ok(fl, p.pid, "select", [100000, rd, 0, 0, tv])).toBe(0);
    fl.writeWord(p.pid, tv + 4, 1000000);
    expect(sys(fl, p.pid, "select", [1, 0, 0, 0, tv]).errno).toBe("EINVAL");
    // {0, 250000}: 25 ticks of sleep, then 0 and the set cleared.
    fl.writeWord(p.pid, tv + 4, 250000);
    fl.writeWord(p.pid, rd, 1 << r);
    expect(sleeps(fl, p.pid, "select", [r + 1, rd, 0, 0, tv])).toBe("select");
    fl.run({ ticks: 26 });
    expect(fl.result(p.pid)).toMatchObject({ done: true, error: 0, value: 0 });
    expect(fl.readWord(p.pid, rd)).toBe(0);
  });

  it("select and poll on regular files are always ready (seltrue)", () => {
    const fl = newLab();
    const p = fl.spawn();
    const fd = ok(fl, p.pid, "open", [ustr(fl, p.pid, "/f"), 0x202, 0o644]);
    const fds = fl.userAlloc(p.pid, 8);
    fl.writeWord(p.pid, fds, fd); fl.writeWord(p.pid, fds + 4, POLLIN | POLLOUT);
    expect(ok(fl, p.pid, "poll", [fds, 1, -1])).toBe(1);
    expect(fl.readWord(p.pid, fds + 4) >>> 16).toBe(POLLIN | POLLOUT);
  });
});

describe("the guest cannot reach the host through sizes", () => {
  it("a read whose buffer runs out of user space is EFAULT; poll of more descriptors than the core's I/O buffer holds is copied in pieces", () => {
    const fl = newLab({ maxproc: 40000 });
    const p = fl.spawn();
    const fd = ok(fl, p.pid, "open", [ustr(fl, p.pid, "/big"), 0x202, 0o644]);
    ok(fl, p.pid, "break", [0x20000]);
    ok(fl, p.pid, "write", [fd, 0, 0x20000]);
    ok(fl, p.pid, "lseek", [fd, 0, 0, 0, 0]);
    expect(sys(fl, p.pid, "read", [fd, 0xffff0000, 0x20000]).errno).toBe("EFAULT");
    // 9000 pollfds (72000 bytes, over the core's 64 KiB buffer): all fd -1, so revents 0.
    const n = 9000;
    const fds = ok(fl, p.pid, "mmap", [0, n * 8, 3, 0x1002, -1, 0, 0, 0]);
    fl.writeUser(p.pid, fds, new Uint8Array(n * 8).fill(0xff));
    expect(ok(fl, p.pid, "poll", [fds, n, 0])).toBe(0);
  });
});
