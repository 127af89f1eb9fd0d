// What a backend (the Wasm build or the portable JavaScript build) hands the face.
import type { CoreExports } from "./exports.js";

/** The exports and the current memory buffer (re-fetched: memory may grow). */
export interface Backend {
  readonly name: "wasm" | "portable";
  readonly exports: CoreExports;
  buffer(): ArrayBuffer;
}
