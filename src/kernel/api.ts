// The Node API: a Forklab is one emulated DragonFly i386 machine. Create it with its
// tunables, start processes from program images or bare (driven through syscall()),
// call any syscall on an LWP, run the virtual clock, and read processes, LWPs, address
// spaces and counters. Misuse throws a ForklabError that says what was wrong, before
// anything in the kernel changes.
import { Kernel } from "./kernel.js";
import type { KernelOptions } from "./tunables.js";
import type { Proc, Lwp } from "./proc.js";
import type { ProgramImage } from "./image.js";
import { checkImage } from "./image.js";
import { EVENT_SCHEMA, type KernelEvent, type EventType } from "./events.js";
import { Vmmeter, type VmmeterCounters } from "./vmmeter.js";
import type { TF_FIELDS } from "../core/core.js";
import { fork1, start_forked_proc, type ProcOut } from "./fork.js";
import { kern_execve, ARG_MAX, utf8Length } from "./exec.js";
import { syscall2, syscallTf } from "./syscall.js";
import { remrunqueue, setrunqueue } from "./sched.js";
import { ksignal } from "./signal.js";
import { pfind, clampRandompid } from "./kern_proc.js";
import { crdup, crfree } from "./ucred.js";
import { chgproccnt, plimit_modify, RLIMIT_NPROC, RLIM_INFINITY } from "./resource.js";
import { syscallNumber, sysent } from "./sysent.js";
import { vm_page_count_severe, setStackGeometry } from "./vm.js";
import { VmMapEntry, VM_PROT_ALL, VM_INHERIT_COPY, vm_map_info, type MapEntryInfo } from "./vm_map.js";
import type { ConsoleChunk } from "./tty.js";
import type { Vnode } from "./vfs.js";
import { errnoName, EACCES } from "./errno.js";
import { VDIR, VREG, VFS_MAXFILESIZE, vn_truncate, vn_write } from "./vfs.js";
import {
  RFFDG, RFPROC, RFPGLOCK, SIDL, SACTIVE, SZOMB, LSRUN, LSSLEEP, LSSTOP, USRSTACK, PAGE_SIZE, NSIG,
  P_PPWAIT, P_SUGID, P_EXEC, P_WEXIT, P_SYSTEM, P_JAILED, P_CONTROLT, P_PROFIL, P_INEXEC,
} from "./param.js";
import { PG_V, PG_RW, PG_U, PG_COW, TF_ESP, TF_EAX, TF_ERR } from "../../assembly/i386.js";
import { checkInt, checkString, checkStrings, checkBytes, checkOptions, checkFunction } from "./argcheck.js";
import { checkInvariants } from "./invariants.js";

export class ForklabError extends Error {
  override name = "ForklabError";
}

const KERNEL_OPTIONS = [
  "physBytes", "hz", "ncpus", "maxproc", "strategy", "seed", "randompid", "cpuHz", "sliceCycles",
  "vmSevereFrames", "trace", "checkInvariants",
] as const satisfies readonly (keyof KernelOptions)[];
const SPAWN_OPTIONS = ["image", "path", "argv", "envp", "uid", "gid", "nprocLimit", "comm"] as const;
const RUN_OPTIONS = ["ticks", "seconds", "until"] as const;
/** Virtual time stays below 2^31 seconds: time_t's range on i386. */
const MAX_SECONDS = 0x7FFFFFFF;
/** execve's ARG_MAX bounds argv and envp; more strings than this could never fit. */
const MAX_ARGS = 65536;

export interface SpawnOptions {
  /** The program to run; omit for a bare process driven with syscall(). */
  image?: ProgramImage;
  /**
   * Or the path of a program in the machine's filesystem (installFile): exec'd by path, as
   * execve would, so the process's text vnode is that file.
   */
  path?: string;
  /** argv for the program (default [image.name], or [path]). */
  argv?: string[];
  envp?: string[];
  /** Real and effective uid (default 0, root). */
  uid?: number;
  gid?: number;
  /** RLIMIT_NPROC for the process (default: inherited, i.e. maxproc). */
  nprocLimit?: number;
  /** p_comm of a bare process (default "bare"). */
  comm?: string;
}

/**
 * A syscall's outcome: error 0 with rv = the returned eax, edx; a positive errno; or -1
 * (ERESTART) when the kernel backed eip up so the int $0x80 runs again (re-issue it).
 */
export type SyscallResult =
  | { done: true; error: number; errno: string; rv: [number, number]; value: number }
  | { done: false; wmesg: string };

export interface ProcInfo {
  pid: number; ppid: number; pgid: number; sid: number; comm: string;
  stat: "SIDL" | "SACTIVE" | "SSTOP" | "SZOMB"; flag: number; flags: string[];
  uid: number; ruid: number; gid: number; nthreads: number; lasttid: number; lock: number;
  xstat: number; sigparent: number; acflag: number; start: number;
  children: number[]; tids: number[]; hasProgram: boolean;
  vmspace: { refcnt: number; resident: number; dsize: number; ssize: number; cr3: number } | null;
  fdRefcnt: number;
}

export interface LwpInfo {
  pid: number; tid: number; stat: "LSRUN" | "LSSTOP" | "LSSLEEP" | "none";
  mode: string; wmesg: string; cpu: number; td: number; kstack: number; flag: number;
  sigmask: bigint; siglist: bigint;
}

/** An LWP's registers as its i386 trapframe holds them (machine/frame.h; docs/x86.md). */
export interface TrapframeRegisters extends Record<keyof typeof TF_FIELDS, number> {}

/** The sysctl names Forklab.sysctl reads. */
export type SysctlName =
  | "kern.maxproc" | "kern.maxprocperuid" | "kern.nprocs" | "kern.randompid" | "kern.hz" | "hw.ncpu"
  | `vm.stats.vm.${keyof VmmeterCounters}`;
