// struct file: one open file description. Every descriptor that refers to it (dup, or the
// same slot in a table copied by fork) shares f_offset and f_flag; f_count counts those
// references plus any a syscall holds while it works.
import { EISDIR } from "./errno.js";
import { VDIR, Vnode, vn_read, vn_write, vrele } from "./vfs.js";

// f_flag bits (sys/sys/fcntl.h): FFLAGS(O_RDONLY/O_WRONLY/O_RDWR) and O_APPEND's own bit.
export const FREAD = 0x0001;
export const FWRITE = 0x0002;
export const FAPPEND = 0x0008;

export class File {
  f_count = 1;
  f_offset = 0;

  constructor(readonly f_vnode: Vnode, public f_flag: number) {}
}

/** A new open file on vp holding one reference, the caller's; it takes over the caller's vnode reference. */
export function falloc(vp: Vnode, flag: number): File {
  return new File(vp, flag);
}

export function fhold(fp: File): void {
  if (fp.f_count <= 0) throw new Error("fhold: file already closed (f_count 0)");
  fp.f_count++;
}

/** Drop a reference; the last one closes the vnode (vn_close releases its reference). */
export function fdrop(fp: File): void {
  if (fp.f_count <= 0) throw new Error("fdrop: count < 0");
  if (--fp.f_count > 0) return;
  vrele(fp.f_vnode);
}

/**
 * Drop the descriptor's reference the way close does. The kernel's closef first releases
 * the POSIX locks the process leader holds on the vnode; this filesystem has no advisory
 * locks, so only the drop remains.
 */
export function closef(fp: File): void {
  fdrop(fp);
}

/** Read up to n bytes at f_offset and advance it; -EISDIR for a directory. */
export function fo_read(fp: File, n: number): Uint8Array | number {
  const vp = fp.f_vnode;
  if (vp.v_type === VDIR) return -EISDIR;
  const data = vn_read(vp, fp.f_offset, n);
  fp.f_offset += data.length;
  return data;
}

/** Write at f_offset (at the end with FAPPEND) and leave f_offset after the data. */
export function fo_write(fp: File, bytes: Uint8Array): number {
  const vp = fp.f_vnode;
  const off = fp.f_flag & FAPPEND ? vp.v_size : fp.f_offset;
  const error = vn_write(vp, off, bytes);
  if (error < 0) return error;
  fp.f_offset = off + bytes.length;
  return bytes.length;
}
