// The i386 signal frame (machdep.c 1.131 sendsig and sys_sigreturn, locore.s sigcode;
// reference §4.2-4.4): struct sigframe on the user stack (or the alternate stack), the
// handler entered through the trampoline exec copies below ps_strings, and sigreturn(344)
// restoring the interrupted context from the frame's ucontext, checked as the kernel does.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import {
  TF_GS, TF_FS, TF_ES, TF_DS, TF_SS, TF_CS, TF_EIP, TF_ESP, TF_EFLAGS, TF_ERR, TF_TRAPNO, PSL_T, PSL_D,
} from "../../assembly/i386.js";
import { LWP_ALTSTACK, SIGBUS, USRSTACK } from "./param.js";
import { EFAULT, EINVAL, EJUSTRETURN } from "./errno.js";
import {
  SIG_CANTMASK, sigsetRead, sigsetWrite, sigmask, trapsignal, SS_ONSTACK, type Sigset,
} from "./signal.js";

/** PS_STRINGS: struct ps_strings at the top of the user stack. */
export const PS_STRINGS = USRSTACK - 16;
/**
 * sigcode (locore.s): call *SIGF_HANDLER(%esp); lea SIGF_UC(%esp),%eax; push %eax;
 * testl $PSL_VM,UC_EFLAGS(%eax); jne 1f; 1: mov $SYS_sigreturn,%eax; push %eax (a fake
 * return address); int $0x80; 0: jmp 0b. 28 bytes, copied by exec to PS_STRINGS - 28.
 */
export const SIGCODE = Uint8Array.from([
  0xff, 0x54, 0x24, 0x10,
  0x8d, 0x44, 0x24, 0x14,
  0x50,
  0xf7, 0x40, 0x58, 0x00, 0x00, 0x02, 0x00,
  0x75, 0x00,
  0xb8, 0x58, 0x01, 0x00, 0x00,
  0x50,
  0xcd, 0x80,
  0xeb, 0xfe,
]);
/** Where the handler returns to: PS_STRINGS - szsigcode (0xBFBFFFD4). */
export const SIGCODE_VA = PS_STRINGS - SIGCODE.length;

// struct sigframe (820): sf_signum, sf_siginfo, sf_ucontext, sf_addr, handler, sf_uc, sf_si.
export const SIGFRAME_SIZE = 820;
const SF_SIGNUM = 0, SF_SIGINFO = 4, SF_UCONTEXT = 8, SF_ADDR = 12, SF_HANDLER = 16, SF_UC = 20, SF_SI = 756;
// ucontext_t (736): uc_sigmask, uc_mcontext (672), uc_link, uc_stack, spare.
export const UCONTEXT_SIZE = 736;
const UC_SIGMASK = 0, UC_MCONTEXT = 16, UC_STACK = 692;
// mcontext_t: mc_onstack, the trapframe image (mc_gs .. mc_ss), mc_len, mc_fpformat, mc_ownedfp.
const MC_ONSTACK = 0, MC_GS = 4, MC_LEN = 84, MC_FPFORMAT = 88, MC_OWNEDFP = 92;
const MCONTEXT_SIZE = 672;
const TRAPFRAME_WORDS = 20; // tf_gs .. tf_ss, the trapframe's order
const _MC_FPFMT_NODEV = 0x10000, _MC_FPOWNED_NONE = 0x20000;
// siginfo_t (64): si_signo, si_errno, si_code, si_pid, si_uid, si_status, si_addr.
const SI_SIGNO = 0, SI_CODE = 8, SI_ADDR = 24;

const GUCODE_SEL = 0x1f, GUDATA_SEL = 0x2f; // user code and data selectors (RPL 3)
const T_PROTFLT = 9;
/** PSL_USERCHANGE: the eflags bits user mode may change (C PF AF Z N T D V NT AC ID). */
export const PSL_USERCHANGE = 0x244dd5;
const PSL_RF = 0x10000;

/**
 * sendsig(catcher, sig, mask, code): builds struct sigframe below the interrupted esp,
 * or at the top of the alternate stack for an SA_ONSTACK handler when that is enabled
 * and not in use (no alignment either way), and points the frame at the trampoline.
 * False when the frame cannot be written (the caller kills the process with SIGILL).
 */
