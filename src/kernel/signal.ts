// Signals (kern_sig.c 1.89): pending sets on the process (p_siglist) and on each LWP
// (lwp_siglist), masks, sigacts (shared with RFSIGSHARE), CURSIGNB (the pgrp interlock's
// test), ksignal/lwpsignal with find_lwp_for_signal, pgsignal, trapsignal, and the
// delivery at the return to user mode: issignal picks, postsig acts (sendsig.ts builds
// the frame of a caught signal). Job control: proc_stop, tstop and proc_unstop.
import type { Kernel } from "./kernel.js";
import type { Lwp, Proc, KGen } from "./proc.js";
import type { Pgrp } from "./pgrp.js";
import {
  SIGKILL, SIGSTOP, SIGCONT, SIGCHLD, LK_EXCLUSIVE, LK_RELEASE, PCATCH, LSRUN, LSSLEEP, LSSTOP,
  SIDL, SACTIVE, SSTOP, P_TRACED, P_PPWAIT, P_CONTINUED, P_WAITED, LWP_OLDMASK, LWP_ALTSTACK,
  LWP_WSTOP, PS_NOCLDWAIT, PS_NOCLDSTOP, W_EXITCODE, SIGILL,
} from "./param.js";
import { lockmgr } from "./lock.js";
import { tsleep, unsleep, wakeup, wakeupForSignal } from "./synch.js";
import { setrunqueue } from "./sched.js";
import { exit1 } from "./exit.js";
import { pgrp_orphaned } from "./kern_proc.js";
import { sendsig } from "./sendsig.js";

/** sigset_t as a bigint: bit (sig - 1), 128 bits (_SIG_WORDS 4). */
export type Sigset = bigint;
/** _SIG_MAXSIG: sigaction and kill take 1..128, though NSIG is 64. */
export const _SIG_MAXSIG = 128;
const ALLSIGS: Sigset = (1n << BigInt(_SIG_MAXSIG)) - 1n;
/** sigmask(1 .. 128), made once: a bigint shift allocates, and every exit signals its parent. */
const SIGMASKS: readonly Sigset[] =
  Array.from({ length: _SIG_MAXSIG + 1 }, (_, s) => (s === 0 ? 0n : 1n << BigInt(s - 1)));
export const sigmask = (sig: number): Sigset =>
  Number.isInteger(sig) && sig >= 1 && sig <= _SIG_MAXSIG ? SIGMASKS[sig] : 1n << BigInt(sig - 1);
export const SIG_DFL = 0;
export const SIG_IGN = 1;
/** Signals that cannot be caught, blocked or ignored (SIG_CANTMASK drops them from any mask). */
export const sigcantmask: Sigset = sigmask(SIGKILL) | sigmask(SIGSTOP);
/** A user-supplied set as a mask: 128 bits, without KILL and STOP. */
export const SIG_CANTMASK = (s: Sigset): Sigset => s & ALLSIGS & ~sigcantmask;

// sigprop (kern_sig.c): the default action of each signal.
export const SA_KILL = 0x01, SA_CORE = 0x02, SA_STOP = 0x04, SA_TTYSTOP = 0x08, SA_IGNORE = 0x10, SA_CONT = 0x20;
const SIGPROP: readonly number[] = (() => {
  const t = new Array<number>(_SIG_MAXSIG + 1).fill(0);
  const kill = [1, 2, 9, 13, 14, 15, 24, 25, 26, 27, 30, 31, 34], core = [3, 4, 5, 6, 7, 8, 10, 11, 12];
  for (const s of kill) t[s] = SA_KILL;
  for (const s of core) t[s] = SA_KILL | SA_CORE;
  t[17] = SA_STOP;
  for (const s of [18, 21, 22]) t[s] = SA_STOP | SA_TTYSTOP;
  for (const s of [16, 20, 23, 28, 29, 32]) t[s] = SA_IGNORE;
  t[19] = SA_IGNORE | SA_CONT;
  for (let s = 35; s <= 64; s++) t[s] = SA_IGNORE;
  // 33 SIGCKPT writes a checkpoint (not modelled: nothing happens); 65..128 have no
  // properties, so their default action is to terminate.
  return t;
})();
export function sigprop(sig: number): number { return sig > 0 && sig <= _SIG_MAXSIG ? SIGPROP[sig] : 0; }
const STOPSIGMASK: Sigset = [17, 18, 21, 22].reduce((m, s) => m | sigmask(s), 0n);

