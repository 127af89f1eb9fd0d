// The i386 pmap: page tables, the MMU walk, copy-on-write, fork, copyin/copyout
// (assembly/pmap.ts; reference §4, docs/core.md).
import { describe, it, expect } from "vitest";
import { Core, CoreError, type Strategy } from "../../src/core/core.js";

const PG_V = 0x001, PG_RW = 0x002, PG_U = 0x004, PG_A = 0x020, PG_M = 0x040;
const PG_MANAGED = 0x400, PG_COW = 0x800;
const PGEX_P = 1, PGEX_W = 2, PGEX_U = 4;
const R = 1, W = 2, RW = 3;
const MAX_USER = 0xBFC00000;
const PTMAP = 0xBFC00000;
const PTD = 0xBFEFF000;
const KSTACK_AREA = 0xC0400000;
const FRAME = 0xFFFFF000;
const ENOMEM = -12, EFAULT = -14, EINVAL = -22;

function frameOf(pte: number): number { return (pte & FRAME) >>> 0; }
function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (seed * 31 + i * 7) & 0xFF;
  return b;
}

/** Every frame's refcount equals the number of PTEs (over all pms) that map it. */
function expectRefcountsConserved(core: Core, pms: number[]): void {
  const uses = new Map<number, number>();
  for (const pm of pms) for (const { pte } of core.mappings(pm)) {
    uses.set(frameOf(pte), (uses.get(frameOf(pte)) ?? 0) + 1);
  }
  for (const [pa, n] of uses) expect(core.frameRefcount(pa), `frame 0x${pa.toString(16)}`).toBe(n);
}

function expectResidentRight(core: Core, pm: number): void {
  expect(core.resident(pm)).toBe(core.mappings(pm).length);
  const pdes = new Set(core.mappings(pm).map((m) => m.va >>> 22));
  expect(core.ptCount(pm)).toBe(pdes.size);
}

const core = Core.create({ physBytes: 16 << 20 });

describe("page tables after pmap_enter", () => {
  it("a writable page's PTE is frame|PG_V|PG_U|PG_MANAGED|PG_RW; read-only has no PG_RW; the user PDE is pt|V|RW|U|A|M (pmap_allocpte)", () => {
    const pm = core.pmapCreate();
    expect(core.enter(pm, 0x1000, RW)).toBe(0);
    expect(core.enter(pm, 0x2000, R | 4)).toBe(0);
    const p1 = core.pte(pm, 0x1000), p2 = core.pte(pm, 0x2000);
    expect(p1 & 0xFFF).toBe(PG_V | PG_U | PG_MANAGED | PG_RW);
    expect(p2 & 0xFFF).toBe(PG_V | PG_U | PG_MANAGED);
    expect(frameOf(p1)).not.toBe(0);
    expect(core.frameRefcount(frameOf(p1))).toBe(1);
    expect(core.phys().subarray(frameOf(p1), frameOf(p1) + 4096).every((b) => b === 0)).toBe(true);
    const pde = core.pde(pm, 0x1000);
    expect(pde & 0xFFF).toBe(PG_V | PG_RW | PG_U | PG_A | PG_M);
    expect(core.resident(pm)).toBe(2);
    expect(core.ptCount(pm)).toBe(1);
    expect(core.pte(pm, 0x400000)).toBe(0); // no page table there
    core.pmapDestroy(pm);
  });

  it("entering over a mapping drops the old frame and keeps resident", () => {
    const pm = core.pmapCreate();
    core.enter(pm, 0x5000, RW);
    const old = frameOf(core.pte(pm, 0x5000));
    core.copyout(pm, 0x5000, bytes(16, 1));
    const free = core.framesFree();
    expect(core.enter(pm, 0x5000, R)).toBe(0);
    expect(core.framesFree()).toBe(free); // one frame taken, one returned
    expect(core.resident(pm)).toBe(1);
    expect(Array.from(core.copyin(pm, 0x5000, 16)!)).toEqual(new Array(16).fill(0));
    expect(frameOf(core.pte(pm, 0x5000))).not.toBe(old);
    expect(core.frameRefcount(old)).toBe(0);
    core.pmapDestroy(pm);
  });

  it("pmap_pinit: PDE 767 maps the directory itself (pd|V|RW|A|M), so PTD 0xBFEFF000 reads the directory and PTmap reads PTEs (vtopte)", () => {
    const pm = core.pmapCreate();
    core.enter(pm, 0x0804_8000, RW);
    const pd = core.cr3(pm);
    expect(core.pde(pm, PTMAP)).toBe((pd | PG_V | PG_RW | PG_A | PG_M) >>> 0);
    const t = core.translate(pm, PTD, 0);
    expect(t).toEqual({ fault: false, pa: pd });
    // PTD[i] seen through the self-map is PDE i.
    const t2 = core.translate(pm, PTD + (0x0804_8000 >>> 22) * 4, 0);
    expect(t2.fault).toBe(false);
    if (!t2.fault) expect(core.physWord(t2.pa)).toBe(core.pde(pm, 0x0804_8000));
    // vtopte(va) = PTmap + (va >> 12) * 4.
    const t3 = core.translate(pm, PTMAP + (0x0804_8000 >>> 12) * 4, 0);
    expect(t3.fault).toBe(false);
    if (!t3.fault) {
      expect(t3.pa).toBe(frameOf(core.pde(pm, 0x0804_8000)) + ((0x0804_8000 >>> 12) & 1023) * 4);
      expect(core.physWord(t3.pa)).toBe(core.pte(pm, 0x0804_8000));
    }
    // A supervisor write through the self-map is allowed (PG_RW, no PG_U).
    expect(core.translate(pm, PTD, PGEX_W).fault).toBe(false);
    core.pmapDestroy(pm);
  });

  it("pmap_pinit2: kernel PDEs 768..1023 are the kernel directory's (768, 1022, 1023 empty), never user accessible", () => {
    const pm = core.pmapCreate();
    const kpd = core.x.core_kernel_pdir() >>> 0;
    for (let i = 768; i < 1024; i++) expect(core.pde(pm, i * 0x400000)).toBe(core.physWord(kpd + i * 4));
    expect(core.pde(pm, 0xC0000000)).toBe(0);
    expect(core.pde(pm, 0xFF800000)).toBe(0);
    expect(core.pde(pm, 0xFFC00000)).toBe(0);
    const k = core.pde(pm, KSTACK_AREA);
    expect(k & 0xFFF).toBe(PG_V | PG_RW | PG_A | PG_M);
    // The kernel page table for 0xC0400000, seen through PTmap: present, supervisor only.
    const kptVa = PTMAP + (KSTACK_AREA >>> 22) * 4096;
    expect(core.translate(pm, kptVa, 0)).toEqual({ fault: false, pa: frameOf(k) });
    expect(core.translate(pm, kptVa, PGEX_U)).toEqual({ fault: true, err: PGEX_P | PGEX_U });
    expect(core.translate(pm, PTD, PGEX_U)).toEqual({ fault: true, err: PGEX_P | PGEX_U });
    expect(core.translate(pm, PTD, PGEX_U | PGEX_W)).toEqual({ fault: true, err: PGEX_P | PGEX_U | PGEX_W });
    // Kernel text (PDE 768) is not mapped at all.
    expect(core.translate(pm, 0xC0101000, 0)).toEqual({ fault: true, err: 0 });
    // The kernel page tables are shared: another directory has the same PDEs.
    const pm2 = core.pmapCreate();
    expect(core.pde(pm2, KSTACK_AREA)).toBe(k);
    core.pmapDestroy(pm);
    core.pmapDestroy(pm2);
  });
});

