// struct file: one open file description. Every descriptor that refers to it (dup, or the
// same slot in a table copied by fork) shares f_offset and f_flag; f_count counts those
// references plus any a syscall holds while it works. A file is a vnode (a regular file,
// a directory, or the console's character device) or one end of a pipe (f_type, as
// sys/file.h's DTYPE_*); fo_read and fo_write dispatch on it as the fileops would.
import { EISDIR } from "./errno.js";
import { VCHR, VDIR, Vnode, vn_read, vn_write, vrele } from "./vfs.js";
import type { Pipe } from "./pipe.js";
import { pipe_read, pipe_write, pipeclose } from "./pipe.js";
import { tty_read, tty_write } from "./tty.js";

// f_flag bits (sys/sys/fcntl.h): FFLAGS(O_RDONLY/O_WRONLY/O_RDWR), O_NONBLOCK and O_APPEND's own bits.
export const FREAD = 0x0001;
export const FWRITE = 0x0002;
export const FNONBLOCK = 0x0004;
export const FAPPEND = 0x0008;
/** The f_flag bits fcntl(F_SETFL) may change (FCNTLFLAGS, less the ones forklab has no use for). */
export const FCNTLFLAGS = FAPPEND | FNONBLOCK;

// f_type (sys/sys/file.h).
export const DTYPE_VNODE = 1;
export const DTYPE_PIPE = 3;

export class File {
  f_count = 1;
  f_offset = 0;
  readonly f_type: number;
  /** DTYPE_VNODE: the vnode; null for a pipe. */
  readonly f_vnode: Vnode | null;
  /** DTYPE_PIPE: this descriptor's end of the pipe. */
  readonly f_pipe: Pipe | null;

  constructor(what: Vnode | Pipe, public f_flag: number) {
    if (what instanceof Vnode) { this.f_type = DTYPE_VNODE; this.f_vnode = what; this.f_pipe = null; }
    else { this.f_type = DTYPE_PIPE; this.f_vnode = null; this.f_pipe = what; }
  }
}

/** A new open file on vp (or a pipe end) holding one reference, the caller's; it takes over the caller's vnode reference. */
export function falloc(what: Vnode | Pipe, flag: number): File {
  return new File(what, flag);
}

export function fhold(fp: File): void {
  if (fp.f_count <= 0) throw new Error("fhold: file already closed (f_count 0)");
  fp.f_count++;
}

/** Drop a reference; the last one closes the vnode (vn_close releases its reference) or the pipe end. */
export function fdrop(fp: File): void {
  if (fp.f_count <= 0) throw new Error("fdrop: count < 0");
  if (--fp.f_count > 0) return;
  if (fp.f_pipe) pipeclose(fp.f_pipe);
  else vrele(fp.f_vnode!);
}

/**
 * Drop the descriptor's reference the way close does. The kernel's closef first releases
 * the POSIX locks the process leader holds on the vnode; this filesystem has no advisory
 * locks, so only the drop remains.
 */
export function closef(fp: File): void {
  fdrop(fp);
}

/**
 * Read up to n bytes at f_offset and advance it; -EISDIR for a directory. A pipe or the
 * console with nothing to read yet gives -EWOULDBLOCK: the caller sleeps or, with
 * O_NONBLOCK, fails with EAGAIN (the same number).
 */
export function fo_read(fp: File, n: number): Uint8Array | number {
  if (fp.f_pipe) return pipe_read(fp.f_pipe, n);
  const vp = fp.f_vnode!;
  if (vp.v_type === VDIR) return -EISDIR;
  if (vp.v_type === VCHR) return tty_read(vp.v_rdev!, n);
  const data = vn_read(vp, fp.f_offset, n);
  fp.f_offset += data.length;
  return data;
}

/**
 * Write at f_offset (at the end with FAPPEND) and leave f_offset after the data. A pipe
 * may take part of it, or none yet (0: the caller sleeps or gives EAGAIN), or refuse it
 * with -EPIPE. `pid` and `fd` are the writer's, for the console's record.
 */
export function fo_write(fp: File, bytes: Uint8Array, pid = 0, fd = -1): number {
  if (fp.f_pipe) return pipe_write(fp.f_pipe, bytes);
  const vp = fp.f_vnode!;
  if (vp.v_type === VCHR) return tty_write(vp.v_rdev!, bytes, pid, fd);
  const off = fp.f_flag & FAPPEND ? vp.v_size : fp.f_offset;
  const error = vn_write(vp, off, bytes);
  if (error < 0) return error;
  fp.f_offset = off + bytes.length;
  return bytes.length;
}
