// The kernel: global state (nprocs, allproc, the clock, the virtual CPUs), boot (proc0
// and init, as init_main.c creates them), the dispatcher that runs LWPs in user mode and
// in the kernel, and the helpers every kernel file uses (copyin/copyout through the
// core's page tables, kprintf, KNOTE). The Node API is in api.ts on top of this.
import { Core, STATS, STOP } from "../core/core.js";
import type { Strategy } from "../core/core.js";
import { Clock } from "./clock.js";
import { Rng } from "./rng.js";
import { VirtualCpu, setrunqueue, schedRun, type RunStop } from "./sched.js";
import { SleepQueues, tsleep, tsleep_wake, wakeup } from "./synch.js";
import { EventBus } from "./events.js";
import { ProcTables, clampRandompid } from "./kern_proc.js";
import { PgrpTable } from "./pgrp.js";
import { UidTable, chgproccnt, plimit_init0, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_NOFILE, type RlimitTunables } from "./resource.js";
import { Vfs } from "./vfs.js";
import { Proc, Lwp, Thread, type KGen, type KRest } from "./proc.js";
import { List } from "./queue.js";
import { IntMap } from "./intmap.js";
import { Ucred } from "./ucred.js";
import { Sigacts, CURSIG, trapsignal } from "./signal.js";
import { itimer_charge, itimer_cycles_left } from "./kern_time.js";
import { fdinit_bootstrap, kern_open, kern_dup2, O_RDWR } from "./filedesc.js";
import { Tty } from "./tty.js";
import { VCHR } from "./vfs.js";
import { vmspace_alloc, vm_page_count_severe, vm_waitpfault } from "./vm.js";
import { vm_fault, vm_fault_range } from "./vm_map.js";
import { fork1, start_forked_proc, type ForklistFn, type ProcOut } from "./fork.js";
import { kern_wait, type WaitResult } from "./wait.js";
import { syscall2, syscall_start, syscall_return } from "./syscall.js";
import { userret } from "./trap.js";
import { resolveTunables, type KernelOptions, type Tunables } from "./tunables.js";
import {
  RFFDG, RFPROC, SACTIVE, SSTOP, P_SYSTEM, WAIT_ANY, TDPRI_USER_NORM, SIGSEGV, SIGBUS, SIGILL, SIGTRAP,
  SIGFPE, DFLDSIZ, MAXDSIZ, DFLSSIZ, MAXSSIZ,
} from "./param.js";
import { ECHILD, EFAULT, EINVAL, ENOMEM } from "./errno.js";
import { TF_ERR, TF_XFLAGS } from "../../assembly/i386.js";
import { KernelPanic } from "./panic.js";
import type { ProgramImage } from "./image.js";
import { elfImageLoader } from "./imgact_elf.js";
import { checkInvariants, sealCore } from "./invariants.js";
import type { Vnode } from "./vfs.js";
import type { FaultResult } from "./vm_map.js";

/** The most one core copyin/copyout moves (its I/O buffer). */
const IO_CHUNK = 65536;

/** The tick the machine is at when the constructor returns: boot is over. */
export const BOOT_TICKS = 1;

// Trap numbers (trap.h) and the code a divide error's SIGFPE carries (FPE_INTDIV).
const T_PRIVINFLT = 1, T_BPTFLT = 3, T_PROTFLT = 9, T_PAGEFLT = 12, FPE_INTDIV = 2;

/** uap->sysmsg_fds: the two result words of a syscall (tf_eax, tf_edx on return). */
export interface SysMsg { fds: [number, number] }