describe("kernel stacks (pmap_kenter into the shared kernel page tables)", () => {
  it("a thread's stack is seen by every address space, supervisor read/write only; its guard page and freed stacks are not present", () => {
    const a = core.pmapCreate();
    const td = core.threadAlloc();
    expect(td).toBeGreaterThan(0);
    const b = core.pmapCreate(); // created after the stack was mapped: same kernel PTs
    const ks = core.kstack(td);
    const top = ks + 2 * 4096; // the page a new stack has a frame for (pcb, trapframe)
    for (const pm of [a, b]) {
      const t = core.translate(pm, top + 0x10, PGEX_W);
      expect(t.fault).toBe(false);
      expect(core.pte(pm, top) & 0xFFF).toBe(PG_V | PG_RW | PG_A | PG_M);
      expect(core.translate(pm, top, PGEX_U)).toEqual({ fault: true, err: PGEX_P | PGEX_U });
      expect(core.translate(pm, ks, 0)).toEqual({ fault: true, err: 0 });        // not written yet: no frame
      expect(core.translate(pm, ks - 4096, 0)).toEqual({ fault: true, err: 0 }); // guard page
    }
    expect(core.pte(a, top)).toBe(core.pte(b, top));
    core.threadFree(td);
    expect(core.translate(a, top, 0)).toEqual({ fault: true, err: 0 });
    core.pmapDestroy(a);
    core.pmapDestroy(b);
  });
});

describe("the MMU walk (non-PAE, CR0.WP=1)", () => {
  it("fault codes: not present → P=0 with W/U as accessed; read-only write → P|W; supervisor write honours R/W; cr2 and error code recorded", () => {
    const pm = core.pmapCreate();
    core.enter(pm, 0x10000, R);
    expect(core.translate(pm, 0x20000, PGEX_U)).toEqual({ fault: true, err: PGEX_U });
    expect(core.x.core_fault_va() >>> 0).toBe(0x20000);
    expect(core.x.core_fault_err()).toBe(PGEX_U);
    expect(core.translate(pm, 0x11000, PGEX_W)).toEqual({ fault: true, err: PGEX_W }); // same PT, PTE 0
    expect(core.translate(pm, 0x10004, PGEX_U | PGEX_W)).toEqual({ fault: true, err: PGEX_P | PGEX_W | PGEX_U });
    expect(core.x.core_fault_va() >>> 0).toBe(0x10004);
    expect(core.translate(pm, 0x10004, PGEX_W)).toEqual({ fault: true, err: PGEX_P | PGEX_W });
    const pa = frameOf(core.pte(pm, 0x10000));
    expect(core.translate(pm, 0x10abc, PGEX_U)).toEqual({ fault: false, pa: pa + 0xabc });
    expect(core.translate(pm, 0x10abc, 0)).toEqual({ fault: false, pa: pa + 0xabc });
    core.pmapDestroy(pm);
  });

  it("sets PG_A on any access and PG_M on a write, in the PTE (and PG_A in the PDE)", () => {
    const pm = core.pmapCreate();
    core.enter(pm, 0x3000, RW);
    const base = core.pte(pm, 0x3000);
    expect(base & (PG_A | PG_M)).toBe(0);
    core.translate(pm, 0x3000, PGEX_U);
    expect(core.pte(pm, 0x3000)).toBe((base | PG_A) >>> 0);
    core.translate(pm, 0x3000, PGEX_U | PGEX_W);
    expect(core.pte(pm, 0x3000)).toBe((base | PG_A | PG_M) >>> 0);
    expect(core.pde(pm, 0x3000) & PG_A).toBe(PG_A);
    // A faulting access sets nothing.
    core.enter(pm, 0x4000, R);
    const ro = core.pte(pm, 0x4000);
    core.translate(pm, 0x4000, PGEX_W);
    expect(core.pte(pm, 0x4000)).toBe(ro);
    core.pmapDestroy(pm);
  });
});

