// kern_fork.c rev 1.76, step by step: sys_fork, sys_vfork, sys_rfork, sys_lwp_create,
// fork1, lwp_fork, at_fork, rm_at_fork and start_forked_proc. Hold the seed
// (shared/seed/kern_fork.c) beside this file: the order of every step is the seed's.
// Where forklab must differ (it can run out of simulated memory where the kernel would
// wait for the pager) the comment says so.
import type { Kernel, SysMsg } from "./kernel.js";
import type { KGen, KRest } from "./proc.js";
import { Proc, Lwp, Thread, PHOLD, PRELE, copyLwpStartRegion } from "./proc.js";
import { List } from "./queue.js";
import {
  RFFDG, RFCFDG, RFPROC, RFMEM, RFNOWAIT, RFTHREAD, RFSIGSHARE, RFLINUXTHPN, RFPGLOCK, RFPPWAIT,
  RFKERNELONLY, SIDL, SACTIVE, LSRUN, P_PROFIL, P_JAILED, P_SUGID, P_CONTROLT, P_PPWAIT,
  LWP_ALTSTACK, LWP_WEXIT, TDF_EXITING, TDPRI_KERN_USER, KTRFAC_INHERIT, AFORK, NOTE_FORK,
  SIGUSR1, SIGCHLD, LK_SHARED, LK_RELEASE,
} from "./param.js";
import { EINVAL, EAGAIN, ERESTART, ENOMEM, EFAULT } from "./errno.js";
import { lockmgr, lockmgr_fast, LK_MAYSLEEP, crit_enter, crit_exit, Spinlock } from "./lock.js";
import { tsleep, tsleep_begin } from "./synch.js";
import { setrunqueue } from "./sched.js";
import { CURSIGNB } from "./signal.js";
import { crhold, jailed } from "./ucred.js";
import { chgproccnt, plimit_fork, plimit_lwp_fork, rlimToInt, RLIMIT_NPROC } from "./resource.js";
import { fdinit, fdcopy, fdshare, fdfree, filedesc_to_leader_alloc } from "./filedesc.js";
import { vref } from "./vfs.js";
import { vm_fork } from "./vm.js";
import { vm_fault_range } from "./vm_map.js";
import { ppsratecheck } from "./ratecheck.js";
import { proc_add_allproc } from "./kern_proc.js";
import { fork1_undo, lwp_dispose } from "./exit.js";

/** A fork callout registered with at_fork: fn(p1, p2, flags). */
export type ForklistFn = (p1: Proc, p2: Proc, flags: number) => void;

/** The `struct proc **procp` out-parameter of fork1. */
export interface ProcOut { p2: Proc | null }

const FORK_FLAGS = (RFFDG | RFPROC | RFPGLOCK) >>> 0;
const VFORK_FLAGS = (RFFDG | RFPROC | RFPPWAIT | RFMEM | RFPGLOCK) >>> 0;

export function* sys_fork(k: Kernel, lp: Lwp, _args: number[], msg: SysMsg): KGen<number> {
  const out: ProcOut = { p2: null };
  const error = yield* fork1(k, lp, FORK_FLAGS, out);
  if (error === 0) {
    const rest = start_forked_proc(k, lp, out.p2!);
    if (rest) yield* rest;
    msg.fds[0] = out.p2!.p_pid;
    msg.fds[1] = 0;
  }
  return error;
}

export function* sys_vfork(k: Kernel, lp: Lwp, _args: number[], msg: SysMsg): KGen<number> {
  const out: ProcOut = { p2: null };
  const error = yield* fork1(k, lp, VFORK_FLAGS, out);
  if (error === 0) {
    const rest = start_forked_proc(k, lp, out.p2!);
    if (rest) yield* rest;
    msg.fds[0] = out.p2!.p_pid;
    msg.fds[1] = 0;
  }
  return error;
}

/**
 * rfork { int flags }: may change the current process without creating one (RFPROC
 * clear), or create one that shares what the flags say. start_forked_proc runs only
 * when a process was created.
 */
export function* sys_rfork(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const flags = args[0] >>> 0;
  if (((flags & RFKERNELONLY) >>> 0) !== 0) return EINVAL;
  const out: ProcOut = { p2: null };
  const error = yield* fork1(k, lp, (flags | RFPGLOCK) >>> 0, out);
  if (error === 0) {
    const rest = out.p2 ? start_forked_proc(k, lp, out.p2) : null;
    if (rest) yield* rest;
    msg.fds[0] = out.p2 ? out.p2.p_pid : 0;
    msg.fds[1] = 0;
  }
  return error;
}

