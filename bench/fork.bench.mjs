// Process creation against the machine's own kernel, in one run (issue 9, item 4):
//   (a) the spawn loop (fork; the child exits; the parent wait4s) per fork strategy, and
//       this machine's kernel doing fork+_exit+waitpid and vfork+_exit+waitpid
// Every figure is the median of single operations timed one by one (lib/harness.mjs, samples()); the
// benchmark package's cycles (the other bench files) would average in a loaded host's
// preemptions, and forkbench.c takes medians the same way.
//   (b) fork latency (the parent's fork syscall, through the Node API) and the whole
//       fork+exit+wait4 cycle of a bare process with 64 KiB .. 1 GiB resident, per
//       strategy, the native figures beside them, and the growth ratio 1 GiB / 64 KiB
//   (c) the first write after fork: the copy-on-write fault (with share-pt also the
//       page-table copy), per strategy where fork leaves pages shared
//   (d) each forklab figure on the Wasm core and on the portable build, side by side
// The native figures come from bench/native/forkbench.c, built with the machine's C
// compiler now (skipped, with a message, when there is none).
//   node bench/fork.bench.mjs [--quick] [--json FILE] [--plot FILE.svg]
// --quick: sizes 64 KiB and 1 MiB only, short runs (a smoke test of the code paths).
// --plot: the fork latency against size of every strategy (Wasm) and the native kernel.
import { writeFileSync } from "node:fs";
import {
  ensureCoreBuilt, importSrc, interleave, samples as timed, ratio, median, fmtTime, printTable, machine, ROUNDS, QUICK,
} from "./lib/harness.mjs";
import { nativeForkbench } from "./lib/native.mjs";
import { logLogSvg } from "./lib/plot.mjs";

const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const jsonOut = opt("--json"), plotOut = opt("--plot");

ensureCoreBuilt();
const { Forklab, installBundled, bundledProgram } = await importSrc("src/index.ts");
const { Core, STRATEGIES } = await importSrc("src/core/core.ts");

const KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;
const PAGE = 4096;
const SIZES = QUICK ? [64 * KiB, 1 * MiB] : [64 * KiB, 1 * MiB, 16 * MiB, 256 * MiB, 1 * GiB];
const BACKENDS = ["wasm", "portable"];
const ERR_UW = 7; // PGEX_P | PGEX_W | PGEX_U: a user write to a present page
const sizeName = (b) => (b >= GiB ? `${b / GiB} GiB` : b >= MiB ? `${b / MiB} MiB` : `${b / KiB} KiB`);

/**
 * A machine on the given core build. The kernel makes its core with Core.create (Wasm);
 * for the portable build one is made first (asynchronously: it is an import) and handed
 * over. The portable build is one per process: its previous machine is dead after this.
 */
let portable = null;
async function newMachine(backend, opts) {
  const create = Core.create;
  if (backend === "portable") {
    const physBytes = opts.physBytes ?? 64 * MiB;
    // The first core takes the build; later ones re-initialise the same module state.
    portable = portable === null ? await Core.createPortable({ physBytes }) : new Core(portable.be, { physBytes });
    const core = portable;
    Core.create = () => core;
  }
  try {
    return new Forklab(opts);
  } finally {
    Core.create = create;
  }
}

/** Writes every free frame once, so no measurement pays the host's first touch of a page. */
function touchFreeFrames(fl) {
  const core = fl.kernel.core, phys = core.phys(), x = core.x;
  for (let pa = PAGE; pa + PAGE <= phys.length; pa += PAGE) if (x.frame_refcount(pa) === 0) phys.fill(0, pa, pa + PAGE);
}

const results = {
  machine: await machine(), date: new Date().toISOString(), quick: QUICK,
  strategies: [...STRATEGIES], backends: BACKENDS, sizes: SIZES,
  spawn: {}, bySize: {}, native: null,
};
console.log(`forklab against the native kernel — ${results.machine}`);
console.log(`${ROUNDS} interleaved rounds of Wasm and portable${QUICK ? " (quick)" : ""}; medians of single operations; strategies ${STRATEGIES.join(", ")}\n`);

