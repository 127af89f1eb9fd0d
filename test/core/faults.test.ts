// Fault injection and the frame audit at the core's level, on both builds: frame_fail_after
// fails exactly the n-th allocation from now, once; core_table tells where the tables are;
// and every core path that allocates frames (pmap_enter, pmap_fork under each strategy,
// thread_alloc, the copy-on-write fault, copyout) gives everything back when any one of its
// allocations fails, as auditCore (src/kernel/invariants.ts) confirms frame by frame.
import { describe, it, expect } from "vitest";
import { Core, STRATEGIES } from "../../src/core/core.js";
import { auditCore } from "../../src/kernel/invariants.js";

const PAGE = 4096;
const ENOMEM = -12;

// The portable build holds one core per process: its tests share it (each test works
// relative to what it finds).
let portable: Promise<Core> | undefined;
const backends: [string, () => Promise<Core>][] = [
  ["wasm", async () => Core.create({ physBytes: 2 << 20, maxThreads: 16 })],
  ["portable", () => (portable ??= Core.createPortable({ physBytes: 2 << 20, maxThreads: 16 }))],
];

/** An address space with pages in two page tables, one of them read-only. */
function populated(c: Core): number {
  const pm = c.pmapCreate();
  for (const va of [0x1000, 0x2000, 0x400000, 0x401000]) expect(c.enter(pm, va, 3)).toBe(0);
  expect(c.enter(pm, 0x3000, 1)).toBe(0);
  expect(c.copyout(pm, 0x1000, Uint8Array.of(1, 2, 3))).toBe(0);
  return pm;
}

/** The allocations `op` asks for when nothing fails. */
function allocations(c: Core, op: () => unknown): number {
  return c.countFrameAllocs(() => { op(); });
}

