// Time and interval timers (kern_time.c 1.40, kern_clock.c 1.61; reference §5), all on
// the virtual clock. Uptime has two grains, as in the kernel: the fine one (nanouptime:
// ticks plus the cycles the running CPU has spent in the current tick) and the coarse one
// (getmicrouptime: whole ticks). The wall clock is BOOTTIME_SEC plus uptime.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, Proc, KGen } from "./proc.js";
import type { Callout } from "./clock.js";
import { EINVAL, EINTR, ERESTART, EWOULDBLOCK, EFAULT } from "./errno.js";
import { PCATCH, SIGALRM } from "./param.js";
import { ksignal } from "./signal.js";
import { tsleep } from "./synch.js";

/** The boot time forklab's wall clock starts from: 2008-05-09 00:00:00 UTC (the seed's commit date). */
export const BOOTTIME_SEC = 1210291200;

export const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 4;
export const ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
const SIGVTALRM = 26, SIGPROF = 27;

/** One interval timer, in microseconds: ITIMER_REAL's value is the absolute uptime it fires at. */
export interface Itimerval { interval: number; value: number }
/** A process's p_realtimer, p_timer[] and p_ithandle, with the cycles not yet a whole µs. */
export class Itimers {
  readonly real: Itimerval = { interval: 0, value: 0 };
  readonly virt: Itimerval = { interval: 0, value: 0 };
  readonly prof: Itimerval = { interval: 0, value: 0 };
  handle: Callout | null = null;
  virtFrac = 0;
  profFrac = 0;
}

/** tick: microseconds per hardclock tick. */
function tickUs(k: Kernel): number { return Math.floor(1_000_000 / k.tun.hz); }

/** getmicrouptime: uptime in µs as of the last tick. */
export function getmicrouptime(k: Kernel): number { return Math.floor(k.clock.ticks * 1_000_000 / k.tun.hz); }

/**
 * nanouptime: uptime in ns, to the cycle: the ticks, plus the cycles the CPU running the
 * current LWP has spent in this tick. Never goes back (one counter for all CPUs, as a
 * synchronised cputimer is).
 */
export function nanouptime(k: Kernel): number {
  const per = k.tun.cyclesPerTick;
  let partial = 0;
  const lp = k.curlwp;
  if (k.running && lp !== null) partial = per - k.cpus[lp.cpu].budget + k.sliceUsed;
  partial = Math.min(Math.max(partial, 0), per - 1);
  const t = Math.floor(k.clock.ticks * 1e9 / k.tun.hz) + Math.floor(partial * 1e9 / k.tun.cpuHz);
  if (t > k.lastUptimeNs) k.lastUptimeNs = t;
  return k.lastUptimeNs;
}

// ---- copyin/copyout of timeval, timespec, itimerval ----

function put2(k: Kernel, p: Proc, uva: number, a: number, b: number): number {
  const buf = new Uint8Array(8), dv = new DataView(buf.buffer);
  dv.setInt32(0, a, true);
  dv.setInt32(4, b, true);
  return k.copyout(p, uva, buf);
}
/** Two longs from user memory, or null on EFAULT. */
function get2(k: Kernel, p: Proc, uva: number): [number, number] | null {
  const b = k.copyin(p, uva, 8);
  if (!b) return null;
  const dv = new DataView(b.buffer, b.byteOffset, 8);
  return [dv.getInt32(0, true), dv.getInt32(4, true)];
}
const nsParts = (ns: number): [number, number] => [Math.floor(ns / 1e9), ns % 1e9];
const usParts = (us: number): [number, number] => [Math.floor(us / 1e6), us % 1e6];

// ---- gettimeofday, clock_gettime, clock_getres ----

/** gettimeofday(tp, tzp): microtime, and the kernel's timezone {0, 0}. */
export function* sys_gettimeofday(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [tp, tzp] = args, p = lp.lwp_proc;
  if (tp !== 0) {
    const [sec, usec] = usParts(Math.floor(nanouptime(k) / 1000));
    const e = put2(k, p, tp, BOOTTIME_SEC + sec, usec);
    if (e) return e;
  }
  if (tzp !== 0) return put2(k, p, tzp, 0, 0);
  return 0;
}

/** clock_gettime(clock_id, tp): CLOCK_REALTIME (nanotime) or CLOCK_MONOTONIC (nanouptime). */
export function* sys_clock_gettime(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [id, tp] = args;
  if (id !== CLOCK_REALTIME && id !== CLOCK_MONOTONIC) return EINVAL;
  const [sec, nsec] = nsParts(nanouptime(k));
  return put2(k, lp.lwp_proc, tp, sec + (id === CLOCK_REALTIME ? BOOTTIME_SEC : 0), nsec);
}

/**
 * clock_getres(clock_id, tp): 1e9 / the cputimer's frequency + 1 ns. forklab's cputimer
 * is the virtual CPU's cycle counter (cpuHz). A NULL tp is allowed.
 */
