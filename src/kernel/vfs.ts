// A small in-memory filesystem: just enough vnodes for descriptors to be observed across
// fork (shared offsets, reference counts, cwd). Regular files hold bytes that grow on
// write; directories hold named children. Everything is deterministic: inode numbers are
// handed out in creation order.
//
// v_usecount counts active references (open files, cwd/root/jail dirs of descriptor
// tables), as in the kernel; a directory entry holds none. Lookups return unreferenced
// vnodes: whoever keeps one calls vref.
import { EEXIST, EFBIG, EISDIR, ENAMETOOLONG, ENOENT, ENOTDIR } from "./errno.js";

// enum vtype (sys/sys/vnode.h); only these three exist here.
export const VREG = 1;
export const VDIR = 2;
export const VCHR = 4;
export type VType = typeof VREG | typeof VDIR | typeof VCHR;

export const MAXPATHLEN = 1024;
export const NAME_MAX = 255;
/** Largest file this in-memory filesystem holds; a write past it fails with EFBIG. */
export const VFS_MAXFILESIZE = 16 * 1024 * 1024;

export class Vnode {
  v_usecount = 0;
  /** File size in bytes (regular files). */
  v_size = 0;
  /** Backing store of a regular file; bytes past v_size are zero. */
  v_data: Uint8Array = new Uint8Array(0);
  /** The shared object of MAP_SHARED mappings of this file (vm_map.ts), while there are any. */
  v_object: import("./vm_map.js").VmObject | null = null;
  /** A character device's driver (the console), null otherwise. */
  v_rdev: import("./tty.js").Tty | null = null;
  /** Children of a directory, null for a regular file. */
  readonly v_children: Map<string, Vnode> | null;
  /** The containing directory; the root is its own parent. */
  readonly v_parent: Vnode;

  constructor(
    readonly v_type: VType,
    readonly v_ino: number,
    /** Permission bits (after the creator's umask). */
    readonly v_mode: number,
    /** Name in the parent; "" for the root. */
    readonly v_name: string,
    parent: Vnode | null,
  ) {
    this.v_children = v_type === VDIR ? new Map() : null;
    this.v_parent = parent ?? this;
  }
}

export function vref(vp: Vnode): void {
  vp.v_usecount++;
}

export function vrele(vp: Vnode): void {
  if (vp.v_usecount <= 0) {
    throw new Error(`vrele: vnode ${vp.v_ino} (${vn_fullpath(vp)}) has no references to drop`);
  }
  vp.v_usecount--;
}

/** The absolute path of a vnode, from its names up to the root. */
export function vn_fullpath(vp: Vnode): string {
  const names: string[] = [];
  for (let v = vp; v.v_parent !== v; v = v.v_parent) names.push(v.v_name);
  return "/" + names.reverse().join("/");
}

/** Where a path leads: the directory holding the last component, and the vnode if it exists. */
export interface Namei {
  dvp: Vnode;
  /** The last component; "" when the path names the start directory itself ("/", "."). */
  name: string;
  vp: Vnode | null;
  /** The path ended in "/", so it must name a directory. */
  trailingSlash: boolean;
}

export class Vfs {
  readonly root: Vnode;
  private nextIno = 2; // the root is inode 2, as on UFS

  constructor() {
    this.root = new Vnode(VDIR, this.nextIno++, 0o755, "", null);
  }

