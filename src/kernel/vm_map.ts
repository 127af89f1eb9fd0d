// struct vm_map and its entries (vm_map.c 1.56, vm_map.h 1.30), vm_fault's choices
// (vm_fault.c 1.45), vm_map_growstack, and vmspace_fork's per-entry rules (reference
// fork §4.4, userland §7). The core keeps page tables only; this file is the map above
// them: what is mapped where, with which protection and inheritance, and which pages
// belong to a shared object.
//
// How forklab holds pages (docs/kernel.md):
// - A private entry (no object: the image, the break, the stack, MAP_PRIVATE) has its
//   pages in the process's page tables alone; a page not yet present is made when it is
//   first touched (zero-filled, or read from the mapped file), as vm_fault would.
// - An entry with an object (MAP_SHARED, or VM_INHERIT_SHARE once forked) has its pages
//   in the VmObject: one frame per page, entered in every address space that maps it, so
//   a write through one is seen through all. They are never copy-on-write.
import type { Kernel } from "./kernel.js";
import type { Proc } from "./proc.js";
import type { Vnode } from "./vfs.js";
import { PG_V, PG_RW, PG_U, PG_COW } from "../../assembly/i386.js";
import { PAGE_SIZE, USRSTACK, SGROWSIZ, MAXSSIZ, round_page } from "./param.js";
import { RLIMIT_STACK } from "./resource.js";
import { KernelPanic } from "./panic.js";

export const VM_PROT_NONE = 0, VM_PROT_READ = 1, VM_PROT_WRITE = 2, VM_PROT_EXECUTE = 4, VM_PROT_ALL = 7;
export const VM_INHERIT_SHARE = 0, VM_INHERIT_COPY = 1, VM_INHERIT_NONE = 2;
export type VmInherit = typeof VM_INHERIT_SHARE | typeof VM_INHERIT_COPY | typeof VM_INHERIT_NONE;
/** The top of user space (VM_MAX_USER_ADDRESS). */
export const VM_MAX_USER_ADDRESS = USRSTACK;
/** eflags: the stack entry exec makes grows down into the space below it. */
export const MAP_ENTRY_GROWS_DOWN = 0x0200;

export const trunc_page = (a: number): number => Math.floor(a / PAGE_SIZE) * PAGE_SIZE;
export { round_page };

/**
 * A shared object: the frames of its pages, one reference each, by page index. `handle` is
 * the vnode of a MAP_SHARED file mapping (one object per vnode, v_object), null for
 * anonymous memory.
 */
export class VmObject {
  ref_count = 1;
  readonly pages = new Map<number, number>();
  constructor(readonly handle: Vnode | null) {}
}

/** What an entry maps, for reports: the image, the break, the stack, mmap'd memory. */
export type EntryKind = "text" | "data" | "heap" | "stack" | "anon" | "file";

export class VmMapEntry {
  eflags = 0;
  /** Stack entries: how far below `start` the stack may still grow (bytes). */
  avail_ssize = 0;
  constructor(
    public start: number,
    public end: number,
    public protection: number,
    public max_protection: number,
    public inheritance: VmInherit,
    public kind: EntryKind,
    /** The shared object whose pages these are, or null for private pages. */
    public object: VmObject | null = null,
    /** Byte offset into the object or file at `start`. */
    public offset = 0,
    /** A MAP_PRIVATE file mapping reads its pages from here when first touched. */
    public vnode: Vnode | null = null,
  ) {}

  clone(): VmMapEntry {
    const e = new VmMapEntry(this.start, this.end, this.protection, this.max_protection, this.inheritance,
      this.kind, this.object, this.offset, this.vnode);
    e.eflags = this.eflags;
    e.avail_ssize = this.avail_ssize;
    return e;
  }
}

/** The entries of one address space, sorted by address and disjoint. */
export class VmMap {
  entries: VmMapEntry[] = [];

