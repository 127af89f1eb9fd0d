// struct vmspace and vm_fork (vm_glue.c 1.55, vm_map.c 1.56). A vmspace is reference
// counted (RFMEM and vfork share it) and owns one core address space (pmap). Forking it
// calls the core's pmap_fork with the kernel's configured strategy.
import type { Kernel } from "./kernel.js";
import type { Lwp, Proc, KGen, KMaybe } from "./proc.js";
import { RFMEM, RFPROC, SGROWSIZ, MAXSSIZ, USRSTACK, PAGE_SIZE } from "./param.js";
import { ENOMEM } from "./errno.js";
import { tsleep } from "./synch.js";
import { KernelPanic } from "./panic.js";
import {
  VmMap, VM_INHERIT_NONE, VM_INHERIT_SHARE, vm_map_clear, vm_map_stack, vm_map_entry_make_shared,
  vm_object_reference, VM_PROT_READ, VM_PROT_WRITE, type VmMapEntry,
} from "./vm_map.js";

export class Vmspace {
  vm_refcnt = 1;
  vm_exitingcnt = 0;
  // The copy region (vm_startcopy .. vm_endcopy); sizes in pages.
  vm_rssize = 0;
  vm_swrss = 0;
  vm_tsize = 0;
  vm_dsize = 0;
  vm_ssize = 0;
  vm_taddr = 0;
  vm_daddr = 0;
  vm_maxsaddr = 0;
  vm_minsaddr = 0;
  /** The map's entries (vm_map); the page tables are the core's (vm_pmap). */
  readonly vm_map = new VmMap();
  constructor(readonly vm_pmap: number) {}

  copyRegion(from: Vmspace): void {
    this.vm_rssize = from.vm_rssize; this.vm_swrss = from.vm_swrss; this.vm_tsize = from.vm_tsize;
    this.vm_dsize = from.vm_dsize; this.vm_ssize = from.vm_ssize; this.vm_taddr = from.vm_taddr;
    this.vm_daddr = from.vm_daddr; this.vm_maxsaddr = from.vm_maxsaddr; this.vm_minsaddr = from.vm_minsaddr;
  }
}

/** vmspace_alloc: an empty address space, or null when no frame is left for a page directory. */
export function vmspace_alloc(k: Kernel): Vmspace | null {
  const pm = k.core.pmapCreate();
  return pm < 0 ? null : new Vmspace(pm);
}

/**
 * vmspace_fork: the child's map entry by entry. VM_INHERIT_NONE: a hole. VM_INHERIT_SHARE:
 * the same object (one is made first for a private entry), whose pages the child faults
 * in. VM_INHERIT_COPY: the pages copied or shared copy-on-write by the configured
 * strategy; an entry with an object (MAP_SHARED set to COPY by minherit) gives the child a
 * private copy of the object's pages. The core forks the page tables with the NONE and
 * SHARE entries (and objects) left out. Null on ENOMEM.
 */
export function vmspace_fork(k: Kernel, vm1: Vmspace): Vmspace | null {
  const es = vm1.vm_map.entries;
  let special = false;
  for (let i = 0; i < es.length; i++) if (es[i].inheritance !== 1 || es[i].object !== null) { special = true; break; }
  if (!special) {
    // Every entry private and VM_INHERIT_COPY (nearly every fork): one core call.
    const pm = k.core.fork(vm1.vm_pmap, k.tun.strategy);
    if (pm < 0) return null;
    const vm2 = new Vmspace(pm);
    vm2.copyRegion(vm1);
    const e2 = vm2.vm_map.entries;
    for (let i = 0; i < es.length; i++) e2.push(es[i].clone());
    return vm2;
  }
  for (const e of es) {
    if (e.inheritance === VM_INHERIT_SHARE && e.object === null && !vm_map_entry_make_shared(k, vm1.vm_pmap, e)) return null;
  }
  const skip: [number, number][] = [];
  for (const e of es) {
    if (e.inheritance === VM_INHERIT_NONE || e.object !== null) {
      const last = skip[skip.length - 1];
      if (last && last[1] === e.start) last[1] = e.end; else skip.push([e.start, e.end]);
    }
  }
  const pm = k.core.forkSkip(vm1.vm_pmap, k.tun.strategy, skip);
  if (pm < 0) return null;
  const vm2 = new Vmspace(pm);
  vm2.copyRegion(vm1);
  for (const e of es) {
    if (e.inheritance === VM_INHERIT_NONE) continue;
    const c = e.clone();
    if (e.inheritance === VM_INHERIT_SHARE) vm_object_reference(c.object!);
    else if (e.object !== null) {
      c.object = null;
      if (!copyObjectPages(k, e, pm)) { vmspace_terminate(k, vm2); return null; }
    }
    vm2.vm_map.entries.push(c);
  }
  return vm2;
}

/** A private copy in pm of the object pages entry e maps (made so far). */
function copyObjectPages(k: Kernel, e: VmMapEntry, pm: number): boolean {
  const core = k.core, phys = () => core.phys();
  for (const [idx, pa] of e.object!.pages) {
    const va = e.start + idx * PAGE_SIZE - e.offset;
    if (va < e.start || va >= e.end) continue;
    if (core.enter(pm, va, VM_PROT_READ | VM_PROT_WRITE) < 0) return false;
    core.copyout(pm, va, phys().slice(pa, pa + PAGE_SIZE));
    if ((e.protection & VM_PROT_WRITE) === 0) core.protect(pm, va, va + PAGE_SIZE, VM_PROT_READ);
  }
  return true;
}

