#!/usr/bin/env node
// The forklab command: runs the compiled CLI (`npm run build` compiles src/ to dist/).
//
// A run is synchronous, and Node delivers a signal to JavaScript only between tasks, so
// the commands that run a machine (bomb, spawn, run) run in a worker thread: this thread stays free to
// take SIGINT and SIGTERM and passes them on through shared memory, which the run polls
// between chunks; it stops, prints its partial report, restores the terminal and exits
// 130 or 143. A second signal ends forklab at once (the terminal restored).
import { readSync } from "node:fs";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { main, RESTORE_TERMINAL, EXIT_SIGNAL } from "../dist/src/cli/main.js";

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

const SIGNALS = [null, "SIGINT", "SIGTERM"];

if (!isMainThread) {
  // The worker: the CLI, its output and progress bar passed to the main thread as messages.
  const { argv, signal, tty } = workerData;
  const flag = new Int32Array(signal);
  const send = (kind, s) => parentPort.postMessage([kind, s]);
  const progressStream = tty ? { isTTY: true, columns: tty.columns, write: (s) => { send("err", s); return true; } } : undefined;
  const code = await main(argv, {
    stdout: (s) => send("out", s),
    stderr: (s) => send("err", s),
    stdin: readStdin, // fd 0 is the process's: a worker reads it as the main thread would
    progressStream,
    interrupted: () => SIGNALS[Atomics.load(flag, 0)],
  });
  send("exit", code);
} else {
  // A reader that goes away (forklab run --trace ... | head) ends the output, not in a crash.
  process.stdout.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
  const argv = process.argv.slice(2);
  if (argv[0] === "bomb" || argv[0] === "spawn" || argv[0] === "run") {
    const signal = new SharedArrayBuffer(4);
    const flag = new Int32Array(signal);
    const tty = process.stderr.isTTY ? { columns: process.stderr.columns } : null;
    const worker = new Worker(new URL(import.meta.url), { workerData: { argv, signal, tty } });
    const onSignal = (name) => {
      if (Atomics.load(flag, 0) !== 0) {
        if (tty) process.stderr.write(RESTORE_TERMINAL);
        process.exit(EXIT_SIGNAL[name]);
      }
      Atomics.store(flag, 0, SIGNALS.indexOf(name));
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    worker.on("message", ([kind, s]) => {
      if (kind === "out") process.stdout.write(s);
      else if (kind === "err") process.stderr.write(s);
      else process.exitCode = s;
    });
    worker.on("error", (e) => {
      process.stderr.write(`forklab: internal error: ${e.stack ?? e}\n`);
      process.exitCode = 1;
    });
    worker.on("exit", () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    });
  } else {
    process.exitCode = await main(argv, {
      stdout: (s) => process.stdout.write(s),
      stderr: (s) => process.stderr.write(s),
      progressStream: process.stderr.isTTY ? process.stderr : undefined,
      stdin: readStdin,
    });
  }
}
