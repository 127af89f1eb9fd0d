// struct filedesc and struct filedesc_to_leader (sys/sys/filedesc.h 1.20), the table
// operations fork1 and exit1 use (fdinit, fdcopy, fdshare, fdfree,
// filedesc_to_leader_alloc; kern_descrip.c 1.78) and the descriptor syscalls on top.
//
// fd_files is an in-place binary tree: NDFILE and every grown size are 2^n - 1, and each
// node's `allocated` counts the used slots (open or reserved) in its right subtree, the
// range [n, n + right_subtree_size(n)), so fdalloc finds the lowest free slot without a scan.
//
// Left out: kqueue state (forklab has no kqueues, so fdcopy has none to drop), the
// namecache handles beside cdir/rdir/jdir, and POSIX advisory locks (closef and fdfree
// have none to release).
import { EBADF, EEXIST, EINVAL, EISDIR, EMFILE, ENOENT, ENOTDIR, ESPIPE } from "./errno.js";
import { FREAD, FWRITE, File, closef, falloc, fdrop, fhold, fo_read, fo_write } from "./file.js";
import { rlimToInt } from "./resource.js";
import { VDIR, VREG, Vfs, Vnode, vn_fullpath, vn_truncate, vref, vrele } from "./vfs.js";

export const NDFILE = 15;
/** The global cmask every fresh table starts with (param.h CMASK). */
export const CMASK = 0o022;
/** fileflags: close on exec. */
export const UF_EXCLOSE = 0x1;
const P_ADVLOCK = 0x00001; // proc.h: the leader may hold POSIX locks

// open(2) flags and lseek(2) whence (sys/sys/fcntl.h, sys/sys/unistd.h).
export const O_RDONLY = 0x0000;
export const O_WRONLY = 0x0001;
export const O_RDWR = 0x0002;
export const O_ACCMODE = 0x0003;
export const O_APPEND = 0x0008;
export const O_CREAT = 0x0200;
export const O_TRUNC = 0x0400;
export const O_EXCL = 0x0800;
export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;

export class FdNode {
  fp: File | null = null;
  fileflags = 0;
  /** Held by fdalloc until fsetfd gives the slot a file or releases it. */
  reserved = 0;
  allocated = 0;
}

function newNodes(n: number): FdNode[] {
  // A plain loop: every fork makes a table, and Array.from's callback form is several
  // times slower for these small arrays.
  const nodes: FdNode[] = [];
  for (let i = 0; i < n; i++) nodes.push(new FdNode());
  return nodes;
}

function emptyNode(n: FdNode): boolean {
  return n.fp === null && n.fileflags === 0 && n.reserved === 0 && n.allocated === 0;
}

/**
 * Builtin node arrays of freed tables, every node empty, for the next tables to take: a
 * fork whose child inherits descriptors (the console's 0-2) and an exit then make no
 * nodes. Nodes hold nothing of a machine once empty, so the machines of one process
 * share the list; it is bounded.
 */
const spareBuiltins: FdNode[][] = [];
const SPARE_BUILTINS_MAX = 64;

export class Filedesc {
  /**
   * The NDFILE builtin nodes, made (or taken from the spares) at their first use: fdcopy
   * copies only the nodes in use, so a forked child of a process without descriptors
   * frees its table without ever having them.
   */
  get fd_builtin_files(): FdNode[] { return (this.builtin ??= spareBuiltins.pop() ?? newNodes(NDFILE)); }
  /** The table: the builtin nodes until it grows. */
  get fd_files(): FdNode[] { return this.files ?? this.fd_builtin_files; }
  set fd_files(files: FdNode[]) { this.files = files; }
  /** Whether the table's nodes exist yet (until then every node would be empty). */
  hasNodes(): boolean { return this.files !== null || this.builtin !== null; }
  /** fdfree's end: the table lets go of its nodes; its builtin ones, if all empty, become spares. */
  releaseNodes(): void {
    const b = this.builtin;
    this.builtin = this.files = null;
    if (b !== null && spareBuiltins.length < SPARE_BUILTINS_MAX && b.every(emptyNode)) spareBuiltins.push(b);
  }
  private builtin: FdNode[] | null = null;
  private files: FdNode[] | null = null;
  fd_cdir: Vnode | null = null;
  fd_rdir: Vnode | null = null;
  fd_jdir: Vnode | null = null;
  fd_nfiles = NDFILE;
  fd_lastfile = -1;
  fd_freefile = 0;
  fd_cmask = CMASK;
  /** Processes sharing this table; 0 once fdfree has freed it. */
  fd_refcnt = 1;
  /** Closers in progress that fdfree must wait for. Closes here never block, so it stays 0. */
  fd_holdleaderscount = 0;
  fd_holdleaderswakeup = 0;
}

