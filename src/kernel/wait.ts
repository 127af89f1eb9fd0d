// kern_wait and wait4 (kern_exit.c 1.90, reference §6.13): find a child that matches,
// reap a zombie (chgproccnt(-1), nprocs--, every structure freed), report a stopped
// child (WUNTRACED) or a continued one (WCONTINUED), or sleep on the caller's proc until
// exit1's, proc_stop's or SIGCONT's wakeup.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Proc, Lwp, KGen } from "./proc.js";
import {
  WNOHANG, WUNTRACED, WCONTINUED, WLINUXCLONE, WAIT_ANY, SZOMB, SSTOP, SIGCHLD, SIGCONT, PCATCH,
  P_WAITED, P_TRACED, P_CONTINUED, W_STOPCODE,
} from "./param.js";
import { EINVAL, ECHILD } from "./errno.js";
import { tsleep, tsleep_begin } from "./synch.js";
import { crfree } from "./ucred.js";
import { chgproccnt } from "./resource.js";
import { proc_remove_zombie } from "./kern_proc.js";
import { lwp_dispose } from "./exit.js";
import { vmspace_exitfree } from "./vm.js";
import { tstop } from "./signal.js";
import { Rusage } from "./kern_rusage.js";

/** What kern_wait reaped or reported: the pid, its status and, when asked for, its rusage. */
export interface WaitResult { pid: number; status: number; rusage?: Rusage }

/**
 * The rusage a stop or continue report copies out. kern_wait zeroes only
 * sizeof(pointer) bytes of it (bzero(ru, sizeof(ru))), leaving the rest of sys_wait4's
 * uninitialised stack copy; forklab's kernel stack has no such leftovers, so all of it
 * reads 0.
 */
const NO_RUSAGE = new Rusage();

export function* kern_wait(k: Kernel, lp: Lwp, pid: number, options: number, res: WaitResult): KGen<number> {
  const q = lp.lwp_proc;
  if (pid === 0) pid = -q.p_pgrp!.pg_id;
  if (((options >>> 0) & ~((WUNTRACED | WNOHANG | WCONTINUED | WLINUXCLONE) >>> 0)) !== 0) return EINVAL;
  const linuxclone = ((options & WLINUXCLONE) >>> 0) !== 0;
  for (;;) {
    while (q.p_stat === SSTOP) yield* tstop(k, lp);
    let nfound = 0;
    // LIST_FOREACH over the nodes: no iterator objects on the path of every wait4.
    for (let n = q.p_children.first; n !== null; n = n.next) {
      const p = n.value;
      if (pid !== WAIT_ANY && p.p_pid !== pid && p.p_pgrp!.pg_id !== -pid) continue;
      /* RFLINUXTHPN children are only seen with WLINUXCLONE. */
      if ((p.p_sigparent !== SIGCHLD) !== linuxclone) continue;
      nfound++;
      if (p.p_stat === SZOMB) {
        yield* reap(k, lp, q, p, res);
        return 0;
      }
      if (p.p_stat === SSTOP && (p.p_flag & P_WAITED) === 0 && ((p.p_flag & P_TRACED) !== 0 || (options & WUNTRACED) !== 0)) {
        p.p_flag |= P_WAITED;
        res.pid = p.p_pid;
        res.status = W_STOPCODE(p.p_xstat);
        res.rusage = NO_RUSAGE;
        return 0;
      }
      if ((options & WCONTINUED) !== 0 && (p.p_flag & P_CONTINUED) !== 0) {
        p.p_flag &= ~P_CONTINUED;
        res.pid = p.p_pid;
        res.status = SIGCONT;
        res.rusage = NO_RUSAGE;
        return 0;
      }
    }
    if (nfound === 0) return ECHILD;
    if (options & WNOHANG) { res.pid = 0; return 0; }
    // tsleep(q, PCATCH, "wait", 0), with its yield made here: the wait of every wait4.
    const s = tsleep_begin(k, lp, q, PCATCH, "wait", 0);
    const error = typeof s === "number" ? s : yield s;
    if (error) return error;
  }
}

function* reap(k: Kernel, lp: Lwp, q: Proc, p: Proc, res: WaitResult): KGen<void> {
  while (p.p_nthreads > 0) yield* tsleep(k, lp, k.nthreadsChan(p), 0, "lwpzomb", k.clock.hz);
  for (let t = k.firstLwp(p); t !== null; ) {
    const next = k.nextLwp(t); // before t leaves the tree
    k.core.lwpRemove(p.p_lwp_tree, t.td);
    lwp_dispose(k, t);
    t = next;
  }
  while (p.p_lock) yield* tsleep(k, lp, p, 0, "reap3", k.clock.hz);
  res.pid = p.p_pid;
  res.status = p.p_xstat;
  res.rusage = p.p_ru;
  p.p_xstat = 0;
  q.p_cru.add(p.p_ru);
  chgproccnt(p.p_ucred!.cr_ruidinfo, -1, 0);
  crfree(k.uids, p.p_ucred!);
  p.p_ucred = null;
  if (p.p_args) p.p_args.ar_ref--;
  const rest = proc_remove_zombie(k, lp, p);
  if (rest) yield* rest;
  k.pgrps.leavepgrp(p);
  if (--p.p_sigacts!.ps_refcnt === 0) p.p_sigacts = null;
  vmspace_exitfree(k, p);
  k.core.lwpTreeFree(p.p_lwp_tree);
  k.nprocs--;
  if (k.events.wants("reap")) k.events.emit({ type: "reap", pid: p.p_pid, status: res.status, by: q.p_pid });
}

/** wait4(pid, status, options, rusage): status and rusage copied out when the pointers are set. */
export function* sys_wait4(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const [pid, statusp, options, rusagep] = args;
  const res: WaitResult = { pid: 0, status: 0 };
  const error = yield* kern_wait(k, lp, pid | 0, options >>> 0, res);
  if (error) return error;
  if (res.pid !== 0 && statusp !== 0) {
    const e = k.copyoutWord(lp.lwp_proc, statusp, res.status);
    if (e) return e;
  }
  if (res.pid !== 0 && rusagep !== 0) {
    const e = k.copyout(lp.lwp_proc, rusagep, res.rusage!.bytes());
    if (e) return e;
  }
  msg.fds[0] = res.pid;
  return 0;
}