export class Kernel {
  readonly core: Core;
  /** The core's I/O buffer (its linear address is fixed): where copyinArgWords copies to. */
  private readonly iobuf: number;
  readonly tun: Tunables;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly cpus: VirtualCpu[];
  readonly events: EventBus;
  readonly sleepq = new SleepQueues();
  readonly procs = new ProcTables();
  readonly pgrps = new PgrpTable();
  readonly uids = new UidTable();
  readonly vfs = new Vfs();
  /** nprocs: process 0 counts. */
  nprocs = 1;
  /**
   * Whether any process has ever stopped: until one has, no exit can orphan a group with
   * a stopped member, and exit skips fixjobc's walk of the groups (O(members) each).
   */
  stopsSeen = false;
  proc0!: Proc;
  initproc!: Proc;
  /** Wait channels the kernel sleeps on (their addresses in the C kernel). */
  readonly forksleep = { name: "forksleep" };
  readonly vmPagesNeeded = { name: "vm_pages_needed" };
  /** fork_list: the at_fork callouts. */
  readonly fork_list: ForklistFn[] = [];
  /** fork1's static lastfail/curfail for ppsratecheck. */
  readonly forkRate = { lasttime: 0, curpps: 0 };
  /** usched_mastermask: all CPUs. */
  usched_mastermask = -1;
  /** Every LWP by its core thread handle. */
  readonly lwps = new IntMap<Lwp>();
  /** kprintf output, in order. */
  readonly log: string[] = [];
  /** The console (/dev/console): init's descriptors 0, 1, 2. */
  readonly console: Tty = new Tty(this);
  /** The channel select and poll sleep on (selwait); selwakeup wakes them all. */
  readonly selwait = { name: "select" };
  /** Pipe ends made so far (their st_ino), and how many have a big buffer (nbigpipe). */
  pipeIno = 0;
  bigpipes = 0;
  /** kern.hostname (sysctl). */
  hostname = "";
  /** kern.maxfilesperproc: maxfiles (2 * maxproc) * 9 / 10. */
  get maxfilesperproc(): number { return Math.floor(this.tun.maxproc * 2 * 9 / 10); }
  /** What setrlimit caps limits with. */
  rlimitTunables(): RlimitTunables {
    return {
      maxdsiz: 512 * 1024 * 1024, maxssiz: 64 * 1024 * 1024, maxfilesperproc: this.maxfilesperproc,
      maxprocperuid: Math.floor(this.tun.maxproc * 9 / 10), maxposixlocksperuid: this.tun.maxproc * 2,
    };
  }
  /** True while run() is dispatching: kernel work is charged to the CPU running it. */
  running = false;
  /**
   * The LWP whose kernel path is running (curthread's lwp), null outside one: lwpsignal
   * prefers it for a signal to its own process.
   */
  curlwp: Lwp | null = null;
  /** Cycles the dispatched LWP has used of its slice when its kernel path started (nanouptime). */
  sliceUsed = 0;
  /** The last nanouptime given out: the clock never goes back. */
  lastUptimeNs = 0;
  /** panicstr: set once the kernel has panicked; the machine runs no more. */
  panicked: string | null = null;
  private readonly nthreadsChans = new WeakMap<Proc, object>();

  constructor(opts: KernelOptions = {}) {
    this.tun = resolveTunables(opts);
    // The option sets kern.randompid as the sysctl does: with its clamping.
    this.tun.randompid = clampRandompid(this.tun.randompid);
    this.core = Core.create({ physBytes: this.tun.physBytes });
    this.iobuf = this.core.x.core_iobuf() >>> 0;
    sealCore(this.core); // what no guest may change, hashed before any runs
    this.clock = new Clock(this.tun.hz);
    this.rng = new Rng(this.tun.seed);
    this.events = new EventBus({ clock: () => this.clock.ticks, trace: this.tun.trace });
    this.cpus = Array.from({ length: this.tun.ncpus }, (_, i) => new VirtualCpu(i));
    for (const c of this.cpus) c.budget = this.tun.cyclesPerTick;
    this.boot();
    // Boot happens at tick 0; nothing else does. A real system's user processes start many
    // ticks after boot, and fork1's ppsratecheck reads a window stamped at tick 0 as
    // "never" (a quirk kept in ratecheck.ts), so a machine whose processes ran at tick 0
    // would print every refusal of its first tick.
    this.clock.advanceTo(BOOT_TICKS);
    if (this.tun.checkInvariants) checkInvariants(this);
  }

  get strategy(): Strategy { return this.tun.strategy; }

  // ---- boot: proc0 and init (init_main.c) ----

