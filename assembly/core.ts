// Creating a core: lays out the control block, the frame tables, the pmap, thread and
// tree-head tables, the host I/O buffer and physical memory, then builds the kernel's
// page tables. Layout in docs/core.md.
import { ld32, st32, fill, memPages, memGrow, heapBase, ltu, leu } from "./mem";
import {
  K, setState, CORE_MAGIC, ABI_VERSION, CTL_BYTES, C_MAGIC, C_ABI, C_PHYS_BASE, C_PHYS_BYTES,
  C_NFRAMES, C_REFCNT, C_FREESTACK, C_PMAP_TAB, C_PMAP_MAX, C_THR_TAB, C_THR_MAX, C_HEAD_TAB,
  C_HEAD_MAX, C_IOBUF, C_IOBUF_BYTES, C_END, C_PTGROUPS,
} from "./state";
import { framesInit, PHYS_GROW_MIN } from "./frames";
import { PAGE_SHIFT, EINVAL, ENOMEM } from "./i386";
import { pmapBootstrap, PMAP_SLOT, KSTACK_MAX_THREADS } from "./pmap";
import { THR_SLOT, threadsInit } from "./cpu";
import { HEAD_SLOT, headsInit } from "./lwptree";
import { opAttrInit } from "./x86_decode";

export const IOBUF_BYTES: i32 = 65536;
export const MIN_PHYS_BYTES: i32 = 1 << 20;          // 1 MiB
export const MAX_PHYS_BYTES: i32 = 0xC000 << 16;     // 3 GiB, as a negative i32

function align(x: i32, a: i32): i32 { return (x + a - 1) & ~(a - 1); }

/** Grows linear memory so that it holds `end` bytes (end as unsigned; 0 means 4 GiB). */
export function ensureMemory(end: i32): bool {
  const pages = end == 0 ? 65536 : (end >>> 16) + ((end & 0xFFFF) != 0 ? 1 : 0);
  const have = memPages();
  return pages <= have || memGrow(pages - have) >= 0;
}

/** Threads that fit by default: one per frame (a thread holds at least its pcb's frame); -EINVAL for a bad size. */
export function defaultMaxThreads(physBytes: i32): i32 {
  return physSizeOk(physBytes) ? threadsFor(physBytes) : -EINVAL;
}

function threadsFor(physBytes: i32): i32 { return physBytes >>> PAGE_SHIFT; }

/** Physical memory is whole pages, 1 MiB to 3 GiB. */
function physSizeOk(physBytes: i32): bool {
  return (physBytes & 0xFFF) == 0 && !ltu(physBytes, MIN_PHYS_BYTES) && !ltu(MAX_PHYS_BYTES, physBytes);
}

/** maxThreads as a host passes it (0: the default), or -EINVAL. physBytes checked. */
function threadsArg(physBytes: i32, maxThreads: i32): i32 {
  const n = maxThreads == 0 ? threadsFor(physBytes) : maxThreads;
  return n < 1 || n > KSTACK_MAX_THREADS ? -EINVAL : n;
}

/**
 * Bytes of core bookkeeping (control block through I/O buffer) before physical memory,
 * maxThreads 0 meaning the default; -EINVAL for a bad size or thread count.
 */
export function metaBytes(physBytes: i32, maxThreads: i32): i32 {
  if (!physSizeOk(physBytes)) return -EINVAL;
  const threads = threadsArg(physBytes, maxThreads);
  return threads < 0 ? threads : layoutBytes(physBytes, threads);
}

function layoutBytes(physBytes: i32, maxThreads: i32): i32 {
  const nframes = physBytes >>> PAGE_SHIFT;
  let n = CTL_BYTES + nframes * 12;
  n += maxPmaps(nframes) * PMAP_SLOT;
  n += maxThreads * THR_SLOT + maxThreads * HEAD_SLOT;
  return n + IOBUF_BYTES;
}

/** An address space holds at least its directory's frame. */
function maxPmaps(nframes: i32): i32 { return nframes; }

/** Whether [p, p + n) lies inside linear memory (p and n unsigned). */
export function inMemory(p: i32, n: i32): bool {
  const pages = memPages();
  if (pages >= 65536) return p == 0 || leu(n, -p); // all 4 GiB: only a wrap is outside
  const limit = pages << 16;
  return leu(p, limit) && leu(n, (limit - p) | 0);
}

/**
 * Lays out a core with control block at `ctl` (16-byte aligned, at or above the end of
 * the module's static data) and physical memory at `physBase` (page aligned, after
 * metaBytes of bookkeeping, inside memory); maxThreads 0 means the default. Returns ctl,
 * -EINVAL for a bad layout or one overlapping the current core (other than the current
 * core itself, which is then reset), -ENOMEM when memory does not hold it. On failure
 * nothing changed.
 */