/** struct sigacts: the signal actions, shared between processes with RFSIGSHARE. */
export class Sigacts {
  ps_refcnt = 1;
  /**
   * Handler per signal (SIG_DFL, SIG_IGN or a user address) and the mask each handler
   * runs with. copy() leaves both arrays shared between the two until either one next
   * reads them through these getters, which then take a copy first (a plain array cannot
   * tell reads from writes): most children never look at theirs, and the copy was a
   * fork's largest allocation. So read them through the getters each time.
   */
  get ps_sigact(): number[] { if (this.shared) this.own(); return this.sigact; }
  set ps_sigact(handlers: number[]) { if (this.shared) this.own(); this.sigact = handlers; }
  get ps_catchmask(): Sigset[] { if (this.shared) this.own(); return this.catchmask; }
  private sigact: number[];
  private catchmask: Sigset[];
  private shared = false;
  /** p_sigcatch: signals with a handler (DragonFly keeps it here). */
  ps_sigcatch: Sigset = 0n;
  /** p_sigignore: signals whose delivery is discarded (siginit puts the default-ignored ones here). */
  ps_sigignore: Sigset = 0n;
  /** Signals whose interruption of a PCATCH sleep gives EINTR rather than ERESTART. */
  ps_sigintr: Sigset = 0n;
  ps_sigonstack: Sigset = 0n;
  ps_sigreset: Sigset = 0n;
  ps_signodefer: Sigset = 0n;
  ps_siginfo: Sigset = 0n;
  ps_flag = 0;

  constructor(sigact: number[] = new Array(_SIG_MAXSIG + 1).fill(SIG_DFL),
    catchmask: Sigset[] = new Array(_SIG_MAXSIG + 1).fill(0n)) {
    this.sigact = sigact;
    this.catchmask = catchmask;
  }
  private own(): void {
    this.sigact = this.sigact.slice();
    this.catchmask = this.catchmask.slice();
    this.shared = false;
  }

  /** siginit: the signals ignored by default, except SIGCONT, go in p_sigignore. */
  static initial(): Sigacts {
    const s = new Sigacts();
    for (let sig = 1; sig <= _SIG_MAXSIG; sig++) {
      if ((sigprop(sig) & SA_IGNORE) && sig !== SIGCONT) s.ps_sigignore |= sigmask(sig);
    }
    return s;
  }
  /** The bcopy fork1 does when the child does not share (RFSIGSHARE clear). */
  copy(): Sigacts {
    const s = new Sigacts(this.sigact, this.catchmask);
    s.shared = this.shared = true; // copied when either side next looks
    s.ps_sigcatch = this.ps_sigcatch;
    s.ps_sigignore = this.ps_sigignore;
    s.ps_sigintr = this.ps_sigintr;
    s.ps_sigonstack = this.ps_sigonstack;
    s.ps_sigreset = this.ps_sigreset;
    s.ps_signodefer = this.ps_signodefer;
    s.ps_siginfo = this.ps_siginfo;
    s.ps_flag = this.ps_flag;
    return s;
  }
}

/** lwp_sigpend: the signals pending for an LWP, the process's and its own. */
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

/** The lowest signal in a set, or 0 (sig_ffs). */
function sig_ffs(set: Sigset): number {
  if (set === 0n) return 0;
  let sig = 1;
  while ((set & 0xffffffffn) === 0n) { set >>= 32n; sig += 32; }
  while ((set & 1n) === 0n) { set >>= 1n; sig++; }
  return sig;
}

