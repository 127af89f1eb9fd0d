// Kernel threads, their kernel stacks, the pcb and the trapframe, and the i386
// machine-dependent half of fork: cpu_fork, cpu_set_fork_handler, cpu_prepare_lwp,
// fork_return, exec_setregs, and an emulation of a forked thread's first switch-in
// (reference §3.4; vm_machdep.c 1.59, swtch.s 1.47, exception.s 1.32, trap.c 1.111).
//
// Thread table: THR_SLOT bytes per thread at ld32(K + C_THR_TAB) + (td - 1) * THR_SLOT;
// td is a 1-based handle up to ld32(K + C_THR_MAX).
//
//   0  state: 0 free, 1 allocated
//   4  physical address of the stack's first (lowest) frame   (kstack + 0 .. 4095), 0 = none yet
//   8  physical address of the second frame                  (kstack + 4096 .. 8191), 0 = none yet
//  12  physical address of the third frame                    (kstack + 8192 .. 12287)
//  16..35  the LWP's RB node (lwptree.ts: left, right, parent, color, key); zeroed at
//          allocation, otherwise never touched here
//  36  next free slot (a td handle, 0 = none): the free list, head at K + C_THR_FREE,
//      LIFO; slots above K + C_THR_HWM were never handed out
//  40  td_sp, a kernel virtual address
//  44..55  td_tls: the bases of the three TLS segments set_tls_area gives (which 0..2)
//  56  the TLS segments that are set (bit `which`); %fs/%gs selectors 0x7B 0x83 0x8B
//  60  reserved (zeroed at allocation, unused)
//
// Kernel stack of slot i = td - 1: KVA kstack = KSTACK_AREA + (i % KSTACK_KVA_SLOTS) *
// KSTACK_STRIDE + 4096, three pages, mapped supervisor read/write in the kernel page tables
// every address space shares when i < KSTACK_KVA_SLOTS (pmap.ts); the page below kstack is
// an unmapped guard page. The pcb (kstack + 11680), the trapframe (md_regs, kstack + 11584)
// and the switch-in frame (kstack + 11572 .. 11583) all lie in the third frame, so pcb and
// trapframe accesses go straight to physical memory through the cached frame address,
// without a page walk. The third frame is taken with the thread; the two below it only
// when the kernel first writes there (docs/core.md, "Kernel stacks"): until then they have
// no frame and no mapping, and read as zeros.
import { ld32, st32, ltu, copy, fill } from "./mem";
import { fpuInit } from "./x87";
import { K, PHYS, C_THR_TAB, C_THR_MAX, C_THR_FREE, C_THR_HWM, C_THR_LIVE } from "./state";
import { pld32, pst32, pcopy, pzero } from "./phys";
import { frameAlloc, frameUnref, framesFree } from "./frames";
import {
  KSTACK_AREA, KSTACK_STRIDE, KSTACK_KVA_SLOTS, pmap_kenter, pmap_kremove, pmap_cr3, pmap_valid, copyout_word,
} from "./pmap";
import {
  EINVAL, EBUSY, ENOMEM, PAGE_SIZE, PAGE_SHIFT, PAGE_MASK, PSL_C, PSL_T, PSL_USER, GSEL_UCODE, GSEL_UDATA,
  PCB_CR3, PCB_SAVEFPU, PCB_SPARE, PCB_EDI, PCB_ESI, PCB_EBP, PCB_ESP, PCB_EBX, PCB_EIP, PCB_EXT, SIZEOF_PCB,
  TF_GS, TF_FS, TF_ES, TF_DS, TF_EBX, TF_EDX, TF_EAX, TF_EIP, TF_CS, TF_EFLAGS, TF_ESP, TF_SS,
  SIZEOF_TRAPFRAME, UPAGES, KSTACK_SIZE, KSTACK_PCB, KSTACK_SP0, KSTACK_TF, KSTACK_RETSLOT,
  KSTACK_SWITCH_PSL, KSTACK_SWITCH_SP, FORK_TRAMPOLINE, FORK_RETURN, CPU_HEAVY_RESTORE,
  GENERIC_LWP_RETURN,
} from "./i386";

