// Descriptor syscalls over the in-memory filesystem: enough to observe what fork does
// to descriptors (copied tables, shared open-file offsets, independent closes).
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, Proc, KGen } from "./proc.js";
import {
  kern_open, kern_lseek, kern_close, kern_dup, kern_dup2, kern_dupfd, fgetfile, fgetfdflags, fsetfdflags,
  fclrfdflags, UF_EXCLOSE, type NofileLimit,
} from "./filedesc.js";
import { RLIMIT_NOFILE } from "./resource.js";
import {
  EFAULT, ENAMETOOLONG, EINVAL, EBADF, EAGAIN, EWOULDBLOCK, EINTR, ERESTART, EPIPE, EMSGSIZE,
} from "./errno.js";
import { File, fo_read, fo_write, fhold, fdrop, FREAD, FWRITE, FNONBLOCK, FCNTLFLAGS } from "./file.js";
import { tsleep_begin } from "./synch.js";
import { ksignal } from "./signal.js";
import { PCATCH, SIGPIPE } from "./param.js";
import { vm_object_page_clean, vm_object_page_update } from "./vm_map.js";
import { VCHR, VDIR, VREG, type Vnode } from "./vfs.js";

const CHUNK = 65536;
/** readv/writev's most iovecs (UIO_MAXIOV). */
const UIO_MAXIOV = 1024;

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
  if ((nbyte | 0) < 0) return EINVAL; // nbyte > INT_MAX
  const r = yield* dofileread(k, lp, fd, [[buf, nbyte]]);
  if (r < 0) return -r;
  msg.fds[0] = r;
  return 0;
}

export function* sys_write(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const [fd, buf, nbyte] = args;
  if ((nbyte | 0) < 0) return EINVAL;
  const r = yield* dofilewrite(k, lp, fd, [[buf, nbyte]]);
  if (r < 0) return -r;
  msg.fds[0] = r;
  return 0;
}

/** readv/writev's iovecs: cnt > UIO_MAXIOV (1024) is EMSGSIZE, a total over INT_MAX EINVAL. */
function copyinIovecs(k: Kernel, lp: Lwp, iovp: number, cnt: number): [number, number][] | number {
  if (cnt > UIO_MAXIOV) return EMSGSIZE;
  const words = cnt === 0 ? [] : k.copyinArgs(lp.lwp_proc, iovp, 2 * cnt);
  if (!words) return EFAULT;
  const iov: [number, number][] = [];
  let total = 0;
  for (let i = 0; i < cnt; i++) {
    iov.push([words[2 * i], words[2 * i + 1]]);
    total += words[2 * i + 1];
    if (total > 0x7FFFFFFF) return EINVAL;
  }
  return iov;
}

export function* sys_readv(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const iov = copyinIovecs(k, lp, args[1], args[2]);
  if (typeof iov === "number") return iov;
  const r = yield* dofileread(k, lp, args[0], iov);
  if (r < 0) return -r;
  msg.fds[0] = r;
  return 0;
}

export function* sys_writev(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const iov = copyinIovecs(k, lp, args[1], args[2]);
  if (typeof iov === "number") return iov;
  const r = yield* dofilewrite(k, lp, args[0], iov);
  if (r < 0) return -r;
  msg.fds[0] = r;
  return 0;
}

/** Where a read that must wait sleeps: the pipe end ("piperd") or the console ("ttyin"). */
function readChan(fp: File): object {
  return fp.f_pipe ? fp.f_pipe.rchan : fp.f_vnode!.v_rdev!.rchan;
}

/**
 * dofileread: reads into each iovec in turn. A pipe or the console with nothing to read
 * sleeps (PCATCH: a signal ends it with EINTR or ERESTART) unless O_NONBLOCK (EAGAIN)
 * or bytes were already read; a short read ends the call. Bytes moved win over an
 * interrupted sleep (the count is returned). The count, or -errno.
 */