export function initAt(ctl: i32, physBase: i32, physBytes: i32, maxThreads: i32): i32 {
  return initGrown(ctl, physBase, physBytes, maxThreads, physBytes, false);
}

/**
 * initAt with only the first `grown` bytes of physical memory inside linear memory (the
 * rest is grown as frames are first used: frames.ts), told whether they are fresh (all
 * zeros): then no frame needs zeroing before its first use.
 */
function initGrown(ctl: i32, physBase: i32, physBytes: i32, maxThreads: i32, grown: i32, zeroed: bool): i32 {
  if (!physSizeOk(physBytes)) return -EINVAL;
  maxThreads = threadsArg(physBytes, maxThreads);
  if (maxThreads < 0) return maxThreads;
  if ((physBase & 0xFFF) != 0 || (ctl & 15) != 0 || ltu(ctl, heapBase()) || !ltu(ctl, physBase)) return -EINVAL;
  if (ltu((physBase - ctl) | 0, layoutBytes(physBytes, maxThreads))) return -EINVAL;
  if (!inMemory(physBase, grown)) return -ENOMEM;
  // Over the current core, only in its place (a reset): other cores are the host's to keep apart.
  if (K != 0 && ctl != K && ltu(ctl, ld32(K + C_END)) && ltu(K, (physBase + physBytes) | 0)) return -EINVAL;
  const nframes = physBytes >>> PAGE_SHIFT;
  fill(ctl, 0, CTL_BYTES);
  st32(ctl + C_ABI, ABI_VERSION);
  st32(ctl + C_PHYS_BASE, physBase);
  st32(ctl + C_PHYS_BYTES, physBytes);
  st32(ctl + C_NFRAMES, nframes);
  let p = ctl + CTL_BYTES;
  st32(ctl + C_REFCNT, p); p += nframes * 4;
  st32(ctl + C_FREESTACK, p); p += nframes * 4;
  st32(ctl + C_PTGROUPS, p); p += nframes * 4;
  st32(ctl + C_PMAP_TAB, p); st32(ctl + C_PMAP_MAX, maxPmaps(nframes)); p += maxPmaps(nframes) * PMAP_SLOT;
  st32(ctl + C_THR_TAB, p); st32(ctl + C_THR_MAX, maxThreads); p += maxThreads * THR_SLOT;
  st32(ctl + C_HEAD_TAB, p); st32(ctl + C_HEAD_MAX, maxThreads); p += maxThreads * HEAD_SLOT;
  st32(ctl + C_IOBUF, p); st32(ctl + C_IOBUF_BYTES, IOBUF_BYTES); p += IOBUF_BYTES;
  st32(ctl + C_END, (physBase + physBytes) | 0);
  setState(ctl);
  framesInit(zeroed, grown >>> PAGE_SHIFT);
  threadsInit();
  headsInit();
  opAttrInit();
  // Cannot fail: 1 MiB holds the kernel page tables of the most threads there can be.
  pmapBootstrap(maxThreads);
  st32(ctl + C_MAGIC, CORE_MAGIC);
  return ctl;
}

/** Lays out a core right after the module's static data, growing memory as needed. */
export function init(physBytes: i32, maxThreads: i32): i32 {
  if (!physSizeOk(physBytes)) return -EINVAL;
  maxThreads = threadsArg(physBytes, maxThreads);
  if (maxThreads < 0) return maxThreads;
  const ctl = align(heapBase(), 16);
  const physBase = align(ctl + layoutBytes(physBytes, maxThreads), 65536);
  // Physical memory beyond the first step is grown as it is first used (frames.ts).
  // Memory grown for it now is fresh: zeros (a reset over an earlier core is not).
  const grown = ltu(physBytes, PHYS_GROW_MIN << PAGE_SHIFT) ? physBytes : PHYS_GROW_MIN << PAGE_SHIFT;
  const zeroed = leu(memPages(), physBase >>> 16);
  if (!ensureMemory((physBase + grown) | 0)) return -ENOMEM;
  return initGrown(ctl, physBase, physBytes, maxThreads, grown, zeroed);
}

/** Makes the core whose control block is at `ctl` the current one: 0, or -EINVAL if it is not a core. */
export function select(ctl: i32): i32 {
  if ((ctl & 15) != 0 || ltu(ctl, heapBase()) || !inMemory(ctl, CTL_BYTES)) return -EINVAL;
  if (ld32(ctl + C_MAGIC) != CORE_MAGIC || ld32(ctl + C_ABI) != ABI_VERSION) return -EINVAL;
  setState(ctl);
  return 0;
}

/** The current core's control block, 0 before any. */
export function current(): i32 { return K; }

/** The first byte after the module's static data: the lowest ctl core_init_at accepts. */
export function heapStart(): i32 { return heapBase(); }
