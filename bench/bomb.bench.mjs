// Fork bombs to 10,000 and 100,000 live processes (issue 9, item 2): the bundled
// `forkbomb` (for (;;) fork();) as root on a machine with room for them, run tick by
// tick until kern.nprocs reaches maxproc. Reported per size: host time to saturation,
// forks per host second in each tenth of the way (flat or not), the host cost of a
// refused fork at saturation beside the same at 100 processes, and per live process the
// JS heap (after a full GC) and the simulated memory (frames taken). Host time is the
// process's CPU time (user + system), which other load on the machine disturbs less than
// the wall clock; the wall-clock time to saturation is given beside it.
// Run: `npm run bench -- bomb` or `node bench/bomb.bench.mjs [--quick] [--strategy cow,share-pt]`
// (quick: 2,000 and 10,000 processes; by default cow and share-pt).
//
// The largest bomb is 99,000 processes, not 99,998 (kern.maxproc's top): pids run from
// 100 to 99,999, so a bomb that reached maxproc 99,998 would find no free pid first.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ensureCoreBuilt, importSrc, median, printTable, machine, QUICK } from "./lib/harness.mjs";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");

ensureCoreBuilt();
const { Forklab, bundledProgram } = await importSrc("src/index.ts");

const SIZES = QUICK ? [2000, 10000] : [10000, 99000];
const strategyArg = process.argv.indexOf("--strategy");
const STRATEGIES = strategyArg > 0 ? process.argv[strategyArg + 1].split(",") : ["cow", "share-pt"];
const MEM = 3 * 2 ** 30;
const RUNS = QUICK ? 1 : 3;

/** Host ms until `new Forklab` is ready, at physBytes (a fresh heap: the last machine collected first). */
async function ready(physBytes) {
  gc();
  await new Promise((r) => setTimeout(r, 50));
  const t0 = performance.now();
  new Forklab({ physBytes });
  return performance.now() - t0;
}

/** One bomb to `maxproc` processes: its timeline and the figures at saturation. */
function bomb(maxproc, strategy) {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const fl = new Forklab({ physBytes: MEM, maxproc, strategy });
  const free0 = fl.memory().framesFree;
  const n0 = fl.sysctl("kern.nprocs");
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const tb = performance.now(), cb = cpu();
  fl.spawn({ image: bundledProgram("forkbomb"), argv: ["forkbomb"], uid: 0 });
  const marks = [];                                  // [processes, host CPU ms since the bomb began]
  while (fl.sysctl("kern.nprocs") < maxproc) {
    fl.run({ ticks: 1 });
    marks.push([fl.sysctl("kern.nprocs"), cpu() - cb]);
  }
  const wallToSat = (performance.now() - tb) / 1000;
  const hostToSat = (cpu() - cb) / 1000;
  const live = fl.sysctl("kern.nprocs") - n0;
  const frames = free0 - fl.memory().framesFree;
  // Refusals at saturation: one virtual second of them, host time per refused fork.
  const s0 = fl.counters().v_syscall, cr = cpu();
  fl.run({ ticks: fl.hz });
  const refusals = fl.counters().v_syscall - s0;
  const perRefusal = (cpu() - cr) / 1000 / Math.max(1, refusals);
  gc();
  const heap = process.memoryUsage().heapUsed - heap0;
  // Forks per host second in each tenth of the way to maxproc.
  const tenths = [];
  let prev = [n0, 0];
  for (let k = 1; k <= 10; k++) {
    const target = n0 + ((maxproc - n0) * k) / 10;
    const m = marks.find(([n]) => n >= target) ?? marks[marks.length - 1];
    tenths.push((m[0] - prev[0]) / Math.max(1e-9, (m[1] - prev[1]) / 1000));
    prev = m;
  }
  void fl;
  return { hostToSat, wallToSat, live, tenths, refusals, perRefusal, heapPerProc: heap / live, memPerProc: (frames * 4096) / live };
}

console.log(`forklab fork-bomb benchmark (forkbomb as root, ${STRATEGIES.join(" and ")}, ${MEM / 2 ** 30} GiB) — ${await machine()}`);
console.log(`${RUNS} run(s) per size, medians${QUICK ? " (quick)" : ""}\n`);

new Forklab(); // compiles the core and warms the boot path
const readyRows = [];
for (const mib of [64, 1024, 3072]) {
  const ts = [];
  for (let i = 0; i < 7; i++) ts.push(await ready(mib * 2 ** 20));
  readyRows.push([`${mib} MiB`, `${median(ts).toFixed(1)} ms`, `${Math.min(...ts).toFixed(1)} ms`]);
}
printTable(["new Forklab", "median", "min"], readyRows);
console.log();

const rows = [];
for (const strategy of STRATEGIES) {
  const small = [];
  for (let i = 0; i < RUNS; i++) small.push(bomb(100, strategy).perRefusal);
  const refusal100 = median(small);
  for (const n of SIZES) {
    const rs = [];
    for (let i = 0; i < RUNS; i++) rs.push(bomb(n, strategy));
    const med = (f) => median(rs.map(f));
    const tenths = rs[0].tenths.map((_, k) => med((r) => r.tenths[k]));
    rows.push([
      strategy,
      n.toLocaleString("en-US"),
      `${med((r) => r.hostToSat).toFixed(2)} s (${med((r) => r.wallToSat).toFixed(2)} s wall)`,
      Math.round(med((r) => r.live / r.hostToSat)).toLocaleString("en-US"),
      `${Math.round(Math.min(...tenths)).toLocaleString("en-US")}–${Math.round(Math.max(...tenths)).toLocaleString("en-US")}`,
      `${(med((r) => r.perRefusal) * 1e6).toFixed(1)} µs (${(refusal100 * 1e6).toFixed(1)} at 100), ${Math.round(med((r) => r.refusals)).toLocaleString("en-US")} in 1 s virtual`,
      `${(med((r) => r.heapPerProc) / 1024).toFixed(2)} KiB`,
      `${(med((r) => r.memPerProc) / 1024).toFixed(1)} KiB`,
    ]);
    console.log(`${strategy}, ${n} processes, forks per host second by tenths: ${tenths.map((f) => Math.round(f)).join(" ")}`);
  }
}
console.log();
printTable(
  ["strategy", "processes", "host CPU to saturation", "forks/s (mean)", "forks/s (tenths, min–max)", "refused fork (host)", "JS heap / process", "simulated / process"],
  rows,
);
