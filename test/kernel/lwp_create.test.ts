// sys_lwp_create and lwp_fork's tid assignment (kern_fork.c rev 1.76), with
// cpu_prepare_lwp (vm_machdep.c 1.59): struct lwp_params { func, arg, stack, tid1, tid2 }
// at offsets 0..16, tids 1, 2, 3... in an existing process, the EFAULT path that takes the
// new LWP back out, and the quirk that cpu_prepare_lwp's error is never checked.
import { describe, it, expect } from "vitest";
import { Forklab } from "../../src/index.js";
import { FORK_RETURN, GENERIC_LWP_RETURN } from "../../assembly/i386.js";
import { ok, errnoOf, kproc, klwp, lwpParams, snapshot, fork } from "./fork-helpers.js";

const MiB = 1 << 20;
const UNMAPPED = 0x30000000; // below the API's user arena: nothing is mapped there

function setup(opts: ConstructorParameters<typeof Forklab>[0] = {}) {
  const fl = new Forklab({ physBytes: 16 * MiB, ...opts });
  const p = fl.spawn({ uid: 1000 }).pid;
  const mem = fl.userAlloc(p, 3 * 4096);
  const stack = mem + 2 * 4096; // one page of stack below this
  const tids = mem + 2 * 4096;  // tid words in the third page
  return { fl, p, stack, tids };
}

