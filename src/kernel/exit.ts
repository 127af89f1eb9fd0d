// exit1, lwp_exit and lwp_dispose (kern_exit.c 1.90, reference §6.11), sys_exit and
// sys_extexit, and the teardown forklab needs when a fork runs out of simulated memory.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Proc, Lwp, KGen, KRest } from "./proc.js";
import { PHOLD, PRELE } from "./proc.js";
import {
  P_WEXIT, P_PROFIL, P_TRACED, P_PPWAIT, LWP_WEXIT, LWP_WSTOP, TDF_EXITING, SIGKILL, SIGCHLD, NOTE_EXIT,
  PS_NOCLDWAIT, W_EXITCODE, EXTEXIT_SETINT, EXTEXIT_LWP, SIDL,
} from "./param.js";
import { EALREADY, EINVAL } from "./errno.js";
import { tsleep, wakeup } from "./synch.js";
import { remrunqueue } from "./sched.js";
import { ksignal } from "./signal.js";
import { crfree } from "./ucred.js";
import { chgproccnt, plimit_free } from "./resource.js";
import { fdfree } from "./filedesc.js";
import { vrele } from "./vfs.js";
import { vmspace_free } from "./vm.js";
import { proc_move_allproc_zombie, pgrp_orphaned, jobc_groups, orphanpg } from "./kern_proc.js";
import { KernelPanic } from "./panic.js";
import { calcru_proc, cyclesToUs } from "./kern_rusage.js";
import { itimers_exit } from "./kern_time.js";
import { releaseSyscallCtx } from "./syscall.js";

/**
 * exit(rval): W_EXITCODE(rval, 0) of the whole int, as 2008 had it (no & 0xff: exit(259)
 * gives 0x10300). The handler is exit1's own path (no generator of its own around it).
 */
export function sys_exit(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  return exit1(k, lp, W_EXITCODE(args[0] | 0, 0));
}

/** extexit(how, status, addr): optionally stores status at addr, then ends the process or the LWP. */
export function* sys_extexit(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [how, status, addr] = args;
  const action = how & 0xffff, who = how & 0xffff0000;
  if (action === EXTEXIT_SETINT) {
    const e = k.copyoutWord(lp.lwp_proc, addr, status);
    if (e) return e;
  } else if (action !== 0) {
    return EINVAL;
  }
  if (who === EXTEXIT_LWP) {
    if (lp.lwp_proc.p_nthreads > 1) {
      const rest = lwp_exit(k, lp, false);
      if (rest) yield* rest;
      return 0;
    }
  } else if (who !== 0) {
    return EINVAL;
  }
  yield* exit1(k, lp, W_EXITCODE(status | 0, 0));
  return 0;
}

/**
 * killalllwps(0): EALREADY when another LWP is already ending the process. Otherwise
 * every other LWP is marked exiting and killed, and the caller waits for them to go: that
 * wait is the KRest returned (null for a process with one LWP).
 */
function killalllwps(k: Kernel, lp: Lwp): KRest | typeof EALREADY {
  const p = lp.lwp_proc;
  if (p.p_flag & P_WEXIT) return EALREADY;
  p.p_flag |= P_WEXIT;
  lp.lwp_flag |= LWP_WEXIT;
  // p_nthreads counts the LWPs that have not exited (the invariants check it): when lp is
  // the only one, the tree holds no other to kill, and the walk is skipped.
  if (p.p_nthreads > 1) for (let t = k.firstLwp(p); t !== null; t = k.nextLwp(t)) {
    if (t === lp) continue;
    t.lwp_flag |= LWP_WEXIT;
    ksignal(k, p, SIGKILL, t);
  }
  return p.p_nthreads > 1 ? othersGone(k, lp) : null;
}

function* othersGone(k: Kernel, lp: Lwp): KGen<void> {
  const p = lp.lwp_proc;
  while (p.p_nthreads > 1) yield* tsleep(k, lp, k.nthreadsChan(p), 0, "killlwps", k.clock.hz);
}

/**
 * exit1(rv): the process becomes a zombie; its parent is told; this LWP never returns.
 * (The generator's value is 0, for sys_exit, whose handler it is.)
 */
