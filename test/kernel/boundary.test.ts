// Issue 7's reproductions: what a guest or an API caller does can crash nothing and strand
// nothing. Each case is the kernel's answer to something that used to throw in the host.
import { describe, it, expect } from "vitest";
import { Forklab, ForklabError, CoreError, Core, bundledProgram } from "../../src/index.js";
import { ElfError } from "../../src/kernel/imgact_elf.js";
import { loadElfFile } from "../../src/user/host.js";
import { sysent, convertArgs } from "../../src/kernel/sysent.js";
import { ARG_MAX } from "../../src/kernel/exec.js";
import { newLab, sys, ok, program, exitCode, TEXT } from "./helpers.js";
import { EBADF, EINVAL, E2BIG, ENOMEM } from "../../src/kernel/errno.js";

const MiB = 1 << 20;

/** Every LWP of every live process is in user mode or asleep: none is stranded mid-path. */
function expectNothingStranded(fl: Forklab): void {
  for (const p of fl.procs()) {
    if (p.stat === "SZOMB" || p.pid === 0) continue;
    expect(p.stat, `pid ${p.pid}`).toBe("SACTIVE");
    for (const l of fl.lwps(p.pid)) {
      if (l.mode === "kernel") expect(l.stat === "LSSLEEP" || l.stat === "LSRUN", `pid ${p.pid} tid ${l.tid}`).toBe(true);
    }
  }
}

/** argv strings and their vector in one buffer of a bare process; returns the vector's address. */
function argvBuffer(fl: Forklab, pid: number, strs: string[]): number {
  const enc = new TextEncoder();
  const bytes = strs.map((s) => enc.encode(s + "\0"));
  const strBytes = bytes.reduce((n, b) => n + b.length, 0);
  const base = fl.userAlloc(pid, strBytes + 4 * (strs.length + 1));
  const buf = new Uint8Array(strBytes + 4 * (strs.length + 1));
  const dv = new DataView(buf.buffer);
  let off = 4 * (strs.length + 1);
  bytes.forEach((b, i) => { dv.setUint32(4 * i, base + off, true); buf.set(b, off); off += b.length; });
  fl.writeUser(pid, base, buf);
  return base;
}

describe("the syscall boundary converts each argument by its type", () => {
  it("a negative descriptor is EBADF (close, read, write, dup, dup2), a bad whence EINVAL; nothing is stranded", () => {
    const fl = newLab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const buf = fl.userAlloc(p, 4096);
    for (const [name, args] of [
      ["close", [-1]], ["close", [0xFFFFFFFF]], ["close", [-0x80000000]], ["read", [-1, buf, 4]],
      ["write", [-1, buf, 4]], ["dup", [-1]], ["dup", [0xFFFFFFFF]], ["dup2", [-1, 3]], ["dup2", [0, -1]],
    ] as [string, number[]][]) {
      expect(sys(fl, p, name, args).error, `${name}(${args})`).toBe(EBADF);
    }
    const fd = ok(fl, p, "open", [argvStr(fl, p, "/tmp-file"), 0x200 | 2, 0o644]);
    expect(sys(fl, p, "lseek", [fd, 0, 0, 0, -1]).error).toBe(EINVAL);
    expect(sys(fl, p, "lseek", [fd, 0, 0, 0x7FFFFFFF, 0]).error).toBe(EINVAL); // an off_t past 2^53
    expect(sys(fl, p, "getpid").error).toBe(0); // the process goes on
    expectNothingStranded(fl);
  });

  it("convertArgs: int is signed, u_int and pointers unsigned, off_t two words read as one signed 64-bit value", () => {
    const lseek = sysent[199]!;
    expect(lseek.types).toEqual(["int", "int", "off_t", "int"]);
    expect(lseek.narg).toBe(5);
    expect(convertArgs(lseek, [0xFFFFFFFF, 0, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF])).toEqual([-1, 0, -2, -1]);
    expect(convertArgs(lseek, [3, 0, 5, 1, 2])).toEqual([3, 0, 0x100000005, 2]);
    const read = sysent[3]!;
    expect(convertArgs(read, [0xFFFFFFFF, 0x80000000, 0xFFFFFFFF])).toEqual([-1, 0x80000000, 0xFFFFFFFF]);
  });

  it("a syscall number from the API is a name of the table or a 32-bit number: prototype names and 2^32 are refused", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    for (const code of ["toString", "constructor", "__proto__", "hasOwnProperty", 2 ** 32, -1, 1.5, NaN]) {
      expect(() => fl.syscall(p, code as string), String(code)).toThrow(ForklabError);
    }
    expect(fl.proc(p).stat).toBe("SACTIVE"); // no SIGSYS: nothing ran
  });
});

