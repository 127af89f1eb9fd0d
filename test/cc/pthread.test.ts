// forklab's thread library (libc/pthread, libc/lib/libpthread.a; docs/libc.md "Threads")
// and the kernel calls under it: umtx_sleep/umtx_wakeup as kern_umtx.c 1.7 (2008) answers
// them, lwp_create on a fresh mmap'd stack, and the pthread programs of the corpus under
// both fork strategies. The committed archive is what scripts/build-libpthread.sh makes.
import { describe, it, expect } from "vitest";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync, execSync } from "node:child_process";
import { ROOT, CORPUS, FIXTURES, noCompiler, compile, runForklab, readExpected, matchesExpected } from "./helpers.js";

const strategies = ["cow", "copy"] as const;

describe.skipIf(noCompiler !== null)("umtx_sleep and umtx_wakeup (kern_umtx.c 1.7)", () => {
  const { bytes } = compile([join(FIXTURES, "umtx.c"), "-lpthread"], ["-O2"], "umtx");
  it.each(strategies)("answer as the 2008 kernel did (%s)", (strategy) => {
    const r = runForklab(bytes, [], { strategy, seconds: 10 });
    expect(r.code).toBe(0);
    expect(r.output.split("\n")).toEqual([
      "value differs: -1 errno 16",                 // EBUSY
      "timeout 1000001: -1 errno 22",               // EINVAL: over 1 s
      "timeout -1: -1 errno 22",                    // EINVAL: the limit is compared unsigned
      "misaligned: -1 errno 14",                    // EFAULT
      "unmapped: -1 errno 14",
      "wakeup misaligned: -1 errno 14, unmapped: -1 errno 14, nobody asleep: 0",
      // The 2008 quirk: a timeout is tsleep's EWOULDBLOCK (EAGAIN 35), not umtx.2's ETIMEDOUT;
      // 25 ms at hz 100 is (25000 * 100 + 999999) / 1000000 = 3 ticks.
      "25 ms timeout: -1 errno 35 after 3 ticks",
      // A signal ends the sleep with EINTR even when its handler has SA_RESTART.
      "SA_RESTART signal: -1 errno 4",
      "wakeup count 1: 1 woken",                   // count 1: one sleeper of three
      "wakeup count 0: 3 woken",                   // count 0: all of them
      "child woken through MAP_SHARED: exit 0",     // the channel is the physical page
      "",
    ]);
  });
});

describe.skipIf(noCompiler !== null)("lwp_create", () => {
  const { bytes } = compile([join(FIXTURES, "lwp-mmap-stack.c")], ["-O2"], "lwp-mmap-stack");
  it.each(strategies)("starts a thread on an mmap'd stack never touched, with its argument (%s)", (strategy) => {
    const r = runForklab(bytes, [], { strategy });
    expect(r.output).toBe("thread 1 started on an untouched mmap'd stack with its argument 4242\n");
    expect(r.code).toBe(0);
  });
});

describe.skipIf(noCompiler !== null)("lwp_kill and pthread_kill", () => {
  const { bytes } = compile([join(FIXTURES, "lwp-kill.c"), "-lpthread"], ["-O2"], "lwp-kill");
  it.each(strategies)("signal one thread, which runs the handler; EINVAL for tid -1 or signal 129, ESRCH for no such LWP (%s)", (strategy) => {
    const r = runForklab(bytes, [], { strategy });
    expect(r.output).toBe([
      "signal 0 to the thread: 0", "pthread_kill: 0", "handler ran on the thread: yes",
      "tid -1: -1 errno 22", "no such tid: -1 errno 3", "signal 129: -1 errno 22", "",
    ].join("\n"));
    expect(r.code).toBe(0);
  });
});

describe.skipIf(noCompiler !== null)("semaphores", () => {
  const { bytes } = compile([join(FIXTURES, "sem.c"), "-lpthread"], ["-O2"], "sem");
  it.each(strategies)("sem_wait sleeps until sem_post; EAGAIN, ETIMEDOUT, and ENOSYS for process-shared and named ones (%s)", (strategy) => {
    const r = runForklab(bytes, [], { strategy });
    expect(r.output).toBe([
      "5 posts taken, value 0", "trywait at 0: -1 errno 35", "timedwait: -1 errno 60", "after a post: trywait 0",
      "process-shared: -1 errno 78", "sem_open: SEM_FAILED errno 78", "destroy: 0", "",
    ].join("\n"));
    expect(r.code).toBe(0);
  });
});

describe.skipIf(noCompiler !== null)("the pthread programs of the corpus under both strategies", () => {
  describe.each(["-O0", "-O2"])("at %s", (opt) => {
    it.each(["pthread-mutex", "pthread-cond"].flatMap((p) => strategies.map((s) => [p, s] as const)))("%s (%s)", (p, strategy) => {
      const exp = readExpected(join(CORPUS, `${p}.expected`));
      const r = runForklab(compile([join(CORPUS, `${p}.c`), "-lpthread"], [opt], p).bytes, [], { strategy, seconds: 30 });
      expect(matchesExpected(r.output, exp), r.output).toBe(true);
      expect(r.code).toBe(exp.status);
    });
  });
});

describe.skipIf(noCompiler !== null)("forklab cc -lpthread", () => {
  it("links nothing of the library into a program that uses no thread call", () => {
    const plain = compile([join(FIXTURES, "probe.c"), "-lpthread"], ["-O2"], "probe-pthread").path;
    const syms = execSync(`nm ${plain}`, { encoding: "utf8" });
    expect(syms).not.toMatch(/pthread|umtx/);
  });
});

const gccNow = spawnSync("gcc", ["--version"], { encoding: "utf8" }).stdout?.split("\n")[0] ?? "";
const gccWas = readFileSync(join(ROOT, "libc", "toolchain.txt"), "utf8").split("\n")[0];
const sameToolchain = noCompiler === null && gccNow === gccWas;
describe.skipIf(!sameToolchain)(`scripts/build-libpthread.sh${sameToolchain ? "" : ` [skipped: gcc is not ${gccWas}]`}`, () => {
  it("rebuilds the committed libpthread.a byte for byte", () => {
    const out = mkdtempSync(join(tmpdir(), "forklab-libpthread-"));
    try {
      const r = spawnSync("sh", [join(ROOT, "scripts", "build-libpthread.sh"), out], { encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(readFileSync(join(out, "libpthread.a")).equals(readFileSync(join(ROOT, "libc", "lib", "libpthread.a")))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