/** struct lwp_params (20 bytes): func, arg, stack, tid1, tid2. */
const LWP_PARAMS_SIZE = 20;

export function* sys_lwp_create(k: Kernel, lp0: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const p = lp0.lwp_proc;
  const raw = k.copyin(p, args[0], LWP_PARAMS_SIZE);
  if (!raw) return EFAULT; // fail2
  const dv = new DataView(raw.buffer, raw.byteOffset, LWP_PARAMS_SIZE);
  const params = {
    func: dv.getUint32(0, true), arg: dv.getUint32(4, true), stack: dv.getUint32(8, true),
    tid1: dv.getUint32(12, true), tid2: dv.getUint32(16, true),
  };

  plimit_lwp_fork(p); /* force exclusive access */
  const lp = lwp_fork(k, lp0, p, RFPROC);
  // forklab only: no kernel stack could be had (frames or thread slots ran out). The 2008
  // kernel would block in kmem_alloc; forklab returns EAGAIN, as pthread_create would.
  if (!lp) return EAGAIN;
  // cpu_prepare_lwp's two suword()s: a page not yet there (an mmap'd stack never touched)
  // is faulted in as trap_pfault does for the kernel's own accesses to user memory. A
  // copy-on-write page is left to the core's copyout, which copies it itself (and whose
  // failure rev 1.76 does not check).
  vm_fault_range(k, p, (params.stack - 8) >>> 0, 8, false);
  let error = k.core.cpuPrepareLwp(lp.td, p.p_vmspace!.vm_pmap, params.func, params.arg, params.stack);
  error = error < 0 ? -error : 0; // stored, but not checked before the tid copyouts (rev 1.76)
  let failed = false;
  if (params.tid1 !== 0 && (error = k.copyoutWord(p, params.tid1, lp.lwp_tid))) failed = true;
  else if (params.tid2 !== 0 && (error = k.copyoutWord(p, params.tid2, lp.lwp_tid))) failed = true;

  if (!failed) {
    /* Now schedule the new lwp. */
    resetpriority(lp);
    crit_enter(lp0.lwp_thread);
    lp.lwp_stat = LSRUN;
    setrunqueue(k, lp);
    crit_exit(lp0.lwp_thread);
    if (k.events.wants("lwp_create")) {
      k.events.emit({ type: "lwp_create", pid: p.p_pid, tid: lp.lwp_tid, creator: lp0.lwp_tid });
    }
    return 0;
  }

  // fail:
  k.core.lwpRemove(p.p_lwp_tree, lp.td);
  --p.p_nthreads;
  /* lwp_dispose expects an exited lwp, and a held proc */
  lp.lwp_flag |= LWP_WEXIT;
  lp.lwp_thread.td_flags |= TDF_EXITING;
  PHOLD(p);
  lwp_dispose(k, lp);
  return error;
}

/**
 * fork1(lp1, flags, procp). Returns the errno; on success out.p2 is the child, or
 * null when RFPROC was clear.
 */