/** The sysctl names Forklab.sysctlSet writes. */
export type WritableSysctlName = "kern.maxproc" | "kern.randompid";

export interface Mapping { va: number; pa: number; pte: number; writable: boolean; cow: boolean; refcount: number }

export interface RunOptions {
  /**
   * Run this many ticks; the clock advances by that many even if nothing is left to run
   * (default: until idle, at most 1 virtual hour).
   */
  ticks?: number;
  /** Or this many virtual seconds. */
  seconds?: number;
  /** Stop as soon as this returns true. */
  until?: () => boolean;
}

const PROC_FLAGS: [number, string][] = [
  [P_CONTROLT, "P_CONTROLT"], [P_PPWAIT, "P_PPWAIT"], [P_PROFIL, "P_PROFIL"], [P_SUGID, "P_SUGID"],
  [P_SYSTEM, "P_SYSTEM"], [P_WEXIT, "P_WEXIT"], [P_EXEC, "P_EXEC"], [P_JAILED, "P_JAILED"], [P_INEXEC, "P_INEXEC"],
];
const STAT_NAMES = ["", "SIDL", "SACTIVE", "SSTOP", "SZOMB"] as const;
/** Where API processes keep the buffers userAlloc hands out. */
const ARENA_BASE = 0x40000000;
const ARENA_END = 0x80000000;

export class Forklab {
  /** The kernel itself, for those who want its internals. */
  readonly kernel: Kernel;
  /** The machine's console: what processes write on descriptors 0-2, and input for them to read. */
  readonly console: ForklabConsole;
  private readonly arenaTop = new WeakMap<Proc, number>();

  constructor(opts: KernelOptions = {}) {
    const o = checkOptions<KernelOptions>(ForklabError, "options", opts, KERNEL_OPTIONS);
    if (o.trace !== undefined && typeof o.trace !== "boolean") throw new ForklabError(`trace must be a boolean, got ${String(o.trace)}`);
    if (o.checkInvariants !== undefined && typeof o.checkInvariants !== "boolean") throw new ForklabError(`checkInvariants must be a boolean, got ${String(o.checkInvariants)}`);
    try {
      this.kernel = new Kernel(o);
    } catch (e) {
      if (e instanceof RangeError) throw new ForklabError(e.message);
      throw e;
    }
    this.console = new ForklabConsole(this.kernel, (what, fn) => this.call(what, fn));
  }

  /** Virtual time in ticks and seconds. */
  get ticks(): number { return this.kernel.clock.ticks; }
  get seconds(): number { return this.kernel.clock.ticks / this.kernel.tun.hz; }
  get hz(): number { return this.kernel.tun.hz; }

  /**
   * Virtual time in seconds with sub-tick precision: the current tick plus the share of
   * that tick's cycles the busiest virtual CPU has spent (a tick whose cycles are all spent
   * reads as the next tick's start). For rates over runs shorter than a tick, such as a
   * spawn loop of a few thousand iterations. Read-only.
   */
  get preciseSeconds(): number {
    const k = this.kernel, per = k.tun.cyclesPerTick;
    let used = 0;
    for (const c of k.cpus) used = Math.max(used, Math.min(per, Math.max(0, per - c.budget)));
    return (k.clock.ticks + used / per) / k.tun.hz;
  }

  /**
   * The processes counted against a real uid (its uidinfo's ui_proccnt: what fork1 checks
   * against RLIMIT_NPROC), 0 when the uid has none. Read-only.
   */
  uidProcs(uid: number): number {
    checkInt(ForklabError, "uid", uid, 0, 0xFFFFFFFF);
    return this.kernel.uids.uilookup(uid)?.ui_proccnt ?? 0;
  }

  /**
   * Starts a process as init's child in a session of its own: with `image` it runs that
   * program; without, it is a bare process whose syscalls you make with syscall().
   */
  spawn(opts: SpawnOptions = {}): ProcInfo {
    const o = checkOptions<SpawnOptions>(ForklabError, "spawn options", opts, SPAWN_OPTIONS);
    if (o.image !== undefined) checkProgramImage(o.image);
    if (o.path !== undefined) {
      checkString(ForklabError, "path", o.path, 1023);
      if (o.image !== undefined) throw new ForklabError("spawn: give image or path, not both");
    }
    if (o.argv !== undefined) checkStrings(ForklabError, "argv", o.argv, MAX_ARGS);
    if (o.envp !== undefined) checkStrings(ForklabError, "envp", o.envp, MAX_ARGS);
    const uid = checkInt(ForklabError, "uid", o.uid === undefined ? 0 : o.uid, 0, 0xFFFFFFFE);
    const gid = checkInt(ForklabError, "gid", o.gid === undefined ? 0 : o.gid, 0, 0xFFFFFFFE);
    if (o.nprocLimit !== undefined) checkInt(ForklabError, "nprocLimit", o.nprocLimit, 1, RLIM_INFINITY);
    if (o.comm !== undefined) checkString(ForklabError, "comm", o.comm);
    const strBytes = [...(o.argv ?? [o.image?.name ?? ""]), ...(o.envp ?? [])].reduce((n, a) => n + utf8Length(a) + 1, 0);
    if (strBytes > ARG_MAX) throw new ForklabError(`spawn: argv and envp take ${strBytes} bytes, more than ARG_MAX (${ARG_MAX}): execve would fail with E2BIG`);
    return this.call("spawn", () => this.spawnChecked(o, uid, gid));
  }

