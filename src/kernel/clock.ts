// Virtual time: `ticks` advances hz times per virtual second; callouts fire at a tick.
// Nothing here reads host time, so a run is repeatable.

export interface Callout {
  readonly time: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

export class Clock {
  ticks = 0;
  private heap: Callout[] = [];
  private seq = 0;
  constructor(readonly hz: number) {}

  /** callout_reset: run fn after `delay` ticks (at least 1). */
  callout(delay: number, fn: () => void): Callout {
    const c: Callout = { time: this.ticks + Math.max(1, delay), seq: this.seq++, fn, cancelled: false };
    this.heap.push(c);
    this.up(this.heap.length - 1);
    return c;
  }

  /** callout_stop */
  stop(c: Callout): void { c.cancelled = true; }

  /** The tick of the next live callout, or Infinity. */
  nextTime(): number {
    while (this.heap.length && this.heap[0].cancelled) this.pop();
    return this.heap.length ? this.heap[0].time : Infinity;
  }

  /** Advances to `t` (>= ticks), firing due callouts in (time, order of arming). */
  advanceTo(t: number): void {
    for (;;) {
      const next = this.nextTime();
      if (next > t) break;
      const c = this.pop();
      this.ticks = c.time;
      if (!c.cancelled) c.fn();
    }
    this.ticks = t;
  }

  /** Microseconds of virtual time (microtime). */
  microtime(): number { return Math.floor(this.ticks * 1_000_000 / this.hz); }

  private less(a: Callout, b: Callout): boolean { return a.time < b.time || (a.time === b.time && a.seq < b.seq); }
  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  private pop(): Callout {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
