// The console on descriptors 0-2 (tty.ts; reference userland §10.3) through the Node API,
// and the small syscalls libc start-up makes: __sysctl, set_tls_area/get_tls_area,
// ioctl, fstat/stat, issetugid, getdtablesize, getpgid, getlogin, sched_yield.
import { describe, it, expect } from "vitest";
import { newLab, sys, ok, sleeps, forkChild, ustr } from "./helpers.js";
import { ForklabError, type Forklab } from "../../src/index.js";

const TIOCGETA = 0x402C7413, TIOCSETA = 0x802C7414, TIOCGWINSZ = 0x40087468, FIONREAD = 0x4004667F;
const FIOCLEX = 0x20006601;
const u8 = (fl: Forklab, pid: number, s: string) => ustr(fl, pid, s);

describe("the console (/dev/console on descriptors 0, 1, 2)", () => {
  it("every process inherits it from init; output is kept per process and in order", () => {
    const fl = newLab();
    const p = fl.spawn();
    const c = forkChild(fl, p.pid);
    expect(ok(fl, p.pid, "write", [1, u8(fl, p.pid, "from parent\n"), 12])).toBe(12);
    expect(ok(fl, c, "write", [2, u8(fl, c, "from child\n"), 11])).toBe(11);
    expect(fl.console.output()).toBe("from parent\nfrom child\n");
    expect(fl.console.output(c)).toBe("from child\n");
    expect(fl.console.bytes(p.pid)).toEqual(new TextEncoder().encode("from parent\n"));
  });

  it("onOutput hands over each write after its syscall; a listener's exception comes back as a ForklabError", () => {
    const fl = newLab();
    const p = fl.spawn();
    const seen: string[] = [];
    const off = fl.console.onOutput((o) => seen.push(`${o.pid}:${o.text}`));
    ok(fl, p.pid, "write", [1, u8(fl, p.pid, "hi"), 2]);
    expect(seen).toEqual([`${p.pid}:hi`]);
    off();
    ok(fl, p.pid, "write", [1, u8(fl, p.pid, "x"), 1]);
    expect(seen).toHaveLength(1);
    // The console's calls follow the API's re-entrancy rule: not from a listener.
    const inner = fl.console.onOutput(() => fl.console.input("x"));
    expect(() => fl.syscall(p.pid, "write", [1, u8(fl, p.pid, "z"), 1])).toThrow(/cannot be called while syscall\(\) is in progress/);
    inner();
    fl.console.onOutput(() => { throw new Error("listener broke"); });
    expect(() => fl.syscall(p.pid, "write", [1, u8(fl, p.pid, "y"), 1])).toThrow(/listener broke/);
  });

  it("a read with no input sleeps in \"ttyin\" in virtual time; input() wakes it with one line (ICANON); endInput() gives 0", () => {
    const fl = newLab();
    const p = fl.spawn();
    const buf = fl.userAlloc(p.pid, 64);
    expect(sleeps(fl, p.pid, "read", [0, buf, 64])).toBe("ttyin");
    expect(fl.console.readers).toBe(1);
    fl.run({ ticks: 10 });
    fl.console.input("first line\nsecond");
    fl.run({ ticks: 1 });
    expect(fl.result(p.pid)).toMatchObject({ done: true, error: 0, value: 11 });
    expect(new TextDecoder().decode(fl.readUser(p.pid, buf, 11))).toBe("first line\n");
    expect(ok(fl, p.pid, "read", [0, buf, 64])).toBe(6);
    fl.console.endInput();
    expect(ok(fl, p.pid, "read", [0, buf, 64])).toBe(0);
    expect(() => fl.console.input("late")).toThrow(ForklabError);
  });

  it("isatty works: ioctl(TIOCGETA) copies out ttydefaults' termios; files and pipes answer ENOTTY", () => {
    const fl = newLab();
    const p = fl.spawn();
    const t = fl.userAlloc(p.pid, 44);
    ok(fl, p.pid, "ioctl", [0, TIOCGETA, t]);
    expect([0, 4, 8, 12].map((o) => fl.readWord(p.pid, t + o))).toEqual([0x2B02, 0x3, 0x4B00, 0x5CB]);
    expect(fl.readWord(p.pid, t + 36)).toBe(9600);
    expect(fl.readUser(p.pid, t + 16, 4)).toEqual(Uint8Array.of(0x04, 0xff, 0xff, 0x7f)); // VEOF ^D, VEOL, VEOL2, VERASE
    // TIOCSETA then TIOCGETA round-trips (raw mode: ICANON off).
    fl.writeWord(p.pid, t + 12, 0);
    ok(fl, p.pid, "ioctl", [0, TIOCSETA, t]);
    const t2 = fl.userAlloc(p.pid, 44);
    ok(fl, p.pid, "ioctl", [1, TIOCGETA, t2]);
    expect(fl.readWord(p.pid, t2 + 12)).toBe(0);
    const fd = ok(fl, p.pid, "open", [u8(fl, p.pid, "/f"), 0x202, 0o644]);
    expect(sys(fl, p.pid, "ioctl", [fd, TIOCGETA, t]).errno).toBe("ENOTTY");
    const pr = sys(fl, p.pid, "pipe");
    expect(sys(fl, p.pid, "ioctl", [pr.rv[0], TIOCGETA, t]).errno).toBe("ENOTTY");
    expect(sys(fl, p.pid, "ioctl", [0, 0x20007499, 0]).errno).toBe("ENOTTY");      // unknown command
    expect(sys(fl, p.pid, "ioctl", [0, 0x50007413 | (5000 << 16), t]).errno).toBe("ENOTTY"); // len > 4096
    ok(fl, p.pid, "ioctl", [0, TIOCGWINSZ, t]);
    fl.console.input("abc");
    ok(fl, p.pid, "ioctl", [0, FIONREAD, t]);
    expect(fl.readWord(p.pid, t)).toBe(3);
    ok(fl, p.pid, "ioctl", [fd, FIOCLEX, 0]);
    expect(ok(fl, p.pid, "fcntl", [fd, 1, 0])).toBe(1);
  });

  it("open(\"/dev/console\") gives another descriptor on it (O_TRUNC changes nothing); it cannot be mmap'd", () => {
    const fl = newLab();
    const p = fl.spawn();
    const fd = ok(fl, p.pid, "open", [u8(fl, p.pid, "/dev/console"), 0x402, 0]); // O_RDWR | O_TRUNC
    expect(fd).toBe(3);
    ok(fl, p.pid, "write", [fd, u8(fl, p.pid, "via 3"), 5]);
    expect(fl.console.output(p.pid)).toBe("via 3");
    expect(sys(fl, p.pid, "mmap", [0, 4096, 1, 1, fd, 0, 0, 0]).errno).toBe("ENODEV");
  });

  it("fstat gives a character device with st_blksize 4096 (so stdio line-buffers); stat of paths too", () => {
    const fl = newLab();
    const p = fl.spawn();
    const st = fl.userAlloc(p.pid, 104);
    ok(fl, p.pid, "fstat", [1, st]);
    expect(fl.readWord(p.pid, st + 16) & 0xFFFF).toBe(0o020600); // S_IFCHR | 0600
    expect(fl.readWord(p.pid, st + 72)).toBe(4096);
    const fd = ok(fl, p.pid, "open", [u8(fl, p.pid, "/file"), 0x202, 0o640]);
    ok(fl, p.pid, "write", [fd, u8(fl, p.pid, "12345"), 5]);
    ok(fl, p.pid, "stat", [u8(fl, p.pid, "/file"), st]);
    expect(fl.readWord(p.pid, st + 16) & 0xFFFF).toBe(0o100000 | (0o640 & ~0o022));
    expect(fl.readWord(p.pid, st + 56)).toBe(5);
    ok(fl, p.pid, "lstat", [u8(fl, p.pid, "/dev"), st]);
    expect(fl.readWord(p.pid, st + 16) & 0xF000).toBe(0o040000);
    expect(sys(fl, p.pid, "stat", [u8(fl, p.pid, "/nope"), st]).errno).toBe("ENOENT");
    expect(sys(fl, p.pid, "fstat", [50, st]).errno).toBe("EBADF");
  });
});