// ---- (a) the spawn loop ----
// Runs of SPAWN_RUN loops each, timed one by one (lib/harness.mjs, samples()); the figure is per loop.
const SPAWN_RUN = 100;
for (const strategy of STRATEGIES) {
  const runs = {};
  for (const b of BACKENDS) {
    const fl = await newMachine(b, { strategy });
    installBundled(fl);
    let pid = -1, reaps = 0, exited = false;
    fl.on("reap", (e) => { if (e.by === pid) reaps++; });
    fl.on("exit", (e) => { if (e.pid === pid) exited = true; });
    const image = bundledProgram("spawn");
    runs[b] = () => {
      reaps = 0; exited = false;
      const t0 = performance.now();
      pid = fl.spawn({ image, argv: ["spawn", String(SPAWN_RUN)], uid: 1000 }).pid;
      fl.run({ until: () => exited });
      const t = performance.now() - t0;
      if (reaps !== SPAWN_RUN) throw new Error(`spawn made ${reaps} loops, expected ${SPAWN_RUN}`);
      return t / SPAWN_RUN;
    };
  }
  // Both sides at once: the Wasm machine and the one portable machine are alive together.
  const res = interleave(Object.fromEntries(BACKENDS.map((b) => [b, (warm) => timed(warm, runs[b])])));
  results.spawn[strategy] = {
    wasm: res.median.wasm, portable: res.median.portable, wasmOverPortable: ratio(res, "wasm", "portable"),
  };
}

// ---- (b), (c) against resident size ----
/** A bare process with `bytes` resident (anonymous memory, every page present) on a fresh machine. */
async function sizedMachine(backend, strategy, bytes) {
  const physBytes = Math.min(3 * GiB, Math.max(64 * MiB, 2 * bytes + 64 * MiB));
  const fl = await newMachine(backend, { strategy, physBytes, maxproc: 64 });
  const pid = fl.spawn({ comm: "sized" }).pid;
  const base = [];
  for (let left = bytes; left > 0; left -= 64 * MiB) base.push(fl.userAlloc(pid, Math.min(left, 64 * MiB)));
  touchFreeFrames(fl);
  const resident = fl.proc(pid).vmspace.resident;
  const exitWait = (child) => {
    fl.syscall(child, "exit", [0]);
    const w = fl.syscall(pid, "wait4", [child, 0, 0, 0]);
    if (w.rv[0] !== child) throw new Error(`wait4: ${JSON.stringify(w)}`);
  };
  const fork = () => {
    const f = fl.syscall(pid, "fork");
    if (f.error) throw new Error(`fork: ${f.errno}`);
    return f.rv[0];
  };
  const pm = () => fl.kernel.procs.pidhash.get(pid).p_vmspace.vm_pmap;
  const pages = Math.floor(bytes / PAGE);
  const faultVas = [];
  const nFaults = Math.min(pages, QUICK ? 64 : 1024);
  for (let i = 0; i < nFaults; i++) {
    const page = Math.floor((i * pages) / nFaults); // spread over the whole size (every page table)
    const chunk = Math.floor((page * PAGE) / (64 * MiB));
    faultVas.push(base[chunk] + page * PAGE - chunk * 64 * MiB);
  }
  return {
    fl, resident,
    /** Fork alone, the parent's syscall timed; the child is reaped outside the timing. */
    forkSamples: (warm) => timed(warm, () => {
      const t0 = performance.now();
      const child = fork();
      const t = performance.now() - t0;
      exitWait(child);
      return t;
    }),
    /** The whole cycle: fork, the child's exit, the parent's wait4. */
    cycleSamples: (warm) => timed(warm, () => {
      const t0 = performance.now();
      exitWait(fork());
      return performance.now() - t0;
    }),
    /** The parent's first write to nFaults pages after a fork (the child alive): seconds per fault. */
    faultSamples: (warm) => timed(warm, () => {
      const x = fl.kernel.core.x;
      const child = fork();
      const p = pm();
      const t0 = performance.now();
      for (let i = 0; i < faultVas.length; i++) {
        if (x.pmap_fault(p, faultVas[i], ERR_UW) !== 0) throw new Error(`pmap_fault 0x${faultVas[i].toString(16)} failed`);
      }
      const t = (performance.now() - t0) / faultVas.length;
      exitWait(child);
      return t;
    }),
  };
}