export function* sys_clock_getres(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [id, tp] = args;
  if (id !== CLOCK_REALTIME && id !== CLOCK_MONOTONIC) return EINVAL;
  if (tp === 0) return 0;
  return put2(k, lp.lwp_proc, tp, 0, Math.floor(1e9 / k.tun.cpuHz) + 1);
}

// ---- nanosleep ----

const nanowait = { name: "nanowait" };

/** tvtohz_low: whole ticks in a µs interval, rounded down. */
function tvtohz_low(k: Kernel, us: number): number { return Math.floor(us / tickUs(k)); }
/** tvtohz_high: ticks to be sure the interval has passed: rounded up, plus one (the current tick is partial). */
export function tvtohz_high(k: Kernel, us: number): number {
  return us < 0 ? 1 : Math.ceil(us / tickUs(k)) + 1;
}

/**
 * nanosleep1: sleeps on the virtual clock until the uptime target, in whole ticks (a
 * sleep shorter than a tick ends at the next one: forklab has no systimers). A signal
 * ends it: EINTR (ERESTART becomes EINTR: never restarted), with the time left.
 */
function* nanosleep1(k: Kernel, lp: Lwp, sec: number, nsec: number, rmt: { ns: number }): KGen<number> {
  if (nsec < 0 || nsec >= 1e9) return EINVAL;
  if (sec < 0 || (sec === 0 && nsec === 0)) return 0;
  const target = nanouptime(k) + sec * 1e9 + nsec;
  let left = sec * 1e9 + nsec;
  for (;;) {
    const ticks = Math.max(1, tvtohz_low(k, Math.floor(left / 1000)));
    let error = yield* tsleep(k, lp, nanowait, PCATCH, "nanslp", ticks);
    const now = nanouptime(k);
    if (error && error !== EWOULDBLOCK) {
      if (error === ERESTART) error = EINTR;
      rmt.ns = Math.max(0, target - now);
      return error;
    }
    if (now >= target) return 0;
    left = target - now;
  }
}

/**
 * nanosleep(rqtp, rmtp), with the bug of this commit (fixed in 2009): when the sleep
 * fails (interrupted, or an invalid request) and rmtp is set, the remainder is copied
 * out and the copyout's result, 0, is returned. So a signal that cuts a sleep short
 * gives 0 when rmtp is set, EINTR when it is NULL. For EINVAL the kernel copied out an
 * uninitialised timespec; forklab copies {0, 0}.
 */
export function* sys_nanosleep(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [rqtp, rmtp] = args, p = lp.lwp_proc;
  const rqt = get2(k, p, rqtp);
  if (!rqt) return EFAULT;
  const rmt = { ns: 0 };
  const error = yield* nanosleep1(k, lp, rqt[0], rqt[1], rmt);
  if (error && rmtp !== 0) return put2(k, p, rmtp, ...nsParts(rmt.ns));
  return error;
}

// ---- setitimer, getitimer ----

function itimersOf(p: Proc): Itimers { return (p.p_itimers ??= new Itimers()); }

/** itimerfix: 0 <= sec <= 10^8, 0 <= usec < 10^6, else null; a non-zero value under a tick becomes one tick. */
function itimerfix(k: Kernel, sec: number, usec: number): number | null {
  if (sec < 0 || sec > 100_000_000 || usec < 0 || usec >= 1_000_000) return null;
  if (sec === 0 && usec !== 0 && usec < tickUs(k)) usec = tickUs(k);
  return sec * 1e6 + usec;
}

/** The itimerval getitimer reports: ITIMER_REAL as the time left, max(0, target - now). */
function getitimer(k: Kernel, p: Proc, which: number): Itimerval {
  const it = p.p_itimers;
  if (!it) return { interval: 0, value: 0 };
  if (which === ITIMER_REAL) {
    const now = getmicrouptime(k);
    const v = it.real.value;
    return { interval: it.real.interval, value: v === 0 || v < now ? 0 : v - now };
  }
  const t = which === ITIMER_VIRTUAL ? it.virt : it.prof;
  return { interval: t.interval, value: t.value };
}

function putItimerval(k: Kernel, p: Proc, uva: number, v: Itimerval): number {
  const b = new Uint8Array(16), dv = new DataView(b.buffer);
  const [is, iu] = usParts(v.interval), [vs, vu] = usParts(v.value);
  dv.setInt32(0, is, true); dv.setInt32(4, iu, true); dv.setInt32(8, vs, true); dv.setInt32(12, vu, true);
  return k.copyout(p, uva, b);
}

/** getitimer(which, itv): which above ITIMER_PROF is EINVAL. */
export function* sys_getitimer(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [which, itv] = args;
  if (which > ITIMER_PROF) return EINVAL;
  return putItimerval(k, lp.lwp_proc, itv, getitimer(k, lp.lwp_proc, which));
}

