import { describe, expect, it } from "vitest";
import { EINVAL, EPERM } from "../../src/kernel/errno.js";
import {
  chgproccnt, kern_getrlimit, kern_setrlimit, plimit_fork, plimit_free, plimit_init0, plimit_lwp_fork,
  plimit_modify, rlimToInt, type LimitProc, type Plimit, RLIM_INFINITY, RLIM_NLIMITS, RLIMIT_AS, RLIMIT_CORE,
  RLIMIT_CPU, RLIMIT_DATA, RLIMIT_FSIZE, RLIMIT_MEMLOCK, RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_POSIXLOCKS,
  RLIMIT_RSS, RLIMIT_SBSIZE, RLIMIT_STACK, type RlimitTunables, UidTable,
} from "../../src/kernel/resource.js";

const MAXPROC = 1044; // 128 MiB: maxusers 64 (reference §2.5)

const TUN: RlimitTunables = {
  maxdsiz: 512 * 1024 * 1024,
  maxssiz: 64 * 1024 * 1024,
  maxfilesperproc: 1879,
  maxprocperuid: Math.floor(MAXPROC * 9 / 10),
  maxposixlocksperuid: 2000,
};

function proc(limit: Plimit | null, nthreads = 1): LimitProc {
  return { p_limit: limit, p_nthreads: nthreads };
}

const ROOT = { cr_uid: 0 };
const USER = { cr_uid: 1001 };

describe("uidinfo", () => {
  it("uifind creates an entry with one reference and finds the same one again; uidrop frees it at the last reference", () => {
    const t = new UidTable();
    const a = t.uifind(1001);
    expect(a).toMatchObject({ ui_uid: 1001, ui_ref: 1, ui_proccnt: 0 });
    const b = t.uifind(1001);
    expect(b).toBe(a);
    expect(a.ui_ref).toBe(2);
    expect(t.uihold(a)).toBe(a);
    expect(a.ui_ref).toBe(3);
    t.uidrop(a);
    t.uidrop(a);
    expect(t.uilookup(1001)).toBe(a);
    t.uidrop(a);
    expect(t.uilookup(1001)).toBeUndefined();
    expect(t.size).toBe(0);
    expect(t.uifind(1001)).not.toBe(a); // a fresh entry after the free
  });

  it("misuse throws: dropping a freed entry, holding it, a bad uid", () => {
    const t = new UidTable();
    const a = t.uifind(5);
    t.uidrop(a);
    expect(() => t.uidrop(a)).toThrow(/no references/);
    expect(() => t.uihold(a)).toThrow(/not in this table/);
    expect(() => t.uifind(-1)).toThrow(/uid must be/);
    expect(() => t.uifind(1.5)).toThrow(/uid must be/);
  });
});

describe("chgproccnt (kern_resource.c 1.34)", () => {
  it("counts up to max and refuses without changing the count when diff > 0 would pass max", () => {
    const uip = new UidTable().uifind(1001);
    expect(chgproccnt(uip, 1, 2)).toBe(1);
    expect(chgproccnt(uip, 1, 2)).toBe(1);
    expect(uip.ui_proccnt).toBe(2);
    expect(chgproccnt(uip, 1, 2)).toBe(0);
    expect(uip.ui_proccnt).toBe(2);
  });

  it("max 0 means no limit (what root passes); subtraction is allowed whatever the count", () => {
    const uip = new UidTable().uifind(0);
    for (let i = 0; i < 5000; i++) expect(chgproccnt(uip, 1, 0)).toBe(1);
    expect(chgproccnt(uip, -1, 10)).toBe(1); // above max, but going down
    expect(uip.ui_proccnt).toBe(4999);
  });

  it("keeps a count that goes negative and warns 'negative proccnt for uid = N'", () => {
    const uip = new UidTable().uifind(42);
    const printed: string[] = [];
    expect(chgproccnt(uip, -1, 0, (t) => printed.push(t))).toBe(1);
    expect(uip.ui_proccnt).toBe(-1);
    expect(printed).toEqual(["negative proccnt for uid = 42\n"]);
  });

  it("with RLIMIT_NPROC at RLIM_INFINITY truncated to int (-1), every non-root fork is refused", () => {
    const uip = new UidTable().uifind(1001);
    expect(chgproccnt(uip, 1, rlimToInt(RLIM_INFINITY))).toBe(0);
    expect(uip.ui_proccnt).toBe(0);
  });

  it("throws when max or diff is not an int (an rlimit must go through rlimToInt first)", () => {
    const uip = new UidTable().uifind(1001);
    expect(() => chgproccnt(uip, 1, RLIM_INFINITY)).toThrow(/rlimToInt/);
    expect(() => chgproccnt(uip, 0.5, 0)).toThrow(/diff must be an int/);
    expect(uip.ui_proccnt).toBe(0);
  });
});