// A thread slot: 0 state, 4..15 the stack's frames, 16..35 the LWP's RB node (lwptree.ts),
// 36 next free, 40 td_sp, 44..55 the TLS bases, 56 which are set, 60 the LWP tree.
export const THR_SLOT: i32 = 64;
const T_STATE: i32 = 0;
const T_FRAME0: i32 = 4;     // + 4 * j for frame j
const T_FRAME2: i32 = 12;
const T_NEXT: i32 = 36;
const T_SP: i32 = 40;
export const T_TLS: i32 = 44;
export const T_TLS_SET: i32 = 56;
/** The LWP tree head the thread's RB node is in (lwptree.ts), 0 when in none. */
export const T_TREE: i32 = 60;

const RFPROC: i32 = 0x10;    // unistd.h: create a new process (else: change the current one)

/** Byte offsets of the pcb and the trapframe inside the stack's third frame. */
const PCB_IN_F2: i32 = KSTACK_PCB - 2 * PAGE_SIZE;   // 3488
const TF_IN_F2: i32 = KSTACK_TF - 2 * PAGE_SIZE;     // 3392

function slot(td: i32): i32 { return ld32(K + C_THR_TAB) + (td - 1) * THR_SLOT; }

/** The slot of a live thread, or 0 (cheap: a range check and the state word). */
function live(td: i32): i32 {
  if (td < 1 || td > ld32(K + C_THR_HWM)) return 0;
  const s = slot(td);
  return ld32(s + T_STATE) == 1 ? s : 0;
}

function kstackOf(td: i32): i32 {
  return (KSTACK_AREA + ((td - 1) % KSTACK_KVA_SLOTS) * KSTACK_STRIDE + PAGE_SIZE) | 0;
}

/** Whether td's stack is mapped in the kernel page tables (the first window of the kernel map). */
function mapped(td: i32): bool { return td <= KSTACK_KVA_SLOTS; }

/**
 * The byte offset of a KVA inside td's own kernel stack, or -1 when the address lies
 * outside it (or is not word aligned).
 */
function stackOff(kstack: i32, kva: i32): i32 {
  const off = (kva - kstack) | 0;
  return !ltu(off, KSTACK_SIZE - 3) || (off & 3) != 0 ? -1 : off;
}

/** The word at offset off of td's kernel stack: zero on a page that has no frame yet. */
function stackLoad(s: i32, off: i32): i32 {
  const f = ld32(s + T_FRAME0 + ((off >>> PAGE_SHIFT) << 2));
  return f == 0 ? 0 : pld32(f + (off & PAGE_MASK));
}

/**
 * The physical address of offset off of td's kernel stack for a write: the kernel's first
 * write to one of the two lower pages gives it a zeroed frame, mapped at its KVA. -1 when
 * no frame is to be had.
 */
function stackStorePa(td: i32, s: i32, off: i32): i32 {
  const j = off >>> PAGE_SHIFT;
  let f = ld32(s + T_FRAME0 + (j << 2));
  if (f == 0) {
    f = frameAlloc();
    if (f == 0) return -1;
    st32(s + T_FRAME0 + (j << 2), f);
    if (mapped(td)) pmap_kenter((kstackOf(td) + j * PAGE_SIZE) | 0, f);
  }
  return f + (off & PAGE_MASK);
}

export function threadsInit(): void {
  st32(K + C_THR_FREE, 0);
  st32(K + C_THR_HWM, 0);
  st32(K + C_THR_LIVE, 0);
}

/**
 * lwkt_alloc_thread + lwkt_init_thread + pmap_init_thread: a thread slot and a 12 KiB
 * kernel stack at its KVA, of which the third page (pcb, trapframe, the stack's top) gets
 * a zeroed frame now and the two below it one each when first written; td_sp = pcb - 16.
 * Returns the handle, or -ENOMEM with nothing taken.
 */
