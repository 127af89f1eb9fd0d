// The pmap exports the vm_map needs (assembly/pmap.ts): pmap_fork_skip (vmspace_fork's
// NONE and SHARE entries left out of the page-table fork), pmap_enter_frame (a shared
// object's page in one more address space), pmap_protect_none (PROT_NONE that keeps the
// page), and copyin/copyout with the user's rights. On both builds, which must agree.
import { describe, it, expect } from "vitest";
import { Core, CoreError, type Strategy } from "../../src/core/core.js";

const PG_V = 0x001, PG_RW = 0x002, PG_U = 0x004, PG_COW = 0x800;
const RW = 3, R = 1;
const FRAME = 0xFFFFF000;
const PAGE = 4096;
const frameOf = (pte: number) => (pte & FRAME) >>> 0;

/** The portable build holds one core per process: the tests share it (each makes its own address spaces). */
let portable: Promise<Core> | null = null;
const sharedPortable = () => (portable ??= Core.createPortable({ physBytes: 8 << 20 }));

for (const backend of ["wasm", "portable"] as const) {
  const make = async () => backend === "wasm" ? Core.create({ physBytes: 8 << 20 }) : sharedPortable();

  describe.each(["copy", "cow"] as Strategy[])(`pmap_fork_skip, %s strategy (${backend})`, (strategy) => {
    it("leaves the skipped ranges out of the child and untouched in the parent, forks the rest as pmap_fork does", async () => {
      const core = await make();
      const pm = core.pmapCreate();
      // Pages in one page table: 0x1000 .. 0x5000; and one in another 4 MiB span.
      for (const va of [0x1000, 0x2000, 0x3000, 0x4000, 0x400000]) {
        expect(core.enter(pm, va, RW)).toBe(0);
        expect(core.copyout(pm, va, Uint8Array.of(va >>> 12))).toBe(0);
      }
      const before = new Map(core.mappings(pm).map((m) => [m.va, m.pte]));
      const child = core.forkSkip(pm, strategy, [[0x2000, 0x4000], [0x400000, 0x401000]]);
      expect(child).toBeGreaterThan(0);
      expect(core.mappings(child).map((m) => m.va)).toEqual([0x1000, 0x4000]);
      for (const va of [0x2000, 0x3000, 0x400000]) {
        expect(core.pte(pm, va)).toBe(before.get(va));            // not write-protected, not COW
        expect(core.frameRefcount(frameOf(core.pte(pm, va)))).toBe(1);
      }
      expect(core.copyin(child, 0x4000, 1)).toEqual(Uint8Array.of(4));
      const cowMarked = (core.pte(pm, 0x1000) & PG_COW) !== 0;
      expect(cowMarked).toBe(strategy === "cow");
      expect(core.resident(child)).toBe(2);
      // An empty list is pmap_fork itself.
      const plain = core.forkSkip(pm, strategy, []);
      expect(core.mappings(plain)).toHaveLength(5);
    });

    it("refuses ranges out of order, unaligned or beyond user space", async () => {
      const core = await make();
      const pm = core.pmapCreate();
      expect(() => core.forkSkip(pm, strategy, [[0x3000, 0x4000], [0x1000, 0x2000]])).toThrow(CoreError);
      expect(() => core.forkSkip(pm, strategy, [[0x1001, 0x2000]])).toThrow(CoreError);
      expect(() => core.forkSkip(pm, strategy, [[0xBFBFF000, 0xBFC01000]])).toThrow(CoreError);
      expect(core.x.pmap_fork_skip(pm, 1, core.x.core_iobuf(), -1)).toBe(-22);
    });
  });

  describe(`pmap_enter_frame, pmap_protect_none and the user's rights in copies (${backend})`, () => {
    it("enter_frame maps one frame in two address spaces: writes through either are seen by both", async () => {
      const core = await make();
      const a = core.pmapCreate(), b = core.pmapCreate();
      expect(core.enter(a, 0x10000, RW)).toBe(0);
      const pa = frameOf(core.pte(a, 0x10000));
      expect(core.enterFrame(b, 0x20000, pa, RW)).toBe(0);
      expect(core.frameRefcount(pa)).toBe(2);
      core.copyout(b, 0x20000, Uint8Array.of(42));
      expect(core.copyin(a, 0x10000, 1)).toEqual(Uint8Array.of(42));
      expect(core.pte(b, 0x20000) & (PG_V | PG_RW | PG_U)).toBe(PG_V | PG_RW | PG_U);
      expect(core.enterFrame(b, 0x30000, pa, R)).toBe(0);           // read-only view
      expect(core.copyout(b, 0x30000, Uint8Array.of(1))).toBe(-14);
      core.pmapDestroy(a);
      expect(core.frameRefcount(pa)).toBe(2);                       // b's two mappings hold it
      expect(() => core.enterFrame(b, 0x40000, pa + 1, RW)).toThrow(CoreError);
      const free = core.x.frame_alloc(); core.x.frame_unref(free);
      expect(() => core.enterFrame(b, 0x40000, free >>> 0, RW)).toThrow(/free frame/);
    });

    it("protect_none hides the page (user accesses and copies fault) and protect gives it back with its bytes", async () => {
      const core = await make();
      const pm = core.pmapCreate();
      core.enter(pm, 0x5000, RW);
      core.copyout(pm, 0x5000, Uint8Array.of(7, 8));
      core.protectNone(pm, 0x5000, 0x6000);
      expect(core.pte(pm, 0x5000) & (PG_V | PG_U | PG_RW)).toBe(PG_V);
      expect(core.copyin(pm, 0x5000, 2)).toBeNull();
      expect(core.copyout(pm, 0x5000, Uint8Array.of(1))).toBe(-14);
      expect(core.translate(pm, 0x5000, 4)).toEqual({ fault: true, err: 5 }); // PGEX_P | PGEX_U
      core.protect(pm, 0x5000, 0x6000, R);
      expect(core.copyin(pm, 0x5000, 2)).toEqual(Uint8Array.of(7, 8));
      // A hidden page stays hidden in a copy-strategy child.
      core.protectNone(pm, 0x5000, 0x6000);
      const child = core.fork(pm, "copy");
      expect(core.pte(child, 0x5000) & (PG_V | PG_U)).toBe(PG_V);
    });
  });
}

it("portable and Wasm builds give the same PTE bits, reference counts and statistics for a forkSkip", async () => {
  const run = async (core: Core) => {
    const s0 = core.stats();
    const pm = core.pmapCreate();
    for (let va = 0; va < 40 * PAGE; va += PAGE) { core.enter(pm, va, va % (3 * PAGE) ? RW : R); core.copyout(pm, va, Uint8Array.of(va >>> 12)); }
    const c = core.forkSkip(pm, "cow", [[5 * PAGE, 9 * PAGE], [20 * PAGE, 21 * PAGE]]);
    const view = (x: number) => core.mappings(x).map((m) => [m.va, m.pte & 0xFFF, core.frameRefcount(frameOf(m.pte))]);
    const s1 = core.stats();
    const out = { parent: view(pm), child: view(c), copied: s1.pagesCopied - s0.pagesCopied, pts: s1.ptsCopied - s0.ptsCopied };
    core.pmapDestroy(c); core.pmapDestroy(pm);
    return out;
  };
  expect(await run(await sharedPortable())).toEqual(await run(Core.create({ physBytes: 8 << 20 })));
});
