// examples/embed/js/host.mjs: a JavaScript host with its own guest RAM forks a process
// through the core and reads both address spaces with its own two-level page walk.
import { describe, it, expect } from "vitest";
import { runHost, walk, userWritable } from "../../examples/embed/js/host.mjs";
import { PG_COW, PG_RW, PG_A, PG_M, PGEX_W, PGEX_U } from "../../include/forklab_core.mjs";

const TEXT = 0x08048000, DATA = TEXT + 4096;

describe("the JavaScript example host", () => {
  const r = runHost();

  it("lays the core out in its own memory and leaves its own bytes alone", () => {
    expect(r.ctl).toBe(0x20000);
    expect(r.physBase % 4096).toBe(0);
    expect(r.hostAreaIntact).toBe(true);
  });

  it("after the cow fork both walks find the same frame, read-only and marked PG_COW", () => {
    const { parent, child } = r.afterFork;
    expect(child.pa).toBe(parent.pa);
    for (const e of [parent, child]) {
      expect(e.pte & PG_COW).toBe(PG_COW);
      expect(e.pte & PG_RW).toBe(0);
      expect(userWritable(e)).toBe(false);
    }
  });

  it("the child's write copied its page: the parent still reads its bytes, the child its own", () => {
    expect(r.childWrite).toBe(0);
    expect(r.parentData).toBe("parent's data");
    expect(r.childData).toBe("child's data!");
    expect(r.childEntries[DATA].pa).not.toBe(r.parentEntries[DATA].pa);
    expect(userWritable(r.childEntries[DATA])).toBe(true);
    expect(r.childEntries[DATA].pte & (PG_COW | PG_M)).toBe(PG_M);
  });

  it("the page nobody wrote stays shared and copy-on-write in both", () => {
    expect(r.parentText).toBe("parent's text");
    expect(r.childText).toBe("parent's text");
    expect(r.childEntries[TEXT].pa).toBe(r.parentEntries[TEXT].pa);
    expect(r.parentEntries[TEXT].pte & PG_COW).toBe(PG_COW);
  });

  it("the host's walk agrees with the core's pmap_translate (the outside check of both)", () => {
    for (const pm of [r.parent, r.child]) {
      for (const va of [TEXT, TEXT + 0x123, DATA + 0xFFC]) {
        expect(r.translate(pm, va, PGEX_U)).toBe(r.walkOf(pm, va)!.pa);
        expect(r.walkOf(pm, va)!.pte & PG_A).toBe(PG_A);
      }
    }
    expect(r.walkOf(r.parent, TEXT + 0x400000)).toBeNull();
    // A user write to the shared page faults: present, write, user.
    expect(r.translate(r.parent, TEXT, PGEX_W | PGEX_U)).toBe((-8 | 7) >>> 0);
  });

  it("walk() reads a directory from any memory: a hand-made two-level table", () => {
    const ram = new WebAssembly.Memory({ initial: 1 });
    const v = new DataView(ram.buffer);
    v.setUint32(0x1000 + (TEXT >>> 22) * 4, 0x2000 | 7, true);       // PDE -> table at 0x2000
    v.setUint32(0x2000 + ((TEXT >>> 12) & 1023) * 4, 0x5000 | 5, true); // PTE -> frame 0x5000, read-only
    expect(walk(ram, 0, 0x1000, TEXT + 8)).toEqual({ pde: 0x2007, pte: 0x5005, pa: 0x5008 });
    expect(walk(ram, 0, 0x1000, DATA)).toBeNull();
  });
});
