// Virtual CPUs and the scheduler. Each virtual CPU has a FIFO run queue and its own
// vmmeter (gd_cnt). Time advances in ticks; in each tick every CPU may spend
// `cyclesPerTick` cycles, handed out in slices round-robin across CPUs, so LWPs on
// different CPUs interleave. When every CPU is idle the clock jumps to the next callout.
// The choice of CPU for a newly runnable LWP comes from the seeded generator.
import type { Kernel } from "./kernel.js";
import type { Lwp } from "./proc.js";
import { Vmmeter } from "./vmmeter.js";
import { LSRUN } from "./param.js";

export class VirtualCpu {
  readonly gd_cnt = new Vmmeter();
  /** gd_schedclock: lwp_fork reads time - periodic for lwp_cpbase. */
  readonly gd_schedclock = { time: 0, periodic: 0 };
  /** The queue is runq[head..]; slots before head are cleared as they are taken. */
  runq: (Lwp | null)[] = [];
  head = 0;
  /** Cycles left in the current tick. */
  budget = 0;
  curlwp: Lwp | null = null;
  /** The LWP this CPU last ran (its context is loaded): dispatching another is a switch. */
  lastlwp: Lwp | null = null;
  idleTicks = 0;
  constructor(readonly cpuid: number) {}
  get queued(): number { return this.runq.length - this.head; }
  take(): Lwp | undefined {
    if (this.head >= this.runq.length) return undefined;
    const lp = this.runq[this.head]!;
    // Cleared, or the array would keep up to a thousand exited LWPs (and their processes)
    // alive: the garbage collector would copy them on every scavenge.
    this.runq[this.head++] = null;
    if (this.head > 1024 && this.head * 2 > this.runq.length) { this.runq = this.runq.slice(this.head); this.head = 0; }
    return lp;
  }
}

/** setrunqueue: puts a runnable LWP on a virtual CPU's queue. */
export function setrunqueue(k: Kernel, lp: Lwp): void {
  if (lp.onRunq) return;
  lp.lwp_stat = LSRUN;
  lp.onRunq = true;
  lp.cpu = k.cpus.length === 1 ? 0 : k.rng.below(k.cpus.length);
  k.cpus[lp.cpu].runq.push(lp);
}

/** Takes an LWP off the run queues (exit, or a bare LWP that has nothing to run). */
export function remrunqueue(k: Kernel, lp: Lwp): void {
  if (!lp.onRunq) return;
  const cpu = k.cpus[lp.cpu];
  const i = cpu.runq.indexOf(lp, cpu.head);
  if (i >= 0) cpu.runq.splice(i, 1);
  lp.onRunq = false;
}

export interface RunLimits {
  /** Stop once virtual time reaches this tick. */
  untilTick: number;
  /** Stop when this returns true (checked between slices). */
  until?: () => boolean;
}

export type RunStop = "time" | "condition" | "idle" | "listener";

/**
 * Runs the machine until the tick limit, the condition, or until nothing can ever run
 * again (every CPU idle and no callout pending). Each slice and each clock advance is a
 * kernel step: its events reach listeners when it is over, and a listener that throws
 * stops the run there ("listener").
 */
export function schedRun(k: Kernel, lim: RunLimits): RunStop {
  const cpus = k.cpus, events = k.events;
  for (;;) {
    if (events.failed) return "listener";
    if (lim.until?.()) return "condition";
    let ran = false;
    for (const cpu of cpus) {
      if (cpu.budget <= 0) continue;
      const lp = cpu.take();
      if (!lp) continue;
      lp.onRunq = false;
      const slice = Math.min(cpu.budget, k.tun.sliceCycles);
      // lwkt_switch counts every switch to another thread (a first switch-in is counted
      // by Kernel.switchin; switches to the idle thread are not modeled).
      if (cpu.lastlwp !== lp && lp.mode !== "new") cpu.gd_cnt.v_swtch++;
      cpu.curlwp = lp;
      events.hold();
      let used: number;
      try { used = k.dispatch(lp, cpu, slice); } finally { events.release(); }
      cpu.curlwp = null;
      cpu.lastlwp = lp.mode === "exited" ? null : lp;
      cpu.budget -= Math.max(1, used);
      ran = true;
      if (events.failed) return "listener";
      if (lim.until?.()) return "condition";
    }
    if (ran) continue;
    // Nothing ran: every CPU spent its tick or has nothing to run. Advance time.
    const anyQueued = cpus.some((c) => c.queued > 0);
    let next = k.clock.ticks + 1;
    if (!anyQueued) {
      const t = k.clock.nextTime();
      if (t === Infinity) return "idle";
      next = Math.max(next, t);
    }
    if (next > lim.untilTick) { advance(k, lim.untilTick); return "time"; }
    for (const cpu of cpus) {
      if (cpu.queued === 0) cpu.idleTicks += next - k.clock.ticks;
      cpu.budget = k.tun.cyclesPerTick;
      cpu.gd_schedclock.time = next;
      cpu.gd_schedclock.periodic = 1;
    }
    advance(k, next);
  }
}

/** The clock moves on to tick t, firing the callouts due (timeouts, wakeups): one kernel step. */
function advance(k: Kernel, t: number): void {
  k.events.hold();
  try { k.clock.advanceTo(t); } finally { k.events.release(); }
}