export function thread_alloc(): i32 {
  let td = ld32(K + C_THR_FREE);
  const hwm = ld32(K + C_THR_HWM);
  if (td == 0 && hwm >= ld32(K + C_THR_MAX)) return -ENOMEM;
  const f2 = frameAlloc();
  if (f2 == 0) return -ENOMEM;
  if (td != 0) {
    st32(K + C_THR_FREE, ld32(slot(td) + T_NEXT));
  } else {
    td = hwm + 1;
    st32(K + C_THR_HWM, td);
  }
  const s = slot(td);
  for (let i = 0; i < THR_SLOT; i += 4) st32(s + i, 0);
  st32(s + T_STATE, 1);
  st32(s + T_FRAME2, f2);
  const kstack = kstackOf(td);
  if (mapped(td)) pmap_kenter((kstack + 2 * PAGE_SIZE) | 0, f2);
  st32(s + T_SP, (kstack + KSTACK_SP0) | 0);
  st32(K + C_THR_LIVE, ld32(K + C_THR_LIVE) + 1);
  return td;
}

/** Unmaps and frees td's kernel stack and its slot: 0, or -EINVAL for a bad handle. */
export function thread_free(td: i32): i32 {
  const s = live(td);
  if (s == 0) return -EINVAL;
  if (ld32(s + T_TREE) != 0) return -EBUSY; // still in a process's LWP tree: remove it first
  const kstack = kstackOf(td);
  for (let j = 0; j < UPAGES; j++) {
    const f = ld32(s + T_FRAME0 + (j << 2));
    if (f == 0) continue;
    if (mapped(td)) pmap_kremove((kstack + j * PAGE_SIZE) | 0);
    frameUnref(f);
    st32(s + T_FRAME0 + (j << 2), 0);
  }
  st32(K + C_THR_LIVE, ld32(K + C_THR_LIVE) - 1);
  st32(s + T_STATE, 0);
  st32(s + T_SP, 0);
  st32(s + T_NEXT, ld32(K + C_THR_FREE));
  st32(K + C_THR_FREE, td);
  return 0;
}

export function thread_valid(td: i32): i32 { return live(td) != 0 ? 1 : 0; }

/**
 * Whether the next thread_alloc fails: every thread slot is in use, or no frame is free
 * for a stack's top page. 1 or 0.
 */
export function thread_table_full(): i32 {
  if (ld32(K + C_THR_FREE) == 0 && ld32(K + C_THR_HWM) >= ld32(K + C_THR_MAX)) return 1;
  return framesFree() == 0 ? 1 : 0;
}

/** Live threads. */
export function threads_used(): i32 { return ld32(K + C_THR_LIVE); }

// Kernel virtual addresses (0 for a bad handle).
export function thread_kstack(td: i32): i32 { return live(td) != 0 ? kstackOf(td) : 0; }
export function thread_pcb(td: i32): i32 { return live(td) != 0 ? (kstackOf(td) + KSTACK_PCB) | 0 : 0; }
export function thread_regs(td: i32): i32 { return live(td) != 0 ? (kstackOf(td) + KSTACK_TF) | 0 : 0; }
export function thread_sp(td: i32): i32 {
  const s = live(td);
  return s != 0 ? ld32(s + T_SP) : 0;
}

// Words of the pcb and the trapframe. The face checks td and the offset; the core only
// refuses a dead handle or an offset that would leave the structure (reads give 0).
export function pcb_get(td: i32, off: i32): i32 {
  const s = live(td);
  if (s == 0 || !ltu(off, SIZEOF_PCB - 3)) return 0;
  return pld32(ld32(s + T_FRAME2) + PCB_IN_F2 + off);
}
export function pcb_set(td: i32, off: i32, v: i32): void {
  const s = live(td);
  if (s == 0 || !ltu(off, SIZEOF_PCB - 3)) return;
  pst32(ld32(s + T_FRAME2) + PCB_IN_F2 + off, v);
}
export function tf_get(td: i32, off: i32): i32 {
  const s = live(td);
  if (s == 0 || !ltu(off, SIZEOF_TRAPFRAME - 3)) return 0;
  return pld32(ld32(s + T_FRAME2) + TF_IN_F2 + off);
}
export function tf_set(td: i32, off: i32, v: i32): void {
  const s = live(td);
  if (s == 0 || !ltu(off, SIZEOF_TRAPFRAME - 3)) return;
  pst32(ld32(s + T_FRAME2) + TF_IN_F2 + off, v);
}

