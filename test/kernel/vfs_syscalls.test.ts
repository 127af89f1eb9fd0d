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
