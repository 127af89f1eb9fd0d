// sync(2) as DragonFly 2008 has it (vfs_syscalls.c: sys_sync): it starts writing every
// dirty buffer of every mount and returns 0, always, without waiting; anyone may call it.
// `stress --io` loops on it.
import { describe, it, expect } from "vitest";
import { Forklab } from "../../src/kernel/api.js";
import { SYS } from "../../src/kernel/sysent.js";

describe("sync(2)", () => {
  it("is syscall 36 and returns 0 for root and for a user, without sleeping or raising SIGSYS", () => {
    expect(SYS.sync).toBe(36);
    const fl = new Forklab();
    for (const uid of [0, 1000]) {
      const p = fl.spawn({ uid });
      const before = fl.counters().v_syscall;
      for (let i = 0; i < 3; i++) {
        const r = fl.syscall(p.pid, "sync");
        expect(r).toMatchObject({ done: true, error: 0, rv: [0, 0] });
      }
      expect(fl.counters().v_syscall - before).toBe(3);
      expect(fl.proc(p.pid).stat).toBe("SACTIVE"); // not killed by SIGSYS (nosys)
    }
  });
});

// unlink(2) as DragonFly 2008 has it (kern_unlink): the name goes at once, the file lives
// on while a descriptor holds it; no name is ENOENT, a directory EPERM.
describe("unlink(2)", () => {
  /** A NUL-terminated string in the process's memory. */
  function str(fl: Forklab, pid: number, s: string): number {
    const b = new TextEncoder().encode(s + "\0"), va = fl.userAlloc(pid, b.length);
    fl.writeUser(pid, va, b);
    return va;
  }
  const O_RDWR = 2, O_CREAT = 0x200, SEEK_SET = 0;

  it("is syscall 10: the name is gone, and a descriptor open on the file still reads and writes it", () => {
    expect(SYS.unlink).toBe(10);
    const fl = new Forklab();
    fl.kernel.vfs.mkdir("/tmp", 0o1777);
    const p = fl.spawn({ uid: 1000 });
    const path = str(fl, p.pid, "/tmp/stress.000003");
    const fd = fl.syscall(p.pid, "open", [path, O_RDWR | O_CREAT, 0o600]);
    expect(fd).toMatchObject({ done: true, error: 0 });
    const n = (fd as { value: number }).value;
    expect(fl.syscall(p.pid, "unlink", [path])).toMatchObject({ done: true, error: 0, rv: [0, 0] });
    expect(fl.kernel.vfs.lookup("/tmp/stress.000003")).toBe(-2); // -ENOENT
    expect(fl.syscall(p.pid, "unlink", [path])).toMatchObject({ done: true, errno: "ENOENT" });
    const buf = fl.userAlloc(p.pid, 8);
    fl.writeUser(p.pid, buf, new TextEncoder().encode("hdd hog\n"));
    expect(fl.syscall(p.pid, "write", [n, buf, 8])).toMatchObject({ done: true, error: 0, value: 8 });
    expect(fl.syscall(p.pid, "lseek", [n, 0, 0, 0, SEEK_SET])).toMatchObject({ done: true, error: 0 });
    fl.writeUser(p.pid, buf, new Uint8Array(8));
    expect(fl.syscall(p.pid, "read", [n, buf, 8])).toMatchObject({ done: true, value: 8 });
    expect(new TextDecoder().decode(fl.readUser(p.pid, buf, 8))).toBe("hdd hog\n");
    // The name is free again: O_CREAT makes a new, empty file.
    const fd2 = fl.syscall(p.pid, "open", [path, O_RDWR | O_CREAT, 0o600]) as { value: number };
    expect(fl.syscall(p.pid, "read", [fd2.value, buf, 8])).toMatchObject({ done: true, value: 0 });
  });

  it("relative to the working directory; a directory is EPERM, a missing one ENOENT, a file used as one ENOTDIR, a bad pointer EFAULT", () => {
    const fl = new Forklab();
    fl.kernel.vfs.mkdir("/tmp", 0o1777);
    fl.installFile("/tmp/f", new Uint8Array([1]), 0o644);
    const p = fl.spawn();
    expect(fl.syscall(p.pid, "unlink", [str(fl, p.pid, "/tmp")])).toMatchObject({ errno: "EPERM" });
    expect(fl.syscall(p.pid, "unlink", [str(fl, p.pid, "/nowhere/f")])).toMatchObject({ errno: "ENOENT" });
    expect(fl.syscall(p.pid, "unlink", [str(fl, p.pid, "/tmp/f/")])).toMatchObject({ errno: "ENOTDIR" });
    expect(fl.syscall(p.pid, "unlink", [0xBFC00000])).toMatchObject({ errno: "EFAULT" });
    expect(fl.kernel.vfs.lookup("/tmp")).not.toBeTypeOf("number");
    // A spawned process works in "/": "./tmp/f" is /tmp/f.
    expect(fl.syscall(p.pid, "unlink", [str(fl, p.pid, "./tmp/f")])).toMatchObject({ done: true, error: 0 });
    expect(fl.kernel.vfs.lookup("/tmp/f")).toBe(-2);
  });
});

