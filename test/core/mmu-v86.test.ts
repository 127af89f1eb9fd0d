// A real MMU walks forklab's page tables: v86 (an x86 emulator; its CPU is Rust compiled
// to Wasm, npm package v86, loaded from node_modules: nothing is downloaded) is given a
// copy of forklab's physical memory, cr3 = a forklab page directory, CR0.PG|WP, CR4 = 0
// (no PSE, no PAE, no PGE), and asked for every access kind (read/write x CPL 0/3) at
// many addresses whether the access is allowed, which physical address it reaches, and
// which #PF error code it raises. Forklab's own walk (core.translate) must say the same
// thing, and both must leave the same PG_A/PG_M bits behind.
//
// How v86 is driven (v86 0.5.462): `new V86({ wasm_fn, autostart: false })` without any
// BIOS builds the machine headlessly; `emu.v86.cpu` holds the register views over the
// Wasm memory (cr, cpl, protected_mode) and the Wasm exports. The exports that walk the
// tables for a given linear address are the JIT's helpers readable_or_pagefault_jit /
// writable_or_pagefault_jit(addr, size, eip_offset): they run v86's do_page_walk (user
// = CPL 3) with side effects (A/D bits, TLB fill) and, on a fault, set CR2 and record
// the exception (14) and its error code in v86's `jit_fault` static for the JIT to
// raise later, returning 1. That static has no export, so beforeAll finds its address by
// raising faults whose error codes the SDM fixes (user write to an unmapped page: 6,
// ...) and keeping the one word that held each code; the error code of every later fault
// is read from there. On success the physical address is translate_address_system_read_js
// (served from the TLB entry the walk just filled, so without further side effects).
// The TLB is flushed (full_clear_tlb) before every access, so every access walks.
//
// One adjustment to v86: it treats physical 0xA0000-0xBFFFF as VGA memory (memory-mapped
// I/O; a PC's ISA hole). Forklab has no hole, so that window is mapped back to plain RAM.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { V86 } from "v86";
import { Core } from "../../src/core/core.js";

const PHYS_BYTES = 8 << 20;
const PAGE = 4096;
const MAX_USER = 0xBFC00000;
const PTMAP = 0xBFC00000;
const PTD = 0xBFEFF000;
const KSTACK_AREA = 0xC0400000;
const KSTACK_STRIDE = 16384;
const PGEX_P = 1, PGEX_W = 2, PGEX_U = 4;
const CR0_PE = 1, CR0_ET = 0x10, CR0_WP = 0x10000, CR0_PG = 0x80000000;

interface V86Exports {
  readable_or_pagefault_jit(addr: number, size: number, eipOffset: number): number;
  writable_or_pagefault_jit(addr: number, size: number, eipOffset: number): number;
  translate_address_system_read_js(addr: number): number;
  full_clear_tlb(): void;
  in_mapped_range(addr: number): number;
}
interface V86Cpu {
  wm: { exports: V86Exports };
  wasm_memory: WebAssembly.Memory;
  mem8: Uint8Array;
  cr: Int32Array;
  cpl: Uint8Array;
  protected_mode: Int32Array;
  memory_map_read8: ((a: number) => number)[];
  memory_map_write8: ((a: number, v: number) => void)[];
  memory_map_read32: ((a: number) => number)[];
  memory_map_write32: ((a: number, v: number) => void)[];
}

type Result = { fault: false; pa: number } | { fault: true; err: number; cr2: number };

let emu: V86;
let cpu: V86Cpu;
let x: V86Exports;
/** Byte offset in v86's Wasm memory of jit_fault's error-code word (found in beforeAll). */
let errWordIndex = -1;

function v86Access(va: number, access: number): Result {
  x.full_clear_tlb();
  cpu.cpl[0] = access & PGEX_U ? 3 : 0;
  const faulted = access & PGEX_W ? x.writable_or_pagefault_jit(va | 0, 1, 0) : x.readable_or_pagefault_jit(va | 0, 1, 0);
  if (!faulted) return { fault: false, pa: x.translate_address_system_read_js(va | 0) >>> 0 };
  const err = errWordIndex >= 0 ? new Int32Array(cpu.wasm_memory.buffer)[errWordIndex] : -1;
  return { fault: true, err, cr2: cpu.cr[2] >>> 0 };
}

function forklabAccess(core: Core, pm: number, va: number, access: number): Result {
  const t = core.translate(pm, va, access);
  return t.fault ? { fault: true, err: t.err, cr2: va >>> 0 } : { fault: false, pa: t.pa };
}