  /** vm_map_lookup_entry: the entry containing va, or null. */
  lookup(va: number): VmMapEntry | null {
    const es = this.entries;
    let lo = 0, hi = es.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1, e = es[mid];
      if (va < e.start) hi = mid - 1;
      else if (va >= e.end) lo = mid + 1;
      else return e;
    }
    return null;
  }

  /** Index of the first entry ending above va. */
  private firstAbove(va: number): number {
    const es = this.entries;
    let lo = 0, hi = es.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (es[mid].end <= va) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** Whether anything is mapped in [start, end). */
  overlaps(start: number, end: number): boolean {
    const i = this.firstAbove(start);
    return i < this.entries.length && this.entries[i].start < end;
  }

  /** Whether [start, end) is covered by entries with no hole. */
  covered(start: number, end: number): boolean {
    let va = start;
    for (let i = this.firstAbove(start); i < this.entries.length && va < end; i++) {
      const e = this.entries[i];
      if (e.start > va) return false;
      va = e.end;
    }
    return va >= end;
  }

  /** Entries in [start, end), split at both ends (vm_map_clip_start / clip_end). */
  clipped(start: number, end: number): VmMapEntry[] {
    this.clip(start);
    this.clip(end);
    const out: VmMapEntry[] = [];
    for (let i = this.firstAbove(start); i < this.entries.length && this.entries[i].start < end; i++) out.push(this.entries[i]);
    return out;
  }

  private clip(va: number): void {
    const e = this.lookup(va);
    if (!e || e.start === va) return;
    const tail = e.clone();
    tail.start = va;
    tail.offset = e.offset + (va - e.start);
    if (tail.object) tail.object.ref_count++;
    e.end = va;
    this.entries.splice(this.entries.indexOf(e) + 1, 0, tail);
  }

  /** vm_map_insert at a free [start, end): merged into a like private neighbour below (vm_map_simplify_entry). */
  insert(e: VmMapEntry): void {
    const i = this.firstAbove(e.start);
    if (i < this.entries.length && this.entries[i].start < e.end) throw new KernelPanic(`vm_map_insert: [0x${e.start.toString(16)}, 0x${e.end.toString(16)}) is not free`);
    const prev = i > 0 ? this.entries[i - 1] : null;
    if (prev && prev.end === e.start && prev.object === null && e.object === null && prev.vnode === null && e.vnode === null
      && prev.kind === e.kind && prev.protection === e.protection && prev.max_protection === e.max_protection
      && prev.inheritance === e.inheritance && prev.eflags === 0 && e.eflags === 0) {
      prev.end = e.end;
      return;
    }
    this.entries.splice(i, 0, e);
  }

  /**
   * vm_map_findspace: the lowest free range of `size` bytes at or above `hint` ending at or
   * below VM_MAX_USER_ADDRESS; -1 if there is none.
   */
  findspace(hint: number, size: number): number {
    let start = hint;
    for (let i = this.firstAbove(start); i < this.entries.length; i++) {
      const e = this.entries[i];
      if (e.start >= start + size) break;
      if (e.end > start) start = e.end;
    }
    return start + size <= VM_MAX_USER_ADDRESS ? start : -1;
  }
}

// ---- objects -----------------------------------------------------------------------------

export function vm_object_reference(obj: VmObject): VmObject { obj.ref_count++; return obj; }

/** The last reference frees the object's frames; a file object first writes its pages back. */
export function vm_object_deallocate(k: Kernel, obj: VmObject): void {
  if (obj.ref_count <= 0) throw new KernelPanic(`vm_object_deallocate: ref_count ${obj.ref_count}`);
  if (--obj.ref_count > 0) return;
  if (obj.handle) {
    vm_object_page_clean(k, obj);
    obj.handle.v_object = null;
  }
  for (const pa of obj.pages.values()) k.core.x.frame_unref(pa);
  obj.pages.clear();
  k.wakeupMemory();
}

/**
 * A file object's pages written to the file's bytes (what vm_object_page_clean and the
 * pager do for dirty pages): up to the file's size, which a mapping never changes.
 */
export function vm_object_page_clean(k: Kernel, obj: VmObject): void {
  const vp = obj.handle;
  if (!vp || obj.pages.size === 0) return;
  const phys = k.core.phys();
  for (const [idx, pa] of obj.pages) {
    const off = idx * PAGE_SIZE;
    if (off >= vp.v_size) continue;
    const n = Math.min(PAGE_SIZE, vp.v_size - off);
    vp.v_data.set(phys.subarray(pa, pa + n), off);
  }
}

/** After write(2) changed bytes [off, off + len) of a file: its object's pages take them. */
export function vm_object_page_update(k: Kernel, vp: Vnode, off: number, len: number): void {
  const obj = vp.v_object;
  if (!obj || len <= 0) return;
  const phys = k.core.phys();
  for (let idx = Math.floor(off / PAGE_SIZE); idx * PAGE_SIZE < off + len; idx++) {
    const pa = obj.pages.get(idx);
    if (pa === undefined) continue;
    const o = idx * PAGE_SIZE;
    const page = new Uint8Array(PAGE_SIZE);
    page.set(vp.v_data.subarray(o, Math.min(vp.v_size, o + PAGE_SIZE)));
    phys.set(page, pa);
  }
}