/** __sysctl(name..., old, oldlenp, new, newlen) with the name in user memory. */
function sysctl(fl: Forklab, pid: number, mib: number[], oldLen: number | null, opts: { noOld?: boolean; newv?: Uint8Array } = {}) {
  const name = fl.userAlloc(pid, 4 * Math.max(1, mib.length));
  mib.forEach((v, i) => fl.writeWord(pid, name + 4 * i, v >>> 0));
  const old = oldLen !== null && !opts.noOld ? fl.userAlloc(pid, Math.max(1, oldLen)) : 0;
  const lenp = oldLen !== null ? fl.userAlloc(pid, 4) : 0;
  if (lenp) fl.writeWord(pid, lenp, oldLen!);
  let newp = 0;
  if (opts.newv) { newp = fl.userAlloc(pid, opts.newv.length); fl.writeUser(pid, newp, opts.newv); }
  const r = sys(fl, pid, "__sysctl", [name, mib.length, old, lenp, newp, opts.newv?.length ?? 0]);
  return { errno: r.errno, old, len: lenp ? fl.readWord(pid, lenp) : -1, str: (n: number) => new TextDecoder().decode(fl.readUser(pid, old, n)) };
}

describe("__sysctl (reference §9)", () => {
  it("answers what libc asks: kern.ostype, osrelease, hw.pagesize, hw.ncpu, kern.usrstack, kern.argmax, hw.physmem", () => {
    const fl = newLab({ ncpus: 2 });
    const p = fl.spawn();
    let r = sysctl(fl, p.pid, [1, 1], 64);
    expect([r.errno, r.len, r.str(10)]).toEqual(["", 10, "DragonFly\0"]);
    r = sysctl(fl, p.pid, [1, 2], 64);
    expect(r.str(r.len)).toBe("1.13.0-DEVELOPMENT\0");
    const word = (mib: number[]) => { const q = sysctl(fl, p.pid, mib, 4); expect(q.errno).toBe(""); return fl.readWord(p.pid, q.old); };
    expect(word([6, 7])).toBe(4096);
    expect(word([6, 3])).toBe(2);
    expect(word([1, 33])).toBe(0xBFC00000);
    expect(word([1, 32])).toBe(0xBFBFFFF0);
    expect(word([1, 8])).toBe(65536);
    expect(word([1, 6])).toBe(fl.sysctl("kern.maxproc"));
    expect(word([6, 5])).toBe(16 << 20);
    expect(word([1, 24])).toBe(197700);
  });

  it("the oldlenp protocol: old NULL gives the size; a short buffer gets what fits, its own size back, and ENOMEM", () => {
    const fl = newLab();
    const p = fl.spawn();
    expect(sysctl(fl, p.pid, [1, 1], 0, { noOld: true })).toMatchObject({ errno: "", len: 10 });
    const r = sysctl(fl, p.pid, [1, 1], 4);
    expect([r.errno, r.len, r.str(4)]).toEqual(["ENOMEM", 4, "Drag"]);
  });

  it("errors: namelen outside 2..12 EINVAL, unknown ENOENT, past a leaf ENOTDIR, a read-only write or a user's write EPERM", () => {
    const fl = newLab();
    const p = fl.spawn();
    const u = fl.spawn({ uid: 1000 });
    expect(sysctl(fl, p.pid, [1], 4).errno).toBe("EINVAL");
    expect(sysctl(fl, p.pid, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], 4).errno).toBe("EINVAL");
    expect(sysctl(fl, p.pid, [1, 999], 4).errno).toBe("ENOENT");
    expect(sysctl(fl, p.pid, [77, 1], 4).errno).toBe("ENOENT");
    expect(sysctl(fl, p.pid, [6, 7, 1], 4).errno).toBe("ENOTDIR");
    expect(sysctl(fl, p.pid, [1, 1], 64, { newv: new TextEncoder().encode("Linux\0") }).errno).toBe("EPERM");
    expect(sysctl(fl, u.pid, [1, 10], 64, { newv: new TextEncoder().encode("box\0") }).errno).toBe("EPERM");
    expect(sysctl(fl, p.pid, [1, 10], 64, { newv: new TextEncoder().encode("box\0") }).errno).toBe("");
    const h = sysctl(fl, u.pid, [1, 10], 64);
    expect(h.str(h.len)).toBe("box\0");
  });
});

