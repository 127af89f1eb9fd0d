// Signal syscalls (kern_sig.c 1.89): kill (one process, a group with killpg, or the
// broadcast), sigprocmask, sigaction, sigpending, sigsuspend, sigaltstack. (sigreturn is
// machine-dependent: sendsig.ts.)
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import type { Proc } from "./proc.js";
import type { Ucred } from "./ucred.js";
import {
  SIGKILL, SIGSTOP, SIGCONT, SIGCHLD, SZOMB, P_SYSTEM, LK_EXCLUSIVE, LK_RELEASE, PS_NOCLDSTOP, PS_NOCLDWAIT,
  LWP_OLDMASK, LWP_ALTSTACK, PCATCH,
} from "./param.js";
import { EINVAL, ESRCH, EPERM, EFAULT, ENOMEM, EINTR } from "./errno.js";
import {
  ksignal, sigmask, SIG_CANTMASK, sigsetRead, sigsetWrite, sigprop_ignore, SIG_DFL, SIG_IGN, _SIG_MAXSIG,
  SS_DISABLE, SS_ONSTACK,
} from "./signal.js";
import { tsleep } from "./synch.js";
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
  if (sig > _SIG_MAXSIG) return EINVAL;
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
 * lwp_kill(pid, tid, sig): kill's single-process path aimed at one LWP of it. A tid is
 * required (-1: EINVAL, that is kill's job); pid -1 is the caller's process; a broadcast
 * pid does not mix with a tid (EINVAL); no LWP with that tid: ESRCH.
 */
export function* sys_lwp_kill(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  let pid = args[0] | 0;
  const tid = args[1] | 0, sig = args[2] >>> 0;
  if (tid === -1) return EINVAL;
  if (pid === -1) pid = lp.lwp_proc.p_pid;
  if (sig > _SIG_MAXSIG || pid <= 0) return EINVAL;
  const p = pfind(k, pid);
  if (!p) return ESRCH;
  if (!CANSIGNAL(lp.lwp_proc, p, sig)) return EPERM;
  const target = k.lwpsOf(p).find((t) => t.lwp_tid === tid);
  if (!target) return ESRCH;
  if (sig) ksignal(k, p, sig, target);
  return 0;
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
    const set = sigsetRead(new DataView(raw.buffer, raw.byteOffset, SIGSET_BYTES), 0);
    if (how === SIG_BLOCK) lp.lwp_sigmask |= SIG_CANTMASK(set);
    else if (how === SIG_UNBLOCK) lp.lwp_sigmask &= ~set;
    else if (how === SIG_SETMASK) lp.lwp_sigmask = SIG_CANTMASK(set);
    else return EINVAL;
  }
  // The old mask goes out after the change; a failed copyout does not undo it.
  if (osetp !== 0) return k.copyout(p, osetp, sigsetBytes(old));
  return 0;
}

/** sigpending(set): the process's and the LWP's pending signals, masked ones included. */
export function* sys_sigpending(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  return k.copyout(lp.lwp_proc, args[0], sigsetBytes(lp.lwp_proc.p_siglist | lp.lwp_siglist));
}

/**
 * sigsuspend(sigmask): the mask is replaced until a signal arrives; the old one is kept
 * for postsig, which hands it to the handler's frame, so it returns when the handler
 * does. Always EINTR (never restarted).
 */
export function* sys_sigsuspend(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const raw = k.copyin(lp.lwp_proc, args[0], SIGSET_BYTES);
  if (!raw) return EFAULT;
  lp.lwp_oldsigmask = lp.lwp_sigmask;
  lp.lwp_flag |= LWP_OLDMASK;
  lp.lwp_sigmask = SIG_CANTMASK(sigsetRead(new DataView(raw.buffer, raw.byteOffset, SIGSET_BYTES), 0));
  const ps = lp.lwp_proc.p_sigacts!;
  while ((yield* tsleep(k, lp, ps, PCATCH, "pause", 0)) === 0) { /* void */ }
  /* always return EINTR rather than ERESTART... */
  return EINTR;
}

/** MINSIGSTKSZ: the smallest alternate stack sigaltstack takes. */
const MINSIGSTKSZ = 8192;

/**
 * sigaltstack(ss, oss): oss gets the current one (SS_DISABLE when none is enabled); ss
 * with SS_DISABLE turns it off (EINVAL while the handler runs on it), otherwise it must
 * be at least MINSIGSTKSZ (ENOMEM).
 */
export function* sys_sigaltstack(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [ssp, ossp] = args, p = lp.lwp_proc;
  let ss: { ss_sp: number; ss_size: number; ss_flags: number } | null = null;
  if (ssp !== 0) {
    const raw = k.copyin(p, ssp, 12);
    if (!raw) return EFAULT;
    const dv = new DataView(raw.buffer, raw.byteOffset, 12);
    ss = { ss_sp: dv.getUint32(0, true), ss_size: dv.getUint32(4, true), ss_flags: dv.getInt32(8, true) };
  }
  const cur = lp.lwp_sigstk;
  if ((lp.lwp_flag & LWP_ALTSTACK) === 0) cur.ss_flags |= SS_DISABLE;
  const oss = new Uint8Array(12);
  {
    const dv = new DataView(oss.buffer);
    dv.setUint32(0, cur.ss_sp >>> 0, true);
    dv.setUint32(4, cur.ss_size >>> 0, true);
    dv.setInt32(8, cur.ss_flags, true);
  }
  if (ss) {
    if (ss.ss_flags & SS_DISABLE) {
      if (cur.ss_flags & SS_ONSTACK) return EINVAL;
      lp.lwp_flag &= ~LWP_ALTSTACK;
      cur.ss_flags = ss.ss_flags;
    } else {
      if (ss.ss_size < MINSIGSTKSZ) return ENOMEM;
      lp.lwp_flag |= LWP_ALTSTACK;
      cur.ss_sp = ss.ss_sp;
      cur.ss_size = ss.ss_size;
      cur.ss_flags = ss.ss_flags;
    }
  }
  if (ossp !== 0) return k.copyout(p, ossp, oss);
  return 0;
}

