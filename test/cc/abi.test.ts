// The C library against the 2008 DragonFly i386 ABI: every system call wrapper traps with
// the reference's number and the BSD convention (number in eax, arguments at esp+4,
// int $0x80, carry = error, errno in eax), the two-register results are taken apart as
// the kernel gives them, and the headers give programs DragonFly's numbers and layouts,
// cross-checked with forklab's kernel (src/kernel/errno.ts, param.ts, sysent.ts).
import { describe, it, expect } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as kerrno from "../../src/kernel/errno.js";
import * as kparam from "../../src/kernel/param.js";
import { SYS } from "../../src/kernel/sysent.js";
import { cc, libcDir } from "../../src/cli/cc.js";
import { disassemble, noCompiler, scratchDir, FIXTURES } from "./helpers.js";

/** Reference §1: the syscall numbers of sys/sys/syscall.h 1.59 for every plain wrapper. */
const NUMBERS: Record<string, number> = {
  read: 3, write: 4, open: 5, close: 6, wait4: 7, link: 9, unlink: 10, chdir: 12, chmod: 15,
  getpid: 20, setuid: 23, getuid: 24, geteuid: 25, access: 33, sync: 36, kill: 37, getppid: 39, dup: 41,
  getegid: 43, getgid: 47, sigaltstack: 53, ioctl: 54, execve: 59, umask: 60, munmap: 73,
  mprotect: 74, madvise: 75, getpgrp: 81, setpgid: 82, setitimer: 83, getitimer: 86,
  getdtablesize: 89, dup2: 90, fcntl: 92, select: 93, fsync: 95, setpriority: 96, getpriority: 100,
  gettimeofday: 116, getrusage: 117, readv: 120, writev: 121, rename: 128, mkdir: 136, rmdir: 137,
  setsid: 147, setgid: 181, getrlimit: 194, setrlimit: 195, getpgid: 207, poll: 209,
  clock_gettime: 232, clock_getres: 234, nanosleep: 240, minherit: 250, issetugid: 253,
  sched_yield: 331, sigprocmask: 340, sigsuspend: 341, sigaction: 342, sigpending: 343,
  stat: 475, fstat: 476, lstat: 477, getdirentries: 479, extexit: 494, lwp_create: 495,
  lwp_gettid: 496, lwp_kill: 497,
  // with the kernel's own argument lists (a pad word before an off_t)
  __sys_lseek: 199, __sys_mmap: 197, __sys_truncate: 200, __sys_ftruncate: 201,
  __sys___sysctl: 202, __sys_break: 17,
};

const libc = () => join(libcDir(), "lib", "libc.a");
const hex = (n: number) => `$0x${n.toString(16)}`;

describe.skipIf(noCompiler !== null)("the system call wrappers in libc.a", () => {
  it("agree with forklab's kernel on every number both have", () => {
    for (const [name, num] of Object.entries(SYS)) {
      const wrapper = name in NUMBERS ? name : `__sys_${name}`;
      if (wrapper in NUMBERS) expect(NUMBERS[wrapper], name).toBe(num);
    }
  });

  it.each(Object.entries(NUMBERS))("%s traps with its number %i, errors going to __cerror", (name, num) => {
    expect(disassemble(libc(), name)).toEqual([`mov ${hex(num)},%eax`, "int $0x80", "jb -> __cerror", "ret"]);
  });

  it("fork and rfork return 0 in the child, which the kernel marks with edx = 1", () => {
    for (const [name, num] of [["fork", 2], ["rfork", 251]] as const) {
      expect(disassemble(libc(), name)).toEqual([`mov ${hex(num)},%eax`, "int $0x80", "jb -> __cerror", "test %edx,%edx", "je", "xor %eax,%eax", "ret"]);
    }
  });

  it("vfork keeps its return address in ecx, off the stack the child shares", () => {
    expect(disassemble(libc(), "vfork")).toEqual([
      "pop %ecx", "mov $0x42,%eax", "int $0x80", "jb", "test %edx,%edx", "je", "xor %eax,%eax", "jmp *%ecx", "push %ecx", "jmp -> __cerror",
    ]);
  });

  it("pipe stores eax and edx, the two descriptors", () => {
    expect(disassemble(libc(), "pipe")).toEqual([
      "mov $0x2a,%eax", "int $0x80", "jb -> __cerror", "mov 0x4(%esp),%ecx", "mov %eax,(%ecx)", "mov %edx,0x4(%ecx)", "xor %eax,%eax", "ret",
    ]);
  });

  it("syscall(2) moves the number into eax and leaves the arguments at esp+4", () => {
    expect(disassemble(libc(), "syscall")).toEqual(["pop %ecx", "pop %eax", "push %ecx", "int $0x80", "push %ecx", "jb -> __cerror", "ret"]);
    expect(disassemble(libc(), "_exit")).toEqual(["mov $0x1,%eax", "int $0x80", "jmp"]);
  });

  it("the error path stores errno and returns -1 in eax and edx", () => {
    expect(disassemble(libc(), "__cerror")).toEqual(["push %eax", "call -> __seterrno", "add $0x4,%esp", "mov $0xffffffff,%eax", "mov $0xffffffff,%edx", "ret"]);
  });
});

describe.skipIf(noCompiler !== null)("the headers", () => {
  /** Compiles C that must build (its _Static_asserts hold) with forklab cc -c. */
  function mustCompile(file: string): void {
    const r = cc({ args: ["-std=c11", "-Wall", "-Werror", file], compileOnly: true, output: join(scratchDir(), "abi.o") });
    expect(r.diagnostics).toBe("");
    expect(r.code).toBe(0);
  }

  it("give the reference's numbers and layouts (fixtures/abi.c)", () => {
    mustCompile(join(FIXTURES, "abi.c"));
  });

  it("give forklab's kernel's errno and signal numbers", () => {
    const lines = ["#include <errno.h>", "#include <signal.h>"];
    for (const [name, v] of Object.entries(kerrno)) {
      if (/^E[A-Z0-9]+$/.test(name) && typeof v === "number" && v > 0) lines.push(`_Static_assert(${name} == ${v}, "${name}");`);
    }
    for (const [name, v] of Object.entries(kparam)) {
      if (/^SIG[A-Z0-9]+$/.test(name) && typeof v === "number" && !/^SIG_/.test(name) && v > 0 && v < 64) lines.push(`_Static_assert(${name} == ${v}, "${name}");`);
    }
    expect(lines.length).toBeGreaterThan(40);
    const file = join(scratchDir(), "kernel-numbers.c");
    writeFileSync(file, lines.join("\n") + "\n");
    mustCompile(file);
  });

  it("catch a wrong value: the check itself can fail", () => {
    const file = join(scratchDir(), "wrong.c");
    writeFileSync(file, '#include <errno.h>\n_Static_assert(EAGAIN == 11, "EAGAIN is Linux\'s");\n');
    const r = cc({ args: [file], compileOnly: true, output: join(scratchDir(), "wrong.o") });
    expect(r.code).toBe(1);
    expect(r.diagnostics).toContain("EAGAIN is Linux's");
  });
});
