// Frame exhaustion at every allocation point (core.failFrameAfter): each path is run once
// to count the frame allocations it makes, then once for each n, with the n-th failing.
// Every such run must fail as the kernel would (an errno, a wait for memory, or the signal
// the process gets), give back every partial allocation, and keep the invariants, which
// are checked after every step.
import { describe, it, expect } from "vitest";
import { Forklab, installBundled } from "../../src/index.js";
import { STRATEGIES, type Strategy } from "../../src/core/core.js";
import { snapshot, kproc, RFPROC, RFMEM, RFFDG } from "../kernel/fork-helpers.js";
import { writerProgram, growerProgram, BSS, BSS_PAGES } from "./programs.js";

function machine(strategy: Strategy): Forklab {
  const fl = new Forklab({ physBytes: 4 << 20, strategy, checkInvariants: true, cpuHz: 2_000_000, sliceCycles: 4000 });
  installBundled(fl);
  return fl;
}

/** A bare process with three pages of data. */
function bare(fl: Forklab): number {
  const pid = fl.spawn().pid;
  const va = fl.userAlloc(pid, 3 * 4096);
  fl.writeUser(pid, va, new Uint8Array(3 * 4096).fill(0xAB));
  return pid;
}

/**
 * Runs `path` on a fresh machine from `setup` once to count its allocations, then once for
 * each allocation failing; `verify` judges each failed run (n from 1). Returns the count.
 */
function sweep<C, R>(strategy: Strategy, setup: (fl: Forklab) => C, path: (fl: Forklab, c: C) => R,
  verify: (fl: Forklab, c: C, r: R, before: ReturnType<typeof snapshot>, n: number) => void): number {
  const fl0 = machine(strategy), c0 = setup(fl0);
  const count = fl0.kernel.core.countFrameAllocs(() => { path(fl0, c0); });
  for (let n = 1; n <= count; n++) {
    const fl = machine(strategy), c = setup(fl);
    const before = snapshot(fl);
    fl.kernel.core.failFrameAfter(n);
    const r = path(fl, c);
    expect(fl.kernel.core.failFrameAfter(0), `allocation ${n} was made`).toBe(0);
    verify(fl, c, r, before, n);
    fl.checkInvariants();
    expect(fl.panicked).toBeNull();
  }
  return count;
}

const syscallErrno = (fl: Forklab, pid: number, code: string, args: number[] = []): string => {
  const r = fl.syscall(pid, code, args);
  if (!r.done) throw new Error(`${code} slept in ${r.wmesg}`);
  return r.errno;
};

