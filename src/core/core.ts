// The TypeScript face of the core: typed wrappers over the exports, argument checks
// that throw a clear error before the core is touched (so a bad call changes nothing),
// and views of physical memory that follow memory growth.
import * as i386 from "../../assembly/i386.js";
import type { CoreExports } from "./exports.js";
import type { Backend } from "./backend.js";
import { loadWasm, loadPortable } from "./load.js";

export class CoreError extends Error {
  override name = "CoreError";
}

/**
 * How pmap_fork gives the child the parent's pages: copy (eager copies, as the 2008
 * kernel with COW off), cow (shared pages, write-protected: DragonFly's), share-pt
 * (shared page tables, forklab's research strategy after On-demand-fork; docs/core.md).
 */
export type Strategy = "copy" | "cow" | "share-pt";
export const STRATEGIES: readonly Strategy[] = ["copy", "cow", "share-pt"];
const STRATEGY_CODE: Record<Strategy, number> = { copy: 0, cow: 1, "share-pt": 2 };

/** Why a translation failed: the #PF error code a CPU would push. */
export interface PageFault { fault: true; err: number }
export type Translation = { fault: false; pa: number } | PageFault;

/** Why a run of user mode stopped (cpu_run's result 1..7; docs/x86.md). */
export type StopReason = "syscall" | "fault" | "budget" | "halt" | "illegal" | "divide" | "trap";
export const STOP_REASONS: readonly StopReason[] = ["syscall", "fault", "budget", "halt", "illegal", "divide", "trap"];
/** cpu_run's stop codes (STOP_REASONS[code - 1]), as runCode returns them. */
export const STOP = { syscall: 1, fault: 2, budget: 3, halt: 4, illegal: 5, divide: 6, trap: 7 } as const;
/** One run of user mode: why it stopped, the instructions retired, and for "fault" cr2 and the error code. */
export interface RunResult { stop: StopReason; retired: number; faultVa?: number; faultErr?: number }

export interface CoreOptions {
  /** Simulated physical memory in bytes, a multiple of 4096 from 1 MiB to 3 GiB. Default 64 MiB. */
  physBytes?: number;
  /** Kernel thread (stack) slots; default one per frame, at most 786432. */
  maxThreads?: number;
}

/** Statistics the core counts (core_stat indices). */
export const STATS = {
  cowFaults: 0, cowOptim: 1, pagesCopied: 2, ptsCopied: 3, pmapForks: 4, framesPeak: 5,
  ptsShared: 6, ptsUnshared: 7, ptsKept: 8,
} as const;
export type StatName = keyof typeof STATS;

/** Where the core keeps its tables (linear addresses) and how many slots it has used. */
export interface CoreTables {
  refcounts: number; freestack: number; pmapSlots: number; threadSlots: number;
  headTable: number; headSlots: number; kernelPts: number; physBase: number; kernelPdir: number;
  /** The thread table (linear), frames ever used (pfns below), pfns on the free stack. */
  threadTable: number; frameHwm: number; freeTop: number;
}

export const FAULT_FLAG = 0xFFFFFFF8;
const MAX_USER = i386.VM_MAX_USER_ADDRESS >>> 0;

function u32(x: number): number { return x >>> 0; }

function checkInt(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new CoreError(`${name} must be an integer from ${min} to ${max}, got ${v}`);
  }
}

function checkUserPage(name: string, va: number): void {
  checkInt(name, va, 0, 0xFFFFFFFF);
  if (va % 4096 !== 0) throw new CoreError(`${name} 0x${va.toString(16)} is not page aligned`);
  if (va >= MAX_USER) throw new CoreError(`${name} 0x${va.toString(16)} is not a user address (user space ends at 0xbfc00000)`);
}

function checkRange(sva: number, eva: number): void {
  checkUserPage("start address", sva);
  checkInt("end address", eva, 0, MAX_USER);
  if (eva % 4096 !== 0) throw new CoreError(`end address 0x${eva.toString(16)} is not page aligned`);
  if (eva < sva) throw new CoreError(`end address 0x${eva.toString(16)} is below start address 0x${sva.toString(16)}`);
}

export class Core {
  readonly x: CoreExports;
  readonly backend: Backend["name"];
  private readonly be: Backend;
  private buf: ArrayBuffer | undefined;
  private u8view = new Uint8Array(0);
  private dv = new DataView(new ArrayBuffer(0));
  /** Frames free right after creation (the kernel's own tables hold the rest). */
  readonly bootFreeFrames: number;

