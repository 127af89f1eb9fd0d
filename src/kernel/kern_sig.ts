// Signal syscalls (kern_sig.c 1.89): kill (one process, a group with killpg, or the
// broadcast), sigprocmask, sigaction (SIG_DFL and SIG_IGN only), sigpending.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import type { Proc } from "./proc.js";
import type { Ucred } from "./ucred.js";
import {
  NSIG, SIGKILL, SIGSTOP, SIGCONT, SIGCHLD, SZOMB, P_SYSTEM, LK_EXCLUSIVE, LK_RELEASE, PS_NOCLDSTOP, PS_NOCLDWAIT,
} from "./param.js";
import { EINVAL, ESRCH, EPERM, EFAULT } from "./errno.js";
import {
  ksignal, sigmask, sigcantmask, sigsetFromWords, sigsetToWords, sigprop_ignore, SIG_DFL, SIG_IGN,
} from "./signal.js";
import { pfind } from "./kern_proc.js";
import { lockmgr } from "./lock.js";

const SIG_BLOCK = 1, SIG_UNBLOCK = 2, SIG_SETMASK = 3;
const SIGSET_BYTES = 16;

/**
 * p_trespass(cr1, cr2): 0 when cr1 may act on a process with cr2 (same credential, same
 * prison for a jailed cr1, a real or effective uid in common, or root), else an errno.
 */
export function p_trespass(cr1: Ucred, cr2: Ucred): number {
  if (cr1 === cr2) return 0;
  if (cr1.cr_prison !== null && cr1.cr_prison !== cr2.cr_prison) return ESRCH; // PRISON_CHECK
  if (cr1.cr_ruid === cr2.cr_ruid) return 0;
  if (cr1.cr_uid === cr2.cr_ruid) return 0;
  if (cr1.cr_ruid === cr2.cr_uid) return 0;
  if (cr1.cr_uid === cr2.cr_uid) return 0;
  if (cr1.cr_uid === 0) return 0; // PRIV_PROC_TRESPASS
  return EPERM;
}

/** CANSIGNAL(q, sig): no trespass, or SIGCONT within the sender's session. */
export function CANSIGNAL(cp: Proc, q: Proc, sig: number): boolean {
  return p_trespass(cp.p_ucred!, q.p_ucred!) === 0
    || (sig === SIGCONT && q.p_pgrp !== null && cp.p_pgrp !== null && q.p_pgrp.pg_session === cp.p_pgrp.pg_session);
}

/** kill(pid, sig): one process, my group (0), everyone I may signal (-1), or group -pid. */
export function* sys_kill(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const pid = args[0] | 0, sig = args[1] >>> 0;
  if (sig > NSIG) return EINVAL;
  const cp = lp.lwp_proc;
  if (pid > 0) {
    /* kill single process */
    const p = pfind(k, pid);
    if (!p) return ESRCH;
    if (!CANSIGNAL(cp, p, sig)) return EPERM;
    if (sig) ksignal(k, p, sig);
    return 0;
  }
  switch (pid) {
    case -1: return killpg_all(k, cp, sig); /* broadcast signal */
    case 0: return yield* killpg(k, lp, sig, 0); /* signal own process group */
    default: return yield* killpg(k, lp, sig, -pid); /* negative explicit process group */
  }
}

/**
 * killpg: every member of the group except init and proc0, zombies, system processes
 * and those the caller may not signal, walked under pg_lock held exclusive (the
 * interlock with fork1's shared hold). ESRCH when none qualified.
 */
function* killpg(k: Kernel, lp: Lwp, sig: number, pgid: number): KGen<number> {
  const cp = lp.lwp_proc;
  const pgrp = pgid === 0 ? cp.p_pgrp : k.pgrps.pgfind(pgid);
  if (!pgrp) return ESRCH;
  let nfound = 0;
  yield* lockmgr(k, lp, pgrp.pg_lock, LK_EXCLUSIVE);
  for (const p of pgrp.pg_members) {
    if (p.p_pid <= 1 || p.p_stat === SZOMB || (p.p_flag & P_SYSTEM) || !CANSIGNAL(cp, p, sig)) continue;
    nfound++;
    if (sig) ksignal(k, p, sig);
  }
  yield* lockmgr(k, lp, pgrp.pg_lock, LK_RELEASE);
  return nfound ? 0 : ESRCH;
}

/** The broadcast: every live process but init, proc0, system processes and the caller. */
function killpg_all(k: Kernel, cp: Proc, sig: number): number {
  let nfound = 0;
  for (const p of k.procs.allproc) {
    if (p.p_pid <= 1 || (p.p_flag & P_SYSTEM) || p === cp || !CANSIGNAL(cp, p, sig)) continue;
    nfound++;
    if (sig) ksignal(k, p, sig);
  }
  return nfound ? 0 : ESRCH;
}