export function* exit1(k: Kernel, lp: Lwp, rv: number): KGen<number> {
  const p = lp.lwp_proc;
  if (p.p_pid === 1) throw new KernelPanic(`init died (signal ${rv & 0x7f}, exit ${(rv >> 8) & 0xff})`);

  const killed = killalllwps(k, lp);
  if (killed === EALREADY) {
    const rest = lwp_exit(k, lp, false);
    if (rest) yield* rest;
    return 0;
  }
  if (killed) yield* killed;
  // caps_exit and aio rundown: not modeled. An RFTHREAD leader kills its peers and waits
  // until every one has unlinked itself (each exit1 wakes the leader).
  if (p.p_leader === p && p.p_peers) {
    for (let q: Proc | null = p.p_peers; q; q = q.p_peers) ksignal(k, q, SIGKILL);
    while (p.p_peers) yield* tsleep(k, lp, p, 0, "exit1", 0);
  }
  if (p.p_flag & P_PROFIL) p.p_flag &= ~P_PROFIL; // stopprofclock

  p.p_flag &= ~(P_TRACED | P_PPWAIT);
  p.p_siglist = 0n;
  lp.lwp_siglist = 0n;
  itimers_exit(k, p); // the realtimer's callout stops

  fdfree(p);
  p.p_fd = null;
  unlinkPeer(k, p);

  const vm = p.p_vmspace!;
  vm.vm_exitingcnt++;
  vmspace_free(k, vm);

  const sess = p.p_pgrp?.pg_session;
  if (sess && sess.s_leader === p) sess.s_leader = null; // no controlling tty to hang up
  if (p.p_textvp) { vrele(p.p_textvp); p.p_textvp = null; }

  // fixjobc(p, p_pgrp, 0): the groups this exit may orphan, and which already were
  // (only worth knowing once some process has stopped).
  const groups = k.stopsSeen ? jobc_groups(p) : null, wasOrphaned = groups?.map(pgrp_orphaned);

  const zombie = proc_move_allproc_zombie(k, lp, p);
  if (zombie) yield* zombie;

  /* Give the children to init. */
  const init = k.initproc!;
  if (p.p_children.length > 0) {
    wakeup(k, init);
    for (const q of p.p_children.toArray()) {
      p.p_children.remove(q.p_siblingNode!);
      q.p_pptr = init;
      q.p_siblingNode = init.p_children.insertHead(q);
      q.p_sigparent = SIGCHLD;
      if (q.p_flag & P_TRACED) { q.p_flag &= ~P_TRACED; ksignal(k, q, SIGKILL); }
    }
  }
  groups?.forEach((pg, i) => { if (!wasOrphaned![i] && pgrp_orphaned(pg)) orphanpg(k, pg); });

  /* Save exit status and final rusage info, adding in child rusage info and self times. */
  p.p_xstat = rv;
  calcru_proc(k, p, p.p_ru); // p_ru becomes the sum, in place
  p.p_ru.add(p.p_cru);
  k.KNOTE(p, NOTE_EXIT);

  let pp = p.p_pptr!;
  if (pp.p_sigacts && (pp.p_sigacts.ps_flag & PS_NOCLDWAIT)) {
    pp.p_children.remove(p.p_siblingNode!);
    p.p_pptr = init;
    p.p_siblingNode = init.p_children.insertHead(p);
    if (pp.p_children.length === 0) wakeup(k, pp);
    pp = init;
  }
  if (p.p_sigparent && pp !== init) ksignal(k, pp, p.p_sigparent);
  else ksignal(k, pp, SIGCHLD);
  if (k.events.wants("exit")) k.events.emit({ type: "exit", pid: p.p_pid, status: rv, parent: pp.p_pid });
  wakeup(k, pp);

  plimit_free(p);
  const rest = lwp_exit(k, lp, true);
  if (rest) yield* rest;
  return 0;
}

/**
 * lwp_exit(masterexit): a non-master LWP leaves the tree now; the master stays for
 * kern_wait. It first waits for lwp_lock to drain: that sleep and what follows it are the
 * KRest returned when there is one.
 */
export function lwp_exit(k: Kernel, lp: Lwp, masterexit: boolean): KRest {
  lp.lwp_flag |= LWP_WEXIT;
  if (lp.lwp_lock > 0) return lwpExitUnlocked(k, lp, masterexit);
  lwpExitNow(k, lp, masterexit);
  return null;
}

function* lwpExitUnlocked(k: Kernel, lp: Lwp, masterexit: boolean): KGen<void> {
  while (lp.lwp_lock > 0) yield* tsleep(k, lp, lp, 0, "lwpexit", 1);
  lwpExitNow(k, lp, masterexit);
}

