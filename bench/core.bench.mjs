// The core's hot paths, Wasm build vs portable build of the same sources, side by side:
//   - fork + destroy, and fork alone, of address spaces with 1, 4, 16, 64 full page
//     tables (1024 present PTEs each), per strategy (copy, cow, share-pt)
//   - copy-on-write write-fault resolution, copy case (shared frame) and keep case (last
//     reference); under share-pt the first write after fork (the table's copy, then the
//     page's)
//   - share-pt and cow fork against resident size, 64 KiB to 1 GiB (Wasm only)
//   - sys/tree.h RB tree insert / lookup / remove at 10^3 and 10^6 nodes
// Run: `npm run bench -- core` or `node bench/core.bench.mjs [--quick]`. Method in
// lib/harness.mjs; results and their reading in docs/performance.md.
import {
  ensureCoreBuilt, importSrc, runBenchmark, interleave, ratio, fmtTime, printTable, machine,
  ROUNDS, MAX_TIME, QUICK,
} from "./lib/harness.mjs";

ensureCoreBuilt();
const { Core } = await importSrc("src/core/core.ts");

const PAGE = 4096;
const PTES = 1024;
const STRATEGY = { copy: 0, cow: 1, "share-pt": 2 };
const ERR_UW = 7; // PGEX_P | PGEX_W | PGEX_U: a user write to a present page
const RB_NODE_BYTES = 20;
const RB_KEY = 16;

// Both cores the same size. The largest moment: a 64-PT parent and one eager copy of it
// (2 x 65,600 frames), plus the children a fork-alone cycle keeps until its teardown.
const PHYS = 640 << 20;
const opts = { physBytes: PHYS, maxThreads: 16 };
const cores = { wasm: Core.create(opts), portable: await Core.createPortable(opts) };
// Touch all of physical memory once, so no measurement pays the host's first-touch page faults.
// (Free frames only: their contents are garbage by contract.) Taking every frame once first
// makes the core grow linear memory over all of physical memory (it grows as frames are
// first used) and leaves every frame a freed one, zeroed when next taken, as at any later time.
for (const c of Object.values(cores)) {
  const taken = [];
  for (let pa = c.x.frame_alloc(); pa > 0; pa = c.x.frame_alloc()) taken.push(pa);
  for (const pa of taken) c.x.frame_unref(pa);
  const phys = c.phys();
  for (let pa = PAGE; pa < PHYS; pa += PAGE) if (c.x.frame_refcount(pa) === 0) phys.fill(0, pa, pa + PAGE);
}

// Operations that take nanoseconds run in batches inside one persistent function per
// core (compiled separately per core with new Function, so no call site sees two
// backends), so the loop Benchmark compiles afresh every cycle adds little per operation.
const BATCH = 64;
function batchOps(core) {
  // eslint-disable-next-line no-new-func
  return new Function("x", `
    return {
      fault(pm, va, n) { let s = 0; for (let i = 0; i < n; i++) { s |= x.pmap_fault(pm, va, ${ERR_UW}); va = (va + ${PAGE}) | 0; } return s; },
      faultEach(pms, va, n) { let s = 0; for (let i = 0; i < n; i++) s |= x.pmap_fault(pms[i], va, ${ERR_UW}); return s; },
      insert(head, nodes, a, n) { let s = 0; for (let i = a; i < a + n; i++) s |= x.rb_insert(head, nodes[i]); return s; },
      remove(head, nodes, a, n) { for (let i = a; i < a + n; i++) x.rb_remove(head, nodes[i]); },
      lookup(head, keys, k, n) { let s = 0; for (let i = 0; i < n; i++) s ^= x.rb_lookup(head, keys[(k + i) & 65535]); return s; },
      nop(n) { let s = 0; for (let i = 0; i < n; i++) s ^= x.frames_free(); return s; },
    };`)(core.x);
}
const ops = Object.fromEntries(Object.entries(cores).map(([k, c]) => [k, batchOps(c)]));

/** A parent address space with nPts full page tables of writable pages at VA 0... */
function populate(core, nPts) {
  const x = core.x;
  const pm = x.pmap_create();
  if (pm < 0) throw new Error(`pmap_create: ${pm}`);
  for (let va = 0; va < nPts * PTES * PAGE; va += PAGE) {
    const r = x.pmap_enter(pm, va, 3);
    if (r !== 0) throw new Error(`pmap_enter 0x${va.toString(16)}: ${r}`);
  }
  return pm;
}