/**
 * One per process leader sharing a table (rfork without RFFDG): a circular list that
 * lets a close release the POSIX locks of every leader using the table.
 */
export class FiledescToLeader {
  fdl_refcount = 1;
  fdl_holdcount = 0;
  fdl_wakeup = 0;
  fdl_prev: FiledescToLeader = this;
  fdl_next: FiledescToLeader = this;
  constructor(public fdl_leader: FdProc) {}
}

/** What the descriptor code needs of a process; the kernel's Proc satisfies it. */
export interface FdProc {
  p_fd: Filedesc | null;
  p_fdtol: FiledescToLeader | null;
  p_leader: FdProc;
  p_flag: number;
}

/**
 * The RLIMIT_NOFILE inputs as the kernel reads them: the raw 64-bit rlim_cur (see
 * rlimToInt) and the kern.maxfilesperproc tunable. fdalloc's limit is
 * min((int)rlim_cur, maxfilesperproc); dup2 checks the target against both separately.
 */
export interface NofileLimit {
  rlim_cur: number;
  maxfilesperproc: number;
}

// ---- the table -------------------------------------------------------------------------

/** proc0's table (init_main's fdinit_bootstrap, with the cdir and rdir vfs_mountroot gives it). */
export function fdinit_bootstrap(p0: FdProc, rootvnode: Vnode): void {
  const fdp = new Filedesc();
  fdp.fd_cdir = rootvnode;
  vref(rootvnode);
  fdp.fd_rdir = rootvnode;
  vref(rootvnode);
  p0.p_fd = fdp;
  p0.p_fdtol = null;
}

/** A new empty table with p's cdir/rdir/jdir (referenced) and the global cmask, not p's. */
export function fdinit(p: FdProc): Filedesc {
  const fdp = liveFd("fdinit", p.p_fd);
  const newfdp = new Filedesc();
  newfdp.fd_cdir = holdDir(fdp.fd_cdir);
  newfdp.fd_rdir = holdDir(fdp.fd_rdir);
  newfdp.fd_jdir = holdDir(fdp.fd_jdir);
  return newfdp;
}

/** Share p's table: one more reference, the same structure. */
export function fdshare(p: FdProc): Filedesc {
  const fdp = liveFd("fdshare", p.p_fd);
  fdp.fd_refcnt++;
  return fdp;
}

/**
 * A copy of p's table (null if p has none). Every open file gains a reference, so the copy
 * shares each file's offset; a reservation in p's table is not inherited.
 */
export function fdcopy(p: FdProc): Filedesc | null {
  if (p.p_fd === null) return null;
  const fdp = liveFd("fdcopy", p.p_fd);
  const newfdp = new Filedesc();
  let i: number;
  if (fdp.fd_lastfile < NDFILE) {
    i = NDFILE;
  } else {
    // 2^n - 1 entries for the tree; the copy may be smaller than the parent's table.
    i = fdp.fd_nfiles;
    let ni = (i - 1) >> 1;
    while (ni > fdp.fd_lastfile && ni > NDFILE) {
      i = ni;
      ni = (i - 1) >> 1;
    }
    newfdp.fd_files = newNodes(i);
  }
  newfdp.fd_cdir = holdDir(fdp.fd_cdir);
  newfdp.fd_rdir = holdDir(fdp.fd_rdir);
  newfdp.fd_jdir = holdDir(fdp.fd_jdir);
  newfdp.fd_nfiles = i;
  newfdp.fd_lastfile = fdp.fd_lastfile;
  newfdp.fd_freefile = fdp.fd_freefile;
  newfdp.fd_cmask = fdp.fd_cmask;
  // The child's nodes start empty, so only the parent's nodes in use are copied (and
  // none when the parent's were never made).
  // Nodes above lastfile are empty (their subtrees hold no used slot), so both loops stop there.
  const used = Math.min(i, fdp.fd_lastfile + 1);
  let copied = false;
  if (fdp.hasNodes()) {
    for (let n = 0; n < used; n++) {
      const from = fdp.fd_files[n];
      if (emptyNode(from)) continue;
      const node = newfdp.fd_files[n];
      node.fp = from.fp;
      node.fileflags = from.fileflags;
      node.reserved = from.reserved;
      node.allocated = from.allocated;
      copied = true;
    }
  }
  if (copied) {
    for (let n = 0; n < used; n++) {
      const node = newfdp.fd_files[n];
      if (node.reserved) {
        fdreserve(newfdp, n, -1);
        node.reserved = 0;
        fdfixup(newfdp, n);
      } else if (node.fp) {
        fhold(node.fp);
      }
    }
  }
  return newfdp;
}

