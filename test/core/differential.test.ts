// Differential test of the whole core: the Wasm build and the portable JavaScript build
// of the same sources (docs/core.md) run the same seeded random operation sequences —
// address spaces (enter with random protections, enterFrame, fork with each strategy and
// with skipped ranges, protectNone, copyout,
// copyin, words, translate with random access bits, faults, protect, remove, destroy),
// kernel threads (thread_alloc/free, cpu_fork, cpu_prepare_lwp, exec_setregs,
// cpu_switchin, fork handlers, pcb/trapframe words) and LWP trees (insert, remove,
// lookup, dumps) — and must agree on every result, and, after every batch, on every byte
// of physical memory, every frame's reference count, the free frame count and the
// statistics. Arguments are mostly valid (so the operations do real work), sometimes not
// (so the error paths are compared too), and memory is small enough for ENOMEM to occur.
import { describe, it, expect, beforeAll } from "vitest";
import { Core, CoreError, type Strategy, STRATEGIES, PCB_FIELDS, TF_FIELDS } from "../../src/core/core.js";

const PHYS_BYTES = 4 << 20;      // 1024 frames: forks and enters run out of memory now and then
const MAX_THREADS = 32;
const OPS_PER_SEED = 2500;
const BATCH = 50;
const SEEDS = [1, 2, 3, 0xC0FFEE];
const PAGE = 4096;
const MAX_USER = 0xBFC00000;
const KSTACK_AREA = 0xC0400000;
const MAX_PMS = 6;
const MAX_TDS = 24;

/** mulberry32: a small seeded PRNG (uniform 32-bit words). */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const int = (n: number): number => Math.floor((next() / 2 ** 32) * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const chance = (p: number): boolean => next() / 2 ** 32 < p;
  return { next, int, pick, chance };
}
type Rng = ReturnType<typeof prng>;

type Both = { w: Core; p: Core };
/** What one call gave: its value, or the error it threw (message). */
type Outcome = unknown;

function run<T>(f: () => T): Outcome {
  try {
    const v = f();
    return v instanceof Uint8Array ? { bytes: Buffer.from(v).toString("hex") } : v;
  } catch (e) {
    return { threw: e instanceof CoreError ? `CoreError: ${e.message}` : String(e) };
  }
}

/** The state a test run keeps, the same for both cores (handles are equal by construction). */
interface World {
  pms: number[];
  tds: number[];
  /** LWP tree heads, per core (their linear addresses differ between the builds). */
  heads: { w: number; p: number; members: Set<number> }[];
  deadPms: number[];
  deadTds: number[];
}

/** A user page address that often collides with earlier ones. */
function userPage(r: Rng): number {
  const pde = r.pick([0, 0, 0, 1, 2, 766]);
  const page = r.chance(0.8) ? r.int(16) : r.int(1024);
  return ((pde << 22) | (page << 12)) >>> 0;
}

/** Mostly a page pm maps now (so accesses and faults find something), else any user page. */
function mappedPage(r: Rng, core: Core, pm: number): number {
  if (r.chance(0.3)) return userPage(r);
  const maps = core.mappings(pm);
  return maps.length ? r.pick(maps).va : userPage(r);
}

/** Any address worth translating: user pages and their neighbours, the self-map, kernel stacks, holes. */
function anyVa(r: Rng, w: World, core: Core, pm: number): number {
  switch (r.int(8)) {
    case 0: case 1: case 2: case 6: return (mappedPage(r, core, pm) + (r.chance(0.5) ? 0 : r.int(PAGE))) >>> 0;
    case 3: return (0xBFC00000 + r.int(0x400000)) >>> 0;                 // PTmap, PTD at 0xBFEFF000
    case 4: {
      if (w.tds.length && r.chance(0.8)) return (core.kstack(r.pick(w.tds)) - PAGE + r.int(4 * PAGE)) >>> 0;
      return (KSTACK_AREA + r.int(MAX_THREADS * 16384)) >>> 0;
    }
    case 5: return r.pick([0xC0000000, 0xC0101000, 0xFF800000, 0xFFC00000, 0xFFFFFFFC, 0xBFBFFFFC, 0]);
    default: return r.next();
  }
}

