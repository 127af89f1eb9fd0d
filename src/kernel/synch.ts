// tsleep and wakeup (kern_synch.c 1.90) on the virtual clock. A kernel path that sleeps
// is a generator: tsleep parks the LWP on its wait channel and yields; wakeup (or the
// timeout) makes it runnable, and the scheduler resumes the generator with tsleep's
// return value.
import type { Kernel } from "./kernel.js";
import type { Lwp, KGen, SleepMark } from "./proc.js";
import { LSRUN, LSSLEEP, PCATCH } from "./param.js";
import { EWOULDBLOCK, EINTR, ERESTART } from "./errno.js";
import { KernelPanic } from "./panic.js";
import { setrunqueue } from "./sched.js";
import { pendingUnmasked, sigIsInterrupting } from "./signal.js";

const SLEEPING: SleepMark = { sleeping: true };

/**
 * The LWPs sleeping on each wait channel, in the order they went to sleep. A channel's
 * queue stays with it once made (weakly: it goes when the channel does), so a process that
 * waits on every loop reuses one array; a Map entry made and deleted per sleep would have
 * the Map reallocate its table on nearly every fork.
 */
export class SleepQueues {
  private q = new WeakMap<object, Lwp[]>();
  private n = 0;
  add(ident: object, lp: Lwp): void {
    let s = this.q.get(ident);
    if (!s) this.q.set(ident, (s = []));
    if (s.includes(lp)) return;
    s.push(lp);
    this.n++;
  }
  remove(ident: object, lp: Lwp): void {
    const s = this.q.get(ident);
    const i = s ? s.indexOf(lp) : -1;
    if (i < 0) return;
    if (i === s!.length - 1) s!.pop(); // (splice would make an array)
    else s!.splice(i, 1);
    this.n--;
  }
  sleepers(ident: object): Lwp[] {
    const s = this.q.get(ident);
    return s ? s.slice() : [];
  }
  has(ident: object): boolean { return (this.q.get(ident)?.length ?? 0) > 0; }
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
    const sig = pendingUnmasked(lp);
    if (sig) return sigIsInterrupting(lp.lwp_proc, sig) ? EINTR : ERESTART;
  }
  lp.lwp_stat = LSSLEEP;
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
  if (!k.sleepq.has(ident)) return; // most wakeups find nobody: no snapshot to make
  for (const lp of k.sleepq.sleepers(ident)) unsleep(k, lp, 0);
}

/** A signal for a sleeping LWP: a PCATCH sleep ends with EINTR or ERESTART. */
export function wakeupForSignal(k: Kernel, lp: Lwp, sig: number): void {
  if (lp.wchan && (lp.sleepFlags & PCATCH)) {
    unsleep(k, lp, sigIsInterrupting(lp.lwp_proc, sig) ? EINTR : ERESTART);
  }
}