  private constructor(be: Backend, opts: CoreOptions) {
    const physBytes = opts.physBytes ?? 64 * 1024 * 1024;
    checkInt("physBytes", physBytes, 1 << 20, 3 * 1024 * 1024 * 1024);
    if (physBytes % 4096 !== 0) throw new CoreError(`physBytes ${physBytes} is not a multiple of 4096`);
    const maxThreads = opts.maxThreads ?? 0;
    checkInt("maxThreads", maxThreads, 0, 0xC0000);
    this.be = be;
    this.x = be.exports;
    this.backend = be.name;
    const r = this.x.core_init(physBytes | 0, maxThreads);
    if (r < 0) throw new CoreError(`core_init failed: errno ${-r} (physical memory of ${physBytes} bytes does not fit?)`);
    this.ctl = r;
    this.bootFreeFrames = this.x.frames_free();
    this.runArea = u32(this.x.cpu_run_area());
    this.iobuf = u32(this.x.core_iobuf());
    this.iobufBytes = u32(this.x.core_iobuf_bytes());
  }
  readonly ctl: number;
  /** Linear addresses of the interpreter's run area (docs/x86.md) and the I/O buffer. */
  private readonly runArea: number;
  private readonly iobuf: number;
  private readonly iobufBytes: number;
  /** The most bytes one copyin or copyout moves (the core's I/O buffer). */
  get ioMax(): number { return this.iobufBytes; }

  /** A core on the Wasm release build (one instance each). */
  static create(opts: CoreOptions = {}): Core { return new Core(loadWasm(), opts); }
  /** A core on the portable JavaScript build of the same sources (one per process). */
  static async createPortable(opts: CoreOptions = {}): Promise<Core> { return new Core(await loadPortable(), opts); }

  // ---- memory views ----
  private views(): void {
    const b = this.be.buffer();
    if (b !== this.buf || this.u8view.byteLength !== b.byteLength) {
      this.buf = b;
      this.u8view = new Uint8Array(b);
      this.dv = new DataView(b);
    }
  }
  /** All of linear memory (re-created after growth). */
  linear(): Uint8Array { this.views(); return this.u8view; }

  private w32 = new Int32Array(0);
  /**
   * Linear memory as 32-bit words, for the reads and writes the kernel makes on every
   * syscall and run, where a call into the core per word would cost more than the word.
   * Re-made after memory grew: a Wasm memory then detaches the old buffer (length 0
   * here); the portable build replaces its buffer.
   */
  private words(): Int32Array {
    let w = this.w32;
    if (w.length === 0 || (this.backend === "portable" && w.buffer !== this.be.buffer())) {
      w = this.w32 = new Int32Array(this.be.buffer());
    }
    return w;
  }
  /** The 32-bit word at linear address `lin` (4-aligned; a trapframe field: see tfAddr). */
  word(lin: number): number { return this.words()[lin >>> 2]; }
  setWord(lin: number, v: number): void { this.words()[lin >>> 2] = v; }
  /** Simulated physical memory: index = physical address. Re-fetch after anything that may grow memory. */
  phys(): Uint8Array {
    this.views();
    const base = u32(this.x.core_phys_base());
    // Physical memory the core has not grown into yet (no frame there was ever used) is left out.
    const n = Math.min(u32(this.x.core_phys_bytes()), this.u8view.byteLength - base);
    return new Uint8Array(this.u8view.buffer, base, n);
  }
  physBytes(): number { return u32(this.x.core_phys_bytes()); }
  /** Reads a 32-bit little-endian word of physical memory. */
  physWord(pa: number): number {
    checkInt("physical address", pa, 0, this.physBytes() - 4);
    this.views();
    return this.dv.getUint32(u32(this.x.core_phys_base()) + pa, true);
  }

  // ---- frames ----
  framesFree(): number { return this.x.frames_free(); }
  framesTotal(): number { return this.x.frames_total(); }
  frameRefcount(pa: number): number {
    this.checkFrame(pa);
    return this.x.frame_refcount(pa | 0);
  }
  /**
   * Fault injection: the n-th frame allocation from now (n >= 1) fails as if memory were
   * exhausted, once; 0 cancels. Returns the countdown it replaced (0: none pending).
   */
  failFrameAfter(n: number): number {
    checkInt("n", n, 0, 0x7FFFFFFF);
    return this.x.frame_fail_after(n);
  }
  /** The frame allocations `fn` asks for (failed ones too), counted with the fault-injection countdown. */
  countFrameAllocs(fn: () => void): number {
    const FAR = 0x7FFFFFFF;
    this.failFrameAfter(FAR);
    let left = FAR;
    try { fn(); } finally { left = this.failFrameAfter(0); }
    return FAR - left;
  }
  /** The core's tables, for an audit (src/kernel/invariants.ts); see core_table in docs/core.md. */
  tables(): CoreTables {
    const t = (i: number) => u32(this.x.core_table(i));
    return {
      refcounts: t(0), freestack: t(1), pmapSlots: t(2), threadSlots: t(3), headTable: t(4),
      headSlots: t(5), kernelPts: t(6), physBase: u32(this.x.core_phys_base()),
      kernelPdir: u32(this.x.core_kernel_pdir()), threadTable: t(7), frameHwm: t(8), freeTop: t(9),
    };
  }
  private checkFrame(pa: number): void {
    checkInt("physical address", pa, 0, this.physBytes() - 1);
    if (pa % 4096 !== 0) throw new CoreError(`physical address 0x${pa.toString(16)} is not page aligned`);
  }
  stat(name: StatName): number { return u32(this.x.core_stat(STATS[name])); }
  stats(): Record<StatName, number> {
    const out = {} as Record<StatName, number>;
    for (const k of Object.keys(STATS) as StatName[]) out[k] = this.stat(k);
    return out;
  }

