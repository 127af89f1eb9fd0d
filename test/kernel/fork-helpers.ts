// Helpers shared by the fork-path tests (fork1, vfork, lwp_create, limits): drive bare
// processes through the Node API and read the kernel's internals where the API shows
// nothing (struct proc fields, uidinfo counts, the pgrp lock).
import { expect } from "vitest";
import { Forklab, type SyscallResult } from "../../src/index.js";
import type { Proc, Lwp } from "../../src/kernel/proc.js";
import { pfind } from "../../src/kernel/kern_proc.js";
import type { Uidinfo } from "../../src/kernel/resource.js";
import type { ProgramImage } from "../../src/kernel/image.js";

// RF* flags (reference §1).
export const RFFDG = 0x4;
export const RFPROC = 0x10;
export const RFMEM = 0x20;
export const RFNOWAIT = 0x40;
export const RFCFDG = 0x1000;
export const RFTHREAD = 0x2000;
export const RFSIGSHARE = 0x4000;
export const RFLINUXTHPN = 0x10000;
export const RFPGLOCK = 0x40000000;
export const RFPPWAIT = 0x80000000;
/** What sys_fork and sys_vfork pass to fork1. */
export const FORK_FLAGS = 0x40000014;
export const VFORK_FLAGS = 0xC0000034;

export const SIGCONT = 19;
export const SIGCHLD = 20;
export const SIGUSR1 = 30;
export const SIGUSR2 = 31;
export const SIG_DFL = 0;
export const SIG_IGN = 1;
export const PSL_C = 0x1;
export const P_PPWAIT = 0x10;
export const AFORK = 0x01;
export const NOTE_FORK = 0x40000000;
export const RLIMIT_NPROC = 7;
export const O_RDWR = 0x2;
export const O_CREAT = 0x200;
export const WNOHANG = 1;
export const WLINUXCLONE = 0x80000000;

export const ERRNO = { EPERM: 1, ENOMEM: 12, EFAULT: 14, EINVAL: 22, EAGAIN: 35, ECHILD: 10, EBADF: 9 } as const;

/** A syscall that must finish at once and succeed: its two result words. */
export function ok(fl: Forklab, target: number | { pid: number; tid?: number }, code: string, args: number[] = []): [number, number] {
  const r = fl.syscall(target, code, args);
  if (!r.done) throw new Error(`${code} went to sleep in "${r.wmesg}"`);
  expect(r.errno, `${code}(${args.join(", ")})`).toBe("");
  return r.rv;
}

/** A syscall that must finish at once; its errno name ("" on success). */
export function errnoOf(fl: Forklab, target: number | { pid: number; tid?: number }, code: string, args: number[] = []): string {
  const r = fl.syscall(target, code, args);
  if (!r.done) throw new Error(`${code} went to sleep in "${r.wmesg}"`);
  return r.errno;
}

/** fork() from pid; the child's pid. */
export function fork(fl: Forklab, pid: number | { pid: number; tid?: number }): number {
  return ok(fl, pid, "fork")[0];
}

/** rfork(flags) from pid; the child's pid, or 0 when RFPROC was clear. */
export function rfork(fl: Forklab, pid: number, flags: number): number {
  return ok(fl, pid, "rfork", [flags >>> 0])[0];
}

/** struct proc of a live or zombie pid. */
export function kproc(fl: Forklab, pid: number): Proc {
  const k = fl.kernel;
  const p = pfind(k, pid) ?? k.procs.zombproc.toArray().find((z) => z.p_pid === pid);
  if (!p) throw new Error(`no proc ${pid}`);
  return p;
}

/** struct lwp of pid/tid. */
export function klwp(fl: Forklab, pid: number, tid = 0): Lwp {
  const lp = fl.kernel.lwpsOf(kproc(fl, pid)).find((l) => l.lwp_tid === tid);
  if (!lp) throw new Error(`no lwp ${pid}/${tid}`);
  return lp;
}

/** A NUL-terminated string in fresh user memory of pid. */
export function cstr(fl: Forklab, pid: number, s: string): number {
  const bytes = new TextEncoder().encode(s + "\0");
  const va = fl.userAlloc(pid, bytes.length);
  fl.writeUser(pid, va, bytes);
  return va;
}

/** Every uidinfo entry: uid -> [ui_proccnt, ui_ref]. */
export function uidCounts(fl: Forklab): Map<number, [number, number]> {
  const byUid = (fl.kernel.uids as unknown as { byUid: Map<number, Uidinfo> }).byUid;
  return new Map([...byUid].map(([uid, ui]) => [uid, [ui.ui_proccnt, ui.ui_ref]]));
}

/** What a failed or undone fork must leave exactly as it was. */
export function snapshot(fl: Forklab) {
  const k = fl.kernel;
  return {
    nprocs: k.nprocs,
    allproc: k.procs.allproc.toArray().map((p) => p.p_pid).sort((a, b) => a - b),
    zombproc: k.procs.zombproc.length,
    uids: [...uidCounts(fl)],
    framesFree: fl.memory().framesFree,
    threads: k.core.threadsUsed(),
    lwps: k.lwps.size,
  };
}

/** Ends every listed bare process (exit(0)) and lets init reap them. */
export function exitAll(fl: Forklab, pids: number[]): void {
  for (const pid of pids) {
    const p = kproc(fl, pid);
    if (p.p_stat === 4 /* SZOMB */) continue;
    ok(fl, pid, "exit", [0]);
  }
  fl.run();
}

/** struct lwp_params in fresh user memory: func, arg, stack, tid1, tid2 at offsets 0..16. */
export function lwpParams(fl: Forklab, pid: number, p: { func: number; arg: number; stack: number; tid1: number; tid2: number }): number {
  const va = fl.userAlloc(pid, 20);
  [p.func, p.arg, p.stack, p.tid1, p.tid2].forEach((w, i) => fl.writeWord(pid, va + 4 * i, w));
  return va;
}

/**
 * A program that exits with `status`: push status; push 0 (return slot); mov eax, 1;
 * int $0x80.
 */
export function exitProgram(status: number, name = "exiter"): ProgramImage {
  const code = new Uint8Array([0x6A, status & 0x7f, 0x6A, 0x00, 0xB8, 0x01, 0x00, 0x00, 0x00, 0xCD, 0x80]);
  return { name, entry: 0x1000, segments: [{ vaddr: 0x1000, memsz: code.length, data: code, prot: 5 }] };
}

/** A program that spins forever (jmp .). */
export function spinProgram(name = "spinner"): ProgramImage {
  const code = new Uint8Array([0xEB, 0xFE]);
  return { name, entry: 0x1000, segments: [{ vaddr: 0x1000, memsz: code.length, data: code, prot: 5 }] };
}

export function done(r: SyscallResult): Extract<SyscallResult, { done: true }> {
  if (!r.done) throw new Error(`still sleeping in "${r.wmesg}"`);
  return r;
}
