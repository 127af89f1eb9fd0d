// Loading the core: a fresh WebAssembly instance per core (the module is compiled once),
// or the portable JavaScript build (one per process: its memory is module state).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Backend, CoreExports } from "./exports.js";

// From src/core/ the build folder is ../../build/; compiled to dist/src/core/ it is one
// level further up (the CLI, bin/forklab.js, runs the compiled form).
const buildDir = new URL(/\/dist\/src\/core\/[^/]*$/.test(import.meta.url) ? "../../../build/" : "../../build/", import.meta.url);
let wasmModule: WebAssembly.Module | undefined;

function abort(): never {
  throw new Error("forklab core: abort (an internal assertion failed)");
}

/** A new Wasm instance of the release core. */
export function loadWasm(file = "core.wasm"): Backend {
  wasmModule ??= new WebAssembly.Module(readFileSync(fileURLToPath(new URL(file, buildDir))));
  const instance = new WebAssembly.Instance(wasmModule, { env: { abort } });
  const exports = instance.exports as unknown as CoreExports & { memory: WebAssembly.Memory };
  return { name: "wasm", exports, buffer: () => exports.memory.buffer };
}

let portableTaken = false;

/** The portable build. Its state is module-level, so only one per process. */
export async function loadPortable(): Promise<Backend> {
  if (portableTaken) throw new Error("forklab core: the portable build holds one core per process, and it is in use");
  const url = new URL("portable/index.js", buildDir).href;
  const mem = await import(new URL("portable/mem.js", buildDir).href);
  const exports = (await import(url)) as CoreExports;
  portableTaken = true;
  return { name: "portable", exports, buffer: () => mem.memBuffer() };
}