  private spawnChecked(opts: SpawnOptions, uid: number, gid: number): ProcInfo {
    const k = this.kernel;
    let program: { image: ProgramImage; vnode: Vnode | null } | null = null;
    if (opts.path !== undefined) {
      const vp = k.vfs.lookup(opts.path);
      if (typeof vp === "number") throw new ForklabError(`spawn: ${opts.path}: ${errnoName(-vp)}`);
      const found = vp.v_type === VREG && (vp.v_mode & 0o111) !== 0 ? k.imageOf(vp) : EACCES;
      if (typeof found === "number") throw new ForklabError(`spawn: ${opts.path} cannot be exec'd: ${errnoName(found)}`);
      program = found;
    } else if (opts.image) {
      program = { image: opts.image, vnode: null };
    }
    if (k.nprocs >= k.tun.maxproc) throw new ForklabError(`spawn: the process table is full (nprocs ${k.nprocs}, maxproc ${k.tun.maxproc})`);
    if (k.core.x.thread_table_full() !== 0) throw new ForklabError(`spawn: no kernel thread can be had (${k.core.threadsUsed()} in use, ${k.core.framesFree()} frames free)`);
    // The fork from init must not sleep: vm_fork would wait for memory (vm_wait).
    if (vm_page_count_severe(k)) throw new ForklabError(`spawn: memory is severely short (${k.core.framesFree()} frames free, vmSevereFrames ${k.tun.vmSevereFrames})`);
    const init = k.initproc, initLp = k.ONLY_LWP_IN_PROC(init);
    const out: ProcOut = { p2: null };
    const err = k.drive(fork1(k, initLp, (RFFDG | RFPROC | RFPGLOCK) >>> 0, out));
    if (err) throw new ForklabError(`spawn: fork from init failed: ${errnoName(err)}`);
    const p = out.p2!;
    k.drive(start_forked_proc(k, initLp, p));
    k.pgrps.enterpgrp(p, p.p_pid, true); // setsid()
    if (uid !== 0 || gid !== 0) {
      const cr = p.p_ucred!, ncr = crdup(k.uids, cr);
      chgproccnt(cr.cr_ruidinfo, -1, 0);
      k.uids.uidrop(ncr.cr_uidinfo); k.uids.uidrop(ncr.cr_ruidinfo);
      ncr.cr_uidinfo = k.uids.uifind(uid); ncr.cr_ruidinfo = k.uids.uifind(uid);
      ncr.cr_uid = ncr.cr_ruid = ncr.cr_svuid = uid;
      ncr.cr_gid = ncr.cr_rgid = gid;
      chgproccnt(ncr.cr_ruidinfo, 1, 0);
      p.p_ucred = ncr;
      crfree(k.uids, cr);
    }
    if (opts.nprocLimit !== undefined) {
      plimit_modify(p, RLIMIT_NPROC, { rlim_cur: opts.nprocLimit, rlim_max: opts.nprocLimit });
    }
    const lp = k.ONLY_LWP_IN_PROC(p);
    remrunqueue(k, lp);
    k.switchin(lp);
    if (program) {
      const argv = opts.argv ?? [opts.path ?? program.image.name];
      k.drive(kern_execve(k, lp, program.image, argv, opts.envp ?? [], program.vnode));
      if (lp.mode !== "exited") setrunqueue(k, lp);
    } else {
      p.p_comm = (opts.comm ?? "bare").slice(0, 16);
      // A bare process looks freshly exec'd (exec_setregs: eflags 0x202, user selectors)
      // with no program: exec's stack entry, and its top page for the arguments of API
      // syscalls.
      const vm = p.p_vmspace!;
      setStackGeometry(vm);
      k.core.enter(vm.vm_pmap, USRSTACK - PAGE_SIZE, 3);
      k.core.execSetregs(lp.td, 0, USRSTACK - 2048, 0);
    }
    return this.proc(p.p_pid);
  }

  /**
   * Makes syscall `code` (a name such as "fork" or a number) on an LWP in user mode, with
   * the arguments on its user stack, through the same int $0x80 entry a program uses.
   * Returns the result, or {done: false} when the LWP went to sleep: run() the clock and
   * read result() later.
   */
  syscall(target: number | { pid: number; tid?: number }, code: string | number, args: number[] = []): SyscallResult {
    const num = syscallNumber(code);
    if (num === undefined) {
      throw new ForklabError(`unknown syscall ${typeof code === "number" ? code : JSON.stringify(code)}: give a name such as "fork" or a number from 0 to 4294967295`);
    }
    if (!syscallArgsOk(args)) throw new ForklabError("syscall arguments must be at most 8 integers that fit in 32 bits");
    const lp = this.lwpOf(target);
    return this.call("syscall", () => this.syscallChecked(lp, num, args));
  }

  private syscallChecked(lp: Lwp, num: number, args: number[]): SyscallResult {
    const k = this.kernel;
    if (lp.mode === "new") { remrunqueue(k, lp); k.switchin(lp); }
    if (lp.mode !== "user" || lp.wchan) {
      throw new ForklabError(`pid ${lp.lwp_proc.p_pid} tid ${lp.lwp_tid} is not in user mode (${lp.wchan ? `sleeping in "${lp.wmesg}"` : lp.mode})`);
    }
    if (lp.lwp_proc.image) throw new ForklabError(`pid ${lp.lwp_proc.p_pid} runs a program; syscall() drives bare processes`);
    // The API runs the LWP now: one queued to have a signal delivered must leave the run
    // queue, or the scheduler would resume its syscall while it sleeps.
    remrunqueue(k, lp);
    const p = lp.lwp_proc, core = k.core, tf = syscallTf(k, lp);
    const esp = core.word(tf + TF_ESP) >>> 0;
    if (args.length && k.copyoutArgWords(p, esp + 4, args)) throw new ForklabError(`pid ${p.p_pid}: its user stack at 0x${esp.toString(16)} is not writable`);
    core.setWord(tf + TF_EAX, num | 0);
    core.setWord(tf + TF_ERR, 2);
    lp.lastSyscall = null;
    syscall2(k, lp);
    if (!k.resume(lp)) return { done: false, wmesg: lp.wmesg };
    // A bare process that exec'd a program now has user code to run: schedule it.
    if (lp.mode === "user" && p.image && !lp.onRunq) setrunqueue(k, lp);
    return this.outcome(lp, num);
  }

