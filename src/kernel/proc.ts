// struct proc, struct lwp and struct thread (sys/proc.h 1.116, sys/thread.h 1.92), with
// the fields the fork paths touch, named as the kernel names them. The machine state of
// each thread (kernel stack, pcb, trapframe) lives in the Wasm core's simulated memory;
// the structures here hold the core handles.
import type { List, ListNode } from "./queue.js";
import type { Ucred } from "./ucred.js";
import type { Pgrp } from "./pgrp.js";
import type { Sigacts, Sigset } from "./signal.js";
import type { Vmspace } from "./vm.js";
import type { Filedesc, FiledescToLeader } from "./filedesc.js";
import type { Plimit } from "./resource.js";
import type { Vnode } from "./vfs.js";
import type { ProgramImage } from "./image.js";
import { SIDL } from "./param.js";
import type { Callout } from "./clock.js";
import type { Spinlock } from "./lock.js";
import type { SyscallCtx } from "./syscall.js";
import { Rusage } from "./kern_rusage.js";
import type { Itimers } from "./kern_time.js";

/** The generator a thread runs while it is in the kernel; it yields when it sleeps. */
export type KGen<T = number> = Generator<SleepMark, T, number>;
/** What a sleeping kernel generator yields (tsleep is the only place that yields). */
export interface SleepMark { readonly sleeping: true }
/**
 * What a kernel function that seldom sleeps returns: null when it ran to its end, or a
 * generator with the rest of it (from its first sleep on), which the caller runs before
 * going on: `const rest = f(...); if (rest) yield* rest;`. Such a function is a plain one,
 * so its usual case makes no generator: every fork and exit passes through several, and a
 * generator costs V8 tens of nanoseconds and a few hundred bytes.
 */
export type KRest = KGen<void> | null;
/**
 * The same for a function with a result: the result, or the generator that produces it
 * after sleeping: `const r = f(...); const v = typeof r === "number" ? r : yield* r;`.
 */
export type KMaybe<T extends number> = T | KGen<T>;

/** struct thread: an LWKT thread; td is the core's thread (kernel stack) handle. */
export class Thread {
  td_flags = 0;
  td_pri = 0;
  /** crit_enter() nesting (DragonFly keeps it in td_pri; a count reads plainer). */
  td_critcount = 0;
  /** Spinlocks held: tsleep under one is a bug that must fail loudly. */
  td_spinlocks = 0;
  /** lockmgr locks held: leaving a syscall with one held fails loudly. */
  td_locks = 0;
  td_lwp: Lwp | null = null;
  td_proc: Proc | null = null;
  td_comm = "";
  /**
   * Cycles charged in user and in system mode (forklab counts cycles of the cost model
   * where DragonFly counts td_uticks/td_sticks microseconds per statclock tick).
   */
  td_ucycles = 0;
  td_scycles = 0;
  constructor(readonly td: number) {}
}

/** Where an LWP is when it is not sleeping in the kernel. */
export type LwpMode =
  | "new"      // forked, never switched in: its first switch-in runs fork_return
  | "user"     // in user mode: runs its program, or waits for API calls if it has none
  | "kernel"   // in a syscall (kgen holds the rest of it)
  | "exited";

