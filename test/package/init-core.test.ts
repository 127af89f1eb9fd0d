// initCore in Node (src/core/load.ts): optional there, since the first core compiles the
// package's core.wasm synchronously, but it takes the same sources a browser hands in:
// a compiled module, bytes, a file: URL, a fetch Response; anything else is an error that
// says what initCore takes, and a failed initCore leaves the loaded core in place.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Forklab, initCore } from "../../src/index.js";

const wasmPath = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "build", "core.wasm");

describe("initCore in Node", () => {
  it("is not needed: a Forklab compiles the package's core on first use", () => {
    expect(new Forklab().sysctl("kern.nprocs")).toBe(2);
  });

  it("takes a module, bytes, a file: URL (as a URL or a string) and a Response", async () => {
    const bytes = readFileSync(wasmPath);
    const sources = [
      new WebAssembly.Module(bytes), bytes, new Uint8Array(bytes).buffer, pathToFileURL(wasmPath),
      pathToFileURL(wasmPath).href, new Response(bytes), undefined,
    ];
    for (const s of sources) {
      await initCore(s);
      expect(new Forklab({ maxproc: 99 }).sysctl("kern.maxproc")).toBe(99);
    }
  });

  it("refuses what is not a core, and the loaded core stays", async () => {
    await expect(initCore(new Uint8Array([0, 1, 2, 3]))).rejects.toThrow(WebAssembly.CompileError);
    await expect(initCore(42 as never)).rejects.toThrow(/initCore takes a WebAssembly.Module, the bytes of core.wasm, a fetch Response or a URL/);
    await expect(initCore(new Response("no", { status: 404 }))).rejects.toThrow(/failed with HTTP status 404/);
    await expect(initCore(pathToFileURL(`${wasmPath}.missing`))).rejects.toThrow(/ENOENT/);
    expect(new Forklab().sysctl("kern.nprocs")).toBe(2);
  });
});
