// i386 two-level page tables (non-PAE, 4 KiB pages), after DragonFly's pc32 pmap.c 1.83:
// address spaces, the MMU walk, copy-on-write faults, fork, and copyin/copyout.
// Reference §4; layout and PTE conventions in docs/core.md.
//
// An address space ("pmap", handle pm >= 1) is a 32-byte slot in the pmap table:
//   +0 page directory physical address (0 = free slot)
//   +4 resident: user pages mapped
//   +8 ptcount: user page-table pages
//  +12 next free slot (free list head at K+C_PMAP_FREE, LIFO; never-used slots above C_PMAP_HWM)
//  +16 user PDE groups that may be in use: bit g for PDEs 32g .. 32g + 31 (g 0..23)
// The directory holds the recursive self-map at PDE 767 and copies of the kernel's PDEs
// 768..1023, which point at kernel page tables allocated once at boot and shared by all.
//
// Every user page and every user page table is a frame with a reference count: a page
// shared copy-on-write by n page tables has count n; a page-table page has count 1 per
// directory pointing at it.
//
// share-pt (FORK_SHARE_PT, forklab's research strategy; docs/core.md): pmap_fork gives the
// child the parent's user page tables themselves. A user PDE without PG_RW maps a shared
// table (every other user PDE has PG_RW): the MMU refuses any write through it, whatever
// its PTEs say, and the table's frame count is the number of directories pointing at it.
// A page in it is counted once, for the table, not once per address space. The PTEs are
// left as they were at fork: the first change one address space makes in the table's
// 4 MiB (a write fault, pmap_enter, pmap_remove, pmap_protect) first gives it a copy of
// the table made by the cow rules (unsharePt), or, to the last holder, PG_RW back.
//
// The walks over a whole directory or page table (fork, destroy, pmap_next) read only
// what may be in use: a directory's groups of 32 PDEs are noted in its slot (+16), a user
// page table's groups of 32 PTEs in ptgroups[its pfn] (K+C_PTGROUPS). A group's bit is
// set when an entry is made there and stays set until the table goes; a clear bit means
// the group's 128 bytes are all zero.
import { ld32, st32, ld8, st8, copy, fill, zskip, ltu, leu } from "./mem";
import {
  K, PHYS, C_PHYS_BYTES, C_PMAP_TAB, C_PMAP_MAX, C_PMAP_FREE, C_PMAP_HWM, C_KPDIR, C_NKPT, C_REFCNT, C_PTGROUPS,
  C_FAULT_VA, C_FAULT_ERR, C_LAST_ERR, statAdd, STAT_COW_FAULTS, STAT_COW_OPTIM,
  STAT_PAGES_COPIED, STAT_PTS_COPIED, STAT_PMAP_FORKS, STAT_PTS_SHARED, STAT_PTS_UNSHARED, STAT_PTS_KEPT,
} from "./state";
import { frameAlloc, frameAllocRaw, frameUnref, frameRef, frameRefcount } from "./frames";
import {
  ENOMEM, EINVAL, EFAULT, PAGE_SIZE, PAGE_MASK, PG_V, PG_RW, PG_U, PG_A, PG_M, PG_MANAGED,
  PG_FRAME, PG_COW, PGEX_P, PGEX_W, PGEX_U, VM_PROT_READ, VM_PROT_WRITE, PTDPTDI, KPTDI,
  VM_MAX_USER_ADDRESS,
} from "./i386";

export const PMAP_SLOT: i32 = 32;
/**
 * Kernel stacks from 0xC0400000 (PDE 769) to the end of PDE 1021, 16 KiB per slot: the
 * i386 kernel map holds KSTACK_KVA_SLOTS of them. Thread td's stack is at window slot
 * (td - 1) % KSTACK_KVA_SLOTS; only the threads of the first window (td <= 64768) are
 * mapped in the kernel page tables. A core takes up to KSTACK_MAX_THREADS threads, one
 * per frame of the largest memory: docs/core.md, "Kernel stacks past the i386 kernel map".
 */
export const KSTACK_AREA: i32 = 0xC040 << 16;
export const KSTACK_STRIDE: i32 = 16384;
export const KSTACK_KVA_SLOTS: i32 = (1022 - 769) * 256;
export const KSTACK_MAX_THREADS: i32 = 0xC0000;
const KSTACK_PDE: i32 = 769;

// pmap_fork strategies (the face's Strategy codes).
export const FORK_COPY: i32 = 0;
export const FORK_COW: i32 = 1;
export const FORK_SHARE_PT: i32 = 2;

const SL_PDIR: i32 = 0;
const SL_RESIDENT: i32 = 4;
const SL_PTCOUNT: i32 = 8;
const SL_NEXT: i32 = 12;
const SL_PDEGROUPS: i32 = 16;

/** Kernel PDEs and PTEs, and the self-map: supervisor read/write. */
const KERN_BITS: i32 = PG_V | PG_RW | PG_A | PG_M;
/** A user page-table page's PDE (pmap_allocpte). */
const UPDE_BITS: i32 = PG_V | PG_RW | PG_U | PG_A | PG_M;
/** A shared user page table's PDE (share-pt): no PG_RW, so a write through it faults. */
const SHARED_PDE_BITS: i32 = PG_V | PG_U | PG_A;
/** A user page's PTE, before PG_RW. */
const UPTE_BITS: i32 = PG_V | PG_U | PG_MANAGED;
/** User PDEs are 0 .. UMAXPTDI (766): everything below the self-map. */
const NUPDE: i32 = PTDPTDI;
/**
 * The user PDEs' bytes rounded up to whole 16-byte blocks for zskip: the last block also
 * holds PDE 767 (the self-map, never zero), so loops over it stop at NUPDE themselves.
 */
const UPD_SCAN: i32 = ((NUPDE << 2) + 15) & ~15;

/** Notes that user PDE pdi may now be in use (SL_PDEGROUPS). */
function markPde(s: i32, pdi: i32): void {
  st32(s + SL_PDEGROUPS, ld32(s + SL_PDEGROUPS) | (1 << (pdi >> 5)));
}

