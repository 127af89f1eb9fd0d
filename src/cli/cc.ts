// `forklab cc`: compiles C programs into static i386 ELF executables for forklab with the
// machine's own compiler (gcc -m32 from gcc-multilib; clang for an i386 ELF target when
// gcc cannot make i386 code), forklab's start-up code, C library and headers (libc/,
// docs/libc.md) and its link layout (libc/lib/forklab.ld: text at 0x08048000, no
// PT_INTERP, no dynamic sections, no TLS).
//
//   parseCcArgs(args)   a gcc-style command line -> CcRequest (UsageError if bad)
//   cc(request)         compiles and links; resolves to { code, output, ... }
//   findCompiler()      which compiler can make i386 code here, or why none can
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve, extname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { UsageError } from "./parse.js";

/** What to compile: inputs and flags in command-line order, as gcc takes them. */
export interface CcRequest {
  /** Sources (.c, .S, .s), objects (.o) and archives (.a), and flags, in order. */
  args: string[];
  /** The executable (or, with compileOnly, the object) to write (default a.out / NAME.o). */
  output?: string;
  /** -c: compile only, to an object file. */
  compileOnly?: boolean;
  /** Directory relative paths are taken from (default process.cwd()). */
  cwd?: string;
  /** Compiler to use, or findCompiler's message saying why there is none (default: findCompiler()). */
  compiler?: Compiler | string;
}

export interface CcResult {
  /** 0 compiled, 1 compile or link error (or no compiler). */
  code: 0 | 1;
  /** The path written (absolute), when code is 0. */
  output?: string;
  /** The compiler's messages (warnings too), or why nothing could run. */
  diagnostics: string;
  /** The command that was run (program and arguments). */
  command: string[];
}

export interface Compiler {
  kind: "gcc" | "clang";
  /** The program to run. */
  path: string;
  /** Flags that select i386 code. */
  target: string[];
  /** The compiler's own header directory (stddef.h, stdarg.h, float.h). */
  include: string;
  /** The i386 libgcc.a (or compiler-rt builtins) for 64-bit division and such. */
  runtime: string;
}

/** The Debian package that gives gcc the 32-bit libgcc and multilib support. */
export const MULTILIB_PACKAGE = "gcc-multilib";

/** libc/ of the package: found by walking up from this module (src/cli/ or dist/src/cli/). */
export function libcDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const cand = join(dir, "libc");
    if (existsSync(join(cand, "lib", "crt1.o"))) return cand;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`forklab's C library (libc/lib/crt1.o) was not found above ${dirname(fileURLToPath(import.meta.url))}`);
}

function runIn(cmd: string, args: string[], cwd?: string, path?: string): { status: number | null; stdout: string; stderr: string; error?: Error } {
  const env = path === undefined ? process.env : { ...process.env, PATH: path };
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd, env, maxBuffer: 16 << 20 });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", error: r.error };
}

let found: Compiler | string | undefined;

/**
 * The compiler that can make i386 code on this machine, or a message saying why none can
 * (with the Debian package to install). `env.PATH` searches other directories (not cached).
 */
export function findCompiler(env: { PATH?: string } = {}): Compiler | string {
  if (env.PATH === undefined) return (found ??= probe(undefined));
  return probe(env.PATH);
}

function probe(path: string | undefined): Compiler | string {
  const run = (cmd: string, args: string[]) => runIn(cmd, args, undefined, path);
  const gccRuntime = run("gcc", ["-m32", "-print-libgcc-file-name"]);
  if (!gccRuntime.error && gccRuntime.status === 0) {
    const runtime = gccRuntime.stdout.trim();
    const include = run("gcc", ["-m32", "-print-file-name=include"]).stdout.trim();
    if (runtime.startsWith("/") && existsSync(runtime) && existsSync(join(include, "stddef.h"))) {
      return { kind: "gcc", path: "gcc", target: ["-m32"], include, runtime };
    }
  }
  const clangTarget = ["--target=i386-unknown-none-elf"];
  const clangRuntime = run("clang", [...clangTarget, "-print-libgcc-file-name"]);
  if (!clangRuntime.error && clangRuntime.status === 0) {
    const runtime = clangRuntime.stdout.trim();
    const include = run("clang", [...clangTarget, "-print-file-name=include"]).stdout.trim();
    if (existsSync(runtime) && existsSync(join(include, "stddef.h"))) {
      return { kind: "clang", path: "clang", target: [...clangTarget, "-fuse-ld=lld"], include, runtime };
    }
  }
  return gccRuntime.error
    ? `no C compiler was found (gcc is not installed): install gcc and ${MULTILIB_PACKAGE} (apt-get install gcc ${MULTILIB_PACKAGE})`
    : `gcc cannot make i386 programs here (no 32-bit libgcc): install ${MULTILIB_PACKAGE} (apt-get install ${MULTILIB_PACKAGE})`;
}