const rows = [];
const goalRow = (op, res, { per = 1, perLabel = "", goals = [] } = {}) => {
  const w = res.median.wasm, p = res.median.portable;
  const r = ratio(res, "wasm", "portable");
  const cell = (s) => (perLabel ? `${fmtTime(s)} (${((s / per) * 1e9).toFixed(2)} ${perLabel})` : fmtTime(s));
  const verdicts = goals.map((g) => g(w, r));
  rows.push([op, cell(w), cell(p), `${r.toFixed(3)} (${(1 / r).toFixed(1)}x)`,
    verdicts.map((v) => v.goal).join("; ") || "—", verdicts.map((v) => v.result).join("; ") || "—"]);
};
const nsPerPteGoal = (limitNs, per) => (w) => {
  const ns = (w / per) * 1e9;
  return { goal: `≤ ${limitNs} ns/PTE`, result: `${ns <= limitNs ? "PASS" : "MISS"} (${ns.toFixed(2)})` };
};
const speedupGoal = (min) => (_w, r) => ({ goal: `Wasm ≥ ${min}x`, result: `${1 / r >= min ? "PASS" : "MISS"} (${(1 / r).toFixed(1)}x)` });
const nsGoal = (limitNs) => (w) => ({ goal: `≤ ${limitNs} ns`, result: `${w * 1e9 <= limitNs ? "PASS" : "MISS"} (${(w * 1e9).toFixed(0)})` });

console.log(`forklab core benchmarks — ${await machine()}`);
console.log(`${ROUNDS} interleaved rounds per comparison, maxTime ${MAX_TIME} s per run${QUICK ? " (quick)" : ""}\n`);

// ---- the floor: one JS -> core call of a trivial export (frames_free) ----
{
  const res = interleave(Object.fromEntries(Object.keys(cores).map((k) => [k, (warm) => {
    globalThis.__b = { f: ops[k] };
    return runBenchmark(`nop ${k}`, {
      setup: "var f = globalThis.__b.f, s = 0;",
      fn: `s ^= f.nop(${BATCH});`,
      teardown: "globalThis.__sink = s;",
    }, warm ? { maxTime: 0.05 } : {}).map((t) => t / BATCH);
  }])));
  goalRow("call of a trivial export (frames_free)", res);
}