function argvStr(fl: Forklab, pid: number, s: string): number {
  const b = new TextEncoder().encode(s + "\0");
  const va = fl.userAlloc(pid, b.length);
  fl.writeUser(pid, va, b);
  return va;
}

describe("execve copies its arguments in pieces", () => {
  it("20,000 argv pointers (under ARG_MAX) exec; more string bytes than ARG_MAX is E2BIG with the caller untouched", () => {
    const fl = newLab({ physBytes: 32 * MiB });
    fl.registerProgram("/bin/true", bundledProgram("true"));
    const p = fl.spawn().pid;
    const path = argvStr(fl, p, "/bin/true");
    const many = Array.from({ length: 20000 }, () => "x"); // 40,000 bytes of strings, 80,004 of pointers
    const tooMany = Array.from({ length: ARG_MAX / 2 + 1 }, () => "x");
    const big = argvBuffer(fl, p, tooMany);
    expect(sys(fl, p, "execve", [path, big, 0]).error).toBe(E2BIG);
    expect(fl.proc(p).hasProgram).toBe(false);
    const vec = argvBuffer(fl, p, many);
    const execs: number[] = [];
    fl.on("exec", (e) => execs.push(e.argc));
    const r = sys(fl, p, "execve", [path, vec, 0]);
    expect(r.error).toBe(0);
    expect(execs).toEqual([20000]);
    let status = -1;
    fl.on("exit", (e) => { if (e.pid === p) status = e.status; });
    fl.run({ until: () => status >= 0 });
    expect(status).toBe(0);
  });

  it("spawn() refuses argv beyond ARG_MAX with a ForklabError, and takes 20,000 arguments", () => {
    const fl = newLab({ physBytes: 32 * MiB });
    const n0 = fl.sysctl("kern.nprocs");
    expect(() => fl.spawn({ image: bundledProgram("true"), argv: Array.from({ length: 40000 }, () => "x") })).toThrow(/ARG_MAX/);
    expect(fl.sysctl("kern.nprocs")).toBe(n0);
    const p = fl.spawn({ image: bundledProgram("true"), argv: Array.from({ length: 20000 }, (_, i) => String(i % 10)) });
    expect(p.hasProgram).toBe(true);
  });
});

describe("programs linked in the upper half of user space", () => {
  for (const base of [0x80000000, 0xA0000000, 0xB8000000]) {
    it(`text at 0x${base.toString(16)} maps where it says and runs (no sign wrap in page rounding)`, () => {
      for (const physBytes of [4 * MiB, 64 * MiB]) {
        const fl = new Forklab({ physBytes });
        const free0 = fl.memory().framesFree;
        const img = program("high", exitCode(7));
        img.entry = base + (img.entry - TEXT);
        img.segments = img.segments.map((s) => ({ ...s, vaddr: base + (s.vaddr - TEXT) }));
        let status = -1;
        const p = fl.spawn({ image: img, uid: 1000 }).pid;
        expect(fl.mappings(p).some((m) => m.va === base)).toBe(true);
        fl.on("exit", (e) => { if (e.pid === p) status = e.status; });
        fl.run({ until: () => status >= 0 });
        expect(status).toBe(7 << 8);
        fl.run({ ticks: 2 });
        expect(fl.memory().framesFree).toBe(free0);
      }
    });
  }
});

