// The physical frame allocator. Each frame has a reference count kept outside the
// frames (refcount[pfn]); free frames sit on a LIFO stack of pfns, so allocation is
// O(1) and the order is deterministic. Frame 0 is never handed out (it holds the
// real-mode vectors on a PC), so a physical address of 0 means "no frame".
import { ld32, st32 } from "./mem";
import {
  K, C_NFRAMES, C_FREE_TOP, C_REFCNT, C_FREESTACK, C_FRAME_FAIL, STAT_FRAMES_PEAK, stat, statAdd,
} from "./state";
import { pzero } from "./phys";
import { PAGE_SHIFT, PAGE_SIZE } from "./i386";

function refp(pa: i32): i32 { return ld32(K + C_REFCNT) + ((pa >>> PAGE_SHIFT) << 2); }

export function framesTotal(): i32 { return ld32(K + C_NFRAMES); }
export function framesFree(): i32 { return ld32(K + C_FREE_TOP); }

/** Puts every frame but frame 0 on the free stack, lowest address on top. */
export function framesInit(): void {
  const n = ld32(K + C_NFRAMES);
  const rc = ld32(K + C_REFCNT);
  const fs = ld32(K + C_FREESTACK);
  st32(rc, 1); // frame 0: reserved forever
  let top = 0;
  for (let pfn = n - 1; pfn >= 1; pfn--) {
    st32(rc + (pfn << 2), 0);
    st32(fs + (top << 2), pfn);
    top++;
  }
  st32(K + C_FREE_TOP, top);
}

/**
 * Fault injection: the n-th frame allocation from now (n >= 1) fails as if memory were
 * exhausted, once; 0 cancels. Returns the countdown it replaced: how many allocations
 * were left before the pending failure, 0 when none was pending (or it has happened). A
 * test counts a path's allocations with a countdown too large to end (n - what is left),
 * then sweeps n over them. When off it costs the allocator one load and one test.
 */
export function frameFailAfter(n: i32): i32 {
  const old = ld32(K + C_FRAME_FAIL);
  st32(K + C_FRAME_FAIL, n < 0 ? 0 : n);
  return old;
}

/** A frame with reference count 1, not zeroed; 0 when memory is exhausted. */
export function frameAllocRaw(): i32 {
  const fail = ld32(K + C_FRAME_FAIL);
  if (fail != 0) {
    st32(K + C_FRAME_FAIL, fail - 1);
    if (fail == 1) return 0;
  }
  const top = ld32(K + C_FREE_TOP);
  if (top == 0) return 0;
  const pfn = ld32(ld32(K + C_FREESTACK) + ((top - 1) << 2));
  st32(K + C_FREE_TOP, top - 1);
  st32(ld32(K + C_REFCNT) + (pfn << 2), 1);
  const used = ld32(K + C_NFRAMES) - (top - 1); // frames in use now, this one included
  if (used > stat(STAT_FRAMES_PEAK)) statAdd(STAT_FRAMES_PEAK, used - stat(STAT_FRAMES_PEAK));
  return pfn << PAGE_SHIFT;
}

/** A zero-filled frame with reference count 1; 0 when memory is exhausted. */
export function frameAlloc(): i32 {
  const pa = frameAllocRaw();
  if (pa != 0) pzero(pa, PAGE_SIZE);
  return pa;
}

export function frameRefcount(pa: i32): i32 { return ld32(refp(pa)); }

export function frameRef(pa: i32): void {
  const p = refp(pa);
  st32(p, ld32(p) + 1);
}

/** Drops one reference; the frame returns to the free stack at zero. Returns the new count. */
export function frameUnref(pa: i32): i32 {
  const p = refp(pa);
  const n = ld32(p) - 1;
  st32(p, n);
  if (n == 0) {
    const top = ld32(K + C_FREE_TOP);
    st32(ld32(K + C_FREESTACK) + (top << 2), pa >>> PAGE_SHIFT);
    st32(K + C_FREE_TOP, top + 1);
  }
  return n;
}

/** True when pa is a frame-aligned physical address inside memory other than frame 0. */
export function frameValid(pa: i32): bool {
  if ((pa & (PAGE_SIZE - 1)) != 0) return false;
  const pfn = pa >>> PAGE_SHIFT;
  return pfn >= 1 && pfn < ld32(K + C_NFRAMES);
}
