// The invariant checker (src/kernel/invariants.ts) through the API: every bundled program
// runs to its end under each strategy with the checks on after every step, and each
// invariant, broken on purpose through the kernel's internals, stops the machine with a
// kernel panic that names it and the object; with the option off nothing is checked.
import { describe, it, expect } from "vitest";
import { Forklab, ForklabError, bundledProgram, installBundled, BUNDLED_PROGRAMS } from "../../src/index.js";
import type { BundledName } from "../../src/index.js";
import { STRATEGIES } from "../../src/core/core.js";
import { chgproccnt } from "../../src/kernel/resource.js";
import { klwp, kproc } from "../kernel/fork-helpers.js";

function lab(opts: ConstructorParameters<typeof Forklab>[0] = {}): Forklab {
  return new Forklab({ physBytes: 4 << 20, checkInvariants: true, ...opts });
}

/** Breaks something, then expects checkInvariants() to panic with `message`, and the machine to stay stopped. */
function expectPanic(fl: Forklab, message: RegExp): void {
  expect(() => fl.checkInvariants()).toThrow(message);
  expect(fl.panicked).toMatch(message);
  expect(() => fl.spawn()).toThrow(/the kernel panicked/);
}

describe("invariants hold", () => {
  it.each(STRATEGIES)("while every bundled program runs (%s, 1 and 3 CPUs)", (strategy) => {
    for (const ncpus of [1, 3]) {
      for (const name of Object.keys(BUNDLED_PROGRAMS) as BundledName[]) {
        if (name === "threads" || name === "forkbomb") continue; // long: below, on less memory
        const fl = lab({ strategy, ncpus, maxproc: 24 });
        installBundled(fl);
        fl.spawn({ image: bundledProgram(name), argv: [name, "5"] });
        fl.run({ seconds: 2 });
        fl.checkInvariants();
        expect(fl.panicked).toBeNull();
      }
    }
  });

  it("through a fork bomb and lwp_create until memory runs out", () => {
    for (const name of ["forkbomb", "threads"] as const) {
      const fl = new Forklab({ physBytes: 1 << 20, checkInvariants: true, maxproc: 20 });
      installBundled(fl);
      fl.spawn({ image: bundledProgram(name) });
      fl.run({ ticks: 30 });
      expect(fl.panicked).toBeNull();
    }
  });

  it("the option is a boolean", () => {
    expect(() => new Forklab({ checkInvariants: 1 as unknown as boolean })).toThrow(ForklabError);
    expect(() => new Forklab({ checkInvariants: 1 as unknown as boolean })).toThrow(/checkInvariants must be a boolean/);
  });
});