/**
 * Release p's table: first p's filedesc_to_leader (unlinked and freed with its last
 * reference; p_fdtol cleared), then one table reference. The last one closes every open
 * file and drops the directory vnodes. p_fd is left for the caller to replace or clear.
 */
export function fdfree(p: FdProc): void {
  if (p.p_fd === null) return;
  const fdp = liveFd("fdfree", p.p_fd);
  const fdtol = p.p_fdtol;
  if (fdtol !== null) {
    if (fdtol.fdl_refcount <= 0) throw new Error(`fdfree: filedesc_to_leader refcount botch: ${fdtol.fdl_refcount}`);
    // The kernel sleeps ("fdlhold") here while a close is walking the leaders; closes in
    // forklab run to completion, so finding one in progress means a caller left a hold.
    if (fdtol.fdl_refcount === 1 &&
        ((fdp.fd_holdleaderscount > 0 && (p.p_leader.p_flag & P_ADVLOCK) !== 0) || fdtol.fdl_holdcount > 0)) {
      throw new Error("fdfree: a close still holds the process leaders (the kernel would sleep on fdlhold)");
    }
    if (--fdtol.fdl_refcount === 0 && fdtol.fdl_holdcount === 0) {
      fdtol.fdl_next.fdl_prev = fdtol.fdl_prev;
      fdtol.fdl_prev.fdl_next = fdtol.fdl_next;
      fdtol.fdl_next = fdtol.fdl_prev = fdtol;
    }
    p.p_fdtol = null;
  }
  if (--fdp.fd_refcnt > 0) return;
  for (let i = 0; i <= fdp.fd_lastfile; i++) {
    const fp = funsetfd(fdp, i);
    if (fp) closef(fp);
  }
  if (fdp.fd_cdir) vrele(fdp.fd_cdir);
  if (fdp.fd_rdir) vrele(fdp.fd_rdir);
  if (fdp.fd_jdir) vrele(fdp.fd_jdir);
  fdp.fd_cdir = fdp.fd_rdir = fdp.fd_jdir = null;
  fdp.releaseNodes();
}

/** A new filedesc_to_leader for leader, with one reference, inserted right after old (or alone). */
export function filedesc_to_leader_alloc(old: FiledescToLeader | null, leader: FdProc): FiledescToLeader {
  const fdtol = new FiledescToLeader(leader);
  if (old !== null) {
    fdtol.fdl_next = old.fdl_next;
    fdtol.fdl_prev = old;
    old.fdl_next = fdtol;
    fdtol.fdl_next.fdl_prev = fdtol;
  }
  return fdtol;
}

// ---- slot allocation (the in-place tree) ----------------------------------------------

function right_subtree_size(n: number): number {
  return n ^ (n | (n + 1));
}

function right_ancestor(n: number): number {
  return n | (n + 1);
}

function left_ancestor(n: number): number {
  return (n & (n + 1)) - 1;
}

function fdreserve(fdp: Filedesc, fd: number, incr: number): void {
  while (fd >= 0) {
    const node = fdp.fd_files[fd];
    node.allocated += incr;
    if (node.allocated < 0) throw new Error(`fdreserve: allocation count of slot ${fd} went negative`);
    fd = left_ancestor(fd);
  }
}

/** After a slot is cleared: lower the freefile hint and pull lastfile back over empty slots. */
function fdfixup(fdp: Filedesc, fd: number): void {
  if (fd < fdp.fd_freefile) fdp.fd_freefile = fd;
  while (fdp.fd_lastfile >= 0 &&
         fdp.fd_files[fdp.fd_lastfile].fp === null && fdp.fd_files[fdp.fd_lastfile].reserved === 0) {
    fdp.fd_lastfile--;
  }
}