/**
 * CURSIG(lp): the signal userret would act on now, or 0. Quits early when nothing unmasked
 * is pending; otherwise issignal decides, dropping what it takes no action on (ignored
 * signals, stops, anything for init) and keeping a stop pending past a vfork child's
 * P_PPWAIT, which therefore must not count as something to deliver.
 */
export function CURSIG(k: Kernel, lp: Lwp): number {
  if (nonePending(lp) || (lwpPending(lp) & ~lp.lwp_sigmask) === 0n) return 0;
  return issignal(k, lp);
}

/** Whether `sig` was installed without SA_RESTART: a PCATCH sleep it breaks gives EINTR. */
export function sigIsInterrupting(p: Proc, sig: number): boolean {
  return ((p.p_sigacts?.ps_sigintr ?? 0n) & sigmask(sig)) !== 0n;
}

/** lwp_delsig: the signal is taken off both pending sets. */
function lwp_delsig(lp: Lwp, sig: number): void {
  const m = sigmask(sig);
  lp.lwp_siglist &= ~m;
  lp.lwp_proc.p_siglist &= ~m;
}

/**
 * find_lwp_for_signal: the LWP running kernel code on behalf of p (the sender of a
 * kill to its own process: it returns to user mode soonest) if it does not mask the
 * signal; otherwise, among those that do not mask it, a runnable one, or else one asleep
 * interruptibly, or else a stopped one; null if all mask it. The 2008 loop walks the
 * whole tid-ordered tree and keeps the last of each kind.
 */
function find_lwp_for_signal(k: Kernel, p: Proc, sig: number): Lwp | null {
  const m = sigmask(sig);
  const cur = k.curlwp;
  if (cur !== null && cur.lwp_proc === p && (cur.lwp_sigmask & m) === 0n) return cur;
  let run: Lwp | null = null, sleep: Lwp | null = null, stop: Lwp | null = null;
  for (let lp = k.firstLwp(p); lp !== null; lp = k.nextLwp(lp)) {
    if ((lp.lwp_sigmask & m) !== 0n) continue;
    if (lp.lwp_stat === LSRUN) run = lp;
    else if (lp.lwp_stat === LSSLEEP && (lp.sleepFlags & PCATCH) !== 0) sleep = lp;
    else if (lp.lwp_stat === LSSTOP) stop = lp;
  }
  return run ?? sleep ?? stop;
}

/** ksignal(p, sig): a signal for the process; lwpsignal chooses the LWP. */
export function ksignal(k: Kernel, p: Proc, sig: number, lp: Lwp | null = null): void {
  lwpsignal(k, p, lp, sig);
}

/**
 * lwpsignal(p, lp, sig): posts the signal, to lp when given, else to the LWP
 * find_lwp_for_signal picks, and only when none will take it on p_siglist. An ignored
 * signal is discarded, and so is a tty stop to an orphaned process group with the
 * default action. A stopped process takes only SIGKILL and SIGCONT at once (both
 * continue it; a SIGCONT it does not catch goes no further, unless held); anything
 * else waits, pending, until it is continued. The chosen LWP is told: asleep
 * interruptibly, a stop with the default action stops the process where it sleeps, any
 * other signal ends the sleep; idle in user mode, it is made runnable.
 */
