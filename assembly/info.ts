// Read-only facts about the current core, for the host.
import { ld32, st32, ltu } from "./mem";
import { ensureMemory } from "./core";
import {
  K, ABI_VERSION, ABI_MINOR, C_PHYS_BASE, C_PHYS_BYTES, C_IOBUF, C_IOBUF_BYTES, C_STAT_BASE, NSTATS,
  C_FAULT_VA, C_FAULT_ERR, C_LAST_ERR, C_END, C_KPDIR, C_REFCNT, C_FREESTACK, C_PMAP_HWM, C_THR_HWM,
  C_THR_TAB, C_FRAME_HWM, C_FREE_TOP, C_HEAD_TAB, C_HEAD_HWM, C_NKPT,
} from "./state";
import { EINVAL, ENOMEM } from "./i386";

export function abiVersion(): i32 { return ABI_VERSION; }
export function abiMinor(): i32 { return ABI_MINOR; }
// Before any core exists (K = 0) each fact is 0: there is no control block to read.
export function physBase(): i32 { return K == 0 ? 0 : ld32(K + C_PHYS_BASE); }
export function physBytes(): i32 { return K == 0 ? 0 : ld32(K + C_PHYS_BYTES); }
export function iobuf(): i32 { return K == 0 ? 0 : ld32(K + C_IOBUF); }
export function iobufBytes(): i32 { return K == 0 ? 0 : ld32(K + C_IOBUF_BYTES); }
export function statValue(i: i32): i32 {
  if (K == 0 || i < 0 || i >= NSTATS) return -EINVAL;
  return ld32(K + C_STAT_BASE + (i << 2));
}
export function faultVa(): i32 { return K == 0 ? 0 : ld32(K + C_FAULT_VA); }
export function faultErr(): i32 { return K == 0 ? 0 : ld32(K + C_FAULT_ERR); }
export function lastError(): i32 { return K == 0 ? EINVAL : ld32(K + C_LAST_ERR); }
export function kernelPdir(): i32 { return K == 0 ? 0 : ld32(K + C_KPDIR); }

/**
 * Where the core's tables are, for a host that audits them (src/kernel/invariants.ts):
 * 0 refcount[] (linear address), 1 freestack[] (linear), 2 pmap slots ever used, 3 thread
 * slots ever used, 4 the LWP tree-head table (linear), 5 tree-head slots ever used, 6
 * kernel page tables, 7 the thread table (linear), 8 frames ever used (pfns below it), 9
 * pfns on the free stack. -EINVAL for another i.
 */
export function table(i: i32): i32 {
  if (K == 0) return -EINVAL;
  if (i == 0) return ld32(K + C_REFCNT);
  if (i == 1) return ld32(K + C_FREESTACK);
  if (i == 2) return ld32(K + C_PMAP_HWM);
  if (i == 3) return ld32(K + C_THR_HWM);
  if (i == 4) return ld32(K + C_HEAD_TAB);
  if (i == 5) return ld32(K + C_HEAD_HWM);
  if (i == 6) return ld32(K + C_NKPT);
  if (i == 7) return ld32(K + C_THR_TAB);
  if (i == 8) return ld32(K + C_FRAME_HWM);
  if (i == 9) return ld32(K + C_FREE_TOP);
  return -EINVAL;
}

/**
 * Bump-allocates `bytes` (16-byte aligned) of scratch linear memory after physical memory,
 * for tests and benchmarks (RB nodes, buffers). Never freed. May grow memory.
 */
export function scratch(bytes: i32): i32 {
  if (K == 0 || bytes < 0) return -EINVAL;
  const p = (ld32(K + C_END) + 15) & ~15;
  const end = (p + bytes) | 0;
  if (ltu(end, p)) return -ENOMEM;
  if (!ensureMemory(end)) return -ENOMEM;
  st32(K + C_END, end);
  return p;
}
