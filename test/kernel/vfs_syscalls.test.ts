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