export function lwpsignal(k: Kernel, p: Proc, lp: Lwp | null, sig: number): void {
  if (sig <= 0 || sig > _SIG_MAXSIG || !p.p_sigacts) return;
  if (p.p_stat !== SACTIVE && p.p_stat !== SIDL && p.p_stat !== SSTOP) return;
  const ps = p.p_sigacts, m = sigmask(sig), prop = sigprop(sig);
  let caught = false;
  if ((p.p_flag & P_TRACED) === 0) {
    /* If the signal is being ignored, then we forget about it immediately. */
    if ((ps.ps_sigignore & m) !== 0n) return;
    caught = (ps.ps_sigcatch & m) !== 0n;
  }
  /* Never deliver a lwp-specific signal to a random lwp. */
  if (lp === null) {
    lp = find_lwp_for_signal(k, p, sig);
    if (lp !== null && (lp.lwp_sigmask & m) !== 0n) lp = null;
  }
  /* The action: held when the LWP (or, with none chosen, every LWP) masks it. */
  const held = lp === null || (lp.lwp_sigmask & m) !== 0n;
  /* If continuing, clear any pending STOP signals. */
  if (prop & SA_CONT) p.p_siglist &= ~STOPSIGMASK;
  if (prop & SA_STOP) {
    /*
     * If sending a tty stop signal to a member of an orphaned process group, discard
     * the signal here if the action is default; don't stop the process below if
     * sleeping, and don't clear any pending SIGCONT.
     */
    if ((prop & SA_TTYSTOP) && !caught && !held && pgrp_orphaned(p.p_pgrp)) return;
    p.p_siglist &= ~sigmask(SIGCONT);
    p.p_flag &= ~P_CONTINUED;
  }
  if (p.p_stat === SSTOP) {
    if (sig === SIGKILL) {
      proc_unstop(k, p); /* it runs, to die */
    } else if (prop & SA_CONT) {
      /*
       * Continued. A SIGCONT it does not catch has no further action and is not kept,
       * unless held (masked by every LWP): then it stays pending. A caught one is
       * delivered as to an active process.
       */
      proc_unstop(k, p);
      p.p_flag |= P_CONTINUED;
      if (p.p_pptr !== null) wakeup(k, p.p_pptr);
      if (!caught && !held) return;
    } else if (prop & SA_STOP) {
      return; /* already stopped: the signal has done its work */
    } else {
      post(k, p, lp, sig); /* kept pending for when the process is continued; nobody is woken */
      return;
    }
  }
  if (lp === null) {
    post(k, p, null, sig); /* nobody takes it now: whichever LWP unmasks it first will */
    return;
  }
  /* If it is a CONT signal with default action, just ignore it. */
  if ((prop & SA_CONT) && !caught) return;
  /*
   * A stop with the default action for an LWP asleep interruptibly stops the process
   * where it is (unless a vfork parent waits on it: stopping could deadlock, so the signal
   * stays pending). Init takes no default action (issignal's rule), so it never stops.
   */
  if ((prop & SA_STOP) && !caught && !held && lp.lwp_stat === LSSLEEP && (lp.sleepFlags & PCATCH) !== 0 && p.p_pid > 1) {
    if (p.p_flag & P_PPWAIT) { post(k, p, lp, sig); return; }
    if (k.events.wants("signal")) k.events.emit({ type: "signal", pid: p.p_pid, tid: lp.lwp_tid, sig });
    p.p_xstat = sig;
    proc_stop(k, p);
    return;
  }
  post(k, p, lp, sig);
  lwp_signotify(k, lp, sig);
}

/** The signal goes pending on lp, or with none on the process (p_siglist), and is announced. */
function post(k: Kernel, p: Proc, lp: Lwp | null, sig: number): void {
  if (lp === null) p.p_siglist |= sigmask(sig); else lp.lwp_siglist |= sigmask(sig);
  if (k.events.wants("signal")) k.events.emit({ type: "signal", pid: p.p_pid, tid: lp === null ? -1 : lp.lwp_tid, sig });
}

/**
 * proc_stop(p): the process is SSTOP. Its LWPs asleep count as stopped where they sleep
 * (LWP_WSTOP: they stop in tstop before they return to user mode); runnable ones are
 * told, and stop in tstop on their way back to user mode. When all have stopped, the
 * parent hears of it.
 */
