// `npm run bench`: runs every benchmark file in bench/ (each *.bench.mjs), each in a process
// of its own (the portable core is one per process), one after another. The other scripts
// here take arguments a plain run cannot give (compare.mjs: --base DIR): run them by hand.
//   npm run bench                  all of them
//   npm run bench -- core kernel   only files whose name contains one of the words
//   npm run bench -- --quick       shorter runs (a smoke test; figures are rougher)
// Every file also runs alone: `node bench/core.bench.mjs [--quick]`.
// Flags go to every file: flags = the arguments that start with --, each with the value
// after it when the flag takes one (--json FILE, --plot FILE: bench/fork.bench.mjs).
import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const args = process.argv.slice(2);
const VALUED = new Set(["--json", "--plot"]);
const flags = [], words = [];
for (let i = 0; i < args.length; i++) {
  if (VALUED.has(args[i])) flags.push(args[i], args[++i]);
  else (args[i].startsWith("--") ? flags : words).push(args[i]);
}
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => words.length === 0 || words.some((w) => f.includes(w)))
  .sort();
if (files.length === 0) {
  console.error(`no benchmark file matches ${words.join(", ")}`);
  process.exit(1);
}
let failed = 0;
for (const f of files) {
  console.log(`\n=== bench/${f} ===`);
  const r = spawnSync(process.execPath, [join(here, f), ...flags], { stdio: "inherit", cwd: root });
  if (r.status !== 0) { failed++; console.error(`bench/${f} failed (exit ${r.status ?? r.signal})`); }
}
process.exit(failed ? 1 : 0);
