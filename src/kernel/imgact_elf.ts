// A loader for static ELF32 i386 executables: the bytes of a file -> a ProgramImage
// (src/kernel/image.ts) that execve maps. What it accepts is what a static i386
// executable built with `ld -m elf_i386 -static` is: ELFCLASS32, ELFDATA2LSB,
// EV_CURRENT, ET_EXEC, EM_386, PT_LOAD segments in user space below the stack region,
// the entry point inside an executable one, no PT_INTERP or PT_DYNAMIC. Everything is
// checked before anything is built, so a malformed file gives an ElfError that says
// exactly what is wrong and nothing half-made.
//
// This is the kernel's image activator (imgact_elf.c's place): every Kernel uses
// elfImageLoader for execve, and a malformed file fails with ENOEXEC before the calling
// process is touched (the activator fails before exec_new_vmspace, as in kern_exec.c).
// Reading one from the host's disk (loadElfFile) is Node's alone: src/user/host.ts.
import type { ProgramImage, Segment } from "./image.js";
import { VREG, VFS_MAXFILESIZE, type Vnode } from "./vfs.js";
import { EACCES, ENOEXEC } from "./errno.js";

/** The largest ELF file read from the host: the largest file the in-memory filesystem holds. */
export const MAX_ELF_FILE = VFS_MAXFILESIZE;

export class ElfError extends Error {
  override name = "ElfError";
}

// sys/sys/elf_common.h, elf32.h
const EI_NIDENT = 16;
const EHDR_SIZE = 52;
const PHDR_SIZE = 32;
const ELFCLASS32 = 1, ELFCLASS64 = 2;
const ELFDATA2LSB = 1, ELFDATA2MSB = 2;
const EV_CURRENT = 1;
const ET_NONE = 0, ET_REL = 1, ET_EXEC = 2, ET_DYN = 3, ET_CORE = 4;
const EM_386 = 3;
const PT_NULL = 0, PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3;
const PF_X = 1, PF_W = 2, PF_R = 4;
/** VM_PROT bits of a segment (vm/vm.h). */
export const VM_PROT_READ = 1, VM_PROT_WRITE = 2, VM_PROT_EXECUTE = 4;

/** The top of user space: VM_MAX_USER_ADDRESS = USRSTACK (vmparam.h). */
export const USER_END = 0xBFC00000;
/** MAXSSIZ: exec reserves this much below USRSTACK for the stack to grow into. */
export const STACK_REGION_SIZE = 64 * 1024 * 1024;
/** Segments must end at or below here: the bottom of the stack region (vm_maxsaddr). */
export const SEGMENT_LIMIT = USER_END - STACK_REGION_SIZE; // 0xBBC00000

const TYPE_NAMES: Record<number, string> = {
  [ET_NONE]: "ET_NONE (no file type)", [ET_REL]: "ET_REL (a relocatable object, not linked)",
  [ET_DYN]: "ET_DYN (a shared object or position-independent executable)", [ET_CORE]: "ET_CORE (a core dump)",
};
const MACHINE_NAMES: Record<number, string> = {
  2: "EM_SPARC", 8: "EM_MIPS", 20: "EM_PPC", 21: "EM_PPC64", 40: "EM_ARM", 62: "EM_X86_64", 183: "EM_AARCH64", 243: "EM_RISCV",
};

const hex = (n: number): string => "0x" + n.toString(16);

/** One program header as read from the file. */
export interface ElfPhdr {
  index: number; type: number; offset: number; vaddr: number; filesz: number; memsz: number; flags: number; align: number;
}

/** The ELF header fields the loader reads. */
export interface ElfHeader {
  type: number; machine: number; version: number; entry: number; phoff: number; phentsize: number; phnum: number;
}

/**
 * Parses and checks a static ELF32 i386 executable; returns the image execve maps.
 * `name` becomes the process's p_comm (default "a.out"). Throws an ElfError naming the
 * first thing wrong.
 */