describe("a broken invariant is a kernel panic naming it", () => {
  it("frame refcount (a frame referenced once more than its PTEs say)", () => {
    const fl = lab();
    const pid = fl.spawn().pid;
    const va = fl.userAlloc(pid, 4096);
    const pa = fl.mappings(pid).find((m) => m.va === va)!.pa;
    fl.kernel.core.x.frame_ref(pa);
    expectPanic(fl, new RegExp(`invariant "frame refcount" broken: frame 0x${pa.toString(16)}: refcount 2, but 1 references`));
    expect(fl.messages().at(-1)).toMatch(/^panic: .*frame refcount/);
  });

  it("checked after API calls that change memory: userAlloc finds a frame leaked before it", () => {
    const fl = lab();
    const pid = fl.spawn().pid;
    fl.kernel.core.x.frame_alloc();
    expect(() => fl.userAlloc(pid, 4096)).toThrow(/userAlloc\(\): kernel panic: .*"frame refcount" broken: .*refcount 1, but 0 references/);
    expect(fl.panicked).not.toBeNull();
  });

  it("shared page table (share-pt: a table two directories hold is writable through one)", () => {
    const fl = lab({ strategy: "share-pt" });
    const pid = fl.spawn().pid;
    const va = fl.userAlloc(pid, 4096);
    expect(fl.syscall(pid, "fork")).toMatchObject({ done: true, error: 0 });
    const child = fl.proc(pid).children[0];
    const cr3 = fl.proc(child).vmspace!.cr3, pdeAt = cr3 + 4 * (va >>> 22);
    const dv = new DataView(fl.kernel.core.phys().buffer, fl.kernel.core.phys().byteOffset);
    const pde = dv.getUint32(pdeAt, true);
    expect(pde & 2).toBe(0); // shared: read-only in both directories
    dv.setUint32(pdeAt, pde | 2, true);
    const pt = (pde & ~0xFFF) >>> 0;
    expectPanic(fl, new RegExp(`"shared page table" broken: page table 0x${pt.toString(16)}: held by 2 directories, but pmap \\d+'s PDE ${va >>> 22} has PG_RW`));
  });

  it("kernel mappings (a kernel page mapped that is no live thread's stack page)", () => {
    const fl = lab();
    const core = fl.kernel.core, t = core.tables();
    const dv = new DataView(core.phys().buffer, core.phys().byteOffset);
    // The last entry of the kernel's last page table: far from every stack.
    let ptAt = 0;
    for (let i = 1023; i >= 768 && ptAt === 0; i--) {
      const pde = dv.getUint32(t.kernelPdir + 4 * i, true);
      if (pde & 1) ptAt = (pde & ~0xFFF) >>> 0;
    }
    expect(dv.getUint32(ptAt + 4 * 1023, true)).toBe(0);
    dv.setUint32(ptAt + 4 * 1023, t.kernelPdir | 1, true); // maps the kernel directory's own frame
    expectPanic(fl, /"kernel mappings" broken: the kernel page tables: (\d+) pages mapped for (\d+) pages of live threads' stacks/);
  });

  it("address spaces (a pmap nobody holds)", () => {
    const fl = lab();
    const pm = fl.kernel.core.pmapCreate();
    expectPanic(fl, new RegExp(`"address spaces" broken: pmap ${pm}: is live in the core but no process holds it`));
  });

  it("threads (a kernel stack no LWP owns)", () => {
    const fl = lab();
    fl.kernel.core.threadAlloc();
    expectPanic(fl, /"threads" broken: the core: \d+ live threads for \d+ LWPs/);
  });

  it("nprocs", () => {
    const fl = lab();
    fl.kernel.nprocs++;
    expectPanic(fl, /"nprocs" broken: the process table: nprocs 3, but 2 live \+ 0 zombie/);
  });

  it("ui_proccnt", () => {
    const fl = lab();
    const pid = fl.spawn({ uid: 7 }).pid;
    chgproccnt(kproc(fl, pid).p_ucred!.cr_ruidinfo, 1, 0);
    expectPanic(fl, /"ui_proccnt" broken: uid 7: ui_proccnt 2, but 1 processes/);
  });

  it("LWP tree (a red root; a key that is not the tid)", () => {
    const fl = lab();
    const pid = fl.spawn().pid;
    const x = fl.kernel.core.x, w = new Int32Array(fl.kernel.core.linear().buffer);
    const node = x.thread_rbnode(klwp(fl, pid).td) >>> 0;
    w[(node + 12) >>> 2] = 1;
    expectPanic(fl, new RegExp(`"LWP tree" broken: pid ${pid}'s LWP tree: the root is red`));
    const fl2 = lab();
    const pid2 = fl2.spawn().pid;
    klwp(fl2, pid2).lwp_tid = 5;
    expect(() => fl2.checkInvariants()).toThrow(new RegExp(`"LWP tree" broken: pid ${pid2}'s LWP tree: pid ${pid2} tid 5 is keyed 0`));
  });

  it("process tree and pid hash", () => {
    const fl = lab();
    const pid = fl.spawn().pid;
    const child = fl.syscall(pid, "fork");
    if (!child.done) throw new Error("fork slept");
    kproc(fl, child.rv[0]).p_pptr = kproc(fl, 1);
    expectPanic(fl, new RegExp(`"process tree" broken: pid ${child.rv[0]}: (not on its parent's \\(pid 1\\) child list|on pid ${pid}'s child list, but its parent is pid 1)`));
    const fl2 = lab();
    const pid2 = fl2.spawn().pid;
    fl2.kernel.procs.pidhash.delete(pid2);
    expect(() => fl2.checkInvariants()).toThrow(new RegExp(`"pid hash" broken: pid ${pid2}: is live but not in the pid hash`));
  });

  it("p_nthreads", () => {
    const fl = lab();
    const pid = fl.spawn().pid;
    kproc(fl, pid).p_nthreads = 2;
    expectPanic(fl, new RegExp(`"p_nthreads" broken: pid ${pid}: p_nthreads 2, but 1 LWPs`));
  });

  it("run queue (an LWP queued twice)", () => {
    const fl = lab();
    installBundled(fl);
    const pid = fl.spawn({ image: bundledProgram("true") }).pid;
    const lp = klwp(fl, pid), k = fl.kernel;
    k.cpus[lp.cpu].runq.push(lp);
    expectPanic(fl, new RegExp(`"run queue" broken: pid ${pid} tid 0: is queued twice`));
  });

  it("stranded thread (in the kernel, neither asleep nor runnable)", () => {
    const fl = lab();
    installBundled(fl);
    const pid = fl.spawn({ image: bundledProgram("spawn") }).pid;
    const lp = klwp(fl, pid), k = fl.kernel;
    k.cpus[lp.cpu].runq.splice(k.cpus[lp.cpu].runq.indexOf(lp), 1);
    lp.onRunq = false;
    expectPanic(fl, new RegExp(`"stranded thread" broken: pid ${pid} tid 0: runs a program but is neither runnable nor running`));
  });

  it("sleep (asleep but on no channel's queue)", () => {
    const fl = lab();
    const pid = fl.spawn().pid;
    const child = fl.syscall(pid, "fork");
    expect(child.done).toBe(true);
    expect(fl.syscall(pid, "wait4", [-1, 0, 0, 0]).done).toBe(false);
    const lp = klwp(fl, pid);
    fl.kernel.sleepq.remove(lp.wchan!, lp);
    expectPanic(fl, new RegExp(`"sleep" broken: pid ${pid} tid 0: asleep in "wait" but not on its channel's queue`));
  });

  it("sealed memory (a byte of the core's static data changed), sealed at boot even with the option off", () => {
    const fl = new Forklab({ physBytes: 4 << 20 });
    const mem = fl.kernel.core.linear();
    const at = fl.kernel.core.ctl - 4;
    mem[at] ^= 0xFF;
    try {
      expectPanic(fl, /"sealed memory" broken: linear 0\.\.0x[0-9a-f]+ and the opcode table: changed since the core was made/);
    } finally {
      mem[at] ^= 0xFF;
    }
  });

  it("a panic in a run stops it and is reported as the other panics are", () => {
    const fl = lab();
    installBundled(fl);
    fl.spawn({ image: bundledProgram("spawn"), argv: ["spawn", "100"] });
    fl.kernel.nprocs += 5;
    expect(() => fl.run({ ticks: 1 })).toThrow(/run\(\): kernel panic: panic: invariant "nprocs" broken/);
    expect(() => fl.run({ ticks: 1 })).toThrow(/the kernel panicked/);
  });

  it("with the option off nothing is checked after steps, and checkInvariants() still checks", () => {
    const fl = new Forklab({ physBytes: 4 << 20 });
    installBundled(fl);
    fl.spawn({ image: bundledProgram("spawn"), argv: ["spawn", "3"] });
    fl.kernel.nprocs += 5;
    fl.run({ seconds: 1 });
    expect(fl.panicked).toBeNull();
    expectPanic(fl, /"nprocs" broken/);
  });
});