export function proc_stop(k: Kernel, p: Proc): void {
  if (p.p_stat === SSTOP) return;
  p.p_stat = SSTOP;
  k.stopsSeen = true;
  for (let lp = k.firstLwp(p); lp !== null; lp = k.nextLwp(lp)) {
    if (lp.lwp_stat === LSSLEEP) {
      if ((lp.lwp_flag & LWP_WSTOP) === 0) { lp.lwp_flag |= LWP_WSTOP; p.p_nstopped++; }
    } else if (lp.lwp_stat === LSRUN && lp.mode === "user" && !lp.onRunq && k.cpus[lp.cpu].curlwp !== lp) {
      setrunqueue(k, lp); /* lwp_signotify: idle in user mode, it comes to userret */
    }
  }
  stopped_notify(k, p);
}

/**
 * The last LWP to stop tells the parent: a wait4 with WUNTRACED may report it (P_WAITED
 * cleared), and SIGCHLD unless the parent asked for none (SA_NOCLDSTOP).
 */
function stopped_notify(k: Kernel, p: Proc): void {
  if (p.p_nstopped !== p.p_nthreads) return;
  p.p_flag &= ~P_WAITED;
  const pp = p.p_pptr;
  if (pp === null) return;
  wakeup(k, pp);
  if ((pp.p_sigacts!.ps_flag & PS_NOCLDSTOP) === 0) ksignal(k, pp, SIGCHLD);
}

/**
 * tstop: lp stops (counted once, LWP_WSTOP) and sleeps in "stop" with lwp_stat LSSTOP
 * until its process is continued.
 */
export function* tstop(k: Kernel, lp: Lwp): KGen<void> {
  const p = lp.lwp_proc;
  lwp_count_stopped(k, lp);
  while (p.p_stat === SSTOP) {
    lp.lwp_stat = LSSTOP;
    yield* tsleep(k, lp, p, 0, "stop", 0);
  }
  p.p_nstopped--;
  lp.lwp_flag &= ~LWP_WSTOP;
}

/** lp counts as stopped (once): tstop, or a sleep whose own CURSIG stopped its process. */
export function lwp_count_stopped(k: Kernel, lp: Lwp): void {
  if ((lp.lwp_flag & LWP_WSTOP) !== 0) return;
  lp.lwp_flag |= LWP_WSTOP;
  lp.lwp_proc.p_nstopped++;
  stopped_notify(k, lp.lwp_proc);
}

/**
 * proc_unstop(p): the process is active again. LWPs stopped in tstop run (and leave
 * tstop uncounted); the others counted stopped (asleep elsewhere: a stop never woke
 * them) are uncounted now and sleep on.
 */
export function proc_unstop(k: Kernel, p: Proc): void {
  if (p.p_stat !== SSTOP) return;
  p.p_stat = SACTIVE;
  for (let lp = k.firstLwp(p); lp !== null; lp = k.nextLwp(lp)) {
    if (lp.lwp_stat === LSSTOP) unsleep(k, lp, 0);
    else if ((lp.lwp_flag & LWP_WSTOP) !== 0) {
      lp.lwp_flag &= ~LWP_WSTOP;
      p.p_nstopped--;
    }
  }
}

/**
 * lwp_signotify: a PCATCH sleep is broken, an LWP idle in user mode is scheduled to take
 * it. The LWP a CPU is running now (a trap's own signal, or one from another LWP's
 * syscall on that CPU) takes it on its way back to user mode, as signotify's AST does:
 * queueing it too would leave it on the run queue while it runs, and sleeps.
 */
function lwp_signotify(k: Kernel, lp: Lwp, sig: number): void {
  if ((lp.lwp_sigmask & sigmask(sig)) !== 0n && sig !== SIGKILL) return;
  if (lp.wchan) wakeupForSignal(k, lp);
  else if (lp.mode === "user" && !lp.onRunq && k.cpus[lp.cpu].curlwp !== lp) setrunqueue(k, lp);
}