describe("set_tls_area / get_tls_area (reference §10.4)", () => {
  it("stores {base, size} per LWP, returns the selector ((15 + which) << 3) | 3, is copied at fork, and refuses bad input", () => {
    const fl = newLab();
    const p = fl.spawn();
    const info = fl.userAlloc(p.pid, 8);
    fl.writeWord(p.pid, info, 0x0805c000);
    fl.writeWord(p.pid, info + 4, -1);
    expect(ok(fl, p.pid, "set_tls_area", [0, info, 8])).toBe(0x7B);
    expect(fl.kernel.lwpsOf(fl.kernel.procs.pidhash.get(p.pid)!)[0].lwp_tls[0]).toEqual({ base: 0x0805c000, size: -1 });
    const out = fl.userAlloc(p.pid, 8);
    expect(ok(fl, p.pid, "get_tls_area", [0, out, 8])).toBe(0x7B);
    expect([fl.readWord(p.pid, out), fl.readWord(p.pid, out + 4) | 0]).toEqual([0x0805c000, -1]);
    expect(sys(fl, p.pid, "get_tls_area", [2, out, 8]).errno).toBe("ENOENT");
    expect(sys(fl, p.pid, "set_tls_area", [3, info, 8]).errno).toBe("ERANGE");
    fl.writeWord(p.pid, info + 4, -2);
    expect(sys(fl, p.pid, "set_tls_area", [1, info, 8]).errno).toBe("EINVAL");
    const c = forkChild(fl, p.pid);
    const cout = fl.userAlloc(c, 8);
    expect(ok(fl, c, "get_tls_area", [0, cout, 8])).toBe(0x7B);
    expect(fl.readWord(c, cout)).toBe(0x0805c000);
    fl.writeWord(p.pid, info + 4, 0);                    // size 0 clears
    ok(fl, p.pid, "set_tls_area", [0, info, 8]);
    expect(sys(fl, p.pid, "get_tls_area", [0, out, 8]).errno).toBe("ENOENT");
    expect(ok(fl, c, "get_tls_area", [0, cout, 8])).toBe(0x7B);  // the child's copy stays
  });
});

