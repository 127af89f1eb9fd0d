// What the two core loaders share (load.ts for Node, load-browser.ts for browsers): the
// compiled Wasm module every core is instantiated from, how a source handed to initCore
// becomes that module, and the import of the portable build.
import type { CoreExports } from "./exports.js";
import type { Backend } from "./backend.js";

/**
 * A compiled WebAssembly.Module. Spelled this way so that the declarations also compile
 * where the lib declares no WebAssembly (a Node project without the DOM lib).
 */
export type WasmModule = typeof globalThis extends { WebAssembly: { Module: new (bytes: never) => infer M } } ? M : object;

/** Anything with a fetch Response's arrayBuffer() (and ok, status, url when it has them). */
export interface ResponseLike {
  ok?: boolean;
  status?: number;
  url?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Where initCore takes the Wasm core from: a compiled module, the bytes of core.wasm, a
 * fetch Response of it, or its URL (fetched; in Node a file: URL is read from disk).
 */
export type CoreSource = WasmModule | ArrayBuffer | ArrayBufferView | ResponseLike | URL | string;

// What follows is the loaders' own (@internal: left out of the declarations, which then
// need no WebAssembly types).
let compiled: WebAssembly.Module | undefined;

/** @internal The module cores are made from, once one was compiled or handed in. */
export function coreModule(): WebAssembly.Module | undefined { return compiled; }

/** @internal */
export function setCoreModule(m: WebAssembly.Module): WebAssembly.Module { return (compiled = m); }

function abort(): never {
  throw new Error("forklab core: abort (an internal assertion failed)");
}

/** @internal A new Wasm instance of the core: one per Core, all from the same module. */
export function instantiate(module: WebAssembly.Module): Backend {
  const instance = new WebAssembly.Instance(module, { env: { abort } });
  const exports = instance.exports as unknown as CoreExports & { memory: WebAssembly.Memory };
  return { name: "wasm", exports, buffer: () => exports.memory.buffer };
}

/** @internal Compiles a CoreSource (fetching a URL) to a module; a TypeError names what was wrong. */
export async function compileSource(source: CoreSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source as BufferSource);
  if (typeof source === "string" || source instanceof URL) source = await fetch(source);
  if (typeof source === "object" && source !== null && typeof (source as ResponseLike).arrayBuffer === "function") {
    const r = source as ResponseLike;
    if (r.ok === false) throw new TypeError(`forklab core: fetching ${r.url ?? "core.wasm"} failed with HTTP status ${r.status}`);
    return WebAssembly.compile(await r.arrayBuffer());
  }
  throw new TypeError("forklab core: initCore takes a WebAssembly.Module, the bytes of core.wasm, a fetch Response or a URL");
}

let portableTaken = false;

/** The portable build under `buildDir` (build/ of the package). Its state is module-level, so one per process. */
export async function importPortable(buildDir: URL): Promise<Backend> {
  if (portableTaken) throw new Error("forklab core: the portable build holds one core per process, and it is in use");
  const mem = await import(new URL("portable/mem.js", buildDir).href);
  const exports = (await import(new URL("portable/index.js", buildDir).href)) as CoreExports;
  portableTaken = true;
  return { name: "portable", exports, buffer: () => mem.memBuffer() };
}