  /** The result of the last syscall an LWP made through syscall() once it has finished. */
  result(target: number | { pid: number; tid?: number }): SyscallResult {
    const lp = this.lwpOf(target);
    if (lp.mode === "kernel") return { done: false, wmesg: lp.wmesg };
    return this.outcome(lp, lp.lastSyscall?.code ?? 0);
  }

  private outcome(lp: Lwp, code: number): SyscallResult {
    const s = lp.lastSyscall;
    if (!s) return { done: true, error: 0, errno: "", rv: [0, 0], value: 0 }; // exited
    void code;
    // The LWP's record is rewritten by its next syscall: the caller gets copies.
    return { done: true, error: s.error, errno: s.error ? errnoName(s.error) : "", rv: [s.rv[0], s.rv[1]], value: s.error ? -1 : s.rv[0] };
  }

  /** Runs the virtual machine; returns why it stopped and the tick it reached. */
  run(opts: RunOptions = {}): { stop: "time" | "condition" | "idle"; ticks: number } {
    const o = checkOptions<RunOptions>(ForklabError, "run options", opts, RUN_OPTIONS);
    const k = this.kernel, maxTicks = MAX_SECONDS * k.tun.hz;
    const room = maxTicks - k.clock.ticks;
    let limit: number;
    if (o.ticks !== undefined) {
      limit = k.clock.ticks + checkInt(ForklabError, "ticks", o.ticks, 0, room);
    } else if (o.seconds !== undefined) {
      const s = o.seconds;
      if (typeof s !== "number" || !(s >= 0) || s * k.tun.hz > room) {
        throw new ForklabError(`seconds must be a number from 0 to ${room / k.tun.hz} (virtual time ends at 2^31 s, time_t's range), got ${String(s)}`);
      }
      limit = k.clock.ticks + Math.round(s * k.tun.hz);
    } else {
      limit = Math.min(maxTicks, k.clock.ticks + 3600 * k.tun.hz);
    }
    let until: (() => boolean) | undefined;
    if (o.until !== undefined) {
      const fn = checkFunction(ForklabError, "until", o.until) as () => unknown;
      until = () => {
        try { return Boolean(fn()); } catch (e) { throw new ForklabError(`run(): the until function threw: ${describe(e)}`, { cause: e }); }
      };
    }
    return this.call("run", () => this.runChecked(o, limit, until));
  }

  private runChecked(o: RunOptions, limit: number, until: (() => boolean) | undefined): { stop: "time" | "condition" | "idle"; ticks: number } {
    const k = this.kernel;
    const ran = k.runUntil(limit, until);
    const stop = ran === "listener" ? "condition" : ran; // call() reports the listener's exception
    // With an explicit ticks/seconds limit the time passes even when nothing can run (so
    // step() is always one tick); stop stays "idle" to say that nothing ran to the end.
    if (stop === "idle" && (o.ticks !== undefined || o.seconds !== undefined) && k.clock.ticks < limit) {
      for (const cpu of k.cpus) cpu.idleTicks += limit - k.clock.ticks;
      k.clock.advanceTo(limit);
    }
    return { stop, ticks: k.clock.ticks };
  }

  /** One tick of virtual time. */
  step(): void { this.run({ ticks: 1 }); }

  /**
   * One call that changes the machine: refused from an event listener or while another is
   * in progress (re-entry), and after a kernel panic. Its events reach listeners when the
   * kernel's work is complete; an exception a listener threw is reported afterwards, as a
   * ForklabError, once the machine is consistent again. Anything else thrown from inside
   * the kernel is a kernel panic: the machine stops where it is, for inspection.
   */
  private call<T>(what: string, fn: () => T): T {
    const k = this.kernel, events = k.events;
    if (this.busy !== null) {
      throw new ForklabError(`${what}() cannot be called while ${this.busy}() is in progress (from an event listener or a run() condition)`);
    }
    this.checkAlive(what);
    this.busy = what;
    let result: T;
    events.hold();
    try {
      result = fn();
      if (k.tun.checkInvariants) checkInvariants(k);
    } catch (e) {
      if (e instanceof ForklabError) throw e;
      throw this.stop(what, e);
    } finally {
      try { events.release(); k.console.deliver(); } finally { this.busy = null; }
    }
    if (events.failed || k.console.errors.length) {
      const errors = [...events.takeErrors(), ...k.console.errors.splice(0)];
      throw new ForklabError(`${what}(): an event listener threw${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}: ${describe(errors[0])}`, { cause: errors[0] });
    }
    return result;
  }

  /** A kernel panic in `what`: the machine stops where it is; the error to throw. */
  private stop(what: string, e: unknown): ForklabError {
    this.kernel.panic(describe(e));
    return new ForklabError(`${what}(): kernel panic: ${describe(e)}. The machine is stopped; its state can still be read.`, { cause: e });
  }

  /** With checkInvariants on: the check after an API call that changed memory outside call(). */
  private changed(what: string): void {
    if (!this.kernel.tun.checkInvariants) return;
    try { checkInvariants(this.kernel); } catch (e) { throw this.stop(what, e); }
  }

