// lockmgr (kern_lock.c 1.27: shared, exclusive, release; waiters sleep for real), spinlocks
// and critical sections. Each checks its own use and panics on misuse, so a broken kernel
// path fails loudly in tests instead of silently.
import type { Kernel } from "./kernel.js";
import type { Lwp, Thread, KGen } from "./proc.js";
import { LK_SHARED, LK_EXCLUSIVE, LK_RELEASE, LK_TYPE_MASK, LK_NOWAIT } from "./param.js";
import { EBUSY } from "./errno.js";
import { KernelPanic } from "./panic.js";
import { tsleep, wakeup } from "./synch.js";

export class Lockmgr {
  sharecount = 0;
  exclusivecount = 0;
  holder: Thread | null = null;
  waitcount = 0;
  /**
   * LK_WANT_EXCL: an exclusive request is waiting for the sharers to drain. New shared
   * requests block behind it, so a stream of sharers cannot starve it (kern_lock.c 1.27).
   */
  wantexcl = false;
  /**
   * The threads holding it shared and how many holds each (to check releases; the kernel
   * keeps only the count): O(1) however many hold it, as a fork bomb's sleeping forkers
   * all may. The one thread that holds it most of the time is kept outside the Map, so
   * the common take-and-release on every fork makes no Map entry.
   */
  private one: Thread | null = null;
  private oneHolds = 0;
  private sharers: Map<Thread, number> | null = null;
  constructor(readonly name: string) {}
  isHeld(): boolean { return this.sharecount > 0 || this.exclusivecount > 0; }
  heldShared(td: Thread): boolean {
    return (this.one === td && this.oneHolds > 0) || (this.sharers?.has(td) ?? false);
  }
  /** @internal */ addSharer(td: Thread, d: 1 | -1): void {
    if (this.one === td || (this.one === null && d > 0)) {
      this.one = td;
      this.oneHolds += d;
      if (this.oneHolds === 0) this.one = null;
      return;
    }
    const m = this.sharers ??= new Map();
    const n = (m.get(td) ?? 0) + d;
    if (n > 0) m.set(td, n); else m.delete(td);
  }
}

/** lockmgr(lkp, flags) for LK_SHARED, LK_EXCLUSIVE and LK_RELEASE. Returns 0 or EBUSY (LK_NOWAIT). */
export function* lockmgr(k: Kernel, lp: Lwp, lkp: Lockmgr, flags: number): KGen<number> {
  const td = lp.lwp_thread;
  switch (flags & LK_TYPE_MASK) {
    case LK_SHARED:
      if (lkp.holder === td) throw new KernelPanic(`lockmgr: ${lkp.name}: shared request by its exclusive holder (downgrade is not modeled)`);
      /* Wait for exclusive locks and upgrades to clear: LK_HAVE_EXCL | LK_WANT_EXCL. */
      while (lkp.exclusivecount > 0 || lkp.wantexcl) {
        if (flags & LK_NOWAIT) return EBUSY;
        yield* waitFor(k, lp, lkp);
      }
      return takeShared(lkp, td);
    case LK_EXCLUSIVE:
      if (lkp.holder === td) throw new KernelPanic(`lockmgr: ${lkp.name}: locking against myself`);
      if ((flags & LK_NOWAIT) && (lkp.exclusivecount > 0 || lkp.wantexcl || lkp.sharecount > 0)) return EBUSY;
      /* Try to acquire the want_exclusive flag (LK_HAVE_EXCL | LK_WANT_EXCL clear)... */
      while (lkp.exclusivecount > 0 || lkp.wantexcl) yield* waitFor(k, lp, lkp);
      lkp.wantexcl = true;
      /* ...then wait for the shared locks to finish (LK_SHARE_NONZERO clear). */
      while (lkp.sharecount > 0) yield* waitFor(k, lp, lkp);
      lkp.wantexcl = false;
      lkp.exclusivecount = 1;
      lkp.holder = td;
      td.td_locks++;
      return 0;
    case LK_RELEASE:
      return release(k, lp, lkp);
    default:
      throw new KernelPanic(`lockmgr: ${lkp.name}: unsupported request ${flags & LK_TYPE_MASK}`);
  }
}