/** A user range [sva, eva), page aligned, inside user space. */
function userRange(r: Rng): [number, number] {
  const sva = userPage(r);
  const pages = r.chance(0.1) ? r.int(3000) : r.int(8);
  const eva = Math.min(MAX_USER, sva + pages * PAGE);
  return [sva, eva];
}

/** Up to three disjoint ranges, ascending, for forkSkip (vmspace_fork's NONE and SHARE entries). */
function skipRanges(r: Rng): [number, number][] {
  const rs = [userRange(r), userRange(r), userRange(r)].slice(0, 1 + r.int(3)).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const x of rs) if (out.length === 0 || x[0] >= out[out.length - 1][1]) out.push(x);
  return out;
}

/** A user address for copyin/copyout: in or near a mapped page, sometimes past the end of user space. */
function copyVa(r: Rng, core: Core, pm: number): number {
  if (r.chance(0.05)) return (MAX_USER - r.int(3 * PAGE)) >>> 0;
  return (mappedPage(r, core, pm) + r.int(PAGE)) >>> 0;
}

function randomBytes(r: Rng, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 4) {
    const v = r.next();
    b[i] = v; if (i + 1 < n) b[i + 1] = v >>> 8; if (i + 2 < n) b[i + 2] = v >>> 16; if (i + 3 < n) b[i + 3] = v >>> 24;
  }
  return b;
}

/** Outcomes seen, by operation and kind of outcome, over all seeds (coverage checks at the end). */
const seen = new Map<string, number>();
function outcomeClass(o: Outcome): string {
  if (o === null) return "null";
  if (typeof o === "number") return o < 0 ? `${o}` : o === 0 ? "0" : "positive";
  if (typeof o === "object" && o !== null) {
    if ("threw" in o) return "threw";
    if ("fault" in o) return (o as { fault: boolean }).fault ? "fault" : "ok";
    if ("bytes" in o) return "bytes";
  }
  return typeof o;
}

/** Runs op on both cores and demands equal outcomes. */
function same(c: Both, what: () => string, op: (core: Core) => unknown): Outcome {
  const a = run(() => op(c.w));
  const b = run(() => op(c.p));
  if (JSON.stringify(a) !== JSON.stringify(b)) expect(a, `${what()}: wasm vs portable`).toEqual(b);
  const key = `${what().replace(/^.*?: /, "").replace(/[( ].*$/, "")} ${outcomeClass(a)}`;
  seen.set(key, (seen.get(key) ?? 0) + 1);
  return a;
}

/** Everything both cores must agree on after a batch. */
function compareState(c: Both, w: World, where: string): void {
  const pw = c.w.phys(), pp = c.p.phys();
  if (Buffer.compare(pw, pp) !== 0) {
    let i = 0;
    while (pw[i] === pp[i]) i++;
    expect.fail(`${where}: physical memory differs first at 0x${i.toString(16)} (wasm ${pw[i]}, portable ${pp[i]})`);
  }
  const summary = (core: Core) => ({
    framesFree: core.framesFree(),
    stats: core.stats(),
    threadsUsed: core.threadsUsed(),
    faultVa: core.x.core_fault_va() >>> 0,
    faultErr: core.x.core_fault_err(),
    lastError: core.x.core_last_error(),
  });
  expect(summary(c.w), `${where}: counters`).toEqual(summary(c.p));
  const nframes = c.w.framesTotal();
  for (let pfn = 0; pfn < nframes; pfn++) {
    const a = c.w.x.frame_refcount(pfn << 12), b = c.p.x.frame_refcount(pfn << 12);
    if (a !== b) expect.fail(`${where}: frame 0x${(pfn << 12).toString(16)} refcount wasm ${a}, portable ${b}`);
  }
  for (const pm of w.pms) {
    const d = (core: Core) => ({ cr3: core.cr3(pm), resident: core.resident(pm), pts: core.ptCount(pm), maps: core.mappings(pm) });
    expect(d(c.w), `${where}: pm ${pm}`).toEqual(d(c.p));
  }
  for (const td of w.tds) {
    const d = (core: Core) => ({
      kstack: core.kstack(td), pcb: core.threadPcb(td), regs: core.threadRegs(td), sp: core.threadSp(td),
      pcbWords: core.pcb(td).toJSON(), tf: core.trapframe(td).toJSON(),
    });
    expect(d(c.w), `${where}: td ${td}`).toEqual(d(c.p));
  }
  for (const h of w.heads) {
    const d = (core: Core, head: number) => ({ dump: core.lwpTreeDump(head), list: core.lwpList(head), count: core.lwpCount(head) });
    expect(d(c.w, h.w), `${where}: LWP tree`).toEqual(d(c.p, h.p));
    expect(d(c.w, h.w).list.slice().sort((a, b) => a - b)).toEqual([...h.members].sort((a, b) => a - b));
  }
}