/** Grow the table to the next 2^n - 1 size above want. */
function fdgrow(fdp: Filedesc, want: number): void {
  let nf = fdp.fd_nfiles;
  do {
    nf = 2 * nf + 1;
  } while (nf <= want);
  fdp.fd_files = fdp.fd_files.concat(newNodes(nf - fdp.fd_nfiles));
  fdp.fd_nfiles = nf;
}

/**
 * Reserve the lowest free descriptor >= want, growing the table as needed; -EMFILE past
 * the limit. The caller must fsetfd the slot (to a file, or null to release it). As in
 * the kernel, the limit bounds the subtree roots the search starts from, not the slot it
 * descends to, so a limit that is not 2^n - 1 can be passed by a few descriptors.
 */
export function fdalloc(fdp: Filedesc, want: number, nofile: NofileLimit): number {
  liveFd("fdalloc", fdp);
  checkFdArg("fdalloc", "want", want);
  if (want < 0) throw new Error(`fdalloc: want must be >= 0, got ${want}`);
  const lim = Math.min(rlimToInt(nofile.rlim_cur), nofile.maxfilesperproc);
  if (want >= lim) return -EMFILE;
  if (want >= fdp.fd_nfiles) fdgrow(fdp, want);
  for (;;) {
    const fd = fdsearch(fdp, want, lim);
    if (fd >= 0) {
      const node = fdp.fd_files[fd];
      if (node.fp !== null || node.reserved !== 0) throw new Error(`fdalloc: slot ${fd} is in use but the tree says free`);
      if (fd > fdp.fd_lastfile) fdp.fd_lastfile = fd;
      if (want <= fdp.fd_freefile) fdp.fd_freefile = fd;
      node.fileflags = 0;
      node.reserved = 1;
      fdreserve(fdp, fd, 1);
      return fd;
    }
    if (fdp.fd_nfiles >= lim) return -EMFILE;
    fdgrow(fdp, want);
  }
}

/** The tree search of fdalloc: a free slot, or -1 if none below min(nfiles, lim). */
function fdsearch(fdp: Filedesc, want: number, lim: number): number {
  const files = fdp.fd_files;
  // Move up the tree looking for a subtree with a free node.
  for (let fd = Math.max(want, fdp.fd_freefile); fd < Math.min(fdp.fd_nfiles, lim); fd = right_ancestor(fd)) {
    if (files[fd].allocated === 0) return fd;
    let rsize = right_subtree_size(fd);
    if (files[fd].allocated === rsize) continue; // right subtree full
    // Descend to the leftmost free slot: keep left while the left part has room.
    for (let rsum = 0, r = rsize >> 1; r > 0; r >>= 1) {
      const node = fd + r;
      rsum += files[node].allocated;
      if (files[fd].allocated === rsum + r) {
        fd = node;
        if (files[node].allocated === 0) return fd;
        rsum = 0;
      }
    }
    return fd;
  }
  return -1;
}

/** Give a reserved slot its file (taking a reference) or, with null, release the reservation. */
export function fsetfd(fdp: Filedesc, fp: File | null, fd: number): void {
  const node = fdp.fd_files[fd];
  if (!(fd >= 0 && fd < fdp.fd_nfiles) || node.reserved === 0) throw new Error(`fsetfd: descriptor ${fd} is not reserved`);
  node.reserved = 0;
  if (fp) {
    fhold(fp);
    node.fp = fp;
  } else {
    fdreserve(fdp, fd, -1);
    fdfixup(fdp, fd);
  }
}

/** Empty slot fd and hand its file reference to the caller; null if fd is not open. */
function funsetfd(fdp: Filedesc, fd: number): File | null {
  if (!(fd >= 0 && fd < fdp.fd_nfiles)) return null;
  const node = fdp.fd_files[fd];
  const fp = node.fp;
  if (fp === null) return null;
  node.fp = null;
  node.fileflags = 0;
  fdreserve(fdp, fd, -1);
  fdfixup(fdp, fd);
  return fp;
}

/** fd's open file (no reference taken), or null: for a syscall that holds it itself. */
export function fgetfile(fdp: Filedesc, fd: number): File | null {
  liveFd("fgetfile", fdp);
  if (!Number.isInteger(fd) || !(fd >= 0 && fd < fdp.fd_nfiles)) return null;
  return fdp.fd_files[fd].fp;
}

/** fcntl(F_DUPFD): the lowest free descriptor >= min, sharing old's file. */
export function kern_dupfd(fdp: Filedesc, old: number, min: number, nofile: NofileLimit): number {
  return dup_common(fdp, false, old, min, nofile);
}