/** sysref_get */
export function vmspace_hold(vm: Vmspace): Vmspace { vm.vm_refcnt++; return vm; }

/**
 * sysref_put: the last reference terminates the vmspace, unless exiting processes still
 * count on it (vm_exitingcnt): then the last reaper's vmspace_exitfree does.
 */
export function vmspace_free(k: Kernel, vm: Vmspace): void {
  if (vm.vm_refcnt <= 0) throw new KernelPanic(`vmspace_free: refcnt ${vm.vm_refcnt}`);
  if (--vm.vm_refcnt === 0 && vm.vm_exitingcnt === 0) vmspace_terminate(k, vm);
}

/** vmspace_exitfree (vm_waitproc, from kern_wait): the reaped zombie's last hold. */
export function vmspace_exitfree(k: Kernel, p: Proc): void {
  const vm = p.p_vmspace!;
  p.p_vmspace = null;
  if (--vm.vm_exitingcnt === 0 && vm.vm_refcnt === 0) vmspace_terminate(k, vm);
}

function vmspace_terminate(k: Kernel, vm: Vmspace): void {
  vm_map_clear(k, vm);
  k.core.pmapDestroy(vm.vm_pmap);
  k.wakeupMemory();
}

/** vm_page_count_severe: free frames below the severe reserve (tunable vmSevereFrames). */
export function vm_page_count_severe(k: Kernel): boolean {
  return k.core.framesFree() < k.tun.vmSevereFrames;
}

/**
 * vm_fork(p1, p2, flags). With RFPROC clear it unshares p1's vmspace (vmspace_unshare)
 * unless RFMEM; with RFPROC it shares (RFMEM) or forks the vmspace for p2. Returns 0, or
 * ENOMEM when simulated memory cannot hold the copy: the 2008 kernel would wait for the
 * pager here; forklab has no pager and fails the fork instead (docs/kernel.md). While
 * memory is short it first waits (vm_wait): then the result comes from the generator
 * returned (KMaybe).
 */
export function vm_fork(k: Kernel, lp1: Lwp, p2: Proc | null, flags: number): KMaybe<number> {
  const p1 = lp1.lwp_proc;
  const vm1 = p1.p_vmspace!;
  if ((flags & RFPROC) === 0) {
    if ((flags & RFMEM) === 0 && vm1.vm_refcnt > 1) {
      const vm2 = vmspace_fork(k, vm1);
      if (!vm2) return ENOMEM;
      pmap_replacevm(k, p1, vm2);
      vmspace_free(k, vm1);
    }
    // cpu_fork(lp1, NULL, flags) would unshare a user LDT: none is modeled.
    return 0;
  }
  if (flags & RFMEM) {
    p2!.p_vmspace = vmspace_hold(vm1);
  }
  if (vm_page_count_severe(k)) return vmWaitThenFork(k, lp1, vm1, p2!, flags);
  return vmForkFor(k, vm1, p2!, flags);
}

function* vmWaitThenFork(k: Kernel, lp1: Lwp, vm1: Vmspace, p2: Proc, flags: number): KGen<number> {
  while (vm_page_count_severe(k)) {
    yield* tsleep(k, lp1, k.vmPagesNeeded, 0, "vmwait", k.clock.hz);
  }
  return vmForkFor(k, vm1, p2, flags);
}

/** The end of vm_fork: p2's own copy of vm1, unless RFMEM shares it. */
function vmForkFor(k: Kernel, vm1: Vmspace, p2: Proc, flags: number): number {
  if ((flags & RFMEM) === 0) {
    const vm2 = vmspace_fork(k, vm1);
    if (!vm2) return ENOMEM;
    p2.p_vmspace = vm2;
  }
  return 0;
}

/**
 * vm_waitpfault: a user fault found no free frame. Sleep until frames are freed (or a
 * tick of hz passes), then return to user mode, where the instruction faults again.
 */
export function* vm_waitpfault(k: Kernel, lp: Lwp): KGen<void> {
  yield* tsleep(k, lp, k.vmPagesNeeded, 0, "pfault", k.clock.hz);
}

/**
 * pmap_replacevm(p, vm, 0): installs vm in p and its only LWP (pmap_setlwpvm). That LWP is
 * the one running (rfork's or execve's caller), so its pcb_cr3 takes the new page
 * directory, as load_cr3 would.
 */
export function pmap_replacevm(k: Kernel, p: Proc, vm: Vmspace): void {
  if (p.p_vmspace === vm) return;
  p.p_vmspace = vm;
  if (p.p_nthreads !== 1) throw new KernelPanic(`pmap_replacevm: pid ${p.p_pid} has ${p.p_nthreads} LWPs`);
  const lp = k.ONLY_LWP_IN_PROC(p);
  if (lp.lwp_vmspace !== vm) {
    lp.lwp_vmspace = vm;
    k.core.pcb(lp.td).cr3 = k.core.cr3(vm.vm_pmap);
  }
}

/**
 * exec_new_vmspace's stack (reference §6.12): vm_map_stack's entry, SGROWSIZ at the top of
 * user space with MAXSSIZ reserved below for it to grow into; vm_ssize counts its pages.
 */
export function setStackGeometry(vm: Vmspace): void {
  if (!vm_map_stack(vm.vm_map)) throw new KernelPanic("exec_new_vmspace: the stack region is not empty");
  vm.vm_ssize = SGROWSIZ / PAGE_SIZE;
  vm.vm_maxsaddr = USRSTACK - MAXSSIZ;
  vm.vm_minsaddr = USRSTACK;
}
