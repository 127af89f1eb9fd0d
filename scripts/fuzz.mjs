#!/usr/bin/env node
// Long fuzz runs (issue 7): the fuzzers of test/fuzz/ with many more runs than npm test
// gives them. Prints the seed first, so any run can be repeated exactly:
//   npm run fuzz -- --runs 1000000 --seed 42 [--target syscalls|elf|random-code|all]
// A failure prints fast-check's counterexample, shrunk to a minimal one: add it to
// test/fuzz/regressions.test.ts with what it found.
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const TARGETS = { syscalls: "test/fuzz/syscalls.test.ts", elf: "test/fuzz/elf.test.ts", "random-code": "test/fuzz/random-code.test.ts" };

function usage(msg) {
  if (msg) console.error(`fuzz: ${msg}`);
  console.error(`usage: npm run fuzz -- [--runs N] [--seed S] [--target ${Object.keys(TARGETS).join("|")}|all]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let runs = 10000, seed = randomInt(0, 2 ** 31), target = "all";
for (let i = 0; i < args.length; i++) {
  const v = args[i + 1];
  if (args[i] === "--runs") { runs = Number(v); i++; }
  else if (args[i] === "--seed") { seed = Number(v); i++; }
  else if (args[i] === "--target") { target = v; i++; }
  else usage(`unknown argument ${JSON.stringify(args[i])}`);
}
if (!Number.isSafeInteger(runs) || runs < 1) usage("--runs must be a positive integer");
if (!Number.isSafeInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 31) usage("--seed must be a 32-bit integer");
if (target !== "all" && !Object.hasOwn(TARGETS, target)) usage(`unknown target ${JSON.stringify(target)}`);
const files = target === "all" ? Object.values(TARGETS) : [TARGETS[target]];

console.log(`fuzz: ${runs} runs of ${target === "all" ? Object.keys(TARGETS).join(", ") : target}, seed ${seed}`);
console.log(`fuzz: repeat with: npm run fuzz -- --runs ${runs} --seed ${seed} --target ${target}`);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const start = Date.now();
const r = spawnSync("npx", ["vitest", "run", "--testTimeout=0", "--reporter=default", ...files], {
  cwd: root, stdio: "inherit",
  env: { ...process.env, FORKLAB_FUZZ_RUNS: String(runs), FORKLAB_FUZZ_SEED: String(seed) },
});
console.log(`fuzz: ${r.status === 0 ? "passed" : "FAILED"} after ${((Date.now() - start) / 1000).toFixed(0)} s (seed ${seed})`);
process.exit(r.status ?? 1);