describe("fork", () => {
  for (const strategy of ["copy", "cow"] as Strategy[]) {
    it(`${strategy}: parent and child are isolated (each writes through copyout and reads its own)`, () => {
      const pm = core.pmapCreate();
      for (const va of [0x1000, 0x2000, 0x40_0000, 0x0804_8000]) core.enter(pm, va, RW);
      core.enter(pm, 0x3000, R);
      core.copyout(pm, 0x1000, bytes(100, 1));
      core.copyout(pm, 0x0804_8000, bytes(64, 2));
      const child = core.fork(pm, strategy);
      expect(child).toBeGreaterThan(0);
      expect(core.resident(child)).toBe(5);
      expect(core.ptCount(child)).toBe(3);
      expect(core.copyin(child, 0x1000, 100)).toEqual(bytes(100, 1));
      expect(core.copyout(child, 0x1000, bytes(100, 3))).toBe(0);
      expect(core.copyout(pm, 0x0804_8000, bytes(64, 4))).toBe(0);
      expect(core.copyin(pm, 0x1000, 100)).toEqual(bytes(100, 1));
      expect(core.copyin(child, 0x1000, 100)).toEqual(bytes(100, 3));
      expect(core.copyin(pm, 0x0804_8000, 64)).toEqual(bytes(64, 4));
      expect(core.copyin(child, 0x0804_8000, 64)).toEqual(bytes(64, 2));
      expect(core.writeWord(child, 0x2000, 0xdeadbeef)).toBe(0);
      expect(core.readWord(pm, 0x2000)).toBe(0);
      expect(core.readWord(child, 0x2000)).toBe(0xdeadbeef);
      // The read-only page stays read-only in both.
      expect(core.copyout(child, 0x3000, bytes(4, 5))).toBe(EFAULT);
      expect(core.pte(child, 0x3000) & (PG_RW | PG_COW)).toBe(0);
      expectRefcountsConserved(core, [pm, child]);
      expectResidentRight(core, pm);
      expectResidentRight(core, child);
      core.pmapDestroy(child);
      core.pmapDestroy(pm);
    });
  }

  it("share-pt: the child gets the parent's page tables (PDEs read-only in both, the table's frame counted per directory, no PTE or page count touched); a write copies the table by cow's rules first; the last holder keeps it", () => {
    const pm = core.pmapCreate();
    const free = core.framesFree();
    for (const va of [0x1000, 0x2000, 0x40_0000]) core.enter(pm, va, RW);
    core.enter(pm, 0x3000, R);
    core.copyout(pm, 0x1000, bytes(100, 1));
    const pt = frameOf(core.pde(pm, 0x1000));
    const ptes = [0x1000, 0x2000, 0x3000].map((va) => core.pte(pm, va));
    const s0 = core.stats();
    const child = core.fork(pm, "share-pt");
    const s1 = core.stats();
    expect([s1.ptsShared - s0.ptsShared, s1.ptsCopied - s0.ptsCopied, s1.pagesCopied - s0.pagesCopied]).toEqual([2, 0, 0]);
    expect(core.framesFree()).toBe(free - 4 - 2 - 1);      // the parent's 4 pages and 2 tables, the child's directory
    expect(core.pde(child, 0x1000) >>> 0).toBe(pt | PG_V | PG_U | PG_A);
    expect(core.pde(pm, 0x1000) & PG_RW).toBe(0);
    expect(core.frameRefcount(pt)).toBe(2);
    expect([0x1000, 0x2000, 0x3000].map((va) => core.pte(pm, va))).toEqual(ptes); // PTEs as they were, PG_RW kept
    expect(core.frameRefcount(frameOf(ptes[0]))).toBe(1);  // a page counts once, for the table
    expect([core.resident(child), core.ptCount(child)]).toEqual([4, 2]);
    // Reads never unshare; the MMU refuses a write through the read-only PDE.
    expect(core.copyin(child, 0x1000, 100)).toEqual(bytes(100, 1));
    expect(core.translate(child, 0x1000, PGEX_W | PGEX_U)).toEqual({ fault: true, err: PGEX_P | PGEX_W | PGEX_U });
    expect(core.pde(child, 0x1000) & PG_RW).toBe(0);
    // A write to a read-only page has nothing to resolve: EFAULT, nothing unshared.
    expect(core.fault(child, 0x3000, 7)).toBe(EFAULT);
    expect(core.frameRefcount(pt)).toBe(2);
    // The child's write: its own table (writable pages PG_COW in both, each page +1), then the page's copy.
    expect(core.copyout(child, 0x1000, bytes(100, 2))).toBe(0);
    const cpt = frameOf(core.pde(child, 0x1000));
    expect(cpt).not.toBe(pt);
    expect(core.pde(child, 0x1000) & PG_RW).toBe(PG_RW);
    expect(core.frameRefcount(pt)).toBe(1);
    expect(core.pte(pm, 0x2000) & (PG_RW | PG_COW)).toBe(PG_COW);
    expect(core.pte(child, 0x2000) & (PG_RW | PG_COW)).toBe(PG_COW);
    expect(core.frameRefcount(frameOf(ptes[1]))).toBe(2);
    expect(core.pte(pm, 0x3000) & (PG_RW | PG_COW)).toBe(0);  // read-only stays read-only
    expect(core.stat("ptsUnshared") - s1.ptsUnshared).toBe(1);
    expect(core.copyin(pm, 0x1000, 100)).toEqual(bytes(100, 1));
    expect(core.copyin(child, 0x1000, 100)).toEqual(bytes(100, 2));
    // The parent, now the table's only holder, takes it back without a copy; its pages
    // are copy-on-write from the child's copy, so its write copies the page.
    expect(core.fault(pm, 0x2000, 7)).toBe(0);
    expect(frameOf(core.pde(pm, 0x2000))).toBe(pt);
    expect(core.pde(pm, 0x2000) & PG_RW).toBe(PG_RW);
    expect(core.stat("ptsKept") - s1.ptsKept).toBe(1);
    expect(frameOf(core.pte(pm, 0x2000))).not.toBe(frameOf(ptes[1]));
    // The other table is still shared: destroying the child lets go of it.
    expect(core.frameRefcount(frameOf(core.pde(pm, 0x40_0000)))).toBe(2);
    core.pmapDestroy(child);
    expect(core.frameRefcount(frameOf(core.pde(pm, 0x40_0000)))).toBe(1);
    expectResidentRight(core, pm);
    core.pmapDestroy(pm);
    expect(core.framesFree()).toBe(free + 1);               // + the directory pmapCreate took
  });

  it("copy: every page is copied into a fresh frame, child RW iff parent was logically writable; the parent is untouched", () => {
    const pm = core.pmapCreate();
    core.enter(pm, 0x1000, RW);
    core.enter(pm, 0x2000, R);
    core.translate(pm, 0x1000, PGEX_W);
    const before = core.mappings(pm);
    const s0 = core.stats();
    const child = core.fork(pm, "copy");
    expect(core.mappings(pm)).toEqual(before);
    const c = core.mappings(child);
    expect(c.map((m) => m.va)).toEqual([0x1000, 0x2000]);
    expect(c[0].pte & 0xFFF).toBe(PG_V | PG_U | PG_MANAGED | PG_RW);
    expect(c[1].pte & 0xFFF).toBe(PG_V | PG_U | PG_MANAGED);
    expect(frameOf(c[0].pte)).not.toBe(frameOf(before[0].pte));
    const s1 = core.stats();
    expect(s1.pagesCopied - s0.pagesCopied).toBe(2);
    expect(s1.ptsCopied - s0.ptsCopied).toBe(1);
    expect(s1.pmapForks - s0.pmapForks).toBe(1);
    // A COW page of the parent is logically writable: its copy is RW.
    const child2 = core.fork(pm, "cow");
    const grand = core.fork(child2, "copy");
    expect(core.pte(grand, 0x1000) & (PG_RW | PG_COW)).toBe(PG_RW);
    for (const p of [grand, child2, child, pm]) core.pmapDestroy(p);
  });

  it("cow: vm_map_copy_entry write-protects the parent (pmap_protect clears RW, A, M) and pmap_copy gives the child the same PTE; read-only pages are shared as they are", () => {
    const pm = core.pmapCreate();
    core.enter(pm, 0x1000, RW);
    core.enter(pm, 0x2000, R);
    core.translate(pm, 0x1000, PGEX_W | PGEX_U); // A|M
    core.translate(pm, 0x2000, PGEX_U); // A
    const p1 = core.pte(pm, 0x1000), p2 = core.pte(pm, 0x2000);
    const s0 = core.stats();
    const child = core.fork(pm, "cow");
    const cow1 = ((p1 & ~(PG_RW | PG_A | PG_M)) | PG_COW) >>> 0;
    expect(core.pte(pm, 0x1000)).toBe(cow1);
    expect(core.pte(child, 0x1000)).toBe(cow1);
    expect(core.pte(pm, 0x2000)).toBe(p2); // unchanged in the parent
    expect(core.pte(child, 0x2000)).toBe((p2 & ~(PG_A | PG_M)) >>> 0);
    expect(core.frameRefcount(frameOf(p1))).toBe(2);
    expect(core.frameRefcount(frameOf(p2))).toBe(2);
    const s1 = core.stats();
    expect(s1.pagesCopied - s0.pagesCopied).toBe(0);
    expect(s1.ptsCopied - s0.ptsCopied).toBe(1);
    expect(s1.pmapForks - s0.pmapForks).toBe(1);
    expect(core.pde(child, 0x1000) & 0xFFF).toBe(PG_V | PG_RW | PG_U | PG_A | PG_M);
    expect(frameOf(core.pde(child, 0x1000))).not.toBe(frameOf(core.pde(pm, 0x1000)));
    // A second fork shares the page three ways.
    const child2 = core.fork(pm, "cow");
    expect(core.frameRefcount(frameOf(p1))).toBe(3);
    expectRefcountsConserved(core, [pm, child, child2]);
    for (const p of [child2, child, pm]) core.pmapDestroy(p);
  });

  it("a strategy other than copy, cow or share-pt is EINVAL (the face rejects it by name)", () => {
    const pm = core.pmapCreate();
    const free = core.framesFree();
    expect(core.x.pmap_fork(pm, 3)).toBe(EINVAL);
    expect(core.x.pmap_fork(pm, -1)).toBe(EINVAL);
    expect(core.x.pmap_fork_skip(pm, 3, 0, 0)).toBe(EINVAL);
    expect(() => core.fork(pm, "share" as Strategy)).toThrow(CoreError);
    expect(core.framesFree()).toBe(free);
    core.pmapDestroy(pm);
  });
});

