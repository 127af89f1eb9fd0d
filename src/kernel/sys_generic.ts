// ioctl, select and poll (sys_generic.c 1.49; reference userland §8, §10.3), over the
// three kinds of file forklab has: regular files and directories, pipe ends, and the
// console. Sleeping select and poll wait on selwait with their timeout in virtual time;
// every change of a pipe or of the console wakes them to look again (selwakeup). Neither
// is restarted after a signal: ERESTART becomes EINTR.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import { EBADF, EFAULT, EINVAL, EINTR, ENOTTY, ERESTART, EWOULDBLOCK } from "./errno.js";
import { PCATCH } from "./param.js";
import { tsleep } from "./synch.js";
import { type File, FNONBLOCK } from "./file.js";
import { fgetfile, fsetfdflags, fclrfdflags, UF_EXCLOSE } from "./filedesc.js";
import { RLIMIT_NOFILE } from "./resource.js";
import { VCHR, VREG } from "./vfs.js";
import {
  pipe_poll, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, POLLRDBAND, POLLNVAL,
} from "./pipe.js";
import { tty_poll, TERMIOS_SIZE } from "./tty.js";

// ioctl encoding (sys/ioccom.h 1.4).
const IOCPARM_MAX = 4096;
const IOC_OUT = 0x40000000, IOC_IN = 0x80000000;
// Commands (reference §10.3).
export const FIOCLEX = 0x20006601, FIONCLEX = 0x20006602, FIONREAD = 0x4004667F, FIONBIO = 0x8004667E;
export const FIOASYNC = 0x8004667D;
export const TIOCGETA = 0x402C7413, TIOCSETA = 0x802C7414, TIOCSETAW = 0x802C7415, TIOCSETAF = 0x802C7416;
export const TIOCGWINSZ = 0x40087468, TIOCSWINSZ = 0x80087467, TIOCGPGRP = 0x40047477, TIOCSPGRP = 0x80047476;
export const TIOCSCTTY = 0x20007461;

/**
 * ioctl(fd, cmd, data): the argument is copied in (IOC_IN) before and out (IOC_OUT) after
 * a successful command. FIOCLEX/FIONCLEX and FIONBIO are handled for every file; FIONREAD
 * by each kind; the termios, window size and process group commands by the console only.
 * Anything else: ENOTTY.
 */
export function* sys_ioctl(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const p = lp.lwp_proc, fdp = p.p_fd!;
  const [fd, cmd, data] = args;
  const fp = fgetfile(fdp, fd);
  if (fp === null) return EBADF;
  const size = (cmd >>> 16) & 0x1FFF;
  if (size > IOCPARM_MAX) return ENOTTY;
  let buf: Uint8Array = new Uint8Array(size);
  if ((cmd & IOC_IN) && size > 0) {
    const b = k.copyin(p, data, size);
    if (!b) return EFAULT;
    buf = b;
  }
  if (cmd === FIOCLEX) return -fsetfdflags(fdp, fd, UF_EXCLOSE);
  if (cmd === FIONCLEX) return -fclrfdflags(fdp, fd, UF_EXCLOSE);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
  if (cmd === FIONBIO) {
    if (dv.getInt32(0, true)) fp.f_flag |= FNONBLOCK; else fp.f_flag &= ~FNONBLOCK;
    return 0;
  }
  const error = fo_ioctl(fp, cmd >>> 0, buf, dv);
  if (error) return error;
  if ((cmd & IOC_OUT) && size > 0) return k.copyout(p, data, buf);
  return 0;
}

/** The per-kind ioctls (fo_ioctl): 0 or an errno; results go into buf. */
function fo_ioctl(fp: File, cmd: number, buf: Uint8Array, dv: DataView): number {
  if (fp.f_pipe) {
    if (cmd === FIONREAD) { dv.setInt32(0, fp.f_pipe.cnt, true); return 0; }
    if (cmd === FIOASYNC) return 0;
    return ENOTTY;
  }
  const vp = fp.f_vnode!;
  if (vp.v_type === VCHR) {
    const tp = vp.v_rdev!;
    switch (cmd) {
      case FIONREAD: dv.setInt32(0, tp.available, true); return 0;
      case FIOASYNC: return 0;
      case TIOCGETA: buf.set(tp.termios.subarray(0, TERMIOS_SIZE)); return 0;
      case TIOCSETA: case TIOCSETAW: case TIOCSETAF: tp.termios = buf.slice(0, TERMIOS_SIZE); return 0;
      case TIOCGWINSZ: buf.set(tp.winsize); return 0;
      case TIOCSWINSZ: tp.winsize = buf.slice(0, 8); return 0;
      case TIOCGPGRP: dv.setInt32(0, tp.pgrp, true); return 0;
      case TIOCSPGRP: tp.pgrp = dv.getInt32(0, true); return 0;
      case TIOCSCTTY: return 0;
    }
    return ENOTTY;
  }
  // vn_ioctl: a regular file answers FIONREAD (bytes past the offset) and FIOASYNC.
  if (vp.v_type === VREG && cmd === FIONREAD) { dv.setInt32(0, Math.max(0, vp.v_size - fp.f_offset), true); return 0; }
  if (cmd === FIOASYNC) return 0;
  return ENOTTY;
}

/** fo_poll: the events of `events` a file is ready for. Files and directories always are (seltrue). */
export function fo_poll(fp: File, events: number): number {
  if (fp.f_pipe) return pipe_poll(fp.f_pipe, events);
  const vp = fp.f_vnode!;
  if (vp.v_type === VCHR) return tty_poll(vp.v_rdev!, events);
  return events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
}

