// A program image ready to be mapped by execve: what an ELF loader produces (issue 4's
// src/kernel/imgact_elf.ts), or what a test builds by hand.

export interface Segment {
  /** Page-aligned or not: the loader maps every page the segment touches. */
  vaddr: number;
  memsz: number;
  /** Bytes from the file; the rest up to memsz is zero (bss). */
  data: Uint8Array;
  /** VM_PROT bits: 1 read, 2 write, 4 execute. */
  prot: number;
}

export interface ProgramImage {
  /** The name exec puts in p_comm (at most MAXCOMLEN characters are kept). */
  name: string;
  entry: number;
  segments: Segment[];
}

/** Throws (with a message naming the field) unless img is a well-formed program image. */
export function checkImage(img: ProgramImage): void {
  if (img === null || typeof img !== "object") throw new Error(`a program image must be an object, got ${img === null ? "null" : typeof img}`);
  if (typeof img.name !== "string") throw new Error(`program image name must be a string, got ${typeof img.name}`);
  if (!Number.isInteger(img.entry) || img.entry < 0 || img.entry > 0xFFFFFFFF || !Array.isArray(img.segments)) {
    throw new Error("program image must have an entry point and a segments array");
  }
  for (const s of img.segments) {
    if (s === null || typeof s !== "object" || !(s.data instanceof Uint8Array)) {
      throw new Error(`program image ${img.name}: each segment needs vaddr, memsz, data (a Uint8Array) and prot`);
    }
    if (!Number.isInteger(s.prot) || s.prot < 0 || s.prot > 7) {
      throw new Error(`program image ${img.name}: segment prot must be VM_PROT bits from 0 to 7, got ${String(s.prot)}`);
    }
    if (!Number.isInteger(s.vaddr) || s.vaddr < 0 || !Number.isInteger(s.memsz) || s.memsz < s.data.length
      || s.vaddr + s.memsz > USER_IMAGE_END) {
      throw new Error(`program image ${img.name}: segment at 0x${Number(s.vaddr).toString(16)} (${s.memsz} bytes) does not fit user space below the stack`);
    }
  }
}

/** Images end below the stack region (USRSTACK less the 64 MiB maximum stack). */
const USER_IMAGE_END = 0xBFC00000 - 64 * 1024 * 1024;
