// The filesystem syscalls of vfs_syscalls.c that are not about descriptors.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import { EBADF, EBUSY, EEXIST, EFAULT, EINVAL, EISDIR, ENAMETOOLONG, ENOENT, ENOTDIR, ENOTEMPTY, EPERM } from "./errno.js";
import { MAXPATHLEN, VDIR, VREG, vn_setsize, vop_readdir, type Namei, type Vnode } from "./vfs.js";
import { fgetfile } from "./filedesc.js";
import { FREAD, FWRITE } from "./file.js";
import { vm_object_page_update } from "./vm_map.js";

/**
 * sync(2), syscalls.master's `36 STD BSD { int sync(void); }` (vfs_syscalls.c: sys_sync):
 * DragonFly scans the mount list and starts writing every dirty buffer (VFS_SYNC with
 * MNT_NOWAIT), then returns 0, always; it does not wait for the writes. forklab's
 * filesystem lives in memory with nothing behind it, so there is nothing to start: sync
 * returns 0 at the cost of a syscall (`stress --io` loops on it).
 */
export function* sys_sync(_k: Kernel, _lp: Lwp, _a: number[], _msg: SysMsg): KGen<number> {
  return 0;
}

/**
 * unlink(2), `10 STD BSD { int unlink(char *path); }` (vfs_syscalls.c: kern_unlink): the
 * name goes; the file lives on while descriptors or mappings hold it (`stress --hdd`
 * writes to a file it has unlinked). A directory is EPERM, as POSIX allows and BSD does.
 */
export function* sys_unlink(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const nd = nameiArg(k, lp, args[0]);
  if (typeof nd === "number") return nd;
  if (nd.vp === null) return ENOENT;
  if (nd.vp.v_type === VDIR) return EPERM;
  k.vfs.remove(nd.dvp, nd.name);
  return 0;
}

/**
 * getdirentries(fd, buf, count, basep), syscalls.master's 479 (vfs_syscalls.c:
 * kern_getdirentries): reads directory records (struct dirent, vfs.ts) from the
 * descriptor's offset into buf, as many whole ones as fit in count, and advances the
 * offset; *basep gets the offset the read started at. Returns the bytes read, 0 at the
 * end. EBADF: fd not open for reading; EINVAL: not a directory (or a pipe), or count too
 * small for the next record (UFS's readdir refuses a buffer that holds none).
 */
export function* sys_getdirentries(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const [fd, buf, count, basep] = args;
  const p = lp.lwp_proc;
  const fp = fgetfile(p.p_fd!, fd);
  if (fp === null || (fp.f_flag & FREAD) === 0) return EBADF;
  const vp = fp.f_vnode;
  if (vp === null || vp.v_type !== VDIR) return EINVAL;
  const base = fp.f_offset;
  const { bytes, next, eof } = vop_readdir(vp, base, count);
  if (bytes.length === 0 && !eof) return EINVAL;
  if (bytes.length > 0 && k.copyout(p, buf, bytes)) return EFAULT;
  fp.f_offset = next;
  if (basep !== 0 && k.copyoutWord(p, basep, base)) return EFAULT;
  msg.fds[0] = bytes.length;
  return 0;
}

/** The path argument a syscall names (nlookup_init's copy), or its errno. */
function pathArg(k: Kernel, lp: Lwp, uva: number): string | number {
  const path = k.copyinstr(lp.lwp_proc, uva, MAXPATHLEN);
  if (path === null) return EFAULT;
  if (path === undefined) return ENAMETOOLONG;
  return path;
}

/** namei on path from the process's current and root directories, or the lookup's errno. */
function nameiAt(k: Kernel, lp: Lwp, path: string): Namei | number {
  const fdp = lp.lwp_proc.p_fd!;
  const nd = k.vfs.namei(path, fdp.fd_cdir ?? k.vfs.root, fdp.fd_rdir ?? k.vfs.root);
  return typeof nd === "number" ? -nd : nd;
}