/** The linear address of the user page table pt's PTE groups word (ptgroups). */
function ptGroups(pt: i32): i32 { return ld32(K + C_PTGROUPS) + ((pt >>> 12) << 2); }

/** Notes that the PTE for va may now be in use in the page table pt (ptgroups). */
function markPte(pt: i32, va: i32): void {
  const g = ptGroups(pt);
  st32(g, ld32(g) | (1 << ((va >>> 17) & 31)));
}

/**
 * The walks over the n bytes of a directory's user PDEs or of a page table at linear p
 * go block by block, to the next 16-byte block at or after byte offset b that may be
 * non-zero (n when none): past the groups of 32 entries (128 bytes) that `groups` says
 * are empty, and past empty blocks in the others (zskip, 64 bytes a load).
 *   for (let b = nextIn(p, groups, 0, n); b < n; b = nextIn(p, groups, b + 16, n)) { words b .. b + 12 }
 */
function nextIn(p: i32, groups: i32, b: i32, n: i32): i32 {
  while (b < n) {
    const end = ((b >> 7) + 1) << 7;
    if ((groups & (1 << (b >> 7))) != 0) {
      const j = b + zskip(p + b, end - b);
      if (j < end) return j;
    }
    b = end;
  }
  return n;
}

// ---------------------------------------------------------------- slots

function slotOf(pm: i32): i32 { return ld32(K + C_PMAP_TAB) + ((pm - 1) << 5); }

function live(pm: i32): bool {
  return pm >= 1 && pm <= ld32(K + C_PMAP_HWM) && ld32(slotOf(pm) + SL_PDIR) != 0;
}

/** Linear address of PDE i of the directory at physical pd. */
function pdeAt(pd: i32, i: i32): i32 { return PHYS + pd + (i << 2); }

/** Linear address of the PTE for va in the page table whose PDE is pde. */
function pteAt(pde: i32, va: i32): i32 { return PHYS + (pde & PG_FRAME) + (((va >>> 12) & 1023) << 2); }

function userVa(va: i32): bool { return ltu(va, VM_MAX_USER_ADDRESS); }

/** A page-aligned user range [sva, eva). */
function userRange(sva: i32, eva: i32): bool {
  return ((sva | eva) & PAGE_MASK) == 0 && leu(sva, eva) && leu(eva, VM_MAX_USER_ADDRESS);
}

// ---------------------------------------------------------------- kernel tables

/**
 * Kernel page directory + the kernel page tables for the stacks of maxThreads threads
 * (those of the first window); called by core init.
 */
export function pmapBootstrap(maxThreads: i32): i32 {
  const pd = frameAlloc();
  if (pd == 0) return -ENOMEM;
  st32(pdeAt(pd, PTDPTDI), pd | KERN_BITS);
  const nkpt = ((maxThreads < KSTACK_KVA_SLOTS ? maxThreads : KSTACK_KVA_SLOTS) + 255) >> 8;
  for (let j = 0; j < nkpt; j++) {
    const pt = frameAlloc();
    if (pt == 0) return -ENOMEM;
    st32(pdeAt(pd, KSTACK_PDE + j), pt | KERN_BITS);
  }
  st32(K + C_KPDIR, pd);
  st32(K + C_NKPT, nkpt);
  return 0;
}

/** Maps kernel page kva -> pa (supervisor RW) in the shared kernel page tables. */
export function pmap_kenter(kva: i32, pa: i32): void {
  const pde = ld32(pdeAt(ld32(K + C_KPDIR), kva >>> 22));
  if ((pde & PG_V) == 0) return;
  st32(pteAt(pde, kva), (pa & PG_FRAME) | KERN_BITS);
}

export function pmap_kremove(kva: i32): void {
  const pde = ld32(pdeAt(ld32(K + C_KPDIR), kva >>> 22));
  if ((pde & PG_V) == 0) return;
  st32(pteAt(pde, kva), 0);
}

// ---------------------------------------------------------------- create / destroy

/** pmap_pinit + pmap_pinit2: an empty address space; its handle, or -ENOMEM. */
export function pmap_create(): i32 {
  // Not zeroed by the allocator: every byte of it is written below.
  const pd = frameAllocRaw();
  if (pd == 0) return -ENOMEM;
  let pm = ld32(K + C_PMAP_FREE);
  if (pm != 0) {
    st32(K + C_PMAP_FREE, ld32(slotOf(pm) + SL_NEXT));
  } else {
    const hwm = ld32(K + C_PMAP_HWM);
    if (hwm >= ld32(K + C_PMAP_MAX)) { frameUnref(pd); return -ENOMEM; }
    pm = hwm + 1;
    st32(K + C_PMAP_HWM, pm);
  }
  const s = slotOf(pm);
  st32(s + SL_PDIR, pd);
  st32(s + SL_RESIDENT, 0);
  st32(s + SL_PTCOUNT, 0);
  st32(s + SL_NEXT, 0);
  st32(s + SL_PDEGROUPS, 0);
  fill(pdeAt(pd, 0), 0, NUPDE << 2);
  st32(pdeAt(pd, PTDPTDI), pd | KERN_BITS);
  copy(pdeAt(pd, KPTDI), pdeAt(ld32(K + C_KPDIR), KPTDI), (1024 - KPTDI) << 2);
  return pm;
}

/**
 * Drops a directory's hold on the user page table pt: its pages' references go with the
 * last hold (a table shared by share-pt has one hold per directory).
 */
function releasePt(pt: i32): void {
  if (ld32(ld32(K + C_REFCNT) + ((pt >>> 12) << 2)) == 1) {
    const ptl = PHYS + pt;
    const groups = ld32(ptGroups(pt));
    for (let o = 0; o < PAGE_SIZE; o += 128) {
      if ((groups & (1 << (o >> 7))) == 0) continue;
      for (let j = o + zskip(ptl + o, 128); j < o + 128; j += 4) {
        const pte = ld32(ptl + j);
        if ((pte & PG_V) != 0) frameUnref(pte & PG_FRAME);
      }
    }
  }
  frameUnref(pt);
}

