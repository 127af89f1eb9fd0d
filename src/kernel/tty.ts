// The console: /dev/console, a character device that init opens on descriptors 0, 1 and 2
// (reference userland §10.3: setctty, login_tty), so every process inherits it. What is
// written goes to the machine's console record (per process, for the Node API); what is
// read comes from input the API feeds, and a read with none waits ("ttyin") until input
// arrives or the API signals end of file. The termios state is ttydefaults' (ICANON: a
// read returns at most one line); output is passed on as written (no OPOST processing).
import type { Kernel } from "./kernel.js";
import { EWOULDBLOCK } from "./errno.js";
import { wakeup } from "./synch.js";
import { selwakeup, POLLIN, POLLRDNORM, POLLOUT, POLLWRNORM } from "./pipe.js";

/** One write to the console: by which process, on which descriptor. */
export interface ConsoleChunk { pid: number; fd: number; bytes: Uint8Array }

// ttydefaults.h 1.3 (reference §10.3): c_iflag, c_oflag, c_cflag, c_lflag, c_cc[20], speeds.
const TTYDEF_IFLAG = 0x2B02, TTYDEF_OFLAG = 0x3, TTYDEF_CFLAG = 0x4B00, TTYDEF_LFLAG = 0x5CB;
const TTYDEF_SPEED = 9600;
const TTYDEF_CC = [0x04, 0xff, 0xff, 0x7f, 0x17, 0x15, 0x12, 0x08, 0x03, 0x1c, 0x1a, 0x19, 0x11, 0x13, 0x16, 0x0f, 1, 0, 0x14, 0xff];
export const TERMIOS_SIZE = 44;
const ICANON = 0x100;

export class Tty {
  /** Every write, in order. */
  readonly chunks: ConsoleChunk[] = [];
  /** Writes not yet handed to the listeners (Tty.deliver). */
  private pending: ConsoleChunk[] = [];
  readonly listeners: ((c: ConsoleChunk) => void)[] = [];
  /** Listener exceptions, for the API to report after its call. */
  readonly errors: unknown[] = [];
  /** Input fed and not yet read. */
  private input: Uint8Array = new Uint8Array(0);
  /** End of file signalled: reads with no input return 0. */
  inputEof = false;
  readonly rchan = { name: "ttyin" };
  /** struct termios as TIOCGETA copies it out (44 bytes). */
  termios = defaultTermios();
  /** struct winsize (8 bytes): rows, cols, xpixel, ypixel (shorts). */
  winsize = new Uint8Array(8);
  /** The process group in the foreground (TIOCSPGRP), 0 if none. */
  pgrp = 0;
  constructor(private readonly k: Kernel) {}

  /** Bytes fed as input: readers wake. */
  feed(bytes: Uint8Array): void {
    const n = new Uint8Array(this.input.length + bytes.length);
    n.set(this.input);
    n.set(bytes, this.input.length);
    this.input = n;
    wakeup(this.k, this.rchan);
    selwakeup(this.k);
  }

  /** End of input: readers wake and read 0 once the input is used up. */
  end(): void {
    this.inputEof = true;
    wakeup(this.k, this.rchan);
    selwakeup(this.k);
  }

  /** Bytes of input waiting (FIONREAD). */
  get available(): number { return this.input.length; }

  /** Takes up to n bytes of input: one line at most in canonical mode. */
  take(n: number): Uint8Array {
    let end = Math.min(n, this.input.length);
    if (this.canonical) {
      const nl = this.input.indexOf(0x0a);
      if (nl >= 0 && nl + 1 < end) end = nl + 1;
    }
    const out = this.input.slice(0, end);
    this.input = this.input.slice(end);
    return out;
  }

  get canonical(): boolean { return (new DataView(this.termios.buffer).getUint32(12, true) & ICANON) !== 0; }

  record(pid: number, fd: number, bytes: Uint8Array): void {
    const c = { pid, fd, bytes: bytes.slice() };
    this.chunks.push(c);
    if (this.listeners.length) this.pending.push(c);
  }

  /** Hands the writes made since the last call to the listeners (see Kernel.dispatch and Forklab.call). */
  deliver(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    for (const c of batch) {
      for (const fn of [...this.listeners]) {
        try { fn(c); } catch (e) { this.errors.push(e); }
      }
    }
  }
}

function defaultTermios(): Uint8Array {
  const t = new Uint8Array(TERMIOS_SIZE);
  const dv = new DataView(t.buffer);
  dv.setUint32(0, TTYDEF_IFLAG, true);
  dv.setUint32(4, TTYDEF_OFLAG, true);
  dv.setUint32(8, TTYDEF_CFLAG, true);
  dv.setUint32(12, TTYDEF_LFLAG, true);
  t.set(TTYDEF_CC, 16);
  dv.setUint32(36, TTYDEF_SPEED, true);
  dv.setUint32(40, TTYDEF_SPEED, true);
  return t;
}

/** read(2) on the console: input, an empty array at end of file, or -EWOULDBLOCK to wait. */
export function tty_read(tp: Tty, n: number): Uint8Array | number {
  if (tp.available > 0) return tp.take(n);
  return tp.inputEof ? new Uint8Array(0) : -EWOULDBLOCK;
}

/** write(2) on the console: all of it, recorded as pid's (on descriptor fd). */
export function tty_write(tp: Tty, bytes: Uint8Array, pid: number, fd: number): number {
  if (bytes.length > 0) tp.record(pid, fd, bytes);
  return bytes.length;
}

/** poll(2) on the console: readable with input or at end of file, always writable. */
export function tty_poll(tp: Tty, events: number): number {
  let r = 0;
  if ((events & (POLLIN | POLLRDNORM)) && (tp.available > 0 || tp.inputEof)) r |= events & (POLLIN | POLLRDNORM);
  r |= events & (POLLOUT | POLLWRNORM);
  return r;
}