/** pathArg, then nameiAt: the path and what it names, or the errno. */
function nameiArg(k: Kernel, lp: Lwp, uva: number): (Namei & { path: string }) | number {
  const path = pathArg(k, lp, uva);
  if (typeof path === "number") return path;
  const nd = nameiAt(k, lp, path);
  return typeof nd === "number" ? nd : { ...nd, path };
}

/**
 * mkdir(path, mode), `136 STD POSIX { int mkdir(char *path, int mode); }` (kern_mkdir): a
 * new directory with the permission bits of mode less the umask. EEXIST when the name is
 * taken (a trailing "/" is allowed); ENOENT or ENOTDIR for a missing or non-directory
 * component.
 */
export function* sys_mkdir(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const nd = nameiArg(k, lp, args[0]);
  if (typeof nd === "number") return nd;
  if (nd.vp !== null) return EEXIST;
  k.vfs.enter(nd.dvp, nd.name, VDIR, args[1] & 0o777 & ~lp.lwp_proc.p_fd!.fd_cmask);
  return 0;
}

/**
 * rmdir(path), `137 STD BSD { int rmdir(char *path); }` (kern_rmdir): removes an empty
 * directory; a process's current directory may go (its vnode lives on while held).
 * ENOTDIR for a file, ENOTEMPTY when it has entries (and for ".."), EINVAL for ".",
 * EBUSY for the root.
 */
export function* sys_rmdir(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const nd = nameiArg(k, lp, args[0]);
  if (typeof nd === "number") return nd;
  if (nd.vp === null) return ENOENT;
  if (nd.vp.v_type !== VDIR) return ENOTDIR;
  const last = nd.path.split("/").filter((c) => c.length > 0).pop() ?? "";
  if (last === ".") return EINVAL;
  if (last === "..") return ENOTEMPTY;
  if (nd.vp === k.vfs.root || nd.name === "") return EBUSY;
  if (nd.vp.v_children!.size > 0) return ENOTEMPTY;
  k.vfs.remove(nd.dvp, nd.name);
  return 0;
}

/**
 * The size change of truncate and ftruncate (VOP_SETATTR): a directory is EISDIR, a device
 * EINVAL. The file's MAP_SHARED object sees the bytes cut off as zeros; its pages wholly
 * past the new end stay mapped (BSD's vnode_pager_setsize frees them, and a touch there
 * is SIGBUS).
 */
function setsize(k: Kernel, vp: Vnode, length: number): number {
  if (vp.v_type === VDIR) return EISDIR;
  if (vp.v_type !== VREG) return EINVAL;
  const old = vp.v_size;
  const e = vn_setsize(vp, length);
  if (e) return -e;
  if (length < old) vm_object_page_update(k, vp, length, old - length);
  return 0;
}

/**
 * ftruncate(fd, pad, length), `201 STD BSD { int ftruncate(int fd, int pad, off_t
 * length); }` (kern_ftruncate): EINVAL for a negative length or a descriptor not open for
 * writing (or not a file), EBADF for no descriptor.
 */
export function* sys_ftruncate(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [fd, , length] = args;
  if (!Number.isSafeInteger(length) || length < 0) return EINVAL;
  const fp = fgetfile(lp.lwp_proc.p_fd!, fd);
  if (fp === null) return EBADF;
  if (fp.f_vnode === null || (fp.f_flag & FWRITE) === 0) return EINVAL;
  return setsize(k, fp.f_vnode, length);
}

/** truncate(path, pad, length), `200 STD BSD` (kern_truncate): as ftruncate, by name. */
export function* sys_truncate(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [uva, , length] = args;
  const path = pathArg(k, lp, uva);
  if (typeof path === "number") return path;
  if (!Number.isSafeInteger(length) || length < 0) return EINVAL;
  const nd = nameiAt(k, lp, path);
  if (typeof nd === "number") return nd;
  if (nd.vp === null) return ENOENT;
  return setsize(k, nd.vp, length);
}