/** One random operation on both cores. */
function step(c: Both, w: World, r: Rng, label: string): void {
  const live = <T>(xs: T[]) => xs.length > 0;
  const pm = () => r.pick(w.pms);
  const td = () => r.pick(w.tds);
  const choice = r.int(100);
  const say = (s: string) => () => `${label} ${s}`;

  if (choice < 2 || !live(w.pms)) {                                   // pmap_create
    if (w.pms.length >= MAX_PMS) return;
    const h = same(c, say("pmap_create"), (k) => k.pmapCreate()) as number;
    if (h > 0) w.pms.push(h);
  } else if (choice < 22) {                                           // enter
    const [p, va, prot] = [pm(), userPage(r), r.int(8)];
    if (r.chance(0.1)) {
      // A run of pages (up to 300), stopping at the first error: fills memory now and then.
      const n = r.int(300);
      same(c, say(`enter run(${p}, 0x${va.toString(16)}, ${n}, ${prot})`), (k) => {
        let i = 0;
        for (; i < n && (va + i * PAGE) < MAX_USER; i++) {
          const e = k.enter(p, va + i * PAGE, prot);
          if (e !== 0) return [i, e];
        }
        return [i, 0];
      });
    } else if (r.chance(0.15)) {
      // Another page's frame entered here too (a shared object's page): enterFrame.
      const src = pm(), from = mappedPage(r, c.w, src);
      const pa = (c.w.pte(src, from) & 0xFFFFF000) >>> 0;
      same(c, say(`enterFrame(${p}, 0x${va.toString(16)}, 0x${pa.toString(16)}, ${prot})`), (k) => k.enterFrame(p, va, pa, prot));
    } else {
      same(c, say(`enter(${p}, 0x${va.toString(16)}, ${prot})`), (k) => k.enter(p, va, prot));
    }
  } else if (choice < 27) {                                           // fork
    if (w.pms.length >= MAX_PMS) return;
    const [p, s] = [pm(), r.pick(STRATEGIES) as Strategy];
    const skip = r.chance(0.4) ? skipRanges(r) : [];
    const h = same(c, say(`fork(${p}, ${s}, skip ${JSON.stringify(skip)})`), (k) => (skip.length ? k.forkSkip(p, s, skip) : k.fork(p, s))) as number;
    if (h > 0) w.pms.push(h);
  } else if (choice < 30) {                                           // destroy
    if (w.pms.length < 3 || r.chance(0.5)) return;
    const p = pm();
    same(c, say(`destroy(${p})`), (k) => k.pmapDestroy(p));
    w.pms.splice(w.pms.indexOf(p), 1);
    w.deadPms.push(p);
  } else if (choice < 33) {                                           // remove
    const [p, [s, e]] = [pm(), userRange(r)];
    same(c, say(`remove(${p}, 0x${s.toString(16)}, 0x${e.toString(16)})`), (k) => k.remove(p, s, e));
  } else if (choice < 37) {                                           // protect
    const [p, [s, e], prot] = [pm(), userRange(r), r.int(8)];
    if (r.chance(0.2)) same(c, say(`protectNone(${p}, 0x${s.toString(16)}, 0x${e.toString(16)})`), (k) => k.protectNone(p, s, e));
    else same(c, say(`protect(${p}, 0x${s.toString(16)}, 0x${e.toString(16)}, ${prot})`), (k) => k.protect(p, s, e, prot));
  } else if (choice < 49) {                                           // translate
    const p = pm(), access = r.int(8);
    const va = anyVa(r, w, c.w, p);
    same(c, say(`translate(${p}, 0x${va.toString(16)}, ${access})`), (k) => k.translate(p, va, access));
  } else if (choice < 55) {                                           // fault
    const p = pm(), err = r.chance(0.7) ? 7 : r.int(8);
    const va = r.chance(0.9) ? (mappedPage(r, c.w, p) + r.int(PAGE)) >>> 0 : anyVa(r, w, c.w, p);
    same(c, say(`fault(${p}, 0x${va.toString(16)}, ${err})`), (k) => k.fault(p, va, err));
  } else if (choice < 62) {                                           // copyout
    const p = pm(), va = copyVa(r, c.w, p), data = randomBytes(r, r.chance(0.3) ? r.int(10000) : r.int(64));
    same(c, say(`copyout(${p}, 0x${va.toString(16)}, ${data.length})`), (k) => k.copyout(p, va, data));
  } else if (choice < 67) {                                           // copyin
    const p = pm(), va = copyVa(r, c.w, p), len = r.chance(0.3) ? r.int(10000) : r.int(64);
    same(c, say(`copyin(${p}, 0x${va.toString(16)}, ${len})`), (k) => k.copyin(p, va, len));
  } else if (choice < 70) {                                           // fuword / suword
    const p = pm(), va = r.chance(0.3) ? (mappedPage(r, c.w, p) + PAGE - 1 - r.int(3)) >>> 0 : copyVa(r, c.w, p);
    if (r.chance(0.5)) {
      const v = r.next();
      same(c, say(`writeWord(${p}, 0x${va.toString(16)})`), (k) => k.writeWord(p, va, v));
      same(c, say(`readWord(${p}, 0x${va.toString(16)})`), (k) => k.readWord(p, va)); // reads it back
    } else {
      same(c, say(`readWord(${p}, 0x${va.toString(16)})`), (k) => k.readWord(p, va));
    }
  } else if (choice < 74) {                                           // thread_alloc
    if (w.tds.length >= MAX_TDS) return;
    const t = same(c, say("thread_alloc"), (k) => k.threadAlloc()) as number;
    if (t > 0) w.tds.push(t);
  } else if (choice < 76) {                                           // thread_free (out of every tree first)
    if (!live(w.tds)) return;
    const t = td();
    for (const h of w.heads) {
      if (h.members.has(t)) {
        same(c, say(`lwp_remove(${t}) before thread_free`), (k) => k.x.lwp_remove(k === c.w ? h.w : h.p, t));
        h.members.delete(t);
      }
    }
    same(c, say(`thread_free(${t})`), (k) => k.threadFree(t));
    w.tds.splice(w.tds.indexOf(t), 1);
    w.deadTds.push(t);
  } else if (choice < 80) {                                           // cpu_fork
    if (!live(w.tds)) return;
    const [t1, t2, p, flags] = [td(), td(), pm(), r.pick([0x10, 0x10, 0x30, 0, 0x14])];
    same(c, say(`cpu_fork(${t1}, ${t2}, ${p}, 0x${flags.toString(16)})`), (k) => k.cpuFork(t1, t2, p, flags));
  } else if (choice < 82) {                                           // cpu_prepare_lwp
    if (!live(w.tds)) return;
    const [t, p, func, arg] = [td(), pm(), r.next(), r.next()];
    const stack = r.chance(0.8) ? (mappedPage(r, c.w, p) + r.int(PAGE + 8)) >>> 0 : r.next();
    same(c, say(`cpu_prepare_lwp(${t}, ${p}, 0x${stack.toString(16)})`), (k) => k.cpuPrepareLwp(t, p, func, arg, stack));
  } else if (choice < 84) {                                           // exec_setregs
    if (!live(w.tds)) return;
    const [t, entry, stack, ps] = [td(), r.next(), r.next(), r.next()];
    same(c, say(`exec_setregs(${t})`), (k) => k.execSetregs(t, entry, stack, ps));
  } else if (choice < 86) {                                           // cpu_switchin, fork_return, handlers
    if (!live(w.tds)) return;
    const t = td();
    const which = r.int(3);
    if (which === 0) same(c, say(`cpu_switchin(${t})`), (k) => k.cpuSwitchin(t));
    else if (which === 1) same(c, say(`fork_return(${t})`), (k) => k.forkReturn(t));
    else {
      const [func, arg] = [r.pick([0xC0101100, 0xC0101300, r.next()]), r.next()];
      same(c, say(`cpu_set_fork_handler(${t})`), (k) => k.cpuSetForkHandler(t, func, arg));
    }
  } else if (choice < 88) {                                           // pcb / trapframe words
    if (!live(w.tds)) return;
    const t = td();
    const tf = r.chance(0.5);
    const fields = Object.keys(tf ? TF_FIELDS : PCB_FIELDS);
    const f = r.pick(fields), v = r.chance(0.3) ? r.pick([0, 0x202, 0x302, 0xC0101200]) : r.next();
    same(c, say(`${tf ? "tf" : "pcb"}.${f} = 0x${v.toString(16)}`), (k) => {
      const o = (tf ? k.trapframe(t) : k.pcb(t)) as unknown as Record<string, number>;
      o[f] = v;
      return o[f];
    });
  } else if (choice < 97) {                                           // LWP trees
    const which = r.int(10);
    if (which === 0 || !live(w.heads)) {
      if (w.heads.length >= 4) return;
      const hw = c.w.lwpTreeAlloc(), hp = c.p.lwpTreeAlloc();
      w.heads.push({ w: hw, p: hp, members: new Set() });
    } else if (which === 1) {
      const i = r.int(w.heads.length), h = w.heads[i];
      const a = c.w.x.lwptree_free(h.w), b = c.p.x.lwptree_free(h.p);
      expect(a, say(`lwptree_free (${h.members.size} members)`)()).toBe(b);
      expect(a).toBe(h.members.size === 0 ? 0 : -22);
      if (a === 0) w.heads.splice(i, 1);
    } else if (which <= 5) {
      // A thread in another tree is never offered: a lone root has no links, so the core
      // cannot tell, and inserting it elsewhere is the caller's error (lwptree.ts).
      const h = r.pick(w.heads);
      const free = w.tds.filter((t) => !w.heads.some((o) => o !== h && o.members.has(t)));
      if (!live(free)) return;
      const t = r.pick(free), tid = r.chance(0.9) ? r.int(40) : r.next() | 0;
      const res = same(c, say(`lwp_insert(${t}, ${tid})`), (k) => k.lwpInsert(k === c.w ? h.w : h.p, t, tid));
      if (res === 0) h.members.add(t);
    } else if (which <= 7) {
      if (!live(w.tds)) return;
      const h = r.pick(w.heads);
      const t = h.members.size && r.chance(0.8) ? r.pick([...h.members]) : td();
      const res = same(c, say(`lwp_remove(${t})`), (k) => k.x.lwp_remove(k === c.w ? h.w : h.p, t));
      if (res === 0) h.members.delete(t);
    } else {
      const h = r.pick(w.heads), tid = r.chance(0.9) ? r.int(40) : r.next() | 0;
      same(c, say(`lwp_lookup(${tid})`), (k) => k.lwpLookup(k === c.w ? h.w : h.p, tid));
      same(c, say("lwp_first"), (k) => k.x.lwp_first(k === c.w ? h.w : h.p));
    }
  } else {                                                            // raw calls with dead or bad handles
    const badPms = [0, -1, 70000, w.pms.length + 50, ...w.deadPms].filter((h) => !w.pms.includes(h));
    const badTds = [0, -1, MAX_THREADS + 1, ...w.deadTds].filter((h) => !w.tds.includes(h));
    const [bp, bt, va] = [r.pick(badPms), r.pick(badTds), userPage(r)];
    same(c, say(`raw calls, pm ${bp} td ${bt}`), (k) => {
      const x = k.x, io = x.core_iobuf();
      const out = [
        x.pmap_enter(bp, va, 3), x.pmap_fork(bp, 1), x.pmap_destroy(bp), x.pmap_translate(bp, va, 0),
        x.pmap_fault(bp, va, 7), x.pmap_remove(bp, 0, PAGE), x.pmap_protect(bp, 0, PAGE, 1), x.pmap_valid(bp),
        x.pmap_cr3(bp), x.pmap_pte(bp, va), x.pmap_resident(bp), x.pmap_next(bp, 0),
        x.copyin(bp, va, io, 4), x.copyout(bp, io, va, 4), x.copyout_word(bp, va, 1),
        x.thread_free(bt), x.thread_valid(bt), x.thread_kstack(bt), x.thread_sp(bt), x.cpu_switchin(bt),
        x.pcb_get(bt, 0), x.tf_get(bt, 0),
      ];
      if (w.pms.length) {
        const p = w.pms[0];
        out.push(x.pmap_fork(p, 7), x.pmap_enter(p, va + 1, 3), x.pmap_enter(p, MAX_USER | 0, 3), x.pmap_enter(p, va, 8),
          x.pmap_remove(p, PAGE, 0), x.pmap_protect(p, va, va + PAGE, 9), x.copyin(p, va, io, -1),
          x.copyin(p, (MAX_USER - 2) | 0, io, 4), x.pmap_fault(p, va, 3), x.pmap_fault(p, MAX_USER | 0, 7));
        if (w.tds.length) out.push(x.cpu_fork(w.tds[0], bt, p, 0x10), x.cpu_prepare_lwp(bt, p, 1, 2, 3));
      }
      return out;
    });
  }
}