function* dofileread(k: Kernel, lp: Lwp, fd: number, iov: [number, number][]): KGen<number> {
  const p = lp.lwp_proc;
  const fp = fgetfile(p.p_fd!, fd);
  if (fp === null || (fp.f_flag & FREAD) === 0) return -EBADF;
  fhold(fp);
  if (fp.f_vnode?.v_object) vm_object_page_clean(k, fp.f_vnode.v_object);
  let total = 0, error = 0;
  out: for (const [base, len] of iov) {
    let done = 0;
    while (done < len) {
      const n = Math.min(CHUNK, len - done);
      const r = fo_read(fp, n);
      if (r === -EWOULDBLOCK) {
        if (total > 0) break out;
        if (fp.f_flag & FNONBLOCK) { error = EAGAIN; break out; }
        const s = tsleep_begin(k, lp, readChan(fp), PCATCH, (readChan(fp) as { name: string }).name, 0);
        const e = typeof s === "number" ? s : yield s;
        if (e) { error = e; break out; }
        continue;
      }
      if (typeof r === "number") { error = -r; break out; }
      if (r.length === 0) break out;
      if (k.copyout(p, base + done, r)) { error = EFAULT; break out; }
      done += r.length;
      total += r.length;
      if (r.length < n) break out;
    }
  }
  fdrop(fp);
  if (error && total > 0 && (error === ERESTART || error === EINTR || error === EWOULDBLOCK)) error = 0;
  return error ? -error : total;
}

/**
 * dofilewrite: writes each iovec in turn. A pipe with no room sleeps ("pipewr", PCATCH)
 * unless O_NONBLOCK (EAGAIN, or the count so far). EPIPE also sends SIGPIPE to the
 * writing LWP. The count, or -errno.
 */
