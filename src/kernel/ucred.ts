// struct ucred: reference counted credentials (crhold/crfree/crdup). A prison makes
// the process P_JAILED at fork (jailed()).
import type { Uidinfo, UidTable } from "./resource.js";

export interface Prison { pr_id: number; pr_host: string }

export class Ucred {
  cr_ref = 1;
  cr_prison: Prison | null = null;
  constructor(
    public cr_uid: number,
    public cr_ruid: number,
    public cr_svuid: number,
    public cr_gid: number,
    public cr_rgid: number,
    public cr_uidinfo: Uidinfo,
    public cr_ruidinfo: Uidinfo,
  ) {}
}

export function crhold(cr: Ucred): Ucred { cr.cr_ref++; return cr; }

export function crfree(uids: UidTable, cr: Ucred): void {
  if (cr.cr_ref <= 0) throw new Error(`crfree: credential with cr_ref ${cr.cr_ref}`);
  if (--cr.cr_ref === 0) {
    uids.uidrop(cr.cr_uidinfo);
    uids.uidrop(cr.cr_ruidinfo);
  }
}

/** A private copy with its own reference (crdup). */
export function crdup(uids: UidTable, cr: Ucred): Ucred {
  const n = new Ucred(cr.cr_uid, cr.cr_ruid, cr.cr_svuid, cr.cr_gid, cr.cr_rgid,
    uids.uihold(cr.cr_uidinfo), uids.uihold(cr.cr_ruidinfo));
  n.cr_prison = cr.cr_prison;
  return n;
}

export function jailed(cr: Ucred): boolean { return cr.cr_prison !== null; }