/** fd's file with a reference taken, or null if fd is not open or lacks `flag` (-1: any). */
function holdfp(fdp: Filedesc, fd: number, flag: number): File | null {
  liveFd("holdfp", fdp);
  checkFdArg("holdfp", "fd", fd);
  if (!(fd >= 0 && fd < fdp.fd_nfiles)) return null;
  const fp = fdp.fd_files[fd].fp;
  if (fp === null || (flag !== -1 && (fp.f_flag & flag) === 0)) return null;
  fhold(fp);
  return fp;
}

// ---- descriptor syscalls ---------------------------------------------------------------

/**
 * open(path, flags, mode): the new descriptor or -errno. The slot is reserved before the
 * lookup, so a full table gives EMFILE whatever the path. A created file's mode is
 * mode & ~fd_cmask (permission and setid bits, no sticky bit). Permissions are not
 * checked: this filesystem has no owners.
 */
export function kern_open(fdp: Filedesc, vfs: Vfs, path: string, flags: number, mode: number, nofile: NofileLimit): number {
  checkFdArg("kern_open", "flags", flags);
  checkFdArg("kern_open", "mode", mode);
  if ((flags & O_ACCMODE) === O_ACCMODE) return -EINVAL;
  const fflags = ((flags & O_ACCMODE) + 1) | (flags & O_APPEND); // FFLAGS()
  const fd = fdalloc(fdp, 0, nofile);
  if (fd < 0) return fd;
  const vp = vn_open(fdp, vfs, path, flags, fflags, mode);
  if (typeof vp === "number") {
    fsetfd(fdp, null, fd);
    return vp;
  }
  vref(vp);
  const fp = falloc(vp, fflags);
  fsetfd(fdp, fp, fd);
  fdrop(fp);
  return fd;
}

function vn_open(fdp: Filedesc, vfs: Vfs, path: string, flags: number, fflags: number, mode: number): Vnode | number {
  const nd = vfs.namei(path, fdp.fd_cdir ?? vfs.root, fdp.fd_rdir ?? vfs.root);
  if (typeof nd === "number") return nd;
  const vp = nd.vp;
  if (vp === null) {
    if ((flags & O_CREAT) === 0) return -ENOENT;
    if (nd.trailingSlash) return -EISDIR;
    return vfs.enter(nd.dvp, nd.name, VREG, (mode & ~fdp.fd_cmask & 0o7777) & ~0o1000);
  }
  if ((flags & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL)) return -EEXIST;
  if (vp.v_type === VDIR && ((fflags & FWRITE) !== 0 || (flags & O_TRUNC) !== 0)) return -EISDIR;
  if ((flags & O_TRUNC) && vp.v_type === VREG) vn_truncate(vp); // a device has nothing to cut
  return vp;
}

/** read(fd, n): the bytes read (fewer at end of file), or -EINVAL / -EBADF / -EISDIR. */
export function kern_read(fdp: Filedesc, fd: number, n: number): Uint8Array | number {
  if (!Number.isSafeInteger(n)) throw new Error(`kern_read: byte count must be an integer, got ${n}`);
  if (n < 0) return -EINVAL;
  const fp = holdfp(fdp, fd, FREAD);
  if (fp === null) return -EBADF;
  const r = fo_read(fp, n);
  fdrop(fp);
  return r;
}

/** write(fd, bytes): the count written, or -EBADF / -EFBIG. */
export function kern_write(fdp: Filedesc, fd: number, bytes: Uint8Array): number {
  if (!(bytes instanceof Uint8Array)) throw new Error("kern_write: bytes must be a Uint8Array");
  const fp = holdfp(fdp, fd, FWRITE);
  if (fp === null) return -EBADF;
  const r = fo_write(fp, bytes);
  fdrop(fp);
  return r;
}

/**
 * lseek(fd, offset, whence): the new offset, or -EBADF, or -EINVAL for a bad whence or a
 * negative result (the offset is then unchanged). Offsets are exact up to 2^53; a result
 * beyond that is refused with EINVAL too.
 */