export function parseElf(bytes: Uint8Array, name = "a.out"): ProgramImage {
  if (!(bytes instanceof Uint8Array)) throw new ElfError("an ELF image must be given as a Uint8Array");
  const { hdr, phdrs } = readHeaders(bytes);
  const loads = phdrs.filter((p) => p.type === PT_LOAD);
  for (const p of phdrs) {
    if (p.type === PT_INTERP) throw new ElfError(`program header ${p.index} is PT_INTERP: a dynamically linked executable (only static executables are supported)`);
    if (p.type === PT_DYNAMIC) throw new ElfError(`program header ${p.index} is PT_DYNAMIC: a dynamically linked executable (only static executables are supported)`);
  }
  for (const p of loads) checkLoad(p, bytes.length);
  const mapped = loads.filter((p) => p.memsz > 0);
  if (mapped.length === 0) {
    throw new ElfError(loads.length === 0 ? "no PT_LOAD segment: nothing to map" : "every PT_LOAD segment is empty (p_memsz 0): nothing to map");
  }
  const sorted = [...mapped].sort((a, b) => a.vaddr - b.vaddr);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1], b = sorted[i];
    if (b.vaddr < a.vaddr + a.memsz) {
      throw new ElfError(`PT_LOAD segments overlap: segment ${a.index} [${hex(a.vaddr)}, ${hex(a.vaddr + a.memsz)}) and segment ${b.index} [${hex(b.vaddr)}, ${hex(b.vaddr + b.memsz)})`);
    }
  }
  const entry = hdr.entry;
  const text = mapped.find((p) => (p.flags & PF_X) !== 0 && entry >= p.vaddr && entry < p.vaddr + p.memsz);
  if (!text) {
    const inside = mapped.find((p) => entry >= p.vaddr && entry < p.vaddr + p.memsz);
    throw new ElfError(inside
      ? `entry point ${hex(entry)} is in segment ${inside.index}, which is not executable (p_flags ${flagString(inside.flags)})`
      : `entry point ${hex(entry)} is not inside any PT_LOAD segment`);
  }
  const segments: Segment[] = mapped.map((p) => ({
    vaddr: p.vaddr,
    memsz: p.memsz,
    data: bytes.slice(p.offset, p.offset + p.filesz),
    prot: protOf(p.flags),
  }));
  return { name, entry, segments };
}

