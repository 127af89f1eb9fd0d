// Per-uid process counts (uidinfo, chgproccnt; kern_resource.c) and the per-process
// resource limits (struct plimit; kern_plimit.c), with setrlimit/getrlimit on top.
import { EINVAL, EPERM } from "./errno.js";

export type Kprintf = (text: string) => void;

// ---- uidinfo ---------------------------------------------------------------------------

export class Uidinfo {
  ui_proccnt = 0;
  ui_ref = 0;
  constructor(readonly ui_uid: number) {}
}

/** The kernel's uidinfo hash: one entry per uid while something references it. */
export class UidTable {
  private readonly byUid = new Map<number, Uidinfo>();

  /** The uid's entry with a reference taken, created on first use. */
  uifind(uid: number): Uidinfo {
    if (!Number.isInteger(uid) || uid < 0 || uid > 0xFFFFFFFF) {
      throw new Error(`uifind: uid must be a 32-bit unsigned integer, got ${uid}`);
    }
    let uip = this.byUid.get(uid);
    if (uip === undefined) {
      uip = new Uidinfo(uid);
      this.byUid.set(uid, uip);
    }
    return this.uihold(uip);
  }

  /** Take another reference; returns uip for `cr.cr_uidinfo = uids.uihold(uip)`. */
  uihold(uip: Uidinfo): Uidinfo {
    if (this.byUid.get(uip.ui_uid) !== uip) throw new Error(`uihold: uid ${uip.ui_uid} is not in this table (freed?)`);
    uip.ui_ref++;
    return uip;
  }

  /** Drop a reference; the last one removes the entry (uifree). */
  uidrop(uip: Uidinfo): void {
    if (uip.ui_ref <= 0) throw new Error(`uidrop: uid ${uip.ui_uid} has no references to drop`);
    if (this.byUid.get(uip.ui_uid) !== uip) throw new Error(`uidrop: uid ${uip.ui_uid} is not in this table`);
    if (--uip.ui_ref === 0) this.byUid.delete(uip.ui_uid);
  }

  /** The entry for uid without taking a reference (uilookup). */
  uilookup(uid: number): Uidinfo | undefined {
    return this.byUid.get(uid);
  }

  get size(): number {
    return this.byUid.size;
  }

  /** Every entry (the invariant checker counts each uid's processes). */
  entries(): IterableIterator<Uidinfo> {
    return this.byUid.values();
  }
}

/**
 * Change the uid's process count. diff > 0 is refused (returns 0, nothing changes) when
 * max != 0 and the count would pass max; max 0 means no limit, which is what root passes.
 * A count that goes negative is kept and reported. max is the kernel's `int` parameter:
 * pass rlimToInt(rlim_cur), as fork1 does.
 */
export function chgproccnt(uip: Uidinfo, diff: number, max: number, kprintf?: Kprintf): 0 | 1 {
  if (!isInt32(diff)) throw new Error(`chgproccnt: diff must be an int, got ${diff}`);
  if (!isInt32(max)) throw new Error(`chgproccnt: max must be an int (convert an rlimit with rlimToInt), got ${max}`);
  if (diff > 0 && uip.ui_proccnt + diff > max && max !== 0) return 0;
  uip.ui_proccnt += diff;
  if (uip.ui_proccnt < 0) kprintf?.(`negative proccnt for uid = ${uip.ui_uid}\n`);
  return 1;
}

// ---- rlimits ---------------------------------------------------------------------------

// sys/sys/resource.h order.
export const RLIMIT_CPU = 0;
export const RLIMIT_FSIZE = 1;
export const RLIMIT_DATA = 2;
export const RLIMIT_STACK = 3;
export const RLIMIT_CORE = 4;
export const RLIMIT_RSS = 5;
export const RLIMIT_MEMLOCK = 6;
export const RLIMIT_NPROC = 7;
export const RLIMIT_NOFILE = 8;
export const RLIMIT_SBSIZE = 9;
export const RLIMIT_AS = 10;
export const RLIMIT_POSIXLOCKS = 11;
export const RLIM_NLIMITS = 12;