for (const bytes of SIZES) {
  results.bySize[bytes] = {};
  for (const strategy of STRATEGIES) {
    const m = {};
    for (const b of BACKENDS) m[b] = await sizedMachine(b, strategy, bytes);
    if (m.wasm.resident * PAGE < bytes) throw new Error(`${sizeName(bytes)}: only ${m.wasm.resident} pages resident`);
    const sides = (fn) => Object.fromEntries(BACKENDS.map((b) => [b, (warm) => fn(m[b], warm, b)]));
    // The largest sizes take up to seconds per operation (copy, portable): fewer rounds.
    const rounds = bytes >= 256 * MiB ? Math.min(ROUNDS, 3) : ROUNDS;
    const cycle = interleave(sides((s, warm) => s.cycleSamples(warm)), { rounds });
    const fork = interleave(sides((s, warm) => s.forkSamples(warm)), { rounds });
    // Under copy a fork leaves no page shared: the first write is no fault at all.
    const fault = strategy === "copy" ? null : interleave(sides((s, warm) => s.faultSamples(warm)), { rounds });
    const r = {};
    for (const b of BACKENDS) {
      r[b] = { fork: fork.median[b], cycle: cycle.median[b], fault: fault ? fault.median[b] : null };
    }
    r.wasmOverPortable = { fork: ratio(fork, "wasm", "portable"), cycle: ratio(cycle, "wasm", "portable"), fault: fault ? ratio(fault, "wasm", "portable") : null };
    results.bySize[bytes][strategy] = r;
    process.stdout.write(`  ${sizeName(bytes)} ${strategy}: fork ${fmtTime(r.wasm.fork)}, fork+exit+wait ${fmtTime(r.wasm.cycle)}${fault ? `, first write ${fmtTime(r.wasm.fault)}` : ""}\n`);
  }
}

// ---- the native kernel ----
const native = nativeForkbench();
if (native.skipped) {
  console.log(`\nnative figures skipped: ${native.skipped}`);
} else {
  const reps = (f) => median(Array.from({ length: QUICK ? 1 : 3 }, f)) / 1e9;
  const n = QUICK ? 50 : 500;
  results.native = {
    compiler: native.compiler,
    forkExitWait: reps(() => native.run("fork-exit-wait", 0, n)),
    vforkExitWait: reps(() => native.run("vfork-exit-wait", 0, n)),
    bySize: {},
  };
  for (const bytes of SIZES) {
    const k = Math.max(3, Math.min(n, Math.round((QUICK ? 2 : 20) * MiB * 64 / Math.max(bytes, MiB))));
    results.native.bySize[bytes] = {
      fork: reps(() => native.run("fork", bytes, k)),
      cycle: reps(() => native.run("fork-exit-wait", bytes, k)),
      fault: reps(() => native.run("cow", bytes, Math.min(QUICK ? 64 : 1024, bytes / PAGE))),
    };
  }
  native.cleanup();
}