  // ---- address spaces ----
  private checkPmap(pm: number): void {
    if (!Number.isInteger(pm) || pm <= 0 || this.x.pmap_valid(pm) !== 1) {
      throw new CoreError(`${pm} is not a live address-space handle`);
    }
  }
  /** A new, empty user address space; -12 (ENOMEM) when no frame is left for its directory. */
  pmapCreate(): number { return this.x.pmap_create(); }
  pmapDestroy(pm: number): void { this.checkPmap(pm); this.x.pmap_destroy(pm); }
  pmapValid(pm: number): boolean { return Number.isInteger(pm) && pm > 0 && this.x.pmap_valid(pm) === 1; }
  /** The physical address of the page directory, i.e. the cr3 to load. */
  cr3(pm: number): number { this.checkPmap(pm); return u32(this.x.pmap_cr3(pm)); }
  /** Maps a fresh zeroed page at va with VM_PROT bits (1 read, 2 write, 4 execute); 0 or -ENOMEM. */
  enter(pm: number, va: number, prot: number): number {
    this.checkPmap(pm); checkUserPage("va", va); checkInt("prot", prot, 0, 7);
    return this.x.pmap_enter(pm, va | 0, prot);
  }
  /** Unmaps [sva, eva); 0, or -ENOMEM (nothing unmapped) when a shared page table could not be copied (share-pt). */
  remove(pm: number, sva: number, eva: number): number {
    this.checkPmap(pm); checkRange(sva, eva);
    return this.x.pmap_remove(pm, sva | 0, eva | 0);
  }
  /** pmap_protect with VM_PROT bits; 0, or -ENOMEM (nothing changed) as remove. */
  protect(pm: number, sva: number, eva: number, prot: number): number {
    this.checkPmap(pm); checkRange(sva, eva); checkInt("prot", prot, 0, 7);
    return this.x.pmap_protect(pm, sva | 0, eva | 0, prot);
  }
  /**
   * share-pt: makes pm's own every page table it shares that [sva, eva) touches (with
   * keepWhole, not those the range covers whole, which remove just lets go). 0, or -ENOMEM
   * (the tables done so far stay pm's own; nobody can tell). Nothing to do under copy and cow.
   */
  unshare(pm: number, sva: number, eva: number, keepWhole: boolean): number {
    this.checkPmap(pm); checkRange(sva, eva);
    return this.x.pmap_unshare(pm, sva | 0, eva | 0, keepWhole ? 1 : 0);
  }
  /** Walks the tables as the MMU does for an access (PGEX_W 2 | PGEX_U 4), setting PG_A/PG_M. */
  translate(pm: number, va: number, access: number): Translation {
    this.checkPmap(pm); checkInt("va", va, 0, 0xFFFFFFFF); checkInt("access", access, 0, 7);
    const r = u32(this.x.pmap_translate(pm, va | 0, access & 6));
    return r >= FAULT_FLAG ? { fault: true, err: r & 7 } : { fault: false, pa: r };
  }
  /** Lets the kernel resolve a page fault (copy-on-write); 0, or -EFAULT / -ENOMEM. */
  fault(pm: number, va: number, err: number): number {
    this.checkPmap(pm); checkInt("va", va, 0, 0xFFFFFFFF); checkInt("err", err, 0, 7);
    return this.x.pmap_fault(pm, va | 0, err);
  }
  /** Forks an address space; the child's handle, or -ENOMEM (having freed all it took). */
  fork(pm: number, strategy: Strategy): number {
    this.checkPmap(pm);
    if (!(strategy in STRATEGY_CODE)) throw new CoreError(`unknown fork strategy "${strategy}" (expected ${STRATEGIES.join(", ")})`);
    return this.x.pmap_fork(pm, STRATEGY_CODE[strategy]);
  }
  /**
   * Forks an address space leaving out `skip`, page-aligned [start, end) pairs, ascending
   * and disjoint: nothing there is copied or shared with the child, and the parent's pages
   * there are untouched. The child's handle, or -ENOMEM.
   */
  forkSkip(pm: number, strategy: Strategy, skip: readonly (readonly [number, number])[]): number {
    this.checkPmap(pm);
    if (!(strategy in STRATEGY_CODE)) throw new CoreError(`unknown fork strategy "${strategy}" (expected ${STRATEGIES.join(", ")})`);
    if (skip.length === 0) return this.x.pmap_fork(pm, STRATEGY_CODE[strategy]);
    this.checkLen(8 * skip.length);
    const w = this.words(), i0 = this.iobuf >>> 2;
    let prev = 0;
    skip.forEach(([a, b], i) => {
      checkRange(a, b);
      if (a < prev) throw new CoreError(`skipped range ${i} [0x${a.toString(16)}, 0x${b.toString(16)}) is not above the one before it`);
      prev = b;
      w[i0 + 2 * i] = a | 0; w[i0 + 2 * i + 1] = b | 0;
    });
    return this.x.pmap_fork_skip(pm, STRATEGY_CODE[strategy], this.iobuf | 0, skip.length);
  }
  /** PROT_NONE on [sva, eva): the pages stay, hidden from user accesses until protect() gives them a protection. 0, or -ENOMEM as protect. */
  protectNone(pm: number, sva: number, eva: number): number {
    this.checkPmap(pm); checkRange(sva, eva);
    return this.x.pmap_protect_none(pm, sva | 0, eva | 0);
  }
  /** Maps the existing frame pa at va (taking a reference): a shared page; 0 or -ENOMEM. */
  enterFrame(pm: number, va: number, pa: number, prot: number): number {
    this.checkPmap(pm); checkUserPage("va", va); this.checkFrame(pa); checkInt("prot", prot, 0, 7);
    if (this.x.frame_refcount(pa | 0) === 0) throw new CoreError(`physical address 0x${pa.toString(16)} is a free frame`);
    return this.x.pmap_enter_frame(pm, va | 0, pa | 0, prot);
  }
  pte(pm: number, va: number): number { this.checkPmap(pm); checkInt("va", va, 0, 0xFFFFFFFF); return u32(this.x.pmap_pte(pm, va | 0)); }
  pde(pm: number, va: number): number { this.checkPmap(pm); checkInt("va", va, 0, 0xFFFFFFFF); return u32(this.x.pmap_pde(pm, va | 0)); }
  resident(pm: number): number { this.checkPmap(pm); return this.x.pmap_resident(pm); }
  ptCount(pm: number): number { this.checkPmap(pm); return this.x.pmap_ptcount(pm); }
  /** Every present user page, in address order, with its raw PTE. */
  mappings(pm: number): { va: number; pte: number }[] {
    this.checkPmap(pm);
    const out: { va: number; pte: number }[] = [];
    let va = 0;
    for (;;) {
      const r = this.x.pmap_next(pm, va | 0);
      if (r === -1) break;
      const v = u32(r);
      out.push({ va: v, pte: u32(this.x.pmap_pte(pm, r)) });
      va = v + 4096;
      if (va >= MAX_USER) break;
    }
    return out;
  }