  /**
   * Checks every invariant of the machine now (src/kernel/invariants.ts: frame reference
   * counts, LWP trees, process and uid counts, run and sleep queues, sealed memory). A
   * broken one is a kernel panic, reported as a ForklabError naming the invariant.
   */
  checkInvariants(): void {
    this.call("checkInvariants", () => checkInvariants(this.kernel));
  }

  /** The API call in progress (see call()), or null. */
  private busy: string | null = null;

  private checkAlive(what: string): void {
    const p = this.kernel.panicked;
    if (p !== null) throw new ForklabError(`${what}(): the kernel panicked (${p}); the machine is stopped`);
  }

  /** The panic message if the kernel has panicked, else null. */
  get panicked(): string | null { return this.kernel.panicked; }

  // ---- reading state ----

  proc(pid: number): ProcInfo {
    const p = this.findProc(pid);
    const k = this.kernel, vm = p.p_vmspace, cr = p.p_ucred;
    return {
      pid: p.p_pid, ppid: p.p_pptr ? p.p_pptr.p_pid : 0,
      pgid: p.p_pgrp ? p.p_pgrp.pg_id : -1, sid: p.p_pgrp ? p.p_pgrp.pg_session.s_sid : -1,
      comm: p.p_comm, stat: (STAT_NAMES[p.p_stat] || "SIDL") as ProcInfo["stat"], flag: p.p_flag,
      flags: PROC_FLAGS.filter(([b]) => p.p_flag & b).map(([, n]) => n),
      uid: cr ? cr.cr_uid : -1, ruid: cr ? cr.cr_ruid : -1, gid: cr ? cr.cr_gid : -1,
      nthreads: p.p_nthreads, lasttid: p.p_lasttid, lock: p.p_lock, xstat: p.p_xstat,
      sigparent: p.p_sigparent, acflag: p.p_acflag, start: p.p_start,
      children: p.p_children.toArray().map((c) => c.p_pid),
      tids: p.p_lwp_tree && p.p_stat !== 0 ? k.lwpsOf(p).map((l) => l.lwp_tid) : [],
      hasProgram: p.image !== null,
      vmspace: vm ? { refcnt: vm.vm_refcnt, resident: k.core.resident(vm.vm_pmap), dsize: vm.vm_dsize, ssize: vm.vm_ssize, cr3: k.core.cr3(vm.vm_pmap) } : null,
      fdRefcnt: p.p_fd ? p.p_fd.fd_refcnt : 0,
    };
  }

  /** Every process, live and zombie, by pid. */
  procs(): ProcInfo[] {
    const k = this.kernel;
    const all = [...k.procs.allproc, ...k.procs.zombproc].map((p) => this.proc(p.p_pid));
    return all.sort((a, b) => a.pid - b.pid);
  }

  lwps(pid: number): LwpInfo[] {
    const p = this.findProc(pid), k = this.kernel;
    return k.lwpsOf(p).map((lp) => ({
      pid: p.p_pid, tid: lp.lwp_tid,
      stat: lp.lwp_stat === LSRUN ? "LSRUN" : lp.lwp_stat === LSSLEEP ? "LSSLEEP" : lp.lwp_stat === LSSTOP ? "LSSTOP" : "none",
      mode: lp.mode, wmesg: lp.wmesg, cpu: lp.cpu, td: lp.td, kstack: k.core.kstack(lp.td), flag: lp.lwp_flag,
      sigmask: lp.lwp_sigmask, siglist: lp.lwp_siglist,
    }));
  }

  /** The registers of an LWP (its trapframe in the core's memory). */
  trapframe(target: number | { pid: number; tid?: number }): TrapframeRegisters {
    return this.kernel.core.trapframe(this.lwpOf(target).td).toJSON() as TrapframeRegisters;
  }

  /** The present user pages of a process's address space. */
  mappings(pid: number): Mapping[] {
    const p = this.findProc(pid), core = this.kernel.core;
    if (!p.p_vmspace) return [];
    const pm = p.p_vmspace.vm_pmap;
    return core.mappings(pm).map(({ va, pte }) => {
      // A PDE without PG_RW maps a page table shared by share-pt: a write copies it first.
      const shared = (core.pde(pm, va) & PG_RW) === 0;
      return {
        va, pte, pa: (pte & ~0xFFF) >>> 0, writable: (pte & PG_RW) !== 0 && (pte & PG_U) !== 0 && !shared,
        cow: (pte & PG_COW) !== 0 || ((pte & PG_RW) !== 0 && shared), refcount: core.frameRefcount((pte & ~0xFFF) >>> 0),
      };
    });
  }

  /** The entries of a process's map (vm_map): ranges, protections, inheritance, sharing. */
  vmMap(pid: number): MapEntryInfo[] {
    const p = this.findProc(pid);
    return p.p_vmspace ? vm_map_info(p.p_vmspace.vm_map) : [];
  }

  /** The vmmeter totals over all virtual CPUs (sysctl vm.stats.vm). */
  counters(): VmmeterCounters {
    const sum = new Vmmeter();
    for (const c of this.kernel.cpus) sum.add(c.gd_cnt);
    return { ...sum };
  }
  countersPerCpu(): VmmeterCounters[] { return this.kernel.cpus.map((c) => ({ ...c.gd_cnt })); }

  /** Physical memory: frames free now, at boot (after the kernel's own tables), in all. */
  memory(): { framesFree: number; framesTotal: number; framesFreeAtBoot: number } {
    const c = this.kernel.core;
    return { framesFree: c.framesFree(), framesTotal: c.framesTotal(), framesFreeAtBoot: c.bootFreeFrames };
  }

  /** What the kernel printed (kprintf), in order. */
  messages(): string[] { return [...this.kernel.log]; }