const SOURCE = new Set([".c", ".S", ".s", ".i"]);
const INPUT = new Set([...SOURCE, ".o", ".a"]);
/** Flags that would make something forklab cannot load, with the reason. */
const REFUSED: [RegExp, string][] = [
  [/^-(shared|rdynamic|dynamic)$/, "forklab runs static executables only"],
  [/^-f(pic|PIC|pie|PIE)$/, "forklab programs are position-dependent (ET_EXEC at 0x08048000)"],
  [/^-(pie|static-pie)$/, "forklab programs are position-dependent (ET_EXEC at 0x08048000)"],
  [/^-m(64|x32)$/, "forklab runs i386 programs (-m32)"],
  [/^-(nostdlib|nostartfiles|nodefaultlibs|nostdinc)$/, "forklab cc supplies the start-up code, C library and headers itself"],
  [/^-fsanitize/, "the sanitizers' run-time libraries are not available for forklab"],
];

/**
 * Parses a gcc-style command line: inputs (.c .S .s .o .a), -o FILE, -c, -O*, -g*, -D, -U,
 * -I, -L, -l, -W* (and -Wl,...), -w, -std=, -march=, -mtune=, -f* (code generation),
 * -pedantic*, -s, -pipe, -static (a no-op), -pthread (-D_REENTRANT, and -lpthread after
 * everything else, as gcc does), -v. Throws a UsageError for anything else.
 */
export function parseCcArgs(argv: string[]): CcRequest & { verbose: boolean } {
  const args: string[] = [];
  let output: string | undefined, compileOnly = false, verbose = false, pthread = false, inputs = 0;
  const valueOf = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    for (const [re, why] of REFUSED) if (re.test(a)) throw new UsageError(`${a} is not supported: ${why}`);
    if (a === "-o") { output = valueOf(i, "-o"); i++; continue; }
    if (a.startsWith("-o")) { output = a.slice(2); continue; }
    if (a === "-c") { compileOnly = true; continue; }
    if (a === "-v") { verbose = true; continue; }
    if (a === "-static") continue; // what forklab cc always makes
    if (a === "-pthread") { pthread = true; args.push("-D_REENTRANT"); continue; }
    if (a === "-s" || a === "-pipe") { args.push(a); continue; }
    if (["-D", "-U", "-I", "-L", "-l"].includes(a)) { args.push(a + valueOf(i, a)); i++; continue; }
    if (/^-(D|U|I|L|l).+/.test(a) || /^-O([0-3sgz]|fast)?$/.test(a) || /^-g(gdb)?[0-3]?$/.test(a) ||
        /^-W.*/.test(a) || a === "-w" || /^-std=.+/.test(a) || /^-m(arch|tune)=.+/.test(a) ||
        /^-f[a-z0-9-]+(=.+)?$/.test(a) || /^-pedantic(-errors)?$/.test(a) || a === "-ansi") {
      args.push(a);
      continue;
    }
    if (a.startsWith("-")) throw new UsageError(`unknown option ${a} (forklab cc takes -o, -c, -O*, -g, -D, -U, -I, -L, -l, -W*, -w, -std=, -march=, -mtune=, -f*, -v)`);
    const ext = extname(a);
    if (!INPUT.has(ext)) throw new UsageError(`${a}: not a C source, assembly, object or archive file (.c, .S, .s, .o, .a)`);
    if (compileOnly && !SOURCE.has(ext)) throw new UsageError(`${a}: -c compiles sources; objects and archives are for linking`);
    args.push(a);
    inputs++;
  }
  if (inputs === 0) throw new UsageError("no input files (give C sources, objects or archives)");
  if (pthread && !compileOnly) args.push("-lpthread");
  if (compileOnly && output !== undefined && args.filter((a) => SOURCE.has(extname(a))).length > 1) {
    throw new UsageError("-o with -c takes one source file");
  }
  return { args, output, compileOnly, verbose };
}