/**
 * rlim_t is a signed 64-bit quad and RLIM_INFINITY is 2^63-1. Limits are kept as numbers,
 * so this value stands for 2^63-1; any limit at or above it is infinite. Its low 32 bits
 * are all ones, as 2^63-1's are.
 */
export const RLIM_INFINITY = Number.MAX_SAFE_INTEGER;

/**
 * What C gives when an rlim_t is passed to an `int`: the low 32 bits, signed. fork1 passes
 * RLIMIT_NPROC's rlim_cur to chgproccnt this way, so RLIM_INFINITY becomes -1 and every
 * non-root fork is refused (reference §6.4, derived from the C types).
 */
export function rlimToInt(v: number): number {
  checkRlim("rlimToInt", v);
  if (v >= RLIM_INFINITY) return -1;
  return v | 0;
}

export interface Rlimit {
  rlim_cur: number;
  rlim_max: number;
}

/** p_exclusive: 0 shared copy-on-write, 1 exclusive to one proc, 2 exclusive because threaded. */
export type PlimitExclusive = 0 | 1 | 2;

export class Plimit {
  pl_rlimit: Rlimit[] = [];
  /** References from processes; -999 once the last is freed, 0 if freed by decrement. */
  p_refcnt = 1;
  p_exclusive: PlimitExclusive = 0;
  /** RLIMIT_CPU's rlim_cur in microseconds, or RLIM_INFINITY. */
  p_cpulimit = RLIM_INFINITY;
}

/** What plimit needs of a process; the kernel's Proc satisfies it. */
export interface LimitProc {
  p_limit: Plimit | null;
  p_nthreads: number;
}

export interface Plimit0Options {
  /** RLIMIT_NOFILE cur = max = maxfiles (init_main does this; left infinite when omitted). */
  maxfiles?: number;
  /** Free memory at boot in bytes: RLIMIT_RSS max and RLIMIT_MEMLOCK max are this, MEMLOCK cur a third. */
  freeBytes?: number;
}

/**
 * proc0's limits: RLIMIT_NPROC cur = max = maxproc, the rest RLIM_INFINITY unless the
 * options give the values the kernel derives from maxfiles and free memory.
 */
export function plimit_init0(maxproc: number, opts: Plimit0Options = {}): Plimit {
  checkRlim("maxproc", maxproc);
  const limit = new Plimit();
  for (let i = 0; i < RLIM_NLIMITS; i++) limit.pl_rlimit.push({ rlim_cur: RLIM_INFINITY, rlim_max: RLIM_INFINITY });
  limit.pl_rlimit[RLIMIT_NPROC] = { rlim_cur: maxproc, rlim_max: maxproc };
  if (opts.maxfiles !== undefined) {
    checkRlim("maxfiles", opts.maxfiles);
    limit.pl_rlimit[RLIMIT_NOFILE] = { rlim_cur: opts.maxfiles, rlim_max: opts.maxfiles };
  }
  if (opts.freeBytes !== undefined) {
    checkRlim("freeBytes", opts.freeBytes);
    limit.pl_rlimit[RLIMIT_RSS].rlim_max = opts.freeBytes;
    limit.pl_rlimit[RLIMIT_MEMLOCK] = { rlim_cur: Math.floor(opts.freeBytes / 3), rlim_max: opts.freeBytes };
  }
  return limit;
}

/** A plimit's copy with one reference and not exclusive (plimit_copy). */
function plimit_copy(olimit: Plimit): Plimit {
  const n = new Plimit();
  n.pl_rlimit = olimit.pl_rlimit.map((r) => ({ ...r }));
  n.p_cpulimit = olimit.p_cpulimit;
  return n;
}

/**
 * The plimit for a child of p1: the same structure with one more reference (shared
 * copy-on-write), unless p1 is threaded and its plimit exclusive 2, when the child gets a copy.
 */