describe("copy-on-write faults (vm_fault: v_cow_faults, v_cow_optim)", () => {
  it("a write fault on a shared COW page copies it; the last reference keeps its frame and just becomes writable", () => {
    const pm = core.pmapCreate();
    core.enter(pm, 0x7000, RW);
    core.copyout(pm, 0x7000, bytes(4096, 9));
    const child = core.fork(pm, "cow");
    const orig = frameOf(core.pte(pm, 0x7000));
    expect(core.translate(child, 0x7010, PGEX_U | PGEX_W)).toEqual({ fault: true, err: PGEX_P | PGEX_W | PGEX_U });
    expect(core.translate(child, 0x7010, PGEX_U).fault).toBe(false); // reads are fine
    const s0 = core.stats();
    expect(core.fault(child, 0x7010, PGEX_P | PGEX_W | PGEX_U)).toBe(0);
    const s1 = core.stats();
    expect(s1.cowFaults - s0.cowFaults).toBe(1);
    expect(s1.pagesCopied - s0.pagesCopied).toBe(1);
    expect(s1.cowOptim - s0.cowOptim).toBe(0);
    const cpte = core.pte(child, 0x7000);
    expect(frameOf(cpte)).not.toBe(orig);
    expect(cpte & 0xFFF).toBe(PG_V | PG_U | PG_MANAGED | PG_RW);
    expect(core.copyin(child, 0x7000, 4096)).toEqual(bytes(4096, 9));
    expect(core.frameRefcount(orig)).toBe(1);
    expect(core.frameRefcount(frameOf(cpte))).toBe(1);
    // The parent now holds the last reference: no copy.
    const ppte = core.pte(pm, 0x7000);
    expect(core.fault(pm, 0x7000, PGEX_P | PGEX_W | PGEX_U)).toBe(0);
    const s2 = core.stats();
    expect(s2.cowFaults - s1.cowFaults).toBe(1);
    expect(s2.cowOptim - s1.cowOptim).toBe(1);
    expect(s2.pagesCopied - s1.pagesCopied).toBe(0);
    expect(core.pte(pm, 0x7000)).toBe(((ppte & ~PG_COW) | PG_RW) >>> 0);
    expect(core.translate(pm, 0x7000, PGEX_U | PGEX_W).fault).toBe(false);
    core.pmapDestroy(child);
    core.pmapDestroy(pm);
  });

  it("faults it cannot resolve are EFAULT: not present, not COW, a read fault, a plain read-only page", () => {
    const pm = core.pmapCreate();
    core.enter(pm, 0x1000, R);
    core.enter(pm, 0x2000, RW);
    const s0 = core.stats();
    expect(core.fault(pm, 0x9000, PGEX_W | PGEX_U)).toBe(EFAULT);
    expect(core.fault(pm, 0x400000, PGEX_P | PGEX_W)).toBe(EFAULT);
    expect(core.fault(pm, 0x1000, PGEX_P | PGEX_W)).toBe(EFAULT);
    expect(core.fault(pm, 0x2000, PGEX_P | PGEX_W)).toBe(EFAULT);
    const child = core.fork(pm, "cow");
    expect(core.fault(child, 0x2000, PGEX_P | PGEX_U)).toBe(EFAULT); // a read fault
    expect(core.fault(child, PTD, PGEX_P | PGEX_W)).toBe(EFAULT);
    expect(core.stats().cowFaults).toBe(s0.cowFaults);
    core.pmapDestroy(child);
    core.pmapDestroy(pm);
  });
});