/** Loads forklab's physical memory and the address space's cr3 into v86. */
function load(core: Core, pm: number): void {
  const phys = core.phys();
  cpu.mem8.set(phys);
  cpu.mem8.fill(0, phys.length, PHYS_BYTES); // memory the core has not grown into: zeros
  useCr3(core, pm);
}
function useCr3(core: Core, pm: number): void {
  cpu.cr[0] = (CR0_PG | CR0_WP | CR0_ET | CR0_PE) | 0;
  cpu.cr[4] = 0;
  cpu.cr[3] = core.cr3(pm) | 0;
  cpu.protected_mode[0] = 1;
  x.full_clear_tlb();
}

function expectSameMemory(core: Core, where: string): void {
  // core.phys() ends where the core has grown to: beyond, no frame was ever used, so v86's
  // copy must still be all zeros there.
  const a = core.phys(), b = cpu.mem8.subarray(0, a.length);
  const beyond = cpu.mem8.subarray(a.length, PHYS_BYTES).findIndex((v) => v !== 0);
  if (beyond >= 0) expect.fail(`${where}: v86 wrote physical 0x${(a.length + beyond).toString(16)}, beyond any frame forklab used`);
  if (Buffer.compare(a, b) !== 0) {
    let i = 0;
    while (a[i] === b[i]) i++;
    expect.fail(`${where}: memory differs first at physical 0x${i.toString(16)} (forklab ${a[i]}, v86 ${b[i]})`);
  }
}

/** A seeded PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Addresses worth walking in pm: its pages and their neighbours, the self-map, kernel stacks, holes, random. */
function addresses(core: Core, pm: number, rnd: () => number): number[] {
  const out = new Set<number>();
  const add = (va: number) => out.add(va >>> 0);
  const pdes = new Set<number>();
  for (const { va } of core.mappings(pm)) {
    add(va); add(va + 0xFFF); add(va + (rnd() & 0xFFC));
    if (va >= PAGE) add(va - PAGE + (rnd() & 0xFFF));
    if (va + PAGE < 0x100000000) add(va + PAGE + (rnd() & 0xFFF));
    pdes.add(va >>> 22);
  }
  for (const pdi of [...pdes, 0, 2, 3, 100, 766, 767, 768, 769, 770, 1022, 1023]) {
    add(PTMAP + pdi * PAGE); add(PTMAP + pdi * PAGE + (rnd() & 0xFFF));
  }
  for (let i = 0; i < 4; i++) add(PTD + i * 0x400 + (rnd() & 0x3FF));
  for (let slot = 0; slot < 6; slot++) {
    const base = KSTACK_AREA + slot * KSTACK_STRIDE;
    for (let p = 0; p < 4; p++) add(base + p * PAGE + (rnd() & 0xFFF));
  }
  for (const va of [0, 0xFFF, 0x1000, 0x3FFFFF, 0x400000, 0x7FFFF000, 0xBFBFFFFF, 0xBFC00000, 0xBFFFFFFF,
    0xC0000000, 0xC0101000, 0xC03FFFFF, 0xFF800000, 0xFFC00000, 0xFFFFF000, 0xFFFFFFFF]) add(va);
  for (let i = 0; i < 300; i++) add(rnd());
  return [...out];
}

/** Walks every address with every access kind on both MMUs, in the same order; returns how many walks faulted. */
function compareWalks(core: Core, pm: number, seed: number, where: string): { walks: number; faults: number; errs: Set<number> } {
  useCr3(core, pm);
  const rnd = prng(seed);
  let walks = 0, faults = 0;
  const errs = new Set<number>();
  const cr3 = core.cr3(pm);
  const mem = cpu.mem8;
  const word = (buf: Uint8Array, pa: number) => buf[pa] | (buf[pa + 1] << 8) | (buf[pa + 2] << 16) | (buf[pa + 3] << 24);
  for (const va of addresses(core, pm, rnd)) {
    for (const access of [0, PGEX_W, PGEX_U, PGEX_U | PGEX_W]) {
      const v = v86Access(va, access);
      const f = forklabAccess(core, pm, va, access);
      walks++;
      if (v.fault) { faults++; errs.add(v.err); }
      if (JSON.stringify(v) !== JSON.stringify(f)) {
        expect(f, `${where}: va 0x${va.toString(16)} access ${access} (forklab vs v86)`).toEqual(v);
      }
      // The walk's side effects: the PDE and the PTE as both left them.
      const pdeAt = cr3 + (va >>> 22) * 4;
      const phys = core.phys();
      const pde = word(phys, pdeAt);
      if (word(mem, pdeAt) !== pde) expect.fail(`${where}: va 0x${va.toString(16)} access ${access}: PDE differs afterwards`);
      if (pde & 1) {
        const pteAt = (pde & ~0xFFF) + ((va >>> 12) & 1023) * 4;
        if (word(mem, pteAt) !== word(phys, pteAt)) expect.fail(`${where}: va 0x${va.toString(16)} access ${access}: PTE differs afterwards`);
      }
    }
  }
  expectSameMemory(core, `${where}, after ${walks} walks`);
  return { walks, faults, errs };
}