  private boot(): void {
    const p0 = new Proc(new List<Proc>());
    this.proc0 = p0;
    p0.p_pid = 0;
    p0.p_comm = "swapper";
    p0.p_stat = SACTIVE;
    p0.p_flag = P_SYSTEM;
    const ui0 = this.uids.uifind(0);
    p0.p_ucred = new Ucred(0, 0, 0, 0, 0, ui0, this.uids.uihold(ui0));
    chgproccnt(p0.p_ucred.cr_ruidinfo, 1, 0);
    p0.p_sigacts = Sigacts.initial();
    p0.p_limit = plimit_init0(this.tun.maxproc, { maxfiles: 2 * this.tun.maxproc }); // init_main: maxfiles
    // init_main: the data and stack limits from dfldsiz/maxdsiz and dflssiz/maxssiz (vmparam.h).
    p0.p_limit.pl_rlimit[RLIMIT_DATA] = { rlim_cur: DFLDSIZ, rlim_max: MAXDSIZ };
    p0.p_limit.pl_rlimit[RLIMIT_STACK] = { rlim_cur: DFLSSIZ, rlim_max: MAXSSIZ };
    fdinit_bootstrap(p0, this.vfs.root);
    const vm0 = vmspace_alloc(this);
    if (!vm0) throw new KernelPanic("no memory for proc0's vmspace");
    vm0.vm_ssize = 1; // init_main.c
    p0.p_vmspace = vm0;
    p0.p_listNode = this.procs.allproc.insertHead(p0);
    this.procs.pidhash.set(0, p0);
    this.pgrps.enterpgrp(p0, 0, true);
    p0.p_lwp_tree = this.core.lwpTreeAlloc();
    const lp0 = new Lwp(p0);
    const td0 = this.core.threadAlloc();
    if (td0 < 0) throw new KernelPanic("no memory for thread0's stack");
    lp0.lwp_thread = new Thread(td0);
    lp0.lwp_thread.td_lwp = lp0;
    lp0.lwp_thread.td_proc = p0;
    lp0.lwp_vmspace = vm0;
    lp0.lwp_tid = 0;
    this.core.lwpInsert(p0.p_lwp_tree, td0, 0);
    p0.p_lasttid = 0;
    p0.p_nthreads = 1;
    lp0.mode = "kernel"; // the swapper: never scheduled
    this.lwps.set(td0, lp0);

    // create_init: fork1(lwp0, RFFDG | RFPROC) — counted as a kthread fork (p1 == &proc0).
    // Tunables that would make it sleep (the maxproc back-off, vm_wait) cannot boot: say so.
    if (this.nprocs >= this.tun.maxproc) throw new RangeError(`maxproc must be at least 2 (proc0 and init), got ${this.tun.maxproc}`);
    if (vm_page_count_severe(this)) {
      throw new RangeError(`vmSevereFrames ${this.tun.vmSevereFrames} leaves no memory to boot: ${this.core.framesFree()} frames are free when init is forked`);
    }
    const out: ProcOut = { p2: null };
    const err = this.drive(fork1(this, lp0, RFFDG | RFPROC, out));
    if (err) throw new KernelPanic(`fork of init failed: errno ${err}`);
    const init = out.p2!;
    this.initproc = init;
    init.p_flag |= P_SYSTEM;
    init.p_comm = "init";
    const lp1 = this.ONLY_LWP_IN_PROC(init);
    lp1.lwp_thread.td_comm = "init";
    this.drive(start_forked_proc(this, lp0, init));
    this.pgrps.enterpgrp(init, init.p_pid, true); // init's setsid()
    this.openConsole(init);
    // init's main loop: reap whatever is given to it. It runs in the kernel (forklab has
    // no /sbin/init binary), so it never takes the fork_return path.
    this.core.cpuSwitchin(lp1.td);
    lp1.mode = "kernel";
    lp1.kgen = this.initMain(lp1);
  }

  /**
   * init's setctty("/dev/console") and login_tty (reference §10.3): the console device is
   * made, opened read/write and put on descriptors 0, 1 and 2, which every process forked
   * from init inherits.
   */
  private openConsole(init: Proc): void {
    const dev = this.vfs.mkdir("/dev");
    if (typeof dev === "number") throw new KernelPanic(`cannot make /dev: errno ${-dev}`);
    const vp = this.vfs.enter(dev, "console", VCHR, 0o600);
    vp.v_rdev = this.console;
    const nofile = { rlim_cur: init.p_limit!.pl_rlimit[RLIMIT_NOFILE].rlim_cur, maxfilesperproc: this.maxfilesperproc };
    const fd = kern_open(init.p_fd!, this.vfs, "/dev/console", O_RDWR, 0, nofile);
    if (fd !== 0) throw new KernelPanic(`console open gave ${fd}`);
    kern_dup2(init.p_fd!, 0, 1, nofile);
    kern_dup2(init.p_fd!, 0, 2, nofile);
  }

