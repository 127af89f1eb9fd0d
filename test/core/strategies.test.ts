// Differential test of the three fork strategies: one core per strategy (copy, cow,
// share-pt) runs the same seeded random operations — address spaces made, pages entered,
// forks with and without skipped ranges, destroys,
// removes, protections, write faults, copyout, copyin, words, read translations — and
// every address space must see the same thing in each: every read and write gives the
// same result at the moment it is made, and after every batch each space maps the same
// pages, with the same user and logical write rights, holding the same bytes, and every
// core passes the frame audit (refcounts equal references: shared page tables held by
// several directories). Memory is large enough that no strategy runs out (ENOMEM would
// be the one legitimate difference), and after the last destroy every frame is free.
// (pmap_enter_frame is left out: which frame a page is at a given moment is the strategy's
// business, so sharing one by its physical address is not strategy-neutral; the kernel
// shares only object pages, and test/fuzz runs its shared mappings under all three.)
import { describe, it, expect } from "vitest";
import { Core, STRATEGIES, type Strategy } from "../../src/core/core.js";
import { auditCore } from "../../src/kernel/invariants.js";

const PAGE = 4096;
const MAX_USER = 0xBFC00000;
const PG_U = 0x004, PG_RW = 0x002, PG_COW = 0x800;
const OPS = 3000;
const BATCH = 25;
const MAX_PMS = 8;

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
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)], chance: (p: number) => next() / 2 ** 32 < p };
}
type Rng = ReturnType<typeof prng>;

/** A user page, often in the same few page tables (so tables are shared, unshared, dropped). */
function userPage(r: Rng): number {
  const pde = r.pick([0, 0, 0, 1, 1, 2, 5, 766]);
  return ((pde << 22) | ((r.chance(0.8) ? r.int(24) : r.int(1024)) << 12)) >>> 0;
}

function userRange(r: Rng): [number, number] {
  const sva = r.chance(0.15) ? (userPage(r) & ~0x3FFFFF) >>> 0 : userPage(r); // sometimes a whole table's start
  const pages = r.chance(0.15) ? 1024 * (1 + r.int(2)) : r.chance(0.1) ? r.int(3000) : r.int(8);
  return [sva, Math.min(MAX_USER, sva + pages * PAGE)];
}

/** What an address space shows its user: each present page, its user and logical write rights, its bytes. */
function view(c: Core, pm: number): string[] {
  return c.mappings(pm).map(({ va, pte }) => {
    const bytes = c.copyin(pm, va, PAGE);
    const sum = bytes ? Buffer.from(bytes).toString("base64") : "hidden";
    return `${va.toString(16)} u${(pte & PG_U) ? 1 : 0} w${(pte & (PG_RW | PG_COW)) ? 1 : 0} ${sum}`;
  });
}