export class Lwp {
  // Fields before the copy region are zero in a new LWP (lwp_fork bzero's it).
  lwp_rbnode = 0;                 // the RB node lives in the core's thread slot
  lwp_proc: Proc;
  lwp_vmspace: Vmspace | null = null;
  lwp_tid = 0;
  lwp_flag = 0;
  lwp_stat = 0;
  lwp_lock = 0;
  lwp_cpbase = 0;
  lwp_estcpu = 0;
  lwp_origcpu = 0;
  /** The trap signal and its code kept for postsig (trapsignal of a masked signal). */
  lwp_sig = 0;
  lwp_code = 0;
  /** This LWP's counters (faults, context switches, signals); times are on its thread. */
  lwp_ru = new Rusage();
  // The copy region (lwp_startcopy .. lwp_endcopy): lwp_fork bcopy's it from the parent.
  lwp_cpumask = -1;
  lwp_siglist: Sigset = 0n;       // pending on this LWP: inherited at rev 1.76
  lwp_oldsigmask: Sigset = 0n;
  lwp_sigmask: Sigset = 0n;
  lwp_sigstk = { ss_sp: 0, ss_size: 0, ss_flags: 0 };
  lwp_rtprio = { type: 0, prio: 0 };
  /**
   * The thread's TLS descriptors (td_tls, struct i386tls: set_tls_area's three slots, each
   * {base, size} or null when unset). The selector of slot i is ((15 + i) << 3) | 3
   * (0x7B, 0x83, 0x8B): a %gs loaded with one has slot i's base. Copied at fork.
   */
  lwp_tls: ({ base: number; size: number } | null)[] = [null, null, null];
  // lwp_md.md_regs is the core's trapframe; lwp_thread is below.
  lwp_thread!: Thread;

  // Emulator state, not in struct lwp.
  mode: LwpMode = "new";
  /** The rest of the kernel path it is on (a syscall's handler, a trap's), while mode is "kernel". */
  kgen: KGen<unknown> | null = null;
  /**
   * The syscall this LWP is in, from syscall2 until it returns; its handler runs as kgen
   * from the first resume on.
   */
  sys: SyscallCtx | null = null;
  /** The context object sys points at, kept for the next syscall. */
  sysctx: SyscallCtx | null = null;
  /** tsleep's return value, handed to kgen when it resumes. */
  wakeResult = 0;
  wchan: object | null = null;
  wmesg = "";
  sleepFlags = 0;
  slpTimeout: Callout | null = null;
  /**
   * fork1 waits for memory before the new process exists (fork.ts): it has counted the
   * child in nprocs and against its uid already.
   */
  forkWaiting = false;
  /** The sleep queue it is on (synch.ts), and its neighbours there, while asleep. */
  slpQ: object | null = null;
  slpPrev: Lwp | null = null;
  slpNext: Lwp | null = null;
  /** The virtual CPU whose run queue holds this LWP, when it is runnable. */
  cpu = 0;
  onRunq = false;
  /** The result of the last completed syscall made through the Node API. */
  lastSyscall: SyscallOutcome | null = null;

  constructor(p: Proc) { this.lwp_proc = p; }

  /** The core thread handle (its kernel stack). */
  get td(): number { return this.lwp_thread.td; }
}

export interface SyscallOutcome { code: number; error: number; rv: [number, number] }

/** struct proc */
export class Proc {
  p_pid = 0;
  p_stat = 0;
  p_flag = 0;
  p_pptr: Proc | null = null;
  p_children: List<Proc>;
  p_siblingNode: ListNode<Proc> | null = null;
  p_listNode: ListNode<Proc> | null = null;   // allproc or zombproc
  p_pglistNode: ListNode<Proc> | null = null; // pg_members
  p_peers: Proc | null = null;                // RFTHREAD linkage
  p_leader: Proc;
  p_lwp_tree = 0;                             // core RB head (linear address)
  p_spin: Spinlock | null = null;
  p_nthreads = 0;
  /** LWPs counted stopped (LWP_WSTOP): when all are, the parent hears of the stop. */
  p_nstopped = 0;
  p_lasttid = 0;
  p_ucred: Ucred | null = null;
  p_limit: Plimit | null = null;
  p_fd: Filedesc | null = null;
  p_fdtol: FiledescToLeader | null = null;
  p_sigacts: Sigacts | null = null;
  p_siglist: Sigset = 0n;
  p_sigparent = 0;
  p_vmspace: Vmspace | null = null;
  p_textvp: Vnode | null = null;
  p_traceflag = 0;
  p_tracenode: { refs: number; name: string } | null = null;
  p_xstat = 0;
  p_acflag = 0;
  p_start = 0;                 // microtime at fork, in virtual microseconds
  p_usched = "bsd4";
  /** varsymset: made at its first use (a Map per fork is not free, and few processes have one). */
  get p_varsymset(): Map<string, string> { return (this.varsyms ??= new Map()); }
  set p_varsymset(m: Map<string, string>) { this.varsyms = m; }
  private varsyms: Map<string, string> | null = null;
  /** Whether the varsymset holds anything (without making one). */
  hasVarsyms(): boolean { return (this.varsyms?.size ?? 0) > 0; }
  p_klist: ((hint: number) => void)[] = [];
  p_oppid = 0;
  p_vkernel: object | null = null;
  /** Exited LWPs' totals; at exit, the whole process's final figure (kern_rusage.ts). */
  p_ru = new Rusage();
  /** The reaped children's p_ru, summed (RUSAGE_CHILDREN). */
  p_cru = new Rusage();
  /** p_realtimer, p_timer[VIRTUAL, PROF] and p_ithandle: made at the first setitimer. */
  p_itimers: Itimers | null = null;
  // The startcopy region (p_comm .. p_args): fork1 bcopy's it from the parent.
  p_comm = "";
  p_lock = 0;                  // PHOLD count: inside the copy region at rev 1.76
  p_nice = 0;
  p_pgrp: Pgrp | null = null;
  p_sysent = "dragonfly-i386";
  p_prof = { pr_base: 0, pr_size: 0, pr_off: 0, pr_scale: 0 };
  p_rtprio = { type: 0, prio: 0 };
  p_args: { ar_ref: number; ar_args: string[] } | null = null;