describe.each(backends)("fault injection (%s)", (_name, make) => {
  it("fails exactly the n-th allocation from now, once; a far countdown counts allocations", async () => {
    const c = await make();
    const got: number[] = [];
    expect(c.failFrameAfter(3)).toBe(0);
    got.push(c.x.frame_alloc(), c.x.frame_alloc());
    const free = c.framesFree();
    expect(c.x.frame_alloc()).toBe(0);           // the third
    expect(c.framesFree()).toBe(free);           // nothing taken
    got.push(c.x.frame_alloc());                 // once only
    expect(c.failFrameAfter(0)).toBe(0);         // nothing pending after it happened
    expect(c.countFrameAllocs(() => { got.push(c.x.frame_alloc(), c.x.frame_alloc()); })).toBe(2);
    expect(c.countFrameAllocs(() => {})).toBe(0);
    expect(c.failFrameAfter(5)).toBe(0);
    expect(c.failFrameAfter(0)).toBe(5);         // cancelled, and says what was pending
    got.push(c.x.frame_alloc());
    expect(got.every((pa) => pa !== 0)).toBe(true);
    for (const pa of got) c.x.frame_unref(pa);
    expect(() => c.failFrameAfter(-1)).toThrow(/n must be an integer/);
  });

  it("framesPeak reaches the total when the last frame is taken (it lagged one behind)", async () => {
    const c = await make();
    const got: number[] = [];
    for (let pa = c.x.frame_alloc(); pa !== 0; pa = c.x.frame_alloc()) got.push(pa);
    expect(c.framesFree()).toBe(0);
    expect(c.stat("framesPeak")).toBe(c.framesTotal());
    for (const pa of got) c.x.frame_unref(pa);
  });

  it("core_table tells where the tables are and how many slots were used", async () => {
    const c = await make();
    const t0 = c.tables();
    expect(t0.kernelPts).toBe(1);                // 16 threads: one kernel page table
    // New slots (none is free to reuse: the tests free none of theirs).
    const pm = c.pmapCreate(), td = c.threadAlloc();
    c.lwpTreeAlloc();
    const t = c.tables();
    expect([t.pmapSlots, t.threadSlots, t.headSlots]).toEqual([t0.pmapSlots + 1, t0.threadSlots + 1, t0.headSlots + 1]);
    expect(td).toBe(t.threadSlots);
    const w = new Int32Array(c.linear().buffer);
    expect(w[(t.refcounts >>> 2) + c.cr3(pm) / PAGE]).toBe(1);
    expect(w[(t.refcounts >>> 2)]).toBe(1);      // frame 0, reserved
    // Frames above the high-water mark were never used; freed ones go on the free stack.
    expect(t.frameHwm + c.framesFree() - t.freeTop).toBe(c.framesTotal());
    expect(c.translate(pm, c.kstack(td) + 2 * PAGE, 0)).toEqual({ fault: false, pa: w[(t.threadTable >>> 2) + (td - 1) * 16 + 3] });
    const pa = c.x.frame_alloc();
    c.x.frame_unref(pa);
    const t2 = c.tables();
    expect(t2.freeTop).toBeGreaterThan(0);
    expect(w[(t2.freestack >>> 2) + t2.freeTop - 1] * PAGE).toBe(pa);
    expect(c.x.core_table(10)).toBe(-22);
    auditCore(c);
  });

  it("the audit finds a reference count off by one, a leaked frame and a bad free stack", async () => {
    const c = await make();
    const pm = populated(c);
    auditCore(c);
    const pa = c.translate(pm, 0x1000, 0);
    if (pa.fault) throw new Error("unmapped");
    const frame = pa.pa & ~0xFFF;
    c.x.frame_ref(frame);
    expect(() => auditCore(c)).toThrow(new RegExp(`invariant "frame refcount" broken: frame 0x${frame.toString(16)}: refcount 2, but 1 references`));
    c.x.frame_unref(frame);
    auditCore(c);
    const leaked = c.x.frame_alloc() >>> 0;
    expect(() => auditCore(c)).toThrow(/"frame refcount" broken: .*refcount 1, but 0 references/);
    c.x.frame_unref(leaked);
    auditCore(c);
    // A PTE pointing outside memory.
    const t = c.tables(), w = new Int32Array(c.linear().buffer);
    const pde = c.pde(pm, 0x1000);
    const pteAt = (t.physBase + (pde & ~0xFFF) + 4) >>> 2;
    const saved = w[pteAt];
    w[pteAt] = (c.physBytes() + 0x1000) | 0x7;
    expect(() => auditCore(c)).toThrow(new RegExp(`"frame reference" broken: pmap ${pm}'s page 0x1000: points at physical`));
    w[pteAt] = saved;
    auditCore(c);
  });

  it("pmap_enter gives back its new page table when the page cannot be had", async () => {
    const c = await make();
    const pm = c.pmapCreate();
    const n = allocations(c, () => c.enter(pm, 0x800000, 3));
    expect(n).toBe(2);                           // a page table and the page
    for (let i = 1; i <= 2; i++) {
      const free = c.framesFree();
      c.failFrameAfter(i);
      expect(c.enter(pm, 0xC00000, 3)).toBe(ENOMEM);
      expect(c.framesFree()).toBe(free);
      expect(c.pde(pm, 0xC00000)).toBe(0);
      auditCore(c);
    }
  });

  it.each(STRATEGIES)("pmap_fork (%s) undoes a fork that fails at any of its allocations", async (strategy) => {
    const c = await make();
    const pm = populated(c);
    const n = allocations(c, () => c.pmapDestroy(c.fork(pm, strategy)));
    // directory, 2 page tables (share-pt shares them), (copy) 5 pages
    expect(n).toBe(strategy === "copy" ? 1 + 2 + 5 : strategy === "cow" ? 1 + 2 : 1);
    for (let i = 1; i <= n; i++) {
      const free = c.framesFree(), slots = c.tables().pmapSlots;
      c.failFrameAfter(i);
      expect(c.fork(pm, strategy)).toBe(ENOMEM);
      expect(c.framesFree()).toBe(free);
      expect(c.tables().pmapSlots).toBe(slots);
      auditCore(c);
      // The parent still reads and writes its own bytes (its COW marks resolve on the last reference).
      expect(c.copyin(pm, 0x1000, 3)).toEqual(Uint8Array.of(1, 2, 3));
      expect(c.copyout(pm, 0x1000, Uint8Array.of(4, 5, 6))).toBe(0);
      expect(c.copyout(pm, 0x1000, Uint8Array.of(1, 2, 3))).toBe(0);
      auditCore(c);
    }
  });

  it("thread_alloc takes one frame and fails without it; a kernel write to an unbacked stack page that finds no frame changes nothing", async () => {
    const c = await make();
    const n = allocations(c, () => c.threadFree(c.threadAlloc()));
    expect(n).toBe(1);
    const free = c.framesFree();
    c.failFrameAfter(1);
    expect(c.threadAlloc()).toBe(ENOMEM);
    expect(c.framesFree()).toBe(free);
    auditCore(c);
    // cpu_heavy_restore's store at pcb_esp, pointed into the stack's lowest page.
    const pm = c.pmapCreate(), td = c.threadAlloc();
    c.cpuFork(td, td, pm, 0x10);
    const ks = c.kstack(td);
    c.pcb(td).esp = ks + 0x40;
    const sp = c.threadSp(td), before = c.framesFree();
    c.failFrameAfter(1);
    expect(c.cpuSwitchin(td)).toBe(0);
    expect([c.framesFree(), c.threadSp(td)]).toEqual([before, sp]);
    expect(c.translate(pm, ks, 0)).toEqual({ fault: true, err: 0 });
    auditCore(c);
    expect(c.cpuSwitchin(td)).not.toBe(0);
    expect(c.framesFree()).toBe(before - 1);
    expect(c.translate(pm, ks, 0).fault).toBe(false);
    auditCore(c);
    c.threadFree(td);
    c.pmapDestroy(pm);
    auditCore(c);
  });

  it("share-pt: a write fault, copyout, enter, remove or protect that cannot copy a shared page table changes nothing anyone sees", async () => {
    const c = await make();
    const free0 = c.framesFree();
    const pm = populated(c);
    const child = c.fork(pm, "share-pt");
    const pt = c.pde(pm, 0x1000) & ~0xFFF;
    const seen = (p: number) => [0x1000, 0x2000, 0x3000, 0x400000, 0x401000].map((va) => Array.from(c.copyin(p, va, 4) ?? []));
    const before = { pm: seen(pm), child: seen(child), pde: c.pde(child, 0x1000), pte: c.pte(child, 0x1000), res: c.resident(child) };
    expect(before.pde & 2).toBe(0);              // read-only PDE: the table is shared
    expect(c.frameRefcount(pt)).toBe(2);
    const unchanged = () => {
      expect(c.pde(child, 0x1000)).toBe(before.pde);
      expect(c.pte(child, 0x1000)).toBe(before.pte);
      expect(c.resident(child)).toBe(before.res);
      expect(c.frameRefcount(pt)).toBe(2);
      expect(seen(pm)).toEqual(before.pm);
      expect(seen(child)).toEqual(before.child);
      auditCore(c);
    };
    const attempts: [string, () => number, number][] = [
      ["fault", () => c.fault(child, 0x1000, 7), ENOMEM],
      ["copyout", () => c.copyout(child, 0x1000, Uint8Array.of(9)), -14],
      ["enter", () => c.enter(child, 0x5000, 3), ENOMEM],
      ["enterFrame", () => c.enterFrame(child, 0x6000, (c.pte(pm, 0x2000) & ~0xFFF) >>> 0, 1), ENOMEM],
      ["remove", () => c.remove(child, 0x1000, 0x2000), ENOMEM],
      ["protect", () => c.protect(child, 0x1000, 0x3000, 1), ENOMEM],
      ["protectNone", () => c.protectNone(child, 0x2000, 0x3000), ENOMEM],
      ["unshare", () => c.unshare(child, 0, 0x800000, false), ENOMEM],
    ];
    for (const [what, op, err] of attempts) {
      c.failFrameAfter(1);
      expect(op(), what).toBe(err);
      c.failFrameAfter(0);
      unchanged();
    }
    // The table copied but not the page: the copy stays (the child's own table, the same
    // bytes, the page still copy-on-write), and the retry needs only the page.
    c.failFrameAfter(2);
    expect(c.fault(child, 0x1000, 7)).toBe(ENOMEM);
    expect(c.pde(child, 0x1000) & 2).toBe(2);
    expect(c.frameRefcount(pt)).toBe(1);
    expect(seen(child)).toEqual(before.child);
    auditCore(c);
    expect(c.fault(child, 0x1000, 7)).toBe(0);
    expect(c.copyout(child, 0x1000, Uint8Array.of(9))).toBe(0);
    expect(c.copyin(pm, 0x1000, 1)).toEqual(Uint8Array.of(1));
    // A remove that covers a shared table whole needs no frame: the hold just goes.
    expect(c.pde(child, 0x400000) & 2).toBe(0);
    c.failFrameAfter(1);
    expect(c.remove(child, 0x400000, 0x800000)).toBe(0);
    c.failFrameAfter(0);
    expect(c.pde(child, 0x400000)).toBe(0);
    expect(c.copyin(pm, 0x400000, 1)).toEqual(Uint8Array.of(0));
    auditCore(c);
    c.pmapDestroy(child);
    c.pmapDestroy(pm);
    expect(c.framesFree()).toBe(free0);
    auditCore(c);
  });

  it("a copy-on-write fault or copyout that finds no frame changes nothing", async () => {
    const c = await make();
    const pm = populated(c);
    const child = c.fork(pm, "cow");
    const before = c.pte(child, 0x1000);
    c.failFrameAfter(1);
    expect(c.fault(child, 0x1000, 7)).toBe(ENOMEM);
    expect(c.pte(child, 0x1000)).toBe(before);
    auditCore(c);
    c.failFrameAfter(1);
    expect(c.copyout(child, 0x1000, Uint8Array.of(9))).toBe(-14);
    expect(c.pte(child, 0x1000)).toBe(before);
    expect(c.copyin(pm, 0x1000, 1)).toEqual(Uint8Array.of(1));
    auditCore(c);
    expect(c.fault(child, 0x1000, 7)).toBe(0);
    auditCore(c);
  });
});
