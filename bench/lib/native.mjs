// The machine's own kernel, for figures beside forklab's: bench/native/forkbench.c built
// with the machine's C compiler (cc, else gcc) into a temporary folder at bench time.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./harness.mjs";

/**
 * Builds forkbench; returns { run(mode, bytes, n) -> ns per operation, cleanup() }, or
 * { skipped: reason } when there is no compiler or the build fails.
 */
export function nativeForkbench() {
  const cc = ["cc", "gcc"].find((c) => spawnSync(c, ["--version"], { stdio: "ignore" }).status === 0);
  if (!cc) return { skipped: "no C compiler (cc or gcc) on this machine" };
  const dir = mkdtempSync(join(tmpdir(), "forklab-native-"));
  const exe = join(dir, "forkbench");
  try {
    execFileSync(cc, ["-O2", "-o", exe, join(root, "bench/native/forkbench.c")], { stdio: "pipe" });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    return { skipped: `${cc} could not build bench/native/forkbench.c: ${String(e.stderr ?? e.message).trim().split("\n")[0]}` };
  }
  const version = execFileSync(cc, ["--version"], { encoding: "utf8" }).split("\n")[0];
  return {
    compiler: version,
    /** Nanoseconds per operation of `mode` with `bytes` resident, over n operations. */
    run(mode, bytes, n) {
      const out = execFileSync(exe, [mode, String(bytes), String(n)], { encoding: "utf8" }).trim().split(/\s+/);
      return Number(out[3]);
    },
    cleanup() { rmSync(dir, { recursive: true, force: true }); },
  };
}