beforeAll(async () => {
  const wasmPath = createRequire(import.meta.url).resolve("v86/build/v86.wasm");
  const bytes = readFileSync(wasmPath);
  emu = new V86({
    wasm_fn: async (imports) => (await WebAssembly.instantiate(bytes, imports)).instance.exports,
    memory_size: PHYS_BYTES,
    vga_memory_size: 2 << 20,
    autostart: false,
    disable_keyboard: true,
    disable_mouse: true,
    disable_speaker: true,
  });
  await new Promise<void>((resolve) => emu.add_listener("emulator-loaded", () => resolve()));
  cpu = (emu as unknown as { v86: { cpu: V86Cpu } }).v86.cpu;
  x = cpu.wm.exports;
  // The VGA window back to RAM (see the header). Slot 5 is 0xA0000-0xBFFFF (128 KiB slots).
  cpu.memory_map_read8[5] = (a) => cpu.mem8[a];
  cpu.memory_map_write8[5] = (a, v) => { cpu.mem8[a] = v; };
  cpu.memory_map_read32[5] = (a) => cpu.mem8[a] | (cpu.mem8[a + 1] << 8) | (cpu.mem8[a + 2] << 16) | (cpu.mem8[a + 3] << 24);
  cpu.memory_map_write32[5] = (a, v) => { for (let i = 0; i < 4; i++) cpu.mem8[a + i] = (v >>> (8 * i)) & 0xFF; };
});

afterAll(async () => {
  await emu?.destroy();
});

