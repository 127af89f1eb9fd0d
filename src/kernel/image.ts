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

export function checkImage(img: ProgramImage): void {
  if (!img || typeof img.entry !== "number" || !Array.isArray(img.segments)) {
    throw new Error("program image must have an entry point and a segments array");
  }
  for (const s of img.segments) {
    if (!Number.isInteger(s.vaddr) || s.vaddr < 0 || !Number.isInteger(s.memsz) || s.memsz < s.data.length
      || s.vaddr + s.memsz > 0xBFC00000 - 64 * 1024 * 1024) {
      throw new Error(`program image ${img.name}: segment at 0x${s.vaddr.toString(16)} (${s.memsz} bytes) does not fit user space below the stack`);
    }
  }
}