/** The compiler's arguments for a request, in the order given to it. */
export function ccCommand(req: CcRequest, comp: Compiler, libc = libcDir()): string[] {
  const inc = join(libc, "include"), nlInc = join(libc, "newlib-include"), lib = join(libc, "lib");
  const output = req.output ?? (req.compileOnly ? undefined : "a.out");
  const cflags = [
    ...comp.target, "-march=i386",
    // Headers: ours (DragonFly's ABI), the compiler's, newlib's; the host's never.
    "-nostdinc", "-isystem", inc, "-isystem", comp.include, "-isystem", nlInc,
    // What DragonFly's compiler predefined instead of the host's Linux.
    "-U__linux__", "-U__linux", "-Ulinux", "-U__gnu_linux__", "-D__DragonFly__=1",
    "-fno-pic", "-fno-pie", "-fno-stack-protector", "-fcf-protection=none",
  ];
  if (req.compileOnly) return [...cflags, ...req.args, "-c", ...(output ? ["-o", output] : [])];
  return [
    ...cflags, "-static", "-nostdlib", "-no-pie",
    "-Wl,--build-id=none", "-Wl,-z,noexecstack", "-T", join(lib, "forklab.ld"),
    "-o", output!, join(lib, "crt1.o"), ...req.args, "-L" + lib,
    "-Wl,--start-group", "-lc", comp.runtime, "-Wl,--end-group",
  ];
}

/** Compiles and links (or with compileOnly, compiles) a request. */
export function cc(req: CcRequest): CcResult {
  const comp = req.compiler ?? findCompiler();
  if (typeof comp === "string") return { code: 1, diagnostics: `forklab cc: ${comp}\n`, command: [] };
  const args = ccCommand(req, comp);
  const r = runIn(comp.path, args, req.cwd);
  const command = [comp.path, ...args];
  if (r.error) return { code: 1, diagnostics: `forklab cc: cannot run ${comp.path}: ${r.error.message}\n`, command };
  const diagnostics = r.stdout + r.stderr;
  if (r.status !== 0) return { code: 1, diagnostics, command };
  const out = req.output ?? (req.compileOnly ? undefined : "a.out");
  return { code: 0, output: out ? resolve(req.cwd ?? process.cwd(), out) : undefined, diagnostics, command };
}

/** Ends a command with an exit code after it has printed its own messages. */
export class CommandExit extends Error {
  override name = "CommandExit";
  constructor(readonly code: number) { super(`exit ${code}`); }
}

/** Registers `forklab cc` on the command line (src/cli/main.ts). */
export function addCcCommand(program: Command, io: { stdout: (s: string) => void; stderr: (s: string) => void; cwd?: string }): void {
  program.command("cc")
    .description("Compile C programs into static i386 executables for forklab, with the machine's gcc -m32 (gcc-multilib) and forklab's C library (newlib with DragonFly's 2008 system calls and headers).")
    .argument("<args...>", "C sources (.c .S .s), objects (.o), archives (.a) and gcc flags")
    .allowUnknownOption()
    .allowExcessArguments()
    .passThroughOptions()
    .helpOption("--help", "print this help")
    .addHelpText("after", `
Flags as gcc's: -o FILE, -c, -O0..3/-Os, -g, -DNAME[=V], -UNAME, -I DIR, -L DIR, -lNAME (-lm
for libm), -W..., -Wl,..., -w, -std=..., -march=... (default i386), -mtune=..., -f..., -v
(print the compiler command). Exit codes: 0 compiled, 1 compile or link error (the
compiler's messages are shown) or no compiler, 2 usage error.

Examples:
  forklab cc fork-tree.c -o fork-tree && forklab run fork-tree
  forklab cc -O2 -Wall spawn.c -o spawn
  forklab cc -O2 bench.c -lm -o bench`)
    .action((_args: string[], _opts: unknown, cmd: Command) => {
      const req = parseCcArgs(cmd.args);
      const r = cc({ ...req, cwd: io.cwd });
      if (req.verbose && r.command.length > 0) io.stderr(r.command.join(" ") + "\n");
      if (r.diagnostics) io.stderr(r.diagnostics);
      if (r.code !== 0) throw new CommandExit(r.code);
    });
}
