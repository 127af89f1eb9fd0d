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
// Signals, time and accounting.
import { sys_sigsuspend, sys_sigaltstack } from "./kern_sig.js";
import { sys_sigreturn } from "./sendsig.js";
import {
  sys_gettimeofday, sys_clock_gettime, sys_clock_getres, sys_nanosleep, sys_setitimer, sys_getitimer,
} from "./kern_time.js";
import { sys_getrusage } from "./kern_rusage.js";
// The I/O and memory model for C programs (console, pipes, select/poll, mmap, sysctl, TLS).
import {
  sys_readv, sys_writev, sys_fcntl, sys_getdtablesize, sys_fstat, sys_stat,
} from "./kern_descrip.js";
import { sys_getpgid, sys_issetugid, sys_getlogin, sched_yield } from "./kern_prot.js";
import { sys_pipe } from "./pipe.js";
import { sys_ioctl, sys_select, sys_poll } from "./sys_generic.js";
import { sys_obreak, sys_mmap, sys_munmap, sys_mprotect, sys_minherit, sys_madvise } from "./vm_mmap.js";
import { sys___sysctl, sys_set_tls_area, sys_get_tls_area } from "./kern_sysctl.js";
// Programs from well-known suites (stress --io, --hdd).
import { sys_sync, sys_unlink, sys_mkdir, sys_rmdir, sys_truncate, sys_ftruncate, sys_getdirentries } from "./vfs_syscalls.js";
// Userland mutexes and thread signals (libpthread).
import { sys_umtx_sleep, sys_umtx_wakeup } from "./kern_umtx.js";
import { sys_lwp_kill } from "./kern_sig.js";

export type SyscallFn = (k: Kernel, lp: Lwp, args: number[], msg: SysMsg) => KGen<number>;

/**
 * How an argument word is converted before any kernel code sees it, by its C type in
 * syscalls.master: signed types (int, pid_t, long) as a signed 32-bit value; unsigned ones
 * (u_int, size_t, uid_t, mode_t, pointers) as unsigned; off_t is two words, low first,
 * read as one signed 64-bit value (exact to 2^53: beyond, handlers see a number that is
 * not a safe integer and refuse it with EINVAL).
 */
export type ArgType = "int" | "u_int" | "off_t";
export interface Sysent {
  name: string;
  /** Argument words copied in from the user stack (an off_t is two). */
  narg: number;
  /** One type per argument the handler receives (args[i]). */
  types: readonly ArgType[];
  fn: SyscallFn;
}

export const SYS = {
  exit: 1, fork: 2, read: 3, write: 4, open: 5, close: 6, wait4: 7, getpid: 20, setuid: 23,
  getuid: 24, geteuid: 25, kill: 37, getppid: 39, dup: 41, getegid: 43, getgid: 47, execve: 59,
  umask: 60, vfork: 66, getpgrp: 81, setpgid: 82, dup2: 90, setsid: 147, getrlimit: 194,
  setrlimit: 195, lseek: 199, rfork: 251, sigprocmask: 340, sigaction: 342, sigpending: 343,
  extexit: 494, lwp_create: 495, lwp_gettid: 496,
  // Signals, time and accounting.
  sigaltstack: 53, setitimer: 83, getitimer: 86, gettimeofday: 116, getrusage: 117, clock_gettime: 232,
  clock_getres: 234, nanosleep: 240, sigsuspend: 341, sigreturn: 344,
  // The I/O and memory model for C programs.
  break: 17, pipe: 42, getlogin: 49, ioctl: 54, munmap: 73, mprotect: 74, madvise: 75,
  getdtablesize: 89, fcntl: 92, select: 93, readv: 120, writev: 121, mmap: 197, __sysctl: 202,
  getpgid: 207, poll: 209, minherit: 250, issetugid: 253, sched_yield: 331, set_tls_area: 472,
  get_tls_area: 473, stat: 475, fstat: 476, lstat: 477,
  // Programs from well-known suites.
  unlink: 10, sync: 36, mkdir: 136, rmdir: 137, truncate: 200, ftruncate: 201, getdirentries: 479,
  // Userland mutexes and thread signals (libpthread).
  umtx_sleep: 469, umtx_wakeup: 470, lwp_kill: 497,
} as const;
export type SyscallName = keyof typeof SYS;