/**
 * setitimer(which, itv, oitv): itv is read, then the old value goes to oitv (before the
 * new one is checked: an invalid itv still fills oitv), then itv is checked (EINVAL) and
 * set. it_value 0 disarms and clears it_interval. ITIMER_REAL is a callout armed for
 * tvtohz_high(value) ticks, its value kept as an absolute uptime (getmicrouptime + value,
 * also when disarming, which getitimer then reports as 0).
 */
export function* sys_setitimer(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [which, itvp, oitvp] = args, p = lp.lwp_proc;
  if (which > ITIMER_PROF) return EINVAL;
  let raw: Uint8Array | null = null;
  if (itvp !== 0 && !(raw = k.copyin(p, itvp, 16))) return EFAULT;
  if (oitvp !== 0) {
    const e = putItimerval(k, p, oitvp, getitimer(k, p, which));
    if (e) return e;
  }
  if (!raw) return 0;
  const dv = new DataView(raw.buffer, raw.byteOffset, 16);
  const value = itimerfix(k, dv.getInt32(8, true), dv.getInt32(12, true));
  if (value === null) return EINVAL;
  let interval = 0;
  if (value !== 0) {
    const iv = itimerfix(k, dv.getInt32(0, true), dv.getInt32(4, true));
    if (iv === null) return EINVAL;
    interval = iv;
  }
  const it = itimersOf(p);
  if (which === ITIMER_REAL) {
    if (it.handle) { k.clock.stop(it.handle); it.handle = null; }
    if (value !== 0) it.handle = k.clock.callout(tvtohz_high(k, value), () => realitexpire(k, p));
    it.real.value = value + getmicrouptime(k);
    it.real.interval = interval;
  } else {
    const t = which === ITIMER_VIRTUAL ? it.virt : it.prof;
    t.value = value;
    t.interval = interval;
    if (which === ITIMER_VIRTUAL) it.virtFrac = 0; else it.profFrac = 0;
  }
  return 0;
}

/**
 * realitexpire: SIGALRM to the process. With an interval, intervals are added until the
 * target is in the future (periods missed give one signal) and the callout is re-armed.
 */
function realitexpire(k: Kernel, p: Proc): void {
  const it = p.p_itimers!;
  it.handle = null;
  ksignal(k, p, SIGALRM);
  if (it.real.interval === 0) { it.real.value = 0; return; }
  const now = getmicrouptime(k);
  do it.real.value += it.real.interval; while (it.real.value <= now);
  it.handle = k.clock.callout(tvtohz_high(k, it.real.value - now), () => realitexpire(k, p));
}

/** exit1: the real timer's callout is stopped. */
export function itimers_exit(k: Kernel, p: Proc): void {
  const it = p.p_itimers;
  if (it?.handle) { k.clock.stop(it.handle); it.handle = null; }
}

/**
 * itimerdecr(itp, usec): 0 when the timer expired, which reloads it_interval less the
 * overshoot; 1 while it still runs.
 */
function itimerdecr(t: Itimerval, us: number): number {
  if (t.value > us) { t.value -= us; return 1; }
  const over = us - t.value;
  // (An overshoot beyond the interval leaves it armed to expire at the next charge.)
  t.value = t.interval !== 0 ? Math.max(t.interval - over, 1) : 0;
  return 0;
}

/**
 * The CPU time an LWP of p just used (hardclock's share): ITIMER_VIRTUAL runs down in
 * user mode only, ITIMER_PROF in both; each expiry posts SIGVTALRM / SIGPROF. DragonFly
 * decrements a whole tick when hardclock samples the process running; forklab charges the
 * exact cycles (docs/kernel.md).
 */
export function itimer_charge(k: Kernel, p: Proc, cycles: number, user: boolean): void {
  const it = p.p_itimers!;
  const perUs = k.tun.cpuHz / 1e6;
  if (user && it.virt.value !== 0) {
    it.virtFrac += cycles;
    const us = Math.floor(it.virtFrac / perUs);
    it.virtFrac -= us * perUs;
    if (us > 0 && itimerdecr(it.virt, us) === 0) ksignal(k, p, SIGVTALRM);
  }
  if (it.prof.value !== 0) {
    it.profFrac += cycles;
    const us = Math.floor(it.profFrac / perUs);
    it.profFrac -= us * perUs;
    if (us > 0 && itimerdecr(it.prof, us) === 0) ksignal(k, p, SIGPROF);
  }
}

/** Cycles of user mode until p's next CPU-time timer expiry (Infinity if none runs). */
export function itimer_cycles_left(k: Kernel, p: Proc): number {
  const it = p.p_itimers!;
  const perUs = k.tun.cpuHz / 1e6;
  let left = Infinity;
  if (it.virt.value !== 0) left = Math.ceil(it.virt.value * perUs - it.virtFrac);
  if (it.prof.value !== 0) left = Math.min(left, Math.ceil(it.prof.value * perUs - it.profFrac));
  return Math.max(1, left);
}