  private *initMain(lp: Lwp): KGen<number> {
    const res: WaitResult = { pid: 0, status: 0 };
    for (;;) {
      // No signal breaks the wait's PCATCH sleep: init's only actions are the defaults,
      // and CURSIG drops those for pid <= 1 (issignal takes no default action on it).
      const err = yield* kern_wait(this, lp, WAIT_ANY, 0, res);
      if (err === ECHILD) yield* tsleep(this, lp, this.initproc, 0, "wait", 0);
      else if (err) throw new KernelPanic(`init's wait failed: errno ${err}`);
    }
  }

  /**
   * Runs a kernel generator that must not sleep (boot-time and API-time work); a KRest of
   * null is nothing to run.
   */
  drive<T>(g: KGen<T>): T;
  drive(g: KRest): void;
  drive<T>(g: KGen<T> | null): T | void {
    if (g === null) return;
    const r = g.next();
    if (!r.done) throw new KernelPanic("a path that must not sleep went to sleep");
    return r.value;
  }

  // ---- the dispatcher ----

  /**
   * Runs lp on cpu for at most `slice` cycles; returns the cycles used. A new LWP is
   * switched in (fork_return), an LWP in the kernel resumes its syscall, an LWP in user
   * mode runs its program until it traps, sleeps or the slice ends. Each slice is a kernel
   * step: with checkInvariants, the invariants are checked after it.
   */
  dispatch(lp: Lwp, cpu: VirtualCpu, slice: number): number {
    const used = this.slice(lp, cpu, slice);
    if (this.tun.checkInvariants) checkInvariants(this);
    return used;
  }

