// allproc, zombproc and pid allocation (kern_proc.c 1.42, reference §6.3), and orphaned
// process groups (pg_jobc == 0, orphanpg).
import type { Kernel } from "./kernel.js";
import type { Proc, Lwp, KGen, KRest } from "./proc.js";
import type { Pgrp } from "./pgrp.js";
import { List } from "./queue.js";
import { IntMap } from "./intmap.js";
import { PID_MAX, SZOMB, SSTOP, SIGHUP, SIGCONT } from "./param.js";
import { tsleep } from "./synch.js";
import { ksignal } from "./signal.js";
import { KernelPanic } from "./panic.js";

export class ProcTables {
  readonly allproc = new List<Proc>();
  readonly zombproc = new List<Proc>();
  readonly pidhash = new IntMap<Proc>();
  /** proc_getnewpid_locked's statics. */
  nextpid = 0;
  pidchecked = 0;
}

/** kern.randompid's clamping (sysctl handler). */
export function clampRandompid(v: number): number {
  if (v < 0 || v > PID_MAX - 100) return PID_MAX - 100;
  if (v < 2) return 0;
  if (v < 100) return 100;
  return v;
}

/** proc_add_allproc: assigns the pid and links p at the head of allproc and its hash chain. */
export function proc_add_allproc(k: Kernel, p: Proc): void {
  const random_offset = k.tun.randompid ? k.rng.next() % k.tun.randompid : 0;
  p.p_pid = proc_getnewpid_locked(k, random_offset);
  p.p_listNode = k.procs.allproc.insertHead(p);
  k.procs.pidhash.set(p.p_pid, p);
}

/**
 * proc_getnewpid_locked: the next pid after nextpid (+ random offset), wrapping at
 * PID_MAX to >= 100, skipping every pid, pgrp id and session id in use on allproc and
 * zombproc. `pidchecked` caches the free range above nextpid so most calls skip the scan.
 */
export function proc_getnewpid_locked(k: Kernel, random_offset: number): number {
  const t = k.procs;
  t.nextpid += 1 + random_offset;
  let wraps = 0;
  retry: for (;;) {
    if (t.nextpid >= PID_MAX) {
      t.nextpid = t.nextpid % PID_MAX;
      if (t.nextpid < 100) t.nextpid += 100;
      t.pidchecked = 0;
      // The 2008 loop would go round for ever: every pid from 100 up is taken.
      if (++wraps > 2) throw new KernelPanic(`proc_getnewpid: no free pid (${t.allproc.length + t.zombproc.length} processes)`);
    }
    if (t.nextpid >= t.pidchecked) {
      t.pidchecked = PID_MAX;
      for (const list of [t.allproc, t.zombproc]) {
        for (const p of list) {
          const pg = p.p_pgrp;
          const pid = p.p_pid, pgid = pg ? pg.pg_id : -1, sid = pg ? pg.pg_session.s_sid : -1;
          while (t.nextpid === pid || t.nextpid === pgid || t.nextpid === sid) {
            t.nextpid++;
            if (t.nextpid >= t.pidchecked) continue retry;
          }
          if (pid > t.nextpid && t.pidchecked > pid) t.pidchecked = pid;
          if (pgid > t.nextpid && t.pidchecked > pgid) t.pidchecked = pgid;
          if (sid > t.nextpid && t.pidchecked > sid) t.pidchecked = sid;
        }
      }
    }
    return t.nextpid;
  }
}

/** pfind: a live (non-zombie) process by pid. */
export function pfind(k: Kernel, pid: number): Proc | undefined { return k.procs.pidhash.get(pid); }

/** proc_move_allproc_zombie: waits for p_lock to drain, moves p to zombproc, sets SZOMB. */
export function proc_move_allproc_zombie(k: Kernel, lp: Lwp, p: Proc): KRest {
  if (p.p_lock) return afterPrele(k, lp, p, "reap1", moveToZombproc);
  moveToZombproc(k, p);
  return null;
}

function moveToZombproc(k: Kernel, p: Proc): void {
  k.procs.allproc.remove(p.p_listNode!);
  k.procs.pidhash.delete(p.p_pid);
  p.p_listNode = k.procs.zombproc.insertHead(p);
  p.p_stat = SZOMB;
}

/** proc_remove_zombie: waits for p_lock, unlinks p from zombproc and its parent's children. */
export function proc_remove_zombie(k: Kernel, lp: Lwp, p: Proc): KRest {
  if (p.p_lock) return afterPrele(k, lp, p, "reap2", unlinkZombie);
  unlinkZombie(k, p);
  return null;
}

function unlinkZombie(k: Kernel, p: Proc): void {
  k.procs.zombproc.remove(p.p_listNode!);
  p.p_listNode = null;
  if (p.p_siblingNode) { p.p_pptr!.p_children.remove(p.p_siblingNode); p.p_siblingNode = null; }
}

/** The sleeping form of the two above: waits (hz/10 at a time) until p_lock drains, then `then`. */
function* afterPrele(
  k: Kernel, lp: Lwp, p: Proc, wmesg: string, then: (k: Kernel, p: Proc) => void,
): KGen<void> {
  while (p.p_lock) yield* tsleep(k, lp, p, 0, wmesg, Math.max(1, Math.floor(k.clock.hz / 10)));
  then(k, p);
}

/**
 * Whether a process group is orphaned (pg_jobc == 0): no member that has not exited has
 * a parent in another group of the same session. Counted when asked: forklab keeps no
 * pg_jobc (fixjobc's count), and only tty stops and exit ask.
 */
export function pgrp_orphaned(pg: Pgrp | null): boolean {
  if (pg === null) return true;
  for (const q of pg.pg_members) {
    if (q.p_stat === SZOMB) continue;
    const pp = q.p_pptr;
    if (pp !== null && pp.p_pgrp !== pg && pp.p_pgrp?.pg_session === pg.pg_session) return false;
  }
  return true;
}

/** The groups an exit can orphan (fixjobc's): the process's own and its children's. */
export function jobc_groups(p: Proc): Pgrp[] {
  const out: Pgrp[] = [];
  if (p.p_pgrp) out.push(p.p_pgrp);
  for (let n = p.p_children.first; n !== null; n = n.next) {
    const pg = n.value.p_pgrp;
    if (pg && !out.includes(pg)) out.push(pg);
  }
  return out;
}

/**
 * orphanpg: a group just orphaned that has a stopped member would stay stopped with
 * nobody to continue it; every member gets SIGHUP, then SIGCONT.
 */
export function orphanpg(k: Kernel, pg: Pgrp): void {
  let stopped = false;
  for (const q of pg.pg_members) if (q.p_stat === SSTOP) { stopped = true; break; }
  if (!stopped) return;
  for (const q of pg.pg_members) {
    ksignal(k, q, SIGHUP);
    ksignal(k, q, SIGCONT);
  }
}