function lwpExitNow(k: Kernel, lp: Lwp, masterexit: boolean): void {
  const p = lp.lwp_proc;
  // The LWP's counters go to p_ru. For the last LWP, exit1 has already counted them in
  // p_ru: they are counted twice (reference §6's derived quirk). A non-master LWP's times
  // go too, so RUSAGE_SELF keeps them.
  p.p_ru.addCounters(lp.lwp_ru);
  if (!masterexit) {
    p.p_ru.ru_utime += cyclesToUs(k, lp.lwp_thread.td_ucycles);
    p.p_ru.ru_stime += cyclesToUs(k, lp.lwp_thread.td_scycles);
  }
  PHOLD(p);
  // An LWP counted stopped (asleep when its process stopped) leaves the count with it.
  if (lp.lwp_flag & LWP_WSTOP) { lp.lwp_flag &= ~LWP_WSTOP; p.p_nstopped--; }
  if (!masterexit) {
    k.core.lwpRemove(p.p_lwp_tree, lp.td);
    --p.p_nthreads;
    wakeup(k, k.nthreadsChan(p));
  } else {
    --p.p_nthreads;
  }
  cpu_lwp_exit(k, lp);
  // The dead-LWP reaper: forklab disposes of a non-master LWP at once.
  if (!masterexit) lwp_dispose(k, lp);
}

/** cpu_lwp_exit: v_swtch++, TDF_EXITING, switched away for good. */
function cpu_lwp_exit(k: Kernel, lp: Lwp): void {
  k.cpus[lp.cpu].gd_cnt.v_swtch++;
  lp.lwp_thread.td_flags |= TDF_EXITING;
  remrunqueue(k, lp);
  lp.mode = "exited";
}

/** lwp_dispose: PRELE the process and free the thread (its kernel stack) and the LWP. */
export function lwp_dispose(k: Kernel, lp: Lwp): void {
  if ((lp.lwp_thread.td_flags & TDF_EXITING) === 0) throw new KernelPanic(`lwp_dispose: tid ${lp.lwp_tid} has not exited`);
  PRELE(lp.lwp_proc);
  k.lwps.delete(lp.td);
  releaseSyscallCtx(lp);
  // The raw export checks the handle itself: its error is the only check made.
  const err = k.core.x.thread_free(lp.td);
  if (err !== 0) throw new KernelPanic(`lwp_dispose: thread_free(${lp.td}) failed: ${err}`);
  k.wakeupMemory(); // a kernel stack and a thread slot are free again
  lp.mode = "exited";
}

function unlinkPeer(k: Kernel, p: Proc): void {
  const leader = p.p_leader;
  if (leader === p) return;
  for (let q: Proc | null = leader; q; q = q.p_peers) {
    if (q.p_peers === p) { q.p_peers = p.p_peers; break; }
  }
  wakeup(k, leader);
}

/**
 * forklab only: fork1 ran out of simulated memory after the child was linked in (the
 * 2008 kernel would wait for the pager instead). Undo, in reverse, what fork1 did.
 */
export function fork1_undo(k: Kernel, p1: Proc, p2: Proc): void {
  if (p2.p_stat !== SIDL) throw new KernelPanic(`fork1_undo: pid ${p2.p_pid} is not SIDL`);
  if (p2.p_vmspace) { vmspace_free(k, p2.p_vmspace); p2.p_vmspace = null; }
  if (p2.p_tracenode) p2.p_tracenode.refs--;
  p2.p_pptr!.p_children.remove(p2.p_siblingNode!);
  p2.p_siblingNode = null;
  k.pgrps.leavepgrp(p2);
  plimit_free(p2);
  fdfree(p2);
  p2.p_fd = null;
  if (p2.p_textvp) vrele(p2.p_textvp);
  if (--p2.p_sigacts!.ps_refcnt < 0) throw new KernelPanic("fork1_undo: sigacts refcount");
  if (p2.p_args) p2.p_args.ar_ref--;
  if (p1.p_peers === p2) p1.p_peers = p2.p_peers;
  chgproccnt(p2.p_ucred!.cr_ruidinfo, -1, 0);
  crfree(k.uids, p2.p_ucred!);
  k.procs.allproc.remove(p2.p_listNode!);
  k.procs.pidhash.delete(p2.p_pid);
  k.core.lwpTreeFree(p2.p_lwp_tree);
  k.nprocs--;
}
