// STUB (being written): i386 two-level page tables. Spec in docs/core.md and below.
import { ENOMEM, EINVAL, EFAULT } from "./i386";

export const PMAP_SLOT: i32 = 32;
/** Kernel stacks from 0xC0400000 (PDE 769) to the end of PDE 1021, 16 KiB per slot. */
export const KSTACK_AREA: i32 = 0xC040 << 16;
export const KSTACK_STRIDE: i32 = 16384;
export const KSTACK_MAX_THREADS: i32 = (1022 - 769) * 256;

/** Kernel page directory + kernel page tables for maxThreads stacks; called by core init. */
export function pmapBootstrap(maxThreads: i32): i32 { return 0; }
/** Maps kernel page kva -> pa (supervisor RW) in the shared kernel page tables. */
export function pmap_kenter(kva: i32, pa: i32): void {}
export function pmap_kremove(kva: i32): void {}

export function pmap_create(): i32 { return -ENOMEM; }
export function pmap_destroy(pm: i32): i32 { return -EINVAL; }
export function pmap_valid(pm: i32): i32 { return 0; }
export function pmap_cr3(pm: i32): i32 { return -EINVAL; }
export function pmap_enter(pm: i32, va: i32, prot: i32): i32 { return -EINVAL; }
export function pmap_remove(pm: i32, sva: i32, eva: i32): i32 { return -EINVAL; }
export function pmap_protect(pm: i32, sva: i32, eva: i32, prot: i32): i32 { return -EINVAL; }
export function pmap_translate(pm: i32, va: i32, access: i32): i32 { return -8; }
export function pmap_fault(pm: i32, va: i32, err: i32): i32 { return -EFAULT; }
export function pmap_fork(pm: i32, strategy: i32): i32 { return -EINVAL; }
export function pmap_pte(pm: i32, va: i32): i32 { return 0; }
export function pmap_pde(pm: i32, va: i32): i32 { return 0; }
export function pmap_next(pm: i32, va: i32): i32 { return -1; }
export function pmap_resident(pm: i32): i32 { return 0; }
export function pmap_ptcount(pm: i32): i32 { return 0; }
export function copyin(pm: i32, uva: i32, dst: i32, len: i32): i32 { return -EFAULT; }
export function copyout(pm: i32, src: i32, uva: i32, len: i32): i32 { return -EFAULT; }
export function copyin_word(pm: i32, uva: i32): i32 { return 0; }
export function copyout_word(pm: i32, uva: i32, v: i32): i32 { return -EFAULT; }