  /** sysctl-style reads: kern.maxproc, kern.maxprocperuid, kern.nprocs, kern.randompid, kern.hz, vm.stats.vm.v_*. */
  sysctl(name: SysctlName): number {
    checkString(ForklabError, "sysctl name", name, 256);
    const k = this.kernel;
    switch (name) {
      case "kern.maxproc": return k.tun.maxproc;
      case "kern.maxprocperuid": return Math.floor(k.tun.maxproc * 9 / 10);
      case "kern.nprocs": return k.nprocs;
      case "kern.randompid": return k.tun.randompid;
      case "kern.hz": return k.tun.hz;
      case "hw.ncpu": return k.tun.ncpus;
    }
    const m = /^vm\.stats\.vm\.(v_\w+)$/.exec(name);
    const counters = this.counters() as unknown as Record<string, number>;
    if (m && Object.hasOwn(counters, m[1])) return counters[m[1]];
    throw new ForklabError(`unknown sysctl ${JSON.stringify(name)}`);
  }

  /** sysctl-style writes: kern.maxproc and kern.randompid. */
  sysctlSet(name: WritableSysctlName, value: number): void {
    checkString(ForklabError, "sysctl name", name, 256);
    const k = this.kernel;
    checkInt(ForklabError, `sysctl ${name}`, value, -0x80000000, 0x7FFFFFFF);
    this.checkAlive("sysctlSet");
    if (name === "kern.maxproc") {
      if (value < 1 || value > 99998) throw new ForklabError(`kern.maxproc must be from 1 to 99998, got ${value}`);
      k.tun.maxproc = value;
    } else if (name === "kern.randompid") {
      k.tun.randompid = clampRandompid(value);
    } else {
      throw new ForklabError(`sysctl ${JSON.stringify(name)} is read-only or unknown`);
    }
  }

  /** Subscribes to events of one type (or "*"); returns the function that unsubscribes. */
  on<T extends EventType | "*">(type: T, fn: (e: T extends EventType ? Extract<KernelEvent, { type: T }> : KernelEvent) => void): () => void {
    if (type !== "*" && (typeof type !== "string" || !Object.hasOwn(EVENT_SCHEMA, type))) {
      throw new ForklabError(`on(): unknown event type ${JSON.stringify(type)} (known: ${Object.keys(EVENT_SCHEMA).join(", ")}, or "*")`);
    }
    checkFunction(ForklabError, "on(): the listener", fn);
    return (this.kernel.events.on as (t: string, f: (e: KernelEvent) => void) => () => void).call(this.kernel.events, type, fn as (e: KernelEvent) => void);
  }

  /** The trace hash of every event so far (needs the `trace` option). */
  traceHash(): string {
    if (!this.kernel.tun.trace) throw new ForklabError("traceHash(): tracing is off (create the machine with { trace: true })");
    return this.kernel.events.traceHash();
  }

  /** Posts a signal as the kernel would (psignal), to a process or one of its LWPs. */
  signal(pid: number, sig: number, tid?: number): void {
    const p = this.findProc(pid);
    checkInt(ForklabError, "signal", sig, 1, NSIG);
    const lp = tid === undefined ? null : this.lwpOf({ pid, tid });
    this.call("signal", () => ksignal(this.kernel, p, sig, lp));
  }

  /** Maps `bytes` of fresh zeroed user memory in a bare process; returns its address. */
  /**
   * Maps `bytes` of fresh zeroed user memory in a process (prot: VM_PROT bits, 1 read, 2
   * write, 4 execute; default read and write); returns its address. All of it, or nothing.
   */
  userAlloc(pid: number, bytes: number, prot = 3): number {
    const p = this.liveProc(pid, "userAlloc");
    checkInt(ForklabError, "userAlloc: bytes", bytes, 1, 64 * 1024 * 1024);
    checkInt(ForklabError, "userAlloc: prot", prot, 1, 7);
    this.checkAlive("userAlloc");
    // The first free range from the arena's top (a forked child's map holds its parent's).
    const map = p.p_vmspace!.vm_map;
    const size = Math.ceil(bytes / PAGE_SIZE) * PAGE_SIZE;
    const top = map.findspace(this.arenaTop.get(p) ?? ARENA_BASE, size);
    const end = top + size;
    if (top < 0 || end > ARENA_END) throw new ForklabError(`userAlloc: pid ${pid}'s arena is full`);
    const core = this.kernel.core, pm = p.p_vmspace!.vm_pmap;
    if (core.framesFree() < (end - top) / PAGE_SIZE + 2) throw new ForklabError("userAlloc: out of simulated memory");
    for (let va = top; va < end; va += PAGE_SIZE) {
      if (core.enter(pm, va, prot) < 0) {
        core.remove(pm, top, va); // no half-made arena
        this.changed("userAlloc");
        throw new ForklabError("userAlloc: out of simulated memory");
      }
    }
    // An anonymous entry of the map, as mmap would make (so faults and fork see it).
    map.insert(new VmMapEntry(top, end, prot, VM_PROT_ALL, VM_INHERIT_COPY, "anon"));
    this.arenaTop.set(p, end);
    this.changed("userAlloc");
    return top;
  }

