// scripts/fuzz.mjs, the long-run driver: its arguments, the split over workers (worker i
// runs its share with seed S+i), and the stall watch that stops a run that hung the host
// and prints the input it was running.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
function fuzz(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["scripts/fuzz.mjs", ...args], { cwd: root, encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000 });
  const plain = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, ""); // vitest's colours
  return { status: r.status, stdout: plain(r.stdout), stderr: plain(r.stderr) };
}

describe("npm run fuzz (scripts/fuzz.mjs)", () => {
  it.each([
    [["--runs", "0"], /--runs must be a positive integer/],
    [["--seed", "x"], /--seed must be a 32-bit integer/],
    [["--target", "nope"], /unknown target "nope"/],
    [["--workers", "0"], /--workers must be an integer from 1 to 64/],
    [["--stall", "-1"], /--stall must be a positive number/],
    [["--bogus"], /unknown argument "--bogus"/],
  ])("refuses %j with a usage message and exit status 2", (args, message) => {
    const r = fuzz(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^usage: npm run fuzz -- /m);
  });

  it("splits the runs over workers, each with its own seed, and prints the command that repeats the run", () => {
    const r = fuzz(["--runs", "5", "--seed", "77", "--target", "random-code", "--workers", "2"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("fuzz: repeat with: npm run fuzz -- --runs 5 --seed 77 --target random-code --workers 2");
    expect(r.stdout).toContain("[worker 0, seed 77] random-code fuzzer: 3 runs, seed 77");
    expect(r.stdout).toContain("[worker 1, seed 78] random-code fuzzer: 2 runs, seed 78");
    expect(r.stdout).toMatch(/fuzz: passed after \d+ s/);
  }, 120_000);

  it("stops a worker whose run hangs and prints that run's input", () => {
    const r = fuzz(["--runs", "4", "--seed", "5", "--target", "random-code", "--stall", "2"], { FORKLAB_FUZZ_HANG_AT: "3" });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/fuzz: HUNG: run 3 of the random-code fuzzer \(seed 5\) made no progress for 2 s; its input:\n\[\[/);
    expect(r.stdout).toMatch(/fuzz: FAILED after \d+ s/);
  }, 120_000);
});