/** The ELF header and program header table, checked (not the segments themselves). */
export function readHeaders(bytes: Uint8Array): { hdr: ElfHeader; phdrs: ElfPhdr[] } {
  const n = bytes.length;
  if (n < 4 || bytes[0] !== 0x7F || bytes[1] !== 0x45 || bytes[2] !== 0x4C || bytes[3] !== 0x46) {
    const got = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new ElfError(`not an ELF file: bad magic (${got || "empty file"}; want 7f 45 4c 46, "\\x7fELF")`);
  }
  if (n < EI_NIDENT) throw new ElfError(`truncated ELF header: the file has ${n} bytes, e_ident alone needs ${EI_NIDENT}`);
  const cls = bytes[4], data = bytes[5], identVersion = bytes[6];
  if (cls !== ELFCLASS32) {
    throw new ElfError(cls === ELFCLASS64
      ? "ELFCLASS64: a 64-bit ELF file (an i386 executable is ELFCLASS32)"
      : `bad ELF class ${cls} in e_ident[EI_CLASS] (want ELFCLASS32, 1)`);
  }
  if (data !== ELFDATA2LSB) {
    throw new ElfError(data === ELFDATA2MSB
      ? "ELFDATA2MSB: a big-endian ELF file (i386 is little-endian, ELFDATA2LSB)"
      : `bad data encoding ${data} in e_ident[EI_DATA] (want ELFDATA2LSB, 1)`);
  }
  if (identVersion !== EV_CURRENT) throw new ElfError(`bad ELF version ${identVersion} in e_ident[EI_VERSION] (want EV_CURRENT, 1)`);
  if (n < EHDR_SIZE) throw new ElfError(`truncated ELF header: the file has ${n} bytes, the ELF32 header needs ${EHDR_SIZE}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, n);
  const hdr: ElfHeader = {
    type: dv.getUint16(16, true), machine: dv.getUint16(18, true), version: dv.getUint32(20, true),
    entry: dv.getUint32(24, true), phoff: dv.getUint32(28, true),
    phentsize: dv.getUint16(42, true), phnum: dv.getUint16(44, true),
  };
  if (hdr.type !== ET_EXEC) {
    throw new ElfError(`e_type is ${TYPE_NAMES[hdr.type] ?? hdr.type}: only static executables (ET_EXEC, 2) can be loaded`);
  }
  if (hdr.machine !== EM_386) {
    const mn = MACHINE_NAMES[hdr.machine];
    throw new ElfError(`e_machine is ${hdr.machine}${mn ? ` (${mn})` : ""}, not EM_386 (3): not an i386 executable`);
  }
  if (hdr.version !== EV_CURRENT) throw new ElfError(`bad e_version ${hdr.version} (want EV_CURRENT, 1)`);
  if (hdr.phnum === 0 || hdr.phoff === 0) throw new ElfError("no program header table (e_phoff or e_phnum is 0): nothing to map");
  if (hdr.phentsize !== PHDR_SIZE) throw new ElfError(`e_phentsize is ${hdr.phentsize}, not ${PHDR_SIZE} (the size of an Elf32_Phdr)`);
  const tableEnd = hdr.phoff + hdr.phnum * PHDR_SIZE;
  if (tableEnd > n) {
    throw new ElfError(`the program header table [${hex(hdr.phoff)}, ${hex(tableEnd)}) (${hdr.phnum} entries) lies outside the file (${n} bytes)`);
  }
  const phdrs: ElfPhdr[] = [];
  for (let i = 0; i < hdr.phnum; i++) {
    const o = hdr.phoff + i * PHDR_SIZE;
    phdrs.push({
      index: i, type: dv.getUint32(o, true), offset: dv.getUint32(o + 4, true), vaddr: dv.getUint32(o + 8, true),
      filesz: dv.getUint32(o + 16, true), memsz: dv.getUint32(o + 20, true), flags: dv.getUint32(o + 24, true),
      align: dv.getUint32(o + 28, true),
    });
  }
  return { hdr, phdrs };
}

function checkLoad(p: ElfPhdr, fileSize: number): void {
  const what = `PT_LOAD segment ${p.index} (p_vaddr ${hex(p.vaddr)})`;
  if (p.offset + p.filesz > fileSize) {
    throw new ElfError(`${what}: its file data [${hex(p.offset)}, ${hex(p.offset + p.filesz)}) lies outside the file (${fileSize} bytes)`);
  }
  if (p.memsz < p.filesz) throw new ElfError(`${what}: p_memsz ${hex(p.memsz)} is less than p_filesz ${hex(p.filesz)}`);
  if (p.align > 1) {
    if ((p.align & (p.align - 1)) !== 0) throw new ElfError(`${what}: p_align ${hex(p.align)} is not a power of two`);
    if ((p.vaddr - p.offset) % p.align !== 0) {
      throw new ElfError(`${what}: p_vaddr and p_offset ${hex(p.offset)} are not congruent modulo p_align ${hex(p.align)}`);
    }
  }
  if (p.memsz === 0) return; // maps nothing
  const end = p.vaddr + p.memsz;
  if (p.vaddr >= USER_END || end > USER_END) {
    throw new ElfError(`${what}: [${hex(p.vaddr)}, ${hex(end)}) reaches kernel space (user space ends at ${hex(USER_END)})`);
  }
  if (end > SEGMENT_LIMIT) {
    throw new ElfError(`${what}: [${hex(p.vaddr)}, ${hex(end)}) overlaps the stack region [${hex(SEGMENT_LIMIT)}, ${hex(USER_END)})`);
  }
}

/** p_flags (PF_R 4, PF_W 2, PF_X 1) -> VM_PROT (read 1, write 2, execute 4). */
export function protOf(flags: number): number {
  return ((flags & PF_R) ? VM_PROT_READ : 0) | ((flags & PF_W) ? VM_PROT_WRITE : 0) | ((flags & PF_X) ? VM_PROT_EXECUTE : 0);
}

function flagString(flags: number): string {
  const s = ((flags & PF_R) ? "R" : "") + ((flags & PF_W) ? "W" : "") + ((flags & PF_X) ? "X" : "");
  return s || "none";
}

/**
 * The kernel's image loader (Kernel.imageLoader): a vnode's bytes -> image. Like
 * exec_check_permissions, a file that is not regular or has no execute bit gives
 * EACCES; a malformed one ENOEXEC. p_comm is the vnode's name.
 */
export function elfImageLoader(vp: Vnode): ProgramImage | number {
  if (vp.v_type !== VREG) return EACCES;
  if ((vp.v_mode & 0o111) === 0) return EACCES;
  try {
    return parseElf(vp.v_data.subarray(0, vp.v_size), vp.v_name);
  } catch (e) {
    if (e instanceof ElfError) return ENOEXEC;
    throw e;
  }
}

/** Used by tests: the constants a hand-made ELF file needs. */
export const ELF = {
  EHDR_SIZE, PHDR_SIZE, ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, EV_CURRENT, ET_EXEC, ET_DYN, ET_REL,
  EM_386, PT_NULL, PT_LOAD, PT_DYNAMIC, PT_INTERP, PF_R, PF_W, PF_X,
} as const;