describe("event listeners", () => {
  it("a listener that throws cannot leave a half-made process: the fork completes and the exception is reported after it", () => {
    const fl = newLab();
    const p = fl.spawn({ uid: 1000 }).pid;
    const n0 = fl.sysctl("kern.nprocs"), free0 = fl.memory().framesFree;
    const off = fl.on("fork", () => { throw new Error("listener boom"); });
    const children: number[] = [];
    fl.on("fork", (e) => children.push(e.child)); // later listeners still hear every event
    for (let i = 0; i < 20; i++) {
      let thrown: unknown;
      try { fl.syscall(p, "fork"); } catch (e) { thrown = e; }
      expect(thrown).toBeInstanceOf(ForklabError);
      expect((thrown as Error).message).toMatch(/syscall\(\): an event listener threw: listener boom/);
      expect((thrown as Error).cause).toBeInstanceOf(Error);
    }
    off();
    expect(children.length).toBe(20);
    for (const c of children) expect(fl.proc(c).stat).toBe("SACTIVE");
    expect(fl.procs().filter((q) => q.stat === "SIDL")).toEqual([]);
    expect(fl.sysctl("kern.nprocs")).toBe(n0 + 20);
    expect(fl.lwps(p)[0].mode).toBe("user");
    expect(sys(fl, p, "fork").error).toBe(0); // the machine goes on
    for (const c of [...children]) ok(fl, c, "exit", [0]);
    fl.run({ ticks: 5 });
    expect(fl.memory().framesFree).toBeLessThan(free0); // the last child is alive
    expectNothingStranded(fl);
  });

  it("a listener hears a fork once it is complete: the child is a full process (SACTIVE, counted)", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    const seen: [string, number][] = [];
    fl.on("fork", (e) => seen.push([fl.proc(e.child).stat, fl.sysctl("kern.nprocs")]));
    fl.syscall(p, "fork");
    expect(seen).toEqual([["SACTIVE", 4]]);
  });

  it("syscall(), spawn(), run() and signal() from a listener are refused, and the refusal is reported", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    for (const call of [
      () => fl.syscall(p, "getpid"), () => fl.spawn(), () => fl.run({ ticks: 1 }), () => fl.signal(p, 9),
    ]) {
      const off = fl.on("fork", () => { call(); });
      expect(() => fl.syscall(p, "fork")).toThrow(/an event listener threw: .*cannot be called while syscall\(\) is in progress/);
      off();
    }
    expect(fl.proc(p).stat).toBe("SACTIVE");
    expectNothingStranded(fl);
  });

  it("during run() a listener's exception stops the run after the step it came from", () => {
    const fl = newLab();
    fl.spawn({ image: bundledProgram("spawn"), argv: ["spawn", "50"] });
    let forks = 0;
    fl.on("fork", () => { if (++forks === 3) throw new Error("stop here"); });
    expect(() => fl.run({ seconds: 1 })).toThrow(/run\(\): an event listener threw: stop here/);
    expect(forks).toBe(3);
    expectNothingStranded(fl);
    fl.run({ seconds: 1 }); // and the machine can run on
    expect(forks).toBe(50);
  });

  it("an until() function that throws is reported as a ForklabError and the machine stays usable", () => {
    const fl = newLab();
    fl.spawn({ image: bundledProgram("spawn"), argv: ["spawn", "5"] });
    expect(() => fl.run({ until: () => { throw new Error("until boom"); } })).toThrow(/until function threw: until boom/);
    expect(fl.panicked).toBe(null);
    fl.run({ seconds: 1 });
  });
});