  private slice(lp: Lwp, cpu: VirtualCpu, slice: number): number {
    const cost = this.tun.cost, p = lp.lwp_proc, thr = lp.lwp_thread;
    let used = 0;
    if (lp.mode === "new") {
      this.switchin(lp);
      used += cost.switch;
      this.chargeSystem(lp, cost.switch);
    }
    while (used < slice) {
      if (lp.mode === "kernel") {
        this.sliceUsed = used;
        const finished = this.resume(lp);
        this.events.deliver(); // the syscall or trap returned or slept: its events go out
        this.console.deliver();
        const c = this.takeCharge();
        used += c;
        if (c !== 0) this.chargeSystem(lp, c);
        if (!finished) lp.lwp_ru.ru_nvcsw++; // it slept: a voluntary switch
        if (!finished || this.exited(lp)) return used; // asleep, or gone
        if (this.events.failed) break; // a listener threw: the run stops here
        continue;
      }
      if (lp.mode !== "user") return used;
      // A signal to act on, or a stopped process (its LWPs stop on their way to user mode).
      if (CURSIG(this, lp) !== 0 || p.p_stat === SSTOP) { this.enterKernel(lp, userret(this, lp)); continue; }
      if (!lp.lwp_proc.image) return used; // a bare process waits for API calls
      // The core resolves copy-on-write faults itself unless someone listens to faults
      // (each must be seen); the accounting userFault would have done is made up here.
      // (The raw exports, as core.runCode would call them: the dispatcher's td and pmap
      // are live, and cpu_run checks them again itself.)
      const resolveCow = !this.events.wants("fault");
      const td = lp.td, pm = p.p_vmspace!.vm_pmap, x = this.core.x;
      // A CPU-time itimer's expiry ends the run, so its signal comes at the right cycle.
      const budget = p.p_itimers === null ? slice - used : Math.min(slice - used, itimer_cycles_left(this, p));
      const stop = resolveCow ? x.cpu_run_cow(td, pm, budget) : x.cpu_run(td, pm, budget);
      if (stop < STOP.syscall || stop > STOP.trap) throw new KernelPanic(`cpu_run failed: ${stop}`);
      const retired = this.core.runRetired();
      used += retired;
      thr.td_ucycles += retired;
      if (p.p_itimers !== null) itimer_charge(this, p, retired, true);
      if (resolveCow) {
        const n = this.core.runCowFaults();
        if (n !== 0) {
          cpu.gd_cnt.v_trap += n;
          const gd = this.cpus[lp.cpu].gd_cnt;
          gd.v_cow_faults += n;
          gd.v_cow_optim += this.core.runCowKept();
          lp.lwp_ru.ru_minflt += n;
        }
      }
      switch (stop) {
        case STOP.budget:
          break;
        case STOP.syscall:
          used += cost.syscall;
          this.chargeSystem(lp, cost.syscall);
          this.sliceUsed = used;
          syscall2(this, lp);
          break;
        case STOP.fault: {
          cpu.gd_cnt.v_trap++;
          const faultErr = this.core.faultErr(), faultVa = this.core.faultVa();
          const outcome = this.userFault(lp, faultVa, faultErr);
          this.events.deliver();
          switch (outcome) {
            case "resolved": lp.lwp_ru.ru_minflt++; break;
            case "nomem": this.enterKernel(lp, vm_waitpfault(this, lp)); break;
            case "bus":
            case "segv": {
              // trap_pfault: KERN_PROTECTION_FAILURE is SIGBUS, an address no entry maps
              // SIGSEGV; the fault address goes in tf_err, the error code in tf_xflags.
              const tf = this.core.tfAddr(td);
              this.core.setWord(tf + TF_ERR, faultVa | 0);
              this.core.setWord(tf + TF_XFLAGS, faultErr | 0);
              used += this.trapSignal(lp, outcome === "bus" ? SIGBUS : SIGSEGV, T_PAGEFLT);
            }
          }
          break;
        }
        case STOP.illegal: // #UD and int n: T_PRIVINFLT
          used += this.trapSignal(lp, SIGILL, T_PRIVINFLT);
          break;
        case STOP.halt: // hlt at CPL 3 is a protection fault: T_PROTFLT gives SIGBUS
          used += this.trapSignal(lp, SIGBUS, T_PROTFLT);
          break;
        case STOP.divide:
          used += this.trapSignal(lp, SIGFPE, FPE_INTDIV);
          break;
        case STOP.trap: // int3: T_BPTFLT gives SIGTRAP
          used += this.trapSignal(lp, SIGTRAP, T_BPTFLT);
          break;
      }
    }
    if (lp.mode === "user" || lp.mode === "kernel") {
      if (used >= slice) lp.lwp_ru.ru_nivcsw++; // the slice ran out: an involuntary switch
      setrunqueue(this, lp);
    }
    return used;
  }

  /**
   * trap(): a user trap that raises a signal (trapsignal: delivered at once if caught, else
   * posted, and then taken at userret). It costs a syscall entry's cycles, so a trap that
   * repeats forever (a masked SIGSEGV refaults) still uses up the slice. Returns the cost.
   */
  private trapSignal(lp: Lwp, sig: number, code: number): number {
    const rest = trapsignal(this, lp, sig, code);
    if (rest) this.enterKernel(lp, rest);
    const c = this.tun.cost.syscall;
    this.chargeSystem(lp, c);
    return c;
  }

  /** Kernel cycles spent for lp: its system time, and ITIMER_PROF runs down. */
  private chargeSystem(lp: Lwp, cycles: number): void {
    lp.lwp_thread.td_scycles += cycles;
    const p = lp.lwp_proc;
    if (p.p_itimers !== null) itimer_charge(this, p, cycles, false);
  }

  /**
   * trap_pfault for a user fault: copy-on-write first (the common case, counted in
   * vmmeter), else vm_fault over the map (vm_map.ts): stack growth, a page made on first
   * touch, or the signal. "nomem" when the page could not be had: the LWP waits for memory
   * and retries, as vm_fault does.
   */
  private userFault(lp: Lwp, va: number, err: number): FaultResult {
    const vm = lp.lwp_proc.p_vmspace!, x = this.core.x, gd = this.cpus[lp.cpu].gd_cnt;
    const optim = x.core_stat(STATS.cowOptim);
    const r = this.core.fault(vm.vm_pmap, va, err);
    let outcome: FaultResult;
    if (r === 0) {
      gd.v_cow_faults++;
      if (x.core_stat(STATS.cowOptim) !== optim) gd.v_cow_optim++;
      outcome = "resolved";
    } else {
      outcome = r === -ENOMEM ? "nomem" : vm_fault(this, lp.lwp_proc, va, (err & 2) !== 0);
    }
    if (this.events.wants("fault")) this.events.emit({ type: "fault", pid: lp.lwp_proc.p_pid, va, err, resolved: outcome === "resolved" });
    return outcome;
  }