  private checkLen(len: number): void {
    checkInt("length", len, 0, this.iobufBytes);
  }
  /** Reads user memory as the kernel's copyin does; null on EFAULT. */
  copyin(pm: number, uva: number, len: number): Uint8Array | null {
    this.checkPmap(pm); checkInt("user address", uva, 0, 0xFFFFFFFF); this.checkLen(len);
    const buf = u32(this.x.core_iobuf());
    if (this.x.copyin(pm, uva | 0, buf | 0, len) !== 0) return null;
    return this.linear().slice(buf, buf + len);
  }
  /** Writes user memory as copyout does (resolving copy-on-write first); 0 or -EFAULT. */
  copyout(pm: number, uva: number, data: Uint8Array): number {
    this.checkPmap(pm); checkInt("user address", uva, 0, 0xFFFFFFFF); this.checkLen(data.length);
    const buf = u32(this.x.core_iobuf());
    this.linear().set(data, buf);
    return this.x.copyout(pm, buf | 0, uva | 0, data.length);
  }
  /** n 32-bit user words at uva (unsigned), read as copyin reads them; null on EFAULT. */
  copyinWords(pm: number, uva: number, n: number): number[] | null {
    this.checkPmap(pm); checkInt("user address", uva, 0, 0xFFFFFFFF); this.checkLen(4 * n);
    const out = new Array<number>(n);
    if (n === 0) return out;
    if (this.x.copyin(pm, uva | 0, this.iobuf | 0, 4 * n) !== 0) return null;
    const w = this.words(), i0 = this.iobuf >>> 2;
    for (let i = 0; i < n; i++) out[i] = w[i0 + i] >>> 0;
    return out;
  }
  /** A 32-bit user word, or null on EFAULT. */
  readWord(pm: number, uva: number): number | null {
    this.checkPmap(pm); checkInt("user address", uva, 0, 0xFFFFFFFF);
    const v = this.x.copyin_word(pm, uva | 0);
    return this.x.core_last_error() === 0 ? u32(v) : null;
  }
  writeWord(pm: number, uva: number, v: number): number {
    this.checkPmap(pm); checkInt("user address", uva, 0, 0xFFFFFFFF);
    return this.x.copyout_word(pm, uva | 0, v | 0);
  }