/** Frees everything a seed made, on both cores, and checks both are back to their boot state. */
function teardown(c: Both, w: World): void {
  for (const h of w.heads) {
    for (const t of h.members) {
      expect(c.w.x.lwp_remove(h.w, t)).toBe(0);
      expect(c.p.x.lwp_remove(h.p, t)).toBe(0);
    }
    expect(c.w.x.lwptree_free(h.w)).toBe(0);
    expect(c.p.x.lwptree_free(h.p)).toBe(0);
  }
  for (const pm of w.pms) { c.w.pmapDestroy(pm); c.p.pmapDestroy(pm); }
  for (const t of w.tds) { c.w.threadFree(t); c.p.threadFree(t); }
  w.pms = []; w.tds = []; w.heads = [];
  compareState(c, w, "after teardown");
  expect(c.w.framesFree()).toBe(c.w.bootFreeFrames);
  expect(c.p.framesFree()).toBe(c.p.bootFreeFrames);
  expect(c.w.threadsUsed()).toBe(0);
}

let c: Both;
beforeAll(async () => {
  c = {
    w: Core.create({ physBytes: PHYS_BYTES, maxThreads: MAX_THREADS }),
    p: await Core.createPortable({ physBytes: PHYS_BYTES, maxThreads: MAX_THREADS }),
  };
});

