// The filesystem syscalls of vfs_syscalls.c that are not about descriptors.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import { EFAULT, ENAMETOOLONG, ENOENT, EPERM } from "./errno.js";
import { MAXPATHLEN, VDIR } from "./vfs.js";

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
  const p = lp.lwp_proc, fdp = p.p_fd!;
  const path = k.copyinstr(p, args[0], MAXPATHLEN);
  if (path === null) return EFAULT;
  if (path === undefined) return ENAMETOOLONG;
  const nd = k.vfs.namei(path, fdp.fd_cdir ?? k.vfs.root, fdp.fd_rdir ?? k.vfs.root);
  if (typeof nd === "number") return -nd;
  if (nd.vp === null) return ENOENT;
  if (nd.vp.v_type === VDIR) return EPERM;
  k.vfs.remove(nd.dvp, nd.name);
  return 0;
}