// sigaction's sa_flags (sys/signal.h).
const SA_ONSTACK = 0x0001, SA_RESTART = 0x0002, SA_RESETHAND = 0x0004, SA_NOCLDSTOP = 0x0008,
  SA_NODEFER = 0x0010, SA_NOCLDWAIT = 0x0020, SA_SIGINFO = 0x0040;

/**
 * sigaction(sig, act, oact): struct sigaction is the handler, sa_flags, sa_mask (24
 * bytes). As kern_sigaction: act is read first (EFAULT), sig must be 1..128, KILL and
 * STOP take only SIG_DFL; oact is the old setting, written after the change. Each flag
 * is kept as a set of signals in sigacts (ps_sigonstack, ps_sigintr for the lack of
 * SA_RESTART, ...), SIGCHLD's SA_NOCLDSTOP/SA_NOCLDWAIT in ps_flag. Ignoring a signal
 * (SIG_IGN, or SIG_DFL of a default-ignored one) discards it where it is pending.
 */
export function* sys_sigaction(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [sig, actp, oactp] = args;
  const p = lp.lwp_proc;
  let act: { handler: number; flags: number; mask: bigint } | null = null;
  if (actp !== 0) {
    const raw = k.copyin(p, actp, 24);
    if (!raw) return EFAULT;
    const dv = new DataView(raw.buffer, raw.byteOffset, 24);
    act = { handler: dv.getUint32(0, true), flags: dv.getInt32(4, true), mask: sigsetRead(dv, 8) };
  }
  if (sig <= 0 || sig > _SIG_MAXSIG) return EINVAL;
  const ps = p.p_sigacts!, m = sigmask(sig);
  const o = new Uint8Array(24);
  {
    const dv = new DataView(o.buffer);
    dv.setUint32(0, ps.ps_sigact[sig], true);
    sigsetWrite(dv, 8, ps.ps_catchmask[sig]);
    let flags = 0;
    if (ps.ps_sigonstack & m) flags |= SA_ONSTACK;
    if ((ps.ps_sigintr & m) === 0n) flags |= SA_RESTART;
    if (ps.ps_sigreset & m) flags |= SA_RESETHAND;
    if (ps.ps_signodefer & m) flags |= SA_NODEFER;
    if (ps.ps_siginfo & m) flags |= SA_SIGINFO;
    if (sig === SIGCHLD && (ps.ps_flag & PS_NOCLDSTOP)) flags |= SA_NOCLDSTOP;
    if (sig === SIGCHLD && (ps.ps_flag & PS_NOCLDWAIT)) flags |= SA_NOCLDWAIT;
    dv.setInt32(4, flags, true);
  }
  if (act) {
    /* KILL and STOP cannot be caught. */
    if ((sig === SIGKILL || sig === SIGSTOP) && act.handler !== SIG_DFL) return EINVAL;
    ps.ps_catchmask[sig] = SIG_CANTMASK(act.mask);
    // SA_SIGINFO's sa_sigaction shares the handler's word.
    ps.ps_sigact[sig] = act.handler;
    const flag = (set: bigint, on: number): bigint => (on ? set | m : set & ~m);
    ps.ps_siginfo = flag(ps.ps_siginfo, act.flags & SA_SIGINFO);
    ps.ps_sigintr = flag(ps.ps_sigintr, ~act.flags & SA_RESTART);
    ps.ps_sigonstack = flag(ps.ps_sigonstack, act.flags & SA_ONSTACK);
    ps.ps_sigreset = flag(ps.ps_sigreset, act.flags & SA_RESETHAND);
    ps.ps_signodefer = flag(ps.ps_signodefer, act.flags & SA_NODEFER);
    if (sig === SIGCHLD) {
      if (act.flags & SA_NOCLDSTOP) ps.ps_flag |= PS_NOCLDSTOP;
      else ps.ps_flag &= ~PS_NOCLDSTOP;
      /* PID 1 itself is forbidden to set SA_NOCLDWAIT: its children are reparented to it. */
      if ((act.flags & SA_NOCLDWAIT) && p.p_pid !== 1) ps.ps_flag |= PS_NOCLDWAIT;
      else ps.ps_flag &= ~PS_NOCLDWAIT;
    }
    if (act.handler === SIG_IGN || (sigprop_ignore(sig) && act.handler === SIG_DFL)) {
      /* never to be seen again: off the process's and every LWP's pending set */
      p.p_siglist &= ~m;
      for (const t of k.lwpsOf(p)) t.lwp_siglist &= ~m;
      if (sig !== SIGCONT) ps.ps_sigignore |= m; /* easier in ksignal */
      ps.ps_sigcatch &= ~m;
    } else {
      ps.ps_sigignore &= ~m;
      if (act.handler === SIG_DFL) ps.ps_sigcatch &= ~m;
      else ps.ps_sigcatch |= m;
    }
  }
  if (oactp !== 0) return k.copyout(p, oactp, o);
  return 0;
}

function sigsetBytes(s: bigint): Uint8Array {
  const b = new Uint8Array(SIGSET_BYTES);
  sigsetWrite(new DataView(b.buffer), 0, s);
  return b;
}