/** Physical addresses of td's pcb and trapframe (td live). */
function pcbPa(s: i32): i32 { return ld32(s + T_FRAME2) + PCB_IN_F2; }
function tfPa(s: i32): i32 { return ld32(s + T_FRAME2) + TF_IN_F2; }

/**
 * The linear address of td's trapframe, or 0 for a dead handle: for the interpreter,
 * which reads and writes every register there at each run's start and stop, and for a
 * host that reads and writes them there itself (the kernel's syscall entry and return).
 * It stays put for the thread's life.
 */
export function tfLinear(td: i32): i32 {
  const s = live(td);
  return s == 0 ? 0 : (PHYS + tfPa(s)) | 0;
}

/**
 * cpu_fork(lp1, lp2, flags), reference §3.4: td2's pcb and trapframe from td1's, the
 * child's cr3 from pm2, and the switch-in frame on td2's stack. 0, or -EINVAL for a bad
 * handle (nothing changed).
 *
 * Forklab's stand-in for `struct lwp *lp2` (the argument fork_trampoline passes to the
 * handler, kept in pcb_ebx) is the kernel-stack KVA of td2: forklab has no struct lwp in
 * kernel memory, and the KVA is a kernel address that names the thread uniquely.
 */
export function cpu_fork(td1: i32, td2: i32, pm2: i32, flags: i32): i32 {
  const s1 = live(td1);
  if (s1 == 0) return -EINVAL;
  // (1) RFPROC clear: rfork on the current process. The kernel's only work here is to
  // unshare a user LDT (without RFMEM); forklab models no user LDTs, so there is nothing.
  if ((flags & RFPROC) == 0) return 0;
  const s2 = live(td2);
  if (s2 == 0 || pmap_valid(pm2) != 1) return -EINVAL;
  const cr3 = pmap_cr3(pm2);
  // (2) npxsave: no FPU state is ever live on a CPU in forklab, so nothing to save; the
  // pcb's save area is whatever the host put there, copied below like the rest.
  // (3) The whole pcb, 608 bytes (pcb_flags, pcb_onfault, the FPU save area included).
  const p2 = pcbPa(s2);
  if (s2 != s1) pcopy(p2, pcbPa(s1), SIZEOF_PCB);
  // (4, 5) md_regs = pcb2 - 16 - 80 = kstack2 + 11584; copy the parent's trapframe there.
  if (s2 != s1) pcopy(tfPa(s2), tfPa(s1), SIZEOF_TRAPFRAME);
  // (6) The child's kernel registers.
  const kstack2 = kstackOf(td2);
  pst32(p2 + PCB_CR3, cr3);
  pst32(p2 + PCB_EDI, 0);
  pst32(p2 + PCB_ESI, FORK_RETURN);
  pst32(p2 + PCB_EBP, 0);
  pst32(p2 + PCB_ESP, (kstack2 + KSTACK_RETSLOT) | 0);
  pst32(p2 + PCB_EBX, kstack2);                        // lp2: see the comment above
  pst32(p2 + PCB_EIP, FORK_TRAMPOLINE);
  // (7) The LWKT switch-in frame: PSL_USER for cpu_heavy_restore's popfl, and below it
  // the address the switcher's `ret` goes to; td_sp points at the latter.
  const f2 = ld32(s2 + T_FRAME2);
  pst32(f2 + (KSTACK_SWITCH_PSL - 2 * PAGE_SIZE), PSL_USER);
  pst32(f2 + (KSTACK_SWITCH_SP - 2 * PAGE_SIZE), CPU_HEAVY_RESTORE);
  st32(s2 + T_SP, (kstack2 + KSTACK_SWITCH_SP) | 0);
  // (8) No private TSS or I/O bitmap for the child.
  pst32(p2 + PCB_EXT, 0);
  // (9) pcb_ldt: forklab models no user LDTs (nothing to share or copy); the word stays
  // as copied. (10) td_tls: the TLS segments (their bases, and which are set).
  copy(s2 + T_TLS, s1 + T_TLS, 16);
  return 0;
}