  /** Writes user memory as copyout does (copy-on-write resolved first); all of it, or nothing. */
  writeUser(pid: number, va: number, bytes: Uint8Array): void {
    const p = this.liveProc(pid, "writeUser");
    checkInt(ForklabError, "writeUser: address", va, 0, 0xFFFFFFFF);
    checkBytes(ForklabError, "writeUser: bytes", bytes);
    this.checkAlive("writeUser");
    const bad = () => new ForklabError(`writeUser: 0x${va.toString(16)}+${bytes.length} is not writable user memory of pid ${pid}`);
    if (va + bytes.length > 0x100000000) throw bad();
    // Every page is checked before the first byte is written: present and writable, or
    // not yet made where the map allows writing (copyout then faults it in).
    const core = this.kernel.core, pm = p.p_vmspace!.vm_pmap, map = p.p_vmspace!.vm_map;
    for (let page = Math.floor(va / PAGE_SIZE) * PAGE_SIZE; page < va + bytes.length; page += PAGE_SIZE) {
      const pte = core.pte(pm, page);
      const present = (pte & (PG_V | PG_U)) === (PG_V | PG_U) && (pte & (PG_RW | PG_COW)) !== 0;
      const e = (pte & PG_V) === 0 ? map.lookup(page) : null;
      if (!present && !(e && (e.protection & 2))) throw bad();
    }
    const max = core.ioMax;
    for (let off = 0; off < bytes.length; off += max) {
      if (this.kernel.copyout(p, va + off, bytes.subarray(off, off + max))) throw bad();
    }
    this.changed("writeUser");
  }

  /** Reads user memory as copyin does. */
  readUser(pid: number, va: number, len: number): Uint8Array {
    const p = this.liveProc(pid, "readUser");
    checkInt(ForklabError, "readUser: address", va, 0, 0xFFFFFFFF);
    checkInt(ForklabError, "readUser: length", len, 0, 64 * 1024 * 1024);
    const bad = () => new ForklabError(`readUser: 0x${va.toString(16)}+${len} is not readable user memory of pid ${pid}`);
    if (va + len > 0x100000000) throw bad();
    const out = new Uint8Array(len), max = this.kernel.core.ioMax;
    for (let off = 0; off < len; off += max) {
      const b = this.kernel.copyin(p, va + off, Math.min(max, len - off));
      if (!b) throw bad();
      out.set(b, off);
    }
    return out;
  }
  readWord(pid: number, va: number): number {
    const b = this.readUser(pid, va, 4);
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
  }
  writeWord(pid: number, va: number, v: number): void {
    checkInt(ForklabError, "writeWord: value", v, -0x80000000, 0xFFFFFFFF);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    this.writeUser(pid, va, b);
  }

  /** Puts a program in the filesystem at `path`, for execve. */
  registerProgram(path: string, image: ProgramImage): void {
    checkString(ForklabError, "registerProgram: path", path, 1023);
    if (path.length === 0) throw new ForklabError("registerProgram: path must not be empty");
    checkProgramImage(image);
    this.checkAlive("registerProgram");
    const k = this.kernel;
    let vp = k.vfs.lookup(path);
    if (typeof vp === "number") {
      // Missing directories on the way are made (mkdir -p), so "/bin/x" works on an empty filesystem.
      const parts = path.split("/").filter((c) => c.length > 0);
      for (let i = 1; i < parts.length; i++) {
        const dir = (path.startsWith("/") ? "/" : "") + parts.slice(0, i).join("/");
        if (typeof k.vfs.lookup(dir) === "number") k.vfs.mkdir(dir);
      }
      vp = k.vfs.create(path, 0o755);
    }
    if (typeof vp === "number") throw new ForklabError(`registerProgram: cannot create ${path}: ${errnoName(-vp)}`);
    k.images.set(vp, image);
  }

  /**
   * Installs a file in the filesystem: `path` (absolute) holds `bytes`, with permission
   * bits `mode` (default 0755). Missing parent directories are made (mode 0755). An
   * existing regular file is overwritten in place and keeps its mode; a program
   * registered there with registerProgram is dropped, so execve reads the new bytes
   * through the kernel's image activator (src/kernel/imgact_elf.ts).
   */
  installFile(path: string, bytes: Uint8Array, mode = 0o755): void {
    if (typeof path !== "string" || !path.startsWith("/")) throw new ForklabError(`installFile: path must be absolute, got ${JSON.stringify(path)}`);
    checkBytes(ForklabError, "installFile: bytes", bytes);
    if (bytes.length > VFS_MAXFILESIZE) throw new ForklabError(`installFile: ${bytes.length} bytes is more than the filesystem's largest file (${VFS_MAXFILESIZE})`);
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new ForklabError(`installFile: mode must be an integer from 0 to 0o7777, got ${mode}`);
    this.checkAlive("installFile");
    const vfs = this.kernel.vfs;
    const comps = path.split("/").filter((c) => c.length > 0);
    if (comps.length === 0 || path.endsWith("/")) throw new ForklabError(`installFile: ${path} names a directory`);
    if (comps.some((c) => c === "." || c === ".." || c.length > 255) || path.length >= 1024) {
      throw new ForklabError(`installFile: ${path}: use a plain absolute path (no "." or "..", names up to 255 bytes, less than 1024 in all)`);
    }
    // Check the whole path before making anything.
    let dir = vfs.root;
    let i = 0;
    for (; i < comps.length - 1; i++) {
      const next = dir.v_children!.get(comps[i]);
      if (!next) break;
      if (next.v_type !== VDIR) throw new ForklabError(`installFile: ${"/" + comps.slice(0, i + 1).join("/")} is not a directory`);
      dir = next;
    }
    const existing = i === comps.length - 1 ? dir.v_children!.get(comps[i]) : undefined;
    if (existing && existing.v_type !== VREG) throw new ForklabError(`installFile: ${path} is a directory`);
    for (; i < comps.length - 1; i++) dir = vfs.enter(dir, comps[i], VDIR, 0o755);
    const vp = existing ?? vfs.enter(dir, comps[comps.length - 1], VREG, mode);
    vn_truncate(vp);
    if (vn_write(vp, 0, bytes) < 0) throw new ForklabError(`installFile: ${path}: file too large`);
    this.kernel.images.delete(vp);
  }

  // ---- helpers ----