  /** The first switch-in of a forked LWP: the core runs the handler cpu_fork installed. */
  switchin(lp: Lwp): void {
    // The raw export checks the handle itself (0 for a bad one): the wrapper's check is
    // made only when it fails. (It also gives 0 for a live thread whose kernel stack lies
    // above 2 GiB of physical memory, a core bug: that case goes on as it always has.)
    if (this.core.x.cpu_switchin(lp.td) === 0 && !this.core.threadValid(lp.td)) {
      throw new KernelPanic(`cpu_switchin: ${lp.td} (pid ${lp.lwp_proc.p_pid}) is not a live thread handle`);
    }
    const cpu = this.cpus[lp.cpu];
    cpu.gd_cnt.v_swtch++;
    cpu.lastlwp = lp;
    lp.lwp_thread.td_pri = TDPRI_USER_NORM; // generic_lwp_return
    lp.mode = "user";
  }

  /** Cycles kernel work charged since the last takeCharge (the cost model: fork, exec). */
  private charged = 0;
  /** Charges kernel work to whatever CPU is running it (API calls outside run() are free). */
  charge(cycles: number): void { if (this.running) this.charged += cycles; }
  takeCharge(): number { const c = this.charged; this.charged = 0; return c; }

  /** Whether lp has ended (a check that reads lp.mode afresh after a kernel path ran). */
  exited(lp: Lwp): boolean { return lp.mode === "exited"; }

  /** Starts a kernel path on lp (a trap's consequences) and marks it in the kernel. */
  enterKernel(lp: Lwp, g: KGen<unknown>): void {
    lp.mode = "kernel";
    lp.kgen = g;
  }

  /**
   * Resumes lp's kernel path; true when it finished (lp is back in user mode or gone). In
   * a syscall (lp.sys) the path is its handler, started here at the first resume and
   * followed by the syscall's return (syscall.ts), which may leave userret's path to run.
   */
  resume(lp: Lwp): boolean {
    const prev = this.curlwp;
    this.curlwp = lp;
    if (lp.kgen === null && lp.sys !== null) syscall_start(this, lp);
    while (lp.kgen !== null) {
      const r = lp.kgen.next(tsleep_wake(this, lp));
      if (!r.done) { this.curlwp = prev; return false; }
      lp.kgen = null;
      if (lp.sys !== null) syscall_return(this, lp, r.value as number);
    }
    if (lp.mode === "kernel") lp.mode = "user";
    this.curlwp = prev;
    return true;
  }

  /** Runs the machine (see api.ts for the public form). */
  runUntil(untilTick: number, until?: () => boolean): RunStop {
    if (this.running) throw new KernelPanic("runUntil re-entered");
    this.running = true;
    try {
      return schedRun(this, { untilTick, until });
    } finally {
      this.running = false;
    }
  }

  /**
   * panic(): something a kernel path did not expect. The machine stops where it is (the
   * API refuses to run it further) and the message is kept, printed and reported.
   */
  panic(message: string): void {
    if (this.panicked !== null) return;
    this.panicked = message;
    this.kprintf(`panic: ${message}\n`);
    if (this.events.wants("panic")) this.events.emit({ type: "panic", message });
  }

  // ---- helpers the kernel files use ----

  kprintf(text: string): void {
    this.log.push(text);
    if (this.events.wants("kprintf")) this.events.emit({ type: "kprintf", text });
  }

  /** KNOTE(&p->p_klist, hint): everyone listening on p hears the hint. */
  KNOTE(p: Proc, hint: number): void {
    for (const fn of p.p_klist) fn(hint >>> 0);
  }

  /** The ident for &p->p_nthreads. */
  nthreadsChan(p: Proc): object {
    let c = this.nthreadsChans.get(p);
    if (!c) this.nthreadsChans.set(p, (c = { p_nthreads: p }));
    return c;
  }

