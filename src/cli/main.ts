// The forklab command line: `forklab bomb`, `forklab spawn`, `forklab run FILE.elf`,
// `forklab cc` (cc.ts).
// main(argv, io) takes the arguments after the command name and writers for stdout and
// stderr, and resolves to the exit code: 0 done, 1 runtime failure (an unreadable or
// malformed ELF file, an emulator error), 2 usage error (a bad flag or value).
import { readFileSync, writeFileSync, existsSync, statSync } from "node:fs";
import { dirname, join, resolve, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, Option, CommanderError } from "commander";
import cliProgress from "cli-progress";
import { runBomb, BOMB_PROGRAMS, type BombProgram, type BombReport } from "../workloads/bomb.js";
import { runSpawn, type SpawnReport } from "../workloads/spawn.js";
import { runProgram, formatEvent, type RunReport } from "../workloads/run.js";
import type { MachineOptions, ProcessOptions, Duration, ProgressFn, Series } from "../workloads/common.js";
import { parseElf, ElfError, MAX_ELF_FILE } from "../kernel/imgact_elf.js";
import { bundledProgram, isBundled, BUNDLED_PROGRAMS } from "../user/programs.js";
import { ForklabError } from "../kernel/api.js";
import type { ProgramImage } from "../kernel/image.js";
import { intParser, parseSize, parseDuration, parseSvgPath, UsageError } from "./parse.js";
import { formatBomb, formatSpawn, formatRun } from "./format.js";
import { svgChart } from "./chart.js";
import { addCcCommand, CommandExit } from "./cc.js";

export interface CliIO {
  /** Writes to standard output. */
  stdout: (s: string) => void;
  /** Writes to standard error. */
  stderr: (s: string) => void;
  /** Where the progress bar goes: a TTY stream (bin/forklab.js passes process.stderr when it is one); none, no bar. */
  progressStream?: NodeJS.WritableStream;
  /** Host clock in ms (default performance.now); tests fix it to make host times repeatable. */
  now?: () => number;
  /** Directory relative paths (FILE, --plot) are taken from (default process.cwd()). */
  cwd?: string;
}

/** Exit codes. */
export const EXIT_OK = 0, EXIT_FAILURE = 1, EXIT_USAGE = 2;

class RuntimeError extends Error {
  override name = "RuntimeError";
}

/** The package version, from the package.json above this module (src/cli/ or dist/src/cli/). */
export function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const f = join(dir, "package.json");
    if (existsSync(f)) {
      const pkg = JSON.parse(readFileSync(f, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "forklab" && pkg.version) return pkg.version;
    }
    dir = dirname(dir);
  }
  return "unknown";
}

interface CommonFlags {
  maxproc?: number;
  nprocLimit?: number;
  uid?: number;
  cpus?: number;
  mem?: number;
  strategy?: "copy" | "cow";
  seed?: number;
  sample?: number;
  json?: boolean;
  plot?: string;
}

function addMachineOptions(cmd: Command): Command {
  return cmd
    .option("--maxproc <n>", "kern.maxproc (default: DragonFly's formula from --mem: 532 for 64M)", intParser(3, 99998))
    .option("--nproc-limit <n>", "RLIMIT_NPROC of the process and its children (default: maxproc; root is exempt)", intParser(1, 0x7FFFFFFF))
    .option("--uid <n>", "real and effective uid of the process (default 1000; 0 is root)", intParser(0, 0xFFFFFFFE))
    .option("--cpus <n>", "virtual CPUs (default 1)", intParser(1, 64))
    .option("--mem <size>", "simulated physical memory, e.g. 64M, 1G (default 64M)", parseSize)
    .addOption(new Option("--strategy <how>", "how fork copies an address space (default cow)").choices(["copy", "cow"]))
    .option("--seed <n>", "seed of every random choice (default 1)", intParser(0, 0xFFFFFFFF))
    .option("--sample <ticks>", "sample the process count every this many ticks (default 1)", intParser(1, 1_000_000))
    .option("--json", "print the report as JSON (the same numbers as the text report)")
    .option("--plot <file.svg>", "also write the chart of processes over virtual time as an SVG file", parseSvgPath);
}

function machineOf(f: CommonFlags): MachineOptions & ProcessOptions {
  return { memBytes: f.mem, maxproc: f.maxproc, cpus: f.cpus, strategy: f.strategy, seed: f.seed, uid: f.uid, nprocLimit: f.nprocLimit };
}

/** A progress bar on the TTY, shown only once a run has taken more than a moment. */
function progressBar(io: CliIO, json: boolean | undefined, label: string): { fn: ProgressFn | undefined; stop: () => void } {
  const stream = io.progressStream;
  if (!stream || json) return { fn: undefined, stop: () => {} };
  const now = io.now ?? (() => performance.now());
  const t0 = now();
  let bar: InstanceType<typeof cliProgress.SingleBar> | null = null;
  return {
    fn: (p) => {
      if (!bar) {
        if (now() - t0 < 300 || p.fraction >= 0.95) return;
        bar = new cliProgress.SingleBar({
          stream, format: `${label} [{bar}] {percentage}% | {detail}`, barsize: 30, hideCursor: true, clearOnComplete: true,
        }, cliProgress.Presets.shades_classic);
        bar.start(1000, 0, { detail: "" });
      }
      bar.update(Math.round(p.fraction * 1000), { detail: p.detail });
    },
    stop: () => { bar?.stop(); },
  };
}