describe("the rest of start-up's syscalls", () => {
  it("issetugid, getdtablesize, getpgid, getlogin, sched_yield", () => {
    const fl = newLab();
    const p = fl.spawn();
    expect(ok(fl, p.pid, "issetugid")).toBe(0);
    expect(ok(fl, p.pid, "getdtablesize")).toBe(Math.min(2 * fl.sysctl("kern.maxproc"), Math.floor(fl.sysctl("kern.maxproc") * 2 * 9 / 10)));
    expect(ok(fl, p.pid, "getpgid", [0])).toBe(p.pgid);
    expect(ok(fl, p.pid, "getpgid", [1])).toBe(1);
    expect(sys(fl, p.pid, "getpgid", [9999]).errno).toBe("ESRCH");
    const b = fl.userAlloc(p.pid, 32);
    fl.writeUser(p.pid, b, new Uint8Array(32).fill(0x55));
    ok(fl, p.pid, "getlogin", [b, 32]);
    expect(fl.readUser(p.pid, b, 18)).toEqual(Uint8Array.from([...new Array(17).fill(0), 0x55])); // at most MAXLOGNAME (17)
    expect(ok(fl, p.pid, "sched_yield")).toBe(0);
    ok(fl, p.pid, "setuid", [1000]);
    expect(ok(fl, p.pid, "issetugid")).toBe(1);          // P_SUGID after an id change
  });
});