describe("pmap_protect", () => {
  it("without VM_PROT_WRITE clears PG_RW and PG_COW (and PG_A/PG_M, as pmap.c does for managed pages); without VM_PROT_READ it removes", () => {
    const pm = core.pmapCreate();
    for (const va of [0x1000, 0x2000, 0x3000]) core.enter(pm, va, RW);
    core.translate(pm, 0x1000, PGEX_W);
    const child = core.fork(pm, "cow"); // 0x1000..0x3000 COW in pm
    core.enter(pm, 0x4000, RW);
    core.translate(pm, 0x4000, PGEX_W);
    expect(core.pte(pm, 0x4000) & (PG_A | PG_M)).toBe(PG_A | PG_M);
    core.protect(pm, 0x1000, 0x5000, R);
    for (const va of [0x1000, 0x2000, 0x3000, 0x4000]) {
      expect(core.pte(pm, va) & 0xFFF, `va 0x${va.toString(16)}`).toBe(PG_V | PG_U | PG_MANAGED);
    }
    const free = core.framesFree();
    core.protect(pm, 0x3000, 0x5000, 0);
    expect(core.pte(pm, 0x3000)).toBe(0);
    expect(core.pte(pm, 0x4000)).toBe(0);
    expect(core.framesFree()).toBe(free + 1); // 0x3000 is still the child's
    expect(core.resident(pm)).toBe(2);
    core.pmapDestroy(child);
    core.pmapDestroy(pm);
  });

  it("with VM_PROT_WRITE (forklab extension): RW and COW pages unchanged; read-only becomes RW if its frame has one reference, else PG_COW", () => {
    const pm = core.pmapCreate();
    core.enter(pm, 0x1000, R);
    core.enter(pm, 0x2000, R);
    core.enter(pm, 0x3000, RW);
    const child = core.fork(pm, "cow"); // 0x1000, 0x2000 shared read-only; 0x3000 COW
    core.enter(pm, 0x4000, R); // private read-only
    const p3 = core.pte(pm, 0x3000);
    core.protect(pm, 0x1000, 0x5000, RW);
    expect(core.pte(pm, 0x1000) & (PG_RW | PG_COW)).toBe(PG_COW);
    expect(core.pte(pm, 0x2000) & (PG_RW | PG_COW)).toBe(PG_COW);
    expect(core.pte(pm, 0x3000)).toBe(p3);
    expect(core.pte(pm, 0x4000) & (PG_RW | PG_COW)).toBe(PG_RW);
    // The child's read-only page too becomes COW: copyout then copies it.
    expect(core.copyout(child, 0x1000, bytes(8, 1))).toBe(EFAULT);
    core.protect(child, 0x1000, 0x2000, RW | 4);
    expect(core.copyout(child, 0x1000, bytes(8, 1))).toBe(0);
    expect(core.copyin(pm, 0x1000, 8)).toEqual(new Uint8Array(8));
    expectRefcountsConserved(core, [pm, child]);
    core.pmapDestroy(child);
    core.pmapDestroy(pm);
  });
});