  /** wakeup(&vm_pages_needed): frames were freed. */
  wakeupMemory(): void { wakeup(this, this.vmPagesNeeded); }

  /** The LWPs of p in tid order (its RB tree). */
  lwpsOf(p: Proc): Lwp[] {
    const x = this.core.x, out: Lwp[] = [];
    for (let td = x.lwp_first(p.p_lwp_tree); td > 0; td = x.lwp_next(td)) out.push(this.lwps.get(td)!);
    return out;
  }

  /** p's LWPs in tid order without a list: for (let t = k.firstLwp(p); t !== null; t = k.nextLwp(t)). */
  firstLwp(p: Proc): Lwp | null {
    const td = this.core.x.lwp_first(p.p_lwp_tree);
    return td > 0 ? this.lwps.get(td)! : null;
  }
  nextLwp(lp: Lwp): Lwp | null {
    const td = this.core.x.lwp_next(lp.td);
    return td > 0 ? this.lwps.get(td)! : null;
  }

  /** ONLY_LWP_IN_PROC: panics unless p has exactly one LWP. */
  ONLY_LWP_IN_PROC(p: Proc): Lwp {
    if (p.p_nthreads !== 1) throw new KernelPanic(`ONLY_LWP_IN_PROC: pid ${p.p_pid} has ${p.p_nthreads} LWPs`);
    return this.lwps.get(this.core.x.lwp_first(p.p_lwp_tree))!;
  }