describe("kernel panics", () => {
  it("an exception inside a kernel path is a panic: reported, the machine stopped, its state readable", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    const SLOT = 481; // unused in the table
    sysent[SLOT] = { name: "broken", narg: 0, types: [], fn: function* () { throw new TypeError("vfs exploded"); } };
    try {
      expect(() => fl.syscall(p, SLOT)).toThrow(/syscall\(\): kernel panic: vfs exploded/);
    } finally {
      sysent[SLOT] = undefined;
    }
    expect(fl.panicked).toBe("vfs exploded");
    expect(fl.messages()).toContain("panic: vfs exploded\n");
    for (const call of [() => fl.syscall(p, "getpid"), () => fl.spawn(), () => fl.run({ ticks: 1 }), () => fl.userAlloc(p, 1)]) {
      expect(call).toThrow(/the kernel panicked \(vfs exploded\); the machine is stopped/);
    }
    expect(fl.proc(p).pid).toBe(p);
    expect(fl.lwps(p)).toHaveLength(1);
  });
});

describe("the Core face refuses what would corrupt the core", () => {
  it("threadFree of a thread still in an LWP tree is refused; after lwpRemove it is freed", async () => {
    const core = Core.create({ physBytes: 4 * MiB });
    const head = core.lwpTreeAlloc();
    const td = core.threadAlloc(), td2 = core.threadAlloc();
    expect(core.lwpInsert(head, td, 0)).toBe(0);
    expect(() => core.threadFree(td)).toThrow(/still in an LWP tree/);
    expect(() => core.lwpInsert(core.lwpTreeAlloc(), td, 5)).toThrow(/in another LWP tree/); // even as a lone root
    expect(() => core.lwpRemove(head, td2)).toThrow(/not in LWP tree/);
    expect(() => core.lwpTreeFree(head)).toThrow(/not an empty LWP tree head/);
    expect(() => core.lwpCount(12)).toThrow(/not an LWP tree head/);
    expect(core.lwpList(head)).toEqual([td]);
    core.lwpRemove(head, td);
    core.threadFree(td);
    const td3 = core.threadAlloc(); // the slot is reused: the tree still works
    expect(core.lwpInsert(head, td3, 1)).toBe(0);
    expect(core.lwpInsert(head, td2, 2)).toBe(0);
    expect(core.lwpCount(head)).toBe(2);
    core.lwpRemove(head, td2);
    expect(core.lwpList(head)).toEqual([td3]);
  });
});