/** pmap_release: every user page and page table, then the directory; frees the slot. */
export function pmap_destroy(pm: i32): i32 {
  if (!live(pm)) return -EINVAL;
  const s = slotOf(pm);
  const pd = ld32(s + SL_PDIR);
  const pdl = pdeAt(pd, 0);
  const groups = ld32(s + SL_PDEGROUPS);
  for (let b = nextIn(pdl, groups, 0, UPD_SCAN); b < UPD_SCAN; b = nextIn(pdl, groups, b + 16, UPD_SCAN)) {
    for (let j = b; j < b + 16 && j < NUPDE << 2; j += 4) {
      const pde = ld32(pdl + j);
      if ((pde & PG_V) != 0) releasePt(pde & PG_FRAME);
    }
  }
  frameUnref(pd);
  st32(s + SL_PDIR, 0);
  st32(s + SL_RESIDENT, 0);
  st32(s + SL_PTCOUNT, 0);
  st32(s + SL_PDEGROUPS, 0);
  st32(s + SL_NEXT, ld32(K + C_PMAP_FREE));
  st32(K + C_PMAP_FREE, pm);
  return 0;
}

export function pmap_valid(pm: i32): i32 { return live(pm) ? 1 : 0; }

export function pmap_cr3(pm: i32): i32 {
  if (!live(pm)) return -EINVAL;
  return ld32(slotOf(pm) + SL_PDIR);
}

// ---------------------------------------------------------------- enter / remove / protect

/** Maps a fresh zeroed frame at user page va with VM_PROT bits; 0, -EINVAL or -ENOMEM. */
export function pmap_enter(pm: i32, va: i32, prot: i32): i32 {
  if (!live(pm) || (va & PAGE_MASK) != 0 || !userVa(va) || (prot & ~7) != 0) return -EINVAL;
  const s = slotOf(pm);
  const pdea = pdeAt(ld32(s + SL_PDIR), va >>> 22);
  let pde = ld32(pdea);
  let newPt = 0;
  if ((pde & PG_V) == 0) {
    newPt = frameAlloc();
    if (newPt == 0) return -ENOMEM;
  } else if ((pde & PG_RW) == 0) {
    if (unsharePt(pdea) != 0) return -ENOMEM;
    pde = ld32(pdea);
  }
  const pa = frameAlloc();
  if (pa == 0) {
    if (newPt != 0) frameUnref(newPt);
    return -ENOMEM;
  }
  if (newPt != 0) {
    pde = newPt | UPDE_BITS;
    st32(pdea, pde);
    st32(ptGroups(newPt), 0);
    markPde(s, va >>> 22);
    st32(s + SL_PTCOUNT, ld32(s + SL_PTCOUNT) + 1);
  }
  const ptea = pteAt(pde, va);
  const old = ld32(ptea);
  if ((old & PG_V) != 0) frameUnref(old & PG_FRAME);
  else st32(s + SL_RESIDENT, ld32(s + SL_RESIDENT) + 1);
  st32(ptea, pa | UPTE_BITS | ((prot & VM_PROT_WRITE) != 0 ? PG_RW : 0));
  markPte(pde & PG_FRAME, va);
  return 0;
}

function ptEmpty(ptl: i32): bool { return zskip(ptl, PAGE_SIZE) == PAGE_SIZE; }

/** The present PTEs of the user page table pt. */
function ptPresent(pt: i32): i32 {
  const ptl = PHYS + pt;
  const groups = ld32(ptGroups(pt));
  let n = 0;
  for (let b = nextIn(ptl, groups, 0, PAGE_SIZE); b < PAGE_SIZE; b = nextIn(ptl, groups, b + 16, PAGE_SIZE)) {
    for (let j = b; j < b + 16; j += 4) if ((ld32(ptl + j) & PG_V) != 0) n++;
  }
  return n;
}

// ---------------------------------------------------------------- share-pt

/**
 * The user PDE at linear pdea maps a shared page table (no PG_RW): this directory gets a
 * table of its own. The last holder just gets PG_RW back (its PTEs are then what they say:
 * a PG_RW page there was never shared, as no copy of the table was made since). Otherwise
 * a copy made as forkPtCow makes a child's (writable pages become PG_COW in the shared
 * table too, and each present page gains the copy's reference), and the shared table
 * loses this directory's hold. 0, or -ENOMEM with nothing changed.
 */
function unsharePt(pdea: i32): i32 {
  const pde = ld32(pdea);
  const pt = pde & PG_FRAME;
  if (frameRefcount(pt) == 1) {
    st32(pdea, pde | PG_RW | PG_M);
    statAdd(STAT_PTS_KEPT, 1);
    return 0;
  }
  const npt = frameAllocRaw();
  if (npt == 0) return -ENOMEM;
  const groups = ld32(ptGroups(pt));
  st32(ptGroups(npt), groups);
  forkPtCow(PHYS + pt, groups, PHYS + npt);
  frameUnref(pt);
  st32(pdea, npt | UPDE_BITS);
  statAdd(STAT_PTS_UNSHARED, 1);
  return 0;
}

/**
 * Every shared page table [sva, eva) touches made pm's own (unsharePt), except, when
 * `keepWhole`, those whose whole 4 MiB the range covers (pmap_remove drops its hold on
 * them instead). 0, or -ENOMEM: the tables done so far stay pm's own, which nobody can
 * tell (the same pages, and the same protections).
 */
function unshareRange(pm: i32, sva: i32, eva: i32, keepWhole: bool): i32 {
  const pd = ld32(slotOf(pm) + SL_PDIR);
  let va = sva;
  while (va != eva) {
    const pdi = va >>> 22;
    const end = (pdi + 1) << 22;
    const next = ltu(eva, end) ? eva : end;
    const pdea = pdeAt(pd, pdi);
    const pde = ld32(pdea);
    if ((pde & (PG_V | PG_RW)) == PG_V && !(keepWhole && va == pdi << 22 && next == end)) {
      if (unsharePt(pdea) != 0) return -ENOMEM;
    }
    va = next;
  }
  return 0;
}

