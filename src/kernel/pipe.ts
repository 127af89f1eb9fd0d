// Pipes (sys_pipe.c 1.46, sys/pipe.h 1.10; reference userland §8). pipe() makes two ends,
// each with the buffer of the bytes to be read from it: writing one end fills its peer's
// buffer, so both descriptors read and write. The buffer is PIPE_SIZE (16 KiB), grown to
// BIG_PIPE_SIZE (64 KiB) by a write of more than that into an empty buffer while fewer than
// MAXBIGPIPES (32) big pipes exist. A write of PIPE_BUF bytes or less is atomic. Readers sleep on their end ("piperd"), writers on the peer's ("pipewr"); every
// change wakes select and poll (selwakeup).
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import { EPIPE, EWOULDBLOCK } from "./errno.js";
import { wakeup } from "./synch.js";
import { falloc, fdrop, FREAD, FWRITE } from "./file.js";
import { fdalloc, fsetfd, kern_close } from "./filedesc.js";
import { nofileOf } from "./kern_descrip.js";

export const PIPE_BUF = 512;
export const PIPE_SIZE = 16384;
export const BIG_PIPE_SIZE = 65536;
/** How many pipes may have grown to BIG_PIPE_SIZE at once (maxbigpipes). */
export const MAXBIGPIPES = 32;

export class Pipe {
  /** The bytes waiting to be read from this end, a ring of `size` bytes. */
  buf = new Uint8Array(PIPE_SIZE);
  in = 0;
  cnt = 0;
  /** PIPE_EOF: the peer has closed. */
  eof = false;
  closed = false;
  peer: Pipe | null = null;
  /** Wait channels: readers of this end, writers into it. */
  readonly rchan = { name: "piperd" };
  readonly wchan = { name: "pipewr" };
  constructor(readonly k: Kernel, readonly ino: number) {}
  get size(): number { return this.buf.length; }
}

/**
 * pipe(): two descriptors, both FREAD|FWRITE, returned in eax and edx. EMFILE/ENFILE
 * when the table is full (the first descriptor is given back).
 */
export function* sys_pipe(k: Kernel, lp: Lwp, _args: number[], msg: SysMsg): KGen<number> {
  const p = lp.lwp_proc, fdp = p.p_fd!, nofile = nofileOf(k, p);
  const rpipe = new Pipe(k, ++k.pipeIno), wpipe = new Pipe(k, ++k.pipeIno);
  rpipe.peer = wpipe;
  wpipe.peer = rpipe;
  const fd0 = fdalloc(fdp, 0, nofile);
  if (fd0 < 0) return -fd0;
  const rf = falloc(rpipe, FREAD | FWRITE);
  fsetfd(fdp, rf, fd0);
  fdrop(rf);
  const fd1 = fdalloc(fdp, 0, nofile);
  if (fd1 < 0) {
    kern_close(fdp, fd0);
    pipeclose(wpipe);
    return -fd1;
  }
  const wf = falloc(wpipe, FREAD | FWRITE);
  fsetfd(fdp, wf, fd1);
  fdrop(wf);
  msg.fds[0] = fd0;
  msg.fds[1] = fd1;
  return 0;
}

/** The buffered bytes, up to n; an empty array at EOF, -EWOULDBLOCK when empty and the peer is there. */
export function pipe_read(rpipe: Pipe, n: number): Uint8Array | number {
  if (rpipe.cnt === 0) return rpipe.eof ? new Uint8Array(0) : -EWOULDBLOCK;
  const take = Math.min(n, rpipe.cnt);
  const out = new Uint8Array(take);
  const size = rpipe.size;
  let out0 = (rpipe.in - rpipe.cnt + size) % size;
  for (let i = 0; i < take;) {
    const run = Math.min(take - i, size - out0);
    out.set(rpipe.buf.subarray(out0, out0 + run), i);
    i += run;
    out0 = (out0 + run) % size;
  }
  rpipe.cnt -= take;
  // Writers wake when the buffer is empty or has drained below a third (5461 of 16384).
  if (rpipe.cnt === 0 || rpipe.cnt < Math.floor(rpipe.size / 3)) wakeup(rpipe.k, rpipe.wchan);
  selwakeup(rpipe.k);
  return out;
}

/**
 * Bytes into the peer's buffer: the count taken (0 when there is no room yet, or not room
 * for all of an atomic write), or -EPIPE when the peer is gone.
 */
export function pipe_write(end: Pipe, bytes: Uint8Array): number {
  const w = end.peer;
  if (w === null || w.closed || end.eof) return -EPIPE;
  const k = end.k;
  if (bytes.length > PIPE_SIZE && w.cnt === 0 && w.size === PIPE_SIZE && k.bigpipes < MAXBIGPIPES) {
    w.buf = new Uint8Array(BIG_PIPE_SIZE);
    w.in = 0;
    k.bigpipes++;
  }
  const space = w.size - w.cnt;
  if (bytes.length <= PIPE_BUF && space < bytes.length) return 0;
  const n = Math.min(space, bytes.length);
  for (let i = 0; i < n;) {
    const run = Math.min(n - i, w.size - w.in);
    w.buf.set(bytes.subarray(i, i + run), w.in);
    i += run;
    w.in = (w.in + run) % w.size;
  }
  w.cnt += n;
  if (n > 0) {
    wakeup(k, w.rchan);
    selwakeup(k);
  }
  return n;
}

/** The last close of an end: the peer sees EOF; sleepers on both sides wake. */
export function pipeclose(p: Pipe): void {
  p.closed = true;
  if (p.size === BIG_PIPE_SIZE) p.k.bigpipes--;
  const peer = p.peer;
  p.peer = null;
  wakeup(p.k, p.rchan);
  wakeup(p.k, p.wchan);
  if (peer) {
    peer.eof = true;
    peer.peer = null;
    wakeup(p.k, peer.rchan);
    wakeup(p.k, peer.wchan);
  }
  selwakeup(p.k);
}

/** poll(2)'s view of an end (pipe_poll): readable with data or at EOF, writable with PIPE_BUF free or the peer gone, POLLHUP at EOF. */
export function pipe_poll(p: Pipe, events: number): number {
  let revents = 0;
  const w = p.peer;
  if (events & (POLLIN | POLLRDNORM)) if (p.cnt > 0 || p.eof) revents |= events & (POLLIN | POLLRDNORM);
  if (events & (POLLOUT | POLLWRNORM)) {
    if (w === null || w.closed || p.eof || w.size - w.cnt >= PIPE_BUF) revents |= events & (POLLOUT | POLLWRNORM);
  }
  if (p.eof || w === null || w.closed) revents |= POLLHUP;
  return revents;
}

// sys/poll.h 1.7
export const POLLIN = 0x0001, POLLPRI = 0x0002, POLLOUT = 0x0004, POLLERR = 0x0008, POLLHUP = 0x0010;
export const POLLNVAL = 0x0020, POLLRDNORM = 0x0040, POLLRDBAND = 0x0080, POLLWRNORM = 0x0004, POLLWRBAND = 0x0100;

/** selwakeup: whoever sleeps in select or poll looks again. */
export function selwakeup(k: Kernel): void {
  wakeup(k, k.selwait);
}