/** cpu_set_fork_handler: the function fork_trampoline calls, and its argument. */
export function cpu_set_fork_handler(td: i32, func: i32, arg: i32): void {
  const s = live(td);
  if (s == 0) return;
  pst32(pcbPa(s) + PCB_ESI, func);
  pst32(pcbPa(s) + PCB_EBX, arg);
}

/**
 * cpu_prepare_lwp(lp, params) for sys_lwp_create: the new LWP starts at func on `stack`
 * with arg pushed and a NULL return address below it, and is switched in through
 * generic_lwp_return (skipping fork_return's eax/edx/carry edits). 0, or the copyout
 * error (-EFAULT), with tf_esp left where the kernel leaves it; -EINVAL for a bad handle.
 */
export function cpu_prepare_lwp(td: i32, pm: i32, func: i32, arg: i32, stack: i32): i32 {
  const s = live(td);
  if (s == 0 || pmap_valid(pm) != 1) return -EINVAL;
  const tf = tfPa(s);
  pst32(tf + TF_EIP, func);
  pst32(tf + TF_ESP, stack);
  pst32(tf + TF_ESP, (pld32(tf + TF_ESP) - 4) | 0);
  let error = copyout_word(pm, pld32(tf + TF_ESP), arg);
  if (error != 0) return error;
  pst32(tf + TF_ESP, (pld32(tf + TF_ESP) - 4) | 0);
  error = copyout_word(pm, pld32(tf + TF_ESP), 0);     // the fake return address
  if (error != 0) return error;
  cpu_set_fork_handler(td, GENERIC_LWP_RETURN, kstackOf(td));
  return 0;
}

/** fork_return's edits of the child's frame: it sees eax = 0, edx = 1, carry clear. */
export function fork_return(td: i32): void {
  const s = live(td);
  if (s == 0) return;
  const tf = tfPa(s);
  pst32(tf + TF_EAX, 0);
  pst32(tf + TF_EFLAGS, pld32(tf + TF_EFLAGS) & ~PSL_C);
  pst32(tf + TF_EDX, 1);
}

/**
 * The first switch-in of a thread cpu_fork prepared, run from the memory cpu_fork built:
 * the switcher `ret`s to the word at td_sp; unless that is cpu_heavy_restore, returns 0
 * and changes nothing. cpu_heavy_restore pops it and the eflags word, loads esp from
 * pcb_esp, writes pcb_eip into the word there and `ret`s to fork_trampoline, which calls
 * the handler in pcb_esi with pcb_ebx: fork_return edits the frame; generic_lwp_return
 * (and any other handler) changes nothing forklab models. fork_trampoline pops its
 * arguments, leaving td_sp at the trapframe (md_regs), from where doreti would return to
 * user mode. Returns the handler's address (0 for a bad handle).
 */
export function cpu_switchin(td: i32): i32 {
  const s = live(td);
  if (s == 0) return 0;
  const kstack = kstackOf(td);
  const spOff = stackOff(kstack, ld32(s + T_SP));
  if (spOff < 0 || stackLoad(s, spOff) != CPU_HEAVY_RESTORE) return 0;
  // The switcher's ret pops &cpu_heavy_restore; cpu_heavy_restore's popfl pops eflags
  // (not kept: forklab models no CPU flags in kernel mode).
  const pcb = pcbPa(s);
  const retOff = stackOff(kstack, pld32(pcb + PCB_ESP));
  if (retOff >= 0) {
    // movl PCB_EIP(%edx),%eax; movl %eax,(%esp): the kernel's stack write. On a lower page
    // with no frame and none free the real machine would have taken a double fault: the
    // switch-in does not happen (0, nothing changed).
    const retPa = stackStorePa(td, s, retOff);
    if (retPa == -1) return 0; // physical addresses above 2 GiB are negative i32s
    pst32(retPa, pld32(pcb + PCB_EIP));
  }
  // ret -> fork_trampoline: call *%esi with (%ebx, frame).
  const handler = pld32(pcb + PCB_ESI);
  if (handler == FORK_RETURN) fork_return(td);
  st32(s + T_SP, (kstack + KSTACK_TF) | 0);
  return handler;
}