/**
 * Makes pm's own every page table shared with another address space that [sva, eva)
 * touches (with keepWhole != 0, not those it covers whole): what the kernel does before a
 * change it cannot then fail (munmap, mprotect), waiting for memory while this returns
 * -ENOMEM. 0, -EINVAL, or -ENOMEM (the tables done so far stay done: unsharing is
 * invisible). Without shared tables (copy, cow) it changes nothing.
 */
export function pmap_unshare(pm: i32, sva: i32, eva: i32, keepWhole: i32): i32 {
  if (!live(pm) || !userRange(sva, eva)) return -EINVAL;
  return unshareRange(pm, sva, eva, keepWhole != 0);
}

/**
 * Unmaps [sva, eva), dropping the frames; frees page tables left empty. A shared table
 * (share-pt) the range covers whole loses this directory's hold; one it covers in part is
 * made this address space's own first. 0, -EINVAL, or -ENOMEM (only with shared tables,
 * and then nothing is unmapped).
 */
export function pmap_remove(pm: i32, sva: i32, eva: i32): i32 {
  if (!live(pm) || !userRange(sva, eva)) return -EINVAL;
  if (unshareRange(pm, sva, eva, true) != 0) return -ENOMEM;
  const s = slotOf(pm);
  const pd = ld32(s + SL_PDIR);
  let va = sva;
  while (va != eva) {
    const pdi = va >>> 22;
    let next = (pdi + 1) << 22;
    if (ltu(eva, next)) next = eva;
    const pdea = pdeAt(pd, pdi);
    const pde = ld32(pdea);
    if ((pde & (PG_V | PG_RW)) == PG_V) {
      // A shared table the range covers whole (unshareRange left it): this hold goes.
      st32(s + SL_RESIDENT, ld32(s + SL_RESIDENT) - ptPresent(pde & PG_FRAME));
      st32(pdea, 0);
      releasePt(pde & PG_FRAME);
      st32(s + SL_PTCOUNT, ld32(s + SL_PTCOUNT) - 1);
    } else if ((pde & PG_V) != 0) {
      const ptl = PHYS + (pde & PG_FRAME);
      const end = (((next - va) | 0) >>> 12) << 2;
      const p0 = ptl + (((va >>> 12) & 1023) << 2);
      let removed = 0;
      for (let j = 0; j < end; j += 4) {
        const pte = ld32(p0 + j);
        if ((pte & PG_V) != 0) {
          frameUnref(pte & PG_FRAME);
          st32(p0 + j, 0);
          removed++;
        }
      }
      if (removed != 0) {
        st32(s + SL_RESIDENT, ld32(s + SL_RESIDENT) - removed);
        if (ptEmpty(ptl)) {
          st32(pdea, 0);
          frameUnref(pde & PG_FRAME);
          st32(s + SL_PTCOUNT, ld32(s + SL_PTCOUNT) - 1);
        }
      }
    }
    va = next;
  }
  return 0;
}

/**
 * pmap_protect. No VM_PROT_READ: pmap_remove. Without VM_PROT_WRITE: clear PG_RW and
 * PG_COW, and, as pmap.c 1.83 does for managed pages, PG_A and PG_M (it moves them to the
 * vm_page). With VM_PROT_WRITE (a forklab extension; DragonFly's is then a no-op): pages
 * already RW or COW are unchanged; a read-only page becomes RW when its frame has one
 * reference, else PG_COW (writable after a copy). Either way a page hidden by
 * pmap_protect_none gets PG_U back. Shared tables (share-pt) the range touches are made
 * this address space's own first: -ENOMEM, with no protection changed, when that fails.
 */
export function pmap_protect(pm: i32, sva: i32, eva: i32, prot: i32): i32 {
  if (!live(pm) || !userRange(sva, eva) || (prot & ~7) != 0) return -EINVAL;
  if ((prot & VM_PROT_READ) == 0) return pmap_remove(pm, sva, eva);
  if (unshareRange(pm, sva, eva, false) != 0) return -ENOMEM;
  protectRange(pm, sva, eva, (prot & VM_PROT_WRITE) != 0 ? PROT_RW : PROT_RO);
  return 0;
}

/**
 * PROT_NONE for [sva, eva) without losing the pages (forklab's pmap is where anonymous
 * memory lives, so it cannot drop them as pmap_remove would): PG_U, PG_RW and PG_COW are
 * cleared, so every user access and every copyin/copyout faults, until pmap_protect gives
 * the range a protection again.
 */
export function pmap_protect_none(pm: i32, sva: i32, eva: i32): i32 {
  if (!live(pm) || !userRange(sva, eva)) return -EINVAL;
  if (unshareRange(pm, sva, eva, false) != 0) return -ENOMEM;
  protectRange(pm, sva, eva, PROT_NONE_KEEP);
  return 0;
}

// protectRange's modes: hidden (pmap_protect_none), read-only, read-write.
const PROT_NONE_KEEP: i32 = 0;
const PROT_RO: i32 = 1;
const PROT_RW: i32 = 2;

/** The walk both protections share: every present PTE of [sva, eva) gets the mode's bits. */
function protectRange(pm: i32, sva: i32, eva: i32, mode: i32): void {
  const rc = ld32(K + C_REFCNT);
  const pd = ld32(slotOf(pm) + SL_PDIR);
  let va = sva;
  while (va != eva) {
    const pdi = va >>> 22;
    let next = (pdi + 1) << 22;
    if (ltu(eva, next)) next = eva;
    const pde = ld32(pdeAt(pd, pdi));
    if ((pde & PG_V) != 0) {
      const end = (((next - va) | 0) >>> 12) << 2;
      const p0 = PHYS + (pde & PG_FRAME) + (((va >>> 12) & 1023) << 2);
      for (let j = 0; j < end; j += 4) {
        const pte = ld32(p0 + j);
        if ((pte & PG_V) == 0) continue;
        let np: i32;
        if (mode == PROT_NONE_KEEP) {
          np = pte & ~(PG_U | PG_RW | PG_COW);
        } else {
          np = pte | PG_U; // a page pmap_protect_none hid is a user page again
          if (mode == PROT_RO) {
            np = np & ~(PG_RW | PG_COW);
            if ((pte & PG_MANAGED) != 0) np &= ~(PG_A | PG_M);
          } else if ((pte & (PG_RW | PG_COW)) == 0) {
            np = np | (ld32(rc + ((pte >>> 12) << 2)) == 1 ? PG_RW : PG_COW);
          }
        }
        if (np != pte) st32(p0 + j, np);
      }
    }
    va = next;
  }
}