// mkdir(2), rmdir(2) and getdirentries(2) (kern_mkdir, kern_rmdir, kern_getdirentries):
// struct dirent records (d_ino u64, d_namlen u16, d_type u8, d_name at 16, length
// (16 + namlen + 1 + 7) & ~7), "." and ".." first, the descriptor's offset advancing.
describe("mkdir(2), rmdir(2) and getdirentries(2)", () => {
  const O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0x200, DT_DIR = 4, DT_REG = 8;
  function str(fl: Forklab, pid: number, s: string): number {
    const b = new TextEncoder().encode(s + "\0"), va = fl.userAlloc(pid, b.length);
    fl.writeUser(pid, va, b);
    return va;
  }
  const errno = (fl: Forklab, pid: number, call: string, args: number[]): string => {
    const r = fl.syscall(pid, call, args);
    if (!r.done) throw new Error(`${call} slept`);
    return r.errno;
  };
  /** The records in the bytes getdirentries wrote: [name, ino, type]. */
  function records(b: Uint8Array): [string, number, number][] {
    const out: [string, number, number][] = [], dv = new DataView(b.buffer, b.byteOffset);
    for (let at = 0; at < b.length; ) {
      const namlen = dv.getUint16(at + 8, true);
      expect(dv.getUint32(at + 4, true)).toBe(0); // d_ino's high word
      expect(b[at + 16 + namlen]).toBe(0);        // NUL-terminated
      out.push([new TextDecoder().decode(b.subarray(at + 16, at + 16 + namlen)), dv.getUint32(at, true), b[at + 10]]);
      at += (16 + namlen + 1 + 7) & ~7;
    }
    return out;
  }

  it("are syscalls 136, 137 and 479; mkdir's mode goes through the umask; records come in creation order and whole", () => {
    expect([SYS.mkdir, SYS.rmdir, SYS.getdirentries]).toEqual([136, 137, 479]);
    const fl = new Forklab();
    fl.kernel.vfs.mkdir("/tmp", 0o1777);
    const pid = fl.spawn({ uid: 1000 }).pid;
    expect(errno(fl, pid, "mkdir", [str(fl, pid, "/tmp/d"), 0o777])).toBe("");
    expect(fl.kernel.vfs.lookup("/tmp/d")).toMatchObject({ v_mode: 0o755 }); // umask 022
    for (const n of ["f1", "a-longer-name"]) {
      const r = fl.syscall(pid, "open", [str(fl, pid, `/tmp/d/${n}`), O_CREAT | O_WRONLY, 0o644]);
      expect(r).toMatchObject({ done: true, error: 0 });
      fl.syscall(pid, "close", [r.done ? r.rv[0] : -1]);
    }
    expect(errno(fl, pid, "mkdir", [str(fl, pid, "/tmp/d/sub/"), 0o700])).toBe(""); // a trailing slash is fine
    const fd = fl.syscall(pid, "open", [str(fl, pid, "/tmp/d"), O_RDONLY, 0]);
    if (!fd.done) throw new Error("open slept");
    const buf = fl.userAlloc(pid, 4096), basep = fl.userAlloc(pid, 4);
    // 40 bytes: "." (24) fits, ".." (24) does not; then the rest in one read; then the end.
    let r = fl.syscall(pid, "getdirentries", [fd.rv[0], buf, 40, basep]);
    expect(r).toMatchObject({ done: true, error: 0, rv: [24, 0] });
    expect(fl.readWord(pid, basep)).toBe(0);
    const d = fl.kernel.vfs.lookup("/tmp/d") as { v_ino: number; v_parent: { v_ino: number } };
    expect(records(fl.readUser(pid, buf, 24))).toEqual([[".", d.v_ino, DT_DIR]]);
    r = fl.syscall(pid, "getdirentries", [fd.rv[0], buf, 4096, basep]);
    const n = r.done ? r.rv[0] : -1;
    expect(fl.readWord(pid, basep)).toBe(1); // it started at the second entry
    expect(records(fl.readUser(pid, buf, n)).map(([name, , t]) => [name, t])).toEqual([
      ["..", DT_DIR], ["f1", DT_REG], ["a-longer-name", DT_REG], ["sub", DT_DIR],
    ]);
    expect(n).toBe(24 + 24 + 32 + 24);
    expect(fl.syscall(pid, "getdirentries", [fd.rv[0], buf, 4096, basep])).toMatchObject({ done: true, error: 0, rv: [0, 0] });
    // lseek back to the start: the same records again (the offset is the entry's index).
    fl.syscall(pid, "lseek", [fd.rv[0], 0, 0, 0]);
    expect(fl.syscall(pid, "getdirentries", [fd.rv[0], buf, 4096, 0])).toMatchObject({ rv: [24 + n, 0] });
  });

  it("errors: EEXIST, ENOENT, ENOTDIR for mkdir; ENOTEMPTY, ENOTDIR, EINVAL, EBUSY for rmdir; EBADF, EINVAL, EFAULT for getdirentries", () => {
    const fl = new Forklab();
    fl.kernel.vfs.mkdir("/tmp", 0o1777);
    const pid = fl.spawn({ uid: 1000 }).pid;
    expect(errno(fl, pid, "mkdir", [str(fl, pid, "/tmp"), 0o755])).toBe("EEXIST");
    expect(errno(fl, pid, "mkdir", [str(fl, pid, "/none/x"), 0o755])).toBe("ENOENT");
    expect(errno(fl, pid, "mkdir", [str(fl, pid, "/dev/console/x"), 0o755])).toBe("ENOTDIR");
    expect(errno(fl, pid, "mkdir", [0, 0o755])).toBe("EFAULT");
    expect(errno(fl, pid, "mkdir", [str(fl, pid, "/tmp/e"), 0o755])).toBe("");
    expect(errno(fl, pid, "mkdir", [str(fl, pid, "/tmp/e/f"), 0o755])).toBe("");
    expect(errno(fl, pid, "rmdir", [str(fl, pid, "/tmp/e")])).toBe("ENOTEMPTY");
    expect(errno(fl, pid, "rmdir", [str(fl, pid, "/dev/console")])).toBe("ENOTDIR");
    expect(errno(fl, pid, "rmdir", [str(fl, pid, "/tmp/e/.")])).toBe("EINVAL");
    expect(errno(fl, pid, "rmdir", [str(fl, pid, "/tmp/e/f/..")])).toBe("ENOTEMPTY");
    expect(errno(fl, pid, "rmdir", [str(fl, pid, "/")])).toBe("EBUSY");
    expect(errno(fl, pid, "rmdir", [str(fl, pid, "/tmp/none")])).toBe("ENOENT");
    expect(errno(fl, pid, "rmdir", [str(fl, pid, "/tmp/e/f")])).toBe("");
    expect(errno(fl, pid, "rmdir", [str(fl, pid, "/tmp/e")])).toBe("");
    expect(fl.kernel.vfs.lookup("/tmp/e")).toBe(-2); // ENOENT
    const buf = fl.userAlloc(pid, 4096);
    expect(errno(fl, pid, "getdirentries", [-1 >>> 0, buf, 4096, 0])).toBe("EBADF");
    expect(errno(fl, pid, "getdirentries", [0, buf, 4096, 0])).toBe("EINVAL"); // the console: not a directory
    const w = fl.syscall(pid, "open", [str(fl, pid, "/tmp/w"), O_CREAT | O_WRONLY, 0o644]);
    expect(errno(fl, pid, "getdirentries", [w.done ? w.rv[0] : -1, buf, 4096, 0])).toBe("EBADF"); // not open for reading
    const fd = fl.syscall(pid, "open", [str(fl, pid, "/"), O_RDONLY, 0]);
    const dfd = fd.done ? fd.rv[0] : -1;
    expect(errno(fl, pid, "getdirentries", [dfd, buf, 8, 0])).toBe("EINVAL");       // no record fits
    expect(errno(fl, pid, "getdirentries", [dfd, 0x10, 4096, 0])).toBe("EFAULT");   // a bad buffer
    expect(errno(fl, pid, "getdirentries", [dfd, buf, 4096, 0xC0000000])).toBe("EFAULT"); // a bad basep
    expect(fl.panicked).toBeNull();
  });
});