/** A timeout in microseconds as ticks to sleep (tvtohz: rounded up, at least 1). */
function usecToTicks(k: Kernel, usec: number): number {
  const tick = 1000000 / k.clock.hz;
  return Math.max(1, Math.ceil(usec / tick));
}

/** The sleep of select and poll: 0 woken (look again), EWOULDBLOCK timed out, EINTR for a signal. */
function* selsleep(k: Kernel, lp: Lwp, wmesg: string, deadline: number | null): KGen<number> {
  let timo = 0;
  if (deadline !== null) {
    timo = deadline - k.clock.ticks;
    if (timo <= 0) return EWOULDBLOCK;
  }
  const e = yield* tsleep(k, lp, k.selwait, PCATCH, wmesg, timo);
  return e === ERESTART ? EINTR : e;
}

const FD_SETSIZE = 1024;

/**
 * select(nd, in, ou, ex, tv): nd < 0 EINVAL, lowered to the table's size; ⌈nd/32⌉ words of
 * each set given; in asks POLLRDNORM, ou POLLWRNORM, ex POLLRDBAND. A descriptor in a set
 * that is not open: EBADF. tv NULL waits for ever, {0, 0} polls; tv is not updated.
 */
export function* sys_select(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const p = lp.lwp_proc, fdp = p.p_fd!;
  let [nd] = args;
  const sets = [args[1], args[2], args[3]];
  const tvp = args[4];
  if (nd < 0) return EINVAL;
  if (nd > fdp.fd_nfiles) nd = fdp.fd_nfiles;
  const nwords = Math.ceil(nd / 32);
  const ibits: (Uint32Array | null)[] = [];
  for (const uva of sets) {
    if (uva === 0 || nwords === 0) { ibits.push(null); continue; }
    const b = k.copyin(p, uva, nwords * 4);
    if (!b) return EFAULT;
    ibits.push(new Uint32Array(b.buffer.slice(b.byteOffset, b.byteOffset + nwords * 4)));
  }
  let deadline: number | null = null;
  if (tvp !== 0) {
    const tv = k.copyinArgs(p, tvp, 2);
    if (!tv) return EFAULT;
    const sec = tv[0] | 0, usec = tv[1] | 0;
    if (sec < 0 || usec < 0 || usec >= 1000000 || sec > 100000000) return EINVAL; // itimerfix
    const us = sec * 1000000 + usec;
    deadline = us === 0 ? k.clock.ticks : k.clock.ticks + usecToTicks(k, us);
  }
  const asks = [POLLRDNORM, POLLWRNORM, POLLRDBAND];
  for (;;) {
    const obits = ibits.map((b) => (b ? new Uint32Array(b.length) : null));
    let n = 0;
    for (let s = 0; s < 3; s++) {
      const b = ibits[s];
      if (!b) continue;
      for (let fd = 0; fd < nd; fd++) {
        if ((b[fd >> 5] & (1 << (fd & 31))) === 0) continue;
        const fp = fgetfile(fdp, fd);
        if (fp === null) return EBADF;
        if (fo_poll(fp, asks[s])) { obits[s]![fd >> 5] |= 1 << (fd & 31); n++; }
      }
    }
    let e = 0;
    if (n === 0) e = yield* selsleep(k, lp, "select", deadline);
    if (n > 0 || e === EWOULDBLOCK) {
      for (let s = 0; s < 3; s++) {
        const o = obits[s];
        if (o && k.copyout(p, sets[s], new Uint8Array(o.buffer))) return EFAULT;
      }
      msg.fds[0] = n;
      return 0;
    }
    if (e) return e;
  }
}

/**
 * poll(fds, nfds, timeout): nfds over both RLIMIT_NOFILE and FD_SETSIZE is EINVAL, a
 * timeout below -1 too (-1 is INFTIM). fd < 0 gives revents 0; a closed one POLLNVAL
 * (counted). The count of non-zero revents.
 */
export function* sys_poll(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const p = lp.lwp_proc, fdp = p.p_fd!;
  const [fds, nfds, timeout] = args;
  const nofile = p.p_limit!.pl_rlimit[RLIMIT_NOFILE].rlim_cur;
  if (nfds > nofile && nfds > FD_SETSIZE) return EINVAL;
  if (timeout < -1) return EINVAL;
  const raw = nfds === 0 ? new Uint8Array(0) : k.copyin(p, fds, nfds * 8);
  if (!raw) return EFAULT;
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const deadline = timeout === -1 ? null : timeout === 0 ? k.clock.ticks : k.clock.ticks + usecToTicks(k, timeout * 1000);
  for (;;) {
    let n = 0;
    for (let i = 0; i < nfds; i++) {
      const fd = dv.getInt32(8 * i, true), events = dv.getInt16(8 * i + 4, true) & 0xFFFF;
      let revents = 0;
      if (fd >= 0) {
        const fp = fgetfile(fdp, fd);
        revents = fp === null ? POLLNVAL : fo_poll(fp, events);
      }
      dv.setInt16(8 * i + 6, revents, true);
      if (revents) n++;
    }
    let e = 0;
    if (n === 0) e = yield* selsleep(k, lp, "poll", deadline);
    if (n > 0 || e === EWOULDBLOCK) {
      if (nfds > 0 && k.copyout(p, fds, raw)) return EFAULT;
      msg.fds[0] = n;
      return 0;
    }
    if (e) return e;
  }
}