  // ---- kernel threads: stacks, pcb, trapframe ----
  private checkThread(td: number): void {
    if (!Number.isInteger(td) || td <= 0 || this.x.thread_valid(td) !== 1) {
      throw new CoreError(`${td} is not a live thread handle`);
    }
  }
  /** lwkt_alloc_thread: a thread with a 12 KiB kernel stack; its handle, or -ENOMEM. */
  threadAlloc(): number { return this.x.thread_alloc(); }
  /** Frees a thread and its stack; refused while the thread is in an LWP tree (lwpRemove first). */
  threadFree(td: number): void {
    this.checkThread(td);
    if (this.x.thread_free(td) === -i386.EBUSY) throw new CoreError(`thread ${td} is still in an LWP tree: lwpRemove it first`);
  }
  threadValid(td: number): boolean { return Number.isInteger(td) && td > 0 && this.x.thread_valid(td) === 1; }
  threadsUsed(): number { return this.x.threads_used(); }
  kstack(td: number): number { this.checkThread(td); return u32(this.x.thread_kstack(td)); }
  /** td_pcb: the pcb's kernel virtual address (kstack + 11680). */
  threadPcb(td: number): number { this.checkThread(td); return u32(this.x.thread_pcb(td)); }
  /** md_regs: the trapframe's kernel virtual address (kstack + 11584). */
  threadRegs(td: number): number { this.checkThread(td); return u32(this.x.thread_regs(td)); }
  /** td_sp: the saved kernel stack pointer the switcher would load. */
  threadSp(td: number): number { this.checkThread(td); return u32(this.x.thread_sp(td)); }
  /**
   * The linear address of td's trapframe (it stays put for the thread's life): with
   * word() and setWord(), the kernel's syscall entry and return read and write the user
   * registers there without a call into the core per field (tf_get/tf_set).
   */
  tfAddr(td: number): number {
    const a = Number.isInteger(td) && td > 0 ? u32(this.x.thread_tf(td)) : 0;
    if (a === 0) throw new CoreError(`${td} is not a live thread handle`);
    return a;
  }
  /**
   * set_tls_area's machine-dependent half: TLS segment `which` (0..2) of td gets `base`,
   * or is cleared (null). A %fs/%gs holding selector ((15 + which) << 3) | 3 then has that
   * base in user mode (docs/x86.md, "Segments").
   */
  setTls(td: number, which: number, base: number | null): void {
    this.checkThread(td); checkInt("which", which, 0, 2);
    if (base !== null) checkInt("base", base, 0, 0xFFFFFFFF);
    this.x.thread_set_tls(td, which, base === null ? 0 : base | 0, base === null ? 0 : 1);
  }
  /** TLS segment `which` of td: its base, or null when it is not set. */
  tls(td: number, which: number): number | null {
    this.checkThread(td); checkInt("which", which, 0, 2);
    return this.x.thread_tls_set(td, which) === 1 ? u32(this.x.thread_tls(td, which)) : null;
  }
  /** The pcb, field by field (reference §3.1). */
  pcb(td: number): Pcb { this.checkThread(td); return new Pcb(this.x, td); }
  /** The trapframe at md_regs, field by field (reference §3.2). */
  trapframe(td: number): Trapframe { this.checkThread(td); return new Trapframe(this.x, td); }
  /** cpu_fork(lp1, lp2, flags): td2's pcb and trapframe from td1's, cr3 from pm2. */
  cpuFork(td1: number, td2: number, pm2: number, flags: number): void {
    this.checkThread(td1); this.checkThread(td2); this.checkPmap(pm2);
    this.x.cpu_fork(td1, td2, pm2, flags | 0);
  }
  cpuSetForkHandler(td: number, func: number, arg: number): void {
    this.checkThread(td);
    this.x.cpu_set_fork_handler(td, func | 0, arg | 0);
  }
  /** cpu_prepare_lwp: eip/esp from the params, arg and a NULL return pushed; 0 or -EFAULT. */
  cpuPrepareLwp(td: number, pm: number, func: number, arg: number, stack: number): number {
    this.checkThread(td); this.checkPmap(pm);
    return this.x.cpu_prepare_lwp(td, pm, func | 0, arg | 0, stack | 0);
  }
  /** The first switch-in of a thread: runs its fork handler (fork_return or generic_lwp_return). */
  cpuSwitchin(td: number): number { this.checkThread(td); return u32(this.x.cpu_switchin(td)); }
  /** fork_return's edits of the frame: eax = 0, edx = 1, PSL_C cleared. */
  forkReturn(td: number): void { this.checkThread(td); this.x.fork_return(td); }
  execSetregs(td: number, entry: number, stack: number, psStrings: number): void {
    this.checkThread(td);
    this.x.exec_setregs(td, entry | 0, stack | 0, psStrings | 0);
  }
  /**
   * Runs td's user context (the registers in its trapframe) in address space pm for at most
   * `budget` instructions (docs/x86.md). The trapframe holds the registers at the stop.
   */
  run(td: number, pm: number, budget: number): RunResult {
    const r = this.runCode(td, pm, budget);
    const out: RunResult = { stop: STOP_REASONS[r - 1], retired: this.runRetired() };
    if (r === STOP.fault) { out.faultVa = this.faultVa(); out.faultErr = this.faultErr(); }
    return out;
  }
  /**
   * run() without the result object (the kernel's dispatcher runs user mode a few times per
   * syscall, and does the same with the raw exports): the stop code (STOP), with the count
   * in runRetired() and, after STOP.fault, cr2 and the error code in faultVa() and
   * faultErr(). With `resolveCow`, a write fault on a copy-on-write page is resolved in the
   * run (cpu_run_cow, docs/x86.md), and runCowFaults() and runCowKept() count those faults.
   */
  runCode(td: number, pm: number, budget: number, resolveCow = false): number {
    this.checkThread(td); this.checkPmap(pm); checkInt("budget", budget, 0, 0x7FFFFFFF);
    const r = resolveCow ? this.x.cpu_run_cow(td, pm, budget) : this.x.cpu_run(td, pm, budget);
    if (r < 1 || r > STOP_REASONS.length) throw new CoreError(`cpu_run failed: ${r}`);
    return r;
  }
  // These read the run area (docs/x86.md) directly: cpu_run_count() etc. would be calls.
  /** Instructions retired by the last run. */
  runRetired(): number { return u32(this.word(this.runArea)); }
  /** Copy-on-write faults the last runCode(..., true) resolved, and how many kept their frame. */
  runCowFaults(): number { return this.word(this.runArea + 16); }
  runCowKept(): number { return this.word(this.runArea + 20); }
  /** The last page fault's cr2 and error code. */
  faultVa(): number { return u32(this.x.core_fault_va()); }
  faultErr(): number { return this.x.core_fault_err(); }

