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
import { sysent, type Sysent } from "./sysent.js";
import { userret } from "./trap.js";

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
  name: "nosys", narg: 0,
  fn: function* (k, lp) { ksignal(k, lp.lwp_proc, SIGSYS, lp); return EINVAL; },
};

/** Enters a syscall on lp (in user mode with its frame set up); the rest runs as lp.kgen. */
export function syscall2(k: Kernel, lp: Lwp): void {
  const x = k.core.x, td = lp.td;
  k.cpus[lp.cpu].gd_cnt.v_syscall++;
  let code = x.tf_get(td, TF_EAX) >>> 0;
  let params = (x.tf_get(td, TF_ESP) + 4) >>> 0;
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
  const msg: SysMsg = { fds: [0, x.tf_get(td, TF_EDX)] };
  lp.mode = "kernel";
  lp.kgen = runSyscall(k, lp, code, ent, msg, params);
}

/** fuword: a user word, or -1 (as unsigned) when it cannot be read. */
function fuword(k: Kernel, lp: Lwp, uva: number): number {
  const w = k.copyinWord(lp.lwp_proc, uva);
  return w === null ? 0xFFFFFFFF : w >>> 0;
}

function* runSyscall(k: Kernel, lp: Lwp, code: number, ent: Sysent, msg: SysMsg, params: number): KGen<number> {
  const p = lp.lwp_proc;
  let error: number;
  const args = k.copyinArgs(p, params, ent.narg);
  if (!args) error = EFAULT;
  else error = yield* ent.fn(k, lp, args, msg);
  if (lp.mode === "exited") return 0;
  if (lp.lwp_thread.td_locks !== 0) {
    throw new KernelPanic(`syscall ${ent.name} returns to user mode with ${lp.lwp_thread.td_locks} lock(s) held`);
  }
  setReturn(k, lp, error, msg);
  // ERESTART (-1) is reported as such: the trap will run again. EJUSTRETURN is execve's success.
  lp.lastSyscall = { code, error: error === EJUSTRETURN ? 0 : error, rv: [msg.fds[0] >>> 0, msg.fds[1] >>> 0] };
  yield* userret(k, lp);
  return 0;
}

/** The return half of syscall2: the frame as the user sees it after the trap returns. */
export function setReturn(k: Kernel, lp: Lwp, error: number, msg: SysMsg): void {
  const x = k.core.x, td = lp.td;
  if (error === 0) {
    x.tf_set(td, TF_EAX, msg.fds[0] | 0);
    x.tf_set(td, TF_EDX, msg.fds[1] | 0);
    x.tf_set(td, TF_EFLAGS, x.tf_get(td, TF_EFLAGS) & ~PSL_C);
  } else if (error === ERESTART) {
    x.tf_set(td, TF_EIP, (x.tf_get(td, TF_EIP) - x.tf_get(td, TF_ERR)) | 0);
  } else if (error !== EJUSTRETURN) {
    x.tf_set(td, TF_EAX, error);
    x.tf_set(td, TF_EFLAGS, x.tf_get(td, TF_EFLAGS) | PSL_C);
  }
}