  // Emulator state: the program this process runs in user mode (null for a bare process
  // driven through the Node API).
  image: ProgramImage | null = null;

  constructor(children: List<Proc>) {
    this.p_children = children;
    this.p_leader = this;
    this.p_stat = SIDL;
  }

  /** The startcopy region, copied by fork1's bcopy. */
  copyStartRegion(from: Proc): void {
    this.p_comm = from.p_comm;
    this.p_lock = from.p_lock;
    this.p_nice = from.p_nice;
    this.p_pgrp = from.p_pgrp;
    this.p_sysent = from.p_sysent;
    // Into this proc's own (fresh) structures, field by field: no new objects per fork.
    const pr = this.p_prof, fpr = from.p_prof;
    pr.pr_base = fpr.pr_base; pr.pr_size = fpr.pr_size; pr.pr_off = fpr.pr_off; pr.pr_scale = fpr.pr_scale;
    this.p_rtprio.type = from.p_rtprio.type;
    this.p_rtprio.prio = from.p_rtprio.prio;
    this.p_args = from.p_args;
    // Emulator state, not in the C region: the child runs the parent's program (its text
    // is in the address space vm_fork copies or shares), a bare parent's child is bare.
    this.image = from.image;
  }
}

/** lwp_fork's bcopy of the copy region. */
export function copyLwpStartRegion(to: Lwp, from: Lwp): void {
  to.lwp_cpumask = from.lwp_cpumask;
  to.lwp_siglist = from.lwp_siglist;
  to.lwp_oldsigmask = from.lwp_oldsigmask;
  to.lwp_sigmask = from.lwp_sigmask;
  // Into the new LWP's own structures, field by field: no new objects per fork.
  const ss = to.lwp_sigstk, fss = from.lwp_sigstk;
  ss.ss_sp = fss.ss_sp; ss.ss_size = fss.ss_size; ss.ss_flags = fss.ss_flags;
  to.lwp_rtprio.type = from.lwp_rtprio.type;
  to.lwp_rtprio.prio = from.lwp_rtprio.prio;
  if (from.lwp_tls[0] || from.lwp_tls[1] || from.lwp_tls[2]) to.lwp_tls = from.lwp_tls.map((t) => (t ? { ...t } : null));
}

/** PHOLD/PRELE just count (reference §2.4). */
export function PHOLD(p: Proc): void { p.p_lock++; }
export function PRELE(p: Proc): void {
  if (p.p_lock <= 0) throw new Error(`PRELE: pid ${p.p_pid} is not held (p_lock ${p.p_lock})`);
  p.p_lock--;
}