  // copyin/copyout through p's page tables, with the user's rights. Errors are positive
  // errno values. A copy that finds a page missing faults the range in and tries again, as
  // trap_pfault does for a kernel-mode fault on a user address (grow_stack, vm_fault): so
  // a copyout to a stack page never touched, or to mmap'd memory, succeeds.
  // A range that runs past 4 GiB (uva + len, as a kernel path computes it) is EFAULT, as
  // the i386 copyin's overflow check makes it; more than the core's I/O buffer is copied
  // in pieces.
  copyin(p: Proc, uva: number, len: number): Uint8Array | null {
    if (uva + len > 0x100000000) return null;
    if (len > IO_CHUNK) {
      const out = new Uint8Array(len);
      for (let off = 0; off < len; off += IO_CHUNK) {
        const b = this.copyin(p, uva + off, Math.min(IO_CHUNK, len - off));
        if (!b) return null;
        out.set(b, off);
      }
      return out;
    }
    const pm = p.p_vmspace!.vm_pmap;
    const r = this.core.copyin(pm, uva >>> 0, len);
    if (r !== null || !vm_fault_range(this, p, uva >>> 0, len, false)) return r;
    return this.core.copyin(pm, uva >>> 0, len);
  }
  copyout(p: Proc, uva: number, bytes: Uint8Array): number {
    if (uva + bytes.length > 0x100000000) return EFAULT;
    if (bytes.length > IO_CHUNK) {
      for (let off = 0; off < bytes.length; off += IO_CHUNK) {
        if (this.copyout(p, uva + off, bytes.subarray(off, off + IO_CHUNK))) return EFAULT;
      }
      return 0;
    }
    const pm = p.p_vmspace!.vm_pmap;
    if (this.core.copyout(pm, uva >>> 0, bytes) === 0) return 0;
    if (!vm_fault_range(this, p, uva >>> 0, bytes.length, true)) return EFAULT;
    return this.core.copyout(pm, uva >>> 0, bytes) === 0 ? 0 : EFAULT;
  }
  // The word copies and the syscall argument copies are made on every syscall: they call
  // the core's raw exports, which check the pmap handle themselves (-EINVAL for a dead
  // one, a kernel bug: copied), so no check is made twice.
  copyinWord(p: Proc, uva: number): number | null {
    const pm = p.p_vmspace!.vm_pmap;
    const r = this.readWord(pm, uva);
    if (r !== null || !vm_fault_range(this, p, uva >>> 0, 4, false)) return r;
    return this.readWord(pm, uva);
  }
  copyoutWord(p: Proc, uva: number, v: number): number {
    const pm = p.p_vmspace!.vm_pmap, x = this.core.x;
    if (this.copied(x.copyout_word(pm, uva | 0, v | 0))) return 0;
    if (!vm_fault_range(this, p, uva >>> 0, 4, true)) return EFAULT;
    return this.copied(x.copyout_word(pm, uva | 0, v | 0)) ? 0 : EFAULT;
  }
  private readWord(pm: number, uva: number): number | null {
    const x = this.core.x, v = x.copyin_word(pm, uva | 0);
    return this.copied(-x.core_last_error()) ? v >>> 0 : null;
  }
  /** A raw copy's result: true for 0, false for -EFAULT; -EINVAL (a dead pmap) is a panic. */
  private copied(r: number): boolean {
    if (r === -EINVAL) throw new KernelPanic("copyin/copyout through a pmap that is not live");
    return r === 0;
  }
  /** The syscall's argument words from the user stack; null on EFAULT. */
  copyinArgs(p: Proc, uva: number, n: number): number[] | null {
    const pm = p.p_vmspace!.vm_pmap;
    const r = this.core.copyinWords(pm, uva >>> 0, n);
    if (r !== null || !vm_fault_range(this, p, uva >>> 0, 4 * n, false)) return r;
    return this.core.copyinWords(pm, uva >>> 0, n);
  }
  /** syscall2's copyin of the argument words into `out` (unsigned, nothing allocated); false on EFAULT. */
  copyinArgWords(p: Proc, uva: number, n: number, out: number[]): boolean {
    if (n === 0) return true;
    const pm = p.p_vmspace!.vm_pmap, x = this.core.x, io = this.iobuf;
    if (!this.copied(x.copyin(pm, uva | 0, io | 0, 4 * n))
      && (!vm_fault_range(this, p, uva >>> 0, 4 * n, false) || !this.copied(x.copyin(pm, uva | 0, io | 0, 4 * n)))) return false;
    for (let i = 0; i < n; i++) out[i] = this.core.word(io + 4 * i) >>> 0;
    return true;
  }
  /**
   * The API's copyout of a syscall's argument words (API-checked integers of 32 bits) to
   * the user stack at uva; 0 or EFAULT. p is the live process whose LWP the API runs.
   */
  copyoutArgWords(p: Proc, uva: number, words: readonly number[]): number {
    const pm = p.p_vmspace!.vm_pmap, x = this.core.x, io = this.iobuf, n = words.length;
    if (uva + 4 * n > 0x100000000) return EFAULT;
    for (let i = 0; i < n; i++) this.core.setWord(io + 4 * i, words[i] | 0);
    if (this.copied(x.copyout(pm, io | 0, uva | 0, 4 * n))) return 0;
    if (!vm_fault_range(this, p, uva >>> 0, 4 * n, true)) return EFAULT;
    return this.copied(x.copyout(pm, io | 0, uva | 0, 4 * n)) ? 0 : EFAULT;
  }
  /** A NUL-terminated user string: null on EFAULT, undefined when longer than max. */
  copyinstr(p: Proc, uva: number, max: number): string | null | undefined {
    const bytes: number[] = [];
    for (let i = 0; i < max; i++) {
      const w = this.copyinWord(p, (uva + i) >>> 0);
      if (w === null) {
        // The last bytes before an unmapped page: read them one at a time.
        const b = this.copyin(p, (uva + i) >>> 0, 1);
        if (!b) return null;
        if (b[0] === 0) return new TextDecoder().decode(new Uint8Array(bytes));
        bytes.push(b[0]);
        continue;
      }
      const b0 = w & 0xff;
      if (b0 === 0) return new TextDecoder().decode(new Uint8Array(bytes));
      bytes.push(b0);
    }
    return undefined;
  }

  /** The program image behind a vnode (registered, or parsed by the loader); an errno if none. */
  imageOf(vp: Vnode): { image: ProgramImage; vnode: Vnode } | number {
    const img = this.images.get(vp);
    if (img) return { image: img, vnode: vp };
    const r = this.imageLoader(vp);
    return typeof r === "number" ? r : { image: r, vnode: vp };
  }
  /** Images registered for vnodes (registerProgram). */
  readonly images = new WeakMap<Vnode, ProgramImage>();
  /** The image activator: a file's bytes to an image, or an errno (ELF by default). */
  imageLoader: (vp: Vnode) => ProgramImage | number = elfImageLoader;
}