  /**
   * Resolve every component but the last. Absolute paths start at `root` (a chroot's
   * directory), relative ones at `cwd`; ".." never climbs above `root`.
   */
  namei(path: string, cwd: Vnode = this.root, root: Vnode = this.root): Namei | number {
    if (typeof path !== "string") throw new Error(`namei: path must be a string, got ${typeof path}`);
    if (path.length === 0) return -ENOENT;
    if (path.length >= MAXPATHLEN) return -ENAMETOOLONG;
    const comps = path.split("/").filter((c) => c.length > 0);
    const trailingSlash = path.endsWith("/");
    let dvp = path.startsWith("/") ? root : cwd;
    if (dvp.v_type !== VDIR) throw new Error(`namei: start vnode ${dvp.v_ino} is not a directory`);
    for (let i = 0; i < comps.length; i++) {
      const c = comps[i];
      if (c.length > NAME_MAX) return -ENAMETOOLONG;
      const last = i === comps.length - 1;
      let next: Vnode | null;
      if (c === ".") next = dvp;
      else if (c === "..") next = dvp === root ? dvp : dvp.v_parent;
      else next = dvp.v_children!.get(c) ?? null;
      if (last) {
        if (c === "." || c === "..") return { dvp: next!, name: "", vp: next, trailingSlash };
        if (next !== null && trailingSlash && next.v_type !== VDIR) return -ENOTDIR;
        return { dvp, name: c, vp: next, trailingSlash };
      }
      if (next === null) return -ENOENT;
      if (next.v_type !== VDIR) return -ENOTDIR;
      dvp = next;
    }
    return { dvp, name: "", vp: dvp, trailingSlash };
  }

  /** The vnode a path names, or -ENOENT / -ENOTDIR / -ENAMETOOLONG. */
  lookup(path: string, cwd: Vnode = this.root, root: Vnode = this.root): Vnode | number {
    const nd = this.namei(path, cwd, root);
    if (typeof nd === "number") return nd;
    return nd.vp ?? -ENOENT;
  }

  /** Make a directory; -EEXIST if the name is taken. */
  mkdir(path: string, mode = 0o755, cwd: Vnode = this.root, root: Vnode = this.root): Vnode | number {
    const nd = this.namei(path, cwd, root);
    if (typeof nd === "number") return nd;
    if (nd.vp !== null) return -EEXIST;
    return this.enter(nd.dvp, nd.name, VDIR, mode);
  }

  /** Make an empty regular file; -EEXIST if the name is taken, -EISDIR for "name/". */
  create(path: string, mode = 0o644, cwd: Vnode = this.root, root: Vnode = this.root): Vnode | number {
    const nd = this.namei(path, cwd, root);
    if (typeof nd === "number") return nd;
    if (nd.vp !== null) return -EEXIST;
    if (nd.trailingSlash) return -EISDIR;
    return this.enter(nd.dvp, nd.name, VREG, mode);
  }

  /**
   * Take a name out of its directory (unlink): the vnode lives on while descriptors or
   * mappings hold it, as an unlinked file does.
   */
  remove(dvp: Vnode, name: string): void {
    if (dvp.v_children === null || !dvp.v_children.delete(name)) {
      throw new Error(`remove: no ${JSON.stringify(name)} in ${vn_fullpath(dvp)}`);
    }
  }

  /** Add a new vnode under dvp (the name must be free; namei said so). */
  enter(dvp: Vnode, name: string, type: VType, mode: number): Vnode {
    const children = dvp.v_children;
    if (children === null) throw new Error(`enter: vnode ${dvp.v_ino} is not a directory`);
    if (name === "" || name.includes("/") || children.has(name)) {
      throw new Error(`enter: bad or taken name ${JSON.stringify(name)} in ${vn_fullpath(dvp)}`);
    }
    const vp = new Vnode(type, this.nextIno++, mode, name, dvp);
    children.set(name, vp);
    return vp;
  }
}

/** Bytes [off, off+n) of a regular file, cut at its end. */
export function vn_read(vp: Vnode, off: number, n: number): Uint8Array {
  if (vp.v_type !== VREG) throw new Error(`vn_read: vnode ${vp.v_ino} is not a regular file`);
  const end = Math.min(vp.v_size, off + n);
  return off >= end ? new Uint8Array(0) : vp.v_data.slice(off, end);
}

