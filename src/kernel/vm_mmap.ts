// The memory syscalls (vm_unix.c 1.7, vm_mmap.c 1.39; reference userland §7): break
// (obreak), mmap, munmap, mprotect, minherit, madvise, over the map of vm_map.ts.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import { EINVAL, ENOMEM, EACCES, EBADF, ENODEV } from "./errno.js";
import { RLIMIT_DATA } from "./resource.js";
import { MAXDSIZ, PAGE_SIZE } from "./param.js";
import {
  VmMapEntry, VmObject, VM_MAX_USER_ADDRESS, VM_PROT_ALL, VM_PROT_READ, VM_PROT_WRITE, VM_PROT_EXECUTE,
  VM_INHERIT_COPY, VM_INHERIT_SHARE, VM_INHERIT_NONE, round_page, vm_map_delete, setProt,
  vm_object_reference, vm_map_stack, type VmInherit,
} from "./vm_map.js";
import { FREAD, FWRITE, DTYPE_VNODE } from "./file.js";
import { fgetfile } from "./filedesc.js";
import { VREG, VCHR } from "./vfs.js";
import { tsleep } from "./synch.js";

// sys/mman.h 1.8
export const PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
export const MAP_SHARED = 0x0001, MAP_PRIVATE = 0x0002, MAP_FIXED = 0x0010, MAP_INHERIT = 0x0080;
export const MAP_STACK = 0x0400, MAP_ANON = 0x1000;
const MADV_INVAL = 10;

const dataLimit = (lp: Lwp): number => lp.lwp_proc.p_limit!.pl_rlimit[RLIMIT_DATA].rlim_cur;

/**
 * share-pt: before [start, end)'s pages are unmapped (keepWhole: a table the range covers
 * whole is just let go) or reprotected, the page tables lp's address space shares there
 * become its own, waiting for memory as pmap_allocpte would (vm_wait). The change that
 * follows at once, with no sleep between, then cannot fail. Under copy and cow no table
 * is shared.
 */
function* vm_unshare(k: Kernel, lp: Lwp, start: number, end: number, keepWhole: boolean): KGen<void> {
  if (k.tun.strategy !== "share-pt") return;
  while (k.core.unshare(lp.lwp_proc.p_vmspace!.vm_pmap, start, end, keepWhole) !== 0) {
    yield* tsleep(k, lp, k.vmPagesNeeded, 0, "vmwait", k.clock.hz);
  }
}

/**
 * break(nsize): the data segment's end moves to round_page(nsize). Growing maps zero-fill
 * memory at exactly [old, new) (ENOMEM past RLIMIT_DATA, at the top of user space, or if
 * anything is mapped there); shrinking unmaps [new, old). Below the data segment: EINVAL.
 */
export function* sys_obreak(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const vm = lp.lwp_proc.p_vmspace!;
  const base = round_page(vm.vm_daddr);
  const old = base + vm.vm_dsize * PAGE_SIZE;
  const nw = round_page(args[0]);
  if (nw < base) return EINVAL;
  if (nw > old) {
    if (nw - base > dataLimit(lp)) return ENOMEM;
    if (nw >= VM_MAX_USER_ADDRESS) return ENOMEM;
    if (vm.vm_map.overlaps(old, nw)) return ENOMEM;
    vm.vm_map.insert(new VmMapEntry(old, nw, VM_PROT_ALL, VM_PROT_ALL, VM_INHERIT_COPY, "heap"));
    vm.vm_dsize += (nw - old) / PAGE_SIZE;
  } else if (nw < old) {
    yield* vm_unshare(k, lp, nw, old, true);
    vm_map_delete(k, vm, nw, old);
    vm.vm_dsize -= (old - nw) / PAGE_SIZE;
  }
  return 0;
}

/**
 * mmap(addr, len, prot, flags, fd, pad, pos). Anonymous memory (MAP_ANON, fd -1) or a
 * regular file of the in-memory filesystem: MAP_PRIVATE pages start as the file's bytes
 * and are the process's own; MAP_SHARED pages are the file's object, shared by every
 * mapping of it (written back to the file's bytes as docs/kernel.md says). The result is
 * the address + pos's page offset.
 */
