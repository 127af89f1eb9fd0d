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

/**
 * What syscall2 decoded, kept on the LWP (Lwp.sys) until the syscall returns. One per LWP,
 * made at its first syscall and reused by every later one (an LWP is in one syscall at a
 * time): with it the argument words, the converted arguments the handler gets and the
 * trapframe's address (it stays put for the thread's life), so a syscall allocates nothing.
 */
export interface SyscallCtx {
  code: number; ent: Sysent; msg: SysMsg; params: number;
  words: number[]; args: number[]; tf: number;
}

/**
 * Enters a syscall on lp (in user mode with its frame set up). The rest is run by
 * Kernel.resume: syscall_start at the first resume, the handler as lp.kgen, syscall_return.
 */
export function syscall2(k: Kernel, lp: Lwp): void {
  const sys = syscallCtx(k, lp);
  const core = k.core, tf = sys.tf; // the frame's words, read in place
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
  sys.code = code;
  sys.ent = ent;
  sys.params = params;
  sys.msg.fds[0] = 0;
  sys.msg.fds[1] = core.word(tf + TF_EDX);
  lp.mode = "kernel";
  lp.kgen = null;
  lp.sys = sys;
}

/**
 * Contexts of disposed LWPs, for new LWPs to take (each spawn loop's child makes one
 * syscall, its exit: without these it would make a context to use once). Bounded.
 */
const spareCtx: SyscallCtx[] = [];
const SPARE_CTX_MAX = 64;

/** The LWP's syscall context, set up at its first syscall (the trapframe's address looked up once). */
function syscallCtx(k: Kernel, lp: Lwp): SyscallCtx {
  let sys = lp.sysctx;
  if (sys === null) {
    const tf = k.core.tfAddr(lp.td);
    sys = spareCtx.pop() ?? { code: 0, ent: nosys, msg: { fds: [0, 0] }, params: 0, words: [], args: [], tf };
    sys.tf = tf;
    lp.sysctx = sys;
  }
  return sys;
}

/** lwp_dispose: the LWP is gone, and its syscall context (no syscall in it) becomes a spare. */
export function releaseSyscallCtx(lp: Lwp): void {
  const sys = lp.sysctx;
  lp.sysctx = null;
  if (sys !== null && lp.sys === null && spareCtx.length < SPARE_CTX_MAX) spareCtx.push(sys);
}

/** The linear address of lp's trapframe, as syscall2 reads and writes it. */
export function syscallTf(k: Kernel, lp: Lwp): number {
  return syscallCtx(k, lp).tf;
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
  if (k.copyinArgWords(lp.lwp_proc, sys.params, sys.ent.narg, sys.words)) {
    lp.kgen = sys.ent.fn(k, lp, convertArgs(sys.ent, sys.words, sys.args), sys.msg);
  } else {
    syscall_return(k, lp, EFAULT);
  }
}

/**
 * The handler returned `error`: the return half of syscall2, then userret. When userret
 * has a signal to deliver, its kernel path is left in lp.kgen for Kernel.resume to run.
 */
export function syscall_return(k: Kernel, lp: Lwp, error: number): void {
  const sys = lp.sys!, msg = sys.msg;
  lp.sys = null;
  if (lp.mode === "exited") return;
  if (lp.lwp_thread.td_locks !== 0) {
    throw new KernelPanic(`syscall ${sys.ent.name} returns to user mode with ${lp.lwp_thread.td_locks} lock(s) held`);
  }
  setReturnAt(k, sys.tf, error, msg);
  // ERESTART (-1) is reported as such: the trap will run again. EJUSTRETURN is execve's
  // success. The record is the LWP's, rewritten in place (the API copies what it hands out).
  const last = lp.lastSyscall ??= { code: 0, error: 0, rv: [0, 0] };
  last.code = sys.code;
  last.error = error === EJUSTRETURN ? 0 : error;
  last.rv[0] = msg.fds[0] >>> 0;
  last.rv[1] = msg.fds[1] >>> 0;
  if (!userret_fast(k, lp)) lp.kgen = userret(k, lp);
}

/** The return half of syscall2: the frame as the user sees it after the trap returns. */
export function setReturn(k: Kernel, lp: Lwp, error: number, msg: SysMsg): void {
  setReturnAt(k, k.core.tfAddr(lp.td), error, msg);
}

/** setReturn on the trapframe at tf (its words are written in place). */
function setReturnAt(k: Kernel, tf: number, error: number, msg: SysMsg): void {
  const core = k.core;
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