describe("v86's MMU and forklab's walk", () => {
  it("v86 runs headless with memory the size of forklab's, and only the VGA window is memory-mapped I/O", () => {
    expect(cpu.mem8.length).toBe(PHYS_BYTES);
    const mapped: number[] = [];
    for (let pa = 0; pa < PHYS_BYTES; pa += PAGE) if (x.in_mapped_range(pa)) mapped.push(pa);
    expect(mapped[0]).toBe(0xA0000);
    expect(mapped.length).toBe(32);
    expect(mapped[31]).toBe(0xBF000);
  });

  it("finds where v86 keeps a pending page fault's error code (faults whose codes the SDM fixes)", () => {
    const core = Core.create({ physBytes: PHYS_BYTES, maxThreads: 8 });
    const pm = core.pmapCreate();
    expect(core.enter(pm, 0x10000, 1)).toBe(0);         // read-only user page
    const td = core.threadAlloc();
    const kstack = core.kstack(td);
    load(core, pm);
    const cases: [number, number, number][] = [        // va, access, the error code x86 defines
      [0x20000, PGEX_U | PGEX_W, 6],                     // not present, user write
      [0x10000, PGEX_U | PGEX_W, 7],                     // present read-only page, user write
      [kstack + 2 * PAGE, PGEX_U, 5],                    // present supervisor page (the stack's top), user read
      [kstack - PAGE, PGEX_W, 2],                        // guard page (not present), supervisor write
      [0x30000, PGEX_U, 4],                              // not present, user read
      [0x10000 + 8, PGEX_W, 3],                          // read-only page, supervisor write (CR0.WP)
    ];
    let candidates: number[] | null = null;
    for (const [va, access, code] of cases) {
      const r = v86Access(va, access);
      expect(r.fault, `0x${va.toString(16)} access ${access} faults in v86`).toBe(true);
      expect(cpu.cr[2] >>> 0).toBe(va >>> 0);
      const words = new Int32Array(cpu.wasm_memory.buffer, 0, cpu.mem8.byteOffset >> 2);
      const hit: number[] = [];
      if (candidates === null) { for (let i = 0; i < words.length; i++) if (words[i] === code) hit.push(i); }
      else for (const i of candidates) if (words[i] === code) hit.push(i);
      candidates = hit;
    }
    expect(candidates, "exactly one word held every code").toHaveLength(1);
    errWordIndex = candidates![0];
    // And a successful walk reports the frame forklab mapped.
    expect(v86Access(0x10000 + 0x123, PGEX_U)).toEqual({ fault: false, pa: ((core.pte(pm, 0x10000) & ~0xFFF) >>> 0) + 0x123 });
  });

  it("agree on every access kind at thousands of addresses: user pages of each protection, COW pages, copies, holes, kernel stacks, the self-map", () => {
    expect(errWordIndex, "the error-code word was found").toBeGreaterThanOrEqual(0);
    const core = Core.create({ physBytes: PHYS_BYTES, maxThreads: 32 });
    // Kernel stacks: slots 1..4 allocated, slot 2 freed again (its stack unmapped); each has
    // its top page, and slot 3 its lowest too (written by the kernel: cpu_heavy_restore's
    // store at pcb_esp, pointed there).
    const tds = [core.threadAlloc(), core.threadAlloc(), core.threadAlloc(), core.threadAlloc()];
    core.threadFree(tds[1]);
    const kpm = core.pmapCreate();
    core.cpuFork(tds[2], tds[2], kpm, 0x10);
    core.pcb(tds[2]).esp = core.kstack(tds[2]) + 0x80;
    expect(core.cpuSwitchin(tds[2])).not.toBe(0);
    // A parent with a page of every protection, pages in several page tables, the top user page.
    const a = core.pmapCreate();
    for (let prot = 0; prot < 8; prot++) expect(core.enter(a, 0x00400000 + prot * PAGE, prot)).toBe(0);
    for (const va of [0, 0x1000, 0x08048000, 0x08049000, 0x0804B000, 0x40000000, 0x7FFFE000, MAX_USER - PAGE]) {
      expect(core.enter(a, va, 3)).toBe(0);
    }
    for (let i = 0; i < 64; i++) expect(core.enter(a, 0x10000000 + i * PAGE, i % 3 === 0 ? 1 : 3)).toBe(0);
    // Writes (A and M set), then some pages made read-only (pmap_protect clears RW, A, M).
    expect(core.copyout(a, 0x08048000, new Uint8Array(3 * PAGE).fill(0x90))).toBe(-14); // 0x0804A000 is a hole
    expect(core.copyout(a, 0x10000000, new Uint8Array(8 * PAGE).fill(1))).toBe(-14);    // page 3 is read-only
    expect(core.copyout(a, 0x10004000, new Uint8Array(2 * PAGE).fill(2))).toBe(0);
    core.protect(a, 0x10020000, 0x10030000, 5);
    // Forks: b shares a copy-on-write (PG_COW, read-only in hardware), c is an eager copy.
    const b = core.fork(a, "cow");
    const c = core.fork(a, "copy");
    expect(b).toBeGreaterThan(0);
    expect(c).toBeGreaterThan(0);
    // Some COW faults resolved: b copies (the frame is shared), then a keeps (last reference).
    for (const va of [0x00402000, 0x10004000, 0x7FFFE000]) {
      expect(core.fault(b, va, PGEX_P | PGEX_W | PGEX_U)).toBe(0);
      expect(core.fault(a, va, PGEX_P | PGEX_W | PGEX_U)).toBe(0);
    }
    expect(core.writeWord(b, 0x10008000, 0xDEADBEEF)).toBe(0);
    const d = core.fork(b, "cow");                       // a second generation
    const e = core.pmapCreate();                         // nothing but the kernel's PDEs and the self-map
    expect(core.stat("cowOptim")).toBeGreaterThan(0);
    const pms = { a, b, c, d, e };

    load(core, a);
    let walks = 0, faults = 0;
    const errs = new Set<number>();
    let seed = 1;
    for (const [name, pm] of Object.entries(pms)) {
      const r = compareWalks(core, pm, seed++, `address space ${name}`);
      walks += r.walks; faults += r.faults;
      for (const v of r.errs) errs.add(v);
    }
    // Change things, load the new memory, and walk again.
    core.remove(a, 0x10000000, 0x10010000);
    core.protect(d, 0, MAX_USER, 5);
    core.pmapDestroy(c);
    core.threadFree(tds[0]);
    tds.push(core.threadAlloc());
    load(core, a);
    for (const [name, pm] of Object.entries({ a, b, d, e })) {
      const r = compareWalks(core, pm, seed++, `address space ${name} (second pass)`);
      walks += r.walks; faults += r.faults;
      for (const v of r.errs) errs.add(v);
    }
    expect(walks).toBeGreaterThan(5000);
    expect(faults).toBeGreaterThan(1000);
    expect(walks - faults).toBeGreaterThan(1000);
    // Every error code an access of these kinds can raise came up: not present (0, 2, 4, 6)
    // and protection (1 never: a present page is readable by the supervisor; 3, 5, 7).
    expect([...errs].sort()).toEqual([0, 2, 3, 4, 5, 6, 7]);
  });
  it("share-pt: a page table shared by several directories walks alike, and its read-only PDE makes every write fault on v86 too, whatever the PTE says", () => {
    expect(errWordIndex, "the error-code word was found").toBeGreaterThanOrEqual(0);
    const core = Core.create({ physBytes: PHYS_BYTES, maxThreads: 32 });
    const a = core.pmapCreate();
    for (let i = 0; i < 48; i++) expect(core.enter(a, 0x08048000 + i * PAGE, i % 4 === 0 ? 1 : 3)).toBe(0);
    for (const va of [0x40000000, 0x40001000, MAX_USER - PAGE]) expect(core.enter(a, va, 3)).toBe(0);
    expect(core.copyout(a, 0x08049000, new Uint8Array(2 * PAGE).fill(7))).toBe(0);
    const b = core.fork(a, "share-pt");
    const c = core.fork(b, "share-pt");                   // three directories, one table each span
    const w = 0x08049000;                                 // PG_RW in the PTE, the PDE read-only
    expect(core.pte(a, w) & 2).toBe(2);
    for (const pm of [a, b, c]) expect(core.pde(pm, w) & 2).toBe(0);
    expect(core.frameRefcount(core.pde(a, w) & ~0xFFF)).toBe(3);
    load(core, a);
    for (const pm of [a, b, c]) {
      useCr3(core, pm);
      // The real MMU: a user write is a protection fault (P|W|U), so is a supervisor one
      // (CR0.WP); reads reach the shared frame.
      expect(v86Access(w, PGEX_U | PGEX_W)).toEqual({ fault: true, err: PGEX_P | PGEX_W | PGEX_U, cr2: w });
      expect(v86Access(w, PGEX_W)).toEqual({ fault: true, err: PGEX_P | PGEX_W, cr2: w });
      expect(v86Access(w + 5, PGEX_U)).toEqual({ fault: false, pa: (core.pte(a, w) & ~0xFFF) + 5 });
    }
    load(core, a); // the accesses above left A bits in v86's copy only
    let seed = 100, walks = 0;
    for (const [name, pm] of Object.entries({ a, b, c })) walks += compareWalks(core, pm, seed++, `share-pt ${name}`).walks;
    // b writes: its own copy of the table (copy-on-write entries), then of the page; a and c
    // still share the old table and still fault. Then c leaves, and a's write keeps the
    // table (the last holder) and writes in place.
    expect(core.fault(b, w, PGEX_P | PGEX_W | PGEX_U)).toBe(0);
    expect(core.pde(b, w) & 2).toBe(2);
    expect(core.frameRefcount(core.pde(a, w) & ~0xFFF)).toBe(2);
    core.pmapDestroy(c);
    expect(core.fault(a, 0x40000000, PGEX_P | PGEX_W | PGEX_U)).toBe(0);
    expect(core.pde(a, 0x40000000) & 2).toBe(2);
    load(core, a);
    useCr3(core, b);
    expect(v86Access(w, PGEX_U | PGEX_W).fault).toBe(false);
    expect(v86Access(w + PAGE, PGEX_U | PGEX_W)).toEqual({ fault: true, err: PGEX_P | PGEX_W | PGEX_U, cr2: w + PAGE }); // PG_COW now
    useCr3(core, a);
    expect(v86Access(w, PGEX_U | PGEX_W)).toEqual({ fault: true, err: PGEX_P | PGEX_W | PGEX_U, cr2: w }); // shared with nobody, but PG_COW
    load(core, a);
    for (const [name, pm] of Object.entries({ a, b })) walks += compareWalks(core, pm, seed++, `share-pt ${name} (after the writes)`).walks;
    expect(walks).toBeGreaterThan(1000);
  });
});