describe("remove, next, slots", () => {
  it("pmap_remove drops frames and frees a page table left empty (clearing its PDE)", () => {
    const pm = core.pmapCreate();
    const free0 = core.framesFree();
    core.enter(pm, 0x1000, RW);
    core.enter(pm, 0x3ff000, RW);
    core.enter(pm, 0x400000, RW);
    expect(core.framesFree()).toBe(free0 - 5);
    core.remove(pm, 0x1000, 0x2000);
    expect(core.ptCount(pm)).toBe(2);
    expect(core.resident(pm)).toBe(2);
    expect(core.framesFree()).toBe(free0 - 4);
    core.remove(pm, 0x3ff000, 0x401000);
    expect(core.pde(pm, 0)).toBe(0);
    expect(core.pde(pm, 0x400000)).toBe(0);
    expect(core.ptCount(pm)).toBe(0);
    expect(core.resident(pm)).toBe(0);
    expect(core.framesFree()).toBe(free0);
    core.remove(pm, 0, MAX_USER); // nothing left: a no-op
    expect(core.framesFree()).toBe(free0);
    core.pmapDestroy(pm);
  });

  it("pmap_next finds present pages in address order, skipping empty PDEs", () => {
    const pm = core.pmapCreate();
    const vas = [0x0, 0x5000, 0x0800_0000, 0x0800_1000, 0xBFBFF000];
    for (const va of vas) core.enter(pm, va, R);
    expect(core.mappings(pm).map((m) => m.va)).toEqual(vas);
    expect(core.x.pmap_next(pm, 1) >>> 0).toBe(0x5000);
    expect(core.x.pmap_next(pm, 0x0800_0001) >>> 0).toBe(0x0800_1000);
    expect(core.x.pmap_next(pm, 0x0800_2000) >>> 0).toBe(0xBFBFF000);
    expect(core.x.pmap_next(pm, 0xBFBFF001)).toBe(-1);
    expect(core.x.pmap_next(pm, MAX_USER | 0)).toBe(-1);
    core.pmapDestroy(pm);
  });

  it("the directory walks (fork, destroy, pmap_next) find page tables in every group of 32 PDEs, at both edges of each", () => {
    // PDEs 0, 31, 32, 63, ..., 736, 767 - 1 = 766: the first and last PDE of each group of 32
    // (the walks skip groups no page table was ever put in), then a removed page table.
    const pdes = [...new Set(Array.from({ length: 24 }, (_, g) => [32 * g, Math.min(32 * g + 31, 766)]).flat())];
    const c = Core.create({ physBytes: 8 << 20 });
    const pm = c.pmapCreate();
    // In each page table, its first, second or third page, or its last (PTE 1023).
    const vas = pdes.map((i, n) => (i * 0x400000 + (n % 2 ? 0x3FF000 : (n % 3) * 0x1000)) >>> 0).sort((a, b) => a - b);
    for (const va of vas) expect(c.enter(pm, va, RW)).toBe(0);
    expect(c.mappings(pm).map((m) => m.va)).toEqual(vas);
    for (const strategy of ["cow", "copy"] as const) {
      const kid = c.fork(pm, strategy);
      expect(c.mappings(kid).map((m) => m.va)).toEqual(vas);
      expect(c.ptCount(kid)).toBe(pdes.length);
      expectResidentRight(c, kid);
      c.pmapDestroy(kid);
    }
    expectRefcountsConserved(c, [pm]);
    // A page table freed by pmap_remove leaves its group marked; the walks still see right.
    c.remove(pm, vas[1] & ~0x3FFFFF, ((vas[1] & ~0x3FFFFF) + 0x400000) >>> 0);
    const rest = vas.filter((_, n) => n !== 1);
    expect(c.mappings(pm).map((m) => m.va)).toEqual(rest);
    const kid = c.fork(pm, "cow");
    expect(c.mappings(kid).map((m) => m.va)).toEqual(rest);
    c.pmapDestroy(kid);
    c.pmapDestroy(pm);
    expect(c.framesFree()).toBe(c.bootFreeFrames);
  });

  it("the page-table walks (fork, destroy, pmap_next) find pages in every group of 32 PTEs, at both edges of each", () => {
    const c = Core.create({ physBytes: 8 << 20 });
    const pm = c.pmapCreate();
    const base = 0x0800_0000;
    const idx = [...new Set(Array.from({ length: 32 }, (_, g) => [32 * g, 32 * g + 31]).flat())];
    const vas = idx.map((i) => base + i * 0x1000);
    for (const va of vas) expect(c.enter(pm, va, RW)).toBe(0);
    expect(c.mappings(pm).map((m) => m.va)).toEqual(vas);
    expect(c.x.pmap_next(pm, base + 0x1000) >>> 0).toBe(base + 31 * 0x1000);
    for (const strategy of ["cow", "copy"] as const) {
      const kid = c.fork(pm, strategy);
      expect(c.mappings(kid).map((m) => m.va)).toEqual(vas);
      expectResidentRight(c, kid);
      c.pmapDestroy(kid);
    }
    expectRefcountsConserved(c, [pm]);
    // Pages removed leave their groups marked; entering again in an emptied group works.
    c.remove(pm, base + 32 * 0x1000, base + 64 * 0x1000);
    const rest = vas.filter((va) => va < base + 32 * 0x1000 || va >= base + 64 * 0x1000);
    expect(c.mappings(pm).map((m) => m.va)).toEqual(rest);
    const kid = c.fork(pm, "cow");
    expect(c.mappings(kid).map((m) => m.va)).toEqual(rest);
    expect(c.enter(kid, base + 40 * 0x1000, RW)).toBe(0);
    expect(c.mappings(kid).length).toBe(rest.length + 1);
    c.pmapDestroy(pm);
    c.pmapDestroy(kid);
    expect(c.framesFree()).toBe(c.bootFreeFrames);
  });

  it("freed slots are reused first, last freed first", () => {
    const a = core.pmapCreate(), b = core.pmapCreate(), c = core.pmapCreate();
    core.pmapDestroy(a);
    core.pmapDestroy(c);
    expect(core.pmapValid(a)).toBe(false);
    expect(core.x.pmap_cr3(a)).toBe(EINVAL);
    expect(core.pmapCreate()).toBe(c);
    expect(core.pmapCreate()).toBe(a);
    for (const p of [a, b, c]) core.pmapDestroy(p);
  });
});

describe("copyin / copyout", () => {
  it("EFAULT on unmapped pages, kernel addresses and ranges crossing 0xBFC00000; EINVAL on a negative length", () => {
    const pm = core.pmapCreate();
    core.enter(pm, 0xBFBFF000, RW);
    core.enter(pm, 0x1000, RW);
    const buf = core.x.core_iobuf();
    expect(core.copyin(pm, 0x1000, 4096)).not.toBeNull();
    expect(core.copyin(pm, 0x1800, 4096)).toBeNull(); // runs into unmapped 0x2000
    expect(core.copyout(pm, 0x9000, bytes(1, 1))).toBe(EFAULT);
    expect(core.copyin(pm, 0xBFBFF000, 4096)).not.toBeNull();
    expect(core.copyin(pm, 0xBFBFF001, 4096)).toBeNull();
    expect(core.copyout(pm, 0xBFBFFFFC, bytes(8, 1))).toBe(EFAULT);
    expect(core.copyin(pm, PTD, 4)).toBeNull(); // the self-map is kernel space
    expect(core.copyin(pm, KSTACK_AREA, 4)).toBeNull();
    expect(core.copyout(pm, 0xC0101000, bytes(4, 1))).toBe(EFAULT);
    expect(core.x.copyin(pm, 0xFFFFFFF0 | 0, buf, 32)).toBe(EFAULT); // wraps
    expect(core.x.copyin(pm, 0x1000, buf, -1)).toBe(EINVAL);
    expect(core.x.copyout(pm, buf, 0x1000, -4)).toBe(EINVAL);
    expect(core.copyin(pm, MAX_USER, 0)).toEqual(new Uint8Array(0));
    expect(core.readWord(pm, 0xBFBFFFFC)).toBe(0);
    expect(core.readWord(pm, 0xBFBFFFFD)).toBeNull();
    expect(core.x.core_last_error()).toBe(14);
    expect(core.writeWord(pm, 0xBFBFFFFE, 1)).toBe(EFAULT);
    expect(core.readWord(pm, 0xC0400000)).toBeNull();
    expect(core.readWord(pm, 0x0FFE)).toBeNull(); // first half unmapped
    expect(core.readWord(pm, 0x1FFE)).toBeNull(); // second half unmapped
    core.pmapDestroy(pm);
  });

  it("copies across page boundaries, and words straddle two pages", () => {
    const pm = core.pmapCreate();
    core.enter(pm, 0x1000, RW);
    core.enter(pm, 0x2000, RW);
    core.enter(pm, 0x3000, RW);
    const data = bytes(9000, 7);
    expect(core.copyout(pm, 0x1100, data)).toBe(0);
    expect(core.copyin(pm, 0x1100, 9000)).toEqual(data);
    expect(core.writeWord(pm, 0x1FFE, 0x11223344)).toBe(0);
    expect(core.readWord(pm, 0x1FFE)).toBe(0x11223344);
    expect(Array.from(core.copyin(pm, 0x1FFE, 4)!)).toEqual([0x44, 0x33, 0x22, 0x11]);
    expect(core.x.core_last_error()).toBe(0);
    core.pmapDestroy(pm);
  });

  it("copyout onto a COW page resolves the fault (vm_fault) and writes the private copy; a straddling word resolves both pages", () => {
    const pm = core.pmapCreate();
    core.enter(pm, 0x1000, RW);
    core.enter(pm, 0x2000, RW);
    core.copyout(pm, 0x1000, bytes(8192, 3));
    const child = core.fork(pm, "cow");
    const s0 = core.stats();
    expect(core.copyout(child, 0x1ff0, bytes(32, 4))).toBe(0);
    const s1 = core.stats();
    expect(s1.cowFaults - s0.cowFaults).toBe(2);
    expect(s1.pagesCopied - s0.pagesCopied).toBe(2);
    expect(core.copyin(pm, 0x1ff0, 32)).toEqual(bytes(8192, 3).subarray(0xff0, 0x1010));
    expect(core.copyin(child, 0x1ff0, 32)).toEqual(bytes(32, 4));
    expect(core.pte(child, 0x1000) & (PG_RW | PG_COW)).toBe(PG_RW);
    // suword on the parent's pages: each is now the last reference (v_cow_optim).
    expect(core.writeWord(pm, 0x1ffe, 0x01020304)).toBe(0);
    const s2 = core.stats();
    expect(s2.cowOptim - s1.cowOptim).toBe(2);
    expect(s2.pagesCopied).toBe(s1.pagesCopied);
    expect(core.readWord(pm, 0x1ffe)).toBe(0x01020304);
    expectRefcountsConserved(core, [pm, child]);
    core.pmapDestroy(child);
    core.pmapDestroy(pm);
  });
});

