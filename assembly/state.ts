// The core's state lives in linear memory, in a control block at K, never in static
// data, so an embedding host can place it, and a second instance over the same memory
// keeps its own. K and PHYS are per-instance Wasm globals (not in linear memory).
import { ld32, st32 } from "./mem";

export let K: i32 = 0;      // linear address of the control block
export let PHYS: i32 = 0;   // linear address of physical address 0

export function setState(k: i32): void {
  K = k;
  PHYS = ld32(k + C_PHYS_BASE);
}

export const CORE_MAGIC: i32 = 0x424C4B46; // "FKLB"
// The ABI's version, major and minor (docs/embedding.md says what changes which). The
// control block records the major: a core is only ever selected by its own major.
export const ABI_VERSION: i32 = 2;
export const ABI_MINOR: i32 = 0;

// Control block fields (byte offsets from K). See docs/core.md.
export const C_MAGIC: i32 = 0;
export const C_ABI: i32 = 4;
export const C_PHYS_BASE: i32 = 8;     // linear address of physical address 0
export const C_PHYS_BYTES: i32 = 12;
export const C_NFRAMES: i32 = 16;
export const C_FREE_TOP: i32 = 20;     // number of pfns on the free stack
export const C_REFCNT: i32 = 24;       // linear address of i32 refcount[nframes]
export const C_FREESTACK: i32 = 28;    // linear address of i32 freestack[nframes]
export const C_PMAP_TAB: i32 = 32;
export const C_PMAP_MAX: i32 = 36;
export const C_PMAP_FREE: i32 = 40;    // head of the free-slot list (0 = none)
export const C_THR_TAB: i32 = 44;
export const C_THR_MAX: i32 = 48;
export const C_THR_FREE: i32 = 52;
export const C_KPDIR: i32 = 56;        // physical address of the kernel page directory
export const C_NKPT: i32 = 60;         // kernel page tables (PDEs 768 + 1 ...)
export const C_IOBUF: i32 = 64;        // linear address of the host I/O buffer
export const C_IOBUF_BYTES: i32 = 68;
export const C_HEAD_TAB: i32 = 72;     // RB tree heads for LWP trees
export const C_HEAD_MAX: i32 = 76;
export const C_HEAD_FREE: i32 = 80;
export const C_END: i32 = 84;          // first linear byte after everything the core laid out
export const C_PMAP_HWM: i32 = 88;     // slots ever used (slots above it were never handed out)
export const C_THR_HWM: i32 = 92;
export const C_HEAD_HWM: i32 = 96;
export const C_PTGROUPS: i32 = 100;    // linear address of i32 ptgroups[nframes] (pmap.ts)
export const C_FRAME_FAIL: i32 = 104;  // fault injection: the allocation that fails, counted down (0 = none)
// (108: left for the pmap.)
export const C_PHYS_GROWN: i32 = 112;  // frames of physical memory inside linear memory (grown as frames are first used)
export const C_FRAME_HWM: i32 = 116;   // frames ever handed out: pfns at or above it were never used
export const C_PHYS_ZERO: i32 = 120;   // 1: never-used frames are known to hold zeros (fresh memory)
export const C_THR_LIVE: i32 = 124;    // live threads
// Statistics (u32 counters), one word each.
export const C_STAT_BASE: i32 = 128;
export const STAT_COW_FAULTS: i32 = 0;   // write faults resolved on a COW page
export const STAT_COW_OPTIM: i32 = 1;    // ... by keeping the last reference's frame
export const STAT_PAGES_COPIED: i32 = 2; // user pages copied (eager fork or COW)
export const STAT_PTS_COPIED: i32 = 3;   // page-table pages created by pmap_fork
export const STAT_PMAP_FORKS: i32 = 4;
export const STAT_FRAMES_PEAK: i32 = 5;  // most frames in use at once
export const STAT_PTS_SHARED: i32 = 6;   // page tables shared with the child by pmap_fork (share-pt)
export const STAT_PTS_UNSHARED: i32 = 7; // shared page tables copied for one address space (share-pt)
export const STAT_PTS_KEPT: i32 = 8;     // ... made writable again by their last holder, without a copy
export const NSTATS: i32 = 32;
// Last fault (for the host and the interpreter): cr2 and error code.
export const C_FAULT_VA: i32 = 256;
export const C_FAULT_ERR: i32 = 260;
// The interpreter's per-run results.
export const C_LAST_ERR: i32 = 264;   // errno of the last copyin_word (0 = ok)
export const C_RUN_BASE: i32 = 272;    // 272..559: the interpreter's run area (docs/x86.md)
export const C_RUN_END: i32 = 560;     // first free control-block byte after it
export const C_OPATTR: i32 = 1024;    // 1024..2047: the interpreter's opcode attribute bytes (x86_decode.ts)
export const CTL_BYTES: i32 = 4096;

export function stat(i: i32): i32 { return ld32(K + C_STAT_BASE + (i << 2)); }
export function statAdd(i: i32, n: i32): void {
  const p = K + C_STAT_BASE + (i << 2);
  st32(p, ld32(p) + n);
}
