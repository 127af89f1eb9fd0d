// A fork bomb in the browser: boots a forklab machine with the form's tunables, starts the
// bundled bomb as uid 1000, runs virtual time a few ticks per animation frame and draws
// kern.nprocs as it goes. It stops one virtual second after the bomb reaches its ceiling
// (maxproc - 10: the last ten slots are root's), as `forklab bomb` does.
import { initCore, Forklab, bundledProgram } from "forklab";

const UID = 1000;
const SETTLE_SECONDS = 1;
const LIMIT_SECONDS = 10;
const TICKS_PER_FRAME = 2;
const LINE = "rgb(198, 40, 40)";

const $ = (id) => document.getElementById(id);
const canvas = $("chart");
const ctx = canvas.getContext("2d");
let current = null; // the run on screen; starting another abandons it

function newRun() {
  const maxproc = Number($("maxproc").value), cpus = Number($("cpus").value);
  const program = $("program").value, strategy = $("strategy").value;
  const fl = new Forklab({ physBytes: 64 << 20, maxproc, ncpus: cpus, strategy, seed: 1 });
  const run = {
    fl, program, strategy, cpus, maxproc, hz: fl.hz, ceiling: maxproc - 10,
    samples: [], peak: 0, satTick: null, forks: 0, refused: 0, t0: performance.now(), host: 0,
    start: fl.ticks, // the machine booted a tick before: the bomb's time counts from here
  };
  fl.spawn({ image: bundledProgram(program), argv: [program], uid: UID });
  fl.on("fork", () => { run.forks++; });
  fl.on("limit", () => { run.refused++; });
  // Watched between scheduling slices, so the peak and the saturation tick are exact.
  run.watch = () => {
    const n = fl.sysctl("kern.nprocs");
    if (n > run.peak) run.peak = n;
    if (run.satTick === null && n >= run.ceiling) run.satTick = tick(run);
    return false;
  };
  run.watch();
  run.samples.push([tick(run), fl.sysctl("kern.nprocs")]);
  return run;
}

/** Ticks since the bomb started. */
function tick(run) {
  return run.fl.ticks - run.start;
}

function endTick(run) {
  const limit = LIMIT_SECONDS * run.hz;
  return run.satTick === null ? limit : Math.min(limit, run.satTick + SETTLE_SECONDS * run.hz);
}

function fail(e) {
  current = null;
  $("error").textContent = String(e?.message ?? e);
  document.body.dataset.state = "error";
}

function step(run) {
  if (run !== current) return;
  let idle = false;
  try {
    for (let i = 0; i < TICKS_PER_FRAME && tick(run) < endTick(run) && !idle; i++) {
      idle = run.fl.run({ ticks: 1, until: run.watch }).stop === "idle";
      run.samples.push([tick(run), run.fl.sysctl("kern.nprocs")]);
    }
  } catch (e) {
    fail(e);
    return;
  }
  run.host = performance.now() - run.t0;
  draw(run);
  report(run);
  if (idle || tick(run) >= endTick(run)) finish(run);
  else requestAnimationFrame(() => step(run));
}

function finish(run) {
  window.forklabResult = {
    program: run.program, maxproc: run.maxproc, strategy: run.strategy, cpus: run.cpus,
    peak: run.peak, saturatedTick: run.satTick, ticks: tick(run), forks: run.forks, refused: run.refused,
    samples: run.samples.length,
  };
  document.body.dataset.state = "done";
}

function draw(run) {
  const { width: w, height: h } = canvas;
  const left = 56, right = 28, top = 16, bottom = 36;
  const xmax = Math.max(endTick(run), 10), ymax = Math.ceil(run.maxproc * 1.08);
  const x = (tick) => left + (w - left - right) * (tick / xmax);
  const y = (n) => h - bottom - (h - top - bottom) * (n / ymax);
  ctx.clearRect(0, 0, w, h);
  ctx.font = "12px system-ui, sans-serif";
  // Axes, with virtual seconds below and process counts at the side.
  ctx.strokeStyle = "#999";
  ctx.fillStyle = "#555";
  ctx.beginPath();
  ctx.moveTo(left, top); ctx.lineTo(left, h - bottom); ctx.lineTo(w - right, h - bottom);
  ctx.stroke();
  ctx.textAlign = "center";
  for (let i = 0; i <= 5; i++) {
    const t = Math.round((xmax * i) / 5);
    ctx.fillText(`${(t / run.hz).toFixed(2)} s`, x(t), h - bottom + 16);
  }
  ctx.fillText("virtual time", (left + w - right) / 2, h - 4);
  ctx.textAlign = "right";
  for (let i = 0; i <= 4; i++) {
    const n = Math.round((ymax * i) / 4);
    ctx.fillText(String(n), left - 6, y(n) + 4);
  }
  // The limits: maxproc, and maxproc - 10 where a user stops.
  ctx.setLineDash([5, 4]);
  ctx.textAlign = "left";
  for (const [n, label, color] of [[run.maxproc, "kern.maxproc", "#888"], [run.ceiling, "maxproc - 10", "#d98200"]]) {
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.beginPath(); ctx.moveTo(left, y(n)); ctx.lineTo(w - right, y(n)); ctx.stroke();
    ctx.fillText(label, w - right - 90, y(n) - (label === "kern.maxproc" ? 4 : -12));
  }
  ctx.setLineDash([]);
  // kern.nprocs at every tick so far.
  ctx.strokeStyle = LINE;
  ctx.lineWidth = 2;
  ctx.beginPath();
  run.samples.forEach(([t, n], i) => (i === 0 ? ctx.moveTo(x(t), y(n)) : ctx.lineTo(x(t), y(n))));
  ctx.stroke();
  ctx.lineWidth = 1;
}

function report(run) {
  const last = run.samples[run.samples.length - 1];
  $("time").textContent = `${(tick(run) / run.hz).toFixed(2)} s (tick ${tick(run)})`;
  $("nprocs").textContent = String(last[1]);
  $("peak").textContent = `${run.peak} (ceiling ${run.ceiling})`;
  $("saturated").textContent = run.satTick === null ? "not yet" : `tick ${run.satTick} (${(run.satTick / run.hz).toFixed(2)} s virtual)`;
  $("forks").textContent = String(run.forks);
  $("refused").textContent = String(run.refused);
  $("host").textContent = `${(run.host / 1000).toFixed(2)} s`;
}

function start(event) {
  event?.preventDefault();
  if (!$("controls").reportValidity()) return;
  document.body.dataset.state = "running";
  $("error").textContent = "";
  try {
    const run = (current = newRun());
    requestAnimationFrame(() => step(run));
  } catch (e) {
    fail(e);
  }
}

$("controls").addEventListener("submit", start);
try {
  await initCore(); // fetches the package's core.wasm and compiles it, once
  start();
} catch (e) {
  fail(`could not load the Wasm core: ${e.message ?? e}`);
}
