// Signals as far as the fork paths depend on them: pending sets on the process
// (p_siglist) and on each LWP (lwp_siglist), masks, sigacts (shared with RFSIGSHARE),
// CURSIGNB (the pgrp interlock's test), ksignal/pgsignal/killpg and default actions.
// Catching handlers are not modeled: sigaction accepts SIG_DFL and SIG_IGN only.
import type { Kernel } from "./kernel.js";
import type { Lwp, Proc, KGen } from "./proc.js";
import type { Pgrp } from "./pgrp.js";
import {
  SIGKILL, SIGSTOP, SIGCONT, SIGCHLD, SIGTSTP, NSIG, LK_EXCLUSIVE, LK_RELEASE, PCATCH,
} from "./param.js";
import { lockmgr } from "./lock.js";
import { wakeupForSignal } from "./synch.js";
import { setrunqueue } from "./sched.js";

/** sigset_t as a bigint: bit (sig - 1). */
export type Sigset = bigint;
export const sigmask = (sig: number): Sigset =>
  Number.isInteger(sig) && sig >= 1 && sig <= NSIG ? SIGMASKS[sig] : 1n << BigInt(sig - 1);
/** sigmask(1 .. NSIG), made once: a bigint shift allocates, and every exit signals its parent. */
const SIGMASKS: readonly Sigset[] =
  Array.from({ length: NSIG + 1 }, (_, s) => (s === 0 ? 0n : 1n << BigInt(s - 1)));
export const SIG_DFL = 0;
export const SIG_IGN = 1;
/** Signals that cannot be caught, blocked or ignored. */
export const sigcantmask: Sigset = sigmask(SIGKILL) | sigmask(SIGSTOP);

// Default actions (kern_sig.c sigprop): ignored by default, stopping, or terminating.
const DEFAULT_IGNORE = new Set([SIGCHLD, 16 /* SIGURG */, 28 /* SIGWINCH */, 29 /* SIGINFO */, SIGCONT]);
const DEFAULT_STOP = new Set([SIGSTOP, SIGTSTP, 21 /* SIGTTIN */, 22 /* SIGTTOU */]);
const STOPSIGMASK: bigint = [...DEFAULT_STOP].reduce((m, s) => m | (1n << BigInt(s - 1)), 0n);

export class Sigacts {
  ps_refcnt = 1;
  /**
   * Handler per signal: SIG_DFL or SIG_IGN. copy() leaves the array shared between the
   * two until either one next gets ps_sigact, which then takes its own copy first (a
   * plain array cannot tell reads from writes): most children never look at theirs, and
   * the copy was a fork's largest allocation. So read it through ps_sigact each time;
   * an array kept from before a fork would be the shared one.
   */
  get ps_sigact(): number[] {
    if (this.sigactShared) {
      this.sigact = this.sigact.slice();
      this.sigactShared = false;
    }
    return this.sigact;
  }
  set ps_sigact(handlers: number[]) {
    this.sigact = handlers;
    this.sigactShared = false;
  }
  private sigact: number[];
  private sigactShared = false;
  /** Signals whose delivery is discarded (siginit puts the default-ignored ones here). */
  ps_sigignore: Sigset = 0n;
  /** Signals whose interruption of a PCATCH sleep gives EINTR rather than ERESTART. */
  ps_sigintr: Sigset = 0n;
  ps_flag = 0;

  constructor(sigact: number[] = new Array(NSIG + 1).fill(SIG_DFL)) { this.sigact = sigact; }

  static initial(): Sigacts {
    const s = new Sigacts();
    for (const sig of DEFAULT_IGNORE) if (sig !== SIGCONT) s.ps_sigignore |= sigmask(sig);
    return s;
  }
  /** The bcopy fork1 does when the child does not share (RFSIGSHARE clear). */
  copy(): Sigacts {
    const s = new Sigacts(this.sigact);
    s.sigactShared = this.sigactShared = true; // copied when either side next looks (ps_sigact)
    s.ps_sigignore = this.ps_sigignore;
    s.ps_sigintr = this.ps_sigintr;
    s.ps_flag = this.ps_flag;
    return s;
  }
}

/** The signals pending for an LWP: the process's and its own. */
export function lwpPending(lp: Lwp): Sigset { return lp.lwp_proc.p_siglist | lp.lwp_siglist; }

/**
 * Nothing pending on the LWP or its process: the usual case, tested before any bigint
 * arithmetic (each operation allocates, and these checks run on every dispatch and syscall).
 */
function nonePending(lp: Lwp): boolean { return lp.lwp_siglist === 0n && lp.lwp_proc.p_siglist === 0n; }

/**
 * CURSIGNB(lp): true when any unmasked signal is pending on the process or the LWP,
 * without issignal's processing: even an ignored one counts (reference §6.9).
 */
export function CURSIGNB(lp: Lwp): boolean {
  return !nonePending(lp) && (lwpPending(lp) & ~lp.lwp_sigmask) !== 0n;
}

