// syscall2 (trap.c 1.111): the `int $0x80` entry. The number is in tf_eax, the arguments
// are read with copyin from the user stack at tf_esp + 4; on the way out tf_eax/tf_edx
// take sysmsg_fds[0..1] and PSL_C is cleared, an error sets PSL_C with the errno in
// tf_eax, ERESTART backs tf_eip up by tf_err so the `int $0x80` runs again, and
// EJUSTRETURN leaves the frame alone. syscall(0) and __syscall(198) take the real number
// from the first argument; a number without an entry goes to nosys.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import { TF_EAX, TF_EDX, TF_ESP, TF_EIP, TF_ERR, TF_EFLAGS, PSL_C } from "../../assembly/i386.js";
import { ERESTART, EJUSTRETURN, EFAULT, EINVAL } from "./errno.js";
import { SIGSYS } from "./param.js";
import { ksignal } from "./signal.js";
import { KernelPanic } from "./panic.js";
import { sysent, convertArgs, type Sysent } from "./sysent.js";
import { userret, userret_fast } from "./trap.js";

/** SYS_MAXSYSCALL (syscall.h 1.59): sv_size of the native ABI. */
export const SYS_MAXSYSCALL = 500;
/** The indirect entries: syscall(code, ...) and __syscall(quad code, ...). */
const SYS_syscall = 0;
const SYS___syscall = 198;

/**
 * sys_nosys (kern_sig.c): a nonexistent system call signals the LWP with SIGSYS (which
 * kills by default) and fails with EINVAL, in case the signal is blocked or ignored.
 * DragonFly kept 4.4BSD's EINVAL; FreeBSD 5 and Linux say ENOSYS.
 */
export const nosys: Sysent = {
  name: "nosys", narg: 0, types: [],
  fn: function* (k, lp) { ksignal(k, lp.lwp_proc, SIGSYS, lp); return EINVAL; },
};

/** What syscall2 decoded, kept on the LWP (Lwp.sys) until the syscall returns. */
export interface SyscallCtx { code: number; ent: Sysent; msg: SysMsg; params: number }

/**
 * Enters a syscall on lp (in user mode with its frame set up). The rest is run by
 * Kernel.resume: syscall_start at the first resume, the handler as lp.kgen, syscall_return.
 */
export function syscall2(k: Kernel, lp: Lwp): void {
  const core = k.core, tf = core.tfAddr(lp.td); // the frame's words, read in place
  k.cpus[lp.cpu].gd_cnt.v_syscall++;
  let code = core.word(tf + TF_EAX) >>> 0;
  let params = (core.word(tf + TF_ESP) + 4) >>> 0;
  if (code === SYS_syscall) {
    /* Code is first argument, followed by actual args. */
    code = fuword(k, lp, params);
    params = (params + 4) >>> 0;
  } else if (code === SYS___syscall) {
    /* Like syscall, but code is a quad, so as to maintain quad alignment for the rest of the arguments. */
    code = fuword(k, lp, params);
    params = (params + 8) >>> 0;
  }
  const ent = (code < SYS_MAXSYSCALL ? sysent[code] : undefined) ?? nosys;
  // The LWP's context (and msg) serves syscall after syscall: it is in one at a time.
  const sys = lp.sysctx ??= { code: 0, ent: nosys, msg: { fds: [0, 0] }, params: 0 };
  sys.code = code;
  sys.ent = ent;
  sys.params = params;
  sys.msg.fds[0] = 0;
  sys.msg.fds[1] = core.word(tf + TF_EDX);
  lp.mode = "kernel";
  lp.kgen = null;
  lp.sys = sys;
}

/** fuword: a user word, or -1 (as unsigned) when it cannot be read. */
function fuword(k: Kernel, lp: Lwp, uva: number): number {
  const w = k.copyinWord(lp.lwp_proc, uva);
  return w === null ? 0xFFFFFFFF : w >>> 0;
}

// The syscall's life after syscall2 is two plain functions around its handler, which
// Kernel.resume runs as lp.kgen: no generator of its own per syscall (a fork, an exit and a
// wait4 per spawn loop would make three).

/**
 * A syscall's first resume: the argument words are read from the user stack now and
 * converted by their types (sysent.ts), and the handler starts (lp.kgen). An unreadable
 * argument returns EFAULT without a handler.
 */
export function syscall_start(k: Kernel, lp: Lwp): void {
  const sys = lp.sys!;
  const words = k.copyinArgs(lp.lwp_proc, sys.params, sys.ent.narg);
  if (words) lp.kgen = sys.ent.fn(k, lp, convertArgs(sys.ent, words), sys.msg);
  else syscall_return(k, lp, EFAULT);
}

/**
 * The handler returned `error`: the return half of syscall2, then userret. When userret
 * has a signal to deliver, its kernel path is left in lp.kgen for Kernel.resume to run.
 */
export function syscall_return(k: Kernel, lp: Lwp, error: number): void {
  const { code, ent, msg } = lp.sys!;
  lp.sys = null;
  if (lp.mode === "exited") return;
  if (lp.lwp_thread.td_locks !== 0) {
    throw new KernelPanic(`syscall ${ent.name} returns to user mode with ${lp.lwp_thread.td_locks} lock(s) held`);
  }
  setReturn(k, lp, error, msg);
  // ERESTART (-1) is reported as such: the trap will run again. EJUSTRETURN is execve's success.
  lp.lastSyscall = { code, error: error === EJUSTRETURN ? 0 : error, rv: [msg.fds[0] >>> 0, msg.fds[1] >>> 0] };
  if (!userret_fast(lp)) lp.kgen = userret(k, lp);
}

/** The return half of syscall2: the frame as the user sees it after the trap returns. */
export function setReturn(k: Kernel, lp: Lwp, error: number, msg: SysMsg): void {
  const core = k.core, tf = core.tfAddr(lp.td); // the frame's words, written in place
  if (error === 0) {
    core.setWord(tf + TF_EAX, msg.fds[0] | 0);
    core.setWord(tf + TF_EDX, msg.fds[1] | 0);
    core.setWord(tf + TF_EFLAGS, core.word(tf + TF_EFLAGS) & ~PSL_C);
  } else if (error === ERESTART) {
    core.setWord(tf + TF_EIP, (core.word(tf + TF_EIP) - core.word(tf + TF_ERR)) | 0);
  } else if (error !== EJUSTRETURN) {
    core.setWord(tf + TF_EAX, error);
    core.setWord(tf + TF_EFLAGS, core.word(tf + TF_EFLAGS) | PSL_C);
  }
}
