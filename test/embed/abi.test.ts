// The ABI as hosts see it cannot drift: include/forklab_core.{h,mjs,d.mts} and the
// constants part of docs/embedding.md are what scripts/gen-abi.mjs makes from the sources
// now; their export list is both builds' exports; the imports docs/embedding.md states
// are the builds' imports; gcc reads the header's constants as the JS module has them.
import { describe, it, expect } from "vitest";
import { readFileSync, mkdtempSync, cpSync, writeFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "../../scripts/gen-abi.mjs";
import * as abi from "../../include/forklab_core.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const module = (f: string) => new WebAssembly.Module(readFileSync(join(root, "build", f)));
const builds = { "build/core.wasm": module("core.wasm"), "build/core.embed.wasm": module("core.embed.wasm") };
const doc = readFileSync(join(root, "docs/embedding.md"), "utf8");
const constants = Object.entries(abi).filter(([, v]) => typeof v === "number") as [string, number][];

describe("the generated ABI files", () => {
  it("are what scripts/gen-abi.mjs makes from the sources now (run npm run build after changing a constant or an export)", () => {
    for (const [path, text] of Object.entries(generate(root) as Record<string, string>)) {
      expect(readFileSync(join(root, path), "utf8"), path).toBe(text);
    }
  });

  it("refuse a constant that is not a literal expression, rather than guess", () => {
    const tmp = mkdtempSync(join(tmpdir(), "forklab-abi-"));
    try {
      cpSync(join(root, "assembly"), join(tmp, "assembly"), { recursive: true });
      cpSync(join(root, "docs"), join(tmp, "docs"), { recursive: true });
      cpSync(join(root, "asconfig.json"), join(tmp, "asconfig.json"));
      writeFileSync(join(tmp, "assembly/i386.ts"), `${readFileSync(join(tmp, "assembly/i386.ts"), "utf8")}export const BAD: i32 = PAGE_SIZE + 1;\n`);
      expect(() => generate(tmp)).toThrow(/BAD|PAGE_SIZE \+ 1/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("list exactly both builds' exports, in order, with each function's parameter count", () => {
    for (const [name, m] of Object.entries(builds)) {
      const fns = WebAssembly.Module.exports(m).filter((e) => e.kind === "function").map((e) => e.name);
      expect(fns, name).toEqual(Object.keys(abi.EXPORTS));
      expect(WebAssembly.Module.exports(m).filter((e) => e.kind !== "function")).toEqual([{ name: "memory", kind: "memory" }]);
    }
    const memory = new WebAssembly.Memory({ initial: 2 });
    const x = new WebAssembly.Instance(builds["build/core.embed.wasm"], { env: { memory } }).exports as Record<string, Function>;
    for (const [name, params] of Object.entries(abi.EXPORTS)) expect(x[name].length, name).toBe(params.length);
  });

  it("docs/embedding.md states each build's imports as they are, and documents every export", () => {
    for (const [name, m] of Object.entries(builds)) {
      const imports = WebAssembly.Module.imports(m).map((i) => `\`${i.module}.${i.name}\` (${i.kind})`).join(", ") || "none";
      expect(doc, name).toContain(`| \`${name}\` | ${imports} |`);
    }
    const missing = Object.keys(abi.EXPORTS).filter((n) => !doc.includes(`\`${n}(`));
    expect(missing).toEqual([]);
    for (const [name] of constants) expect(doc, name).toContain(name === "EMBED_MEMORY_BASE" ? "`EMBED_MEMORY_BASE`" : `| \`${name}\` |`);
  });

  it("core_abi_version and core_abi_minor are the header's", () => {
    const x = new WebAssembly.Instance(builds["build/core.wasm"], {}).exports as Record<string, () => number>;
    expect([x.core_abi_version(), x.core_abi_minor()]).toEqual([abi.ABI_VERSION, abi.ABI_MINOR]);
  });

  it("RFPROC is the flag cpu_fork looks at (cpu.ts keeps its own copy)", () => {
    const x = new WebAssembly.Instance(builds["build/core.wasm"], {}).exports as Record<string, (...a: number[]) => number>;
    x.core_init(1 << 20, 16);
    const pm = x.pmap_create(), td1 = x.thread_alloc(), td2 = x.thread_alloc();
    expect(x.cpu_fork(td1, td2, pm, ~abi.RFPROC)).toBe(0);
    expect(x.pcb_get(td2, abi.PCB_CR3)).toBe(0);
    expect(x.cpu_fork(td1, td2, pm, abi.RFPROC)).toBe(0);
    expect(x.pcb_get(td2, abi.PCB_CR3)).toBe(x.pmap_cr3(pm));
    expect(x.pcb_get(td2, abi.PCB_EIP)).toBe(abi.FORK_TRAMPOLINE);
  });
});

const gcc = spawnSync("gcc", ["--version"]).status === 0;

describe.skipIf(!gcc)(`include/forklab_core.h under gcc${gcc ? "" : " (skipped: gcc is not installed)"}`, () => {
  it("compiles cleanly as C99 and C++, and every FORKLAB_ constant is the JS module's value", () => {
    const tmp = mkdtempSync(join(tmpdir(), "forklab-h-"));
    try {
      const c = ["#include <stdio.h>", '#include "forklab_core.h"', "int main(void) {",
        ...constants.map(([n]) => `  printf("${n} %ld\\n", (long)FORKLAB_${n});`), "  return 0;", "}", ""].join("\n");
      writeFileSync(join(tmp, "consts.c"), c);
      const cc = spawnSync("gcc", ["-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror", `-I${join(root, "include")}`,
        join(tmp, "consts.c"), "-o", join(tmp, "consts")], { encoding: "utf8" });
      expect(cc.stderr).toBe("");
      const run = spawnSync(join(tmp, "consts"), { encoding: "utf8" });
      const got = Object.fromEntries(run.stdout.trim().split("\n").map((l) => l.split(" ")).map(([n, v]) => [n, Number(v)]));
      expect(got).toEqual(Object.fromEntries(constants));
      if (spawnSync("g++", ["--version"]).status === 0) {
        writeFileSync(join(tmp, "decl.cc"), '#include "forklab_core.h"\nint main() { return FORKLAB_PG_V - 1; }\n');
        const cxx = spawnSync("g++", ["-Wall", "-Wextra", "-Werror", `-I${join(root, "include")}`, "-c", join(tmp, "decl.cc"),
          "-o", join(tmp, "decl.o")], { encoding: "utf8" });
        expect(cxx.stderr).toBe("");
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
