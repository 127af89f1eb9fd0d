// Process groups and sessions. pg_lock is the fork/pgsignal interlock: fork1 holds it
// shared, pgsignal and killpg exclusive (reference §6.8).
import { List } from "./queue.js";
import type { Proc } from "./proc.js";
import { Lockmgr } from "./lock.js";

export class Session {
  s_count = 0;
  s_leader: Proc | null = null;
  /** The controlling terminal's vnode; forklab models only whether there is one. */
  s_ttyvp: object | null = null;
  constructor(readonly s_sid: number) {}
}

export class Pgrp {
  readonly pg_members = new List<Proc>();
  /** lockinit(&pg_lock, "pgwt", 0, 0) in enterpgrp. */
  readonly pg_lock = new Lockmgr("pgwt");
  pg_jobc = 0;
  constructor(readonly pg_id: number, public pg_session: Session) { pg_session.s_count++; }
}

/** The table of live process groups (pgfind). */
export class PgrpTable {
  private byId = new Map<number, Pgrp>();
  private sessions = new Map<number, Session>();
  pgfind(pgid: number): Pgrp | undefined { return this.byId.get(pgid); }
  sessfind(sid: number): Session | undefined { return this.sessions.get(sid); }
  /** True when id is in use as a process-group or session id (the pid allocator skips them). */
  idInUse(id: number): boolean { return this.byId.has(id) || this.sessions.has(id); }

  /** enterpgrp: moves p into group pgid, creating it (and a session when mksess). */
  enterpgrp(p: Proc, pgid: number, mksess: boolean): Pgrp {
    let pg = this.byId.get(pgid);
    if (!pg) {
      let sess: Session;
      if (mksess) {
        sess = new Session(p.p_pid);
        sess.s_leader = p;
        this.sessions.set(sess.s_sid, sess);
      } else {
        sess = p.p_pgrp!.pg_session;
      }
      pg = new Pgrp(pgid, sess);
      this.byId.set(pgid, pg);
    }
    if (p.p_pgrp !== pg) {
      this.leave(p);
      p.p_pgrp = pg;
      p.p_pglistNode = pg.pg_members.insertHead(p);
    }
    return pg;
  }

  /** leavepgrp: unlinks p; an empty group (and then its session) goes away. */
  leavepgrp(p: Proc): void {
    this.leave(p);
    p.p_pgrp = null;
  }

  /** Links a forked child right after its parent in the parent's group (LIST_INSERT_AFTER). */
  insertAfter(parent: Proc, child: Proc): void {
    const pg = parent.p_pgrp!;
    child.p_pglistNode = pg.pg_members.insertAfter(parent.p_pglistNode!, child);
  }

  private leave(p: Proc): void {
    const pg = p.p_pgrp;
    if (!pg || !p.p_pglistNode) return;
    pg.pg_members.remove(p.p_pglistNode);
    p.p_pglistNode = null;
    if (pg.pg_members.length === 0) {
      this.byId.delete(pg.pg_id);
      const s = pg.pg_session;
      if (--s.s_count === 0) this.sessions.delete(s.s_sid);
    }
  }
}