export function plimit_fork(p1: LimitProc): Plimit {
  const olimit = liveLimit("plimit_fork", p1);
  // Exclusive but not threaded, or no longer threaded: back to copy-on-write.
  if (olimit.p_exclusive === 1) {
    assertSoleRef("plimit_fork", olimit);
    olimit.p_exclusive = 0;
  } else if (olimit.p_exclusive === 2 && p1.p_nthreads === 1) {
    assertSoleRef("plimit_fork", olimit);
    olimit.p_exclusive = 0;
  }
  if (olimit.p_exclusive === 0) {
    olimit.p_refcnt++;
    return olimit;
  }
  return plimit_copy(olimit);
}

/** A new LWP in p: make p's plimit exclusive 2 so p_limit stays put while threads read it. */
export function plimit_lwp_fork(p: LimitProc): void {
  for (;;) {
    const olimit = liveLimit("plimit_lwp_fork", p);
    if (olimit.p_exclusive === 2) {
      assertSoleRef("plimit_lwp_fork", olimit);
      return;
    }
    if (olimit.p_refcnt === 1) {
      olimit.p_exclusive = 2;
      return;
    }
    plimit_modify(p, -1, null);
  }
}

/**
 * Make p's plimit exclusive before changing it, then set limit `index` to rlim when
 * index >= 0. A shared plimit is copied and the copy installed in p. As in kern_plimit.c
 * 1.3, the shared original keeps the reference p held on it (a later revision drops it
 * with plimit_free), so it is never freed.
 */
export function plimit_modify(p: LimitProc, index: number, rlim: Rlimit | null): void {
  const olimit = liveLimit("plimit_modify", p);
  if (index >= 0) {
    if (!Number.isInteger(index) || index >= RLIM_NLIMITS) throw new Error(`plimit_modify: no limit ${index}`);
    if (rlim === null) throw new Error("plimit_modify: index given without an rlimit");
    checkRlim("rlim_cur", rlim.rlim_cur);
    checkRlim("rlim_max", rlim.rlim_max);
  }
  let rlimit: Plimit;
  if (p.p_nthreads === 1 && olimit.p_exclusive === 0 && olimit.p_refcnt === 1) olimit.p_exclusive = 1;
  if (p.p_nthreads === 1 && olimit.p_exclusive !== 0) {
    rlimit = olimit;
  } else if (olimit.p_refcnt === 1) {
    if (olimit.p_exclusive === 0) olimit.p_exclusive = 1;
    rlimit = olimit;
  } else {
    if (olimit.p_exclusive !== 0) throw new Error("plimit_modify: shared plimit is marked exclusive");
    rlimit = plimit_copy(olimit);
    rlimit.p_exclusive = 1;
    p.p_limit = rlimit;
  }
  if (index >= 0) rlimit.pl_rlimit[index] = { rlim_cur: rlim!.rlim_cur, rlim_max: rlim!.rlim_max };
}

/** Drop p's reference and clear p_limit. The last reference is marked -999 as the kernel does before kfree. */
export function plimit_free(p: LimitProc): void {
  const limit = p.p_limit;
  if (limit === null) return;
  if (limit.p_refcnt <= 0) throw new Error(`plimit_free: plimit already freed (p_refcnt ${limit.p_refcnt})`);
  p.p_limit = null;
  if (limit.p_refcnt === 1) limit.p_refcnt = -999;
  else limit.p_refcnt--;
}

/** System tunables that cap what setrlimit stores (subr_param.c, vmparam.h). */
export interface RlimitTunables {
  maxdsiz: number;
  maxssiz: number;
  maxfilesperproc: number;
  maxprocperuid: number;
  maxposixlocksperuid: number;
}

/**
 * setrlimit(which, rlim) for p with effective uid cr_uid. Returns 0 or -errno:
 * -EINVAL for an unknown limit, -EPERM when a non-root caller asks for more than the
 * current hard limit. As in the kernel: the plimit is made exclusive first (even if the
 * call then fails), negative values (and any at or above RLIM_INFINITY, which a number
 * cannot tell apart) mean RLIM_INFINITY, rlim_cur above rlim_max is lowered
 * to it (no error), and DATA, STACK, NOFILE, NPROC (at least 1) and POSIXLOCKS are capped
 * by the tunables. Lowering or raising RLIMIT_STACK also reprotects the stack in the
 * kernel; that is the caller's part (compare with kern_getrlimit before the call).
 */