/**
 * Maps the existing frame pa at user page va with VM_PROT bits, taking a reference on it:
 * a page of a shared object (MAP_SHARED, VM_INHERIT_SHARE) entered in one more address
 * space. Whatever va mapped before is dropped. 0, -EINVAL or -ENOMEM.
 */
export function pmap_enter_frame(pm: i32, va: i32, pa: i32, prot: i32): i32 {
  if (!live(pm) || (va & PAGE_MASK) != 0 || !userVa(va) || (prot & ~7) != 0) return -EINVAL;
  if ((pa & PAGE_MASK) != 0 || pa == 0 || !ltu(pa, ld32(K + C_PHYS_BYTES)) || frameRefcount(pa) == 0) return -EINVAL;
  const s = slotOf(pm);
  const pdea = pdeAt(ld32(s + SL_PDIR), va >>> 22);
  let pde = ld32(pdea);
  if ((pde & PG_V) == 0) {
    const pt = frameAlloc();
    if (pt == 0) return -ENOMEM;
    pde = pt | UPDE_BITS;
    st32(pdea, pde);
    st32(ptGroups(pt), 0);
    markPde(s, va >>> 22);
    st32(s + SL_PTCOUNT, ld32(s + SL_PTCOUNT) + 1);
  } else if ((pde & PG_RW) == 0) {
    if (unsharePt(pdea) != 0) return -ENOMEM;
    pde = ld32(pdea);
  }
  frameRef(pa);
  const ptea = pteAt(pde, va);
  const old = ld32(ptea);
  if ((old & PG_V) != 0) frameUnref(old & PG_FRAME);
  else st32(s + SL_RESIDENT, ld32(s + SL_RESIDENT) + 1);
  st32(ptea, pa | UPTE_BITS | ((prot & VM_PROT_WRITE) != 0 ? PG_RW : 0));
  markPte(pde & PG_FRAME, va);
  return 0;
}

// ---------------------------------------------------------------- the MMU

function fault(va: i32, err: i32): i32 {
  st32(K + C_FAULT_VA, va);
  st32(K + C_FAULT_ERR, err);
  return -8 | err;
}

/**
 * The i386 walk (non-PAE, no PSE, CR0.WP=1) in the directory at physical pd, for access
 * PGEX_W|PGEX_U. Returns the physical address, or (-8 | error code) after recording the
 * fault. PG_A is set in the PDE and PTE, PG_M in the PTE on a write.
 */
function walk(pd: i32, va: i32, access: i32): i32 {
  const pdea = pdeAt(pd, va >>> 22);
  const pde = ld32(pdea);
  if ((pde & PG_V) == 0) return fault(va, access);
  const ptea = pteAt(pde, va);
  const pte = ld32(ptea);
  if ((pte & PG_V) == 0) return fault(va, access);
  const both = pde & pte;
  if ((access & PGEX_U) != 0 && (both & PG_U) == 0) return fault(va, PGEX_P | access);
  if ((access & PGEX_W) != 0 && (both & PG_RW) == 0) return fault(va, PGEX_P | access);
  if ((pde & PG_A) == 0) st32(pdea, pde | PG_A);
  const cur = ld32(ptea); // the PTE may be the PDE just updated (the self-map)
  const np = cur | ((access & PGEX_W) != 0 ? PG_A | PG_M : PG_A);
  if (np != cur) st32(ptea, np);
  return (pte & PG_FRAME) | (va & PAGE_MASK);
}

/**
 * pmap_translate for a caller that has checked pm and holds its directory's physical
 * address pd (the interpreter, which translates at every TLB miss of a run).
 */
export function pmap_walk(pd: i32, va: i32, access: i32): i32 {
  return walk(pd, va, access & (PGEX_W | PGEX_U));
}

/** The MMU's translation of va for access (PGEX_W 2 | PGEX_U 4) in address space pm. */
export function pmap_translate(pm: i32, va: i32, access: i32): i32 {
  if (!live(pm)) return -EINVAL;
  return walk(ld32(slotOf(pm) + SL_PDIR), va, access & (PGEX_W | PGEX_U));
}

/**
 * vm_fault for a write fault (err has PGEX_P and PGEX_W) on a present PG_COW user page:
 * the last reference keeps its frame (v_cow_optim), otherwise the page is copied. In a
 * shared page table (share-pt) a logically writable page (PG_RW or PG_COW) first gets
 * the table made this address space's own (unsharePt); a page PG_RW there is then
 * writable as it is. 0, -ENOMEM (the table's copy, if made, stays: it is invisible), or
 * -EFAULT when there is nothing copy-on-write to resolve (then nothing is unshared).
 */
export function pmap_fault(pm: i32, va: i32, err: i32): i32 {
  if (!live(pm)) return -EINVAL;
  if ((err & (PGEX_P | PGEX_W)) != (PGEX_P | PGEX_W) || !userVa(va)) return -EFAULT;
  const pdea = pdeAt(ld32(slotOf(pm) + SL_PDIR), va >>> 22);
  let pde = ld32(pdea);
  if ((pde & PG_V) == 0) return -EFAULT;
  let ptea = pteAt(pde, va);
  let pte = ld32(ptea);
  if ((pde & PG_RW) == 0) {
    if ((pte & PG_V) == 0 || (pte & (PG_RW | PG_COW)) == 0) return -EFAULT;
    if (unsharePt(pdea) != 0) return -ENOMEM;
    pde = ld32(pdea);
    ptea = pteAt(pde, va);
    pte = ld32(ptea);
    if ((pte & PG_RW) != 0) {
      // The last holder's table, the page its own: nothing to copy.
      statAdd(STAT_COW_OPTIM, 1);
      statAdd(STAT_COW_FAULTS, 1);
      return 0;
    }
  }
  if ((pte & PG_V) == 0 || (pte & PG_COW) == 0) return -EFAULT;
  const pa = pte & PG_FRAME;
  if (ld32(ld32(K + C_REFCNT) + ((pa >>> 12) << 2)) == 1) {
    st32(ptea, (pte & ~PG_COW) | PG_RW);
    statAdd(STAT_COW_OPTIM, 1);
  } else {
    const npa = frameAllocRaw();
    if (npa == 0) return -ENOMEM;
    copy(PHYS + npa, PHYS + pa, PAGE_SIZE);
    frameUnref(pa);
    st32(ptea, npa | UPTE_BITS | PG_RW);
    statAdd(STAT_PAGES_COPIED, 1);
  }
  statAdd(STAT_COW_FAULTS, 1);
  return 0;
}

