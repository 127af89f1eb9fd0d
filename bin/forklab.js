#!/usr/bin/env node
// The forklab command: runs the compiled CLI (`npm run build` compiles src/ to dist/).
import { main } from "../dist/src/cli/main.js";

// A reader that goes away (forklab run --trace ... | head) ends the output, not in a crash.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  progressStream: process.stderr.isTTY ? process.stderr : undefined,
});