// ---- fork ----
for (const nPts of [1, 4, 16, 64]) {
  const parents = Object.fromEntries(Object.entries(cores).map(([k, c]) => [k, populate(c, nPts)]));
  const ptes = nPts * PTES;
  const forkRows = (strategy) => {
    const code = STRATEGY[strategy];
    // fork + destroy: one operation, timed whole
    const fd = interleave(Object.fromEntries(Object.entries(cores).map(([k, c]) => [k, (warm) => {
      const x = c.x, pm = parents[k];
      return runBenchmark(`fork+destroy ${strategy} ${nPts} ${k}`, () => {
        const child = x.pmap_fork(pm, code);
        if (child < 0) throw new Error(`pmap_fork: ${child}`);
        x.pmap_destroy(child);
      }, warm ? { maxTime: 0.05 } : {});
    }])));
    goalRow(`fork+destroy ${strategy}, ${nPts} PT${nPts > 1 ? "s" : ""}`, fd, {
      per: ptes, perLabel: "ns/PTE", goals: [speedupGoal(3)],
    });
    // fork alone: the children of a cycle are destroyed in its teardown, untimed
    const fa = interleave(Object.fromEntries(Object.entries(cores).map(([k, c]) => [k, (warm) => {
      globalThis.__b = { x: c.x, pm: parents[k], st: code };
      return runBenchmark(`fork ${strategy} ${nPts} ${k}`, {
        setup: "var B = globalThis.__b, x = B.x, pm = B.pm, st = B.st, kids = new Int32Array(this.count), k = 0;",
        fn: "kids[k++] = x.pmap_fork(pm, st);",
        teardown: "for (var i = 0; i < k; i++) { if (kids[i] <= 0) globalThis.__benchFailure = 'pmap_fork returned ' + kids[i]; else x.pmap_destroy(kids[i]); }",
      }, { minTime: strategy === "copy" ? 0.002 : 0.01, ...(warm ? { maxTime: 0.05 } : {}) });
    }])));
    goalRow(`fork alone ${strategy}, ${nPts} PT${nPts > 1 ? "s" : ""}`, fa, {
      per: ptes, perLabel: "ns/PTE", goals: strategy === "cow" ? [nsPerPteGoal(1.5, ptes), speedupGoal(3)] : [speedupGoal(3)],
    });
  };
  // share-pt last: its forks leave the parent's PDEs read-only, which the COW rows below
  // (cow forks of the same parent) should not start from.
  forkRows("cow");
  forkRows("copy");

  // ---- copy-on-write faults: on the 1-PT parent (4 MiB of pages, cache-warm) and on
  // the 64-PT parent (256 MiB, memory-bound) ----
  if (nPts === 1 || nPts === 64) {
    // A fixed number of faults per cycle (Benchmark's initCount with a negligible minTime).
    const perCycle = nPts === 1 ? PTES : 4096;
    for (const kase of ["copy", "keep"]) {
      const before = Object.fromEntries(Object.entries(cores).map(([k, c]) => [k, c.stats()]));
      const res = interleave(Object.fromEntries(Object.entries(cores).map(([k, c]) => [k, (warm) => {
        globalThis.__b = { x: c.x, f: ops[k], pm: parents[k], pages: ptes };
        // copy: the child faults, each page shared with the parent (refcount 2) is copied.
        // keep: the child is destroyed first, so the parent's COW pages have refcount 1
        // and each fault just makes the PTE writable again.
        const victim = kase === "copy" ? "c" : "pm";
        return runBenchmark(`cow fault ${kase} ${nPts} ${k}`, {
          setup: `var B = globalThis.__b, x = B.x, f = B.f, pm = B.pm, n = this.count * ${BATCH}, va = 0, s = 0;
            if (n > B.pages) throw new Error('cycle of ' + n + ' faults exceeds the ' + B.pages + ' pages');
            var c = x.pmap_fork(pm, 1); if (c < 0) throw new Error('pmap_fork: ' + c);
            ${kase === "keep" ? "x.pmap_destroy(c);" : ""}`,
          fn: `s |= f.fault(${victim}, va, ${BATCH}); va = (va + ${BATCH * PAGE}) | 0;`,
          teardown: `if (s !== 0) globalThis.__benchFailure = 'pmap_fault failed: ' + s; ${kase === "copy" ? "x.pmap_destroy(c);" : ""}`,
        }, { initCount: perCycle / BATCH, minTime: 1e-9, ...(warm ? { maxTime: 0.05 } : {}) }).map((t) => t / BATCH);
      }])));
      // Check the benchmark resolved the case it claims.
      for (const [k, c] of Object.entries(cores)) {
        const s = c.stats(), b = before[k];
        const faults = s.cowFaults - b.cowFaults;
        const kept = s.cowOptim - b.cowOptim;
        if (faults === 0 || (kase === "keep" ? kept !== faults : kept !== 0)) {
          throw new Error(`cow fault ${kase} on ${k}: ${faults} faults, ${kept} kept`);
        }
      }
      goalRow(`COW write fault, ${kase} case, ${nPts === 1 ? "1-PT parent (4 MiB)" : "64-PT parent (256 MiB)"}`, res, { goals: [nsGoal(150)] });
    }
  }
  forkRows("share-pt");
  // ---- share-pt's first write after fork: a child's first write fault in a shared table
  // copies the table (cow rules for its 1024 entries), then the page. A cycle forks its
  // children untimed and times one such fault in each.
  if (nPts === 1 || nPts === 64) {
    const perCycle = BATCH;
    const before = Object.fromEntries(Object.entries(cores).map(([k, c]) => [k, c.stats()]));
    const res = interleave(Object.fromEntries(Object.entries(cores).map(([k, c]) => [k, (warm) => {
      globalThis.__b = { x: c.x, f: ops[k], pm: parents[k] };
      return runBenchmark(`share-pt first write ${nPts} ${k}`, {
        setup: `var B = globalThis.__b, x = B.x, f = B.f, pm = B.pm, n = this.count * ${BATCH}, s = 0, done = 0;
          var kids = new Int32Array(n);
          for (var i = 0; i < n; i++) { kids[i] = x.pmap_fork(pm, 2); if (kids[i] < 0) throw new Error('pmap_fork: ' + kids[i]); }`,
        fn: `s |= f.faultEach(kids.subarray(done, done + ${BATCH}), ${(nPts - 1) * PTES * PAGE + 5 * PAGE}, ${BATCH}); done += ${BATCH};`,
        teardown: "if (s !== 0) globalThis.__benchFailure = 'pmap_fault failed: ' + s; for (var i = 0; i < n; i++) x.pmap_destroy(kids[i]);",
      }, { initCount: perCycle / BATCH, minTime: 1e-9, ...(warm ? { maxTime: 0.05 } : {}) }).map((t) => t / BATCH);
    }])));
    for (const [k, c] of Object.entries(cores)) {
      const s = c.stats(), b = before[k];
      if (s.ptsUnshared - b.ptsUnshared !== s.cowFaults - b.cowFaults || s.cowFaults === b.cowFaults) {
        throw new Error(`share-pt first write on ${k}: ${s.cowFaults - b.cowFaults} faults, ${s.ptsUnshared - b.ptsUnshared} tables copied`);
      }
    }
    goalRow(`share-pt first write after fork (table copy + COW fault), ${nPts === 1 ? "1-PT parent" : "64-PT parent"}`, res);
  }
  for (const [k, c] of Object.entries(cores)) c.x.pmap_destroy(parents[k]);
}