const SIGNED = new Set(["int", "pid_t", "long", "id_t", "clockid_t"]);
const UNSIGNED = new Set(["u_int", "size_t", "uid_t", "gid_t", "mode_t", "u_long", "caddr_t", "lwpid_t"]);

/** "int fd, void *buf, size_t nbyte" (syscalls.master's form) to argument types. */
function parseArgs(decl: string): ArgType[] {
  if (decl.trim() === "") return [];
  return decl.split(",").map((a) => {
    const t = a.trim().replace(/\s+\w+$/, "").trim(); // drop the name
    if (t.includes("*")) return "u_int";
    if (t === "off_t") return "off_t";
    if (SIGNED.has(t)) return "int";
    if (UNSIGNED.has(t)) return "u_int";
    throw new Error(`sysent: unknown argument type ${JSON.stringify(t)} in ${JSON.stringify(decl)}`);
  });
}

// syscalls.master's prototypes (reference §1), so each handler's args are typed as the C code's.
const table: [SyscallName, string, SyscallFn][] = [
  ["exit", "int rval", sys_exit],
  ["fork", "", sys_fork],
  ["read", "int fd, void *buf, size_t nbyte", sys_read],
  ["write", "int fd, const void *buf, size_t nbyte", sys_write],
  ["open", "char *path, int flags, int mode", sys_open],
  ["close", "int fd", sys_close],
  ["wait4", "int pid, int *status, int options, struct rusage *rusage", sys_wait4],
  ["getpid", "", sys_getpid],
  ["setuid", "uid_t uid", sys_setuid],
  ["getuid", "", sys_getuid],
  ["geteuid", "", sys_geteuid],
  ["kill", "int pid, int signum", sys_kill],
  ["getppid", "", sys_getppid],
  ["dup", "u_int fd", sys_dup],
  ["getegid", "", sys_getegid],
  ["getgid", "", sys_getgid],
  ["execve", "char *fname, char **argv, char **envv", sys_execve],
  ["umask", "int newmask", sys_umask],
  ["vfork", "", sys_vfork],
  ["getpgrp", "", sys_getpgrp],
  ["setpgid", "int pid, int pgid", sys_setpgid],
  ["dup2", "u_int from, u_int to", sys_dup2],
  ["setsid", "", sys_setsid],
  ["getrlimit", "u_int which, struct rlimit *rlp", sys_getrlimit],
  ["setrlimit", "u_int which, struct rlimit *rlp", sys_setrlimit],
  ["lseek", "int fd, int pad, off_t offset, int whence", sys_lseek],
  ["rfork", "int flags", sys_rfork],
  ["sigprocmask", "int how, const sigset_t *set, sigset_t *oset", sys_sigprocmask],
  ["sigaction", "int sig, const struct sigaction *act, struct sigaction *oact", sys_sigaction],
  ["sigpending", "sigset_t *set", sys_sigpending],
  ["extexit", "int how, int status, void *addr", sys_extexit],
  ["lwp_create", "struct lwp_params *params", sys_lwp_create],
  ["lwp_gettid", "", sys_lwp_gettid],
  // Signals, time and accounting.
  ["sigaltstack", "stack_t *ss, stack_t *oss", sys_sigaltstack],
  ["setitimer", "u_int which, struct itimerval *itv, struct itimerval *oitv", sys_setitimer],
  ["getitimer", "u_int which, struct itimerval *itv", sys_getitimer],
  ["gettimeofday", "struct timeval *tp, struct timezone *tzp", sys_gettimeofday],
  ["getrusage", "int who, struct rusage *rusage", sys_getrusage],
  ["clock_gettime", "clockid_t clock_id, struct timespec *tp", sys_clock_gettime],
  ["clock_getres", "clockid_t clock_id, struct timespec *tp", sys_clock_getres],
  ["nanosleep", "const struct timespec *rqtp, struct timespec *rmtp", sys_nanosleep],
  ["sigsuspend", "const sigset_t *sigmask", sys_sigsuspend],
  ["sigreturn", "ucontext_t *sigcntxp", sys_sigreturn],
  // The I/O and memory model for C programs.
  ["break", "char *nsize", sys_obreak],
  ["pipe", "", sys_pipe],
  ["getlogin", "char *namebuf, u_int namelen", sys_getlogin],
  ["ioctl", "int fd, u_long com, caddr_t data", sys_ioctl],
  ["munmap", "void *addr, size_t len", sys_munmap],
  ["mprotect", "const void *addr, size_t len, int prot", sys_mprotect],
  ["madvise", "void *addr, size_t len, int behav", sys_madvise],
  ["getdtablesize", "", sys_getdtablesize],
  ["fcntl", "int fd, int cmd, long arg", sys_fcntl],
  ["select", "int nd, fd_set *in, fd_set *ou, fd_set *ex, struct timeval *tv", sys_select],
  ["readv", "int fd, struct iovec *iovp, u_int iovcnt", sys_readv],
  ["writev", "int fd, struct iovec *iovp, u_int iovcnt", sys_writev],
  ["mmap", "caddr_t addr, size_t len, int prot, int flags, int fd, int pad, off_t pos", sys_mmap],
  ["__sysctl", "int *name, u_int namelen, void *old, size_t *oldlenp, void *new, size_t newlen", sys___sysctl],
  ["getpgid", "pid_t pid", sys_getpgid],
  ["poll", "struct pollfd *fds, u_int nfds, int timeout", sys_poll],
  ["minherit", "void *addr, size_t len, int inherit", sys_minherit],
  ["issetugid", "", sys_issetugid],
  ["sched_yield", "", sched_yield],
  ["set_tls_area", "int which, struct tls_info *info, size_t infosize", sys_set_tls_area],
  ["get_tls_area", "int which, struct tls_info *info, size_t infosize", sys_get_tls_area],
  ["stat", "const char *path, struct stat *ub", sys_stat],
  ["fstat", "int fd, struct stat *sb", sys_fstat],
  ["lstat", "const char *path, struct stat *ub", sys_stat],
  // Programs from well-known suites.
  ["unlink", "char *path", sys_unlink],
  ["sync", "", sys_sync],
  ["mkdir", "char *path, int mode", sys_mkdir],
  ["truncate", "char *path, int pad, off_t length", sys_truncate],
  ["ftruncate", "int fd, int pad, off_t length", sys_ftruncate],
  ["rmdir", "char *path", sys_rmdir],
  ["getdirentries", "int fd, char *buf, u_int count, long *basep", sys_getdirentries],
  // Userland mutexes and thread signals (libpthread).
  ["lwp_kill", "pid_t pid, lwpid_t tid, int signum", sys_lwp_kill],
  ["umtx_sleep", "const int *ptr, int value, int timeout", sys_umtx_sleep],
  ["umtx_wakeup", "const int *ptr, int count", sys_umtx_wakeup],
];

