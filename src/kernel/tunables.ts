// The kernel's tunables: what a Kernel is created with, checked, with DragonFly's
// defaults (subr_param.c 1.7: hz 100, maxproc from physical memory).
import { STRATEGIES, type Strategy } from "../core/core.js";

export interface KernelOptions {
  /** Simulated physical memory in bytes (default 64 MiB). */
  physBytes?: number;
  /** Clock interrupts per virtual second (default 100, DragonFly's HZ). */
  hz?: number;
  /** Virtual CPUs (default 1). */
  ncpus?: number;
  /** kern.maxproc (default: DragonFly's formula from the physical memory size). */
  maxproc?: number;
  /** How fork copies an address space: "cow" (default) or "copy". */
  strategy?: Strategy;
  /** Seed of every random choice (scheduler CPU choice, randompid). Default 1. */
  seed?: number;
  /** kern.randompid (default 0: sequential pids). */
  randompid?: number;
  /** Virtual CPU speed in cycles per second (default 1e9). */
  cpuHz?: number;
  /** Cycles a CPU runs one LWP before looking at the others (default 100,000). */
  sliceCycles?: number;
  /** vm_page_count_severe threshold in free frames (default 0: never severe). */
  vmSevereFrames?: number;
  /** Keep the 64-bit trace hash of every event (default false). */
  trace?: boolean;
  /**
   * Check the machine's invariants after every kernel step (src/kernel/invariants.ts); a
   * broken one is a kernel panic. Default false: then they cost one test per step.
   */
  checkInvariants?: boolean;
}

export interface Tunables {
  physBytes: number;
  hz: number;
  ncpus: number;
  maxproc: number;
  strategy: Strategy;
  seed: number;
  randompid: number;
  cpuHz: number;
  cyclesPerTick: number;
  sliceCycles: number;
  vmSevereFrames: number;
  trace: boolean;
  checkInvariants: boolean;
  /** The virtual cost model (docs/kernel.md): cycles charged per event. */
  cost: { syscall: number; fork: number; perPte: number; exec: number; switch: number };
}

/** DragonFly's maxproc from the memory size: NPROC = 20 + 16 * maxusers, capped at physpages / 12. */
export function defaultMaxproc(physBytes: number): number {
  const physpages = Math.floor(physBytes / 4096);
  const maxusers = Math.min(384, Math.max(32, Math.floor(physpages / 512)));
  return Math.min(20 + 16 * maxusers, Math.floor(physpages / 12));
}

/** An option's value: its default when left out (undefined; null is a value, and refused). */
function int(name: string, given: number | undefined, dflt: number, min: number, max: number): number {
  const v = given === undefined ? dflt : given;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${v}`);
  }
  return v;
}

export function resolveTunables(o: KernelOptions): Tunables {
  const physBytes = int("physBytes", o.physBytes, 64 * 1024 * 1024, 1 << 20, 3 * 1024 * 1024 * 1024);
  if (physBytes % 4096) throw new RangeError(`physBytes must be a multiple of 4096, got ${physBytes}`);
  const hz = int("hz", o.hz, 100, 1, 10000);
  const cpuHz = int("cpuHz", o.cpuHz, 1_000_000_000, hz, 1e12);
  const strategy = o.strategy === undefined ? "cow" : o.strategy;
  if (!STRATEGIES.includes(strategy)) throw new RangeError(`strategy must be ${STRATEGIES.map((s) => `"${s}"`).join(", ")}, got ${JSON.stringify(strategy)}`);
  return {
    physBytes,
    hz,
    ncpus: int("ncpus", o.ncpus, 1, 1, 64),
    maxproc: int("maxproc", o.maxproc, defaultMaxproc(physBytes), 1, 99998),
    strategy,
    seed: int("seed", o.seed, 1, 0, 0xFFFFFFFF),
    randompid: int("randompid", o.randompid, 0, 0, 99999),
    cpuHz,
    cyclesPerTick: Math.floor(cpuHz / hz),
    sliceCycles: int("sliceCycles", o.sliceCycles, 100_000, 100, 1e9),
    vmSevereFrames: int("vmSevereFrames", o.vmSevereFrames, 0, 0, 1 << 30),
    trace: o.trace === true,
    checkInvariants: o.checkInvariants === true,
    cost: { syscall: 1000, fork: 50_000, perPte: 20, exec: 100_000, switch: 2000 },
  };
}