// ---- fork against resident size (Wasm): share-pt's cost follows the directory entries,
// cow's the present PTEs. One parent at a time in a core of its own (1 GiB resident).
const sizeRows = [];
{
  const big = Core.create({ physBytes: 1280 << 20, maxThreads: 16 });
  const x = big.x;
  const medianOf = (name, spec, o = {}) => interleave({ wasm: (warm) => runBenchmark(name, spec, warm ? { ...o, maxTime: 0.05 } : o) }).median.wasm;
  const forkAlone = (pm, code, label) => {
    globalThis.__b = { x, pm, st: code };
    return medianOf(`fork ${label}`, {
      setup: "var B = globalThis.__b, x = B.x, pm = B.pm, st = B.st, kids = new Int32Array(this.count), k = 0;",
      fn: "kids[k++] = x.pmap_fork(pm, st);",
      teardown: "for (var i = 0; i < k; i++) { if (kids[i] <= 0) globalThis.__benchFailure = 'pmap_fork returned ' + kids[i]; else x.pmap_destroy(kids[i]); }",
    }, { minTime: 0.002 });
  };
  const forkDestroy = (pm, code, label) => medianOf(`fork+destroy ${label}`, () => {
    const child = x.pmap_fork(pm, code);
    if (child < 0) throw new Error(`pmap_fork: ${child}`);
    x.pmap_destroy(child);
  });
  const sizes = [["64 KiB", 16], ["1 MiB", 256], ["16 MiB", 4096], ["256 MiB", 65536], ["1 GiB", 262144]];
  const shareFork = {};
  for (const [label, pages] of sizes) {
    const pm = x.pmap_create();
    for (let i = 0; i < pages; i++) if (x.pmap_enter(pm, i * PAGE, 3) !== 0) throw new Error(`pmap_enter page ${i}`);
    const r = {
      spFork: forkAlone(pm, 2, `share-pt ${label}`), spFd: forkDestroy(pm, 2, `share-pt ${label}`),
    };
    // cow from the same parent: its tables taken back first (a write in each), so cow's
    // fork starts from the private tables it always sees under cow.
    for (let va = 0; va < pages * PAGE; va += PTES * PAGE) x.pmap_fault(pm, va, ERR_UW);
    r.cowFork = forkAlone(pm, 1, `cow ${label}`);
    r.cowFd = forkDestroy(pm, 1, `cow ${label}`);
    shareFork[label] = r.spFork;
    sizeRows.push([label, String(pages), fmtTime(r.spFork), fmtTime(r.spFd), fmtTime(r.cowFork), fmtTime(r.cowFd)]);
    x.pmap_destroy(pm);
  }
  const growth = shareFork["1 GiB"] / shareFork["64 KiB"];
  sizeRows.push(["1 GiB / 64 KiB", "16,384x", `${growth.toFixed(2)}x (goal ≤ 4x: ${growth <= 4 ? "PASS" : "MISS"})`, "", "", ""]);
  sizeRows.push(["goal: share-pt fork of 1 GiB ≤ 20 µs", "", shareFork["1 GiB"] <= 20e-6 ? "PASS" : "MISS", "", "", ""]);
}