export function* sys_mmap(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const p = lp.lwp_proc, vm = p.p_vmspace!, map = vm.vm_map;
  const [uaddr, len, protArg, flags, fd, , pos] = args;
  if (!Number.isSafeInteger(pos)) return EINVAL;
  let prot = protArg & VM_PROT_ALL;
  if (prot & VM_PROT_READ) prot |= VM_PROT_EXECUTE; // READ implies EXEC on i386
  if ((len | 0) < 0) return EINVAL;
  if ((flags & MAP_ANON) && fd !== -1) return EINVAL;
  if ((flags & MAP_STACK) && (fd !== -1 || (prot & (VM_PROT_READ | VM_PROT_WRITE)) !== (VM_PROT_READ | VM_PROT_WRITE))) return EINVAL;
  const pageoff = ((pos % PAGE_SIZE) + PAGE_SIZE) % PAGE_SIZE;
  const size = round_page(len + pageoff);
  let addr = (uaddr - pageoff) >>> 0;
  if (flags & MAP_FIXED) {
    if (addr % PAGE_SIZE !== 0) return EINVAL;
    if (addr + size > VM_MAX_USER_ADDRESS || addr + size < addr) return EINVAL;
  } else if (addr === 0 || (addr >= round_page(vm.vm_taddr) && addr < round_page(vm.vm_daddr + MAXDSIZ))) {
    addr = round_page(vm.vm_daddr + MAXDSIZ);
  } else {
    addr = round_page(addr);
  }
  if (size === 0) { msg.fds[0] = (uaddr >>> 0); return 0; }

  let maxprot = VM_PROT_ALL;
  let vp = null;
  if (!(flags & MAP_ANON)) {
    const fp = fgetfile(p.p_fd!, fd);
    if (!fp) return EBADF;
    if (fp.f_type !== DTYPE_VNODE || !fp.f_vnode) return ENODEV;
    vp = fp.f_vnode;
    if (vp.v_type === VCHR) return ENODEV; // the console cannot be mapped
    if (vp.v_type !== VREG) return EINVAL;
    if (pos < 0) return EINVAL;
    // vm_mmap's checks: a read mapping needs FREAD, a shared write one FWRITE.
    if ((fp.f_flag & FREAD) === 0) return EACCES;
    maxprot = VM_PROT_EXECUTE | VM_PROT_READ;
    if ((flags & MAP_SHARED) === 0 || (fp.f_flag & FWRITE)) maxprot |= VM_PROT_WRITE;
    else if (prot & VM_PROT_WRITE) return EACCES;
  }
  if (flags & MAP_FIXED) {
    yield* vm_unshare(k, lp, addr, addr + size, true);
    vm_map_delete(k, vm, addr, addr + size);
  }
  if (flags & MAP_STACK) {
    // vm_map_stack at the hint itself: the top min(size, SGROWSIZ) mapped, the rest a
    // reserve the stack grows down into on faults.
    if (!vm_map_stack(map, addr, size, prot, maxprot)) return ENOMEM;
    msg.fds[0] = addr >>> 0;
    return 0;
  }
  if ((flags & MAP_FIXED) === 0) {
    const found = map.findspace(addr, size);
    if (found < 0) return ENOMEM;
    addr = found;
  }
  const inherit: VmInherit = flags & (MAP_SHARED | MAP_INHERIT) ? VM_INHERIT_SHARE : VM_INHERIT_COPY;
  let e: VmMapEntry;
  if (vp && (flags & MAP_SHARED)) {
    const obj = vp.v_object ? vm_object_reference(vp.v_object) : (vp.v_object = new VmObject(vp));
    e = new VmMapEntry(addr, addr + size, prot, maxprot, inherit, "file", obj, pos - pageoff);
  } else if (vp) {
    e = new VmMapEntry(addr, addr + size, prot, maxprot, inherit, "file", null, pos - pageoff, vp);
  } else {
    e = new VmMapEntry(addr, addr + size, prot, maxprot, inherit, "anon", flags & MAP_SHARED ? new VmObject(null) : null);
  }
  map.insert(e);
  msg.fds[0] = (addr + pageoff) >>> 0;
  return 0;
}

/** Page-rounded [addr, addr + len): null when it leaves user space (EINVAL). */
function userRange(addr: number, len: number): [number, number] | null {
  const pageoff = addr % PAGE_SIZE;
  const start = addr - pageoff;
  const end = round_page(len + pageoff) + start;
  if (end > VM_MAX_USER_ADDRESS || end < start) return null;
  return [start, end];
}

/** munmap(addr, len): page-rounded; 0 for len 0; EINVAL beyond user space or across any hole. */
export function* sys_munmap(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const vm = lp.lwp_proc.p_vmspace!;
  const [addr, len] = args;
  if (len === 0) return 0;
  const r = userRange(addr, len);
  if (!r) return EINVAL;
  if (!vm.vm_map.covered(r[0], r[1])) return EINVAL;
  yield* vm_unshare(k, lp, r[0], r[1], true);
  vm_map_delete(k, vm, r[0], r[1]);
  return 0;
}

/** mprotect(addr, len, prot): EACCES past an entry's max_protection (nothing changed); holes skipped. */
export function* sys_mprotect(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const vm = lp.lwp_proc.p_vmspace!;
  const [addr, len, protArg] = args;
  let prot = protArg & VM_PROT_ALL;
  if (prot & VM_PROT_READ) prot |= VM_PROT_EXECUTE;
  const r = userRange(addr, len);
  if (!r) return EINVAL;
  const [start, end] = r;
  if (start === end) return 0;
  // vm_map_protect checks every entry before changing any.
  for (const e of vm.vm_map.entries) {
    if (e.end > start && e.start < end && (prot & ~e.max_protection) !== 0) return EACCES;
  }
  yield* vm_unshare(k, lp, start, end, false);
  for (const e of vm.vm_map.clipped(start, end)) {
    e.protection = prot;
    setProt(k, vm.vm_pmap, e.start, e.end, prot);
  }
  return 0;
}

/** minherit(addr, len, inherit): VM_INHERIT_SHARE 0, COPY 1, NONE 2, else EINVAL; holes ignored. */
export function* sys_minherit(_k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const vm = lp.lwp_proc.p_vmspace!;
  const [addr, len, inherit] = args;
  if (inherit !== VM_INHERIT_SHARE && inherit !== VM_INHERIT_COPY && inherit !== VM_INHERIT_NONE) return EINVAL;
  const r = userRange(addr, len);
  if (!r) return EINVAL;
  if (r[0] === r[1]) return 0;
  for (const e of vm.vm_map.clipped(r[0], r[1])) e.inheritance = inherit as VmInherit;
  return 0;
}

/** madvise(addr, len, behav): behav 0..10 (MADV_NORMAL..MADV_INVAL); no effect here. */
export function* sys_madvise(_k: Kernel, _lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [addr, len, behav] = args;
  if (behav < 0 || behav > MADV_INVAL) return EINVAL;
  if (!userRange(addr, len)) return EINVAL;
  return 0;
}