describe.each(STRATEGIES)("frame exhaustion (%s)", (strategy) => {
  for (const [name, code, args] of [
    ["fork", "fork", []], ["vfork", "vfork", []], ["rfork(RFPROC|RFMEM)", "rfork", [RFPROC | RFMEM]],
    ["rfork(RFPROC|RFFDG)", "rfork", [RFPROC | RFFDG]],
  ] as [string, string, number[]][]) {
    it(`${name}: ENOMEM at every allocation, with nothing left behind`, () => {
      const n = sweep(strategy, bare, (fl, pid) => fl.syscall(pid, code, args), (fl, pid, r, before) => {
        expect(r.done && r.errno).toBe("ENOMEM");
        expect(snapshot(fl)).toEqual(before);
        // The parent goes on: the same fork now succeeds.
        expect(syscallErrno(fl, pid, code === "vfork" ? "fork" : code, args)).toBe("");
      });
      expect(n).toBeGreaterThanOrEqual(1); // at least the kernel stack's top frame
    });
  }

  it("rfork without RFPROC (unsharing a shared vmspace): ENOMEM, the vmspace still shared", () => {
    const setup = (fl: Forklab): number => {
      const pid = bare(fl);
      expect(syscallErrno(fl, pid, "rfork", [RFPROC | RFMEM])).toBe("");
      return pid;
    };
    sweep(strategy, setup, (fl, pid) => fl.syscall(pid, "rfork", [RFFDG]), (fl, pid, r, before) => {
      expect(r.done && r.errno).toBe("ENOMEM");
      expect(snapshot(fl)).toEqual(before);
      expect(kproc(fl, pid).p_vmspace!.vm_refcnt).toBe(2);
    });
  });

  it("lwp_create: EAGAIN when the kernel stack cannot be had, nothing left behind", () => {
    const setup = (fl: Forklab): { pid: number; params: number } => {
      const pid = bare(fl);
      const params = 0x40000000;
      [0x08048000, 0, 0x40000F00, 0x40000100, 0].forEach((w, i) => fl.writeWord(pid, params + 4 * i, w));
      return { pid, params };
    };
    const n = sweep(strategy, setup, (fl, c) => fl.syscall(c.pid, "lwp_create", [c.params]), (fl, c, r, before) => {
      expect(r.done && r.errno).toBe("EAGAIN");
      expect(snapshot(fl)).toEqual(before);
      expect(fl.proc(c.pid).nthreads).toBe(1);
    });
    expect(n).toBe(1); // the kernel stack's top frame
  });

  it("lwp_create onto copy-on-write pages: the arg push's lost error (rev 1.76), and a tid copyout that faults its page in again", () => {
    // docs/kernel.md: copyout runs in the core and cannot sleep. The arg push goes to the
    // stack's page (page 1), the tid to page 0; after the fork both are copy-on-write.
    const setup = (fl: Forklab): { pid: number } => {
      const pid = bare(fl);
      [0x08048000, 0x1234, 0x40001F00, 0x40000100, 0].forEach((w, i) => fl.writeWord(pid, 0x40000000 + 4 * i, w));
      expect(syscallErrno(fl, pid, "fork")).toBe("");
      fl.syscall(pid, "umask", [0o22]); // its stack page its own (syscall() writes arguments there)
      return { pid };
    };
    // Allocation 1 is the kernel stack's top frame (EAGAIN). Under share-pt the arg push
    // then needs its own copy of the page table (allocation 2) and the page (3): either
    // failure is the lost error.
    const argPush = strategy === "share-pt" ? [2, 3] : [2];
    const tid = argPush[argPush.length - 1] + 1;
    const outcomes: string[] = [];
    const n = sweep(strategy, setup, (fl, c) => fl.syscall(c.pid, "lwp_create", [0x40000000]), (fl, c, r, before, i) => {
      const errno = r.done ? r.errno : "slept";
      outcomes.push(errno);
      if (argPush.includes(i)) {
        // The arg push failed; rev 1.76 loses that error: the LWP exists, its argument not
        // pushed and its esp where cpu_prepare_lwp stopped.
        expect(errno).toBe("");
        const lwp = fl.lwps(c.pid).find((l) => l.tid === 1)!;
        const esp = fl.trapframe({ pid: c.pid, tid: lwp.tid }).esp;
        expect(esp).toBe(0x40001F00 - 4);              // where cpu_prepare_lwp stopped
        expect(fl.readWord(c.pid, esp)).toBe(0xABABABAB); // what bare() wrote, not the arg
      } else if (i === tid) {
        // The tid's copyout finds no frame for page 0's copy: the kernel's copyout faults the
        // page in through the map and tries again (as trap_pfault's vm_fault would), and the
        // injected failure was a single one, so the copy is made and lwp_create succeeds.
        expect(errno).toBe("");
        expect(fl.proc(c.pid).nthreads).toBe(2);
      }
    });
    expect(n).toBe(strategy === "copy" ? 1 : tid);
    expect(outcomes[0]).toBe("EAGAIN");
  });

  it("execve: a new vmspace that cannot be had is ENOMEM; past the point of no return, SIGABRT", () => {
    const setup = (fl: Forklab): { parent: number; child: number } => {
      const parent = bare(fl);
      const path = 0x40000000;
      fl.writeUser(parent, path, new TextEncoder().encode("/bin/true\0"));
      fl.writeWord(parent, path + 16, path);
      fl.writeWord(parent, path + 20, 0);
      const child = fl.syscall(parent, "fork");
      if (!child.done || child.error) throw new Error("fork");
      // The child's stack page made its own now (syscall() writes arguments there).
      fl.syscall(child.rv[0], "umask", [0o22]);
      return { parent, child: child.rv[0] };
    };
    const outcomes = new Set<string>();
    sweep(strategy, setup, (fl, c) => fl.syscall(c.child, "execve", [0x40000000, 0x40000010, 0]), (fl, c, r) => {
      expect(r.done).toBe(true);
      if (r.done && r.error) {
        expect(r.errno).toBe("ENOMEM");
        outcomes.add("ENOMEM");
        return;
      }
      // Killed with SIGABRT: the parent reaps it.
      fl.run({ ticks: 2 });
      const st = 0x40000100;
      const w = fl.syscall(c.parent, "wait4", [c.child, st, 0, 0]);
      expect(w.done && w.rv[0]).toBe(c.child);
      expect(fl.readWord(c.parent, st) & 0x7f).toBe(6);
      outcomes.add("SIGABRT");
    });
    expect(outcomes.has("SIGABRT")).toBe(true);
  });

  it("execve after vfork (a shared vmspace): ENOMEM or SIGABRT, and the parent is released", () => {
    const setup = (fl: Forklab): { parent: number; child: number } => {
      const parent = bare(fl);
      fl.writeUser(parent, 0x40000000, new TextEncoder().encode("/bin/true\0"));
      fl.writeWord(parent, 0x40000010, 0x40000000);
      fl.writeWord(parent, 0x40000014, 0);
      const r = fl.syscall(parent, "vfork");
      expect(r.done).toBe(false);
      const child = fl.procs().find((p) => p.ppid === parent)!.pid;
      return { parent, child };
    };
    const outcomes = new Set<string>();
    sweep(strategy, setup, (fl, c) => fl.syscall(c.child, "execve", [0x40000000, 0x40000010, 0]), (fl, c, r) => {
      outcomes.add(r.done ? r.errno || "exec'd" : "slept");
      if (r.done && r.errno === "ENOMEM") fl.syscall(c.child, "exit", [3]);
      fl.run({ ticks: 5 });
      expect(fl.result(c.parent)).toMatchObject({ done: true, error: 0, rv: [c.child, 0] });
    });
    expect(outcomes.has("ENOMEM")).toBe(true);
  });

  it("munmap and mprotect of part of the memory a fork shares: share-pt's table copy waits for memory (vmwait), then the call is made; the child's bytes stay", () => {
    const setup = (fl: Forklab): { pid: number; child: number; va: number } => {
      const pid = fl.spawn().pid;
      const va = fl.userAlloc(pid, 3 * 4096);
      fl.writeUser(pid, va, new Uint8Array(3 * 4096).fill(0xAB));
      expect(syscallErrno(fl, pid, "fork")).toBe("");
      fl.syscall(pid, "umask", [0o22]); // its stack page its own (syscall() writes arguments there)
      return { pid, child: fl.procs().find((p) => p.ppid === pid)!.pid, va };
    };
    const calls: [string, (c: { va: number }) => number[]][] = [
      ["munmap", (c) => [c.va + 4096, 4096]], ["mprotect", (c) => [c.va, 4096, 1]],
    ];
    for (const [call, args] of calls) {
      const n = sweep(strategy, setup, (fl, c) => fl.syscall(c.pid, call, args(c)), (fl, c, r) => {
        expect(r.done, `${call} waits`).toBe(false);
        expect(!r.done && r.wmesg).toBe("vmwait");
        fl.run({ seconds: 2 }); // the wait ends after hz ticks at the latest
        expect(fl.result(c.pid)).toMatchObject({ done: true, error: 0 });
        expect(fl.readUser(c.child, c.va, 3 * 4096)).toEqual(new Uint8Array(3 * 4096).fill(0xAB));
        expect(fl.mappings(c.pid).some((m) => m.va === c.va + 4096)).toBe(call === "mprotect");
        if (call === "mprotect") expect(fl.mappings(c.pid).find((m) => m.va === c.va)).toMatchObject({ writable: false, cow: false });
      });
      // Only a shared page table needs a frame here: its copy.
      expect(n, call).toBe(strategy === "share-pt" ? 1 : 0);
    }
  });

  it("copy-on-write faults and stack growth wait for memory and then go on: the same memory in the end", () => {
    const watch = (fl: Forklab): { pid: number; sleeps: string[]; exits: Map<number, number> } => {
      const c = { pid: fl.spawn({ image: writerProgram(7) }).pid, sleeps: [] as string[], exits: new Map<number, number>() };
      fl.on("sleep", (e) => { c.sleeps.push(e.wmesg); });
      fl.on("exit", (e) => { c.exits.set(e.pid, e.status); });
      return c;
    };
    // The outcome without failures: the child exited 7, the parent spins with this .bss.
    const base = machine(strategy), b = watch(base);
    base.run({ seconds: 3 });
    const bss = base.readUser(b.pid, BSS, BSS_PAGES * 4096);
    expect([...b.exits.values()]).toEqual([7 << 8]);
    let waited = 0;
    // A fault that finds no frame sleeps up to hz ticks (vm_waitpfault): give it the time.
    sweep(strategy, watch, (fl) => fl.run({ seconds: 3 }), (fl, c) => {
      if (c.exits.has(c.pid)) {
        expect(c.exits.get(c.pid)).toBe(100 << 8); // its fork failed (ENOMEM)
        return;
      }
      expect(fl.readUser(c.pid, BSS, BSS_PAGES * 4096)).toEqual(bss);
      expect([...c.exits.values()]).toEqual([7 << 8]); // the child, reaped by the parent
      expect(fl.procs().filter((q) => q.ppid === c.pid)).toEqual([]);
      if (c.sleeps.includes("pfault")) waited++;
    });
    expect(waited).toBeGreaterThan(0);
  });

  it("stack growth that finds no frame waits for memory, then the program finishes", () => {
    const watch = (fl: Forklab): { pid: number; sleeps: string[]; exits: Map<number, number> } => {
      const c = { pid: fl.spawn({ image: growerProgram(6) }).pid, sleeps: [] as string[], exits: new Map<number, number>() };
      fl.on("sleep", (e) => { c.sleeps.push(e.wmesg); });
      fl.on("exit", (e) => { c.exits.set(e.pid, e.status); });
      return c;
    };
    const count = sweep(strategy, watch, (fl) => fl.run({ seconds: 1 }), (fl, c) => {
      expect(c.exits.get(c.pid)).toBe(0);
      expect(c.sleeps).toContain("pfault");
    });
    expect(count).toBeGreaterThanOrEqual(6);
  });
});