  private findProc(pid: number): Proc {
    checkInt(ForklabError, "pid", pid, 0, 0x7FFFFFFF);
    const k = this.kernel;
    const p = pfind(k, pid) ?? k.procs.zombproc.toArray().find((z) => z.p_pid === pid);
    if (!p) throw new ForklabError(`no process with pid ${pid}`);
    return p;
  }

  /** A live process whose memory the API may touch (not a zombie, not being made). */
  private liveProc(pid: number, what: string): Proc {
    const p = this.findProc(pid);
    if (p.p_stat === SZOMB || p.p_stat === SIDL || !p.p_vmspace) throw new ForklabError(`${what}: pid ${pid} has no address space (${STAT_NAMES[p.p_stat] || "SIDL"})`);
    return p;
  }

  private lwpOf(target: number | { pid: number; tid?: number }): Lwp {
    let pid: unknown, tid: unknown;
    if (typeof target === "number") pid = target;
    else if (target !== null && typeof target === "object" && !Array.isArray(target)) ({ pid, tid } = target);
    else throw new ForklabError(`an LWP is named by a pid or {pid, tid}, got ${target === null ? "null" : typeof target}`);
    const p = this.findProc(pid as number);
    if (tid !== undefined) checkInt(ForklabError, "tid", tid, 0, 0x7FFFFFFF);
    if (p.p_stat === SZOMB) throw new ForklabError(`pid ${pid} is a zombie`);
    if (p.p_stat === SIDL) throw new ForklabError(`pid ${pid} is still being created (SIDL)`);
    // The usual case, one LWP named by its pid: no list of them to make.
    if (tid === undefined && p.p_nthreads === 1) return this.kernel.ONLY_LWP_IN_PROC(p);
    const lwps = this.kernel.lwpsOf(p);
    if (tid === undefined) {
      if (lwps.length !== 1) throw new ForklabError(`pid ${pid} has ${lwps.length} LWPs: name one with {pid, tid}`);
      return lwps[0];
    }
    const lp = lwps.find((l) => l.lwp_tid === tid);
    if (!lp) throw new ForklabError(`pid ${pid} has no LWP with tid ${tid}`);
    return lp;
  }

}

/** syscall()'s arguments: an array of at most 8 integers that fit in 32 bits (a loop: no closure per call). */
function syscallArgsOk(args: unknown): args is number[] {
  if (!Array.isArray(args) || args.length > 8) return false;
  for (const a of args) {
    if (typeof a !== "number" || !Number.isInteger(a) || a < -0x80000000 || a > 0xFFFFFFFF) return false;
  }
  return true;
}

/** One write to the console, as onOutput hands it over: the process, its descriptor (1 stdout, 2 stderr), the bytes. */
export interface ConsoleOutput { pid: number; fd: number; bytes: Uint8Array; text: string }

/**
 * The console (/dev/console, descriptors 0-2 of every process): the output of each write
 * with its process, and the input reads consume. A read finding no input waits in virtual
 * time (the LWP sleeps in "ttyin") until input() or endInput(); after endInput() reads
 * return 0 (end of file) once the input is used up.
 */
export class ForklabConsole {
  constructor(private readonly k: Kernel, private readonly call: (what: string, fn: () => void) => void) {}

  /** Everything written so far (of one process with pid), as UTF-8 text. */
  output(pid?: number): string { return new TextDecoder().decode(this.bytes(pid)); }

  /** Everything written so far (of one process with pid), as bytes. */
  bytes(pid?: number): Uint8Array {
    if (pid !== undefined) checkInt(ForklabError, "pid", pid, 0, 0x7FFFFFFF);
    const chunks = this.k.console.chunks.filter((c) => pid === undefined || c.pid === pid);
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.bytes.length, 0));
    let o = 0;
    for (const c of chunks) { out.set(c.bytes, o); o += c.bytes.length; }
    return out;
  }

  /**
   * Calls fn with each write as it is made (after the syscall that made it, like events);
   * returns the function that unsubscribes.
   */
  onOutput(fn: (out: ConsoleOutput) => void): () => void {
    checkFunction(ForklabError, "onOutput(): the listener", fn);
    const decoder = new TextDecoder();
    const l = (c: ConsoleChunk) => fn({ pid: c.pid, fd: c.fd, bytes: c.bytes, text: decoder.decode(c.bytes, { stream: true }) });
    this.k.console.listeners.push(l);
    return () => { const i = this.k.console.listeners.indexOf(l); if (i >= 0) this.k.console.listeners.splice(i, 1); };
  }

  /** Feeds input (UTF-8 text or bytes): LWPs waiting to read wake up. */
  input(data: string | Uint8Array): void {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : checkBytes(ForklabError, "input", data);
    if (this.k.console.inputEof) throw new ForklabError("console.input(): input has ended (endInput was called)");
    this.call("console.input", () => this.k.console.feed(bytes));
  }

  /** End of input: reads return 0 once what was fed is read. */
  endInput(): void {
    this.call("console.endInput", () => this.k.console.end());
  }

  /** Whether endInput() has been called. */
  get inputEnded(): boolean { return this.k.console.inputEof; }

  /**
   * How many LWPs may be waiting for console input: asleep reading it ("ttyin"), or in
   * select or poll (which may be waiting for it).
   */
  get readers(): number {
    const q = this.k.sleepq;
    return q.sleepers(this.k.console.rchan).length + q.sleepers(this.k.selwait).length;
  }
}

/** What an exception says, whatever was thrown. */
function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** checkImage, with the API's error type. */
function checkProgramImage(img: unknown): void {
  try { checkImage(img as ProgramImage); } catch (e) { throw new ForklabError(describe(e)); }
}

export { SACTIVE, RLIM_INFINITY, sysent };