export function* fork1(k: Kernel, lp1: Lwp, flags: number, out: ProcOut): KGen<number> {
  const p1 = lp1.lwp_proc;
  let p2: Proc;
  let pptr: Proc;
  let fdtol;
  flags = flags >>> 0;

  if (((flags & (RFFDG | RFCFDG)) >>> 0) === ((RFFDG | RFCFDG) >>> 0)) return EINVAL;

  /*
   * Here we don't create a new process, but we divorce
   * certain parts of a process from itself.
   */
  if ((flags & RFPROC) === 0) {
    /* This kind of stunt does not work anymore if there are native threads (lwps) running */
    if (p1.p_nthreads !== 1) return EINVAL;

    const vf = vm_fork(k, lp1, null, flags);
    const verr = typeof vf === "number" ? vf : yield* vf;
    if (verr) return verr; // forklab: out of simulated memory

    /* Close all file descriptors. */
    if (flags & RFCFDG) {
      const fdtmp = fdinit(p1);
      fdfree(p1);
      p1.p_fd = fdtmp;
    }

    /* Unshare file descriptors (from parent.) */
    if (flags & RFFDG) {
      if (p1.p_fd!.fd_refcnt > 1) {
        const newfd = fdcopy(p1);
        fdfree(p1);
        p1.p_fd = newfd;
      }
    }
    out.p2 = null;
    return 0;
  }

  /*
   * Interlock against process group signal delivery. If signals are pending after the
   * interlock is obtained we have to restart the system call to process the signals.
   * If we don't the child can miss a pgsignal (such as ^C) sent during the fork.
   */
  let error = 0;
  let pgrp = null;
  done: {
    if ((flags & RFPGLOCK) && (pgrp = p1.p_pgrp) !== null) {
      // (lockmgr_fast takes it when that cannot sleep: a fork makes no generator for it.)
      if (lockmgr_fast(k, lp1, pgrp.pg_lock, LK_SHARED) === LK_MAYSLEEP) {
        yield* lockmgr(k, lp1, pgrp.pg_lock, LK_SHARED);
      }
      if (CURSIGNB(lp1)) {
        error = ERESTART;
        break done;
      }
    }

    /*
     * Although process entries are dynamically created, we still keep a global limit on
     * the maximum number we will create. Don't allow a nonprivileged user to use the
     * last ten processes; don't let root exceed the limit.
     */
    const uid = p1.p_ucred!.cr_ruid;
    if ((k.nprocs >= k.tun.maxproc - 10 && uid !== 0) || k.nprocs >= k.tun.maxproc) {
      yield* forkLimitBackoff(k, lp1, uid, "maxproc");
      error = EAGAIN;
      break done;
    }
    /* Increment the nprocs resource before blocking can occur. */
    k.nprocs++;

    /*
     * Increment the count of procs running with this uid. Don't allow a nonprivileged
     * user to exceed their current limit. (fork1 passes the 64-bit rlim_cur to an int.)
     */
    const ok = chgproccnt(p1.p_ucred!.cr_ruidinfo, 1,
      uid !== 0 ? rlimToInt(p1.p_limit!.pl_rlimit[RLIMIT_NPROC].rlim_cur) : 0);
    if (!ok) {
      /* Back out the process count */
      k.nprocs--;
      yield* forkLimitBackoff(k, lp1, uid, "nproc");
      error = EAGAIN;
      break done;
    }

    /* Allocate new proc. */
    p2 = new Proc(new List<Proc>());
    // forklab: memory cannot hold the new process (no thread for it, or fewer free frames
    // than its kernel stack and page tables take). The kernel's allocations here would
    // wait for memory (vm_wait), and so does the fork, for a second at most; if no exit
    // freed enough by then, the allocation that finds nothing fails with ENOMEM, as one
    // out of simulated memory does (docs/kernel.md). Never a refusal at once, which a
    // bomb's children would retry in a tight loop.
    if (!forkFits(k, p1, flags)) {
      lp1.forkWaiting = true;
      yield* tsleep(k, lp1, k.vmPagesNeeded, 0, "vmwait", k.clock.hz);
      lp1.forkWaiting = false;
    }

    /* Setup linkage for kernel based threading XXX lwp */
    if (flags & RFTHREAD) {
      p2.p_peers = p1.p_peers;
      p1.p_peers = p2;
      p2.p_leader = p1.p_leader;
    } else {
      p2.p_leader = p2;
    }

    p2.p_lwp_tree = k.core.x.lwptree_alloc(); // RB_INIT
    if (p2.p_lwp_tree === 0) {
      // forklab only: the core's tree heads (one per thread slot) are all in use, so no
      // thread could be had either. Back out the linkage and the counts, and fail.
      if (flags & RFTHREAD) p1.p_peers = p2.p_peers;
      chgproccnt(p1.p_ucred!.cr_ruidinfo, -1, 0);
      k.nprocs--;
      error = ENOMEM;
      break done;
    }
    p2.p_spin = new Spinlock("p_spin");
    p2.p_lasttid = -1; /* first tid will be 0 */

    /* Setting the state to SIDL protects the partially initialized process. */
    p2.p_stat = SIDL;
    proc_add_allproc(k, p2);

    /* Make a proc table entry for the new process: copy the startcopy section. */
    p2.copyStartRegion(p1);

    /* Duplicate sub-structures as needed. Increase reference counts on shared objects. */
    if (p1.p_flag & P_PROFIL) startprofclock(p2);
    p2.p_ucred = crhold(p1.p_ucred!);

    if (jailed(p2.p_ucred)) p2.p_flag |= P_JAILED;

    if (p2.p_args) p2.p_args.ar_ref++;

    p2.p_usched = p1.p_usched;

    if (flags & RFSIGSHARE) {
      p2.p_sigacts = p1.p_sigacts;
      p2.p_sigacts!.ps_refcnt++;
    } else {
      p2.p_sigacts = p1.p_sigacts!.copy();
      p2.p_sigacts.ps_refcnt = 1;
    }
    if (flags & RFLINUXTHPN) p2.p_sigparent = SIGUSR1;
    else p2.p_sigparent = SIGCHLD;

    /* bump references to the text vnode (for procfs) */
    p2.p_textvp = p1.p_textvp;
    if (p2.p_textvp) vref(p2.p_textvp);

    /* Handle file descriptors */
    if (flags & RFCFDG) {
      p2.p_fd = fdinit(p1);
      fdtol = null;
    } else if (flags & RFFDG) {
      p2.p_fd = fdcopy(p1);
      fdtol = null;
    } else {
      p2.p_fd = fdshare(p1);
      if (p1.p_fdtol === null) p1.p_fdtol = filedesc_to_leader_alloc(null, p1.p_leader);
      if ((flags & RFTHREAD) !== 0) {
        /* Shared file descriptor table and shared process leaders. */
        fdtol = p1.p_fdtol;
        fdtol.fdl_refcount++;
      } else {
        /* Shared file descriptor table, and different process leaders */
        fdtol = filedesc_to_leader_alloc(p1.p_fdtol, p2);
      }
    }
    p2.p_fdtol = fdtol;
    p2.p_limit = plimit_fork(p1);

    /* Preserve some more flags in subprocess. P_PROFIL has already been preserved. */
    p2.p_flag |= p1.p_flag & P_SUGID;
    if (p1.p_pgrp!.pg_session.s_ttyvp !== null && (p1.p_flag & P_CONTROLT)) p2.p_flag |= P_CONTROLT;
    if (flags & RFPPWAIT) p2.p_flag |= P_PPWAIT;

    /* Inherit the virtual kernel structure: forklab models no vkernels (p_vkernel is null). */

    /* Once we are on a pglist we may receive signals. */
    k.pgrps.insertAfter(p1, p2);

    /*
     * Attach the new process to its parent. If RFNOWAIT is set, the newly created
     * process becomes a child of init.
     */
    if (flags & RFNOWAIT) pptr = k.initproc!;
    else pptr = p1;
    p2.p_pptr = pptr;
    p2.p_siblingNode = pptr.p_children.insertHead(p2);
    // LIST_INIT(&p2->p_children) happened at allocation.
    // varsymset_init: a copy of p1's set (p2's own empty one is made when first used).
    if (p1.hasVarsyms()) p2.p_varsymset = new Map(p1.p_varsymset);
    // callout_init(&p2->p_ithandle): forklab has no interval timers.

    /* KTRACE: copy traceflag and tracefile if enabled. */
    if ((p1.p_traceflag & KTRFAC_INHERIT) && p2.p_tracenode === null) {
      p2.p_traceflag = p1.p_traceflag;
      p2.p_tracenode = p1.p_tracenode;
      if (p2.p_tracenode) p2.p_tracenode.refs++; // ktrinherit
    }

    /* This begins the section where we must prevent the parent from being swapped. */
    PHOLD(p1);

    const vf = vm_fork(k, lp1, p2, flags);
    const verr = typeof vf === "number" ? vf : yield* vf;

    /*
     * Create the first lwp associated with the new proc. It will return via a different
     * execution path later, directly into userland, after it was put on the runq by
     * start_forked_proc().
     */
    const lp2 = verr ? null : lwp_fork(k, lp1, p2, flags);
    if (!lp2) {
      // forklab only: simulated memory ran out for the address space or the kernel
      // stack. Tear the half-built child down the way wait4 reaps, and fail.
      PRELE(p1);
      fork1_undo(k, p1, p2);
      error = ENOMEM;
      break done;
    }

    const gd = k.cpus[lp1.cpu].gd_cnt; // mycpu
    const pages = p2.p_vmspace!.vm_dsize + p2.p_vmspace!.vm_ssize;
    if (flags === FORK_FLAGS) {
      gd.v_forks++;
      gd.v_forkpages += pages;
    } else if (flags === VFORK_FLAGS) {
      gd.v_vforks++;
      gd.v_vforkpages += pages;
    } else if (p1 === k.proc0) {
      gd.v_kthreads++;
      gd.v_kthreadpages += pages;
    } else {
      gd.v_rforks++;
      gd.v_rforkpages += pages;
    }

    /* Both processes are set up, now check if any loadable modules want to adjust anything. */
    for (const fn of k.fork_list) fn(p1, p2, flags);

    // forklab's cost model: a fork costs a fixed amount plus a little per page mapped.
    k.charge(k.tun.cost.fork + k.tun.cost.perPte * k.core.resident(p2.p_vmspace!.vm_pmap));

    /* Set the start time. The caller is responsible for making it runnable. */
    p2.p_start = k.clock.microtime();
    p2.p_acflag = AFORK;

    /* tell any interested parties about the new process */
    k.KNOTE(p1, NOTE_FORK | p2.p_pid);

    if (k.events.wants("fork")) {
      k.events.emit({ type: "fork", parent: p1.p_pid, child: p2.p_pid, flags, tid: lp1.lwp_tid });
    }
    /* Return child proc pointer to parent. */
    out.p2 = p2;
  }
  // done:
  if (pgrp) lockmgr_fast(k, lp1, pgrp.pg_lock, LK_RELEASE); // lockmgr: a release never sleeps
  return error;
}

