// Read-only facts about the current core, for the host.
import { ld32, st32, ltu } from "./mem";
import { ensureMemory } from "./core";
import {
  K, ABI_VERSION, ABI_MINOR, C_PHYS_BASE, C_PHYS_BYTES, C_IOBUF, C_IOBUF_BYTES, C_STAT_BASE, NSTATS,
  C_FAULT_VA, C_FAULT_ERR, C_LAST_ERR, C_END, C_KPDIR,
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