function writePlot(io: CliIO, path: string | undefined, series: Series, title: string, ceiling?: { value: number; label: string }): void {
  if (!path) return;
  const file = resolve(io.cwd ?? process.cwd(), path);
  try {
    writeFileSync(file, svgChart(series, title, { ceiling }));
  } catch (e) {
    throw new RuntimeError(`cannot write the plot to ${path}: ${(e as Error).message}`);
  }
}

function emit(io: CliIO, json: boolean | undefined, report: BombReport | SpawnReport | RunReport, text: () => string): void {
  io.stdout(json ? JSON.stringify(report, null, 2) + "\n" : text());
}

const MACHINE_HELP = `
Machine and process options are shared by every command. Virtual durations take a
unit: 500ms, 10s, 2m, or ticks as 300t (hz is 100). Sizes: 64M, 1G (binary units).
Exit codes: 0 done, 1 runtime failure, 2 usage error.`;

function buildProgram(io: CliIO): Command {
  const program = new Command("forklab");
  program
    .description("An emulator of the DragonFly BSD i386 kernel's fork paths (kern_fork.c rev 1.76, 2008): fork bombs, spawn loops and your own i386 programs, in virtual time.")
    .version(version(), "-V, --version", "print the version")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      getOutHelpWidth: () => 100,
      getErrHelpWidth: () => 100,
    })
    .showHelpAfterError("(run with --help for usage)")
    .enablePositionalOptions()
    .addHelpText("after", `
Examples:
  forklab bomb                         a fork bomb as uid 1000 on a 64 MiB machine, to saturation
  forklab spawn --loops 10000          the UnixBench spawn loop, 10000 times
  forklab run programs/bin/spawn 100   any static i386 ELF file, with its arguments
${MACHINE_HELP}`);

  // ---- bomb ----
  const bomb = program.command("bomb")
    .description("Run a fork bomb until the kernel's limits stop it: forks, failures by errno, time to saturation, the limit messages, counters, and a chart of processes over virtual time.")
    .addOption(new Option("--program <name>", "which bomb (default forkbomb)").choices([...BOMB_PROGRAMS]))
    .option("--for <duration>", "run this long in virtual time (default: until saturated, then 1s more; at most 10s)", parseDuration);
  addMachineOptions(bomb).addHelpText("after", `
The ceiling: kern.nprocs reaches maxproc - 10 for a user (the last 10 slots are root's),
maxproc for root, or the uid's process count reaches --nproc-limit if that comes first.

Examples:
  forklab bomb
  forklab bomb --program bashbomb --maxproc 200
  forklab bomb --uid 0 --mem 256M --for 5s --plot bomb.svg
  forklab bomb --nproc-limit 50 --json
${MACHINE_HELP}`)
    .action((f: CommonFlags & { program?: BombProgram; for?: Duration }) => {
      const prog = progressBar(io, f.json, "bomb");
      let r: BombReport;
      try {
        r = runBomb({ ...machineOf(f), program: f.program, duration: f.for, sampleTicks: f.sample, onProgress: prog.fn, hostClock: io.now });
      } finally { prog.stop(); }
      writePlot(io, f.plot, r.series, `forklab bomb: ${r.program}, uid ${r.process.uid}, ${r.machine.mem}, maxproc ${r.machine.maxproc}`,
        r.ceiling.counts === "nprocs" ? { value: r.ceiling.value, label: `ceiling ${r.ceiling.value} (${r.ceiling.by})` } : undefined);
      emit(io, f.json, r, () => formatBomb(r));
    });

  // ---- spawn ----
  const spawn = program.command("spawn")
    .description("Run the UnixBench/lmbench spawn loop (fork; the child exits; the parent waits): loops per virtual and host second and a UnixBench-style index (virtual lps * 10 / 126).")
    .option("--loops <n>", "run exactly this many loops (the program's argv[1])", intParser(1, 0x7FFFFFFF))
    .option("--for <duration>", "or loop for this long in virtual time (default 1s)", parseDuration);
  addMachineOptions(spawn).addHelpText("after", `
The index is computed on loops per virtual second: the emulated machine's speed under
forklab's cost model, not the host's. UnixBench itself runs 30 s three times and takes a
geometric mean; this is one run.

Examples:
  forklab spawn
  forklab spawn --loops 10000
  forklab spawn --for 500ms --cpus 2 --json
${MACHINE_HELP}`)
    .action((f: CommonFlags & { loops?: number; for?: Duration }) => {
      if (f.loops !== undefined && f.for !== undefined) throw new UsageError("--loops and --for exclude each other: give one (a loop count, or a virtual duration)");
      const prog = progressBar(io, f.json, "spawn");
      let r: SpawnReport;
      try {
        r = runSpawn({ ...machineOf(f), loops: f.loops, duration: f.for, sampleTicks: f.sample, onProgress: prog.fn, hostClock: io.now });
      } finally { prog.stop(); }
      writePlot(io, f.plot, r.series, `forklab spawn: ${r.loops} loops, ${r.machine.mem}, ${r.machine.cpus} CPU${r.machine.cpus === 1 ? "" : "s"}`);
      emit(io, f.json, r, () => formatSpawn(r));
    });

  // ---- run ----
  const run = program.command("run")
    .description("Run a static i386 ELF program (DragonFly syscall convention) until it exits: its exit status, the kernel's events, counters. The bundled programs are installed at /bin/<name> for it to exec.")
    .argument("<file>", `an ELF file on disk, or the name of a bundled program (${Object.keys(BUNDLED_PROGRAMS).join(", ")})`)
    .argument("[args...]", "the program's arguments (argv[1]...)")
    .option("--trace", "print every kernel event as one line as it happens (with --json: a trace array)")
    .option("--for <duration>", "give up after this long in virtual time if it has not exited (default 2s)", parseDuration)
    .passThroughOptions();
  addMachineOptions(run).addHelpText("after", `
Options go before FILE: everything after it is the program's argv.
The exit code of forklab is 0 whatever the program's status; the report says it.

Examples:
  forklab run programs/bin/vfork-exec
  forklab run --trace programs/bin/spawn 3
  forklab run --uid 0 ./a.out --json      (here --json is an argument of a.out)
  forklab run spawn 100                  (the bundled spawn)
${MACHINE_HELP}`)
    .action((file: string, args: string[], f: CommonFlags & { trace?: boolean; for?: Duration }) => {
      const { image, path } = loadProgram(io, file);
      const prog = progressBar(io, f.json, "run");
      const streamTrace = f.trace && !f.json;
      let r: RunReport;
      try {
        r = runProgram({
          ...machineOf(f), image, argv: [image.name, ...args], file: path, limit: f.for, trace: f.trace && f.json,
          onEvent: streamTrace ? (e) => io.stdout(formatEvent(e) + "\n") : undefined,
          sampleTicks: f.sample, onProgress: streamTrace ? undefined : prog.fn, hostClock: io.now,
        });
      } finally { prog.stop(); }
      if (streamTrace) io.stdout("\n");
      writePlot(io, f.plot, r.series, `forklab run: ${r.process.argv.join(" ")}`);
      emit(io, f.json, r, () => formatRun(r));
    });

  // ---- cc ----
  addCcCommand(program, io);

  return program;
}