/** lockmgr_fast's answer when the request needs lockmgr itself. */
export const LK_MAYSLEEP = -100;

/**
 * lockmgr without a generator, for the requests that cannot sleep: a shared request
 * while nobody holds or wants the lock exclusive, and a release. It does exactly what
 * lockmgr would; for any other request it does nothing and returns LK_MAYSLEEP, and the
 * caller yield*s lockmgr. (fork1 takes and drops its process group's lock on every fork,
 * nearly always uncontended: this spares it two generators.)
 */
export function lockmgr_fast(k: Kernel, lp: Lwp, lkp: Lockmgr, flags: number): number {
  const td = lp.lwp_thread;
  switch (flags & LK_TYPE_MASK) {
    case LK_SHARED:
      if (lkp.holder === td || lkp.exclusivecount > 0 || lkp.wantexcl) return LK_MAYSLEEP;
      return takeShared(lkp, td);
    case LK_RELEASE:
      return release(k, lp, lkp);
    default:
      return LK_MAYSLEEP;
  }
}

function takeShared(lkp: Lockmgr, td: Thread): number {
  lkp.sharecount++;
  lkp.addSharer(td, 1);
  td.td_locks++;
  return 0;
}

function release(k: Kernel, lp: Lwp, lkp: Lockmgr): number {
  const td = lp.lwp_thread;
  if (lkp.exclusivecount > 0) {
    if (lkp.holder !== td) throw new KernelPanic(`lockmgr: ${lkp.name}: pid ${lp.lwp_proc.p_pid} releases an exclusive lock it does not hold`);
    lkp.exclusivecount = 0;
    lkp.holder = null;
  } else if (lkp.sharecount > 0 && lkp.heldShared(td)) {
    lkp.sharecount--;
    lkp.addSharer(td, -1);
  } else {
    throw new KernelPanic(`lockmgr: ${lkp.name}: pid ${lp.lwp_proc.p_pid} releases a lock it does not hold`);
  }
  td.td_locks--;
  if (lkp.waitcount > 0) wakeup(k, lkp);
  return 0;
}

function* waitFor(k: Kernel, lp: Lwp, lkp: Lockmgr): KGen<void> {
  if (k.events.wants("lock")) {
    k.events.emit({ type: "lock", pid: lp.lwp_proc.p_pid, tid: lp.lwp_tid, lock: lkp.name, sharecount: lkp.sharecount, exclusive: lkp.exclusivecount > 0 });
  }
  lkp.waitcount++;
  yield* tsleep(k, lp, lkp, 0, lkp.name, 0);
  lkp.waitcount--;
}

/** A spinlock never sleeps; the checks catch double locking, foreign unlocks and sleeping under one. */
export class Spinlock {
  owner: Thread | null = null;
  constructor(readonly name: string) {}
}
export function spin_lock(td: Thread, s: Spinlock): void {
  if (s.owner) throw new KernelPanic(`spin_lock: ${s.name} already held${s.owner === td ? " by this thread" : ""}`);
  s.owner = td;
  td.td_spinlocks++;
}
export function spin_unlock(td: Thread, s: Spinlock): void {
  if (s.owner !== td) throw new KernelPanic(`spin_unlock: ${s.name} not held by this thread`);
  s.owner = null;
  td.td_spinlocks--;
}

/** crit_enter/crit_exit: nesting counted per thread; tsleep inside one panics. */
export function crit_enter(td: Thread): void { td.td_critcount++; }
export function crit_exit(td: Thread): void {
  if (td.td_critcount <= 0) throw new KernelPanic("crit_exit: not in a critical section");
  td.td_critcount--;
}
