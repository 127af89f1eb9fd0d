// Kernel constants the fork paths use, with the values of DragonFly BSD at kern_fork.c
// rev 1.76 (reference §1, §2, §5, §6). Flag words above bit 30 are kept as unsigned
// numbers (RFPPWAIT is bit 31): compare with `>>> 0` applied to both sides.

// rfork flags (sys/unistd.h 1.9).
export const RFNAMEG = 1 << 0;
export const RFENVG = 1 << 1;
export const RFFDG = 1 << 2;
export const RFNOTEG = 1 << 3;
export const RFPROC = 1 << 4;
export const RFMEM = 1 << 5;
export const RFNOWAIT = 1 << 6;
export const RFCNAMEG = 1 << 10;
export const RFCENVG = 1 << 11;
export const RFCFDG = 1 << 12;
export const RFTHREAD = 1 << 13;
export const RFSIGSHARE = 1 << 14;
export const RFLINUXTHPN = 1 << 16;
export const RFPGLOCK = 0x40000000;
export const RFPPWAIT = 0x80000000;
export const RFKERNELONLY = (RFPPWAIT | RFPGLOCK) >>> 0;

/** Names of the rfork flags, for events and reports. */
export function rforkFlagNames(flags: number): string[] {
  const names: [number, string][] = [
    [RFNAMEG, "RFNAMEG"], [RFENVG, "RFENVG"], [RFFDG, "RFFDG"], [RFNOTEG, "RFNOTEG"], [RFPROC, "RFPROC"],
    [RFMEM, "RFMEM"], [RFNOWAIT, "RFNOWAIT"], [RFCNAMEG, "RFCNAMEG"], [RFCENVG, "RFCENVG"], [RFCFDG, "RFCFDG"],
    [RFTHREAD, "RFTHREAD"], [RFSIGSHARE, "RFSIGSHARE"], [RFLINUXTHPN, "RFLINUXTHPN"], [RFPGLOCK, "RFPGLOCK"],
    [RFPPWAIT, "RFPPWAIT"],
  ];
  return names.filter(([bit]) => ((flags & bit) >>> 0) !== 0).map(([, n]) => n);
}

// Process states (proc.h 1.116): no SRUN/SSLEEP in this era.
export const SIDL = 1;
export const SACTIVE = 2;
export const SSTOP = 3;
export const SZOMB = 4;
// LWP states.
export const LSRUN = 1;
export const LSSTOP = 2;
export const LSSLEEP = 3;

// p_flag (proc.h 1.116).
export const P_ADVLOCK = 0x00001;
export const P_CONTROLT = 0x00002;
export const P_PPWAIT = 0x00010;
export const P_PROFIL = 0x00020;
export const P_SUGID = 0x00100;
export const P_SYSTEM = 0x00200;
export const P_TRACED = 0x00800;
export const P_WAITED = 0x01000;
export const P_WEXIT = 0x02000;
export const P_EXEC = 0x04000;
export const P_CONTINUED = 0x08000;
export const P_JAILED = 0x1000000;
export const P_INEXEC = 0x8000000;

// lwp_flag.
export const LWP_ALTSTACK = 0x01;
export const LWP_OLDMASK = 0x02;
export const LWP_WEXIT = 0x40;
/** Counted in p_nstopped: stopped in tstop, or asleep when its process stopped. */
export const LWP_WSTOP = 0x80;

// td_flags (thread.h 1.92).
export const TDF_RUNNING = 0x1;
export const TDF_EXITING = 0x00400000;
// Thread priorities.
export const TDPRI_USER_NORM = 6;
export const TDPRI_KERN_USER = 10;
export const TDPRI_KERN_DAEMON = 12;
export const TDPRI_CRIT = 32;

// sys/ktrace.h, sys/event.h, sys/acct.h.
export const KTRFAC_INHERIT = 0x40000000;
export const NOTE_EXIT = 0x80000000;
export const NOTE_FORK = 0x40000000;
export const NOTE_EXEC = 0x20000000;
export const NOTE_PDATAMASK = 0x000fffff;
export const AFORK = 0x01;

// Signals (signal.h 1.6).
export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGABRT = 6;
export const SIGFPE = 8;
export const SIGKILL = 9;
export const SIGBUS = 10;
export const SIGSEGV = 11;
export const SIGSYS = 12;
export const SIGPIPE = 13;
export const SIGALRM = 14;
export const SIGTERM = 15;
export const SIGSTOP = 17;
export const SIGTSTP = 18;
export const SIGCONT = 19;
export const SIGCHLD = 20;
export const SIGUSR1 = 30;
export const SIGUSR2 = 31;
export const NSIG = 64;

// wait options (wait.h 1.6).
export const WNOHANG = 1;
export const WUNTRACED = 2;
export const WCONTINUED = 4;
export const WLINUXCLONE = 0x80000000;
export const WAIT_ANY = -1;
export const W_EXITCODE = (ret: number, sig: number): number => (ret << 8) | sig;
export const W_STOPCODE = (sig: number): number => (sig << 8) | 0o177;

// extexit (unistd.h).
export const EXTEXIT_SIMPLE = 0;
export const EXTEXIT_SETINT = 1;
export const EXTEXIT_PROC = 0 << 16;
export const EXTEXIT_LWP = 1 << 16;

// sigacts ps_flag.
export const PS_NOCLDWAIT = 1;
export const PS_NOCLDSTOP = 2;

// Process ids (proc.h).
export const PID_MAX = 99999;
export const NO_PID = 100000;

// tsleep flags (param.h).
export const PCATCH = 0x100;
export const MAXCOMLEN = 16;

// lockmgr (lock.h 1.19).
export const LK_SHARED = 1;
export const LK_EXCLUSIVE = 2;
export const LK_RELEASE = 6;
export const LK_TYPE_MASK = 0xF;
export const LK_NOWAIT = 0x10;

// vm (vmparam.h): the stack exec maps grows in SGROWSIZ steps; vm_ssize is in pages.
export const SGROWSIZ = 128 * 1024;
export const MAXSSIZ = 64 * 1024 * 1024;
export const DFLSSIZ = 8 * 1024 * 1024;
export const MAXTSIZ = 128 * 1024 * 1024;
export const DFLDSIZ = 128 * 1024 * 1024;
export const MAXDSIZ = 512 * 1024 * 1024;
export const USRSTACK = 0xBFC00000;
export const PAGE_SIZE = 4096;

/** trunc_page: the page an address is in, as an unsigned 32-bit address (safe above 2 GiB). */
export function trunc_page(va: number): number { return (va & ~(PAGE_SIZE - 1)) >>> 0; }

/** round_page: the first page boundary at or above a size or address (unsigned; exact up to 2^53). */
export function round_page(n: number): number { return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE; }