export function kern_lseek(fdp: Filedesc, fd: number, offset: number, whence: number): number {
  if (!Number.isInteger(offset)) throw new Error(`kern_lseek: offset must be an integer, got ${offset}`);
  checkFdArg("kern_lseek", "whence", whence);
  if (!Number.isSafeInteger(offset)) return -EINVAL; // an off_t beyond 2^53 (docs/kernel.md)
  const fp = holdfp(fdp, fd, -1);
  if (fp === null) return -EBADF;
  if (fp.f_pipe) { fdrop(fp); return -ESPIPE; }
  let newOffset: number;
  if (whence === SEEK_CUR) newOffset = fp.f_offset + offset;
  else if (whence === SEEK_END) newOffset = offset + (fp.f_vnode?.v_size ?? 0);
  else if (whence === SEEK_SET) newOffset = offset;
  else newOffset = NaN;
  const ok = newOffset >= 0 && Number.isSafeInteger(newOffset);
  if (ok) fp.f_offset = newOffset;
  fdrop(fp);
  return ok ? newOffset : -EINVAL;
}

/** close(fd): 0 or -EBADF. */
export function kern_close(fdp: Filedesc, fd: number): number {
  liveFd("kern_close", fdp);
  checkFdArg("kern_close", "fd", fd);
  const fp = funsetfd(fdp, fd);
  if (fp === null) return -EBADF;
  closef(fp);
  return 0;
}

/** dup(old): the lowest free descriptor, sharing old's file; close-on-exec cleared. */
export function kern_dup(fdp: Filedesc, old: number, nofile: NofileLimit): number {
  return dup_common(fdp, false, old, 0, nofile);
}

/** dup2(old, new): new, after closing whatever new held; -EBADF for a bad old or out-of-range new. */
export function kern_dup2(fdp: Filedesc, old: number, newfd: number, nofile: NofileLimit): number {
  return dup_common(fdp, true, old, newfd, nofile);
}

function dup_common(fdp: Filedesc, fixed: boolean, old: number, newfd: number, nofile: NofileLimit): number {
  liveFd(fixed ? "kern_dup2" : "kern_dup", fdp);
  checkFdArg("kern_dup", "old", old);
  checkFdArg("kern_dup", "new", newfd);
  if (old < 0 || newfd < 0 || newfd > nofile.rlim_cur || newfd >= nofile.maxfilesperproc) return -EBADF;
  if (old >= fdp.fd_nfiles || fdp.fd_files[old].fp === null) return -EBADF;
  if (fixed && old === newfd) return newfd;
  const fp = fdp.fd_files[old].fp!;
  const oldflags = fdp.fd_files[old].fileflags;
  fhold(fp);
  let delfp: File | null = null;
  if (!fixed || newfd >= fdp.fd_nfiles) {
    const fd = fdalloc(fdp, newfd, nofile);
    if (fd < 0) {
      fdrop(fp);
      return fd;
    }
    newfd = fd;
  } else {
    const node = fdp.fd_files[newfd];
    if (node.reserved) {
      fdrop(fp);
      throw new Error(`kern_dup2: target descriptor ${newfd} is reserved (the kernel would sleep on fdres)`);
    }
    // Take the slot over as a reservation; an empty one must be counted in the tree.
    delfp = node.fp;
    node.fp = null;
    node.reserved = 1;
    if (delfp === null) {
      fdreserve(fdp, newfd, 1);
      if (newfd > fdp.fd_lastfile) fdp.fd_lastfile = newfd;
    }
  }
  fsetfd(fdp, fp, newfd);
  fdrop(fp);
  fdp.fd_files[newfd].fileflags = oldflags & ~UF_EXCLOSE;
  if (delfp) closef(delfp);
  return newfd;
}

/** fcntl(F_GETFD)'s fileflags, or -EBADF. */
export function fgetfdflags(fdp: Filedesc, fd: number): number {
  const node = openNode(fdp, fd);
  return node === null ? -EBADF : node.fileflags;
}

/** fcntl(F_SETFD) setting bits: 0 or -EBADF. */
export function fsetfdflags(fdp: Filedesc, fd: number, add: number): number {
  const node = openNode(fdp, fd);
  if (node === null) return -EBADF;
  node.fileflags |= add;
  return 0;
}

/** fcntl(F_SETFD) clearing bits: 0 or -EBADF. */
export function fclrfdflags(fdp: Filedesc, fd: number, rem: number): number {
  const node = openNode(fdp, fd);
  if (node === null) return -EBADF;
  node.fileflags &= ~rem;
  return 0;
}

function openNode(fdp: Filedesc, fd: number): FdNode | null {
  liveFd("fdflags", fdp);
  checkFdArg("fdflags", "fd", fd);
  if (!(fd >= 0 && fd < fdp.fd_nfiles)) return null;
  const node = fdp.fd_files[fd];
  return node.fp === null ? null : node;
}

