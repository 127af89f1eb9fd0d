// Process identity syscalls (kern_prot.c): pids, uids, process groups and sessions.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, Proc, KGen } from "./proc.js";
import { P_SUGID, P_EXEC } from "./param.js";
import { EPERM, ESRCH, EINVAL, EACCES } from "./errno.js";
import { crdup, crfree } from "./ucred.js";
import { chgproccnt } from "./resource.js";
import { pfind } from "./kern_proc.js";

export function* sys_getpid(_k: Kernel, lp: Lwp, _a: number[], msg: SysMsg): KGen<number> {
  msg.fds[0] = lp.lwp_proc.p_pid;
  msg.fds[1] = lp.lwp_proc.p_pptr ? lp.lwp_proc.p_pptr.p_pid : 0; // getpid returns the ppid in edx
  return 0;
}
export function* sys_getppid(_k: Kernel, lp: Lwp, _a: number[], msg: SysMsg): KGen<number> {
  msg.fds[0] = lp.lwp_proc.p_pptr ? lp.lwp_proc.p_pptr.p_pid : 0;
  return 0;
}
export function* sys_lwp_gettid(_k: Kernel, lp: Lwp, _a: number[], msg: SysMsg): KGen<number> {
  msg.fds[0] = lp.lwp_tid;
  return 0;
}
export function* sys_getuid(_k: Kernel, lp: Lwp, _a: number[], msg: SysMsg): KGen<number> {
  msg.fds[0] = lp.lwp_proc.p_ucred!.cr_ruid;
  msg.fds[1] = lp.lwp_proc.p_ucred!.cr_uid; // getuid returns the euid in edx
  return 0;
}
export function* sys_geteuid(_k: Kernel, lp: Lwp, _a: number[], msg: SysMsg): KGen<number> {
  msg.fds[0] = lp.lwp_proc.p_ucred!.cr_uid;
  return 0;
}
export function* sys_getgid(_k: Kernel, lp: Lwp, _a: number[], msg: SysMsg): KGen<number> {
  msg.fds[0] = lp.lwp_proc.p_ucred!.cr_rgid;
  msg.fds[1] = lp.lwp_proc.p_ucred!.cr_gid;
  return 0;
}
export function* sys_getegid(_k: Kernel, lp: Lwp, _a: number[], msg: SysMsg): KGen<number> {
  msg.fds[0] = lp.lwp_proc.p_ucred!.cr_gid;
  return 0;
}

/**
 * setuid(uid): root sets the real, effective and saved uids, and the process count
 * moves to the new real uid (chgproccnt); anyone else may only take its real or saved uid.
 */
export function* sys_setuid(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const p = lp.lwp_proc;
  const uid = args[0] >>> 0;
  const cr = p.p_ucred!;
  if (uid !== cr.cr_ruid && uid !== cr.cr_svuid && cr.cr_uid !== 0) return EPERM;
  const ncr = crdup(k.uids, cr);
  if (cr.cr_uid === 0) {
    /* Set the real uid and transfer proc count to new user. */
    if (uid !== cr.cr_ruid) {
      chgproccnt(cr.cr_ruidinfo, -1, 0);
      k.uids.uidrop(ncr.cr_ruidinfo);
      ncr.cr_ruidinfo = k.uids.uifind(uid);
      chgproccnt(ncr.cr_ruidinfo, 1, 0);
      ncr.cr_ruid = uid;
      p.p_flag |= P_SUGID;
    }
    /* Set saved uid */
    if (ncr.cr_svuid !== uid) {
      ncr.cr_svuid = uid;
      p.p_flag |= P_SUGID;
    }
  }
  if (uid !== cr.cr_uid) {
    k.uids.uidrop(ncr.cr_uidinfo);
    ncr.cr_uidinfo = k.uids.uifind(uid);
    ncr.cr_uid = uid;
    p.p_flag |= P_SUGID;
  }
  p.p_ucred = ncr;
  crfree(k.uids, cr);
  return 0;
}

export function* sys_getpgrp(_k: Kernel, lp: Lwp, _a: number[], msg: SysMsg): KGen<number> {
  msg.fds[0] = lp.lwp_proc.p_pgrp!.pg_id;
  return 0;
}

/** setsid(): a new session and group led by the caller (EPERM for a group leader). */
export function* sys_setsid(k: Kernel, lp: Lwp, _a: number[], msg: SysMsg): KGen<number> {
  const p = lp.lwp_proc;
  if (p.p_pgrp!.pg_id === p.p_pid || k.pgrps.pgfind(p.p_pid)) return EPERM;
  k.pgrps.enterpgrp(p, p.p_pid, true);
  msg.fds[0] = p.p_pid;
  return 0;
}

/** inferior(p): p is the caller or one of its descendants (its p_pptr chain reaches it before proc0). */
function inferior(cur: Proc, p: Proc): boolean {
  for (let q: Proc | null = p; q !== cur; q = q.p_pptr) {
    if (!q || q.p_pid === 0) return false;
  }
  return true;
}

/**
 * setpgid(pid, pgid): the caller or one of its descendants, in its session and not yet
 * exec'd (EACCES), into a group of the caller's session; a session leader may not move.
 */
export function* sys_setpgid(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const cur = lp.lwp_proc;
  const pid = args[0] | 0;
  let pgid = args[1] | 0;
  if (pgid < 0) return EINVAL;
  let target: Proc;
  if (pid !== 0 && pid !== cur.p_pid) {
    const t = pfind(k, pid);
    if (!t || !inferior(cur, t)) return ESRCH;
    if (t.p_pgrp === null || t.p_pgrp.pg_session !== cur.p_pgrp!.pg_session) return EPERM;
    if (t.p_flag & P_EXEC) return EACCES;
    target = t;
  } else {
    target = cur;
  }
  if (target.p_pgrp!.pg_session.s_leader === target) return EPERM; // SESS_LEADER
  if (pgid === 0) pgid = target.p_pid;
  else if (pgid !== target.p_pid) {
    const pg = k.pgrps.pgfind(pgid);
    if (!pg || pg.pg_session !== cur.p_pgrp!.pg_session) return EPERM;
  }
  k.pgrps.enterpgrp(target, pgid, false);
  return 0;
}

/** getpgid(pid): the process group of pid (0: the caller); ESRCH if there is no such process. */
export function* sys_getpgid(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const p = args[0] === 0 ? lp.lwp_proc : pfind(k, args[0]);
  if (!p || !p.p_pgrp) return ESRCH;
  msg.fds[0] = p.p_pgrp.pg_id;
  return 0;
}

/** issetugid(): 1 if the process has changed ids or exec'd set-id (P_SUGID), else 0. */
export function* sys_issetugid(_k: Kernel, lp: Lwp, _a: number[], msg: SysMsg): KGen<number> {
  msg.fds[0] = lp.lwp_proc.p_flag & P_SUGID ? 1 : 0;
  return 0;
}

/** MAXLOGNAME (sys/param.h): getlogin copies at most this much of s_login. */
const MAXLOGNAME = 17;

/**
 * getlogin(buf, len): min(len, MAXLOGNAME) bytes of the session's login name. forklab has
 * no setlogin, so the name is empty: the bytes are zeros.
 */
export function* sys_getlogin(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  return k.copyout(lp.lwp_proc, args[0], new Uint8Array(Math.min(args[1], MAXLOGNAME)));
}

/** sched_yield(): 0. forklab's scheduler does not end the caller's slice for it (docs/kernel.md). */
export function* sched_yield(_k: Kernel, _lp: Lwp, _a: number[], _msg: SysMsg): KGen<number> {
  return 0;
}
