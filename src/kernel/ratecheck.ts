// ppsratecheck (kern_time.c 1.40): at most maxpps events per window of hz ticks, for
// rate-limited kernel messages. DragonFly keeps the global `ticks` in lasttime->tv_sec,
// so a "second" here is hz ticks.

/** The caller's static state: lasttime.tv_sec (a tick count, 0 = never) and *curpps. */
export interface RateState {
  lasttime: number;
  curpps: number;
}

/**
 * True if the event may proceed (e.g. print). A new window starts on the first call or
 * once ticks - lasttime, as an unsigned 32-bit difference, reaches hz; the first event of
 * a window passes if maxpps != 0, later ones while the count, incremented first, stays
 * below maxpps (maxpps < 0: no limit). So maxpps 1 lets one event through per window.
 * Quirk kept: a window started at ticks 0 stores 0, which reads as "never", so every
 * later call starts a new window until one lands on a non-zero tick.
 */
export function ppsratecheck(state: RateState, maxpps: number, ticks: number, hz: number): boolean {
  if (!Number.isInteger(maxpps)) throw new Error(`ppsratecheck: maxpps must be an integer, got ${maxpps}`);
  if (!Number.isInteger(ticks)) throw new Error(`ppsratecheck: ticks must be an integer, got ${ticks}`);
  if (!Number.isInteger(hz) || hz <= 0) throw new Error(`ppsratecheck: hz must be a positive integer, got ${hz}`);
  const now = ticks | 0; // the kernel's int ticks
  if (state.lasttime === 0 || ((now - state.lasttime) >>> 0) >= hz) {
    state.lasttime = now;
    state.curpps = 1;
    return maxpps !== 0;
  }
  state.curpps++;
  return maxpps < 0 || state.curpps < maxpps;
}
