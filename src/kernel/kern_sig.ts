// Signal syscalls: kill (and killpg through a negative pid), sigprocmask, sigaction
// (SIG_DFL and SIG_IGN only), sigpending.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import { NSIG, SIGKILL, SIGSTOP } from "./param.js";
import { EINVAL, ESRCH, EPERM, EFAULT } from "./errno.js";
import { ksignal, pgsignal, sigmask, sigcantmask, sigsetFromWords, sigsetToWords, SIG_DFL, SIG_IGN } from "./signal.js";
import { pfind } from "./kern_proc.js";

const SIG_BLOCK = 1, SIG_UNBLOCK = 2, SIG_SETMASK = 3;
const SIGSET_BYTES = 16;

export function* sys_kill(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const pid = args[0] | 0, sig = args[1];
  if (sig < 0 || sig > NSIG) return EINVAL;
  const cr = lp.lwp_proc.p_ucred!;
  if (pid > 0) {
    const p = pfind(k, pid);
    if (!p) return ESRCH;
    if (cr.cr_uid !== 0 && cr.cr_ruid !== p.p_ucred!.cr_ruid && cr.cr_uid !== p.p_ucred!.cr_ruid) return EPERM;
    if (sig) ksignal(k, p, sig);
    return 0;
  }
  // killpg: 0 is the caller's group, -1 would be "everyone" (not modeled), < -1 a group.
  if (pid === -1) return EINVAL;
  const pg = pid === 0 ? lp.lwp_proc.p_pgrp : k.pgrps.pgfind(-pid);
  if (!pg) return ESRCH;
  if (sig) yield* pgsignal(k, lp, pg, sig);
  return 0;
}

export function* sys_sigprocmask(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [how, setp, osetp] = args;
  const p = lp.lwp_proc;
  const old = lp.lwp_sigmask;
  if (setp !== 0) {
    const raw = k.copyin(p, setp, SIGSET_BYTES);
    if (!raw) return EFAULT;
    const dv = new DataView(raw.buffer, raw.byteOffset, SIGSET_BYTES);
    const set = sigsetFromWords([0, 1, 2, 3].map((i) => dv.getUint32(i * 4, true))) & ~sigcantmask;
    if (how === SIG_BLOCK) lp.lwp_sigmask |= set;
    else if (how === SIG_UNBLOCK) lp.lwp_sigmask &= ~set;
    else if (how === SIG_SETMASK) lp.lwp_sigmask = set;
    else return EINVAL;
  }
  if (osetp !== 0) {
    const e = k.copyout(p, osetp, wordsToBytes(sigsetToWords(old)));
    if (e) { lp.lwp_sigmask = old; return e; }
  }
  return 0;
}

export function* sys_sigpending(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  return k.copyout(lp.lwp_proc, args[0], wordsToBytes(sigsetToWords(lp.lwp_proc.p_siglist | lp.lwp_siglist)));
}

/** struct sigaction: sa_handler, sa_flags, sa_mask[4]. Only SIG_DFL and SIG_IGN handlers. */
export function* sys_sigaction(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [sig, actp, oactp] = args;
  if (sig <= 0 || sig > NSIG) return EINVAL;
  const ps = lp.lwp_proc.p_sigacts!;
  if (oactp !== 0) {
    const o = new Uint8Array(24);
    new DataView(o.buffer).setUint32(0, ps.ps_sigact[sig], true);
    const e = k.copyout(lp.lwp_proc, oactp, o);
    if (e) return e;
  }
  if (actp !== 0) {
    const handler = k.copyinWord(lp.lwp_proc, actp);
    if (handler === null) return EFAULT;
    if (handler !== SIG_DFL && handler !== SIG_IGN) return EINVAL; // catching is not modeled
    if ((sig === SIGKILL || sig === SIGSTOP) && handler !== SIG_DFL) return EINVAL;
    ps.ps_sigact[sig] = handler;
    if (handler === SIG_IGN) { ps.ps_sigignore |= sigmask(sig); lp.lwp_proc.p_siglist &= ~sigmask(sig); }
    else ps.ps_sigignore &= ~sigmask(sig);
  }
  return 0;
}

function wordsToBytes(w: number[]): Uint8Array {
  const b = new Uint8Array(w.length * 4);
  const dv = new DataView(b.buffer);
  w.forEach((v, i) => dv.setUint32(i * 4, v >>> 0, true));
  return b;
}
