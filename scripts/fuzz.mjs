#!/usr/bin/env node
// Long fuzz runs (issue 7): the fuzzers of test/fuzz/ with many more runs than npm test
// gives them. Prints the seed first, so any run can be repeated exactly:
//   npm run fuzz -- --runs 1000000 --seed 42 [--target syscalls|elf|random-code|all]
//                   [--workers N] [--stall SECONDS]
// --workers N splits the runs over N processes, worker i taking seed S+i (each stream is
// fast-check's own for its seed, so the run repeats exactly with the same arguments).
// A failure prints fast-check's counterexample, shrunk to a minimal one: add it to
// test/fuzz/regressions.test.ts with what it found. A run that makes no progress for
// --stall seconds (default 300) has hung the host: the worker is stopped and the input
// it was running is printed (test/fuzz/harness.ts `recorded` writes it before each run).
import { spawn } from "node:child_process";
import { randomInt } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Each fuzzer: its test file, and the name of its test there when the file has two. */
const TARGETS = {
  syscalls: ["test/fuzz/syscalls.test.ts", "give the same results under every strategy"],
  "syscalls-inject": ["test/fuzz/syscalls.test.ts", "with frame allocations failing anywhere"],
  elf: ["test/fuzz/elf.test.ts"],
  "random-code": ["test/fuzz/random-code.test.ts"],
};

function usage(msg) {
  if (msg) console.error(`fuzz: ${msg}`);
  console.error(`usage: npm run fuzz -- [--runs N] [--seed S] [--target ${Object.keys(TARGETS).join("|")}|all] [--workers N] [--stall SECONDS]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let runs = 10000, seed = randomInt(0, 2 ** 31), target = "all", workers = 1, stall = 300;
for (let i = 0; i < args.length; i++) {
  const v = args[i + 1];
  if (args[i] === "--runs") { runs = Number(v); i++; }
  else if (args[i] === "--seed") { seed = Number(v); i++; }
  else if (args[i] === "--target") { target = v; i++; }
  else if (args[i] === "--workers") { workers = Number(v); i++; }
  else if (args[i] === "--stall") { stall = Number(v); i++; }
  else usage(`unknown argument ${JSON.stringify(args[i])}`);
}
if (!Number.isSafeInteger(runs) || runs < 1) usage("--runs must be a positive integer");
if (!Number.isSafeInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 31) usage("--seed must be a 32-bit integer");
if (target !== "all" && !Object.hasOwn(TARGETS, target)) usage(`unknown target ${JSON.stringify(target)}`);
if (!Number.isSafeInteger(workers) || workers < 1 || workers > 64) usage("--workers must be an integer from 1 to 64");
if (!(stall > 0)) usage("--stall must be a positive number of seconds");
if (seed + workers - 1 >= 2 ** 31) usage("--seed plus --workers must stay below 2^31");
// "all": every test of every fuzzer's file; one target: its file, and its test by name.
const files = target === "all" ? [...new Set(Object.values(TARGETS).map(([f]) => f))] : [TARGETS[target][0]];
const only = target !== "all" && TARGETS[target][1] ? ["-t", TARGETS[target][1]] : [];

const repeat = `npm run fuzz -- --runs ${runs} --seed ${seed} --target ${target}${workers > 1 ? ` --workers ${workers}` : ""}`;
console.log(`fuzz: ${runs} runs of ${target === "all" ? Object.keys(TARGETS).join(", ") : target}, seed ${seed}${workers > 1 ? `, ${workers} workers (seeds ${seed}..${seed + workers - 1})` : ""}`);
console.log(`fuzz: repeat with: ${repeat}`);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const progressDir = mkdtempSync(join(tmpdir(), "forklab-fuzz-"));
const start = Date.now();

/** One worker: its share of the runs under its own seed; resolves to whether it passed. */
function worker(i) {
  const share = Math.floor(runs / workers) + (i < runs % workers ? 1 : 0);
  const wseed = seed + i;
  const progress = join(progressDir, `w${i}`);
  const tag = workers > 1 ? `[worker ${i}, seed ${wseed}] ` : "";
  const child = spawn("npx", ["vitest", "run", "--testTimeout=0", "--reporter=default", ...only, ...files], {
    cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORKLAB_FUZZ_RUNS: String(share), FORKLAB_FUZZ_SEED: String(wseed), FORKLAB_FUZZ_PROGRESS: progress },
  });
  for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
    let rest = "";
    from.on("data", (d) => {
      const lines = (rest + d).split("\n");
      rest = lines.pop();
      for (const l of lines) to.write(`${tag}${l}\n`);
    });
    from.on("end", () => { if (rest) to.write(`${tag}${rest}\n`); });
  }
  // The newest progress file is the run in hand; unchanged for `stall` seconds is a hang.
  let hung = null;
  const watch = setInterval(() => {
    const mine = readdirSync(progressDir).filter((f) => f.startsWith(`w${i}.`)).map((f) => join(progressDir, f));
    if (mine.length === 0) return;
    const newest = mine.reduce((a, b) => (statSync(a).mtimeMs >= statSync(b).mtimeMs ? a : b));
    if (Date.now() - statSync(newest).mtimeMs < stall * 1000) return;
    hung = JSON.parse(readFileSync(newest, "utf8"));
    process.kill(-child.pid, "SIGKILL");
  }, Math.min(10_000, stall * 250));
  return new Promise((resolve) => {
    child.on("close", (status) => {
      clearInterval(watch);
      if (hung) {
        console.log(`${tag}fuzz: HUNG: run ${hung.run} of the ${hung.test} fuzzer (seed ${wseed}) made no progress for ${stall} s; its input:`);
        console.log(JSON.stringify(hung.input));
      }
      resolve(status === 0 && !hung);
    });
  });
}

const results = await Promise.all(Array.from({ length: workers }, (_, i) => worker(i)));
rmSync(progressDir, { recursive: true, force: true });
const ok = results.every(Boolean);
const secs = (Date.now() - start) / 1000;
console.log(`fuzz: ${ok ? "passed" : "FAILED"} after ${secs.toFixed(0)} s (${runs} runs per fuzzer, seed ${seed}${workers > 1 ? `, ${workers} workers` : ""})`);
if (!ok) console.log(`fuzz: repeat with: ${repeat}`);
process.exit(ok ? 0 : 1);