/** Write at off, growing the file; a gap past the old end reads as zeros. 0 or -EFBIG. */
export function vn_write(vp: Vnode, off: number, bytes: Uint8Array): number {
  if (vp.v_type !== VREG) throw new Error(`vn_write: vnode ${vp.v_ino} is not a regular file`);
  const end = off + bytes.length;
  if (end > VFS_MAXFILESIZE) return -EFBIG;
  if (end > vp.v_data.length) {
    const grown = new Uint8Array(Math.min(VFS_MAXFILESIZE, Math.max(end, vp.v_data.length * 2)));
    grown.set(vp.v_data.subarray(0, vp.v_size));
    vp.v_data = grown;
  }
  vp.v_data.set(bytes, off);
  if (end > vp.v_size) vp.v_size = end;
  return 0;
}

/** Cut a regular file to length 0 (O_TRUNC). */
export function vn_truncate(vp: Vnode): void {
  vn_setsize(vp, 0);
}

/**
 * The file's size becomes `length` (VOP_SETATTR's va_size): bytes cut off are gone (they
 * read as zeros if the file grows again), bytes added read as zeros. 0 or -EFBIG.
 */
export function vn_setsize(vp: Vnode, length: number): number {
  if (vp.v_type !== VREG) throw new Error(`vn_setsize: vnode ${vp.v_ino} is not a regular file`);
  if (length > VFS_MAXFILESIZE) return -EFBIG;
  if (length < vp.v_size) vp.v_data.fill(0, length, vp.v_size);
  else if (length > vp.v_data.length) {
    const grown = new Uint8Array(length);
    grown.set(vp.v_data.subarray(0, vp.v_size));
    vp.v_data = grown;
  }
  vp.v_size = length;
  return 0;
}

// struct dirent (sys/dirent.h 1.7, reference userland §1): d_ino (u64) @0, d_namlen (u16)
// @8, d_type (u8) @10, d_name @16, NUL-terminated; no d_reclen: a record's length is
// _DIRENT_RECLEN(namlen) = (16 + namlen + 1 + 7) & ~7.
export const DT_CHR = 2, DT_DIR = 4, DT_REG = 8;
const DT_OF: Record<VType, number> = { [VREG]: DT_REG, [VDIR]: DT_DIR, [VCHR]: DT_CHR };
export const direntReclen = (namlen: number): number => (16 + namlen + 1 + 7) & ~7;

/**
 * VOP_READDIR: the records of directory dvp from entry `offset` on ("." and ".." first,
 * then the names in the order they were made), as many whole ones as fit in `count`
 * bytes; the offset of the next entry is the directory's seek position (an entry index,
 * where UFS has a byte offset); `eof` (VOP_READDIR's eofflag): no entry is left. Nothing
 * fits: an empty result with the offset unchanged.
 */
export function vop_readdir(dvp: Vnode, offset: number, count: number): { bytes: Uint8Array; next: number; eof: boolean } {
  const children = dvp.v_children;
  if (children === null) throw new Error(`vop_readdir: vnode ${dvp.v_ino} is not a directory`);
  const names: [string, Vnode][] = [[".", dvp], ["..", dvp.v_parent], ...children];
  const enc = new TextEncoder();
  const recs: Uint8Array[] = [];
  let used = 0, i = offset;
  for (; i < names.length; i++) {
    const [name, vp] = names[i];
    const nb = enc.encode(name), len = direntReclen(nb.length);
    if (used + len > count) break;
    const r = new Uint8Array(len), dv = new DataView(r.buffer);
    dv.setUint32(0, vp.v_ino, true); // d_ino's high word stays 0
    dv.setUint16(8, nb.length, true);
    r[10] = DT_OF[vp.v_type];
    r.set(nb, 16);
    recs.push(r);
    used += len;
  }
  const bytes = new Uint8Array(used);
  let at = 0;
  for (const r of recs) { bytes.set(r, at); at += r.length; }
  return { bytes, next: i, eof: i >= names.length };
}
