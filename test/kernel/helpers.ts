// Shared helpers of the kernel tests: user strings and vectors in a bare process's
// memory, syscalls that must complete, sigsets, and tiny i386 programs.
import { expect } from "vitest";
import { Forklab } from "../../src/index.js";
import type { ProgramImage, SyscallResult, KernelOptions } from "../../src/index.js";

export type Done = Extract<SyscallResult, { done: true }>;

export function newLab(opts: KernelOptions = {}): Forklab {
  return new Forklab({ physBytes: 16 << 20, ...opts });
}

/** A syscall that must finish at once; returns its result. */
export function sys(fl: Forklab, target: number | { pid: number; tid?: number }, code: string | number, args: number[] = []): Done {
  const r = fl.syscall(target, code, args);
  if (!r.done) throw new Error(`syscall ${code} by ${JSON.stringify(target)} went to sleep in "${r.wmesg}"`);
  return r;
}

/** A syscall that must succeed at once; returns rv[0]. */
export function ok(fl: Forklab, target: number | { pid: number; tid?: number }, code: string | number, args: number[] = []): number {
  const r = sys(fl, target, code, args);
  if (r.error !== 0) throw new Error(`syscall ${code} by ${JSON.stringify(target)} failed: ${r.errno}`);
  return r.rv[0];
}

/** A syscall that must go to sleep; returns its wmesg. */
export function sleeps(fl: Forklab, target: number | { pid: number; tid?: number }, code: string | number, args: number[] = []): string {
  const r = fl.syscall(target, code, args);
  if (r.done) throw new Error(`syscall ${code} by ${JSON.stringify(target)} did not sleep (error ${r.errno})`);
  return r.wmesg;
}

/** A NUL-terminated string in fresh user memory of pid. */
export function ustr(fl: Forklab, pid: number, s: string): number {
  const b = new TextEncoder().encode(s + "\0");
  const va = fl.userAlloc(pid, b.length);
  fl.writeUser(pid, va, b);
  return va;
}

/** A NULL-terminated vector of strings (argv/envp) in user memory; returns its address. */
export function uvec(fl: Forklab, pid: number, strs: string[]): number {
  const ptrs = strs.map((s) => ustr(fl, pid, s));
  const va = fl.userAlloc(pid, 4 * (ptrs.length + 1));
  ptrs.forEach((p, i) => fl.writeWord(pid, va + 4 * i, p));
  fl.writeWord(pid, va + 4 * ptrs.length, 0);
  return va;
}

/** A struct sigset_t (4 words) holding the given signals; returns its address. */
export function usigset(fl: Forklab, pid: number, sigs: number[]): number {
  const va = fl.userAlloc(pid, 16);
  for (const s of sigs) {
    const w = Math.floor((s - 1) / 32);
    fl.writeWord(pid, va + 4 * w, (fl.readWord(pid, va + 4 * w) | (1 << ((s - 1) % 32))) >>> 0);
  }
  return va;
}

export const SIG_BLOCK = 1, SIG_UNBLOCK = 2, SIG_SETMASK = 3;
export const sigbit = (s: number): bigint => 1n << BigInt(s - 1);

/** Forks pid; returns the child's pid. */
export function forkChild(fl: Forklab, pid: number, how: "fork" | "vfork" = "fork"): number {
  const r = sys(fl, pid, how);
  expect(r.error).toBe(0);
  return r.rv[0];
}

/** wait4(pid, &status, options, NULL): returns [rv, status, error]. */
export function wait4(fl: Forklab, pid: number, wpid: number, options = 0): { pid: number; status: number; error: number; errno: string } {
  const st = fl.userAlloc(pid, 4);
  fl.writeWord(pid, st, 0xdeadbeef);
  const r = sys(fl, pid, "wait4", [wpid, st, options >>> 0, 0]);
  return { pid: r.error ? -1 : r.rv[0], status: fl.readWord(pid, st), error: r.error, errno: r.errno };
}

// ---- tiny i386 programs ----

export const TEXT = 0x08048000;

/** A program of raw machine code loaded at TEXT (read + execute). */
export function program(name: string, code: number[], extra: ProgramImage["segments"] = []): ProgramImage {
  return { name, entry: TEXT, segments: [{ vaddr: TEXT, memsz: code.length, data: Uint8Array.from(code), prot: 5 }, ...extra] };
}

const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

/** push imm32; push 0 (fake return address); mov eax, SYS_exit; int $0x80 */
export function exitCode(status: number): number[] {
  return [0x68, ...le32(status), 0x6a, 0x00, 0xb8, ...le32(1), 0xcd, 0x80];
}

/** A program that exits with `status`. */
export function exitProgram(name: string, status: number): ProgramImage {
  return program(name, exitCode(status));
}

/** A program that spins forever (jmp $). */
export function spinProgram(name: string): ProgramImage {
  return program(name, [0xeb, 0xfe]);
}

/**
 * fork; the child exits with `childStatus`; the parent waits for any child and exits
 * with the child's exit status (status >> 8), so its own exit status proves wait4 saw it.
 */
export function forkWaitProgram(name: string, childStatus: number): ProgramImage {
  const parent = [
    0x83, 0xec, 0x04,             // sub esp, 4         (status slot)
    0x89, 0xe3,                   // mov ebx, esp
    0x6a, 0x00,                   // push 0             rusage
    0x6a, 0x00,                   // push 0             options
    0x53,                         // push ebx           &status
    0x6a, 0xff,                   // push -1            WAIT_ANY
    0x6a, 0x00,                   // push 0             return address
    0xb8, ...le32(7),             // mov eax, SYS_wait4
    0xcd, 0x80,                   // int $0x80
    0x83, 0xc4, 0x14,             // add esp, 20
    0x58,                         // pop eax            status
    0xc1, 0xe8, 0x08,             // shr eax, 8
    0x50,                         // push eax
    0x6a, 0x00,                   // push 0
    0xb8, ...le32(1),             // mov eax, SYS_exit
    0xcd, 0x80,                   // int $0x80
  ];
  const child = exitCode(childStatus);
  const head = [
    0xb8, ...le32(2),             // mov eax, SYS_fork
    0xcd, 0x80,                   // int $0x80
    0x85, 0xc0,                   // test eax, eax
    0x74, parent.length,          // jz child
  ];
  return program(name, [...head, ...parent, ...child]);
}
