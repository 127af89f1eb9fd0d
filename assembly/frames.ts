// The physical frame allocator. Each frame has a reference count kept outside the
// frames (refcount[pfn]); freed frames sit on a LIFO stack of pfns, and frames never
// used lie above a high-water mark (C_FRAME_HWM), handed out in address order once the
// stack is empty. Allocation is O(1), the order deterministic, and setting up a core
// costs the same at any memory size: no table is filled per frame, and a never-used
// frame's refcount word is first written when the frame is handed out. Frame 0 is never
// handed out (it holds the real-mode vectors on a PC), so a physical address of 0 means
// "no frame".
//
// A core the core laid out itself (core_init) also grows linear memory with the
// high-water mark: physical memory is made (memory.grow) in steps that double, from 64
// MiB, as frames are first handed out, so a large machine costs its host nothing until
// used (docs/core.md). Memory grown is fresh, all zeros.
import { ld32, st32, memPages, memGrow } from "./mem";
import {
  K, PHYS, C_NFRAMES, C_FREE_TOP, C_REFCNT, C_FREESTACK, C_FRAME_FAIL, C_FRAME_HWM, C_PHYS_ZERO,
  C_PHYS_GROWN, STAT_FRAMES_PEAK, stat, statAdd,
} from "./state";
import { pzero } from "./phys";
import { PAGE_SHIFT, PAGE_SIZE } from "./i386";

function refp(pa: i32): i32 { return ld32(K + C_REFCNT) + ((pa >>> PAGE_SHIFT) << 2); }

export function framesTotal(): i32 { return ld32(K + C_NFRAMES); }
/** Free frames: those on the free stack and those never used. */
export function framesFree(): i32 { return ld32(K + C_FREE_TOP) + ld32(K + C_NFRAMES) - ld32(K + C_FRAME_HWM); }

/**
 * Every frame but frame 0 free and never used; `zeroed` says whether physical memory is
 * fresh (all zeros), so that a never-used frame needs no zeroing; the first `grown`
 * frames lie inside linear memory already.
 */
export function framesInit(zeroed: bool, grown: i32): void {
  st32(ld32(K + C_REFCNT), 1); // frame 0: reserved forever
  st32(K + C_FREE_TOP, 0);
  st32(K + C_FRAME_HWM, 1);
  st32(K + C_PHYS_ZERO, zeroed ? 1 : 0);
  st32(K + C_PHYS_GROWN, grown);
}

/** Frames that physical memory's first growth step covers (1 MiB). */
export const PHYS_GROW_MIN: i32 = 256;

/** Grows linear memory so that frame pfn is inside it, doubling what is there: false when the host has no more. */
function physGrow(pfn: i32): bool {
  const n = ld32(K + C_NFRAMES);
  let grown = ld32(K + C_PHYS_GROWN) << 1;
  if (grown < PHYS_GROW_MIN) grown = PHYS_GROW_MIN;
  if (grown <= pfn) grown = pfn + 1;
  if (grown > n) grown = n;
  const end = PHYS + (grown << PAGE_SHIFT); // as unsigned; 0 is 4 GiB
  const pages = end == 0 ? 65536 : (end >>> 16) + ((end & 0xFFFF) != 0 ? 1 : 0);
  const have = memPages();
  if (pages > have && memGrow(pages - have) < 0) return false;
  st32(K + C_PHYS_GROWN, grown);
  return true;
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

/**
 * A frame's pfn with reference count 1, not zeroed, negated when it was never used
 * before (so its bytes are whatever physical memory held at creation); 0 when memory is
 * exhausted. Freed frames go out first, most recently freed first.
 */
function take(): i32 {
  const fail = ld32(K + C_FRAME_FAIL);
  if (fail != 0) {
    st32(K + C_FRAME_FAIL, fail - 1);
    if (fail == 1) return 0;
  }
  const top = ld32(K + C_FREE_TOP);
  let pfn = 0;
  if (top != 0) {
    pfn = ld32(ld32(K + C_FREESTACK) + ((top - 1) << 2));
    st32(K + C_FREE_TOP, top - 1);
  } else {
    const hwm = ld32(K + C_FRAME_HWM);
    if (hwm >= ld32(K + C_NFRAMES)) return 0;
    if (hwm >= ld32(K + C_PHYS_GROWN) && !physGrow(hwm)) return 0;
    st32(K + C_FRAME_HWM, hwm + 1);
    pfn = hwm;
  }
  st32(ld32(K + C_REFCNT) + (pfn << 2), 1);
  const used = ld32(K + C_NFRAMES) - framesFree(); // frames in use now, this one included
  if (used > stat(STAT_FRAMES_PEAK)) statAdd(STAT_FRAMES_PEAK, used - stat(STAT_FRAMES_PEAK));
  return top != 0 ? pfn : -pfn;
}

/** A frame with reference count 1, not zeroed; 0 when memory is exhausted. */
export function frameAllocRaw(): i32 {
  const pfn = take();
  return (pfn < 0 ? -pfn : pfn) << PAGE_SHIFT;
}

/** A zero-filled frame with reference count 1; 0 when memory is exhausted. */
export function frameAlloc(): i32 {
  const pfn = take();
  if (pfn == 0) return 0;
  if (pfn > 0) { pzero(pfn << PAGE_SHIFT, PAGE_SIZE); return pfn << PAGE_SHIFT; }
  // Never used: zero already when physical memory was fresh.
  if (ld32(K + C_PHYS_ZERO) == 0) pzero(-pfn << PAGE_SHIFT, PAGE_SIZE);
  return -pfn << PAGE_SHIFT;
}

/** A frame's reference count (0 for a frame never used: its word was never written). */
export function frameRefcount(pa: i32): i32 {
  return (pa >>> PAGE_SHIFT) >= ld32(K + C_FRAME_HWM) ? 0 : ld32(refp(pa));
}

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