function* dofilewrite(k: Kernel, lp: Lwp, fd: number, iov: [number, number][]): KGen<number> {
  const p = lp.lwp_proc;
  const fp = fgetfile(p.p_fd!, fd);
  if (fp === null || (fp.f_flag & FWRITE) === 0) return -EBADF;
  fhold(fp);
  let total = 0, error = 0;
  out: for (const [base, len] of iov) {
    let done = 0;
    do {
      const n = Math.min(CHUNK, len - done);
      const bytes = k.copyin(p, base + done, n);
      if (!bytes) { error = EFAULT; break out; }
      const r = fo_write(fp, bytes, p.p_pid, fd);
      if (r < 0) { error = -r; break out; }
      if (fp.f_vnode) vm_object_page_update(k, fp.f_vnode, fp.f_offset - r, r);
      done += r;
      total += r;
      if (r === 0 && n > 0) {
        if (fp.f_flag & FNONBLOCK) { error = EAGAIN; break out; }
        const chan = fp.f_pipe!.peer?.wchan ?? fp.f_pipe!.wchan;
        const s = tsleep_begin(k, lp, chan, PCATCH, "pipewr", 0);
        const e = typeof s === "number" ? s : yield s;
        if (e) { error = e; break out; }
      }
    } while (done < len);
  }
  fdrop(fp);
  if (error && total > 0 && (error === ERESTART || error === EINTR || error === EWOULDBLOCK)) error = 0;
  if (error === EPIPE) ksignal(k, p, SIGPIPE, lp);
  return error ? -error : total;
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

// fcntl(2) commands (sys/fcntl.h 1.14).
export const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4;
export const FD_CLOEXEC = 1;

/**
 * fcntl(fd, cmd, arg): F_DUPFD (lowest descriptor >= arg), F_GETFD/F_SETFD (FD_CLOEXEC),
 * F_GETFL (OFLAGS of f_flag), F_SETFL (O_NONBLOCK, O_APPEND; FFLAGS(arg), so the access
 * bits + 1 as the kernel computes it). Other commands: EINVAL.
 */
export function* sys_fcntl(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const p = lp.lwp_proc, fdp = p.p_fd!;
  const [fd, cmd, arg] = args;
  const fp = fgetfile(fdp, fd);
  if (fp === null) return EBADF;
  switch (cmd) {
    case F_DUPFD: {
      const nofile = nofileOf(k, p);
      if (arg < 0 || arg >= Math.min(nofile.rlim_cur, nofile.maxfilesperproc)) return EINVAL;
      const r = kern_dupfd(fdp, fd, arg, nofile);
      if (r < 0) return -r;
      msg.fds[0] = r;
      return 0;
    }
    case F_GETFD: {
      const r = fgetfdflags(fdp, fd);
      if (r < 0) return -r;
      msg.fds[0] = r & UF_EXCLOSE ? FD_CLOEXEC : 0;
      return 0;
    }
    case F_SETFD:
      return -(arg & FD_CLOEXEC ? fsetfdflags(fdp, fd, UF_EXCLOSE) : fclrfdflags(fdp, fd, UF_EXCLOSE));
    case F_GETFL:
      msg.fds[0] = (fp.f_flag & ~3) | ((fp.f_flag & 3) - 1); // OFLAGS
      return 0;
    case F_SETFL:
      fp.f_flag = (fp.f_flag & ~FCNTLFLAGS) | ((arg + 1) & FCNTLFLAGS); // FFLAGS
      return 0;
  }
  return EINVAL;
}

/** getdtablesize(): min(RLIMIT_NOFILE's rlim_cur, maxfilesperproc). */
export function* sys_getdtablesize(k: Kernel, lp: Lwp, _args: number[], msg: SysMsg): KGen<number> {
  const n = nofileOf(k, lp.lwp_proc);
  msg.fds[0] = Math.min(n.rlim_cur, n.maxfilesperproc);
  return 0;
}

// struct stat (sys/stat.h 1.12): 104 bytes; file types.
export const STAT_SIZE = 104;
export const S_IFIFO = 0o010000, S_IFCHR = 0o020000, S_IFDIR = 0o040000, S_IFREG = 0o100000;
/** st_dev of the in-memory filesystem, and of pipes (NODEV, as pipes have none). */
const FS_DEV = 0x0501, NODEV = 0xFFFFFFFF;

/** The stat of a vnode or a pipe end, as copyout writes it. */
export function statOf(fp: File | null, vp: Vnode | null, uid: number, gid: number): Uint8Array {
  const b = new Uint8Array(STAT_SIZE), dv = new DataView(b.buffer);
  let ino: number, mode: number, size: number, blksize: number, dev = FS_DEV, nlink = 1, rdev = 0;
  if (fp?.f_pipe) {
    const pp = fp.f_pipe;
    ino = pp.ino; mode = S_IFIFO; size = pp.cnt; blksize = pp.size; dev = NODEV;
  } else {
    const v = vp ?? fp!.f_vnode!;
    ino = v.v_ino;
    mode = (v.v_type === VDIR ? S_IFDIR : v.v_type === VCHR ? S_IFCHR : S_IFREG) | (v.v_mode & 0o7777);
    size = v.v_type === VREG ? v.v_size : 0;
    // A non-disk character device gets st_blksize PAGE_SIZE (vfs_vnops.c); files here too.
    blksize = 4096;
    if (v.v_type === VDIR) nlink = 2;
    if (v.v_type === VCHR) rdev = 0x0000; // the console: major 0, minor 0
    uid = 0; gid = 0; // this filesystem has no owners: everything is root's
  }
  dv.setUint32(0, ino, true);
  dv.setUint32(8, nlink, true);
  dv.setUint32(12, dev, true);
  dv.setUint16(16, mode, true);
  dv.setUint32(20, uid, true);
  dv.setUint32(24, gid, true);
  dv.setUint32(28, rdev, true);
  dv.setUint32(56, size % 0x100000000, true);
  dv.setUint32(60, Math.floor(size / 0x100000000), true);
  dv.setUint32(64, Math.ceil(size / 512), true);
  dv.setUint32(72, blksize, true);
  return b;
}

/** fstat(fd, sb) */
export function* sys_fstat(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const p = lp.lwp_proc;
  const fp = fgetfile(p.p_fd!, args[0]);
  if (fp === null) return EBADF;
  const cr = p.p_ucred!;
  return k.copyout(p, args[1], statOf(fp, null, cr.cr_uid, cr.cr_gid));
}

/** stat(path, sb) and lstat (no symbolic links here: the same). */
export function* sys_stat(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const p = lp.lwp_proc;
  const path = k.copyinstr(p, args[0], 1024);
  if (path === null) return EFAULT;
  if (path === undefined) return ENAMETOOLONG;
  const fdp = p.p_fd!;
  const vp = k.vfs.lookup(path, fdp.fd_cdir ?? k.vfs.root, fdp.fd_rdir ?? k.vfs.root);
  if (typeof vp === "number") return -vp;
  return k.copyout(p, args[1], statOf(null, vp, 0, 0));
}
