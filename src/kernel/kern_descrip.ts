// Descriptor syscalls over the in-memory filesystem: enough to observe what fork does
// to descriptors (copied tables, shared open-file offsets, independent closes).
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, Proc, KGen } from "./proc.js";
import {
  kern_open, kern_read, kern_write, kern_lseek, kern_close, kern_dup, kern_dup2, type NofileLimit,
} from "./filedesc.js";
import { RLIMIT_NOFILE } from "./resource.js";
import { EFAULT, ENAMETOOLONG, EINVAL } from "./errno.js";

const CHUNK = 65536;

export function nofileOf(k: Kernel, p: Proc): NofileLimit {
  return { rlim_cur: p.p_limit!.pl_rlimit[RLIMIT_NOFILE].rlim_cur, maxfilesperproc: k.maxfilesperproc };
}

export function* sys_open(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const p = lp.lwp_proc;
  const path = k.copyinstr(p, args[0], 1024);
  if (path === null) return EFAULT;
  if (path === undefined) return ENAMETOOLONG;
  const r = kern_open(p.p_fd!, k.vfs, path, args[1], args[2], nofileOf(k, p));
  if (r < 0) return -r;
  msg.fds[0] = r;
  return 0;
}

export function* sys_read(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const [fd, buf, nbyte] = args;
  if ((nbyte | 0) < 0) return EINVAL;
  const p = lp.lwp_proc;
  let total = 0;
  while (total < nbyte) {
    const r = kern_read(p.p_fd!, fd, Math.min(CHUNK, nbyte - total));
    if (typeof r === "number") { if (total) break; return -r; }
    if (r.length === 0) break;
    if (k.copyout(p, buf + total, r)) return EFAULT;
    total += r.length;
    if (r.length < CHUNK) break;
  }
  msg.fds[0] = total;
  return 0;
}

export function* sys_write(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const [fd, buf, nbyte] = args;
  if ((nbyte | 0) < 0) return EINVAL;
  const p = lp.lwp_proc;
  let total = 0;
  while (total < nbyte || nbyte === 0) {
    const n = Math.min(CHUNK, nbyte - total);
    const bytes = k.copyin(p, buf + total, n);
    if (!bytes) return EFAULT;
    const r = kern_write(p.p_fd!, fd, bytes);
    if (r < 0) return -r;
    total += r;
    if (nbyte === 0 || r < n) break;
  }
  msg.fds[0] = total;
  return 0;
}

/** lseek(fd, pad, offset, whence): the 64-bit result is two words, low in eax. */
export function* sys_lseek(_k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const [fd, , offset, whence] = args;
  const r = kern_lseek(lp.lwp_proc.p_fd!, fd, offset, whence);
  if (r < 0) return -r;
  msg.fds[0] = r % 0x100000000;
  msg.fds[1] = Math.floor(r / 0x100000000);
  return 0;
}

export function* sys_close(_k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  return -kern_close(lp.lwp_proc.p_fd!, args[0]);
}

export function* sys_dup(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const r = kern_dup(lp.lwp_proc.p_fd!, args[0] | 0, nofileOf(k, lp.lwp_proc));
  if (r < 0) return -r;
  msg.fds[0] = r;
  return 0;
}

export function* sys_dup2(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const r = kern_dup2(lp.lwp_proc.p_fd!, args[0] | 0, args[1] | 0, nofileOf(k, lp.lwp_proc));
  if (r < 0) return -r;
  msg.fds[0] = r;
  return 0;
}

export function* sys_umask(_k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const fdp = lp.lwp_proc.p_fd!;
  msg.fds[0] = fdp.fd_cmask;
  fdp.fd_cmask = args[0] & 0o777;
  return 0;
}