describe("rlimToInt", () => {
  it("gives the low 32 bits as a signed int, as C's rlim_t-to-int conversion does", () => {
    expect(rlimToInt(RLIM_INFINITY)).toBe(-1); // 2^63-1
    expect(rlimToInt(0)).toBe(0);
    expect(rlimToInt(MAXPROC)).toBe(MAXPROC);
    expect(rlimToInt(0x7FFFFFFF)).toBe(0x7FFFFFFF);
    expect(rlimToInt(0x80000000)).toBe(-0x80000000);
    expect(rlimToInt(0x1_0000_0005)).toBe(5);
    expect(rlimToInt(0xFFFFFFFF)).toBe(-1);
  });

  it("throws on values that are not rlimits", () => {
    expect(() => rlimToInt(-1)).toThrow();
    expect(() => rlimToInt(1.5)).toThrow();
    expect(() => rlimToInt(Number.MAX_SAFE_INTEGER + 2)).toThrow();
  });
});

describe("plimit (kern_plimit.c 1.3)", () => {
  it("plimit_init0 gives RLIMIT_NPROC cur = max = maxproc and RLIM_INFINITY elsewhere, in resource.h order", () => {
    expect([RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_RSS, RLIMIT_MEMLOCK,
      RLIMIT_NPROC, RLIMIT_NOFILE, RLIMIT_SBSIZE, RLIMIT_AS, RLIMIT_POSIXLOCKS, RLIM_NLIMITS])
      .toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const l = plimit_init0(MAXPROC);
    expect(l.pl_rlimit).toHaveLength(12);
    for (let i = 0; i < RLIM_NLIMITS; i++) {
      const want = i === RLIMIT_NPROC ? MAXPROC : RLIM_INFINITY;
      expect(l.pl_rlimit[i]).toEqual({ rlim_cur: want, rlim_max: want });
    }
    expect(l).toMatchObject({ p_refcnt: 1, p_exclusive: 0, p_cpulimit: RLIM_INFINITY });
  });

  it("plimit_init0 options set NOFILE from maxfiles, and RSS/MEMLOCK from free memory as init_main does", () => {
    const l = plimit_init0(MAXPROC, { maxfiles: 2088, freeBytes: 120 * 1024 * 1024 });
    expect(l.pl_rlimit[RLIMIT_NOFILE]).toEqual({ rlim_cur: 2088, rlim_max: 2088 });
    expect(l.pl_rlimit[RLIMIT_RSS]).toEqual({ rlim_cur: RLIM_INFINITY, rlim_max: 120 * 1024 * 1024 });
    expect(l.pl_rlimit[RLIMIT_MEMLOCK]).toEqual({ rlim_cur: 40 * 1024 * 1024, rlim_max: 120 * 1024 * 1024 });
  });

  it("plimit_fork shares the plimit copy-on-write (p_exclusive 0) unless the process is threaded", () => {
    const p1 = proc(plimit_init0(MAXPROC));
    const l = plimit_fork(p1);
    expect(l).toBe(p1.p_limit);
    expect(l).toMatchObject({ p_refcnt: 2, p_exclusive: 0 });
  });

  it("plimit_fork turns an exclusive (1) plimit back to copy-on-write and shares it", () => {
    const p1 = proc(plimit_init0(MAXPROC));
    plimit_modify(p1, RLIMIT_CORE, { rlim_cur: 0, rlim_max: 0 });
    expect(p1.p_limit!.p_exclusive).toBe(1);
    expect(plimit_fork(p1)).toBe(p1.p_limit);
    expect(p1.p_limit).toMatchObject({ p_refcnt: 2, p_exclusive: 0 });
  });

  it("plimit_fork of a threaded process (exclusive 2) gives the child a copy with one reference, not exclusive", () => {
    const p1 = proc(plimit_init0(MAXPROC), 2);
    plimit_lwp_fork(p1);
    const before = p1.p_limit!;
    expect(before).toMatchObject({ p_exclusive: 2, p_refcnt: 1 });
    const c = plimit_fork(p1);
    expect(c).not.toBe(before);
    expect(c).toMatchObject({ p_refcnt: 1, p_exclusive: 0 });
    expect(c.pl_rlimit).toEqual(before.pl_rlimit);
    expect(c.pl_rlimit[0]).not.toBe(before.pl_rlimit[0]);
    expect(before).toMatchObject({ p_exclusive: 2, p_refcnt: 1 });
  });

  it("plimit_fork after the threads are gone (exclusive 2, one thread) shares again", () => {
    const p1 = proc(plimit_init0(MAXPROC), 2);
    plimit_lwp_fork(p1);
    p1.p_nthreads = 1;
    expect(plimit_fork(p1)).toBe(p1.p_limit);
    expect(p1.p_limit).toMatchObject({ p_refcnt: 2, p_exclusive: 0 });
  });

  it("plimit_lwp_fork on a shared plimit installs a private copy marked 2; the shared one keeps p's reference (1.3 leak)", () => {
    const p1 = proc(plimit_init0(MAXPROC));
    const shared = p1.p_limit!;
    const child = proc(plimit_fork(p1));
    p1.p_nthreads = 2;
    plimit_lwp_fork(p1);
    expect(p1.p_limit).not.toBe(shared);
    expect(p1.p_limit).toMatchObject({ p_refcnt: 1, p_exclusive: 2 });
    // kern_plimit.c 1.3 installs the copy without dropping the old reference.
    expect(shared).toMatchObject({ p_refcnt: 2, p_exclusive: 0 });
    expect(child.p_limit).toBe(shared);
  });

  it("plimit_modify writes in place when p alone holds the plimit, and copies a shared one so the other process keeps its limits", () => {
    const p1 = proc(plimit_init0(MAXPROC));
    const own = p1.p_limit!;
    plimit_modify(p1, RLIMIT_CORE, { rlim_cur: 0, rlim_max: 100 });
    expect(p1.p_limit).toBe(own);
    expect(own.pl_rlimit[RLIMIT_CORE]).toEqual({ rlim_cur: 0, rlim_max: 100 });

    const p2 = proc(plimit_fork(p1));
    plimit_modify(p2, RLIMIT_CORE, { rlim_cur: 50, rlim_max: 100 });
    expect(p2.p_limit).not.toBe(own);
    expect(p2.p_limit).toMatchObject({ p_refcnt: 1, p_exclusive: 1 });
    expect(p2.p_limit!.pl_rlimit[RLIMIT_CORE]).toEqual({ rlim_cur: 50, rlim_max: 100 });
    expect(own.pl_rlimit[RLIMIT_CORE]).toEqual({ rlim_cur: 0, rlim_max: 100 });
  });

  it("plimit_free marks the last reference -999 (as before kfree) and only decrements a shared one", () => {
    const p1 = proc(plimit_init0(MAXPROC));
    const l = p1.p_limit!;
    const p2 = proc(plimit_fork(p1));
    plimit_free(p2);
    expect(p2.p_limit).toBeNull();
    expect(l.p_refcnt).toBe(1);
    plimit_free(p1);
    expect(p1.p_limit).toBeNull();
    expect(l.p_refcnt).toBe(-999);
    plimit_free(p1); // no plimit: nothing to do
  });

  it("using a freed plimit throws", () => {
    const l = plimit_init0(MAXPROC);
    plimit_free(proc(l));
    expect(() => plimit_fork(proc(l))).toThrow(/after plimit_free/);
    expect(() => plimit_free(proc(l))).toThrow(/already freed/);
    expect(() => plimit_lwp_fork(proc(null))).toThrow(/no plimit/);
  });

  it("plimit_modify rejects a bad index or rlimit without touching the plimit", () => {
    const p = proc(plimit_init0(MAXPROC));
    expect(() => plimit_modify(p, 12, { rlim_cur: 1, rlim_max: 1 })).toThrow(/no limit 12/);
    expect(() => plimit_modify(p, RLIMIT_CORE, null)).toThrow(/without an rlimit/);
    expect(() => plimit_modify(p, RLIMIT_CORE, { rlim_cur: -5, rlim_max: 1 })).toThrow();
    expect(p.p_limit).toMatchObject({ p_exclusive: 0, p_refcnt: 1 });
  });
});