/**
 * trapsignal: a signal a trap raised in lp (a fault, an illegal instruction). Caught and
 * not masked, its handler frame is built at once with the trap's code; otherwise it is
 * posted to lp alone, with the code kept for postsig. Returns the rest of the path when
 * the frame could not be written (the process dies of SIGILL).
 */
export function trapsignal(k: Kernel, lp: Lwp, sig: number, code: number): KGen<unknown> | null {
  const p = lp.lwp_proc, ps = p.p_sigacts!, m = sigmask(sig);
  if ((p.p_flag & P_TRACED) === 0 && (ps.ps_sigcatch & m) !== 0n && (lp.lwp_sigmask & m) === 0n) {
    lp.lwp_ru.ru_nsignals++;
    const handler = ps.ps_sigact[sig];
    const ok = sendsig(k, lp, handler, sig, lp.lwp_sigmask, code);
    lp.lwp_sigmask |= SIG_CANTMASK(ps.ps_catchmask[sig]);
    if ((ps.ps_signodefer & m) === 0n) lp.lwp_sigmask |= m;
    if ((ps.ps_sigreset & m) !== 0n) sigreset(ps, sig);
    return ok ? null : sigexit(k, lp, SIGILL);
  }
  lp.lwp_code = code;
  lp.lwp_sig = sig;
  lwpsignal(k, p, lp, sig);
  return null;
}

/** SA_RESETHAND: back to the default action once the handler is entered. */
function sigreset(ps: Sigacts, sig: number): void {
  const m = sigmask(sig);
  ps.ps_sigcatch &= ~m;
  if (sig !== SIGCONT && (sigprop(sig) & SA_IGNORE)) ps.ps_sigignore |= m;
  ps.ps_sigact[sig] = SIG_DFL;
}

/** sigprop(sig) & SA_IGNORE: the default action is to ignore it. */
export function sigprop_ignore(sig: number): boolean { return (sigprop(sig) & SA_IGNORE) !== 0; }

/** pgsignal: the process-group lock is taken exclusive while walking pg_members. */
export function* pgsignal(k: Kernel, lp: Lwp, pg: Pgrp, sig: number): KGen<void> {
  yield* lockmgr(k, lp, pg.pg_lock, LK_EXCLUSIVE);
  for (const p of pg.pg_members) ksignal(k, p, sig);
  yield* lockmgr(k, lp, pg.pg_lock, LK_RELEASE);
}

/**
 * issignal(lp): the signal to act on at the return to user mode, or 0. Ignored signals
 * are dropped; a default action that ignores, or any default action for pid 0 and 1,
 * consumes the signal; so does one that stops, having stopped the process (proc_stop:
 * userret then sees SSTOP and stops this LWP too, in tstop); a signal that terminates or
 * is caught is returned, still pending, for postsig.
 */
export function issignal(k: Kernel, lp: Lwp): number {
  const p = lp.lwp_proc, ps = p.p_sigacts!;
  for (;;) {
    if (nonePending(lp)) return 0;
    let mask = lwpPending(lp) & ~lp.lwp_sigmask;
    if (p.p_flag & P_PPWAIT) mask &= ~STOPSIGMASK;
    const sig = sig_ffs(mask);
    if (sig === 0) return 0;
    const m = sigmask(sig);
    if ((ps.ps_sigignore & m) !== 0n && (p.p_flag & P_TRACED) === 0) { lwp_delsig(lp, sig); continue; }
    const prop = sigprop(sig), action = ps.ps_sigact[sig];
    if (action === SIG_DFL) {
      // Don't take default actions on system processes; default-ignored signals drop.
      if (p.p_pid <= 1) { /* dropped */ }
      else if (prop & SA_STOP) {
        // A tty stop to an orphaned group is discarded; any other stops the process,
        // which this LWP joins in tstop on its way back to user mode (userret).
        if ((prop & SA_TTYSTOP) === 0 || !pgrp_orphaned(p.p_pgrp)) {
          p.p_xstat = sig;
          proc_stop(k, p);
        }
      } else if ((prop & SA_IGNORE) === 0) return sig;
    } else if (action !== SIG_IGN) {
      return sig; /* This signal has an action, let postsig() process it. */
    }
    lwp_delsig(lp, sig); /* take the signal! */
  }
}

