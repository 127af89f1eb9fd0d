// examples/embed/c/: a C host (gcc) runs the core's embedding build translated to C by
// wasm2c (Debian package wabt) over RAM it allocates, with include/forklab_core.h. Skips,
// saying why, when gcc, wasm2c or wasm2c's runtime source is not installed.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const has = (cmd: string) => spawnSync(cmd, ["--version"], { encoding: "utf8" }).status === 0;
const missing = [
  has("gcc") ? null : "gcc",
  has("wasm2c") && existsSync("/usr/share/wabt/wasm2c/wasm-rt-impl.c") ? null : "wasm2c and its runtime (Debian package wabt)",
].filter(Boolean);

describe.skipIf(missing.length > 0)(`the C example host${missing.length ? ` (skipped: needs ${missing.join(", ")})` : ""}`, () => {
  it("builds with gcc -Wall -Wextra -Werror, forks a process in its own RAM, and gets errors, not traps, for bad arguments", () => {
    const out = mkdtempSync(join(tmpdir(), "forklab-embed-c-"));
    try {
      const build = spawnSync(join(root, "examples/embed/c/build.sh"), [out], { encoding: "utf8" });
      expect(build.stderr + build.stdout).not.toMatch(/error/i);
      expect(build.status).toBe(0);
      // The SIMD-free build it translates has the same ABI as build/core.embed.wasm.
      const fns = (f: string) => WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(f))).map((e) => `${e.kind} ${e.name}`);
      const imports = (f: string) => WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(f)));
      expect(fns(join(out, "core.wasm"))).toEqual(fns(join(root, "build/core.embed.wasm")));
      expect(imports(join(out, "core.wasm"))).toEqual(imports(join(root, "build/core.embed.wasm")));
      const run = spawnSync(join(out, "host"), { encoding: "utf8" });
      const lines = run.stdout.trim().split("\n");
      expect(lines.filter((l) => !l.startsWith("ok "))).toEqual([]);
      expect(lines).toContain("ok the parent keeps its bytes, the child has its own");
      expect(lines).toContain("ok the host's walk agrees with pmap_translate");
      expect(lines).toContain("ok a buffer past the end of RAM is -EINVAL");
      expect(lines).toContain("ok memory too small is -ENOMEM");
      expect(lines.length).toBe(22);
      expect(run.status).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 240_000);
});