  // ---- LWP trees ----
  /** A new, empty LWP tree (RB_INIT); its head address. */
  lwpTreeAlloc(): number {
    const h = this.x.lwptree_alloc();
    if (h <= 0) throw new CoreError("no LWP tree heads left (one per thread slot)");
    return h;
  }
  lwpTreeFree(head: number): void {
    if (this.x.lwptree_free(head | 0) !== 0) throw new CoreError(`${head} is not an empty LWP tree head`);
  }
  /** RB_INSERT of td with key tid: 0 when inserted, else the thread already holding tid. */
  lwpInsert(head: number, td: number, tid: number): number {
    this.checkThread(td); checkInt("tid", tid, -0x80000000, 0x7FFFFFFF);
    const r = this.x.lwp_insert(head | 0, td, tid);
    if (r < 0) this.badTree(head, `thread ${td} is in another LWP tree`);
    return r;
  }
  lwpRemove(head: number, td: number): void {
    this.checkThread(td);
    if (this.x.lwp_remove(head | 0, td) !== 0) this.badTree(head, `thread ${td} is not in LWP tree ${head}`);
  }
  lwpLookup(head: number, tid: number): number { this.checkTree(head); return this.x.lwp_lookup(head, tid | 0); }
  lwpCount(head: number): number { this.checkTree(head); return this.x.lwp_count(head); }
  private checkTree(head: number): void {
    if (!Number.isInteger(head) || this.x.lwptree_valid(head | 0) !== 1) throw new CoreError(`${head} is not an LWP tree head in use`);
  }
  /** A refused tree operation: the head was bad, or else what `why` says. */
  private badTree(head: number, why: string): never {
    this.checkTree(head);
    throw new CoreError(why);
  }
  /** The threads of a tree in tid order. */
  lwpList(head: number): number[] {
    this.checkTree(head);
    const out: number[] = [];
    for (let td = this.x.lwp_first(head); td > 0; td = this.x.lwp_next(td)) out.push(td);
    return out;
  }
  /** Preorder dump, `KEY:R`/`KEY:B` per node and `.` for an empty child. */
  lwpTreeDump(head: number): string { return this.iobufString(this.x.lwptree_dump(head)); }
  /** Preorder dump of any RB tree head in linear memory. */
  rbDump(head: number): string { return this.iobufString(this.x.rb_dump(head)); }

