// The workloads through real i386 code: the bundled `spawn` program (fork; child exit(0);
// parent wait4 — the lmbench/UnixBench shape) running in the interpreter and entering the
// kernel with int $0x80, and the bundled `forkbomb` until the process table is full.
// Reported per fork strategy, all measured side by side (lib/harness.mjs).
//   spawn: cycles per host second (goals of issue 9: >= 500,000 with cow, >= 1,000,000 with share-pt)
//   forkbomb: host seconds to saturation (non-root, maxproc 532: nprocs reaches 522)
// Run: `npm run bench -- user` or `node bench/user.bench.mjs [--quick]`.
import {
  ensureCoreBuilt, importSrc, runBenchmark, interleave, ratio, fmtTime, printTable, machine,
  ROUNDS, MAX_TIME, QUICK,
} from "./lib/harness.mjs";

ensureCoreBuilt();
const { Forklab, bundledProgram, installBundled } = await importSrc("src/index.ts");

// Every strategy the core has, the default (cow) first: ratios are against it.
const { STRATEGIES: ALL } = await importSrc("src/core/core.ts");
const STRATEGIES = ["cow", ...ALL.filter((s) => s !== "cow")];
const LOOPS = QUICK ? 200 : 1000;

/**
 * A machine per strategy, made once (its creation is not what is measured); each timed
 * operation runs a fresh `spawn LOOPS` process on it to its exit and checks its loop count.
 */
function spawnMachine(strategy) {
  const fl = new Forklab({ strategy });
  installBundled(fl);
  let pid = -1, reaps = 0, exited = false;
  fl.on("reap", (e) => { if (e.by === pid) reaps++; });
  fl.on("exit", (e) => { if (e.pid === pid) { exited = true; if (e.status !== 0) throw new Error(`spawn exited ${e.status}`); } });
  return () => {
    reaps = 0; exited = false;
    pid = fl.spawn({ image: bundledProgram("spawn"), argv: ["spawn", String(LOOPS)], uid: 1000 }).pid;
    fl.run({ until: () => exited });
    if (reaps !== LOOPS) throw new Error(`spawn made ${reaps} loops, expected ${LOOPS}`);
  };
}
const spawnRuns = Object.fromEntries(STRATEGIES.map((s) => [s, spawnMachine(s)]));

/** One fork bomb to saturation; returns the virtual seconds it took. */
function bombRun(strategy) {
  const fl = new Forklab({ strategy });
  installBundled(fl);
  const ceiling = fl.sysctl("kern.maxproc") - 10;
  fl.spawn({ image: bundledProgram("forkbomb"), uid: 1000 });
  fl.run({ until: () => fl.sysctl("kern.nprocs") >= ceiling });
  if (fl.sysctl("kern.nprocs") !== ceiling) throw new Error(`the bomb reached ${fl.sysctl("kern.nprocs")}, not ${ceiling}`);
  return fl.seconds;
}

console.log(`forklab user-mode workloads — ${await machine()}`);
console.log(`${ROUNDS} interleaved rounds, maxTime ${MAX_TIME} s per run${QUICK ? " (quick)" : ""}\n`);

const spawn = interleave(Object.fromEntries(STRATEGIES.map((s) => [s, (warm) =>
  runBenchmark(`spawn ${LOOPS} ${s}`, spawnRuns[s], warm ? { maxTime: 0.1 } : {})])));
const vsec = Object.fromEntries(STRATEGIES.map((s) => [s, bombRun(s)]));
const bomb = interleave(Object.fromEntries(STRATEGIES.map((s) => [s, (warm) =>
  runBenchmark(`forkbomb ${s}`, () => bombRun(s), warm ? { maxTime: 0.1 } : {})])));

const GOALS = { cow: 500_000, "share-pt": 1_000_000 };
printTable(["strategy", `spawn ${LOOPS} loops (median)`, "spawn cycles per host second", "goal (issue 9)"],
  STRATEGIES.map((s) => {
    const cps = Math.round(LOOPS / spawn.median[s]), goal = GOALS[s];
    return [s, fmtTime(spawn.median[s]), cps.toLocaleString("en-US"), goal ? `>= ${goal.toLocaleString("en-US")}: ${cps >= goal ? "PASS" : "MISS"}` : "—"];
  }));
for (const s of STRATEGIES.slice(1)) console.log(`${s}/cow spawn time ratio: ${ratio(spawn, s, "cow").toFixed(3)}`);
console.log("");
printTable(["strategy", "forkbomb to 522 procs: host time (median)", "virtual time to saturation"],
  STRATEGIES.map((s) => [s, fmtTime(bomb.median[s]), `${vsec[s].toFixed(2)} s`]));
for (const s of STRATEGIES.slice(1)) console.log(`${s}/cow forkbomb time ratio: ${ratio(bomb, s, "cow").toFixed(3)}`);
