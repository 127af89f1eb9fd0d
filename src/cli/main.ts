// The forklab command line: `forklab bomb`, `forklab spawn`, `forklab run FILE.elf`,
// `forklab cc` (cc.ts).
// main(argv, io) takes the arguments after the command name and writers for stdout and
// stderr, and resolves to the exit code: 0 done, 1 runtime failure (an unreadable or
// malformed ELF file, an emulator error), 2 usage error (a bad flag or value).
import { readFileSync, writeFileSync, existsSync, statSync } from "node:fs";
import { dirname, join, resolve, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, Option, CommanderError, InvalidArgumentError } from "commander";
import cliProgress from "cli-progress";
import { runBomb, BOMB_PROGRAMS, type BombProgram, type BombReport } from "../workloads/bomb.js";
import { runSpawn, type SpawnReport } from "../workloads/spawn.js";
import { runProgram, formatEvent, type RunReport } from "../workloads/run.js";
import type { MachineOptions, ProcessOptions, Duration, ProgressFn, Series } from "../workloads/common.js";
import { parseElf, ElfError, MAX_ELF_FILE } from "../kernel/imgact_elf.js";
import { bundledProgram, isBundled, BUNDLED_PROGRAMS } from "../user/programs.js";
import { ForklabError, type ConsoleOutput } from "../kernel/api.js";
import type { ProgramImage } from "../kernel/image.js";
import { intParser, parseSize, parseDuration, parseSvgPath, parseStrategies, UsageError } from "./parse.js";
import { formatBomb, formatSpawn, formatRun, row, machineLine } from "./format.js";
import { svgChart, isUtf8Locale } from "./chart.js";
import { measure, NondeterminismError, SPAWN_JIT_WARMUP_LOOPS, SPAWN_JIT_WARMUP_MS, type BenchReport, type Measured } from "./bench.js";
import { FORMATS, jsonReport, jsonComparison, runsLines, comparisonText, markdown, csv, type Format } from "./output.js";
import type { Strategy } from "../core/core.js";
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
  /**
   * The host's standard input for `forklab run`'s console: called when the program waits
   * for input; returns bytes, or null at end of input (default: none, end of input at once).
   */
  stdin?: () => Uint8Array | null;
  /** The environment the terminal's character set is read from (LANG, LC_ALL, LC_CTYPE; default process.env). */
  env?: Record<string, string | undefined>;
  /**
   * Polled between chunks of a run: the signal that asked forklab to stop (SIGINT, SIGTERM),
   * or null. bin/forklab.js sets it from its signal handlers.
   */
  interrupted?: () => Interrupt | null;
}

export type Interrupt = "SIGINT" | "SIGTERM";
/** Exit codes after an interrupt: 128 + the signal number, as a shell reports it. */
export const EXIT_SIGNAL: Record<Interrupt, number> = { SIGINT: 130, SIGTERM: 143 };
/** Shows the cursor and turns autowrap back on: what the progress bar turned off. */
export const RESTORE_TERMINAL = "\x1b[?25h\x1b[?7h";

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
  strategy?: Strategy[];
  seed?: number;
  sample?: number;
  json?: boolean;
  plot?: string;
  ascii?: boolean;
}

interface BenchFlags extends CommonFlags { format?: Format; runs: number; warmup: number }

function addMachineOptions(cmd: Command): Command {
  return cmd
    .option("--maxproc <n>", "kern.maxproc (default: DragonFly's formula from --mem: 532 for 64M)", intParser(3, 99998))
    .option("--nproc-limit <n>", "RLIMIT_NPROC of the process and its children (default: maxproc; root is exempt)", intParser(1, 0x7FFFFFFF))
    .option("--uid <n>", "real and effective uid of the process (default 1000; 0 is root)", intParser(0, 0xFFFFFFFE))
    .option("--cpus <n>", "virtual CPUs (default 1)", intParser(1, 64))
    .option("--mem <size>", "simulated physical memory, e.g. 64M, 1G (default 64M)", parseSize)
    .option("--strategy <how>", "how fork copies an address space: copy, cow or share-pt (default cow); bomb and spawn take a list, copy,cow,share-pt, and compare them", parseStrategies)
    .option("--seed <n>", "seed of every random choice (default 1)", intParser(0, 0xFFFFFFFF))
    .option("--sample <ticks>", "sample the process count every this many ticks (default 1)", intParser(1, 1_000_000))
    .option("--json", "print the report as JSON (the same numbers as the text report)")
    .option("--plot <file.svg>", "also write the chart of processes over virtual time as an SVG file", parseSvgPath)
    .option("--ascii", "draw the terminal chart in ASCII (the default where LANG, LC_ALL, LC_CTYPE do not name UTF-8)");
}