  // ---- generic RB trees (tests and benchmarks) ----
  /**
   * An empty RB tree head and `nodes` zeroed RB nodes in scratch linear memory (never
   * freed), for driving the generic sys/tree.h functions (rb_*) directly.
   */
  rbArena(nodes: number): RbArena {
    checkInt("nodes", nodes, 1, 50_000_000);
    const bytes = RB_HEAD_BYTES_ALIGNED + nodes * RB_NODE.bytes;
    const p = this.x.core_scratch(bytes);
    if (p < 0) throw new CoreError(`no scratch memory for ${nodes} RB nodes (errno ${-p})`);
    const base = u32(p);
    this.linear().fill(0, base, base + bytes);
    return new RbArena(this, base, base + RB_HEAD_BYTES_ALIGNED, nodes);
  }
  private iobufString(len: number): string {
    const buf = u32(this.x.core_iobuf());
    return new TextDecoder().decode(this.linear().subarray(buf, buf + len));
  }
}

function fieldClass(offsets: Record<string, number>, get: (x: CoreExports, td: number, off: number) => number,
  set: (x: CoreExports, td: number, off: number, v: number) => void) {
  class Fields {
    constructor(readonly x: CoreExports, readonly td: number) {}
    /** Every field as a plain object. */
    toJSON(): Record<string, number> {
      const o: Record<string, number> = {};
      for (const k of Object.keys(offsets)) o[k] = (this as unknown as Record<string, number>)[k];
      return o;
    }
  }
  for (const [name, off] of Object.entries(offsets)) {
    Object.defineProperty(Fields.prototype, name, {
      get(this: Fields) { return get(this.x, this.td, off) >>> 0; },
      set(this: Fields, v: number) { set(this.x, this.td, off, v | 0); },
      enumerable: true,
    });
  }
  return Fields;
}

export const PCB_FIELDS = {
  cr3: i386.PCB_CR3, edi: i386.PCB_EDI, esi: i386.PCB_ESI, ebp: i386.PCB_EBP, esp: i386.PCB_ESP,
  ebx: i386.PCB_EBX, eip: i386.PCB_EIP, dr0: i386.PCB_DR0, dr1: i386.PCB_DR1, dr2: i386.PCB_DR2,
  dr3: i386.PCB_DR3, dr6: i386.PCB_DR6, dr7: i386.PCB_DR7, ldt: i386.PCB_LDT, flags: i386.PCB_FLAGS,
  onfault: i386.PCB_ONFAULT, ext: i386.PCB_EXT,
} as const;
export const TF_FIELDS = {
  gs: i386.TF_GS, fs: i386.TF_FS, es: i386.TF_ES, ds: i386.TF_DS, edi: i386.TF_EDI, esi: i386.TF_ESI,
  ebp: i386.TF_EBP, isp: i386.TF_ISP, ebx: i386.TF_EBX, edx: i386.TF_EDX, ecx: i386.TF_ECX,
  eax: i386.TF_EAX, xflags: i386.TF_XFLAGS, trapno: i386.TF_TRAPNO, err: i386.TF_ERR, eip: i386.TF_EIP,
  cs: i386.TF_CS, eflags: i386.TF_EFLAGS, esp: i386.TF_ESP, ss: i386.TF_SS,
} as const;

export type Pcb = { -readonly [K in keyof typeof PCB_FIELDS]: number } & { toJSON(): Record<string, number> };
export type Trapframe = { -readonly [K in keyof typeof TF_FIELDS]: number } & { toJSON(): Record<string, number> };

// pcb_flags (offset 576) is the low byte of its word; the three bytes above it are padding.
const PcbClass = fieldClass(PCB_FIELDS, (x, td, off) => x.pcb_get(td, off), (x, td, off, v) => x.pcb_set(td, off, v));
const TfClass = fieldClass(TF_FIELDS, (x, td, off) => x.tf_get(td, off), (x, td, off, v) => x.tf_set(td, off, v));
const Pcb = PcbClass as unknown as new (x: CoreExports, td: number) => Pcb;
const Trapframe = TfClass as unknown as new (x: CoreExports, td: number) => Trapframe;

/** The RB node layout of assembly/rbtree.ts (byte offsets) and the colours. */
export const RB_NODE = { left: 0, right: 4, parent: 8, color: 12, key: 16, bytes: 20 } as const;
export const RB_BLACK = 0;
export const RB_RED = 1;
const RB_HEAD_BYTES_ALIGNED = 16; // rbh_root, rbh_inprog, padding

/**
 * A head and `capacity` nodes in scratch memory, driven through the core's rb_* exports:
 * the sys/tree.h red-black tree with signed i32 keys. Nodes are linear addresses;
 * node(i) is the i-th. Arguments are checked (a node must be one of the arena's), and
 * remove() refuses a node that is not in the tree; insert() of a node already in the tree
 * is refused too. For speed, benchmarks call `core.x.rb_*` with the same addresses.
 */
export class RbArena {
  private buf: ArrayBufferLike | undefined;
  private i32: Int32Array<ArrayBufferLike> = new Int32Array(0);

  constructor(readonly core: Core, readonly head: number, readonly base: number,
    readonly capacity: number) {}

