// tsleep and wakeup (kern_synch.c 1.90) on the virtual clock. A kernel path that sleeps
// is a generator: tsleep parks the LWP on its wait channel and yields; wakeup (or the
// timeout) makes it runnable, and the scheduler resumes the generator with tsleep's
// return value.
import type { Kernel } from "./kernel.js";
import type { Lwp, KGen, SleepMark } from "./proc.js";
import { LSRUN, LSSLEEP, LSSTOP, SSTOP, PCATCH } from "./param.js";
import { EWOULDBLOCK, EINTR, ERESTART } from "./errno.js";
import { KernelPanic } from "./panic.js";
import { setrunqueue } from "./sched.js";
import { CURSIG, lwp_count_stopped, sigIsInterrupting } from "./signal.js";

const SLEEPING: SleepMark = { sleeping: true };

/** One wait channel's sleepers, linked through the LWPs (slpPrev, slpNext) in the order they slept. */
interface SleepQueue { head: Lwp | null; tail: Lwp | null; n: number }

/**
 * The LWPs sleeping on each wait channel, in the order they went to sleep: a list linked
 * through the LWPs, so that going to sleep and waking are O(1) however many sleep on a
 * channel (a fork bomb's 100,000 processes wait on a handful). An LWP sleeps on one
 * channel at a time: its wchan names the queue it is on. A channel's queue stays with it
 * once made (weakly: it goes when the channel does), so a channel slept on every loop
 * costs no allocation.
 */
export class SleepQueues {
  private q = new WeakMap<object, SleepQueue>();
  private n = 0;
  /** Puts lp at the end of ident's queue, unless it is on a queue already. */
  add(ident: object, lp: Lwp): void {
    let s = this.q.get(ident);
    if (!s) this.q.set(ident, (s = { head: null, tail: null, n: 0 }));
    if (lp.slpQ !== null) return;
    lp.slpQ = s;
    lp.slpPrev = s.tail;
    lp.slpNext = null;
    if (s.tail) s.tail.slpNext = lp; else s.head = lp;
    s.tail = lp;
    s.n++;
    this.n++;
  }
  remove(ident: object, lp: Lwp): void {
    const s = this.q.get(ident);
    if (!s || lp.slpQ !== s) return;
    if (lp.slpPrev) lp.slpPrev.slpNext = lp.slpNext; else s.head = lp.slpNext;
    if (lp.slpNext) lp.slpNext.slpPrev = lp.slpPrev; else s.tail = lp.slpPrev;
    lp.slpQ = lp.slpPrev = lp.slpNext = null;
    s.n--;
    this.n--;
  }
  /** The first of ident's sleepers (the next ones follow lp.slpNext), or null. */
  first(ident: object): Lwp | null { return this.q.get(ident)?.head ?? null; }
  /** ident's sleepers in the order they slept (a copy: waking them changes the queue). */
  sleepers(ident: object): Lwp[] {
    const out: Lwp[] = [];
    for (let lp = this.q.get(ident)?.head ?? null; lp; lp = lp.slpNext) out.push(lp);
    return out;
  }
  has(ident: object): boolean { return (this.q.get(ident)?.n ?? 0) > 0; }
  /** Whether lp is on ident's queue. */
  holds(ident: object, lp: Lwp): boolean { return lp.slpQ !== null && lp.slpQ === this.q.get(ident); }
  /** How many sleep on ident. */
  count(ident: object): number { return this.q.get(ident)?.n ?? 0; }
  get size(): number { return this.n; }
}

/**
 * tsleep(ident, flags, wmesg, timo): 0 when woken, EWOULDBLOCK after `timo` ticks
 * (0 = no timeout), EINTR/ERESTART with PCATCH when a signal arrives.
 */
export function* tsleep(k: Kernel, lp: Lwp, ident: object, flags: number, wmesg: string, timo: number): KGen<number> {
  const r = tsleep_begin(k, lp, ident, flags, wmesg, timo);
  return typeof r === "number" ? r : yield r;
}

/**
 * A PCATCH tsleep's CURSIG. When it is the one that stops the process (a stop signal
 * with the default action), the kernel's issignal would block in tstop right here, inside
 * tsleep; forklab counts the LWP stopped instead (LWP_WSTOP) and lets it go on: it sleeps
 * or returns as it would once continued, and tstop holds it on its way to user mode.
 */
