// Tiny i386 programs for the fuzzers and the fault sweeps, as raw machine code (hand
// assembled; each line says the instruction), and the malformed ELF images execve meets.
import type { ProgramImage } from "../../src/index.js";

export const TEXT = 0x08048000;
export const BSS = 0x08050000;
export const BSS_PAGES = 8;

const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

/** A program of raw code at TEXT (read + execute) and BSS_PAGES zeroed writable pages at BSS. */
export function image(name: string, code: number[]): ProgramImage {
  return {
    name, entry: TEXT,
    segments: [
      { vaddr: TEXT, memsz: code.length, data: Uint8Array.from(code), prot: 5 },
      { vaddr: BSS, memsz: BSS_PAGES * 4096, data: new Uint8Array(0), prot: 3 },
    ],
  };
}

/** Fills `words` words at `at`, one every 64 bytes, with seed, seed + step, ... (eax, edi, ecx clobbered). */
function fill(at: number, words: number, seed: number): number[] {
  const loop = [
    0x89, 0x07,                   // L: mov [edi], eax
    0x05, ...le32(0x9E3779B9),    //    add eax, 0x9e3779b9
    0x83, 0xc7, 0x40,             //    add edi, 64
    0x49,                         //    dec ecx
  ];
  return [
    0xbf, ...le32(at),            // mov edi, at
    0xb9, ...le32(words),         // mov ecx, words
    0xb8, ...le32(seed),          // mov eax, seed
    ...loop,
    0x75, (-(loop.length + 2)) & 0xff, // jnz L
  ];
}

const SYSCALL = (n: number): number[] => [0xb8, ...le32(n), 0xcd, 0x80]; // mov eax, n; int $0x80
const EXIT = (status: number): number[] => [0x6a, status & 0x7f, 0x6a, 0x00, ...SYSCALL(1)]; // push status; push 0; exit
const SPIN = [0xeb, 0xfe];        // jmp $
/** wait4(-1, NULL, 0, NULL), arguments popped after. */
const WAIT_ANY = [0x6a, 0x00, 0x6a, 0x00, 0x6a, 0x00, 0x6a, 0xff, 0x6a, 0x00, ...SYSCALL(7), 0x83, 0xc4, 0x14];

/**
 * writer: fills its .bss with a pattern, forks; the child overwrites half of it with
 * another pattern, grows its stack by 16 KiB (a push 16 KiB below esp) and exits 7; the
 * parent waits for it, writes once more and spins, so its memory can be compared. Every
 * write after the fork is a copy-on-write fault under cow; the stack push is a stack
 * growth fault. Exits 100 when the fork fails.
 */
export function writerProgram(seed: number): ProgramImage {
  const words = BSS_PAGES * 64;
  const child = [
    ...fill(BSS + 32, words / 2, seed ^ 0x5555),
    0x81, 0xec, ...le32(0x4000),  // sub esp, 0x4000
    0x50,                         // push eax           (stack growth)
    ...EXIT(7),
  ];
  const parent = [...WAIT_ANY, ...fill(BSS + 4, words / 4, seed + 1), ...SPIN];
  const failed = EXIT(100);
  const head = fill(BSS, words, seed);
  const code = [
    ...head,
    ...SYSCALL(2),                // fork
    0x72, 0x00,                   // jc failed          (patched below)
    0x85, 0xc0,                   // test eax, eax
    0x74, parent.length,          // jz child
    ...parent, ...child, ...failed,
  ];
  const jc = head.length + 7;
  code[jc + 1] = code.length - failed.length - (jc + 2);
  return image("writer", code);
}

/** grower: pushes its stack down `pages` pages, one push per page, then exits 0. */
export function growerProgram(pages: number): ProgramImage {
  const loop = [
    0x81, 0xec, ...le32(0x1000),  // L: sub esp, 4096
    0x50,                         //    push eax
    0x49,                         //    dec ecx
  ];
  return image("grower", [0xb9, ...le32(pages), ...loop, 0x75, (-(loop.length + 2)) & 0xff, ...EXIT(0)]);
}

/** Malformed and unrunnable ELF files made from a good one (the bytes of /bin/true). */
export function badElves(good: Uint8Array): Uint8Array[] {
  const set = (b: Uint8Array, off: number, v: number, n = 4): Uint8Array => {
    const c = b.slice();
    for (let i = 0; i < n; i++) c[off + i] = (v >>> (8 * i)) & 0xff;
    return c;
  };
  return [
    good.slice(0, 40),                      // truncated inside the header
    set(good, 0, 0x464c457e),               // bad magic
    set(good, 44, 0xffff, 2),               // e_phnum 65535
    set(good, 28, 0xfffffff0),              // e_phoff past the end
    set(good, 24, 0xc0000000),              // entry in kernel space
    set(set(good, 52 + 8, 0xbfbff000), 52 + 20, 0x100000), // a segment crossing the user top
    set(good, 52 + 20, 0x7fffffff),         // a segment of 2 GiB
  ];
}
