// The machine's invariants (issue 7): what holds between kernel steps whatever a guest
// does. With { checkInvariants: true } the kernel checks them after every step (each
// dispatch slice and each API call that changes the machine); Forklab.checkInvariants()
// checks them on demand. A broken one is a kernel panic that names the invariant and
// the object. The frame audit recounts every reference the core's tables hold (PTEs of
// every live address space, page directories, page tables, kernel stacks) and compares
// the count with each frame's reference count: a leak or a double free shows at once.
import type { Kernel } from "./kernel.js";
import type { Core } from "../core/core.js";
import type { Proc, Lwp } from "./proc.js";
import type { Vmspace } from "./vm.js";
import type { Uidinfo } from "./resource.js";
import { KernelPanic } from "./panic.js";
import { LSRUN, LSSLEEP, LSSTOP, LWP_WSTOP, SIDL, SSTOP, SZOMB } from "./param.js";

const PG_V = 0x001;
const PG_RW = 0x002;
const PG_FRAME = 0xFFFFF000;
/** The self-map's PDE bits (PG_V | PG_RW | PG_A | PG_M), docs/core.md. */
const KERN_BITS = 0x063;
const PTDPTDI = 767;
const KPTDI = 768;
const PAGE = 4096;
/** Kernel stacks mapped in the i386 kernel map, and a thread slot's size (assembly/pmap.ts, cpu.ts). */
const KSTACK_KVA_SLOTS = 64768;
const THR_SLOT = 64;
/** The interpreter's opcode attribute bytes in the control block (state.ts C_OPATTR): set at init, read-only after. */
const OPATTR = [1024, 2048] as const;
// RB node layout (assembly/rbtree.ts) and colours.
const RB_LEFT = 0, RB_RIGHT = 4, RB_PARENT = 8, RB_COLOR = 12, RB_KEY = 16, RB_BLACK = 0, RB_RED = 1;