/**
 * The refusal path of both limit checks: the rate-limited message (ppsratecheck with
 * maxpps 1: the first refusal in each hz-tick window prints), then tsleep on forksleep
 * for hz/2 ticks. Nobody wakes forksleep: it is a pure delay that throttles a fork bomb.
 */
function* forkLimitBackoff(k: Kernel, lp1: Lwp, uid: number, which: "maxproc" | "nproc"): KGen<void> {
  const printed = ppsratecheck(k.forkRate, 1, k.clock.ticks, k.clock.hz);
  if (printed) {
    k.kprintf(`maxproc limit exceeded by uid ${uid | 0}, please see tuning(7) and login.conf(5).\n`); // %d
  }
  if (k.events.wants("limit")) {
    k.events.emit({ type: "limit", pid: lp1.lwp_proc.p_pid, uid, which, printed });
  }
  // tsleep without its generator: a bomb's refused forkers all sleep here at once.
  const s = tsleep_begin(k, lp1, k.forksleep, 0, "fork", Math.floor(k.clock.hz / 2));
  if (typeof s !== "number") yield s;
}

/** startprofclock: profiling clocks are not modeled; the flag is what fork1 copies. */
function startprofclock(p: Proc): void { p.p_flag |= P_PROFIL; }

/** usched_bsd4's resetpriority: forklab's scheduler is FIFO, so there is nothing to compute. */
function resetpriority(_lp: Lwp): void {}