// ---- faults ------------------------------------------------------------------------------

/** vm_fault's answer: done, no frame to be had (wait and retry), or the signal trap_pfault sends. */
export type FaultResult = "resolved" | "nomem" | "segv" | "bus";

/**
 * vm_fault for p at va (a user fault, or copyin/copyout on the user's behalf): the stack
 * grows first if va is below it (grow_stack), then the entry decides. No entry: SIGSEGV
 * (KERN_INVALID_ADDRESS). An access the entry's protection refuses: SIGBUS
 * (KERN_PROTECTION_FAILURE). A page not yet there is made (zero, the file's bytes, or the
 * object's page); a write to a copy-on-write page is copied.
 */
export function vm_fault(k: Kernel, p: Proc, va: number, write: boolean): FaultResult {
  const vm = p.p_vmspace!, map = vm.vm_map, core = k.core, pm = vm.vm_pmap;
  va = va >>> 0;
  if (va >= VM_MAX_USER_ADDRESS) return "segv";
  let e = map.lookup(va);
  if (!e) {
    // grow_stack: an address in a stack's reserve grows it (failing that, SIGSEGV).
    if (vm_map_growstack(k, p, va) !== "resolved") return "segv";
    e = map.lookup(va);
    if (!e) return "segv";
  }
  const need = write ? VM_PROT_WRITE : VM_PROT_READ;
  // READ implies EXECUTE and the reverse on i386: either lets a page be read.
  const allowed = e.protection & VM_PROT_WRITE ? VM_PROT_READ | VM_PROT_WRITE : e.protection ? VM_PROT_READ : 0;
  if ((allowed & need) === 0) return "bus";
  const page = trunc_page(va);
  const pte = core.pte(pm, page);
  if ((pte & PG_V) === 0) return vm_fault_page(k, p, e, page);
  if ((pte & PG_U) === 0) return "bus";
  // A write goes through the PDE too: without PG_RW it maps a table shared by share-pt.
  if (write && ((pte & PG_RW) === 0 || (core.pde(pm, page) & PG_RW) === 0)) {
    if ((pte & (PG_RW | PG_COW)) === 0) return "bus";
    const r = core.fault(pm, va, 3);
    return r === 0 ? "resolved" : r === -12 ? "nomem" : "bus";
  }
  return "resolved";
}

/** The page at `page` of entry e, made and entered in p's address space. */
function vm_fault_page(k: Kernel, p: Proc, e: VmMapEntry, page: number): FaultResult {
  const core = k.core, pm = p.p_vmspace!.vm_pmap;
  const prot = e.protection;
  const off = e.offset + (page - e.start);
  if (e.object) {
    const idx = Math.floor(off / PAGE_SIZE);
    let pa = e.object.pages.get(idx);
    if (pa === undefined) {
      // A new object page: made in this address space, then kept by the object.
      if (core.enter(pm, page, VM_PROT_READ | VM_PROT_WRITE) < 0) return "nomem";
      const vp = e.object.handle;
      if (vp && off < vp.v_size) core.copyout(pm, page, vp.v_data.subarray(off, Math.min(vp.v_size, off + PAGE_SIZE)));
      pa = (core.pte(pm, page) & ~0xFFF) >>> 0;
      core.x.frame_ref(pa);
      e.object.pages.set(idx, pa);
      setProt(k, pm, page, page + PAGE_SIZE, prot);
      return "resolved";
    }
    if (core.enterFrame(pm, page, pa, prot & VM_PROT_WRITE ? 3 : 1) < 0) return "nomem";
    if (prot === VM_PROT_NONE) core.protectNone(pm, page, page + PAGE_SIZE);
    return "resolved";
  }
  if (core.enter(pm, page, e.vnode ? VM_PROT_READ | VM_PROT_WRITE : prot & VM_PROT_WRITE ? 3 : 1) < 0) return "nomem";
  const vp = e.vnode;
  if (vp) {
    if (off < vp.v_size) core.copyout(pm, page, vp.v_data.subarray(off, Math.min(vp.v_size, off + PAGE_SIZE)));
    setProt(k, pm, page, page + PAGE_SIZE, prot);
  } else if (prot === VM_PROT_NONE) {
    core.protectNone(pm, page, page + PAGE_SIZE);
  }
  return "resolved";
}

