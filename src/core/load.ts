// Loading the core in Node: the Wasm module is compiled once, synchronously, from the
// package's build/core.wasm on first use (or handed in by initCore), and each core is a
// fresh instance of it; or the portable JavaScript build (one per process).
// Browsers get load-browser.ts in this module's place (scripts/build.mjs, dist/browser/).
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Backend } from "./backend.js";
import { compileSource, coreModule, setCoreModule, instantiate, importPortable, type CoreSource } from "./instantiate.js";

let buildDirUrl: URL | undefined;

/**
 * The package's build/ folder, found by walking up from this module: it sits at
 * src/core/ in the sources, dist/src/core/ in the ESM build, dist/cjs/ in the CommonJS one.
 */
function buildDir(): URL {
  if (buildDirUrl) return buildDirUrl;
  for (let levels = 1; levels <= 4; levels++) {
    const dir = new URL(`${"../".repeat(levels)}build/`, import.meta.url);
    if (existsSync(fileURLToPath(new URL("core.wasm", dir)))) return (buildDirUrl = dir);
  }
  throw new Error(`forklab core: build/core.wasm was not found above ${import.meta.url} (run npm run build)`);
}

/** A new Wasm instance of the release core. */
export function loadWasm(): Backend {
  return instantiate(coreModule() ?? setCoreModule(new WebAssembly.Module(readFileSync(fileURLToPath(new URL("core.wasm", buildDir()))))));
}

/**
 * Compiles the Wasm core from `source` for every core made after it (in Node optional:
 * without it the package's core.wasm is compiled on first use). A file: URL is read from
 * disk; with no source, the package's own core.wasm is.
 */
export async function initCore(source?: CoreSource): Promise<void> {
  if (source === undefined) source = new URL("core.wasm", buildDir());
  if ((source instanceof URL || typeof source === "string") && String(source).startsWith("file:")) {
    source = readFileSync(fileURLToPath(source));
  }
  setCoreModule(await compileSource(source));
}

/** The portable build. Its state is module-level, so only one per process. */
export function loadPortable(): Promise<Backend> {
  return importPortable(buildDir());
}