export const sysent: (Sysent | undefined)[] = [];
for (const [name, decl, fn] of table) {
  const types = parseArgs(decl);
  const narg = types.reduce((n, t) => n + (t === "off_t" ? 2 : 1), 0);
  sysent[SYS[name]] = { name, narg, types, fn };
}

/**
 * The argument words (unsigned, as copied in) converted by the entry's types: the one place
 * a guest's raw words become kernel values. Written into `out` when given (syscall2 passes
 * the LWP's own array, reused from syscall to syscall: past the entry's arguments it holds
 * stale ones no handler reads, as shortening an array costs more than the whole conversion).
 */
export function convertArgs(ent: Sysent, words: readonly number[], out: number[] = new Array<number>(ent.types.length)): number[] {
  const types = ent.types;
  for (let i = 0, w = 0; i < types.length; i++) {
    const t = types[i];
    if (t === "int") out[i] = words[w++] | 0;
    else if (t === "u_int") out[i] = words[w++] >>> 0;
    else { out[i] = (words[w + 1] | 0) * 0x100000000 + (words[w] >>> 0); w += 2; }
  }
  return out;
}

/** SYS as a map (a name lookup per API syscall: a Map's get is cheaper than hasOwn and an index). */
const SYS_BY_NAME: ReadonlyMap<string, number> = new Map(Object.entries(SYS));

/** A syscall number from its name or number; undefined if it is neither. */
export function syscallNumber(s: string | number): number | undefined {
  if (typeof s === "number") return Number.isInteger(s) && s >= 0 && s <= 0xFFFFFFFF ? s : undefined;
  return typeof s === "string" ? SYS_BY_NAME.get(s) : undefined;
}
