// The bare kernel path through the Node API (src/kernel/api.ts, Forklab): a bare process
// (fl.spawn without an image: one stack page, so one user page table) forks, the child
// exits, and the parent reaps it with wait4 — one cycle, three syscalls through the int
// $0x80 entry. Reported as cycles per host second, per fork strategy, the strategies
// measured side by side (see lib/harness.mjs).
// Run: `npm run bench -- kernel` or `node bench/kernel.bench.mjs [--quick]`.
import {
  ensureCoreBuilt, importSrc, runBenchmark, interleave, ratio, fmtTime, printTable, machine,
  ROUNDS, MAX_TIME, QUICK,
} from "./lib/harness.mjs";

ensureCoreBuilt();
const { Forklab } = await importSrc("src/index.ts");

// Every strategy the core has, the default (cow) first: ratios are against it.
const { STRATEGIES: ALL } = await importSrc("src/core/core.ts");
const STRATEGIES = ["cow", ...ALL.filter((s) => s !== "cow")];

function setup(strategy) {
  const fl = new Forklab({ physBytes: 64 << 20, strategy });
  const p = fl.spawn({ comm: "bench" });
  const pid = p.pid;
  const once = () => {
    const f = fl.syscall(pid, "fork");
    if (!f.done || f.error) throw new Error(`fork: ${JSON.stringify(f)}`);
    const child = f.rv[0];
    const e = fl.syscall(child, "exit", [0]);
    if (!e.done) throw new Error(`exit: ${JSON.stringify(e)}`);
    const w = fl.syscall(pid, "wait4", [child, 0, 0, 0]);
    if (!w.done || w.error || w.rv[0] !== child) throw new Error(`wait4: ${JSON.stringify(w)}`);
  };
  once();
  const m = fl.memory();
  return { fl, pid, once, framesFree: m.framesFree, nprocs: fl.sysctl("kern.nprocs"), pts: new Set(fl.mappings(pid).map((x) => x.va >>> 22)).size };
}

const envs = Object.fromEntries(STRATEGIES.map((s) => [s, setup(s)]));
console.log(`forklab kernel benchmark (Node API, bare process) — ${await machine()}`);
console.log(`${ROUNDS} interleaved rounds, maxTime ${MAX_TIME} s per run${QUICK ? " (quick)" : ""}`);
console.log(`parent: ${envs.cow.fl.mappings(envs.cow.pid).length} user page(s) in ${envs.cow.pts} page table(s)\n`);

const res = interleave(Object.fromEntries(STRATEGIES.map((s) => [s, (warm) =>
  runBenchmark(`fork+exit+wait4 ${s}`, envs[s].once, warm ? { maxTime: 0.1 } : {})])));

for (const s of STRATEGIES) {
  const e = envs[s];
  const m = e.fl.memory();
  if (m.framesFree !== e.framesFree || e.fl.sysctl("kern.nprocs") !== e.nprocs) {
    throw new Error(`${s}: the cycle leaks (frames free ${e.framesFree} -> ${m.framesFree}, nprocs ${e.nprocs} -> ${e.fl.sysctl("kern.nprocs")})`);
  }
}

printTable(["strategy", "fork+exit+wait4 (median)", "cycles per host second", "per syscall"],
  STRATEGIES.map((s) => [s, fmtTime(res.median[s]), Math.round(1 / res.median[s]).toLocaleString("en-US"), fmtTime(res.median[s] / 3)]));
for (const s of STRATEGIES.slice(1)) console.log(`${s}/cow time ratio (median of per-round ratios): ${ratio(res, s, "cow").toFixed(3)}`);