/** The lowest unmasked pending signal, or 0. */
export function pendingUnmasked(lp: Lwp): number {
  if (nonePending(lp)) return 0;
  const set = lwpPending(lp) & ~lp.lwp_sigmask;
  if (set === 0n) return 0;
  let sig = 1;
  for (let b = set; (b & 1n) === 0n; b >>= 1n) sig++;
  return sig;
}

export function sigIsInterrupting(p: Proc, sig: number): boolean {
  return ((p.p_sigacts?.ps_sigintr ?? 0n) & sigmask(sig)) !== 0n;
}

/**
 * ksignal(p, sig), or lwpsignal to one LWP when `lp` is given: posts the signal
 * (discarded when ignored), then wakes an interruptible sleeper or a parked LWP so it is
 * delivered.
 */
export function ksignal(k: Kernel, p: Proc, sig: number, lp: Lwp | null = null): void {
  if (sig <= 0 || sig > NSIG || !p.p_sigacts) return;
  if (p.p_stat !== 2 /* SACTIVE */ && p.p_stat !== 1 /* SIDL */) return;
  const m = sigmask(sig);
  /* If the signal is being ignored, then we forget about it immediately. */
  if ((p.p_sigacts.ps_sigignore & m) !== 0n && sig !== SIGKILL) return;
  /* SIGCONT clears pending stop signals, and a stop signal a pending SIGCONT. */
  if (sig === SIGCONT) { p.p_siglist &= ~STOPSIGMASK; for (const t of k.lwpsOf(p)) t.lwp_siglist &= ~STOPSIGMASK; }
  if (DEFAULT_STOP.has(sig)) { p.p_siglist &= ~sigmask(SIGCONT); for (const t of k.lwpsOf(p)) t.lwp_siglist &= ~sigmask(SIGCONT); }
  const targets = k.lwpsOf(p).filter((t) => (!lp || t === lp) && ((t.lwp_sigmask & m) === 0n || sig === SIGKILL));
  /*
   * If SIGCONT is default (or ignored) and the process is asleep (interruptibly), we are
   * finished; the process should not be awakened.
   */
  if (sig === SIGCONT && p.p_sigacts.ps_sigact[sig] === SIG_DFL && targets.length > 0
      && targets.every((t) => t.wchan !== null && (t.sleepFlags & PCATCH) !== 0)) {
    return;
  }
  if (lp) lp.lwp_siglist |= m; else p.p_siglist |= m;
  if (k.events.wants("signal")) k.events.emit({ type: "signal", pid: p.p_pid, tid: lp ? lp.lwp_tid : -1, sig });
  for (const t of targets) {
    if (t.wchan) wakeupForSignal(k, t, sig);
    else if (t.mode === "user" && !t.onRunq) setrunqueue(k, t);
  }
}

/** sigprop(sig) & SA_IGNORE: the default action is to ignore it. */
export function sigprop_ignore(sig: number): boolean { return DEFAULT_IGNORE.has(sig); }

/** pgsignal: the process-group lock is taken exclusive while walking pg_members. */
export function* pgsignal(k: Kernel, lp: Lwp, pg: Pgrp, sig: number): KGen<void> {
  yield* lockmgr(k, lp, pg.pg_lock, LK_EXCLUSIVE);
  for (const p of pg.pg_members) ksignal(k, p, sig);
  yield* lockmgr(k, lp, pg.pg_lock, LK_RELEASE);
}

/** What delivering `sig` to a process would do with its current disposition. */
export function sigAction(p: Proc, sig: number): "ignore" | "stop" | "terminate" {
  const act = p.p_sigacts!.ps_sigact[sig];
  if (sig !== SIGKILL && act === SIG_IGN) return "ignore";
  if (DEFAULT_IGNORE.has(sig)) return "ignore";
  if (DEFAULT_STOP.has(sig)) return "stop";
  return "terminate";
}

/**
 * issignal + postsig at the return to user mode: takes the lowest deliverable signal off
 * the pending sets and says what it does. Stop signals are consumed without stopping:
 * forklab does not model job control (docs/kernel.md).
 */
export function takeSignal(lp: Lwp): { sig: number; action: "terminate" } | null {
  const p = lp.lwp_proc;
  for (;;) {
    const sig = pendingUnmasked(lp);
    if (!sig) return null;
    const m = sigmask(sig);
    if (lp.lwp_siglist & m) lp.lwp_siglist &= ~m; else p.p_siglist &= ~m;
    if (sigAction(p, sig) === "terminate") return { sig, action: "terminate" };
  }
}

export function sigsetFromWords(w: number[]): Sigset {
  let s = 0n;
  for (let i = w.length - 1; i >= 0; i--) s = (s << 32n) | BigInt(w[i] >>> 0);
  return s;
}
export function sigsetToWords(s: Sigset, n = 4): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) { out.push(Number(s & 0xffffffffn)); s >>= 32n; }
  return out;
}
