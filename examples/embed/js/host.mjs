// A JavaScript emulator's view of the forklab core (docs/embedding.md): the host owns the
// guest RAM (its own WebAssembly.Memory), lays a core out in it with core_init_at, lets
// the core fork a process with copy-on-write, and reads the result with its own MMU: a
// two-level i386 page walk over the page directory that cr3 names.
//
//   node examples/embed/js/host.mjs      (after npm run build)
import { readFileSync } from "node:fs";
import {
  ABI_VERSION, ABI_MINOR, PAGE_SIZE, PG_V, PG_RW, PG_U, PG_FRAME, VM_PROT_READ, VM_PROT_WRITE,
  FORK_COW, EMBED_MEMORY_BASE,
} from "../../../include/forklab_core.mjs";

const CORE = new URL("../../../build/core.embed.wasm", import.meta.url);
const PHYS_BYTES = 1 << 20;
const CTL = 0x20000;
const TEXT = 0x08048000;    // the process's two pages
const DATA = TEXT + PAGE_SIZE;

/**
 * The host's MMU: the i386 walk without PAE or PSE. `ram` is the memory holding the guest's
 * physical memory at `physBase`; `cr3` a page directory's physical address. Returns the
 * entries and the physical address, or null where an entry is not present.
 */
export function walk(ram, physBase, cr3, va) {
  const view = new DataView(ram.buffer);
  const frame = (e) => (e & PG_FRAME) >>> 0;
  const pde = view.getUint32(physBase + frame(cr3) + (va >>> 22) * 4, true);
  if ((pde & PG_V) === 0) return null;
  const pte = view.getUint32(physBase + frame(pde) + ((va >>> 12) & 1023) * 4, true);
  if ((pte & PG_V) === 0) return null;
  return { pde, pte, pa: frame(pte) + (va & (PAGE_SIZE - 1)) };
}

/** A user write is allowed when both entries grant it (the i386 rule with CR0.WP). */
export function userWritable(e) { return ((e.pde & e.pte & (PG_U | PG_RW)) === (PG_U | PG_RW)); }

const text = (s) => new TextEncoder().encode(s);

/** Runs the scenario; returns what the host saw. */
export function runHost(wasm = readFileSync(CORE)) {
  const ram = new WebAssembly.Memory({ initial: 48 }); // 3 MiB of guest RAM, the host's
  const hostArea = new Uint8Array(ram.buffer, 0, EMBED_MEMORY_BASE);
  hostArea.fill(0x5A); // the host's own bytes below the core's static data
  const core = new WebAssembly.Instance(new WebAssembly.Module(wasm), { env: { memory: ram } }).exports;
  if (core.core_abi_version() !== ABI_VERSION || core.core_abi_minor() < ABI_MINOR) throw new Error("ABI mismatch");

  // The layout: control block at CTL, physical memory page aligned after the bookkeeping.
  const physBase = (CTL + core.core_meta_bytes(PHYS_BYTES, 0) + PAGE_SIZE - 1) & -PAGE_SIZE;
  const ctl = core.core_init_at(CTL, physBase, PHYS_BYTES, 0);
  if (ctl !== CTL) throw new Error(`core_init_at: ${ctl}`);

  // A process: two writable pages, bytes in each.
  const parent = core.pmap_create();
  for (const va of [TEXT, DATA]) {
    if (core.pmap_enter(parent, va, VM_PROT_READ | VM_PROT_WRITE) !== 0) throw new Error("pmap_enter");
  }
  const put = (pm, va, s) => {
    const buf = core.core_iobuf();
    new Uint8Array(ram.buffer, buf, s.length).set(text(s));
    return core.copyout(pm, buf, va, s.length);
  };
  put(parent, TEXT, "parent's text");
  put(parent, DATA, "parent's data");

  // fork with copy-on-write, then the child writes one page.
  const child = core.pmap_fork(parent, FORK_COW);
  const afterFork = {
    parent: walk(ram, physBase, core.pmap_cr3(parent), DATA),
    child: walk(ram, physBase, core.pmap_cr3(child), DATA),
  };
  const childWrite = put(child, DATA, "child's data!");

  // The host's own walk of both address spaces.
  const read = (pm, va, n) => {
    const e = walk(ram, physBase, core.pmap_cr3(pm), va);
    return new TextDecoder().decode(new Uint8Array(ram.buffer, physBase + e.pa, n));
  };
  const entries = (pm) => Object.fromEntries([TEXT, DATA].map((va) => [va, walk(ram, physBase, core.pmap_cr3(pm), va)]));
  return {
    physBase, ctl, parent, child, afterFork, childWrite,
    parentEntries: entries(parent),
    childEntries: entries(child),
    parentData: read(parent, DATA, 13),
    childData: read(child, DATA, 13),
    parentText: read(parent, TEXT, 13),
    childText: read(child, TEXT, 13),
    hostAreaIntact: new Uint8Array(ram.buffer, 0, EMBED_MEMORY_BASE).every((b) => b === 0x5A),
    translate: (pm, va, access) => core.pmap_translate(pm, va, access) >>> 0,
    walkOf: (pm, va) => walk(ram, physBase, core.pmap_cr3(pm), va),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = runHost();
  console.log(`core at 0x${r.ctl.toString(16)}, physical memory at 0x${r.physBase.toString(16)}`);
  console.log(`parent reads "${r.parentData}", child reads "${r.childData}"`);
  console.log(`text page shared: ${r.parentEntries[TEXT].pa === r.childEntries[TEXT].pa}`);
}