describe("lwp_create", () => {
  it("gives tids 1, 2, 3 in the process (the first LWP is 0), unique, written to both tid1 and tid2", () => {
    const { fl, p, stack, tids } = setup();
    expect(fl.proc(p).lasttid).toBe(0);
    const created: [number, number][] = [];
    fl.on("lwp_create", (e) => { expect(e.pid).toBe(p); created.push([e.tid, e.creator]); });
    for (let i = 1; i <= 3; i++) {
      const prm = lwpParams(fl, p, { func: 0x1000 + i, arg: 0, stack: stack - 256 * i, tid1: tids + 8 * i, tid2: tids + 8 * i + 4 });
      // sys_lwp_create leaves sysmsg_fds alone: eax 0, edx as it came in (0: a spawned
      // bare process has a fresh exec_setregs frame).
      expect(ok(fl, { pid: p, tid: 0 }, "lwp_create", [prm])).toEqual([0, 0]);
      expect(fl.readWord(p, tids + 8 * i)).toBe(i);
      expect(fl.readWord(p, tids + 8 * i + 4)).toBe(i);
    }
    expect(created).toEqual([[1, 0], [2, 0], [3, 0]]);
    expect(fl.proc(p)).toMatchObject({ tids: [0, 1, 2, 3], nthreads: 4, lasttid: 3 });
    // Each new LWP is a thread of its own, and says so.
    for (const tid of [1, 2, 3]) {
      expect(fl.lwps(p).find((l) => l.tid === tid)!.stat).toBe("LSRUN");
      expect(ok(fl, { pid: p, tid }, "lwp_gettid")[0]).toBe(tid);
    }
    // An LWP made by another LWP is numbered in the same sequence.
    const prm = lwpParams(fl, p, { func: 0x1000, arg: 0, stack: stack - 2048, tid1: tids, tid2: 0 });
    ok(fl, { pid: p, tid: 2 }, "lwp_create", [prm]);
    expect(fl.readWord(p, tids)).toBe(4);
    expect(created.at(-1)).toEqual([4, 2]);
  });

  it("does not touch nprocs, the uid counts or the fork counters", () => {
    const { fl, p, stack } = setup();
    const before = snapshot(fl), c0 = fl.counters();
    ok(fl, p, "lwp_create", [lwpParams(fl, p, { func: 0x1000, arg: 0, stack, tid1: 0, tid2: 0 })]);
    const after = snapshot(fl), c1 = fl.counters();
    expect([after.nprocs, after.uids, after.allproc]).toEqual([before.nprocs, before.uids, before.allproc]);
    expect(after.threads).toBe(before.threads + 1);
    expect([c1.v_forks, c1.v_vforks, c1.v_rforks, c1.v_kthreads]).toEqual([c0.v_forks, c0.v_vforks, c0.v_rforks, c0.v_kthreads]);
  });

  it("cpu_prepare_lwp: eip = func, esp = stack - 8 with arg at stack - 4 and a NULL return address; the LWP starts through generic_lwp_return, skipping fork_return's edits", () => {
    const { fl, p, stack } = setup();
    const x = fl.kernel.core.x;
    x.tf_set(klwp(fl, p).td, 36 /* TF_EDX */, 0x1234);
    x.tf_set(klwp(fl, p).td, 68 /* TF_EFLAGS */, 0x203);
    ok(fl, p, "lwp_create", [lwpParams(fl, p, { func: 0x8048000, arg: 0xA5A5, stack, tid1: 0, tid2: 0 })]);
    const lp = klwp(fl, p, 1);
    const core = fl.kernel.core;
    expect(fl.trapframe({ pid: p, tid: 1 })).toMatchObject({ eip: 0x8048000, esp: stack - 8 });
    expect(fl.readWord(p, stack - 4)).toBe(0xA5A5);
    expect(fl.readWord(p, stack - 8)).toBe(0);
    expect(core.pcb(lp.td).esi).toBe(GENERIC_LWP_RETURN >>> 0);
    expect(core.pcb(lp.td).ebx).toBe(core.kstack(lp.td));
    fl.run({ ticks: 1 }); // its first switch-in
    // eax, edx and eflags are the creator's at syscall entry: eax still holds the syscall number.
    expect(fl.trapframe({ pid: p, tid: 1 })).toMatchObject({ eax: 495, edx: 0x1234, eflags: 0x203 });
    expect(fl.lwps(p)[1].mode).toBe("user");
    // The creator's own return: 0 and PSL_C clear.
    expect(fl.trapframe({ pid: p, tid: 0 })).toMatchObject({ eax: 0, eflags: 0x202 });
  });

  it("quirk (rev 1.76): cpu_prepare_lwp's error is not checked when tid1 and tid2 are NULL: a bad stack still returns 0 and the LWP runs", () => {
    const { fl, p } = setup();
    const before = snapshot(fl);
    expect(ok(fl, p, "lwp_create", [lwpParams(fl, p, { func: 0x1000, arg: 7, stack: UNMAPPED, tid1: 0, tid2: 0 })])[0]).toBe(0);
    expect(fl.proc(p).tids).toEqual([0, 1]);
    expect(snapshot(fl).threads).toBe(before.threads + 1);
    const lp = klwp(fl, p, 1);
    // cpu_prepare_lwp stopped at the first copyout: esp is stack - 4 and the fork handler is
    // still cpu_fork's fork_return, so the LWP sees eax 0, edx 1 when it starts.
    expect(fl.trapframe({ pid: p, tid: 1 })).toMatchObject({ eip: 0x1000, esp: UNMAPPED - 4 });
    expect(fl.kernel.core.pcb(lp.td).esi).toBe(FORK_RETURN >>> 0);
    expect(lp.onRunq).toBe(true);
    fl.run({ ticks: 1 });
    expect(fl.trapframe({ pid: p, tid: 1 })).toMatchObject({ eax: 0, edx: 1 });
  });

  it("quirk (rev 1.76): with a bad stack but a good tid1, the tid copyout overwrites the error and the call returns 0", () => {
    const { fl, p, tids } = setup();
    expect(errnoOf(fl, p, "lwp_create", [lwpParams(fl, p, { func: 0x1000, arg: 7, stack: UNMAPPED, tid1: tids, tid2: 0 })])).toBe("");
    expect(fl.readWord(p, tids)).toBe(1);
    expect(fl.proc(p).nthreads).toBe(2);
  });

  it("a bad tid1 gives EFAULT: the new LWP leaves the tree, p_nthreads and every count are as before, and no frame is leaked", () => {
    const { fl, p, stack } = setup();
    const before = snapshot(fl);
    const events: number[] = [];
    fl.on("lwp_create", (e) => events.push(e.tid));
    const r = fl.syscall(p, "lwp_create", [lwpParams(fl, p, { func: 0x1000, arg: 0, stack, tid1: UNMAPPED, tid2: 0 })]);
    expect(r).toMatchObject({ done: true, errno: "EFAULT" });
    // (the params page came from userAlloc after the snapshot: allow for it)
    const after = snapshot(fl);
    expect(after.threads).toBe(before.threads);
    expect(after.lwps).toBe(before.lwps);
    expect([after.nprocs, after.uids, after.allproc]).toEqual([before.nprocs, before.uids, before.allproc]);
    expect(fl.proc(p)).toMatchObject({ tids: [0], nthreads: 1, lock: 0 });
    expect(events).toEqual([]);
    // The tid was used up: p_lasttid is not restored, so the next LWP is 2.
    expect(fl.proc(p).lasttid).toBe(1);
    ok(fl, p, "lwp_create", [lwpParams(fl, p, { func: 0x1000, arg: 0, stack, tid1: 0, tid2: 0 })]);
    expect(fl.proc(p).tids).toEqual([0, 2]);
  });

  it("a bad tid2 after a good tid1 gives EFAULT too, after tid1 was written", () => {
    const { fl, p, stack, tids } = setup();
    const f0 = fl.memory().framesFree;
    const prm = lwpParams(fl, p, { func: 0x1000, arg: 0, stack, tid1: tids, tid2: UNMAPPED });
    const f1 = fl.memory().framesFree;
    expect(errnoOf(fl, p, "lwp_create", [prm])).toBe("EFAULT");
    expect(fl.readWord(p, tids)).toBe(1);
    expect(fl.proc(p)).toMatchObject({ tids: [0], nthreads: 1 });
    expect(fl.memory().framesFree).toBe(f1);
    expect(f0 - f1).toBeLessThanOrEqual(1); // only the params page
  });

  it("a bad params pointer gives EFAULT before anything is done (fail2): no LWP, p_lasttid and p_limit untouched", () => {
    const { fl, p } = setup();
    const lim = kproc(fl, p).p_limit!;
    const before = snapshot(fl);
    expect(errnoOf(fl, p, "lwp_create", [UNMAPPED])).toBe("EFAULT");
    expect(snapshot(fl)).toEqual(before);
    expect(fl.proc(p).lasttid).toBe(0);
    expect(kproc(fl, p).p_limit).toBe(lim);
    expect(lim.p_exclusive).toBe(0);
  });

  it("plimit_lwp_fork makes the process's plimit exclusive (2) before the LWP is made", () => {
    const { fl, p, stack } = setup();
    const shared = kproc(fl, p).p_limit!;
    expect(shared.p_refcnt).toBeGreaterThan(1);
    ok(fl, p, "lwp_create", [lwpParams(fl, p, { func: 0x1000, arg: 0, stack, tid1: 0, tid2: 0 })]);
    const own = kproc(fl, p).p_limit!;
    expect(own).not.toBe(shared);
    expect(own.p_exclusive).toBe(2);
    expect(own.p_refcnt).toBe(1);
  });

  it("tids wrap: after 2^31 - 1 the next try is 1, and tids in use are skipped (RB_INSERT fails, loop)", () => {
    const { fl, p, stack } = setup();
    const mk = () => ok(fl, { pid: p, tid: 0 }, "lwp_create", [lwpParams(fl, p, { func: 0x1000, arg: 0, stack, tid1: 0, tid2: 0 })]);
    mk(); mk(); // tids 1, 2
    kproc(fl, p).p_lasttid = 0x7FFFFFFE;
    mk();
    expect(fl.proc(p).lasttid).toBe(0x7FFFFFFF);
    mk(); // ++tid overflows to negative -> 1 (taken) -> 2 (taken) -> 3
    expect(fl.proc(p).tids).toEqual([0, 1, 2, 3, 0x7FFFFFFF]);
    expect(fl.proc(p).lasttid).toBe(3);
  });

  it("forking a threaded process: the child has one LWP, tid 0, whichever LWP forked", () => {
    const { fl, p, stack } = setup();
    ok(fl, p, "lwp_create", [lwpParams(fl, p, { func: 0x1000, arg: 0, stack, tid1: 0, tid2: 0 })]);
    const c = fork(fl, { pid: p, tid: 1 });
    expect(fl.proc(c)).toMatchObject({ tids: [0], nthreads: 1, lasttid: 0 });
    // The child's LWP copies the forking LWP's frame (tid 1's stack pointer).
    expect(fl.trapframe(c).esp).toBe(fl.trapframe({ pid: p, tid: 1 }).esp);
  });

  it("forklab only: no frames for the kernel stack fails the call (EAGAIN) and leaks nothing", () => {
    const fl = new Forklab({ physBytes: 2 * MiB });
    const p = fl.spawn({ uid: 1000 }).pid;
    const stack = fl.userAlloc(p, 4096) + 4096;
    const prm = lwpParams(fl, p, { func: 0x1000, arg: 0, stack, tid1: 0, tid2: 0 });
    // A kernel stack takes one frame (its top page): leave none.
    while (fl.memory().framesFree > 2) fl.userAlloc(p, 4096);
    while (fl.memory().framesFree > 0) fl.kernel.core.x.frame_alloc();
    const before = snapshot(fl);
    expect(errnoOf(fl, p, "lwp_create", [prm])).toBe("EAGAIN");
    expect(snapshot(fl)).toEqual(before);
    expect(fl.proc(p)).toMatchObject({ tids: [0], nthreads: 1, lasttid: 0 });
  });
});