/** An ELF file from disk, or a bundled program by name when no such file exists. */
function loadProgram(io: CliIO, file: string): { image: ProgramImage; path: string } {
  const path = resolve(io.cwd ?? process.cwd(), file);
  let bytes: Uint8Array;
  try {
    // A device (/dev/zero) or a huge file would be read without end: only a regular file
    // of at most MAX_ELF_FILE bytes is read.
    const st = statSync(path);
    if (st.isFile() && st.size > MAX_ELF_FILE) throw new RuntimeError(`cannot run ${file}: ${st.size} bytes is more than the largest program forklab loads (${MAX_ELF_FILE} bytes)`);
    if (!st.isFile() && !st.isDirectory()) throw new RuntimeError(`cannot run ${file}: not a regular file`);
    const b = readFileSync(path);
    bytes = new Uint8Array(b.buffer, b.byteOffset, b.length);
  } catch (e) {
    if (e instanceof RuntimeError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT" && !file.includes("/") && isBundled(file)) {
      return { image: bundledProgram(file), path: `bundled:${file}` };
    }
    if (err.code === "EISDIR") throw new RuntimeError(`cannot run ${file}: it is a directory`);
    throw new RuntimeError(`cannot read ${file}: ${err.code === "ENOENT" ? "no such file" : err.message}`);
  }
  try {
    return { image: parseElf(bytes, basename(file)), path: file };
  } catch (e) {
    if (e instanceof ElfError) throw new RuntimeError(`cannot run ${file}: ${e.message}`);
    throw e;
  }
}

/**
 * Runs the command line `argv` (without node and the script: ["bomb", "--maxproc", "64"])
 * and resolves to the exit code.
 */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help, `forklab help CMD` and --version exit 0; `forklab` alone (usage on stderr) is a usage error.
      if (e.exitCode === 0) return EXIT_OK;
      // commander has printed its message (naming the option and what it expects).
      return EXIT_USAGE;
    }
    if (e instanceof CommandExit) return e.code;
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n(run with --help for usage)\n`);
      return EXIT_USAGE;
    }
    if (e instanceof RuntimeError || e instanceof ForklabError || e instanceof ElfError) {
      io.stderr(`forklab: ${e.message}\n`);
      return EXIT_FAILURE;
    }
    io.stderr(`forklab: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_FAILURE;
  }
}