  private mem(): Int32Array {
    const b = this.core.linear().buffer;
    if (b !== this.buf) { this.buf = b; this.i32 = new Int32Array(b); }
    return this.i32;
  }
  private word(p: number): number {
    return (p & 3) === 0 ? this.mem()[p >>> 2] : new DataView(this.mem().buffer).getInt32(p, true);
  }
  private setWord(p: number, v: number): void {
    if ((p & 3) === 0) this.mem()[p >>> 2] = v; else new DataView(this.mem().buffer).setInt32(p, v, true);
  }
  private check(node: number): void {
    const off = node - this.base;
    if (!Number.isInteger(node) || off < 0 || off % RB_NODE.bytes !== 0 || off / RB_NODE.bytes >= this.capacity) {
      throw new CoreError(`${node} is not a node of this RB arena`);
    }
  }
  private ptr(p: number): number { return u32(p); }

  /** The linear address of node i. */
  node(i: number): number { checkInt("node index", i, 0, this.capacity - 1); return this.base + i * RB_NODE.bytes; }
  /** The index of a node address (inverse of node()). */
  index(node: number): number { this.check(node); return (node - this.base) / RB_NODE.bytes; }
  key(node: number): number { this.check(node); return this.word(node + RB_NODE.key); }
  setKey(node: number, key: number): void {
    this.check(node); checkInt("key", key, -0x80000000, 0x7FFFFFFF);
    if (this.inTree(node)) throw new CoreError(`node ${node} is in the tree: changing its key would break the order`);
    this.setWord(node + RB_NODE.key, key);
  }
  left(node: number): number { this.check(node); return this.ptr(this.word(node + RB_NODE.left)); }
  right(node: number): number { this.check(node); return this.ptr(this.word(node + RB_NODE.right)); }
  parent(node: number): number { this.check(node); return this.ptr(this.word(node + RB_NODE.parent)); }
  color(node: number): number { this.check(node); return this.word(node + RB_NODE.color); }

  /** Whether node is in the tree (its parent chain reaches the root). */
  inTree(node: number): boolean {
    this.check(node);
    let n = node;
    for (let i = 0; i < 64; i++) {
      const p = this.ptr(this.word(n + RB_NODE.parent));
      if (p === 0) return n === this.root();
      n = p;
    }
    return false;
  }

  /** RB_INSERT: 0 when inserted, else the node already holding the key (tree unchanged). */
  insert(node: number): number {
    this.check(node);
    if (this.inTree(node)) throw new CoreError(`node ${node} is already in the tree`);
    return this.ptr(this.core.x.rb_insert(this.head, node));
  }
  /**
   * RB_REMOVE; returns node. The face then clears node's links (the core leaves the
   * removed entry as it was, like tree.h), so inTree() stays exact.
   */
  remove(node: number): number {
    if (!this.inTree(node)) throw new CoreError(`node ${node} is not in the tree`);
    const r = this.ptr(this.core.x.rb_remove(this.head, node));
    this.setWord(node + RB_NODE.left, 0);
    this.setWord(node + RB_NODE.right, 0);
    this.setWord(node + RB_NODE.parent, 0);
    return r;
  }
  /** RB_FIND with node's key: the node in the tree with that key, or 0. */
  find(node: number): number { this.check(node); return this.ptr(this.core.x.rb_find(this.head, node)); }
  /** RB_LOOKUP (RB_GENERATE2): the node with this key, or 0. */
  lookup(key: number): number {
    checkInt("key", key, -0x80000000, 0x7FFFFFFF);
    return this.ptr(this.core.x.rb_lookup(this.head, key | 0));
  }
  next(node: number): number { this.check(node); return this.ptr(this.core.x.rb_next(node)); }
  prev(node: number): number { this.check(node); return this.ptr(this.core.x.rb_prev(node)); }
  min(): number { return this.ptr(this.core.x.rb_min(this.head)); }
  max(): number { return this.ptr(this.core.x.rb_max(this.head)); }
  root(): number { return this.ptr(this.core.x.rb_root(this.head)); }
  /** rbh_inprog (always 0: forklab has no RB_SCAN). */
  inprog(): number { return this.ptr(this.word(this.head + 4)); }
  /** Keys in order (RB_FOREACH). */
  keys(): number[] {
    const out: number[] = [];
    for (let n = this.min(); n !== 0; n = this.next(n)) out.push(this.key(n));
    return out;
  }
  /** RB_INIT, and every node zeroed. */
  reset(): void {
    this.core.linear().fill(0, this.head, this.base + this.capacity * RB_NODE.bytes);
  }
  /** The preorder dump (`KEY:R`/`KEY:B`, `.` per empty child); throws on a core error. */
  dump(): string {
    const len = this.core.x.rb_dump(this.head);
    if (len < 0) throw new CoreError(`rb_dump failed: errno ${-len}`);
    const buf = u32(this.core.x.core_iobuf());
    return new TextDecoder().decode(this.core.linear().subarray(buf, buf + len));
  }
}