describe("the CLI's ELF reader", () => {
  it("refuses a device (/dev/zero) at once, and anything larger than the filesystem's largest file", () => {
    const t0 = Date.now();
    expect(() => loadElfFile("/dev/zero")).toThrow(ElfError);
    expect(() => loadElfFile("/dev/zero")).toThrow(/not a regular file/);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe("the thread table", () => {
  it("has a slot for every frame, so memory, not the table, bounds the threads; a fork that finds no frame for a kernel stack waits in \"vmwait\" (as the kernel's allocation would) and then gets ENOMEM, never spinning", () => {
    const fl = new Forklab({ physBytes: 2 * MiB, maxproc: 1000 });
    const p = fl.spawn({ uid: 0 }).pid;
    const core = fl.kernel.core, taken: number[] = [];
    while (core.x.thread_table_full() === 0) {
      const td = core.threadAlloc();
      if (td < 0) break;
      taken.push(td);
    }
    expect(core.x.thread_table_full()).toBe(1);
    expect(core.framesFree()).toBe(0);
    expect(core.tables().threadSlots).toBeLessThan(core.framesTotal());
    const n0 = fl.sysctl("kern.nprocs");
    expect(fl.syscall(p, "fork")).toEqual({ done: false, wmesg: "vmwait" });
    const switches = fl.counters().v_swtch;
    fl.run({ ticks: 99 });
    expect(fl.result(p)).toEqual({ done: false, wmesg: "vmwait" });
    fl.run({ ticks: 1 });
    const r = fl.result(p);
    expect(r.done && r.errno).toBe("ENOMEM");
    expect(r.done && r.error).toBe(ENOMEM);
    expect(fl.counters().v_swtch - switches).toBeLessThan(5); // one sleep, one wake-up: no spinning
    expect(fl.sysctl("kern.nprocs")).toBe(n0);
    // Threads freed while the fork waits: it wakes and succeeds.
    expect(fl.syscall(p, "fork")).toEqual({ done: false, wmesg: "vmwait" });
    for (let i = 0; i < 32; i++) core.threadFree(taken.pop()!);
    fl.kernel.wakeupMemory();
    fl.run({ ticks: 1 });
    const r2 = fl.result(p);
    expect(r2.done && r2.error).toBe(0);
  });

  it("a fork bomb that fills memory waits for memory a second at a time, never refused in a tight loop", () => {
    const fl = new Forklab({ physBytes: 4 * MiB, maxproc: 5000 });
    const p = fl.spawn({ image: bundledProgram("forkbomb"), argv: ["forkbomb"], uid: 0 }).pid;
    fl.on("exit", () => { throw new Error("no process of the bomb exits"); });
    fl.run({ ticks: 100 });
    const n = fl.sysctl("kern.nprocs");
    expect(n).toBeGreaterThan(100);
    expect(n).toBeLessThan(5000);                       // memory, not maxproc, stopped it
    const syscalls = fl.counters().v_syscall;
    fl.run({ ticks: 300 });
    // Each process forks at most once a second (a wait, then ENOMEM or a fork that fits).
    expect(fl.counters().v_syscall - syscalls).toBeLessThan(4 * n);
    // Asleep: in fork (vmwait), or in a copy-on-write fault that found no frame (pfault).
    expect(["vmwait", "pfault"]).toContain((fl.result(p) as { wmesg: string }).wmesg);
    fl.checkInvariants();
  });

  it("spawn() says no thread can be had instead of sleeping", () => {
    const fl = new Forklab({ physBytes: 2 * MiB });
    const core = fl.kernel.core;
    while (core.x.thread_table_full() === 0 && core.threadAlloc() > 0) { /* fill */ }
    expect(() => fl.spawn()).toThrow(/no kernel thread can be had \(\d+ in use, 0 frames free\)/);
  });
});

describe("counters and messages as 2008 printed them", () => {
  it("v_swtch counts every switch: each spawn cycle is 3 (the child's switch-in and exit, the parent's resume after wait4)", () => {
    const switches = (loops: number): number => {
      const fl = new Forklab();
      let status = -1;
      const p = fl.spawn({ image: bundledProgram("spawn"), argv: ["spawn", String(loops)] }).pid;
      fl.on("exit", (e) => { if (e.pid === p) status = e.status; });
      fl.run({ until: () => status >= 0 });
      fl.run({ ticks: 5 }); // init reaps it
      return fl.counters().v_swtch;
    };
    // (Before, only first switch-ins and exits counted: 2 a cycle, 202 for 100 cycles.)
    expect(switches(100) - switches(0)).toBe(300);
  });

  it("the limit message prints the uid with %d: a uid above 2^31 is negative", () => {
    const fl = newLab({ maxproc: 20 });
    const p = fl.spawn({ uid: 0xFFFFFFF0 }).pid;
    let r = fl.syscall(p, "fork");
    while (r.done && r.error === 0) r = fl.syscall(p, "fork");
    expect(fl.messages()).toEqual(["maxproc limit exceeded by uid -16, please see tuning(7) and login.conf(5).\n"]);
  });
});

describe("CoreError never escapes the API", () => {
  it("readUser/writeUser move more than the core's I/O buffer in pieces", () => {
    const fl = newLab();
    const p = fl.spawn().pid;
    const va = fl.userAlloc(p, 200000);
    const data = new Uint8Array(200000).map((_, i) => i * 7);
    fl.writeUser(p, va, data);
    expect(Buffer.compare(fl.readUser(p, va, 200000), data)).toBe(0);
    expect(() => fl.readUser(p, va, -1)).toThrow(ForklabError);
    expect(() => fl.writeUser(p, va + 200000 - 10, new Uint8Array(5000))).toThrow(/not writable/);
    expect(fl.readUser(p, va + 200000 - 10, 10)).toEqual(data.subarray(200000 - 10)); // nothing was written
    expect(() => fl.readUser(p, 0xFFFFFFF0, 100)).toThrow(ForklabError);
    expect(CoreError).toBeDefined();
  });
});