function broken(invariant: string, object: string, detail: string): never {
  throw new KernelPanic(`invariant "${invariant}" broken: ${object}: ${detail}`);
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** What the core holds, as the audit found it. */
export interface CoreAudit {
  /** Live address-space handles. */
  pmaps: Set<number>;
  /** Live thread handles. */
  threads: Set<number>;
  /** LWP tree heads in use (linear addresses). */
  heads: Set<number>;
}

/** The hash of the memory no guest and no kernel path may change, per core (sealCore). */
const sealed = new WeakMap<Core, number>();

/** FNV-1a over the words of linear [from, to). */
function hashWords(w: Int32Array, from: number, to: number): number {
  let h = 0x811C9DC5;
  for (let i = from >>> 2; i < to >>> 2; i++) h = Math.imul(h ^ w[i], 0x01000193);
  return h >>> 0;
}

/** The memory nothing may change after init: the module's static data below the control block, and the opcode table. */
function sealHash(core: Core): number {
  const w = new Int32Array(core.linear().buffer);
  return hashWords(w, 0, core.ctl) ^ hashWords(w, core.ctl + OPATTR[0], core.ctl + OPATTR[1]);
}

/** Takes the hash of the sealed memory of a new core (the kernel does at boot; else the first audit). */
export function sealCore(core: Core): void {
  if (!sealed.has(core)) sealed.set(core, sealHash(core));
}

/**
 * The core's own invariants, from its tables alone: every frame's reference count equals
 * the references to it, the free stack holds exactly the free frames once each, free plus
 * used frames is the total, every address space's directory carries the self-map and the
 * kernel's PDEs, its resident and page-table counts are what its tables hold, a page table
 * several directories share (share-pt) is read-only in every one of them, the kernel's
 * page tables map exactly the live threads' stacks (guard pages unmapped), and the memory
 * outside the simulated region that nothing may change after init is unchanged.
 */
export function auditCore(core: Core): CoreAudit {
  const x = core.x, t = core.tables();
  const w = new Int32Array(core.linear().buffer);
  const nframes = x.frames_total();
  const pw = t.physBase >>> 2; // physical memory's first word (physBase is page aligned)
  const pword = (pa: number): number => w[pw + (pa >>> 2)];
  const expected = new Int32Array(nframes);
  expected[0] = 1; // frame 0: reserved forever
  // A reference to the frame at pa, counted; false when pa lies outside memory (the
  // caller names the referrer then: its name is only made on failure, as audits run after
  // every step).
  const ref = (pa: number): boolean => {
    const pfn = (pa >>> 0) / PAGE;
    if (pfn === 0 || pfn >= nframes) return false;
    expected[pfn]++;
    return true;
  };
  const outside = (what: string, pa: number): never => broken("frame reference", what, `points at physical ${hex(pa)}, outside memory`);

  sealCore(core);
  if (sealed.get(core) !== sealHash(core)) broken("sealed memory", `linear 0..${hex(core.ctl)} and the opcode table`, "changed since the core was made");

  // The kernel's directory and page tables, and what they map.
  const kpd = t.kernelPdir;
  if (!ref(kpd)) outside("the kernel page directory", kpd);
  if ((pword(kpd + 4 * PTDPTDI) >>> 0) !== ((kpd | KERN_BITS) >>> 0)) broken("self-map", "the kernel page directory", `PDE 767 is ${hex(pword(kpd + 4 * PTDPTDI))}`);
  const kernelPdes = new Int32Array(1024 - KPTDI);
  let kernelMapped = 0;
  let nkpt = 0;
  for (let i = KPTDI; i < 1024; i++) {
    const pde = pword(kpd + 4 * i);
    kernelPdes[i - KPTDI] = pde;
    if ((pde & PG_V) === 0) continue;
    nkpt++;
    const pt = (pde & PG_FRAME) >>> 0;
    if (!ref(pt)) outside(`kernel PDE ${i}`, pt);
    const at = pw + (pt >>> 2);
    for (let j = 0; j < 1024; j++) {
      const pte = w[at + j];
      if ((pte & PG_V) === 0) continue;
      if (!ref(pte & PG_FRAME)) outside(`kernel page ${hex(((i << 22) | (j << 12)) >>> 0)}`, pte & PG_FRAME);
      kernelMapped++;
    }
  }
  if (nkpt !== t.kernelPts) broken("kernel page tables", "the kernel page directory", `${nkpt} page tables, the core made ${t.kernelPts}`);
  const kpte = (kva: number): number => {
    const pde = pword(kpd + 4 * (kva >>> 22));
    return (pde & PG_V) === 0 ? 0 : pword(((pde & PG_FRAME) >>> 0) + 4 * ((kva >>> 12) & 1023));
  };

  // Kernel stacks, for each live thread only: the top page has a frame, each lower page a
  // frame once written; in the first window of the kernel map (assembly/pmap.ts) exactly
  // the pages with a frame are mapped, to that frame, above an unmapped guard page.
  const threads = new Set<number>();
  let stackPagesMapped = 0;
  for (let td = 1; td <= t.threadSlots; td++) {
    if (x.thread_valid(td) !== 1) continue;
    threads.add(td);
    const ks = x.thread_kstack(td) >>> 0;
    const inWindow = td <= KSTACK_KVA_SLOTS;
    if (inWindow && kpte(ks - PAGE) !== 0) broken("kernel stack guard", `thread ${td}`, `guard page ${hex(ks - PAGE)} is mapped`);
    for (let j = 0; j < 3; j++) {
      const f = w[(t.threadTable + (td - 1) * THR_SLOT + 4 + 4 * j) >>> 2] >>> 0;
      if (f === 0 && j === 2) broken("kernel stack", `thread ${td}`, "its top page (pcb, trapframe) has no frame");
      if (!inWindow) {
        if (f !== 0 && !ref(f)) outside(`thread ${td}'s kernel stack page ${j}`, f);
        continue;
      }
      const pte = kpte(ks + j * PAGE);
      if (f === 0 ? pte !== 0 : (pte & PG_V) === 0 || ((pte & PG_FRAME) >>> 0) !== f) {
        broken("kernel stack", `thread ${td}`, `stack page ${hex(ks + j * PAGE)} maps ${hex(pte)}, its frame is ${hex(f)}`);
      }
      if (f !== 0) stackPagesMapped++;
    }
  }
  if (kernelMapped !== stackPagesMapped) {
    broken("kernel mappings", "the kernel page tables", `${kernelMapped} pages mapped for ${stackPagesMapped} pages of live threads' stacks`);
  }

  // Address spaces: directory, page tables (each counted once however many PDEs share it), pages.
  const pmaps = new Set<number>();
  const ptPages = new Map<number, number>();
  // Of each user page table: the directories pointing at it, and one that may write through it.
  const ptHolds = new Map<number, { n: number; pm: number; pde: number }>();
  for (let pm = 1; pm <= t.pmapSlots; pm++) {
    if (x.pmap_valid(pm) !== 1) continue;
    pmaps.add(pm);
    const pd = x.pmap_cr3(pm) >>> 0;
    if (!ref(pd)) outside(`pmap ${pm}'s page directory`, pd);
    if ((pword(pd + 4 * PTDPTDI) >>> 0) !== ((pd | KERN_BITS) >>> 0)) broken("self-map", `pmap ${pm}`, `PDE 767 is ${hex(pword(pd + 4 * PTDPTDI))}`);
    const dir = pw + (pd >>> 2);
    for (let i = KPTDI; i < 1024; i++) {
      if (w[dir + i] !== kernelPdes[i - KPTDI]) broken("kernel PDEs", `pmap ${pm}`, `PDE ${i} is ${hex(pword(pd + 4 * i))}, the kernel's is ${hex(kernelPdes[i - KPTDI])}`);
    }
    let resident = 0, pts = 0;
    for (let i = 0; i < PTDPTDI; i++) {
      const pde = w[dir + i];
      if ((pde & PG_V) === 0) continue;
      pts++;
      const pt = (pde & PG_FRAME) >>> 0;
      if (!ref(pt)) outside(`pmap ${pm}'s PDE ${i}`, pt);
      let holds = ptHolds.get(pt);
      if (holds === undefined) ptHolds.set(pt, (holds = { n: 0, pm: 0, pde: 0 }));
      holds.n++;
      if ((pde & PG_RW) !== 0) { holds.pm = pm; holds.pde = i; } // one that may write through it
      let n = ptPages.get(pt);
      if (n === undefined) {
        n = 0;
        const at = pw + (pt >>> 2);
        for (let j = 0; j < 1024; j++) {
          const pte = w[at + j];
          if ((pte & PG_V) === 0) continue;
          if (!ref(pte & PG_FRAME)) outside(`pmap ${pm}'s page ${hex((i << 22) | (j << 12))}`, pte & PG_FRAME);
          n++;
        }
        ptPages.set(pt, n);
      }
      resident += n;
    }
    if (x.pmap_resident(pm) !== resident) broken("resident count", `pmap ${pm}`, `says ${x.pmap_resident(pm)}, its page tables map ${resident}`);
    if (x.pmap_ptcount(pm) !== pts) broken("page-table count", `pmap ${pm}`, `says ${x.pmap_ptcount(pm)}, its directory has ${pts}`);
  }
  // share-pt: a table several directories hold is written through by none of them.
  for (const [pt, h] of ptHolds) {
    if (h.n > 1 && h.pm !== 0) broken("shared page table", `page table ${hex(pt)}`, `held by ${h.n} directories, but pmap ${h.pm}'s PDE ${h.pde} has PG_RW`);
  }

  // The free stack and every reference count; frames at or above the high-water mark were
  // never used (no reference, their count words never written).
  const top = t.freeTop, hwm = t.frameHwm;
  if (!(hwm >= 1 && hwm <= nframes) || top + nframes - hwm !== x.frames_free()) {
    broken("frame count", "physical memory", `${top} on the free stack, ${nframes - hwm} never used, ${x.frames_free()} free`);
  }
  const onStack = new Uint8Array(nframes);
  const fs = t.freestack >>> 2;
  for (let i = 0; i < top; i++) {
    const pfn = w[fs + i];
    if (!(pfn > 0 && pfn < hwm)) broken("free stack", `entry ${i}`, `holds pfn ${pfn}`);
    if (onStack[pfn]) broken("free stack", `frame ${hex(pfn * PAGE)}`, "is on the free stack twice");
    onStack[pfn] = 1;
  }
  const rc = t.refcounts >>> 2;
  let used = 0;
  for (let pfn = hwm; pfn < nframes; pfn++) {
    if (expected[pfn] !== 0) broken("frame refcount", `frame ${hex(pfn * PAGE)}`, `never used, but ${expected[pfn]} references to it`);
  }
  for (let pfn = 0; pfn < hwm; pfn++) {
    const n = w[rc + pfn];
    if (n !== expected[pfn]) broken("frame refcount", `frame ${hex(pfn * PAGE)}`, `refcount ${n}, but ${expected[pfn]} references to it`);
    if ((n === 0) !== (onStack[pfn] === 1)) broken("free stack", `frame ${hex(pfn * PAGE)}`, `refcount ${n} and ${onStack[pfn] ? "" : "not "}on the free stack`);
    if (n > 0) used++;
  }
  if (used + top + nframes - hwm !== nframes) broken("frame count", "physical memory", `${top} freed + ${nframes - hwm} never used + ${used} used != ${nframes} frames`);

  // LWP tree heads in use: lwp_count refuses a free head.
  const heads = new Set<number>();
  for (let i = 0; i < t.headSlots; i++) {
    const h = t.headTable + 16 * i;
    if (x.lwp_count(h) >= 0) heads.add(h);
  }
  return { pmaps, threads, heads };
}

/** Every invariant of the machine: the core's, then the kernel's over it. Throws KernelPanic. */
export function checkInvariants(k: Kernel): void {
  const core = auditCore(k.core);
  const procs = [...k.procs.allproc, ...k.procs.zombproc];

  // Forks waiting for memory have counted their child, which does not exist yet.
  const forking: Lwp[] = [];
  for (const lp of k.lwps.values()) if (lp.forkWaiting) forking.push(lp);
  const n = procs.length + forking.length;
  if (k.nprocs !== n) broken("nprocs", "the process table", `nprocs ${k.nprocs}, but ${k.procs.allproc.length} live + ${k.procs.zombproc.length} zombie processes + ${forking.length} forks waiting`);

  checkProcLinks(k, procs);
  checkUids(k, procs, forking);
  checkVmspaces(k, procs, core);
  checkLwps(k, procs, core);
  checkRunQueues(k);
}

/**
 * The pid hash holds exactly the live processes; every process but proc0 is on its parent's
 * child list, and every child on a list names that parent.
 */
function checkProcLinks(k: Kernel, procs: Proc[]): void {
  for (const p of k.procs.allproc) {
    if (k.procs.pidhash.get(p.p_pid) !== p) broken("pid hash", `pid ${p.p_pid}`, "is live but not in the pid hash under its pid");
  }
  if (k.procs.pidhash.size !== k.procs.allproc.length) broken("pid hash", "the pid hash", `${k.procs.pidhash.size} entries for ${k.procs.allproc.length} live processes`);
  const known = new Set(procs);
  for (const p of procs) {
    for (const c of p.p_children) {
      if (c.p_pptr !== p) broken("process tree", `pid ${c.p_pid}`, `on pid ${p.p_pid}'s child list, but its parent is pid ${c.p_pptr?.p_pid}`);
      if (!known.has(c)) broken("process tree", `pid ${c.p_pid}`, `on pid ${p.p_pid}'s child list, but on neither allproc nor zombproc`);
    }
    if (p === k.proc0) continue;
    const pp = p.p_pptr;
    if (!pp || !known.has(pp) || p.p_siblingNode?.list !== pp.p_children) broken("process tree", `pid ${p.p_pid}`, `not on its parent's (pid ${pp?.p_pid}) child list`);
  }
}

/** Each uid's ui_proccnt is the number of processes whose real uid it is. */
function checkUids(k: Kernel, procs: Proc[], forking: Lwp[]): void {
  const count = new Map<Uidinfo, number>();
  for (const p of [...procs, ...forking.map((lp) => lp.lwp_proc)]) {
    const ui = p.p_ucred?.cr_ruidinfo;
    if (ui) count.set(ui, (count.get(ui) ?? 0) + 1);
  }
  for (const ui of count.keys()) {
    if (k.uids.uilookup(ui.ui_uid) !== ui) broken("uidinfo", `uid ${ui.ui_uid}`, `pid ${procs.find((p) => p.p_ucred?.cr_ruidinfo === ui)!.p_pid} counts against an entry no longer in the table`);
  }
  for (const ui of k.uids.entries()) {
    const c = count.get(ui) ?? 0;
    if (ui.ui_proccnt !== c) broken("ui_proccnt", `uid ${ui.ui_uid}`, `ui_proccnt ${ui.ui_proccnt}, but ${c} processes`);
  }
}

/**
 * Each vmspace's references (vm_refcnt, plus vm_exitingcnt for processes that have exited
 * but are not yet reaped) are the processes holding it; the core's live address spaces are
 * exactly the held vmspaces' pmaps; each LWP runs in its process's vmspace.
 */
function checkVmspaces(k: Kernel, procs: Proc[], core: CoreAudit): void {
  const holders = new Map<Vmspace, number>();
  for (const p of procs) if (p.p_vmspace) holders.set(p.p_vmspace, (holders.get(p.p_vmspace) ?? 0) + 1);
  const pmaps = new Set<number>();
  for (const [vm, n] of holders) {
    if (vm.vm_refcnt < 0 || vm.vm_exitingcnt < 0 || vm.vm_refcnt + vm.vm_exitingcnt !== n) {
      broken("vmspace references", `vmspace of pmap ${vm.vm_pmap}`, `vm_refcnt ${vm.vm_refcnt} + vm_exitingcnt ${vm.vm_exitingcnt}, held by ${n} processes`);
    }
    if (!core.pmaps.has(vm.vm_pmap)) broken("address spaces", `vmspace of pmap ${vm.vm_pmap}`, "its pmap is not live in the core");
    if (pmaps.has(vm.vm_pmap)) broken("address spaces", `pmap ${vm.vm_pmap}`, "belongs to two vmspaces");
    pmaps.add(vm.vm_pmap);
  }
  for (const pm of core.pmaps) if (!pmaps.has(pm)) broken("address spaces", `pmap ${pm}`, "is live in the core but no process holds it (leaked)");
  for (const lp of k.lwps.values()) {
    if (lp.mode !== "exited" && lp.lwp_vmspace !== lp.lwp_proc.p_vmspace) {
      broken("LWP vmspace", lwpName(lp), "runs in a vmspace that is not its process's");
    }
  }
}

const lwpName = (lp: Lwp): string => `pid ${lp.lwp_proc.p_pid} tid ${lp.lwp_tid}`;

/**
 * The core's live threads are exactly the kernel's LWPs; each process's LWP tree is a valid
 * red-black tree holding exactly its LWPs, keyed by their tids, and p_nthreads counts those
 * that have not exited; the core's tree heads in use are exactly the processes'.
 */
function checkLwps(k: Kernel, procs: Proc[], core: CoreAudit): void {
  const x = k.core.x;
  const byNode = new Map<number, Lwp>();
  const mine = new Map<Proc, Lwp[]>();
  for (const [td, lp] of k.lwps) {
    if (lp.td !== td) broken("LWP table", lwpName(lp), `filed under thread ${td}, holds thread ${lp.td}`);
    if (!core.threads.has(td)) broken("threads", lwpName(lp), `thread ${td} is not live in the core`);
    byNode.set(x.thread_rbnode(td) >>> 0, lp);
    const l = mine.get(lp.lwp_proc);
    if (l) l.push(lp); else mine.set(lp.lwp_proc, [lp]);
  }
  if (core.threads.size !== k.lwps.size) broken("threads", "the core", `${core.threads.size} live threads for ${k.lwps.size} LWPs (leaked)`);

  const w = new Int32Array(k.core.linear().buffer);
  const heads = new Set<number>();
  for (const p of procs) {
    const head = p.p_lwp_tree >>> 0;
    const what = `pid ${p.p_pid}'s LWP tree`;
    if (!core.heads.has(head)) broken("LWP tree", what, `head ${hex(head)} is not in use in the core`);
    if (heads.has(head)) broken("LWP tree", what, `head ${hex(head)} is shared with another process`);
    heads.add(head);
    const inTree = new Set<Lwp>();
    let lastKey = -Infinity;
    // In-order walk: order, links, colours and black heights, node by node.
    const walk = (node: number, parent: number, depth: number): number => {
      if (node === 0) return 1;
      if (depth > 64) broken("LWP tree", what, "deeper than 64 (a cycle?)");
      const lp = byNode.get(node);
      if (!lp) broken("LWP tree", what, `node ${hex(node)} is no LWP's`);
      const at = node >>> 2;
      if ((w[at + RB_PARENT / 4] >>> 0) !== parent) broken("LWP tree", what, `${lwpName(lp)}'s parent link is wrong`);
      const color = w[at + RB_COLOR / 4];
      if (color !== RB_BLACK && color !== RB_RED) broken("LWP tree", what, `${lwpName(lp)} has colour ${color}`);
      const left = w[at + RB_LEFT / 4] >>> 0, right = w[at + RB_RIGHT / 4] >>> 0;
      if (color === RB_RED) {
        for (const c of [left, right]) if (c !== 0 && w[(c >>> 2) + RB_COLOR / 4] === RB_RED) broken("LWP tree", what, `red ${lwpName(lp)} has a red child`);
      }
      const bl = walk(left, node, depth + 1);
      const key = w[at + RB_KEY / 4];
      if (key <= lastKey) broken("LWP tree", what, `tid ${key} follows tid ${lastKey} (out of order)`);
      lastKey = key;
      if (key !== lp.lwp_tid) broken("LWP tree", what, `${lwpName(lp)} is keyed ${key}`);
      inTree.add(lp);
      const br = walk(right, node, depth + 1);
      if (bl !== br) broken("LWP tree", what, `black heights ${bl} and ${br} below ${lwpName(lp)}`);
      return bl + (color === RB_BLACK ? 1 : 0);
    };
    const root = w[head >>> 2] >>> 0;
    if (root !== 0 && w[(root >>> 2) + RB_COLOR / 4] !== RB_BLACK) broken("LWP tree", what, "the root is red");
    walk(root, 0, 0);
    const own = mine.get(p) ?? [];
    for (const lp of own) if (!inTree.has(lp)) broken("LWP tree", what, `${lwpName(lp)} is missing from it`);
    for (const lp of inTree) if (lp.lwp_proc !== p) broken("LWP tree", what, `holds ${lwpName(lp)}`);
    let live = 0, stopped = 0, lsstop = false;
    for (const lp of own) {
      if (lp.mode !== "exited") live++;
      if ((lp.lwp_flag & LWP_WSTOP) !== 0) stopped++;
      if (lp.lwp_stat === LSSTOP) lsstop = true;
    }
    if (p.p_nthreads !== live) broken("p_nthreads", `pid ${p.p_pid}`, `p_nthreads ${p.p_nthreads}, but ${live} LWPs that have not exited`);
    if (p.p_nstopped !== stopped) broken("p_nstopped", `pid ${p.p_pid}`, `p_nstopped ${p.p_nstopped}, but ${stopped} LWPs counted stopped (LWP_WSTOP)`);
    if (p.p_stat !== SSTOP && lsstop) broken("p_nstopped", `pid ${p.p_pid}`, "an LWP is LSSTOP in a process that is not stopped");
    mine.delete(p);
  }
  for (const [p, lps] of mine) broken("LWP table", lwpName(lps[0]), `its process (pid ${p.p_pid}) is on neither allproc nor zombproc`);
  for (const h of core.heads) if (!heads.has(h)) broken("LWP tree", `head ${hex(h)}`, "is in use in the core but no process has it (leaked)");
}

/**
 * The run queues hold exactly the LWPs marked runnable, once each, on their own CPU's
 * queue; no thread is stranded: an LWP in the kernel is asleep on a wait channel (and on
 * that channel's queue), runnable with a kernel path to resume, or the one being
 * dispatched; an LWP running a program in user mode is runnable or being dispatched.
 */
function checkRunQueues(k: Kernel): void {
  const queued = new Set<Lwp>();
  for (const cpu of k.cpus) {
    for (let i = cpu.head; i < cpu.runq.length; i++) {
      const lp = cpu.runq[i];
      if (!lp) broken("run queue", `cpu ${cpu.cpuid}`, `an empty slot at ${i}`);
      if (queued.has(lp)) broken("run queue", lwpName(lp), "is queued twice");
      queued.add(lp);
      if (!lp.onRunq || lp.cpu !== cpu.cpuid) broken("run queue", lwpName(lp), `on cpu ${cpu.cpuid}'s queue, but onRunq ${lp.onRunq}, cpu ${lp.cpu}`);
      if (lp.lwp_stat !== LSRUN) broken("run queue", lwpName(lp), `queued with lwp_stat ${lp.lwp_stat}`);
      if (k.lwps.get(lp.td) !== lp) broken("run queue", lwpName(lp), "queued after it was freed");
    }
  }
  let sleeping = 0;
  for (const lp of k.lwps.values()) {
    if (lp.onRunq && !queued.has(lp)) broken("run queue", lwpName(lp), "marked runnable but on no queue");
    const dispatched = k.cpus.some((c) => c.curlwp === lp);
    if (lp.wchan) {
      sleeping++;
      if ((lp.lwp_stat !== LSSLEEP && lp.lwp_stat !== LSSTOP) || lp.onRunq || lp.mode !== "kernel") broken("sleep", lwpName(lp), `asleep in "${lp.wmesg}" with lwp_stat ${lp.lwp_stat}, onRunq ${lp.onRunq}, mode ${lp.mode}`);
      if (!k.sleepq.holds(lp.wchan, lp)) broken("sleep", lwpName(lp), `asleep in "${lp.wmesg}" but not on its channel's queue`);
      continue;
    }
    switch (lp.mode) {
      case "kernel":
        if (lp.lwp_proc === k.proc0) break; // the swapper: never scheduled
        if (lp.kgen === null && lp.sys === null) broken("stranded thread", lwpName(lp), "in the kernel with no kernel path to resume");
        if (!lp.onRunq && !dispatched) broken("stranded thread", lwpName(lp), "in the kernel, neither asleep nor runnable");
        break;
      case "user":
        if (lp.lwp_proc.image && !lp.onRunq && !dispatched) broken("stranded thread", lwpName(lp), "runs a program but is neither runnable nor running");
        break;
      case "new":
        if (lp.lwp_proc.p_stat !== SIDL && !lp.onRunq && !dispatched) broken("stranded thread", lwpName(lp), "never switched in and not runnable");
        break;
      case "exited":
        if (lp.onRunq) broken("run queue", lwpName(lp), "exited but runnable");
        if (lp.lwp_proc.p_stat !== SZOMB) broken("exited LWP", lwpName(lp), "kept, but its process is not a zombie");
        break;
    }
  }
  if (k.sleepq.size !== sleeping) broken("sleep", "the sleep queues", `${k.sleepq.size} sleepers, ${sleeping} LWPs asleep`);
}
