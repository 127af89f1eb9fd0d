// The filesystem syscalls of vfs_syscalls.c that are not about descriptors.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";

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