function caughtSignal(k: Kernel, lp: Lwp): number {
  const p = lp.lwp_proc, was = p.p_stat;
  const sig = CURSIG(k, lp);
  if (was !== SSTOP && p.p_stat === SSTOP) lwp_count_stopped(k, lp);
  return sig;
}

/**
 * tsleep for a hot caller that yields by itself, sparing tsleep's generator: the errno
 * of a sleep that ends before it begins (PCATCH and a signal pending), or SLEEPING: the
 * LWP is on its wait channel, the caller yields SLEEPING, and what its yield returns is
 * tsleep's result:
 *   const s = tsleep_begin(...); const error = typeof s === "number" ? s : yield s;
 */
export function tsleep_begin(
  k: Kernel, lp: Lwp, ident: object, flags: number, wmesg: string, timo: number,
): number | SleepMark {
  const td = lp.lwp_thread;
  if (td.td_critcount > 0) throw new KernelPanic(`tsleep("${wmesg}") in a critical section (pid ${lp.lwp_proc.p_pid})`);
  if (td.td_spinlocks > 0) throw new KernelPanic(`tsleep("${wmesg}") while holding a spinlock (pid ${lp.lwp_proc.p_pid})`);
  if (flags & PCATCH) {
    const sig = caughtSignal(k, lp);
    if (sig) return sigIsInterrupting(lp.lwp_proc, sig) ? EINTR : ERESTART;
  }
  if (lp.lwp_stat !== LSSTOP) lp.lwp_stat = LSSLEEP; // tstop sets LSSTOP: keep it
  lp.wchan = ident;
  lp.wmesg = wmesg;
  lp.sleepFlags = flags;
  k.sleepq.add(ident, lp);
  if (timo > 0) {
    const c = k.clock.callout(timo, () => { if (lp.wchan === ident) unsleep(k, lp, EWOULDBLOCK); });
    lp.slpTimeout = c;
  }
  if (k.events.wants("sleep")) {
    k.events.emit({ type: "sleep", pid: lp.lwp_proc.p_pid, tid: lp.lwp_tid, wmesg, timo });
  }
  return SLEEPING;
}

/** Takes a sleeping LWP off its channel and makes it runnable; tsleep returns `result`. */
export function unsleep(k: Kernel, lp: Lwp, result: number): void {
  if (!lp.wchan) return;
  k.sleepq.remove(lp.wchan, lp);
  if (lp.slpTimeout) { k.clock.stop(lp.slpTimeout); lp.slpTimeout = null; }
  const wmesg = lp.wmesg;
  lp.wchan = null;
  lp.wmesg = "";
  lp.lwp_stat = LSRUN;
  lp.wakeResult = result;
  if (k.events.wants("wakeup")) {
    k.events.emit({ type: "wakeup", pid: lp.lwp_proc.p_pid, tid: lp.lwp_tid, wmesg, result });
  }
  setrunqueue(k, lp);
}

/** wakeup(ident): every sleeper on ident. */
export function wakeup(k: Kernel, ident: object): void {
  for (let lp = k.sleepq.first(ident); lp !== null; ) {
    const next = lp.slpNext; // unsleep takes lp off the queue
    unsleep(k, lp, 0);
    lp = next;
  }
}

/**
 * A signal for a sleeping LWP: a PCATCH sleep is made runnable (setrunnable); its tsleep
 * then decides what the signal means (tsleep_wake).
 */
export function wakeupForSignal(k: Kernel, lp: Lwp): void {
  if (lp.wchan && (lp.sleepFlags & PCATCH)) unsleep(k, lp, 0);
}

/**
 * What tsleep returns when its LWP runs again: the wakeup's result, except that a PCATCH
 * sleep woken without error returns EINTR or ERESTART if CURSIG finds a signal to act on
 * then. (A signal issignal drops, a stop on a vfork child or any signal to init, leaves it
 * a plain wakeup, and the caller's loop sleeps again.)
 */
export function tsleep_wake(k: Kernel, lp: Lwp): number {
  let error = lp.wakeResult;
  if (error === 0 && (lp.sleepFlags & PCATCH) !== 0) {
    const sig = caughtSignal(k, lp);
    if (sig !== 0) error = sigIsInterrupting(lp.lwp_proc, sig) ? EINTR : ERESTART;
  }
  lp.wakeResult = 0;
  lp.sleepFlags = 0;
  return error;
}
