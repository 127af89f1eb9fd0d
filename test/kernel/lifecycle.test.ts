import { describe, it, expect } from "vitest";
import { Forklab } from "../../src/index.js";

describe("smoke", () => {
  it("boots with proc0 and init, nprocs 2", () => {
    const fl = new Forklab({ physBytes: 16 << 20 });
    expect(fl.sysctl("kern.nprocs")).toBe(2);
    expect(fl.procs().map((p) => p.pid)).toEqual([0, 1]);
    expect(fl.proc(1).comm).toBe("init");
  });
  it("bare fork, exit, wait", () => {
    const fl = new Forklab({ physBytes: 16 << 20 });
    const p = fl.spawn({ uid: 1000 });
    const r = fl.syscall(p.pid, "fork");
    expect(r.done).toBe(true);
    if (!r.done) return;
    expect(r.error).toBe(0);
    const child = r.rv[0];
    expect(fl.proc(child).ppid).toBe(p.pid);
    const rc = fl.syscall(child, "getpid");
    expect(rc).toMatchObject({ done: true, rv: [child, p.pid] });
    const e = fl.syscall(child, "exit", [42]);
    expect(e.done).toBe(true);
    expect(fl.proc(child).stat).toBe("SZOMB");
    const buf = fl.userAlloc(p.pid, 4);
    const w = fl.syscall(p.pid, "wait4", [child, buf, 0, 0]);
    expect(w).toMatchObject({ done: true, error: 0, rv: [child, 0] });
    expect(fl.readWord(p.pid, buf)).toBe(42 << 8);
    expect(fl.sysctl("kern.nprocs")).toBe(3);
  });
});