// ---------------------------------------------------------------- fork

/**
 * The cow strategy for one page table: the parent's PT at linear src (its PTE groups
 * `groups`) into the child's fresh (not zeroed) PT at linear dst. Writable and COW pages
 * become (pte & ~(PG_RW|PG_A|PG_M)) | PG_COW on both sides (vm_map_copy_entry's
 * pmap_protect, then pmap_copy); read-only pages are shared as they are (A/M cleared in
 * the child). Every present page gains a reference. Returns the number of pages.
 */
function forkPtCow(src: i32, groups: i32, dst: i32): i32 {
  const rc = ld32(K + C_REFCNT);
  let n = 0;
  for (let o = 0; o < PAGE_SIZE; o += 128) {
    if ((groups & (1 << (o >> 7))) == 0) {
      // A group the parent never used: the child's is zero too (a run of them at once).
      let e = o + 128;
      while (e < PAGE_SIZE && (groups & (1 << (e >> 7))) == 0) e += 128;
      fill(dst + o, 0, e - o);
      o = e - 128;
      continue;
    }
    for (let j = o; j < o + 128; j += 4) {
      const pte = ld32(src + j);
      if ((pte & PG_V) == 0) { st32(dst + j, 0); continue; }
      let np: i32;
      if ((pte & (PG_RW | PG_COW)) != 0) {
        np = (pte & ~(PG_RW | PG_A | PG_M)) | PG_COW;
        if (np != pte) st32(src + j, np);
      } else {
        np = pte & ~(PG_A | PG_M);
      }
      st32(dst + j, np);
      const r = rc + ((pte >>> 12) << 2);
      st32(r, ld32(r) + 1);
      n++;
    }
  }
  return n;
}

/**
 * The copy strategy for one page table: every present page copied into a fresh frame,
 * writable in the child iff it is logically writable (PG_RW or PG_COW) in the parent. The
 * child PT at linear dst is zeroed. Returns the number of pages, or -1 when memory ran out
 * (the pages mapped so far stay mapped, for pmap_destroy to drop).
 */
function forkPtCopy(src: i32, groups: i32, dst: i32): i32 {
  let n = 0;
  for (let o = 0; o < PAGE_SIZE; o += 128) {
    if ((groups & (1 << (o >> 7))) == 0) continue;
    for (let j = o + zskip(src + o, 128); j < o + 128; j += 4) {
      const pte = ld32(src + j);
      if ((pte & PG_V) == 0) continue;
      const npa = frameAllocRaw();
      if (npa == 0) return -1;
      copy(PHYS + npa, PHYS + (pte & PG_FRAME), PAGE_SIZE);
      // PG_U as the parent has it: a PROT_NONE page (pmap_protect_none) stays hidden.
      st32(dst + j, npa | (UPTE_BITS & ~PG_U) | (pte & PG_U) | ((pte & (PG_RW | PG_COW)) != 0 ? PG_RW : 0));
      statAdd(STAT_PAGES_COPIED, 1);
      n++;
    }
  }
  return n;
}

/** The first of the n ranges (pairs at `ranges`) that ends above va. */
function skipFirst(ranges: i32, n: i32, va: i32): i32 {
  let k = 0;
  while (k < n && leu(ld32(ranges + (k << 3) + 4), va)) k++;
  return k;
}

/**
 * One page table forked entry by entry, for a 4 MiB span at va0 that some of the n ranges
 * at `ranges` (ascending; the first ends above va0) cover: their PTEs stay out of the
 * child (zero) and untouched in the parent; the others as forkPtCow or forkPtCopy would
 * do them. The child PT at dst is not zeroed beforehand. Pages, or -1 out of memory.
 */
function forkPtSkip(src: i32, dst: i32, strategy: i32, va0: i32, ranges: i32, n: i32): i32 {
  const rc = ld32(K + C_REFCNT);
  let count = 0;
  let r = 0;
  for (let j = 0; j < PAGE_SIZE; j += 4) {
    const pte = ld32(src + j);
    st32(dst + j, 0);
    if ((pte & PG_V) == 0) continue;
    const va = va0 + (j << 10);
    while (r < n && leu(ld32(ranges + (r << 3) + 4), va)) r++;
    if (r < n && leu(ld32(ranges + (r << 3)), va)) continue; // left out
    if (strategy == FORK_COW) {
      let np: i32;
      if ((pte & (PG_RW | PG_COW)) != 0) {
        np = (pte & ~(PG_RW | PG_A | PG_M)) | PG_COW;
        if (np != pte) st32(src + j, np);
      } else {
        np = pte & ~(PG_A | PG_M);
      }
      st32(dst + j, np);
      const a = rc + ((pte >>> 12) << 2);
      st32(a, ld32(a) + 1);
    } else {
      const npa = frameAllocRaw();
      if (npa == 0) return -1;
      copy(PHYS + npa, PHYS + (pte & PG_FRAME), PAGE_SIZE);
      st32(dst + j, npa | (UPTE_BITS & ~PG_U) | (pte & PG_U) | ((pte & (PG_RW | PG_COW)) != 0 ? PG_RW : 0));
      statAdd(STAT_PAGES_COPIED, 1);
    }
    count++;
  }
  return count;
}