// truncate(2) and ftruncate(2) (kern_truncate, kern_ftruncate): the int pad word, then the
// 64-bit length; bytes cut off read as zeros when the file grows again.
describe("truncate(2) and ftruncate(2)", () => {
  const O_RDONLY = 0, O_RDWR = 2, O_CREAT = 0x200;
  function str(fl: Forklab, pid: number, s: string): number {
    const b = new TextEncoder().encode(s + "\0"), va = fl.userAlloc(pid, b.length);
    fl.writeUser(pid, va, b);
    return va;
  }
  const run = (fl: Forklab, pid: number, call: string, args: number[]): { errno: string; value: number } => {
    const r = fl.syscall(pid, call, args);
    if (!r.done) throw new Error(`${call} slept`);
    return { errno: r.errno, value: r.value };
  };

  it("are syscalls 200 and 201: grow with zeros, cut, and the cut bytes do not come back", () => {
    expect([SYS.truncate, SYS.ftruncate]).toEqual([200, 201]);
    const fl = new Forklab();
    fl.kernel.vfs.mkdir("/tmp", 0o1777);
    const pid = fl.spawn({ uid: 1000 }).pid;
    const path = str(fl, pid, "/tmp/f");
    const fd = run(fl, pid, "open", [path, O_CREAT | O_RDWR, 0o644]).value;
    const buf = str(fl, pid, "abcdefgh");
    expect(run(fl, pid, "write", [fd, buf, 8]).value).toBe(8);
    const vp = () => fl.kernel.vfs.lookup("/tmp/f") as { v_size: number; v_data: Uint8Array };
    expect(run(fl, pid, "ftruncate", [fd, 0, 3, 0]).errno).toBe("");
    expect(vp().v_size).toBe(3);
    expect(run(fl, pid, "truncate", [path, 0, 6, 0]).errno).toBe("");
    expect(Array.from(vp().v_data.subarray(0, 6))).toEqual([97, 98, 99, 0, 0, 0]);
    expect(run(fl, pid, "ftruncate", [fd, 0, 8192, 0]).errno).toBe("");
    expect(vp().v_size).toBe(8192);
  });

  it("errors: EINVAL (negative, not open for writing, a device), EISDIR, EBADF, ENOENT, EFBIG", () => {
    const fl = new Forklab();
    fl.kernel.vfs.mkdir("/tmp", 0o1777);
    const pid = fl.spawn({ uid: 1000 }).pid;
    const path = str(fl, pid, "/tmp/f");
    const fd = run(fl, pid, "open", [path, O_CREAT | O_RDWR, 0o644]).value;
    expect(run(fl, pid, "ftruncate", [fd, 0, 0xFFFFFFFF, 0xFFFFFFFF]).errno).toBe("EINVAL"); // -1
    const ro = run(fl, pid, "open", [path, O_RDONLY, 0]).value;
    expect(run(fl, pid, "ftruncate", [ro, 0, 0, 0]).errno).toBe("EINVAL");
    expect(run(fl, pid, "ftruncate", [1, 0, 0, 0]).errno).toBe("EINVAL"); // the console
    expect(run(fl, pid, "ftruncate", [99, 0, 0, 0]).errno).toBe("EBADF");
    expect(run(fl, pid, "truncate", [str(fl, pid, "/tmp"), 0, 0, 0]).errno).toBe("EISDIR");
    expect(run(fl, pid, "truncate", [str(fl, pid, "/tmp/none"), 0, 0, 0]).errno).toBe("ENOENT");
    expect(run(fl, pid, "truncate", [0, 0, 0, 0]).errno).toBe("EFAULT");
    expect(run(fl, pid, "truncate", [path, 0, 0, 1]).errno).toBe("EFBIG"); // 4 GiB
    expect(fl.panicked).toBeNull();
  });
});