describe("the Wasm core and the portable core agree", () => {
  it("right after creation", () => {
    expect(c.w.bootFreeFrames).toBe(c.p.bootFreeFrames);
    compareState(c, { pms: [], tds: [], heads: [], deadPms: [], deadTds: [] }, "boot");
  });

  // One portable core per process, so the seeds share the two cores, one after another;
  // each seed ends by freeing everything, and the cores must be back at their boot counts.
  for (const seed of SEEDS) {
    it(`on ${OPS_PER_SEED} random operations, seed ${seed}`, () => {
      const r = prng(seed);
      const w: World = { pms: [], tds: [], heads: [], deadPms: [], deadTds: [] };
      for (let i = 0; i < OPS_PER_SEED; i++) {
        step(c, w, r, `seed ${seed} op ${i}:`);
        if ((i + 1) % BATCH === 0) compareState(c, w, `seed ${seed} after op ${i}`);
      }
      compareState(c, w, `seed ${seed} at the end`);
      teardown(c, w);
    });
  }

  it("the runs covered the interesting outcomes", () => {
    if (process.env.DIFF_VERBOSE) console.log([...seen].sort().map(([k, n]) => `${k}: ${n}`).join("\n"));
    const s = c.w.stats();
    expect(s.pmapForks).toBeGreaterThan(50);
    expect(s.cowFaults).toBeGreaterThan(50);
    expect(s.cowOptim).toBeGreaterThan(0);
    expect(s.pagesCopied).toBeGreaterThan(500);
    for (const key of [
      "fork positive", "fork -12", "enter 0", "enter -12", "enter object", "translate ok", "translate fault", "fault 0", "fault -14",
      "copyout 0", "copyout -14", "copyin bytes", "copyin null", "writeWord 0", "writeWord -14", "readWord positive",
      "readWord null", "protect 0", "remove 0", "thread_alloc positive", "cpu_fork undefined",
      "cpu_prepare_lwp 0", "cpu_prepare_lwp -14", "cpu_switchin positive", "lwp_insert 0", "lwp_insert positive",
      "lwp_remove 0", "lwp_remove -22", "lwp_lookup positive", "lwp_lookup 0",
    ]) expect(seen.get(key) ?? 0, key).toBeGreaterThan(0);
  });
});
