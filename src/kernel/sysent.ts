// The syscall table: numbers and argument counts of DragonFly's syscalls.master at the
// seed's commit (reference §1). A number not here goes to nosys (syscall.ts): SIGSYS and EINVAL.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import { sys_fork, sys_vfork, sys_rfork, sys_lwp_create } from "./fork.js";
import { sys_exit, sys_extexit } from "./exit.js";
import { sys_wait4 } from "./wait.js";
import { sys_execve } from "./exec.js";
import {
  sys_getpid, sys_getppid, sys_lwp_gettid, sys_getuid, sys_geteuid, sys_getgid, sys_getegid,
  sys_setuid, sys_getpgrp, sys_setsid, sys_setpgid,
} from "./kern_prot.js";
import { sys_kill, sys_sigprocmask, sys_sigaction, sys_sigpending } from "./kern_sig.js";
import {
  sys_read, sys_write, sys_open, sys_close, sys_lseek, sys_dup, sys_dup2, sys_umask,
} from "./kern_descrip.js";
import { sys_getrlimit, sys_setrlimit } from "./kern_resource.js";

export type SyscallFn = (k: Kernel, lp: Lwp, args: number[], msg: SysMsg) => KGen<number>;
export interface Sysent { name: string; narg: number; fn: SyscallFn }

export const SYS = {
  exit: 1, fork: 2, read: 3, write: 4, open: 5, close: 6, wait4: 7, getpid: 20, setuid: 23,
  getuid: 24, geteuid: 25, kill: 37, getppid: 39, dup: 41, getegid: 43, getgid: 47, execve: 59,
  umask: 60, vfork: 66, getpgrp: 81, setpgid: 82, dup2: 90, setsid: 147, getrlimit: 194,
  setrlimit: 195, lseek: 199, rfork: 251, sigprocmask: 340, sigaction: 342, sigpending: 343,
  extexit: 494, lwp_create: 495, lwp_gettid: 496,
} as const;
export type SyscallName = keyof typeof SYS;

const table: [SyscallName, number, SyscallFn][] = [
  ["exit", 1, sys_exit], ["fork", 0, sys_fork], ["read", 3, sys_read], ["write", 3, sys_write],
  ["open", 3, sys_open], ["close", 1, sys_close], ["wait4", 4, sys_wait4], ["getpid", 0, sys_getpid],
  ["setuid", 1, sys_setuid], ["getuid", 0, sys_getuid], ["geteuid", 0, sys_geteuid], ["kill", 2, sys_kill],
  ["getppid", 0, sys_getppid], ["dup", 1, sys_dup], ["getegid", 0, sys_getegid], ["getgid", 0, sys_getgid],
  ["execve", 3, sys_execve], ["umask", 1, sys_umask], ["vfork", 0, sys_vfork], ["getpgrp", 0, sys_getpgrp],
  ["setpgid", 2, sys_setpgid], ["dup2", 2, sys_dup2], ["setsid", 0, sys_setsid],
  ["getrlimit", 2, sys_getrlimit], ["setrlimit", 2, sys_setrlimit],
  ["lseek", 5, sys_lseek], // fd, pad, offset (64 bits: low, high), whence
  ["rfork", 1, sys_rfork], ["sigprocmask", 3, sys_sigprocmask], ["sigaction", 3, sys_sigaction],
  ["sigpending", 1, sys_sigpending], ["extexit", 3, sys_extexit], ["lwp_create", 1, sys_lwp_create],
  ["lwp_gettid", 0, sys_lwp_gettid],
];

export const sysent: (Sysent | undefined)[] = [];
for (const [name, narg, fn] of table) sysent[SYS[name]] = { name, narg, fn };

/** A syscall number from its name or number; undefined if it is neither. */
export function syscallNumber(s: string | number): number | undefined {
  if (typeof s === "number") return Number.isInteger(s) && s >= 0 ? s : undefined;
  return (SYS as Record<string, number>)[s];
}
