// The frame allocator (assembly/frames.ts): never-used frames handed out from a
// high-water mark in address order, freed ones first; physical memory grown into as
// frames are first used; a frame zeroed only when it may hold old bytes.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { Core } from "../../src/core/index.js";
import { auditCore } from "../../src/kernel/invariants.js";

const PAGE = 4096;
const MiB = 1 << 20;

describe("the frame allocator", () => {
  it("hands out never-used frames in address order, and freed frames first, most recently freed first", () => {
    const c = Core.create({ physBytes: 4 * MiB, maxThreads: 8 });
    const t0 = c.tables();
    expect(t0.freeTop).toBe(0);                   // nothing freed yet: no per-frame setup at creation
    const a = c.x.frame_alloc() >>> 0, b = c.x.frame_alloc() >>> 0, d = c.x.frame_alloc() >>> 0;
    expect([b - a, d - b]).toEqual([PAGE, PAGE]);
    expect(c.tables().frameHwm).toBe(t0.frameHwm + 3);
    c.x.frame_unref(a);
    c.x.frame_unref(d);
    expect(c.x.frame_alloc() >>> 0).toBe(d);
    expect(c.x.frame_alloc() >>> 0).toBe(a);
    expect(c.x.frame_alloc() >>> 0).toBe(d + PAGE);
    expect(c.x.frame_refcount(d + 3 * PAGE)).toBe(0); // never used
    for (const pa of [a, b, d, d + PAGE]) c.x.frame_unref(pa);
    auditCore(c);
  });

  it("grows linear memory into physical memory as frames are first used, in doubling steps from 64 MiB; every frame is zero and comes back", () => {
    const c = Core.create({ physBytes: 512 * MiB, maxThreads: 64 });
    const base = c.x.core_phys_base() >>> 0;
    const bytes = () => c.linear().byteLength;
    expect(bytes()).toBeLessThanOrEqual(base + 64 * MiB + 65536);
    expect(c.phys().byteLength).toBeLessThanOrEqual(64 * MiB);
    const free0 = c.framesFree();
    const got: number[] = [];
    for (let i = 0; i < (100 * MiB) / PAGE; i++) got.push(c.x.frame_alloc() >>> 0);
    expect(got.every((pa) => pa > 0)).toBe(true);
    expect(bytes()).toBeGreaterThanOrEqual(base + 128 * MiB);
    expect(bytes()).toBeLessThan(base + 256 * MiB);
    const phys = c.phys();
    for (const pa of [got[0], got[20000], got[got.length - 1]]) {
      expect(phys.subarray(pa, pa + PAGE).every((x) => x === 0)).toBe(true);
    }
    for (const pa of got) c.x.frame_unref(pa);
    expect(c.framesFree()).toBe(free0);
    auditCore(c);
  });

  it("zeroes a never-used frame when physical memory was not fresh (a core laid over used memory)", () => {
    const embed = new WebAssembly.Module(readFileSync(new URL("../../build/core.embed.wasm", import.meta.url)));
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 64 });
    const x = new WebAssembly.Instance(embed, { env: { memory } }).exports as Record<string, (...a: number[]) => number>;
    new Uint8Array(memory.buffer).fill(0xAA, 0x100000);
    expect(x.core_init_at(0x20000, 0x100000, MiB, 16)).toBe(0x20000);
    for (let i = 0; i < 8; i++) {
      const pa = x.frame_alloc() >>> 0;
      expect(new Uint8Array(memory.buffer, 0x100000 + pa, PAGE).every((v) => v === 0)).toBe(true);
    }
  });
});
