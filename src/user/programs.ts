// The bundled i386 programs: GNU as sources in programs/*.S, built by
// scripts/build-programs.sh into programs/bin/<name> (committed). docs/programs.md says
// what each does and what it should end with. The library carries them as data
// (programs.gen.ts, which scripts/build.mjs writes from programs/bin), so nothing here
// reads a file and browsers get them too; host.ts has their paths on disk, for Node.
//
//   bundledProgram(name)   the parsed image, for Forklab.spawn({ image })
//   installBundled(fl)     the ELF loader plus /bin/<name> for every program (and /tmp),
//                          so that execve finds them (vfork-exec runs /bin/true)
import type { ProgramImage } from "../kernel/image.js";
import type { Forklab } from "../kernel/api.js";
import { parseElf } from "../kernel/imgact_elf.js";
import { PROGRAM_FILES } from "./programs.gen.js";

/** Every bundled program with a one-line description. */
export const BUNDLED_PROGRAMS = {
  forkbomb: "for (;;) fork(); until the process limits stop it",
  bashbomb: "the shell's :(){ :|:& };: each process forks two children and exits (1 if a fork fails)",
  spawn: "lmbench/UnixBench spawn: fork, child exit(0), parent wait4; forever or argv[1] times, then exit 0",
  "vfork-exec": "vfork, the child execs /bin/true; the parent waits and exits with the child's code",
  true: "exit(0) (installed as /bin/true)",
  threads: "lwp_create until it fails; exits with the errno (EAGAIN, 35, when kernel stacks run out)",
  "rfork-mem": "rfork(RFPROC|RFMEM): the child increments a shared counter; the parent exits with it (1)",
  "fork-mem": "fork: the child increments its own copy of a counter; the parent exits with its own (0)",
  "rfork-cfdg": "rfork(RFPROC|RFCFDG): the child's write on the parent's descriptor fails; exits with that errno (EBADF, 9)",
  "cow-touch": "fork; the child writes one word on each of argv[1] (default 16) pages of .bss; exits 0",
} as const satisfies Record<string, string>;

export type BundledName = keyof typeof BUNDLED_PROGRAMS;

/** Whether `name` is a bundled program. */
export function isBundled(name: string): name is BundledName {
  return Object.prototype.hasOwnProperty.call(BUNDLED_PROGRAMS, name);
}

export function checkName(name: string): asserts name is BundledName {
  if (typeof name !== "string" || !isBundled(name)) {
    throw new Error(`no bundled program ${JSON.stringify(name)}; there are: ${Object.keys(BUNDLED_PROGRAMS).join(", ")}`);
  }
}

const bytesCache = new Map<string, Uint8Array>();
const imageCache = new Map<string, ProgramImage>();

/** The bytes of a bundled program's ELF file. */
export function bundledProgramBytes(name: string): Uint8Array {
  checkName(name);
  let b = bytesCache.get(name);
  if (!b) {
    const bin = atob(PROGRAM_FILES[name]);
    b = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    bytesCache.set(name, b);
  }
  return b;
}

/** A bundled program parsed by the ELF loader (cached: the same object every call). */
export function bundledProgram(name: string): ProgramImage {
  checkName(name);
  let img = imageCache.get(name);
  if (!img) {
    img = parseElf(bundledProgramBytes(name), name);
    imageCache.set(name, img);
  }
  return img;
}

/**
 * Makes every bundled program runnable by path in a Forklab: makes /tmp (rfork-cfdg
 * opens a file there) and puts each program at /bin/<name>, mode 0755.
 */
export function installBundled(fl: Forklab): void {
  const tmp = fl.kernel.vfs.lookup("/tmp");
  if (typeof tmp === "number") fl.kernel.vfs.mkdir("/tmp", 0o1777);
  for (const name of Object.keys(BUNDLED_PROGRAMS)) {
    fl.installFile(`/bin/${name}`, bundledProgramBytes(name), 0o755);
  }
}
