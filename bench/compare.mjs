// Side by side against other builds of forklab, in one process and one run: "nothing is
// slower" (issue 8) checked for the spawn loop and the fork bomb. This worktree's build
// (dist/ and build/, made by `npm run build`; rebuilt here when src/ or assembly/ is newer)
// and each --base build (a folder with dist/src/index.js and build/core.wasm, e.g. a
// checkout of an earlier commit after `npm run build`) are loaded together; every round
// runs each build once, in alternating order, and a ratio is the median of the per-round
// ratios (lib/harness.mjs). Each figure is a median of single operations timed one by one
// (harness samples()), which a loaded host's preemptions move far less than a mean.
//   node bench/compare.mjs --base /work/wt/base [--base DIR2 ...] [--only spawn,bare,bomb] [--quick]
// Measured per fork strategy both builds have:
//   spawn  the bundled `spawn` program, runs of LOOPS fork+exit+wait4 loops through the interpreter
//   bare   fork+exit+wait4 through Forklab.syscall on a bare process (the API path)
//   bomb   the bundled `forkbomb` to saturation (maxproc 532: 522 processes)
// Speed-up = base time / this time: above 1 is faster than the base.
import { existsSync, readdirSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { root, samples, interleave, ratio, fmtTime, printTable, machine, ROUNDS, QUICK } from "./lib/harness.mjs";

const args = process.argv.slice(2);
const bases = args.flatMap((a, i) => (a === "--base" ? [resolve(args[i + 1] ?? "")] : []));
const only = args.flatMap((a, i) => (a === "--only" ? (args[i + 1] ?? "").split(",") : []));
if (bases.length === 0) {
  console.error("usage: node bench/compare.mjs --base DIR [--base DIR ...] [--quick]\n"
    + "  DIR: a built forklab (dist/src/index.js and build/core.wasm), e.g. a checkout of an earlier commit after npm run build");
  process.exit(2);
}
for (const b of bases) {
  if (!existsSync(join(b, "dist/src/index.js")) || !existsSync(join(b, "build/core.wasm"))) {
    console.error(`${b}: not a built forklab (no dist/src/index.js or build/core.wasm)`);
    process.exit(2);
  }
}

/** Newest modification time under dir (recursive). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const built = join(root, "dist/src/index.js");
if (!existsSync(built) || Math.max(newest(join(root, "src")), newest(join(root, "assembly"))) > statSync(built).mtimeMs) {
  console.log("(sources changed since the last build: npm run build)");
  execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { stdio: "inherit", cwd: root });
}

const LOOPS = 100;
const BOMB_CEILING = 522; // the bundled forkbomb under maxproc 532 (non-root: maxproc - 10)

/** The operations of one build, one machine per strategy (made once, outside the timing). */
async function load(name, dir) {
  const m = await import(pathToFileURL(join(dir, "dist/src/index.js")).href);
  const { Forklab, bundledProgram, installBundled } = m;
  const { STRATEGIES } = await import(pathToFileURL(join(dir, "dist/src/core/core.js")).href);
  const strategies = STRATEGIES ?? ["copy", "cow"];
  const ops = {};
  for (const strategy of strategies) {
    // spawn: a fresh `spawn LOOPS` process on a machine made once.
    const sfl = new Forklab({ strategy });
    installBundled(sfl);
    let spid = -1, reaps = 0, exited = false;
    sfl.on("reap", (e) => { if (e.by === spid) reaps++; });
    sfl.on("exit", (e) => { if (e.pid === spid) exited = true; });
    const spawnImage = bundledProgram("spawn");
    const spawn = () => {
      reaps = 0; exited = false;
      const t0 = performance.now();
      spid = sfl.spawn({ image: spawnImage, argv: ["spawn", String(LOOPS)], uid: 1000 }).pid;
      sfl.run({ until: () => exited });
      const t = performance.now() - t0;
      if (reaps !== LOOPS) throw new Error(`${name} ${strategy}: spawn made ${reaps} loops, expected ${LOOPS}`);
      return t;
    };
    // bare: one fork+exit+wait4 cycle through the API.
    const bfl = new Forklab({ physBytes: 64 << 20, strategy });
    const ppid = bfl.spawn({ comm: "bench" }).pid;
    const bare = () => {
      const t0 = performance.now();
      const child = bfl.syscall(ppid, "fork").rv[0];
      bfl.syscall(child, "exit", [0]);
      const w = bfl.syscall(ppid, "wait4", [child, 0, 0, 0]);
      const t = performance.now() - t0;
      if (w.rv[0] !== child) throw new Error(`${name} ${strategy}: wait4 gave ${JSON.stringify(w)}`);
      return t;
    };
    // bomb: a fresh machine each time (its making is part of the figure, as in user.bench).
    const bombImage = bundledProgram("forkbomb");
    const bomb = () => {
      const t0 = performance.now();
      const fl = new Forklab({ strategy, maxproc: 532 });
      installBundled(fl);
      fl.spawn({ image: bombImage, uid: 1000 });
      fl.run({ until: () => fl.sysctl("kern.nprocs") >= BOMB_CEILING });
      const t = performance.now() - t0;
      if (fl.sysctl("kern.nprocs") !== BOMB_CEILING) throw new Error(`${name} ${strategy}: the bomb reached ${fl.sysctl("kern.nprocs")}`);
      return t;
    };
    ops[strategy] = { spawn, bare, bomb };
  }
  return { name, dir, ops };
}

const builds = [await load("this", root)];
for (const [i, b] of bases.entries()) builds.push(await load(bases.length > 1 ? `base${i + 1}` : "base", b));

console.log(`forklab side by side — ${await machine()}`);
console.log(`${ROUNDS} interleaved rounds${QUICK ? " (quick)" : ""}; medians of single operations`);
for (const b of builds) console.log(`  ${b.name}: ${b.dir}`);
console.log("");

const WORKLOADS = [
  { key: "spawn", label: `spawn loop (runs of ${LOOPS})`, per: LOOPS, unit: "loops/s" },
  { key: "bare", label: "bare fork+exit+wait4 (API)", per: 1, unit: "cycles/s" },
  { key: "bomb", label: `forkbomb to ${BOMB_CEILING}`, per: null, unit: "" },
];
const strategies = Object.keys(builds[0].ops).filter((s) => builds.every((b) => b.ops[s]));
const rows = [];
let slower = 0;
for (const w of WORKLOADS.filter((x) => only.length === 0 || only.includes(x.key))) {
  for (const s of strategies) {
    const res = interleave(Object.fromEntries(builds.map((b) => [b.name, (warm) => samples(warm, b.ops[s][w.key])])));
    const row = [w.label, s];
    for (const b of builds) {
      const t = res.median[b.name];
      row.push(w.per ? `${fmtTime(t / w.per)} (${Math.round(w.per / t).toLocaleString("en-US")} ${w.unit})` : fmtTime(t));
    }
    for (const b of builds.slice(1)) {
      const speedup = ratio(res, b.name, "this");
      if (speedup < 1) slower++;
      row.push(`${speedup.toFixed(3)}x`);
    }
    rows.push(row);
  }
}
printTable(["workload", "strategy", ...builds.map((b) => `${b.name} (median)`), ...builds.slice(1).map((b) => `speed-up vs ${b.name}`)], rows);
console.log(slower ? `\n${slower} figure(s) slower than a base (speed-up < 1)` : "\nno figure is slower than any base");