/**
 * exec_setregs: a fresh user register set for the new image: trapframe zeroed, eip =
 * entry, esp = stack, eflags = PSL_USER | (tf_eflags & PSL_T), user code/data selectors,
 * ebx = ps_strings. The 2008 code reads tf_eflags after the bzero, so PSL_T never
 * survives and eflags is always 0x202: forklab does the same, in the same order.
 */
export function exec_setregs(td: i32, entry: i32, stack: i32, psStrings: i32): void {
  const s = live(td);
  if (s == 0) return;
  const tf = tfPa(s);
  pzero(tf, SIZEOF_TRAPFRAME);
  pst32(tf + TF_EIP, entry);
  pst32(tf + TF_ESP, stack);
  pst32(tf + TF_EFLAGS, PSL_USER | (pld32(tf + TF_EFLAGS) & PSL_T));
  pst32(tf + TF_CS, GSEL_UCODE);
  pst32(tf + TF_SS, GSEL_UDATA);
  pst32(tf + TF_DS, GSEL_UDATA);
  pst32(tf + TF_ES, GSEL_UDATA);
  pst32(tf + TF_FS, GSEL_UDATA);
  pst32(tf + TF_GS, GSEL_UDATA);
  pst32(tf + TF_EBX, psStrings);
  // The new image starts without TLS segments, and with the FPU as npxinit leaves it
  // (__INITIAL_NPXCW__, empty stack): forklab does at exec what the first FPU use would.
  fill(s + T_TLS, 0, 16);
  fpuInit((PHYS + pcbPa(s) + PCB_SAVEFPU) | 0);
}

/** The slot of live thread td, or 0: for the interpreter (the TLS segments). */
export function threadSlot(td: i32): i32 { return live(td); }

/** The linear address of td's FPU save area (pcb_save), or 0: for the interpreter. */
export function fpuLinear(td: i32): i32 {
  const s = live(td);
  return s == 0 ? 0 : (PHYS + pcbPa(s) + PCB_SAVEFPU) | 0;
}

/**
 * set_tls_area's machine-dependent half (reference userland §10.4): TLS segment `which`
 * (0..2) of td gets `base`, or is cleared when `set` is 0. 0, or -EINVAL. The selector the
 * kernel returns is ((15 + which) << 3) | 3; the interpreter gives %fs/%gs holding it this
 * base at its next run.
 */
export function thread_set_tls(td: i32, which: i32, base: i32, set: i32): i32 {
  const s = live(td);
  if (s == 0 || !ltu(which, 3)) return -EINVAL;
  const bit = 1 << which;
  st32(s + T_TLS + (which << 2), set != 0 ? base : 0);
  st32(s + T_TLS_SET, set != 0 ? ld32(s + T_TLS_SET) | bit : ld32(s + T_TLS_SET) & ~bit);
  return 0;
}

/** TLS segment `which` of td: its base, or 0 when unset (see thread_tls_set). */
export function thread_tls(td: i32, which: i32): i32 {
  const s = live(td);
  return s == 0 || !ltu(which, 3) ? 0 : ld32(s + T_TLS + (which << 2));
}

/** Whether td's TLS segment `which` is set (1) or not (0). */
export function thread_tls_set(td: i32, which: i32): i32 {
  const s = live(td);
  return s == 0 || !ltu(which, 3) ? 0 : (ld32(s + T_TLS_SET) >>> which) & 1;
}

/**
 * The linear address of td's retired-instruction count (64-bit, in __pcb_spare[0..1]), or 0:
 * the interpreter adds each run's count there and rdtsc reads it. Being in the pcb, it
 * comes along with cpu_fork's copy, so a child's clock continues from its parent's.
 */
export function tscLinear(td: i32): i32 {
  const s = live(td);
  return s == 0 ? 0 : (PHYS + pcbPa(s) + PCB_SPARE) | 0;
}