/** execve: close every descriptor marked close-on-exec. */
export function fdcloseexec(p: FdProc): void {
  if (p.p_fd === null) return;
  const fdp = liveFd("fdcloseexec", p.p_fd);
  for (let i = 0; i <= fdp.fd_lastfile; i++) {
    if (fdp.fd_files[i].fp !== null && (fdp.fd_files[i].fileflags & UF_EXCLOSE) !== 0) {
      closef(funsetfd(fdp, i)!);
    }
  }
}

/** chdir(path): 0, or -ENOTDIR / a lookup error. */
export function kern_chdir(fdp: Filedesc, vfs: Vfs, path: string): number {
  liveFd("kern_chdir", fdp);
  const vp = vfs.lookup(path, fdp.fd_cdir ?? vfs.root, fdp.fd_rdir ?? vfs.root);
  if (typeof vp === "number") return vp;
  if (vp.v_type !== VDIR) return -ENOTDIR;
  vref(vp);
  if (fdp.fd_cdir) vrele(fdp.fd_cdir);
  fdp.fd_cdir = vp;
  return 0;
}

// ---- observation -----------------------------------------------------------------------

export interface FdInfo {
  fd: number;
  path: string;
  f_offset: number;
  f_flag: number;
  f_count: number;
  fileflags: number;
  v_usecount: number;
}

/** The open descriptors in order, with what a report needs about each. */
export function fdlist(fdp: Filedesc): FdInfo[] {
  liveFd("fdlist", fdp);
  const out: FdInfo[] = [];
  for (let fd = 0; fd <= fdp.fd_lastfile; fd++) {
    const node = fdp.fd_files[fd];
    const fp = node.fp;
    if (fp === null) continue;
    out.push({
      fd, path: fp.f_vnode ? vn_fullpath(fp.f_vnode) : `pipe:${fp.f_pipe!.ino}`, f_offset: fp.f_offset, f_flag: fp.f_flag,
      f_count: fp.f_count, fileflags: node.fileflags, v_usecount: fp.f_vnode?.v_usecount ?? 0,
    });
  }
  return out;
}

/**
 * Check the table's invariants (throws on the first broken one): every node's allocation
 * count matches the used slots in its subtree, lastfile is the highest used slot, no free
 * slot lies below freefile, and nfiles is 2^n - 1.
 */
export function fdcheck(fdp: Filedesc): void {
  const n = fdp.fd_nfiles;
  if (fdp.fd_files.length !== n || ((n + 1) & n) !== 0 || n < NDFILE) {
    throw new Error(`fdcheck: fd_nfiles ${n} with ${fdp.fd_files.length} nodes is not a 2^n - 1 table`);
  }
  const used = fdp.fd_files.map((node) => node.fp !== null || node.reserved !== 0);
  for (let i = 0; i < n; i++) {
    const end = Math.min(n, i + right_subtree_size(i));
    let count = 0;
    for (let j = i; j < end; j++) if (used[j]) count++;
    if (fdp.fd_files[i].allocated !== count) {
      throw new Error(`fdcheck: slot ${i} counts ${fdp.fd_files[i].allocated} used in its subtree, found ${count}`);
    }
  }
  const last = used.lastIndexOf(true);
  if (fdp.fd_lastfile !== last) throw new Error(`fdcheck: fd_lastfile ${fdp.fd_lastfile}, highest used slot ${last}`);
  const firstFree = used.indexOf(false);
  if (firstFree !== -1 && fdp.fd_freefile > firstFree) {
    throw new Error(`fdcheck: fd_freefile ${fdp.fd_freefile} is above free slot ${firstFree}`);
  }
}

// ---- checks ----------------------------------------------------------------------------

function liveFd(fn: string, fdp: Filedesc | null): Filedesc {
  if (fdp === null) throw new Error(`${fn}: process has no descriptor table`);
  if (fdp.fd_refcnt <= 0) throw new Error(`${fn}: descriptor table used after fdfree`);
  return fdp;
}

function holdDir(vp: Vnode | null): Vnode | null {
  if (vp) vref(vp);
  return vp;
}

function checkFdArg(fn: string, what: string, v: number): void {
  if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7FFFFFFF) {
    throw new Error(`${fn}: ${what} must be an int, got ${v}`);
  }
}
