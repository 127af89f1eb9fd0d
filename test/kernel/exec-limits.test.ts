// exec_elf_imgact's segment limits (imgact_elf.c, 2008): after the old address space is
// gone, a text segment over maxtsiz (128 MiB), a data segment over RLIMIT_DATA or a total
// over RLIMIT_VMEM is ENOMEM, which past the point of no return kills the process with
// SIGABRT (exec_fail_dealloc). The kernel maps segments lazily, so a huge one costs no
// memory: forklab checks before it maps anything, and a huge image takes no frames.
import { describe, it, expect } from "vitest";
import type { Forklab, ProgramImage } from "../../src/index.js";
import { newLab, sys, ok, ustr, uvec, forkChild, wait4, program, exitCode } from "./helpers.js";

const SIGABRT = 6;
const MiB = 1 << 20;
const DATA = 0x08050000;

function image(text: number, data: number): ProgramImage {
  const code = exitCode(0);
  const p = program("limits", code);
  p.segments[0].memsz = Math.max(code.length, text);
  if (data > 0) p.segments.push({ vaddr: DATA + Math.ceil(text / 4096) * 4096, memsz: data, data: new Uint8Array(0), prot: 3 });
  return p;
}

/** A child of a shell execs `img` (after `prepare`); returns the status the shell reaps and the peak frames. */
function execIn(fl: Forklab, img: ProgramImage, prepare: (c: number) => void = () => {}): { status: number; error: number; peak: number } {
  fl.registerProgram("/bin/limits", img);
  const sh = fl.spawn();
  const c = forkChild(fl, sh.pid);
  prepare(c);
  const r = sys(fl, c, "execve", [ustr(fl, c, "/bin/limits"), uvec(fl, c, ["limits"]), 0]);
  fl.run({ ticks: 10 });
  return { status: wait4(fl, sh.pid, c).status, error: r.error, peak: peakFrames(fl) };
}

/** The most frames ever in use (the core's own counter). */
const peakFrames = (fl: Forklab): number => fl.kernel.core.stat("framesPeak");

/** setrlimit(which, { cur, max }) by pid (rlim_t is a 64-bit quad). */
function setrlimit(fl: Forklab, pid: number, which: number, cur: number): void {
  const va = fl.userAlloc(pid, 16);
  fl.writeWord(pid, va, cur); fl.writeWord(pid, va + 4, 0);
  fl.writeWord(pid, va + 8, 0xFFFFFFFF); fl.writeWord(pid, va + 12, 0x7FFFFFFF);
  ok(fl, pid, "setrlimit", [which, va]);
}

describe("exec_elf_imgact's segment limits", () => {
  it("a 2 GiB text segment (over maxtsiz) is SIGABRT after the point of no return, and takes no frames", () => {
    const fl = newLab();
    const before = peakFrames(fl);
    const { status, error, peak } = execIn(fl, image(0x7FFFFFFF, 0));
    expect(error).toBe(0);        // exec does not return: the process is gone
    expect(status).toBe(SIGABRT); // killed by SIGABRT (no core)
    expect(peak - before).toBeLessThan(64);
  });

  it("a text segment of exactly maxtsiz passes the check (and runs, memory allowing)", () => {
    const fl = newLab({ physBytes: 160 * MiB });
    expect(execIn(fl, image(128 * MiB, 0)).status).toBe(0);
  });

  it("a data segment over RLIMIT_DATA's soft limit is SIGABRT; at the limit the program runs", () => {
    const fl = newLab();
    const RLIMIT_DATA = 2;
    expect(execIn(fl, image(4096, 64 * 1024), (c) => setrlimit(fl, c, RLIMIT_DATA, 64 * 1024)).status).toBe(0);
    expect(execIn(fl, image(4096, 64 * 1024 + 1), (c) => setrlimit(fl, c, RLIMIT_DATA, 64 * 1024)).status).toBe(SIGABRT);
  });

  it("the total over RLIMIT_VMEM (RLIMIT_AS) is SIGABRT, although each segment alone fits", () => {
    const fl = newLab();
    const RLIMIT_AS = 10;
    expect(execIn(fl, image(8192, 8192), (c) => setrlimit(fl, c, RLIMIT_AS, 16384)).status).toBe(0);
    expect(execIn(fl, image(8192, 12288), (c) => setrlimit(fl, c, RLIMIT_AS, 16384)).status).toBe(SIGABRT);
  });

  it("the default RLIMIT_DATA is DFLDSIZ (128 MiB): a 129 MiB bss is SIGABRT without a frame spent on it", () => {
    const fl = newLab();
    const before = peakFrames(fl);
    const { status, peak } = execIn(fl, image(4096, 129 * MiB));
    expect(status).toBe(SIGABRT);
    expect(peak - before).toBeLessThan(64);
  });
});