/**
 * vmspace_fork's effect on the page tables: a new address space with the parent's user
 * pages, by strategy 0 (copy: eager copies), 1 (cow: shared pages, write-protected in
 * both) or 2 (share-pt: shared page tables, their PDEs without PG_RW in both). The
 * child's handle, -EINVAL, or -ENOMEM with everything the child took released (the
 * parent's COW marks and read-only PDEs may stay: a write then finds the last reference).
 */
export function pmap_fork(pm: i32, strategy: i32): i32 {
  return pmap_fork_skip(pm, strategy, 0, 0);
}

/**
 * pmap_fork leaving out n page-aligned ranges: `ranges` is the linear address of n pairs
 * (sva, eva), ascending and disjoint. What lies in them is neither copied nor shared
 * copy-on-write, and the parent's PTEs there are untouched: vmspace_fork's entries that
 * are VM_INHERIT_NONE (a hole in the child) or VM_INHERIT_SHARE (the child faults the
 * shared object's pages in itself, pmap_copy being only advisory). A page table the
 * ranges touch is forked entry by entry (forkPtSkip, by the cow rules under share-pt);
 * the others as pmap_fork does.
 */
export function pmap_fork_skip(pm: i32, strategy: i32, ranges: i32, n: i32): i32 {
  if (!live(pm) || n < 0) return -EINVAL;
  for (let r = 0; r < n; r++) {
    const a = ld32(ranges + (r << 3)), b = ld32(ranges + (r << 3) + 4);
    if (!userRange(a, b) || (r > 0 && ltu(a, ld32(ranges + (r << 3) - 4)))) return -EINVAL;
  }
  if (strategy != FORK_COPY && strategy != FORK_COW && strategy != FORK_SHARE_PT) return -EINVAL;
  const child = pmap_create();
  if (child < 0) return child;
  const ps = slotOf(pm);
  const cs = slotOf(child);
  const ppd = pdeAt(ld32(ps + SL_PDIR), 0);
  const cpd = pdeAt(ld32(cs + SL_PDIR), 0);
  const share = strategy == FORK_SHARE_PT;
  // What a table not shared gets: share-pt forks the ones the ranges touch as cow does.
  const each = share ? FORK_COW : strategy;
  // Shared tables bring the parent's pages with them: the tables forked entry by entry
  // below take theirs back out and add what the child got.
  let resident = share ? ld32(ps + SL_RESIDENT) : 0;
  let pts = 0;
  // The child's page tables go where the parent's are, in the same PDE groups (noted
  // first, so that pmap_destroy of a child left half made finds them).
  const groups = ld32(ps + SL_PDEGROUPS);
  st32(cs + SL_PDEGROUPS, groups);
  // Stats count work done, so a fork that runs out of memory still counts its copies.
  for (let b = nextIn(ppd, groups, 0, UPD_SCAN); b < UPD_SCAN; b = nextIn(ppd, groups, b + 16, UPD_SCAN)) {
    for (let i = b; i < b + 16 && i < NUPDE << 2; i += 4) {
      const pde = ld32(ppd + i);
      if ((pde & PG_V) == 0) continue;
      const span = (i >> 2) << 22;
      const k = n == 0 ? 0 : skipFirst(ranges, n, span);
      const touched = k < n && ltu(ld32(ranges + (k << 3)), (span + (1 << 22)) | 0);
      if (share && !touched) {
        // One more hold on the parent's table; neither directory may write through it.
        frameRef(pde & PG_FRAME);
        if ((pde & PG_RW) != 0) st32(ppd + i, pde & ~PG_RW);
        st32(cpd + i, (pde & PG_FRAME) | SHARED_PDE_BITS);
        statAdd(STAT_PTS_SHARED, 1);
        pts++;
        continue;
      }
      // Zeroed for copy, which writes only the present entries; forkPtCow writes them all.
      const pt = each == FORK_COW ? frameAllocRaw() : frameAlloc();
      if (pt == 0) { pmap_destroy(child); return -ENOMEM; }
      st32(cpd + i, pt | UPDE_BITS);
      // The child's PTEs will be where the parent's are (noted before any is made).
      const ptes = ld32(ptGroups(pde & PG_FRAME));
      st32(ptGroups(pt), ptes);
      statAdd(STAT_PTS_COPIED, 1);
      pts++;
      const m = touched
        ? forkPtSkip(PHYS + (pde & PG_FRAME), PHYS + pt, each, span, ranges + (k << 3), n - k)
        : each == FORK_COW
          ? forkPtCow(PHYS + (pde & PG_FRAME), ptes, PHYS + pt)
          : forkPtCopy(PHYS + (pde & PG_FRAME), ptes, PHYS + pt);
      if (m < 0) { pmap_destroy(child); return -ENOMEM; }
      resident += share ? m - ptPresent(pde & PG_FRAME) : m;
    }
  }
  st32(cs + SL_RESIDENT, resident);
  st32(cs + SL_PTCOUNT, pts);
  statAdd(STAT_PMAP_FORKS, 1);
  return child;
}

// ---------------------------------------------------------------- inspection

/** The raw PTE for va (through the self-map and kernel PDEs too), 0 without a page table. */
export function pmap_pte(pm: i32, va: i32): i32 {
  if (!live(pm)) return 0;
  const pde = ld32(pdeAt(ld32(slotOf(pm) + SL_PDIR), va >>> 22));
  if ((pde & PG_V) == 0) return 0;
  return ld32(pteAt(pde, va));
}

export function pmap_pde(pm: i32, va: i32): i32 {
  if (!live(pm)) return 0;
  return ld32(pdeAt(ld32(slotOf(pm) + SL_PDIR), va >>> 22));
}