// ---- report ----
/** How t compares with the reference time ref: "12.3x faster" or "2.1x slower". */
const versus = (ref, t) => (t <= ref ? `${(ref / t).toFixed(1)}x faster` : `${(t / ref).toFixed(1)}x slower`);
const perSec = (s) => (s > 0 ? Math.round(1 / s).toLocaleString("en-US") : "—");
const nat = results.native;
console.log(`\n(a) spawn loop (fork, exit, wait4 through the bundled i386 program: runs of ${SPAWN_RUN} loops)\n`);
printTable(["who", "per loop", "loops per host second", "vs native fork+_exit+waitpid"],
  [
    ...STRATEGIES.flatMap((s) => BACKENDS.map((b) => {
      const t = results.spawn[s][b];
      return [`forklab ${s} (${b})`, fmtTime(t), perSec(t), nat ? versus(nat.forkExitWait, t) : "—"];
    })),
    ...(nat ? [
      ["native fork+_exit+waitpid", fmtTime(nat.forkExitWait), perSec(nat.forkExitWait), "1x"],
      ["native vfork+_exit+waitpid", fmtTime(nat.vforkExitWait), perSec(nat.vforkExitWait), versus(nat.forkExitWait, nat.vforkExitWait)],
    ] : []),
  ]);

const who = [...STRATEGIES.map((s) => ({ name: s, get: (bytes, what) => results.bySize[bytes][s].wasm[what] })),
  ...(nat ? [{ name: "native", get: (bytes, what) => nat.bySize[bytes][what] }] : [])];
const first = SIZES[0], last = SIZES[SIZES.length - 1];
for (const [what, label] of [["fork", "(b) fork latency (the parent's fork syscall; Wasm core)"], ["cycle", "(b) fork+exit+wait4 (Wasm core)"]]) {
  console.log(`\n${label}\n`);
  printTable(["resident", ...who.map((w) => w.name)], [
    ...SIZES.map((b) => [sizeName(b), ...who.map((w) => fmtTime(w.get(b, what)))]),
    [`growth ${sizeName(last)} / ${sizeName(first)}`, ...who.map((w) => `${(w.get(last, what) / w.get(first, what)).toFixed(1)}x`)],
  ]);
}
const cowLike = STRATEGIES.filter((s) => s !== "copy");
console.log("\n(c) the first write after fork, per write (a copy-on-write fault; Wasm core)\n");
printTable(["resident", ...cowLike, ...(nat ? ["native"] : [])],
  SIZES.map((b) => [sizeName(b), ...cowLike.map((s) => fmtTime(results.bySize[b][s].wasm.fault)), ...(nat ? [fmtTime(nat.bySize[b].fault)] : [])]));

console.log("\n(d) Wasm against portable (time ratio portable / Wasm: the Wasm speed-up)\n");
printTable(["figure", ...STRATEGIES], [
  ["spawn loop", ...STRATEGIES.map((s) => `${(1 / results.spawn[s].wasmOverPortable).toFixed(2)}x`)],
  ...SIZES.flatMap((b) => ["fork", "cycle", "fault"].map((what) => [
    `${what === "cycle" ? "fork+exit+wait" : what === "fault" ? "first write" : "fork"} ${sizeName(b)}`,
    ...STRATEGIES.map((s) => {
      const r = results.bySize[b][s].wasmOverPortable[what];
      return r === null ? "—" : `${(1 / r).toFixed(2)}x`;
    }),
  ])),
]);

if (jsonOut) { writeFileSync(jsonOut, JSON.stringify(results, null, 2) + "\n"); console.log(`\nfigures written to ${jsonOut}`); }
if (plotOut) {
  const series = who.map((w) => ({
    name: w.name === "native" ? "native kernel" : `forklab ${w.name}`, dashed: w.name === "native",
    points: SIZES.map((b) => [b, w.get(b, "fork") * 1e6]),
  }));
  writeFileSync(plotOut, logLogSvg({
    title: "fork latency against resident size", xTitle: "resident size of the parent", yTitle: "fork latency (µs, log scale)",
    series, xLabel: sizeName, yLabel: (y) => (y >= 1000 ? `${y / 1000} ms` : `${y} µs`),
  }));
  console.log(`plot written to ${plotOut}`);
}