/** pmap_protect with VM_PROT bits: none hides the pages (their contents stay). */
export function setProt(k: Kernel, pm: number, start: number, end: number, prot: number): void {
  const r = prot === VM_PROT_NONE ? k.core.protectNone(pm, start, end) : k.core.protect(pm, start, end, prot | VM_PROT_READ);
  if (r !== 0) throw new KernelPanic(`pmap_protect: ${r} (a shared page table left to copy: vm_unshare first)`);
}

/**
 * vm_map_growstack(p, addr): an address below a GROWS_DOWN entry and within its reserve
 * grows the stack by a multiple of SGROWSIZ (at least to addr, at most the reserve and
 * RLIMIT_STACK), adding the pages to vm_ssize. "none" when addr is not in a stack reserve
 * (not the stack's business), "fail" when the stack may not grow that far.
 */
export function vm_map_growstack(k: Kernel, p: Proc, addr: number): "resolved" | "none" | "fail" {
  const vm = p.p_vmspace!, map = vm.vm_map;
  if (map.lookup(addr)) return "resolved";
  const es = map.entries;
  let i = 0;
  while (i < es.length && es[i].start <= addr) i++;
  const next = es[i];
  if (!next || (next.eflags & MAP_ENTRY_GROWS_DOWN) === 0 || addr < next.start - next.avail_ssize) return "none";
  const prevEnd = i > 0 ? es[i - 1].end : 0;
  let grow = round_page(next.start - addr);
  if (grow > next.avail_ssize) return "fail";
  if (next.start - grow < prevEnd) return "fail"; // something was mapped in the reserve
  // The process's stack (in exec's reserve) counts against RLIMIT_STACK and in vm_ssize;
  // a MAP_STACK mapping's only against its own reserve.
  const isProcstack = addr >= vm.vm_maxsaddr && vm.vm_maxsaddr !== 0;
  const stacklim = Math.min(p.p_limit!.pl_rlimit[RLIMIT_STACK].rlim_cur, MAXSSIZ);
  if (isProcstack && vm.vm_ssize * PAGE_SIZE + grow > stacklim) return "fail";
  grow = Math.ceil(grow / SGROWSIZ) * SGROWSIZ;
  if (grow > next.avail_ssize) grow = next.avail_ssize;
  if (isProcstack && vm.vm_ssize * PAGE_SIZE + grow > stacklim) grow = stacklim - vm.vm_ssize * PAGE_SIZE;
  let start = next.start - grow;
  if (start < prevEnd) start = prevEnd; // the entry below bounds it
  const ne = new VmMapEntry(start, next.start, next.protection, next.max_protection, next.inheritance, "stack");
  ne.eflags = MAP_ENTRY_GROWS_DOWN;
  ne.avail_ssize = next.avail_ssize - (next.start - start);
  next.eflags &= ~MAP_ENTRY_GROWS_DOWN;
  next.avail_ssize = 0;
  es.splice(i, 0, ne);
  if (isProcstack) vm.vm_ssize += (next.start - start) / PAGE_SIZE;
  return "resolved";
}

/**
 * Before a copyin/copyout retries: every page of [uva, uva + len) faulted in as the
 * 2008 trap_pfault does for a kernel-mode fault on a user address (grow_stack, then
 * vm_fault). False when one cannot be (the copy then fails with EFAULT).
 */
export function vm_fault_range(k: Kernel, p: Proc, uva: number, len: number, write: boolean): boolean {
  if (len <= 0) return true;
  const end = uva + len;
  if (end > VM_MAX_USER_ADDRESS) return false;
  for (let page = trunc_page(uva); page < end; page += PAGE_SIZE) {
    const va = Math.max(page, uva);
    if (vm_fault(k, p, va, write) !== "resolved") return false;
  }
  return true;
}

// ---- map-wide operations ------------------------------------------------------------------

/**
 * vm_map_delete of [start, end): the entries clipped and removed, their pages unmapped,
 * their objects released.
 */
export function vm_map_delete(k: Kernel, vm: { vm_map: VmMap; vm_pmap: number }, start: number, end: number): void {
  const map = vm.vm_map;
  const gone = map.clipped(start, end);
  if (gone.length === 0) return;
  const r = k.core.remove(vm.vm_pmap, start, end);
  if (r !== 0) throw new KernelPanic(`pmap_remove: ${r} (a shared page table left to copy: vm_unshare first)`);
  map.entries = map.entries.filter((e) => !gone.includes(e));
  for (const e of gone) if (e.object) vm_object_deallocate(k, e.object);
  k.wakeupMemory();
}