/** The lowest page-aligned user address >= va with a present PTE, or -1. */
export function pmap_next(pm: i32, va: i32): i32 {
  if (!live(pm) || !userVa(va)) return -1;
  const a = (va + PAGE_MASK) & ~PAGE_MASK;
  if (!userVa(a)) return -1;
  const s = slotOf(pm);
  const pdl = pdeAt(ld32(s + SL_PDIR), 0);
  const groups = ld32(s + SL_PDEGROUPS);
  let j = ((a >>> 12) & 1023) << 2;
  for (let i = a >>> 22; i < NUPDE; i++) {
    // At each block boundary, empty blocks of PDEs (and below, of PTEs) are passed over.
    if ((i & 3) == 0) {
      const b = nextIn(pdl, groups, i << 2, UPD_SCAN);
      if (b != i << 2) {
        i = b >> 2;
        j = 0;
        if (i >= NUPDE) break;
      }
    }
    const pde = ld32(pdl + (i << 2));
    if ((pde & PG_V) != 0) {
      const ptl = PHYS + (pde & PG_FRAME);
      const ptes = ld32(ptGroups(pde & PG_FRAME));
      for (; j < PAGE_SIZE; j += 4) {
        if ((j & 15) == 0) {
          j = nextIn(ptl, ptes, j, PAGE_SIZE);
          if (j >= PAGE_SIZE) break;
        }
        if ((ld32(ptl + j) & PG_V) != 0) return (i << 22) | (j << 10);
      }
    }
    j = 0;
  }
  return -1;
}

export function pmap_resident(pm: i32): i32 {
  if (!live(pm)) return -EINVAL;
  return ld32(slotOf(pm) + SL_RESIDENT);
}

export function pmap_ptcount(pm: i32): i32 {
  if (!live(pm)) return -EINVAL;
  return ld32(slotOf(pm) + SL_PTCOUNT);
}

// ---------------------------------------------------------------- copyin / copyout

/** [uva, uva + len) lies in user space (the i386 copyin check: no wrap, end <= VM_MAX). */
function userSpan(uva: i32, len: i32): bool {
  return leu(uva, VM_MAX_USER_ADDRESS) && leu(len, (VM_MAX_USER_ADDRESS - uva) | 0);
}

/**
 * A write of va on the user's behalf: the walk with the user's rights (a PROT_NONE page
 * without PG_U faults, as its missing PTE would in the kernel), with a copy-on-write fault
 * resolved and the walk retried once. The physical address, or -EFAULT (also when the copy found no memory).
 * A physical address is below 3 GiB, so -EFAULT (0xFFFFFFF2) is never one.
 */
function writeWalk(pd: i32, pm: i32, va: i32): i32 {
  let pa = walk(pd, va, PGEX_W | PGEX_U);
  if (ltu(pa, -8)) return pa;
  if ((pa & 7) != (PGEX_P | PGEX_W | PGEX_U) || pmap_fault(pm, va, PGEX_P | PGEX_W) != 0) return -EFAULT;
  pa = walk(pd, va, PGEX_W | PGEX_U);
  return ltu(pa, -8) ? pa : -EFAULT;
}

/** copyin: len bytes from user uva to linear dst. 0, -EINVAL or -EFAULT. */
export function copyin(pm: i32, uva: i32, dst: i32, len: i32): i32 {
  return copyUser(pm, uva, dst, len, false);
}

/** copyout: len bytes from linear src to user uva, resolving copy-on-write. 0, -EINVAL or -EFAULT. */
export function copyout(pm: i32, src: i32, uva: i32, len: i32): i32 {
  return copyUser(pm, uva, src, len, true);
}

/** Both directions, page by page, with the user's rights: reads, or writes that resolve copy-on-write. */
function copyUser(pm: i32, uva: i32, lin: i32, len: i32, write: bool): i32 {
  if (!live(pm) || len < 0) return -EINVAL;
  if (!userSpan(uva, len)) return -EFAULT;
  const pd = ld32(slotOf(pm) + SL_PDIR);
  let done = 0;
  while (done < len) {
    const va = (uva + done) | 0;
    let n = PAGE_SIZE - (va & PAGE_MASK);
    if (n > len - done) n = len - done;
    if (write) {
      const pa = writeWalk(pd, pm, va);
      if (pa == -EFAULT) return -EFAULT;
      copy(PHYS + pa, lin + done, n);
    } else {
      const pa = walk(pd, va, PGEX_U);
      if (!ltu(pa, -8)) return -EFAULT;
      copy(lin + done, PHYS + pa, n);
    }
    done += n;
  }
  return 0;
}

/** fuword: the 32-bit word at uva (which may straddle two pages); K+C_LAST_ERR = 0 or errno. */
export function copyin_word(pm: i32, uva: i32): i32 {
  if (!live(pm)) { st32(K + C_LAST_ERR, EINVAL); return 0; }
  st32(K + C_LAST_ERR, EFAULT);
  if (!userSpan(uva, 4)) return 0;
  const pd = ld32(slotOf(pm) + SL_PDIR);
  const pa0 = walk(pd, uva, PGEX_U);
  if (!ltu(pa0, -8)) return 0;
  const k = PAGE_SIZE - (uva & PAGE_MASK);
  let v = 0;
  if (k >= 4) {
    v = ld32(PHYS + pa0);
  } else {
    const pa1 = walk(pd, (uva + k) | 0, PGEX_U);
    if (!ltu(pa1, -8)) return 0;
    for (let i = 0; i < 4; i++) {
      const b = i < k ? ld8(PHYS + pa0 + i) : ld8(PHYS + pa1 + i - k);
      v |= b << (i << 3);
    }
  }
  st32(K + C_LAST_ERR, 0);
  return v;
}

/** suword: stores v at uva (which may straddle two pages); 0, -EINVAL or -EFAULT. */
export function copyout_word(pm: i32, uva: i32, v: i32): i32 {
  if (!live(pm)) return -EINVAL;
  if (!userSpan(uva, 4)) return -EFAULT;
  const pd = ld32(slotOf(pm) + SL_PDIR);
  const pa0 = writeWalk(pd, pm, uva);
  if (pa0 == -EFAULT) return -EFAULT;
  const k = PAGE_SIZE - (uva & PAGE_MASK);
  if (k >= 4) {
    st32(PHYS + pa0, v);
    return 0;
  }
  const pa1 = writeWalk(pd, pm, (uva + k) | 0);
  if (pa1 == -EFAULT) return -EFAULT;
  for (let i = 0; i < 4; i++) {
    const b = (v >>> (i << 3)) & 0xFF;
    if (i < k) st8(PHYS + pa0 + i, b); else st8(PHYS + pa1 + i - k, b);
  }
  return 0;
}