export function sendsig(k: Kernel, lp: Lwp, catcher: number, sig: number, mask: Sigset, code: number): boolean {
  const p = lp.lwp_proc, ps = p.p_sigacts!, core = k.core, tf = core.tfAddr(lp.td);
  const ss = lp.lwp_sigstk;
  const oonstack = (ss.ss_flags & SS_ONSTACK) !== 0 ? 1 : 0;
  const frame = new Uint8Array(SIGFRAME_SIZE);
  const dv = new DataView(frame.buffer);
  // The context to return to: the mask, the alternate stack as it was, the registers.
  const uc = SF_UC;
  sigsetWrite(dv, uc + UC_SIGMASK, mask);
  dv.setUint32(uc + UC_STACK, ss.ss_sp >>> 0, true);
  dv.setUint32(uc + UC_STACK + 4, ss.ss_size >>> 0, true);
  dv.setUint32(uc + UC_STACK + 8, ss.ss_flags >>> 0, true);
  const mc = uc + UC_MCONTEXT;
  dv.setUint32(mc + MC_ONSTACK, oonstack, true);
  for (let i = 0; i < TRAPFRAME_WORDS; i++) dv.setUint32(mc + MC_GS + 4 * i, core.word(tf + 4 * i) >>> 0, true);
  dv.setUint32(mc + MC_LEN, MCONTEXT_SIZE, true);
  // npxpush: forklab's i386 has no FPU, so there is no FPU state to save (docs/kernel.md).
  dv.setUint32(mc + MC_FPFORMAT, _MC_FPFMT_NODEV, true);
  dv.setUint32(mc + MC_OWNEDFP, _MC_FPOWNED_NONE, true);

  /* Allocate and validate space for the signal handler context. */
  let sfp: number;
  if ((lp.lwp_flag & LWP_ALTSTACK) !== 0 && !oonstack && (ps.ps_sigonstack & sigmask(sig)) !== 0n) {
    sfp = (ss.ss_sp + ss.ss_size - SIGFRAME_SIZE) >>> 0;
    ss.ss_flags |= SS_ONSTACK;
  } else {
    sfp = (core.word(tf + TF_ESP) - SIGFRAME_SIZE) >>> 0;
  }
  const err = core.word(tf + TF_ERR) >>> 0;
  dv.setUint32(SF_SIGNUM, sig, true);
  dv.setUint32(SF_UCONTEXT, (sfp + SF_UC) >>> 0, true);
  if ((ps.ps_siginfo & sigmask(sig)) !== 0n) {
    /* Signal handler installed with SA_SIGINFO. */
    dv.setUint32(SF_SIGINFO, (sfp + SF_SI) >>> 0, true);
    dv.setUint32(SF_SI + SI_SIGNO, sig, true);
    dv.setUint32(SF_SI + SI_CODE, code >>> 0, true);
    dv.setUint32(SF_SI + SI_ADDR, err, true);
  } else {
    /* Old FreeBSD-style arguments. */
    dv.setUint32(SF_SIGINFO, code >>> 0, true);
    dv.setUint32(SF_ADDR, err, true);
  }
  dv.setUint32(SF_HANDLER, catcher >>> 0, true);
  if (k.copyout(p, sfp, frame) !== 0) return false;

  /* Build context to run handler in: the trampoline, on the frame. */
  core.setWord(tf + TF_ESP, sfp | 0);
  core.setWord(tf + TF_EIP, SIGCODE_VA | 0);
  core.setWord(tf + TF_EFLAGS, core.word(tf + TF_EFLAGS) & ~(PSL_T | PSL_D));
  core.setWord(tf + TF_CS, GUCODE_SEL);
  core.setWord(tf + TF_DS, GUDATA_SEL);
  core.setWord(tf + TF_ES, GUDATA_SEL);
  core.setWord(tf + TF_SS, GUDATA_SEL);
  // A bad %fs or %gs would fault again on the way out: they are reset after a protection fault.
  if ((core.word(tf + TF_TRAPNO) >>> 0) === T_PROTFLT) {
    core.setWord(tf + TF_FS, GUDATA_SEL);
    core.setWord(tf + TF_GS, GUDATA_SEL);
  }
  return true;
}

/**
 * sigreturn(ucontext_t *sigcntxp): the registers, alternate-stack state and mask from the
 * context. eflags may differ from the current ones only in PSL_USERCHANGE bits (and RF),
 * else EINVAL; a %cs that is not a user selector raises SIGBUS (T_PROTFLT) and gives
 * EINVAL. On success the frame is the context: EJUSTRETURN leaves it alone.
 */
export function* sys_sigreturn(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const p = lp.lwp_proc, core = k.core, tf = core.tfAddr(lp.td);
  const raw = k.copyin(p, args[0], UCONTEXT_SIZE);
  if (!raw) return EFAULT;
  const dv = new DataView(raw.buffer, raw.byteOffset, UCONTEXT_SIZE);
  const mc = UC_MCONTEXT;
  const reg = (off: number): number => dv.getUint32(mc + MC_GS + off, true);
  /* Don't allow users to change privileged or reserved flags. */
  const eflags = reg(TF_EFLAGS);
  if (((eflags ^ core.word(tf + TF_EFLAGS)) & ~PSL_USERCHANGE & ~PSL_RF) !== 0) return EINVAL;
  /* Don't allow users to load a valid privileged %cs. */
  if ((reg(TF_CS) & 3) !== 3) {
    const rest = trapsignal(k, lp, SIGBUS, T_PROTFLT);
    if (rest) yield* rest;
    return EINVAL;
  }
  for (let i = 0; i < TRAPFRAME_WORDS; i++) core.setWord(tf + 4 * i, reg(4 * i) | 0);
  const ss = lp.lwp_sigstk;
  if (dv.getUint32(mc + MC_ONSTACK, true) & 1) ss.ss_flags |= SS_ONSTACK;
  else ss.ss_flags &= ~SS_ONSTACK;
  lp.lwp_sigmask = SIG_CANTMASK(sigsetRead(dv, UC_SIGMASK));
  return EJUSTRETURN;
}