export function* sys_sigprocmask(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [how, setp, osetp] = args;
  const p = lp.lwp_proc;
  const old = lp.lwp_sigmask;
  if (setp !== 0) {
    const raw = k.copyin(p, setp, SIGSET_BYTES);
    if (!raw) return EFAULT;
    const dv = new DataView(raw.buffer, raw.byteOffset, SIGSET_BYTES);
    const raw64 = sigsetFromWords([0, 1, 2, 3].map((i) => dv.getUint32(i * 4, true)));
    // SIG_CANTMASK applies to SIG_BLOCK and SIG_SETMASK; only the signals forklab has count.
    const set = raw64 & ((1n << BigInt(NSIG)) - 1n) & ~sigcantmask;
    if (how === SIG_BLOCK) lp.lwp_sigmask |= set;
    else if (how === SIG_UNBLOCK) lp.lwp_sigmask &= ~set;
    else if (how === SIG_SETMASK) lp.lwp_sigmask = set;
    else return EINVAL;
  }
  // The old mask goes out after the change; a failed copyout does not undo it.
  if (osetp !== 0) return k.copyout(p, osetp, wordsToBytes(sigsetToWords(old)));
  return 0;
}

export function* sys_sigpending(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  return k.copyout(lp.lwp_proc, args[0], wordsToBytes(sigsetToWords(lp.lwp_proc.p_siglist | lp.lwp_siglist)));
}

// sigaction's sa_flags (sys/signal.h).
const SA_RESTART = 0x0002, SA_NOCLDSTOP = 0x0008, SA_NOCLDWAIT = 0x0020;

/**
 * sigaction(sig, act, oact): struct sigaction is sa_handler, sa_flags, sa_mask[4] (24
 * bytes). Only SIG_DFL and SIG_IGN handlers (catching is not modeled). As kern_sigaction:
 * act is read first, oact is the old setting and is written after the change; SIGCHLD's
 * SA_NOCLDSTOP/SA_NOCLDWAIT set ps_flag; a signal without SA_RESTART goes in ps_sigintr.
 */
export function* sys_sigaction(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [sig, actp, oactp] = args;
  const p = lp.lwp_proc;
  let act: { handler: number; flags: number } | null = null;
  if (actp !== 0) {
    const raw = k.copyin(p, actp, 24);
    if (!raw) return EFAULT;
    const dv = new DataView(raw.buffer, raw.byteOffset, 24);
    act = { handler: dv.getUint32(0, true), flags: dv.getInt32(4, true) };
  }
  if (sig <= 0 || sig > NSIG) return EINVAL;
  const ps = p.p_sigacts!;
  const o = new Uint8Array(24);
  {
    const dv = new DataView(o.buffer);
    dv.setUint32(0, ps.ps_sigact[sig], true);
    let flags = 0;
    if ((ps.ps_sigintr & sigmask(sig)) === 0n) flags |= SA_RESTART;
    if (sig === SIGCHLD && (ps.ps_flag & PS_NOCLDSTOP)) flags |= SA_NOCLDSTOP;
    if (sig === SIGCHLD && (ps.ps_flag & PS_NOCLDWAIT)) flags |= SA_NOCLDWAIT;
    dv.setInt32(4, flags, true);
  }
  if (act) {
    /* KILL and STOP cannot be caught. */
    if ((sig === SIGKILL || sig === SIGSTOP) && act.handler !== SIG_DFL) return EINVAL;
    if (act.handler !== SIG_DFL && act.handler !== SIG_IGN) return EINVAL; // catching is not modeled
    ps.ps_sigact[sig] = act.handler;
    if (!(act.flags & SA_RESTART)) ps.ps_sigintr |= sigmask(sig);
    else ps.ps_sigintr &= ~sigmask(sig);
    if (sig === SIGCHLD) {
      if (act.flags & SA_NOCLDSTOP) ps.ps_flag |= PS_NOCLDSTOP;
      else ps.ps_flag &= ~PS_NOCLDSTOP;
      /* PID 1 itself is forbidden to set SA_NOCLDWAIT: its children are reparented to it. */
      if ((act.flags & SA_NOCLDWAIT) && p.p_pid !== 1) ps.ps_flag |= PS_NOCLDWAIT;
      else ps.ps_flag &= ~PS_NOCLDWAIT;
    }
    if (act.handler === SIG_IGN || (sigprop_ignore(sig) && act.handler === SIG_DFL)) {
      /* never to be seen again: off the process's and every LWP's pending set */
      p.p_siglist &= ~sigmask(sig);
      for (const t of k.lwpsOf(p)) t.lwp_siglist &= ~sigmask(sig);
      if (sig !== SIGCONT) ps.ps_sigignore |= sigmask(sig); /* easier in ksignal */
    } else {
      ps.ps_sigignore &= ~sigmask(sig);
    }
  }
  if (oactp !== 0) return k.copyout(p, oactp, o);
  return 0;
}

function wordsToBytes(w: number[]): Uint8Array {
  const b = new Uint8Array(w.length * 4);
  const dv = new DataView(b.buffer);
  w.forEach((v, i) => dv.setUint32(i * 4, v >>> 0, true));
  return b;
}