/**
 * postsig(sig): takes the signal and acts: the default action terminates (sigexit, the
 * rest of the path returned); a handler gets its frame (sendsig) with the mask it runs
 * under, and the mask to restore (the one before sigsuspend, if there was one) saved in it.
 */
export function postsig(k: Kernel, lp: Lwp, sig: number): KGen<unknown> | null {
  const p = lp.lwp_proc, ps = p.p_sigacts!, m = sigmask(sig);
  lwp_delsig(lp, sig);
  const action = ps.ps_sigact[sig];
  if (action === SIG_DFL) return sigexit(k, lp, sig);
  /* Reset the signal handler if asked to. */
  if ((ps.ps_sigreset & m) !== 0n) sigreset(ps, sig);
  /* Set the signal mask and calculate the mask to restore when the handler returns. */
  let returnmask: Sigset;
  if (lp.lwp_flag & LWP_OLDMASK) {
    returnmask = lp.lwp_oldsigmask;
    lp.lwp_flag &= ~LWP_OLDMASK;
  } else {
    returnmask = lp.lwp_sigmask;
  }
  lp.lwp_sigmask |= SIG_CANTMASK(ps.ps_catchmask[sig]);
  if ((ps.ps_signodefer & m) === 0n) lp.lwp_sigmask |= m;
  lp.lwp_ru.ru_nsignals++;
  let code = 0;
  if (lp.lwp_sig === sig) { code = lp.lwp_code; lp.lwp_code = 0; lp.lwp_sig = 0; }
  return sendsig(k, lp, action, sig, returnmask, code) ? null : sigexit(k, lp, SIGILL);
}

/** sigexit: the process ends with the signal (no core file is written). */
export function sigexit(k: Kernel, lp: Lwp, sig: number): KGen<number> {
  return exit1(k, lp, W_EXITCODE(0, sig));
}

/**
 * execsigs: caught signals go back to their default action (and are dropped when that
 * ignores them), ignored ones stay ignored, the mask is kept; the alternate stack is
 * disabled and PS_NOCLDWAIT cleared.
 */
export function execsigs(lp: Lwp): void {
  const p = lp.lwp_proc, ps = p.p_sigacts!;
  while (ps.ps_sigcatch !== 0n) {
    const sig = sig_ffs(ps.ps_sigcatch), m = sigmask(sig);
    ps.ps_sigcatch &= ~m;
    if (sigprop(sig) & SA_IGNORE) {
      if (sig !== SIGCONT) ps.ps_sigignore |= m;
      p.p_siglist &= ~m;
      lp.lwp_siglist &= ~m;
    }
    ps.ps_sigact[sig] = SIG_DFL;
  }
  const ss = lp.lwp_sigstk;
  ss.ss_flags = SS_DISABLE;
  ss.ss_size = 0;
  ss.ss_sp = 0;
  lp.lwp_flag &= ~LWP_ALTSTACK;
  ps.ps_flag &= ~PS_NOCLDWAIT;
}

// stack_t ss_flags.
export const SS_ONSTACK = 0x0001;
export const SS_DISABLE = 0x0004;

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
/** A sigset_t (16 bytes) read from `bytes` at `off`. */
export function sigsetRead(dv: DataView, off: number): Sigset {
  return sigsetFromWords([0, 1, 2, 3].map((i) => dv.getUint32(off + 4 * i, true)));
}
/** A sigset_t written into `dv` at `off`. */
export function sigsetWrite(dv: DataView, off: number, s: Sigset): void {
  sigsetToWords(s).forEach((w, i) => dv.setUint32(off + 4 * i, w >>> 0, true));
}