describe("frame accounting", () => {
  it("every frame is free again once all address spaces are destroyed", () => {
    const c = Core.create({ physBytes: 4 << 20 });
    const pm = c.pmapCreate();
    for (let i = 0; i < 40; i++) c.enter(pm, (i * 0x11000) % 0x1000000, i % 3 === 0 ? R : RW);
    const kids = [c.fork(pm, "cow"), c.fork(pm, "copy")];
    kids.push(c.fork(kids[0], "cow"));
    c.copyout(kids[2], 0x11000, bytes(10, 1));
    c.writeWord(pm, 0x22000, 5);
    c.protect(kids[1], 0, 0x800000, R);
    expectRefcountsConserved(c, [pm, ...kids]);
    for (const p of [pm, ...kids]) expectResidentRight(c, p);
    expect(c.framesFree()).toBeLessThan(c.bootFreeFrames);
    for (const p of [kids[1], pm, kids[2], kids[0]]) c.pmapDestroy(p);
    expect(c.framesFree()).toBe(c.bootFreeFrames);
  });

  it("kernel page tables: one per 256 thread stacks, pointed at by PDEs 769.. (bootstrap takes the directory and nkpt frames)", () => {
    const c = Core.create({ physBytes: 4 << 20, maxThreads: 600 });
    const kpd = c.x.core_kernel_pdir() >>> 0;
    expect(c.physWord(kpd + 767 * 4)).toBe((kpd | PG_V | PG_RW | PG_A | PG_M) >>> 0);
    for (let j = 0; j < 3; j++) expect(c.physWord(kpd + (769 + j) * 4) & 0xFFF).toBe(PG_V | PG_RW | PG_A | PG_M);
    expect(c.physWord(kpd + 772 * 4)).toBe(0);
    expect(c.physWord(kpd + 768 * 4)).toBe(0);
  });

  it("ENOMEM in the middle of a fork (either strategy) leaks nothing: frames_free back exactly, refcounts as before", () => {
    const c = Core.create({ physBytes: 1 << 20 });
    const pm = c.pmapCreate();
    // 24 pages in 8 page tables: a cow fork needs 9 frames, a copy fork 33.
    for (let i = 0; i < 24; i++) c.enter(pm, ((i % 8) << 22) + ((i >> 3) << 12), i % 4 === 0 ? R : RW);
    expect(c.copyout(pm, 0x401000, bytes(64, 1))).toBe(0);
    let fails = 0;
    for (const strategy of ["cow", "copy"] as Strategy[]) {
      let child = -1;
      // Hold all but `leave` frames in a filler, fork, and let go, for leave = 0, 1, 2, ...
      for (let leave = 0; child < 0 && leave < 100; leave++) {
        const filler = c.pmapCreate();
        let v = 0;
        while (c.framesFree() > leave && c.enter(filler, v, R) === 0) v += 0x1000;
        const before = c.framesFree();
        const refs = c.mappings(pm).map((m) => c.frameRefcount(frameOf(m.pte)));
        const r = c.fork(pm, strategy);
        if (r < 0) {
          expect(r).toBe(ENOMEM);
          expect(c.framesFree()).toBe(before);
          expect(c.mappings(pm).map((m) => c.frameRefcount(frameOf(m.pte)))).toEqual(refs);
          fails++;
        } else {
          child = r;
        }
        c.pmapDestroy(filler);
      }
      expect(child).toBeGreaterThan(0);
      expectRefcountsConserved(c, [pm, child]);
      expectResidentRight(c, child);
      expect(c.copyin(child, 0x401000, 64)).toEqual(bytes(64, 1));
      c.pmapDestroy(child);
    }
    expect(fails).toBeGreaterThan(30);
    c.pmapDestroy(pm);
    expect(c.framesFree()).toBe(c.bootFreeFrames);
  });

  it("ENOMEM from pmap_enter frees the page table it just made; pmap_create gives -ENOMEM with nothing taken", () => {
    const c = Core.create({ physBytes: 1 << 20 });
    const pm = c.pmapCreate();
    let va = 0;
    while (c.framesFree() > 1) { expect(c.enter(pm, va, RW)).toBe(0); va += 0x1000; }
    // One frame left: a new PT fits but its page does not.
    expect(c.enter(pm, 0x8000_0000, RW)).toBe(ENOMEM);
    expect(c.framesFree()).toBe(1);
    expect(c.pde(pm, 0x8000_0000)).toBe(0);
    expect(c.enter(pm, va, RW)).toBe(0); // same PT: the last frame
    expect(c.pmapCreate()).toBe(ENOMEM);
    expect(c.fork(pm, "cow")).toBe(ENOMEM);
    expect(c.framesFree()).toBe(0);
    c.pmapDestroy(pm);
    expect(c.framesFree()).toBe(c.bootFreeFrames);
  });
});

