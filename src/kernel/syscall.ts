// syscall2 (trap.c 1.111): the `int $0x80` entry. The number is in tf_eax, the arguments
// are read with copyin from the user stack at tf_esp + 4; on the way out tf_eax/tf_edx
// take sysmsg_fds[0..1] and PSL_C is cleared, an error sets PSL_C with the errno in
// tf_eax, ERESTART backs tf_eip up by tf_err so the `int $0x80` runs again, and
// EJUSTRETURN leaves the frame alone.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import { TF_EAX, TF_EDX, TF_ESP, TF_EIP, TF_ERR, TF_EFLAGS, PSL_C } from "../../assembly/i386.js";
import { ERESTART, EJUSTRETURN, EFAULT, ENOSYS } from "./errno.js";
import { KernelPanic } from "./panic.js";
import { sysent, type Sysent } from "./sysent.js";
import { userret } from "./trap.js";

const nosys: Sysent = { name: "nosys", narg: 0, fn: function* () { return ENOSYS; } };

/** Enters a syscall on lp (in user mode with its frame set up); the rest runs as lp.kgen. */
export function syscall2(k: Kernel, lp: Lwp): void {
  const x = k.core.x, td = lp.td;
  k.cpus[lp.cpu].gd_cnt.v_syscall++;
  const code = x.tf_get(td, TF_EAX) >>> 0;
  const ent = sysent[code] ?? nosys;
  const msg: SysMsg = { fds: [0, x.tf_get(td, TF_EDX)] };
  lp.mode = "kernel";
  lp.kgen = runSyscall(k, lp, code, ent, msg);
}

function* runSyscall(k: Kernel, lp: Lwp, code: number, ent: Sysent, msg: SysMsg): KGen<number> {
  const p = lp.lwp_proc;
  let error: number;
  const args = k.copyinArgs(p, (k.core.x.tf_get(lp.td, TF_ESP) + 4) >>> 0, ent.narg);
  if (!args) error = EFAULT;
  else error = yield* ent.fn(k, lp, args, msg);
  if (lp.mode === "exited") return 0;
  if (lp.lwp_thread.td_locks !== 0) {
    throw new KernelPanic(`syscall ${ent.name} returns to user mode with ${lp.lwp_thread.td_locks} lock(s) held`);
  }
  setReturn(k, lp, error, msg);
  lp.lastSyscall = { code, error: error > 0 ? error : 0, rv: [msg.fds[0] >>> 0, msg.fds[1] >>> 0] };
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