/** Everything: exec's emptying of the address space, and vmspace_terminate. */
export function vm_map_clear(k: Kernel, vm: { vm_map: VmMap; vm_pmap: number }): void {
  const es = vm.vm_map.entries;
  vm.vm_map.entries = [];
  for (let i = 0; i < es.length; i++) if (es[i].object) vm_object_deallocate(k, es[i].object!);
}

/**
 * vm_map_stack(addrbos, max_ssize): a stack whose top is addrbos + max_ssize, its top
 * min(max_ssize, SGROWSIZ) mapped and the rest reserved for it to grow into. False
 * (KERN_NO_SPACE) when anything lies in [addrbos, addrbos + max_ssize). exec's is
 * USRSTACK - MAXSSIZ, MAXSSIZ; MAP_STACK's the mmap range.
 */
export function vm_map_stack(map: VmMap, addrbos = USRSTACK - MAXSSIZ, max_ssize = MAXSSIZ, prot = VM_PROT_ALL, max = VM_PROT_ALL): boolean {
  const top = addrbos + max_ssize;
  if (top > VM_MAX_USER_ADDRESS || map.overlaps(addrbos, top)) return false;
  const init = Math.min(max_ssize, SGROWSIZ);
  const e = new VmMapEntry(top - init, top, prot, max, VM_INHERIT_COPY, "stack");
  e.eflags = MAP_ENTRY_GROWS_DOWN;
  e.avail_ssize = max_ssize - init;
  map.insert(e);
  return true;
}

/**
 * Turns a private entry into one backed by a new anonymous object (vmspace_fork's "if the
 * entry has no object, allocate one" for VM_INHERIT_SHARE): each page present becomes
 * the object's, made private to this address space first (a copy-on-write page is
 * copied, as the shadowing of a NEEDS_COPY entry would). False when memory ran out.
 */
export function vm_map_entry_make_shared(k: Kernel, pm: number, e: VmMapEntry): boolean {
  const core = k.core, obj = new VmObject(null);
  // Under share-pt a page of a table shared with another address space is not this one's
  // to give the object: the table is copied first, which marks such pages PG_COW.
  if (core.unshare(pm, e.start, e.end, false) !== 0) return false;
  for (let va = core.x.pmap_next(pm, e.start | 0); va !== -1 && (va >>> 0) < e.end; va = core.x.pmap_next(pm, ((va >>> 0) + PAGE_SIZE) | 0)) {
    const page = va >>> 0;
    let pte = core.pte(pm, page);
    let pa = (pte & ~0xFFF) >>> 0;
    if ((pte & PG_COW) !== 0 || core.frameRefcount(pa) > 1) {
      // Another address space holds this frame copy-on-write: this one takes a copy.
      const bytes = core.copyin(pm, page, PAGE_SIZE) ?? hiddenPage(k, pm, page);
      if (core.enter(pm, page, VM_PROT_READ | VM_PROT_WRITE) < 0) { vm_object_deallocate(k, obj); return false; }
      core.copyout(pm, page, bytes);
      setProt(k, pm, page, page + PAGE_SIZE, e.protection);
      pte = core.pte(pm, page);
      pa = (pte & ~0xFFF) >>> 0;
    }
    core.x.frame_ref(pa);
    obj.pages.set((e.offset + page - e.start) / PAGE_SIZE, pa);
  }
  e.object = obj;
  e.vnode = null;
  return true;
}

/** The bytes of a page hidden by PROT_NONE (copyin refuses it, as the user would be refused). */
function hiddenPage(k: Kernel, pm: number, page: number): Uint8Array {
  const pa = (k.core.pte(pm, page) & ~0xFFF) >>> 0;
  return k.core.phys().slice(pa, pa + PAGE_SIZE);
}

/** Entries as the API reports them. */
export interface MapEntryInfo {
  start: number; end: number; protection: number; max_protection: number;
  inheritance: "share" | "copy" | "none"; kind: EntryKind; shared: boolean; growsDown: boolean;
}

export function vm_map_info(map: VmMap): MapEntryInfo[] {
  const inh = ["share", "copy", "none"] as const;
  return map.entries.map((e) => ({
    start: e.start, end: e.end, protection: e.protection, max_protection: e.max_protection,
    inheritance: inh[e.inheritance], kind: e.kind, shared: e.object !== null,
    growsDown: (e.eflags & MAP_ENTRY_GROWS_DOWN) !== 0,
  }));
}