/** usched_bsd4 heuristic_forking: the child inherits estcpu + ESTCPUPPQ, capped at ESTCPUMAX. */
function heuristic_forking(origlp: Lwp, lp: Lwp): void {
  const ESTCPUPPQ = 512, ESTCPUMAX = 16384;
  lp.lwp_estcpu = Math.min(origlp.lwp_estcpu + ESTCPUPPQ, ESTCPUMAX);
  lp.lwp_origcpu = lp.lwp_estcpu;
  origlp.lwp_estcpu = Math.min(origlp.lwp_estcpu + ESTCPUPPQ, ESTCPUMAX);
}

/** User page tables an address space can have (PDEs 0..766). */
const NUPT = 767;

/**
 * Whether memory holds what fork takes at least: a thread (its stack's top frame) and,
 * unless RFMEM shares the address space, a page directory and a copy of each page
 * table of p1 (and under "copy" each resident page). The kernel's core has a thread slot
 * per frame, so a free frame means a free slot; with more frames free than any fork but
 * a "copy" takes, one call into the core answers.
 */
function forkFits(k: Kernel, p1: Proc, flags: number): boolean {
  const free = k.core.framesFree();
  const newSpace = (flags & (RFPROC | RFMEM)) === RFPROC;
  if (free > 2 + NUPT && !(newSpace && k.tun.strategy === "copy")) return true;
  if (k.core.x.thread_table_full() !== 0) return false;
  let need = 1;
  if (newSpace) {
    const pm = p1.p_vmspace!.vm_pmap;
    need += 1 + k.core.x.pmap_ptcount(pm) + (k.tun.strategy === "copy" ? k.core.x.pmap_resident(pm) : 0);
  }
  return free >= need;
}

/**
 * lwp_fork(origlp, destproc, flags). forklab allocates the LWP's core slot, which holds
 * both its RB node and its kernel stack, where the kernel zallocs the lwp; null when no
 * frames are left for the stack (forklab only: the kernel would wait).
 */