describe("kern_setrlimit / kern_getrlimit", () => {
  it("a non-root process may lower its limits; raising the hard limit needs root (EPERM)", () => {
    const p = proc(plimit_init0(MAXPROC));
    expect(kern_setrlimit(p, RLIMIT_NPROC, { rlim_cur: 10, rlim_max: 20 }, USER, TUN)).toBe(0);
    expect(kern_getrlimit(p, RLIMIT_NPROC)).toEqual({ rlim_cur: 10, rlim_max: 20 });
    expect(kern_setrlimit(p, RLIMIT_NPROC, { rlim_cur: 10, rlim_max: 21 }, USER, TUN)).toBe(-EPERM);
    expect(kern_setrlimit(p, RLIMIT_NPROC, { rlim_cur: 21, rlim_max: 20 }, USER, TUN)).toBe(-EPERM);
    expect(kern_getrlimit(p, RLIMIT_NPROC)).toEqual({ rlim_cur: 10, rlim_max: 20 });
    expect(kern_setrlimit(p, RLIMIT_NPROC, { rlim_cur: 10, rlim_max: 500 }, ROOT, TUN)).toBe(0);
    expect(kern_getrlimit(p, RLIMIT_NPROC)).toEqual({ rlim_cur: 10, rlim_max: 500 });
  });

  it("lowers rlim_cur above rlim_max to rlim_max instead of failing (DragonFly, unlike POSIX's EINVAL)", () => {
    const p = proc(plimit_init0(MAXPROC));
    expect(kern_setrlimit(p, RLIMIT_CORE, { rlim_cur: 100, rlim_max: 50 }, USER, TUN)).toBe(0);
    expect(kern_getrlimit(p, RLIMIT_CORE)).toEqual({ rlim_cur: 50, rlim_max: 50 });
  });

  it("EINVAL for an unknown limit, and the plimit is left as it was", () => {
    const p = proc(plimit_init0(MAXPROC));
    const before = structuredClone(p.p_limit!.pl_rlimit);
    expect(kern_setrlimit(p, RLIM_NLIMITS, { rlim_cur: 1, rlim_max: 1 }, ROOT, TUN)).toBe(-EINVAL);
    expect(kern_setrlimit(p, -1, { rlim_cur: 1, rlim_max: 1 }, ROOT, TUN)).toBe(-EINVAL);
    expect(kern_getrlimit(p, 12)).toBe(-EINVAL);
    expect(p.p_limit!.pl_rlimit).toEqual(before);
    expect(p.p_limit!.p_exclusive).toBe(0);
  });

  it("makes the plimit exclusive before the permission check, so even a refused call unshares it", () => {
    const p1 = proc(plimit_init0(MAXPROC));
    const shared = p1.p_limit!;
    const p2 = proc(plimit_fork(p1));
    expect(kern_setrlimit(p2, RLIMIT_NPROC, { rlim_cur: 1, rlim_max: RLIM_INFINITY }, USER, TUN)).toBe(-EPERM);
    expect(p2.p_limit).not.toBe(shared);
    expect(p2.p_limit!.pl_rlimit).toEqual(shared.pl_rlimit);
  });

  it("setrlimit in a child that shares the plimit does not change the parent's (copy-on-write)", () => {
    const p1 = proc(plimit_init0(MAXPROC));
    const p2 = proc(plimit_fork(p1));
    expect(kern_setrlimit(p2, RLIMIT_NPROC, { rlim_cur: 10, rlim_max: 10 }, USER, TUN)).toBe(0);
    expect(kern_getrlimit(p1, RLIMIT_NPROC)).toEqual({ rlim_cur: MAXPROC, rlim_max: MAXPROC });
    expect(kern_getrlimit(p2, RLIMIT_NPROC)).toEqual({ rlim_cur: 10, rlim_max: 10 });
  });

  it("treats negative values as RLIM_INFINITY (the historical unsigned reading)", () => {
    const p = proc(plimit_init0(MAXPROC));
    expect(kern_setrlimit(p, RLIMIT_CORE, { rlim_cur: -1, rlim_max: -1 }, USER, TUN)).toBe(0);
    expect(kern_getrlimit(p, RLIMIT_CORE)).toEqual({ rlim_cur: RLIM_INFINITY, rlim_max: RLIM_INFINITY });
  });

  it("caps NPROC at maxprocperuid and at least 1, NOFILE at maxfilesperproc, DATA/STACK at maxdsiz/maxssiz", () => {
    const p = proc(plimit_init0(MAXPROC));
    kern_setrlimit(p, RLIMIT_NPROC, { rlim_cur: RLIM_INFINITY, rlim_max: RLIM_INFINITY }, ROOT, TUN);
    expect(kern_getrlimit(p, RLIMIT_NPROC)).toEqual({ rlim_cur: TUN.maxprocperuid, rlim_max: TUN.maxprocperuid });
    kern_setrlimit(p, RLIMIT_NPROC, { rlim_cur: 0, rlim_max: 0 }, USER, TUN);
    expect(kern_getrlimit(p, RLIMIT_NPROC)).toEqual({ rlim_cur: 1, rlim_max: 1 });
    kern_setrlimit(p, RLIMIT_NOFILE, { rlim_cur: RLIM_INFINITY, rlim_max: RLIM_INFINITY }, USER, TUN);
    expect(kern_getrlimit(p, RLIMIT_NOFILE)).toEqual({ rlim_cur: TUN.maxfilesperproc, rlim_max: TUN.maxfilesperproc });
    kern_setrlimit(p, RLIMIT_DATA, { rlim_cur: RLIM_INFINITY, rlim_max: RLIM_INFINITY }, USER, TUN);
    expect(kern_getrlimit(p, RLIMIT_DATA)).toEqual({ rlim_cur: TUN.maxdsiz, rlim_max: TUN.maxdsiz });
    kern_setrlimit(p, RLIMIT_STACK, { rlim_cur: 8 << 20, rlim_max: RLIM_INFINITY }, USER, TUN);
    expect(kern_getrlimit(p, RLIMIT_STACK)).toEqual({ rlim_cur: 8 << 20, rlim_max: TUN.maxssiz });
    kern_setrlimit(p, RLIMIT_POSIXLOCKS, { rlim_cur: RLIM_INFINITY, rlim_max: RLIM_INFINITY }, USER, TUN);
    expect(kern_getrlimit(p, RLIMIT_POSIXLOCKS)).toEqual({ rlim_cur: 2000, rlim_max: 2000 });
  });

  it("RLIMIT_CPU sets p_cpulimit to rlim_cur in microseconds, RLIM_INFINITY when that would overflow", () => {
    const p = proc(plimit_init0(MAXPROC));
    kern_setrlimit(p, RLIMIT_CPU, { rlim_cur: 30, rlim_max: 60 }, USER, TUN);
    expect(p.p_limit!.p_cpulimit).toBe(30_000_000);
    kern_setrlimit(p, RLIMIT_CPU, { rlim_cur: 60, rlim_max: 60 }, USER, TUN);
    expect(p.p_limit!.p_cpulimit).toBe(60_000_000);
    const q = proc(plimit_init0(MAXPROC));
    kern_setrlimit(q, RLIMIT_CPU, { rlim_cur: 2 ** 40, rlim_max: RLIM_INFINITY }, USER, TUN);
    expect(q.p_limit!.p_cpulimit).toBe(RLIM_INFINITY);
  });

  it("throws on non-integer arguments", () => {
    const p = proc(plimit_init0(MAXPROC));
    expect(() => kern_setrlimit(p, 1.5, { rlim_cur: 1, rlim_max: 1 }, USER, TUN)).toThrow();
    expect(() => kern_setrlimit(p, RLIMIT_CORE, { rlim_cur: NaN, rlim_max: 1 }, USER, TUN)).toThrow();
    expect(() => kern_getrlimit(p, NaN)).toThrow();
  });
});