function addBenchOptions(cmd: Command): Command {
  return cmd
    .option("--runs <n>", "measured runs: host figures as mean ± σ, median, min, max", intParser(1, 1000), 1)
    .option("--warmup <n>", "warm-up runs, run and discarded before the measured ones", intParser(0, 1000), 0)
    .addOption(new Option("--format <format>", "the report's format (default text; --json is --format json)").choices(FORMATS));
}

function machineOf(f: CommonFlags, strategy: Strategy | undefined = oneStrategy(f)): MachineOptions & ProcessOptions {
  return { memBytes: f.mem, maxproc: f.maxproc, cpus: f.cpus, strategy, seed: f.seed, uid: f.uid, nprocLimit: f.nprocLimit };
}

function oneStrategy(f: CommonFlags): Strategy | undefined {
  if (f.strategy && f.strategy.length > 1) throw new UsageError("--strategy takes one strategy here (a list compares them in forklab bomb and spawn)");
  return f.strategy?.[0];
}

function ascii(io: CliIO, f: CommonFlags): boolean {
  return f.ascii === true || !isUtf8Locale(io.env ?? process.env);
}

/** --format, with --json its alias. */
function formatOf(f: BenchFlags): Format {
  if (f.json && f.format !== undefined && f.format !== "json") throw new UsageError(`--json is --format json: it excludes --format ${f.format}`);
  return f.json ? "json" : f.format ?? "text";
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

const MACHINE_HELP = `
Machine and process options are shared by every command. Virtual durations take a
unit: 500ms, 10s, 2m, or ticks as 300t (hz is 100). Sizes: 64M, 1G (binary units).
Exit codes: 0 done, 1 runtime failure, 2 usage error.`;

const BENCH_HELP = `With --runs N (after --warmup runs that are run and discarded), host figures are given as
mean ± σ, median, min and max over the runs; virtual-time figures are deterministic and are
checked to be identical in every run. --strategy copy,cow runs each (same seed and options)
and prints them side by side with ratios. SIGINT or SIGTERM stops the run: the partial
report is printed and forklab exits 130 or 143.`;

/** What a command left for main: the run's report, whose program status is the exit code, or an exit code (an interrupt). */
interface Outcome { run: RunReport | null; code: number }

interface BenchView<R extends BenchReport> {
  /** The text report, with more lines before its chart. */
  text: (r: Measured<R>, extra: string[]) => string;
  /** The first line of a comparison. */
  head: (r: R) => string;
  plot: (r: R) => void;
}

/**
 * A benchmark command (bomb, spawn): for each strategy, the warm-up and measured runs;
 * then the report in the format asked. An interrupt stops the runs at the next chunk; the
 * report of what ran is printed (a partial report) and the exit code is 128 + the signal.
 */
function bench<R extends BenchReport>(
  io: CliIO, f: BenchFlags, label: string,
  once: (strategy: Strategy | undefined, onProgress: ProgressFn | undefined, stop: () => boolean) => R,
  view: BenchView<R>,
  jitWarmup?: (strategy: Strategy | undefined) => void,
): number {
  const format = formatOf(f);
  const strategies: (Strategy | undefined)[] = f.strategy ?? [undefined];
  if (strategies.length > 1 && f.plot) throw new UsageError("--plot draws one run: give one --strategy with it");
  const signal = (): Interrupt | null => io.interrupted?.() ?? null;
  const stop = (): boolean => signal() !== null;
  const results: Measured<R>[] = [];
  for (const strategy of strategies) {
    jitWarmup?.(strategy);
    let n = 0;
    const total = f.warmup + f.runs;
    results.push(measure(() => {
      n++;
      const what = `${label}${strategy && strategies.length > 1 ? ` ${strategy}` : ""}${total > 1 ? ` ${n}/${total}` : ""}`;
      const prog = progressBar(io, format !== "text", what);
      try {
        return once(strategy, prog.fn, stop);
      } finally {
        prog.stop();
      }
    }, f.runs, f.warmup, stop));
    if (stop()) break;
  }
  const all = results as unknown as Measured<BenchReport>[];
  const sig = signal();
  if (sig && io.progressStream) io.progressStream.write(RESTORE_TERMINAL);
  if (results.length === 1) {
    const r = results[0];
    view.plot(r);
    if (format === "json") io.stdout(jsonReport(version(), r));
    else if (format === "csv") io.stdout(csv(all));
    else if (format === "markdown") io.stdout(markdown(all));
    else io.stdout(view.text(r, r.benchmark.runs > 1 || r.benchmark.warmup > 0 ? runsLines(r, row) : []));
  } else {
    if (format === "json") io.stdout(jsonComparison(version(), all));
    else if (format === "csv") io.stdout(csv(all));
    else if (format === "markdown") io.stdout(markdown(all));
    else io.stdout(comparisonText(all, view.head(results[0]), machineLine({ ...results[0].machine, strategy: results.map((r) => r.machine.strategy).join(" and ") as Strategy })));
  }
  return sig ? EXIT_SIGNAL[sig] : EXIT_OK;
}

function buildProgram(io: CliIO, outcome: Outcome): Command {
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
  forklab bomb                                a fork bomb as uid 1000 on a 64 MiB machine, to saturation
  forklab spawn --loops 10000                 the UnixBench spawn loop, 10000 times
  forklab spawn --runs 10 --warmup 2          ten measured runs: host figures as mean ± σ, median, min, max
  forklab bomb --strategy copy,cow            the copy and copy-on-write fork side by side, with ratios
  forklab run spawn 100                       a bundled program (or any static i386 ELF file), with its arguments
${MACHINE_HELP}`);

  // ---- bomb ----
  const bomb = program.command("bomb")
    .description("Run a fork bomb until the kernel's limits stop it: forks, failures by errno, time to saturation, the limit messages, counters, and a chart of processes over virtual time.")
    .option("--program <name|FILE>", `which bomb: ${BOMB_PROGRAMS.join(" or ")} (default forkbomb), or your own static i386 ELF file`)
    .option("--for <duration>", "run this long in virtual time (default: until saturated, then 1s more; at most 10s)", parseDuration);
  addBenchOptions(addMachineOptions(bomb)).addHelpText("after", `
The ceiling: kern.nprocs reaches maxproc - 10 for a user (the last 10 slots are root's),
maxproc for root, or the uid's process count reaches --nproc-limit if that comes first.

Examples:
  forklab bomb
  forklab bomb --program bashbomb --maxproc 200
  forklab bomb --uid 0 --mem 256M --for 5s --plot bomb.svg
  forklab bomb --nproc-limit 50 --json
  forklab bomb --runs 5 --warmup 1 --strategy copy,cow --format markdown
  forklab bomb --program ./mybomb       (your own static i386 ELF file)

${BENCH_HELP}
${MACHINE_HELP}`)
    .action((f: BenchFlags & { program?: string; for?: Duration }) => {
      const bundled = f.program === undefined || (BOMB_PROGRAMS as readonly string[]).includes(f.program);
      if (!bundled && !existsSync(resolve(io.cwd ?? process.cwd(), f.program!))) {
        throw new UsageError(`--program expects ${BOMB_PROGRAMS.join(" or ")}, or an ELF file; there is no file ${JSON.stringify(f.program)}`);
      }
      const own = bundled ? undefined : loadProgram(io, f.program!);
      outcome.code = bench<BombReport>(io, f, "bomb", (strategy, onProgress, stop) => runBomb({
        ...machineOf(f, strategy), program: bundled ? f.program as BombProgram | undefined : undefined, image: own?.image, file: own?.path,
        duration: f.for, sampleTicks: f.sample, onProgress, stop, hostClock: io.now,
      }), {
        text: (r, extra) => formatBomb(r, ascii(io, f), extra),
        head: (r) => `forklab bomb: ${r.program}: ${r.description}`,
        plot: (r) => writePlot(io, f.plot, r.series, `forklab bomb: ${r.program}, uid ${r.process.uid}, ${r.machine.mem}, maxproc ${r.machine.maxproc}`,
          r.ceiling.counts === "nprocs" ? { value: r.ceiling.value, label: `ceiling ${r.ceiling.value} (${r.ceiling.by})` } : undefined),
      });
    });

  // ---- spawn ----
  const spawn = program.command("spawn")
    .description("Run the UnixBench/lmbench spawn loop (fork; the child exits; the parent waits): loops per virtual and host second and a UnixBench-style index (virtual lps * 10 / 126).")
    .option("--loops <n>", "run exactly this many loops (the program's argv[1])", intParser(1, 0x7FFFFFFF))
    .option("--program <FILE>", "your own static i386 ELF spawn loop instead of the bundled one (a loop: a child it reaped)")
    .option("--for <duration>", "or loop for this long in virtual time (default 1s)", parseDuration);
  addBenchOptions(addMachineOptions(spawn)).addHelpText("after", `
The index is computed on loops per virtual second: the emulated machine's speed under
forklab's cost model, not the host's. UnixBench itself runs 30 s three times and takes a
geometric mean; this is one run. Host figures are taken after an untimed warm-up of
${SPAWN_JIT_WARMUP_LOOPS} loops (${SPAWN_JIT_WARMUP_MS} ms at most) on a machine of its own,
so that they measure the emulator and not V8 compiling it; --warmup adds whole runs
before the measured ones.

Examples:
  forklab spawn
  forklab spawn --loops 10000
  forklab spawn --for 500ms --cpus 2 --json
  forklab spawn --loops 10000 --runs 10 --warmup 2 --format csv

${BENCH_HELP}
${MACHINE_HELP}`)
    .action((f: BenchFlags & { loops?: number; for?: Duration; program?: string }) => {
      if (f.loops !== undefined && f.for !== undefined) throw new UsageError("--loops and --for exclude each other: give one (a loop count, or a virtual duration)");
      const own = f.program === undefined ? undefined : loadProgram(io, f.program);
      outcome.code = bench<SpawnReport>(io, f, "spawn", (strategy, onProgress, stop) => runSpawn({
        ...machineOf(f, strategy), loops: f.loops, duration: f.for, image: own?.image, file: own?.path,
        sampleTicks: f.sample, onProgress, stop, hostClock: io.now,
      }), {
        text: (r, extra) => formatSpawn(r, ascii(io, f), extra),
        head: (r) => `forklab spawn: ${r.description}`,
        plot: (r) => writePlot(io, f.plot, r.series, `forklab spawn: ${r.loops} loops, ${r.machine.mem}, ${r.machine.cpus} CPU${r.machine.cpus === 1 ? "" : "s"}`),
      }, (strategy) => {
        // Bounded in time from its first chunk (the core's compilation before it is not
        // counted); an interrupt is taken at the measured run's first chunk.
        let end = 0;
        const stop = (): boolean => {
          const t = performance.now();
          if (end === 0) end = t + SPAWN_JIT_WARMUP_MS;
          return t > end;
        };
        runSpawn({ ...machineOf(f, strategy), loops: SPAWN_JIT_WARMUP_LOOPS, stop });
      });
    });

  // ---- run ----
  const run = program.command("run")
    .description("Run a static i386 ELF program (DragonFly syscall convention) until it exits: its exit status, the kernel's events, counters. The bundled programs are installed at /bin/<name> for it to exec.")
    .argument("<file>", `an ELF file on disk, or the name of a bundled program (${Object.keys(BUNDLED_PROGRAMS).join(", ")})`)
    .argument("[args...]", "the program's arguments (argv[1]...)")
    .option("--trace", "print every kernel event as one line as it happens (with --json: a trace array)")
    .option("--quiet", "print only the program's output (no report)")
    .option("--file <host=guest>", "also put the host file at an absolute guest path (repeatable), e.g. --file ./helper=/bin/helper", collectFile, [])
    .option("--for <duration>", "give up after this long in virtual time if it has not exited (default 2s)", parseDuration)
    .passThroughOptions();
  addMachineOptions(run).addHelpText("after", `
Options go before FILE: everything after it is the program's argv. The program is put
in the machine's filesystem at /bin/<name> (its argv[0]), with the bundled programs, so it
can exec itself or them; --file adds other files.
The console is the terminal: what the program writes to descriptors 1 and 2 appears on
stdout and stderr as it runs, and what it reads from 0 comes from stdin. The report
follows (--quiet: none; --json: the report alone, the output in it).
The exit code is the program's exit status, 128 + N if signal N killed it, 1 if it had
not exited when the run stopped (or forklab failed), 2 for a usage error.

Examples:
  forklab run vfork-exec                 (a bundled program, by its name)
  forklab run --trace spawn 3
  forklab run --uid 0 ./a.out --json      (here --json is an argument of a.out)
  echo hi | forklab run --quiet ./cat    (stdin to the program, its output alone)
${MACHINE_HELP}`)
    .action((file: string, args: string[], f: CommonFlags & { trace?: boolean; for?: Duration; quiet?: boolean; file: GuestFileArg[] }) => {
      const machine = machineOf(f);
      const { image, path, bytes } = loadProgram(io, file);
      const files = f.file.map((g) => ({ path: g.guest, bytes: readHostFile(io, g.host), mode: 0o755 }));
      const guestPath = `/bin/${image.name}`;
      const prog = progressBar(io, f.json || f.quiet, "run");
      const streamTrace = f.trace && !f.json;
      let wrote = "";
      const onOutput = f.json ? undefined : (o: ConsoleOutput) => {
        prog.stop();
        wrote = o.text;
        (o.fd === 2 ? io.stderr : io.stdout)(o.text);
      };
      let r: RunReport;
      try {
        r = runProgram({
          ...machine, image, bytes, path: guestPath, files, argv: [guestPath, ...args], file: path, limit: f.for,
          trace: f.trace && f.json, onOutput, stdin: io.stdin ?? (() => null),
          onEvent: streamTrace ? (e) => io.stdout(formatEvent(e) + "\n") : undefined,
          sampleTicks: f.sample, onProgress: streamTrace ? undefined : prog.fn, hostClock: io.now,
          stop: () => io.interrupted?.() != null,
        });
      } finally { prog.stop(); }
      if (!f.quiet) {
        if (wrote && !wrote.endsWith("\n")) io.stdout("\n");
        if (streamTrace || r.output) io.stdout("\n");
        writePlot(io, f.plot, r.series, `forklab run: ${r.process.argv.join(" ")}`);
        io.stdout(f.json ? jsonReport(version(), r) : formatRun(r, ascii(io, f)));
      }
      outcome.run = r;
    });

  // ---- cc ----
  addCcCommand(program, io);

  return program;
}

interface GuestFileArg { host: string; guest: string }

/** --file host=guest, collected: the guest path must be absolute. */
function collectFile(v: string, prev: GuestFileArg[]): GuestFileArg[] {
  const i = v.lastIndexOf("=");
  if (i <= 0 || i === v.length - 1) throw new InvalidArgumentError("expects HOST=GUEST, a host file and an absolute path in the machine");
  const guest = v.slice(i + 1);
  if (!guest.startsWith("/")) throw new InvalidArgumentError(`expects an absolute guest path after '=', got ${JSON.stringify(guest)}`);
  return [...prev, { host: v.slice(0, i), guest }];
}

function readHostFile(io: CliIO, file: string): Uint8Array {
  try {
    const b = readFileSync(resolve(io.cwd ?? process.cwd(), file));
    return new Uint8Array(b.buffer, b.byteOffset, b.length);
  } catch (e) {
    throw new RuntimeError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
}

/** The exit code of `forklab run`: the program's status, 128 + signal, 1 if it did not exit. */
export function runExitCode(r: RunReport): number {
  if (!r.exit) return EXIT_FAILURE;
  return r.exit.code ?? 128 + (r.exit.signal ?? 0);
}


/** An ELF file from disk, or a bundled program by name when no such file exists. */
function loadProgram(io: CliIO, file: string): { image: ProgramImage; path: string; bytes?: Uint8Array } {
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
    return { image: parseElf(bytes, basename(file)), path: file, bytes };
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
  const outcome: Outcome = { run: null, code: EXIT_OK };
  const program = buildProgram(io, outcome);
  try {
    await program.parseAsync(argv, { from: "user" });
    if (outcome.run?.run.end === "interrupted") return EXIT_SIGNAL[io.interrupted?.() ?? "SIGINT"];
    return outcome.run ? runExitCode(outcome.run) : outcome.code;
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
    if (e instanceof RuntimeError || e instanceof ForklabError || e instanceof ElfError || e instanceof NondeterminismError) {
      io.stderr(`forklab: ${e.message}\n`);
      return EXIT_FAILURE;
    }
    io.stderr(`forklab: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_FAILURE;
  }
}
