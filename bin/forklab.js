#!/usr/bin/env node
// The forklab command: runs the compiled CLI (`npm run build` compiles src/ to dist/).
import { readSync } from "node:fs";
import { main } from "../dist/src/cli/main.js";

/** The host's stdin, a chunk at a time, for `forklab run`'s console: null at end of input. */
function readStdin() {
  const buf = Buffer.alloc(65536);
  for (;;) {
    try {
      const n = readSync(0, buf, 0, buf.length, null);
      return n === 0 ? null : new Uint8Array(buf.subarray(0, n));
    } catch (e) {
      // A non-blocking stdin with nothing yet: wait a moment and try again.
      if (e.code === "EAGAIN") { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); continue; }
      return null; // closed or unreadable: end of input
    }
  }
}

// A reader that goes away (forklab run --trace ... | head) ends the output, not in a crash.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  progressStream: process.stderr.isTTY ? process.stderr : undefined,
  stdin: readStdin,
});