// ---- RB tree ----
/** murmur3's fmix32: a bijection on 32 bits, so distinct inputs give distinct keys. */
function fmix32(h) {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
for (const n of [1000, 1_000_000]) {
  const spares = n >= 1e6 ? 200_000 : 20_000;
  // Insert and remove change the tree: a cycle inserts (for remove: first inserts,
  // untimed) a fixed number of spare nodes and its teardown restores the tree, so the
  // tree holds n to n + perCycle nodes. Each cycle takes the next window of spares, so
  // no key sequence repeats often enough for the branch predictor to learn it.
  const perCycle = n >= 1e6 ? 4096 : 512;
  const env = {};
  for (const [k, c] of Object.entries(cores)) {
    const arena = c.rbArena(n + spares);
    const i32 = new Int32Array(c.linear().buffer);
    const nodes = new Int32Array(n + spares);
    for (let i = 0; i < n + spares; i++) {
      nodes[i] = arena.base + i * RB_NODE_BYTES;
      i32[(nodes[i] + RB_KEY) >> 2] = fmix32(i + 0x5EED);
    }
    for (let i = 0; i < n; i++) if (c.x.rb_insert(arena.head, nodes[i]) !== 0) throw new Error("duplicate key");
    const lookupKeys = new Int32Array(65536);
    for (let i = 0; i < 65536; i++) lookupKeys[i] = fmix32((fmix32(i) >>> 0) % n + 0x5EED);
    env[k] = { head: arena.head, nodes, lookupKeys, first: n, end: n + spares, next: n };
  }
  const label = n >= 1e6 ? "10^6" : "10^3";
  const rbSides = (op) => Object.fromEntries(Object.keys(cores).map((k) => [k, (warm) => {
    globalThis.__b = Object.assign(env[k], { f: ops[k] });
    const common = `var B = globalThis.__b, f = B.f, h = B.head, nodes = B.nodes, m = this.count * ${BATCH}, s = 0;
      var a = B.next; if (a + m > B.end) a = B.first; B.next = a + m; var a0 = a;`;
    const spec = op === "insert" ? {
      setup: common, fn: `s |= f.insert(h, nodes, a, ${BATCH}); a += ${BATCH};`,
      teardown: "if (s !== 0) globalThis.__benchFailure = 'rb_insert found a duplicate'; f.remove(h, nodes, a0, m);",
    } : op === "remove" ? {
      setup: `${common} if (f.insert(h, nodes, a, m) !== 0) throw new Error('duplicate');`,
      fn: `f.remove(h, nodes, a, ${BATCH}); a += ${BATCH};`,
    } : {
      setup: "var B = globalThis.__b, f = B.f, h = B.head, keys = B.lookupKeys, k = 0, s = 0;",
      fn: `s ^= f.lookup(h, keys, k, ${BATCH}); k += ${BATCH};`,
      teardown: "globalThis.__sink = s;",
    };
    const fixed = op === "lookup" ? {} : { initCount: perCycle / BATCH, minTime: 1e-9 };
    return runBenchmark(`rb ${op} ${label} ${k}`, spec, { ...fixed, ...(warm ? { maxTime: 0.05 } : {}) }).map((t) => t / BATCH);
  }]));
  for (const op of ["insert", "lookup", "remove"]) goalRow(`RB ${op}, ${label} nodes`, interleave(rbSides(op)));
}

console.log("");
printTable(["operation", "Wasm median", "portable median", "Wasm/portable", "goal", "result"], rows);
console.log("\nWasm/portable: median over rounds of the ratio of the two medians measured side by side (below 1: Wasm faster; in brackets, the speedup).");
console.log("fork rows: per present PTE in brackets; the parent's writable PTEs are already COW after the first cow fork (steady state).");
console.log("share-pt rows: the parent's PDEs are read-only after its first share-pt fork (steady state); first write = the table's copy, then the page's.");
console.log("\nFork against resident size (Wasm build, medians):\n");
printTable(["resident", "pages", "share-pt fork", "share-pt fork+destroy", "cow fork", "cow fork+destroy"], sizeRows);
