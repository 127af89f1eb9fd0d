// Loading the core in a browser (load.ts's stand-in in dist/browser/): nothing here
// touches Node. The Wasm module comes from initCore, which fetches core.wasm from the
// package (or takes a module, bytes, a Response or another URL); cores are instances of it.
import type { Backend } from "./backend.js";
import { CoreError } from "./core.js";
import { compileSource, coreModule, setCoreModule, instantiate, importPortable, type CoreSource } from "./instantiate.js";

// dist/browser/forklab.js -> build/
const buildDir = new URL("../../build/", import.meta.url);

/** A new Wasm instance of the core initCore compiled. */
export function loadWasm(): Backend {
  const m = coreModule();
  if (!m) throw new CoreError("the Wasm core is not loaded: in a browser, await initCore() before creating a Forklab or Core");
  return instantiate(m);
}

/**
 * Compiles the Wasm core for every core made after it: from `source`, or without one from
 * the package's build/core.wasm, fetched relative to this module.
 */
export async function initCore(source: CoreSource = new URL("core.wasm", buildDir)): Promise<void> {
  setCoreModule(await compileSource(source));
}

/** The portable build, imported from the package's build/portable/ (one per page). */
export function loadPortable(): Promise<Backend> {
  return importPortable(buildDir);
}