describe("copy, cow and share-pt: every address space sees the same bytes at every moment", () => {
  for (const seed of [7, 8, 9]) {
    it(`seed ${seed}: ${OPS} random operations`, () => {
      const cores = STRATEGIES.map((s) => [s, Core.create({ physBytes: 96 << 20, maxThreads: 8 })] as [Strategy, Core]);
      const boot = cores.map(([, c]) => c.framesFree());
      const r = prng(seed);
      let pms: number[] = [];
      /** The op on every core: the same result everywhere (a difference names the strategy). */
      const all = (what: string, op: (c: Core, s: Strategy) => unknown): unknown => {
        const out = cores.map(([s, c]) => {
          const v = op(c, s);
          return v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v;
        });
        for (let i = 1; i < out.length; i++) expect(out[i], `${what}: ${cores[i][0]} vs ${cores[0][0]}`).toEqual(out[0]);
        return out[0];
      };
      const compare = (where: string) => {
        for (const pm of pms) {
          all(`${where}: resident of pm ${pm}`, (c) => c.resident(pm));
          all(`${where}: view of pm ${pm}`, (c) => view(c, pm));
        }
        for (const [, c] of cores) auditCore(c);
      };
      const stats = { shared: 0, unshared: 0, kept: 0 };
      for (let i = 0; i < OPS; i++) {
        const at = `op ${i}`;
        const k = r.int(100);
        const pm = pms.length ? r.pick(pms) : 0;
        if (pm === 0 || (k < 4 && pms.length < MAX_PMS)) {
          const h = all(`${at} create`, (c) => c.pmapCreate()) as number;
          expect(h).toBeGreaterThan(0);
          pms.push(h);
        } else if (k < 30) {
          const va = userPage(r), prot = r.int(8);
          const n = r.chance(0.2) ? 1 + r.int(40) : 1;
          all(`${at} enter(${pm}, ${va.toString(16)} x${n}, ${prot})`, (c) => {
            for (let j = 0; j < n && va + j * PAGE < MAX_USER; j++) if (c.enter(pm, va + j * PAGE, prot) !== 0) return -1;
            return 0;
          });
        } else if (k < 38) {
          if (pms.length >= MAX_PMS) continue;
          const skip: [number, number][] = [];
          if (r.chance(0.3)) skip.push(userRange(r));
          const h = all(`${at} fork(${pm}, skip ${JSON.stringify(skip)})`, (c, s) => (skip.length ? c.forkSkip(pm, s, skip) : c.fork(pm, s))) as number;
          expect(h).toBeGreaterThan(0);
          pms.push(h);
        } else if (k < 42) {
          if (pms.length < 3) continue;
          all(`${at} destroy(${pm})`, (c) => c.pmapDestroy(pm));
          pms = pms.filter((p) => p !== pm);
        } else if (k < 47) {
          const [s, e] = userRange(r);
          all(`${at} remove(${pm}, ${s.toString(16)}, ${e.toString(16)})`, (c) => c.remove(pm, s, e));
        } else if (k < 53) {
          const [s, e] = userRange(r), prot = r.int(8);
          if (r.chance(0.2)) all(`${at} protectNone(${pm})`, (c) => c.protectNone(pm, s, e));
          else all(`${at} protect(${pm}, ${s.toString(16)}, ${e.toString(16)}, ${prot})`, (c) => c.protect(pm, s, e, prot));
        } else if (k < 60) {
          // A write fault: whether there was copy-on-write work depends on the strategy, what it shows does not.
          const va = (userPage(r) + r.int(PAGE)) >>> 0;
          for (const [, c] of cores) c.fault(pm, va, 7);
        } else if (k < 75) {
          const va = (userPage(r) + r.int(PAGE)) >>> 0, n = r.chance(0.2) ? r.int(9000) : 1 + r.int(64);
          const data = Uint8Array.from({ length: n }, () => r.int(256));
          all(`${at} copyout(${pm}, ${va.toString(16)}, ${n})`, (c) => c.copyout(pm, va, data));
        } else if (k < 85) {
          const va = (userPage(r) + r.int(PAGE)) >>> 0, n = r.int(6000);
          all(`${at} copyin(${pm}, ${va.toString(16)}, ${n})`, (c) => c.copyin(pm, va, n));
        } else if (k < 92) {
          const va = (userPage(r) + PAGE - 1 - r.int(6)) >>> 0, v = r.next();
          all(`${at} writeWord(${pm}, ${va.toString(16)})`, (c) => c.writeWord(pm, va, v));
          all(`${at} readWord(${pm}, ${va.toString(16)})`, (c) => c.readWord(pm, va));
        } else {
          const va = (userPage(r) + r.int(PAGE)) >>> 0;
          all(`${at} translate(${pm}, ${va.toString(16)}, user read)`, (c) => c.translate(pm, va, 4).fault);
        }
        if ((i + 1) % BATCH === 0) compare(`after op ${i}`);
      }
      compare("at the end");
      const sp = cores[2][1].stats();
      stats.shared = sp.ptsShared; stats.unshared = sp.ptsUnshared; stats.kept = sp.ptsKept;
      // The run did share, copy and keep tables (else it tested nothing of share-pt).
      expect(stats.shared).toBeGreaterThan(50);
      expect(stats.unshared).toBeGreaterThan(10);
      expect(stats.kept).toBeGreaterThan(5);
      for (const pm of pms) all(`teardown destroy(${pm})`, (c) => c.pmapDestroy(pm));
      cores.forEach(([s, c], i) => {
        expect(c.framesFree(), `${s}: every frame free after the last destroy`).toBe(boot[i]);
        auditCore(c);
      });
    });
  }
});