export function kern_setrlimit(
  p: LimitProc, which: number, rlim: Rlimit, cred: { cr_uid: number }, tun: RlimitTunables,
): number {
  if (!Number.isInteger(which)) throw new Error(`kern_setrlimit: which must be an integer, got ${which}`);
  for (const v of [rlim.rlim_cur, rlim.rlim_max]) {
    if (!Number.isInteger(v)) throw new Error(`kern_setrlimit: limits must be integers, got ${v}`);
  }
  // u_int which: a negative one is huge.
  if (which < 0 || which >= RLIM_NLIMITS) return -EINVAL;
  plimit_modify(p, -1, null);
  const limit = p.p_limit!;
  const alimp = limit.pl_rlimit[which];
  // Negative limits count as unsigned, i.e. infinite ("historical bugs").
  let cur = rlim.rlim_cur < 0 || rlim.rlim_cur > RLIM_INFINITY ? RLIM_INFINITY : rlim.rlim_cur;
  let max = rlim.rlim_max < 0 || rlim.rlim_max > RLIM_INFINITY ? RLIM_INFINITY : rlim.rlim_max;
  if ((cur > alimp.rlim_max || max > alimp.rlim_max) && cred.cr_uid !== 0) return -EPERM;
  if (cur > max) cur = max;
  switch (which) {
    case RLIMIT_CPU:
      // The kernel multiplies by 10^6 unless that would pass 2^63-1; a number is exact
      // only below 2^53, so limits above about 285 years of CPU time count as infinite.
      limit.p_cpulimit = cur > Math.floor(RLIM_INFINITY / 1000000) ? RLIM_INFINITY : cur * 1000000;
      break;
    case RLIMIT_DATA:
      cur = Math.min(cur, tun.maxdsiz);
      max = Math.min(max, tun.maxdsiz);
      break;
    case RLIMIT_STACK:
      cur = Math.min(cur, tun.maxssiz);
      max = Math.min(max, tun.maxssiz);
      break;
    case RLIMIT_NOFILE:
      cur = Math.min(cur, tun.maxfilesperproc);
      max = Math.min(max, tun.maxfilesperproc);
      break;
    case RLIMIT_NPROC:
      cur = Math.max(1, Math.min(cur, tun.maxprocperuid));
      max = Math.max(1, Math.min(max, tun.maxprocperuid));
      break;
    case RLIMIT_POSIXLOCKS:
      cur = Math.min(cur, tun.maxposixlocksperuid);
      max = Math.min(max, tun.maxposixlocksperuid);
      break;
  }
  limit.pl_rlimit[which] = { rlim_cur: cur, rlim_max: max };
  return 0;
}

/** getrlimit: a copy of limit `which`, or -EINVAL. */
export function kern_getrlimit(p: LimitProc, which: number): Rlimit | number {
  if (!Number.isInteger(which)) throw new Error(`kern_getrlimit: which must be an integer, got ${which}`);
  if (which < 0 || which >= RLIM_NLIMITS) return -EINVAL;
  const r = liveLimit("kern_getrlimit", p).pl_rlimit[which];
  return { rlim_cur: r.rlim_cur, rlim_max: r.rlim_max };
}

// ---- checks ----------------------------------------------------------------------------

function isInt32(v: number): boolean {
  return Number.isInteger(v) && v >= -0x80000000 && v <= 0x7FFFFFFF;
}

function checkRlim(what: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > RLIM_INFINITY) {
    throw new Error(`${what} must be an integer from 0 to RLIM_INFINITY, got ${v}`);
  }
}

function liveLimit(fn: string, p: LimitProc): Plimit {
  const limit = p.p_limit;
  if (limit === null) throw new Error(`${fn}: process has no plimit`);
  if (limit.p_refcnt <= 0) throw new Error(`${fn}: plimit used after plimit_free (p_refcnt ${limit.p_refcnt})`);
  return limit;
}

function assertSoleRef(fn: string, limit: Plimit): void {
  if (limit.p_refcnt !== 1) {
    throw new Error(`${fn}: exclusive plimit has p_refcnt ${limit.p_refcnt}, expected 1`);
  }
}