describe("the face rejects bad arguments before the core changes anything", () => {
  it("bad handles, unaligned or kernel addresses, bad ranges and protections throw CoreError", () => {
    const pm = core.pmapCreate();
    core.enter(pm, 0x1000, RW);
    const free = core.framesFree();
    const snap = core.mappings(pm);
    const bad: (() => unknown)[] = [
      () => core.enter(0, 0x1000, RW), () => core.enter(9999, 0x1000, RW), () => core.enter(1.5, 0x1000, RW),
      () => core.enter(pm, 0x1001, RW), () => core.enter(pm, MAX_USER, RW), () => core.enter(pm, 0xC0400000, RW),
      () => core.enter(pm, 0x2000, 8), () => core.enter(pm, -4096, RW),
      () => core.remove(pm, 0x2000, 0x1000), () => core.remove(pm, 0, MAX_USER + 4096),
      () => core.protect(pm, 0x1000, 0x1800, R), () => core.protect(pm, 0x1000, 0x2000, 9),
      () => core.translate(pm, -1, 0), () => core.fault(pm, 0x1000, 8), () => core.fork(12345, "cow"),
      () => core.pmapDestroy(12345), () => core.cr3(0), () => core.resident(-1),
      () => core.copyin(pm, 0x1000, -1),
    ];
    for (const f of bad) expect(f).toThrow(CoreError);
    expect(core.framesFree()).toBe(free);
    expect(core.mappings(pm)).toEqual(snap);
    // The core itself answers EINVAL too.
    expect(core.x.pmap_enter(pm, 0x1001, RW)).toBe(EINVAL);
    expect(core.x.pmap_enter(pm, 0xC0400000 | 0, RW)).toBe(EINVAL);
    expect(core.x.pmap_enter(9999, 0x1000, RW)).toBe(EINVAL);
    expect(core.x.pmap_remove(pm, 0x2000, 0x1000)).toBe(EINVAL);
    expect(core.x.pmap_destroy(9999)).toBe(EINVAL);
    expect(core.framesFree()).toBe(free);
    core.pmapDestroy(pm);
    expect(() => core.enter(pm, 0x1000, RW)).toThrow(CoreError); // destroyed
  });
});

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded sequence of address-space operations; the log of every result. */
function randomRun(c: Core, seed: number, steps: number): unknown[] {
  const rand = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const vas = [0x0, 0x1000, 0x2000, 0x3ff000, 0x400000, 0x401000, 0x0804_8000, 0xBFBFE000, 0xBFBFF000];
  const log: unknown[] = [];
  const pms: number[] = [];
  pms.push(c.pmapCreate());
  for (let i = 0; i < steps; i++) {
    if (pms.length === 0) pms.push(c.pmapCreate());
    const pm = pick(pms);
    const op = Math.floor(rand() * 10);
    const va = pick(vas);
    switch (op) {
      case 0: case 1: log.push(["enter", pm, va, c.enter(pm, va, Math.floor(rand() * 8))]); break;
      case 2: {
        const r = c.fork(pm, rand() < 0.5 ? "copy" : "cow");
        log.push(["fork", pm, r]);
        if (r > 0) pms.push(r);
        break;
      }
      case 3: case 4: {
        const off = Math.floor(rand() * 4096);
        log.push(["copyout", pm, va + off, c.copyout(pm, va + off, bytes(1 + Math.floor(rand() * 300), i))]);
        break;
      }
      case 5: log.push(["fault", pm, va, c.fault(pm, va, PGEX_P | PGEX_W | PGEX_U)]); break;
      case 6: {
        const t = c.translate(pm, va + 12, Math.floor(rand() * 4) * 2);
        log.push(["translate", pm, t, c.x.core_fault_va() >>> 0, c.x.core_fault_err()]);
        break;
      }
      case 7: {
        if (rand() < 0.4 || pms.length > 10) { c.pmapDestroy(pm); pms.splice(pms.indexOf(pm), 1); log.push(["destroy", pm]); }
        else { c.protect(pm, va, Math.min(va + 0x2000, MAX_USER), Math.floor(rand() * 8)); log.push(["protect", pm, va]); }
        break;
      }
      case 8: log.push(["word", pm, c.readWord(pm, va + 4094), c.writeWord(pm, va + 4094, i)]); break;
      default: c.remove(pm, va, va + 0x1000); log.push(["remove", pm, va]); break;
    }
    log.push(c.framesFree());
  }
  for (const pm of pms) log.push(["final", pm, c.mappings(pm), c.resident(pm), c.ptCount(pm), c.copyin(pm, 0x1000, 64)]);
  log.push(c.stats());
  expectRefcountsConserved(c, pms);
  for (const pm of pms) expectResidentRight(c, pm);
  for (const pm of pms) c.pmapDestroy(pm);
  expect(c.framesFree()).toBe(c.bootFreeFrames);
  return log;
}

describe("Wasm and the portable build agree", () => {
  it("a seeded random sequence (enter, fork copy/cow, copyout, fault, protect, remove, destroy) gives identical results and identical physical memory", async () => {
    const wasm = Core.create({ physBytes: 1 << 20 });
    const port = await Core.createPortable({ physBytes: 1 << 20 });
    expect(port.backend).toBe("portable");
    const a = randomRun(wasm, 20080221, 3000);
    const b = randomRun(port, 20080221, 3000);
    expect(b).toEqual(a);
    expect(a.some((e) => Array.isArray(e) && e[0] === "fork" && e[2] === ENOMEM)).toBe(true);
    expect(Buffer.compare(Buffer.from(wasm.phys()), Buffer.from(port.phys()))).toBe(0);
  });
});
