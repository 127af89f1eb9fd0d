// The embedding build (build/core.embed.wasm: --importMemory, --memoryBase 65536) over a
// memory the host supplies, with the core's tables and physical memory where the host says,
// and two instances over one memory keeping their own state.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";

const bytes = readFileSync(new URL("../../build/core.embed.wasm", import.meta.url));
const mod = new WebAssembly.Module(bytes);
type X = Record<string, (...a: number[]) => number>;

function instance(memory: WebAssembly.Memory): X {
  const inst = new WebAssembly.Instance(mod, { env: { memory, abort() { throw new Error("abort"); } } });
  return inst.exports as unknown as X;
}

describe("the embedding build over a host memory", () => {
  it("imports its memory and leaves the host's low 64 KiB alone", () => {
    const memory = new WebAssembly.Memory({ initial: 64 });
    const low = new Uint8Array(memory.buffer, 0, 65536);
    low.fill(0xAB);
    const x = instance(memory);
    const ctl = 0x20000, phys = 0x100000, size = 1 << 20;
    expect(x.core_meta_bytes(size, 16)).toBeLessThan(phys - ctl);
    expect(x.core_init_at(ctl, phys, size, 16)).toBe(ctl);
    expect(x.core_phys_base()).toBe(phys);
    expect(new Uint8Array(memory.buffer, 0, 65536).every((b) => b === 0xAB)).toBe(true);
  });

  it("refuses a layout that does not fit before physical memory, or unaligned", () => {
    const memory = new WebAssembly.Memory({ initial: 64 });
    const x = instance(memory);
    expect(x.core_init_at(0x20000, 0x21000, 1 << 20, 16)).toBe(-22);
    expect(x.core_init_at(0x20000, 0x100800, 1 << 20, 16)).toBe(-22);
  });

  it("forks an address space the host can read at the physical addresses the core reports", () => {
    const memory = new WebAssembly.Memory({ initial: 64 });
    const x = instance(memory);
    const phys = 0x100000;
    x.core_init_at(0x20000, phys, 1 << 20, 16);
    const pm = x.pmap_create();
    expect(x.pmap_enter(pm, 0x1000, 3)).toBe(0);
    expect(x.copyout_word(pm, 0x1004, 0x12345678)).toBe(0);
    const child = x.pmap_fork(pm, 1);
    expect(child).toBeGreaterThan(0);
    const pa = x.pmap_translate(child, 0x1004, 0) >>> 0;
    const view = new DataView(memory.buffer);
    expect(view.getUint32(phys + pa, true)).toBe(0x12345678);
    // The child's write copies; the parent's word stays.
    expect(x.copyout_word(child, 0x1004, 7)).toBe(0);
    expect(x.copyin_word(pm, 0x1004)).toBe(0x12345678);
    expect(x.copyin_word(child, 0x1004)).toBe(7);
  });

  it("two instances over one memory keep their own cores (state lives in each control block)", () => {
    const memory = new WebAssembly.Memory({ initial: 96 });
    const a = instance(memory), b = instance(memory);
    expect(a.core_init_at(0x20000, 0x100000, 1 << 20, 16)).toBe(0x20000);
    expect(b.core_init_at(0x40000, 0x200000, 1 << 20, 16)).toBe(0x40000);
    const freeA = a.frames_free(), freeB = b.frames_free();
    const pm = a.pmap_create();
    a.pmap_enter(pm, 0x1000, 3);
    expect(a.frames_free()).toBe(freeA - 3); // directory, page table, page
    expect(b.frames_free()).toBe(freeB);
    // A third instance can pick up core A by its control block.
    const c = instance(memory);
    expect(c.core_select(0x20000)).toBe(0);
    expect(c.frames_free()).toBe(freeA - 3);
    expect(c.core_select(0x30000)).toBe(-22);
  });
});