export function lwp_fork(k: Kernel, origlp: Lwp, destproc: Proc, flags: number): Lwp | null {
  const tdh = k.core.threadAlloc();
  if (tdh < 0) return null;
  const lp = new Lwp(destproc); // zalloc(lwp_zone) + bzero

  lp.lwp_proc = destproc;
  lp.lwp_vmspace = destproc.p_vmspace;
  lp.lwp_stat = LSRUN;
  copyLwpStartRegion(lp, origlp);
  lp.lwp_flag |= origlp.lwp_flag & LWP_ALTSTACK;
  /*
   * Set cpbase to the last timeout that occured (not the upcoming timeout). A critical
   * section is required since a timer IPI can update scheduler specific data.
   */
  const curtd = origlp.lwp_thread;
  crit_enter(curtd);
  const mycpu = k.cpus[origlp.cpu];
  lp.lwp_cpbase = mycpu.gd_schedclock.time - mycpu.gd_schedclock.periodic;
  heuristic_forking(origlp, lp);
  crit_exit(curtd);
  lp.lwp_cpumask &= k.usched_mastermask;

  /* Assign a TID to the lp. Loop until the insert succeeds (returns NULL). */
  lp.lwp_tid = destproc.p_lasttid;
  do {
    lp.lwp_tid = (lp.lwp_tid + 1) | 0;
    if (lp.lwp_tid < 0) lp.lwp_tid = 1;
  } while (k.core.lwpInsert(destproc.p_lwp_tree, tdh, lp.lwp_tid) !== 0);
  destproc.p_lasttid = lp.lwp_tid;
  destproc.p_nthreads++;

  const td = new Thread(tdh); // lwkt_alloc_thread(NULL, LWKT_THREAD_STACK, -1, 0)
  td.td_pri = 44;             // lwkt_init_thread: TDPRI_KERN_DAEMON + TDPRI_CRIT
  lp.lwp_thread = td;
  td.td_proc = destproc;
  td.td_lwp = lp;
  // td_switch = cpu_heavy_switch: the core's switch-in frame is what cpu_fork builds.
  td.td_pri = (td.td_pri & ~31) | TDPRI_KERN_USER; // lwkt_setpri keeps the critical bits: 42
  td.td_comm = destproc.p_comm;
  k.lwps.set(tdh, lp);

  /* cpu_fork will copy and update the pcb, set up the kernel stack, and make the child ready to run. */
  k.core.cpuFork(origlp.td, tdh, destproc.p_vmspace!.vm_pmap, flags | 0);
  // caps_fork: the CAPS IPC of 2008 is not modeled.
  lp.mode = "new";
  return lp;
}

/**
 * at_fork(): puts a function on the fork callout list (not twice: the INVARIANTS kernel
 * removes and warns). Returns 0.
 */
export function at_fork(k: Kernel, fn: ForklistFn): number {
  if (rm_at_fork(k, fn)) k.kprintf(`WARNING: fork callout entry (${fn.name || "anonymous"}) already present\n`);
  k.fork_list.push(fn);
  return 0;
}

/** rm_at_fork(): removes it; returns the number removed (0 or 1). */
export function rm_at_fork(k: Kernel, fn: ForklistFn): number {
  const i = k.fork_list.indexOf(fn);
  if (i < 0) return 0;
  k.fork_list.splice(i, 1);
  return 1;
}

/**
 * start_forked_proc: moves the child from SIDL to the run queue, releases the parent's
 * hold, and (vfork) sleeps on the parent proc until the child execs or exits: that sleep
 * is the KRest returned, null for any other fork.
 */
export function start_forked_proc(k: Kernel, lp1: Lwp, p2: Proc): KRest {
  const lp2 = k.ONLY_LWP_IN_PROC(p2);

  if (p2.p_stat !== SIDL) throw new Error(`cannot start forked process, bad status: pid ${p2.p_pid}`);
  resetpriority(lp2);
  crit_enter(lp1.lwp_thread);
  p2.p_stat = SACTIVE;
  lp2.lwp_stat = LSRUN;
  setrunqueue(k, lp2);
  crit_exit(lp1.lwp_thread);

  /* Now can be swapped. */
  PRELE(lp1.lwp_proc);

  /* Preserve synchronization semantics of vfork. */
  return (p2.p_flag & P_PPWAIT) ? ppwait(k, lp1, p2) : null;
}

function* ppwait(k: Kernel, lp1: Lwp, p2: Proc): KGen<void> {
  while (p2.p_flag & P_PPWAIT) yield* tsleep(k, lp1, lp1.lwp_proc, 0, "ppwait", 0);
}
