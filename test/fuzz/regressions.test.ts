// Minimal failing sequences the fuzzers found, each kept as a regression test named by
// what it found (and fixed). Each runs under every strategy with the invariants on.
import { describe, it, expect } from "vitest";
import { checkScenario, boot, bootExec, snapshot, memoryShort, type Scenario } from "./harness.js";
import { bundledProgramBytes } from "../../src/index.js";
import { STRATEGIES } from "../../src/core/core.js";

const cases: [string, Scenario][] = [
  [
    // A signal to a bare process queues its LWP to deliver it; a syscall made through the
    // API then slept ("killlwps") while still queued, and the scheduler resumed the sleeping
    // syscall. Fixed in Forklab.syscall: the LWP leaves the run queue first.
    "a bare LWP queued for a signal slept on the run queue (run queue: queued with lwp_stat LSSLEEP)",
    { ncpus: 1, listenFaults: false, seed: 0, ops: [
      { t: "lwp_create", who: 0, params: 0x40000500, func: 0x08048000, stack: 0, tid1: 0x40000580, tid2: 0 },
      { t: "signal", pid: { proc: 41 }, sig: 1 },
      { t: "exit", who: 0, status: 0 },
    ] },
  ],
  [
    // Found by the syscall fuzzer (npm run fuzz -- --runs 40000 --seed 2026120810 --target
    // syscalls, after 10,546 sequences): wait4 copied out a child's rusage, whose ru_minflt
    // counts the copy-on-write faults fork-mem took under cow and share-pt and not under
    // copy. Right for each strategy; the harness now leaves ru_minflt out of its comparison.
    "a reaped child's ru_minflt differs by strategy, as its faults do (harness: not compared)",
    { ncpus: 1, listenFaults: false, seed: 0, ops: [
      { t: "fork", who: 0 },
      { t: "execve", who: 1, path: 0x40000040, argv: 0x40000200, envp: 0 },  // /bin/fork-mem
      { t: "wait4", who: 0, pid: { any: true }, status: 0, options: 0, rusage: 0x40000700 },
      { t: "vfork", who: 0 },
    ] },
  ],
  [
    // Found by the syscall fuzzer (npm run fuzz -- --runs 50000 --seed 2026120832 --target
    // syscalls --workers 2, worker 0 after 12,179 sequences): mprotect(0x40000001, 0, 0)
    // rounds to the scratch area's first page and makes it PROT_NONE (as the kernel
    // does); the harness then read the page with readUser, which refuses it like copyin.
    // It reads every page from its frame now.
    "a page made PROT_NONE by mprotect is still compared (harness: read from the frame)",
    { ncpus: 1, listenFaults: false, seed: 0, ops: [
      { t: "raw", who: 0, code: 74, args: [0x40000001] },
      { t: "lwp_create", who: 0, params: 0x40000500, func: 0, stack: 0, tid1: 0x40000580, tid2: 0 },
    ] },
  ],
];

describe("fuzzer regressions", () => {
  it.each(cases)("%s", (_name, s) => { checkScenario(s); });

  it("exec of an image over the segment limits is SIGABRT and spends no memory, so the strategies agree", () => {
    // Found after 6058 sequences (seed 20261208): exec of an ELF with a 2 GiB segment mapped
    // page after page until memory was gone, then killed the process with SIGABRT; its exit1
    // waited for an RFTHREAD peer while still holding every frame, and a sigaction's oact
    // copyout onto a copy-on-write page then found none (EFAULT) under cow, where copy had
    // made the page private at the fork. exec_elf_imgact's limit check (text over maxtsiz)
    // now refuses the image before anything is mapped, as the lazily mapping kernel did.
    const s: Scenario = { ncpus: 1, listenFaults: false, seed: 0, ops: [
      { t: "fork", who: 0 },
      { t: "rfork", who: 0, flags: 0x154da590 },            // RFPROC | RFTHREAD | RFSIGSHARE | ...
      { t: "execve", who: 0, path: 0x400001e0, argv: 0x40000200, envp: 0x40000220 }, // /bin/bad6
      { t: "sigaction", who: 0, sig: 1, act: 0, oact: 0x40000600 },
      { t: "file", who: 0, call: "open", args: [0x40000000, 0x40000000, 0, 0] },
    ] };
    const traces = checkScenario(s);
    expect(traces.every((t) => !t.exhausted)).toBe(true);
    expect(new Set(traces.map((t) => t.results[3]))).toEqual(new Set(["ok 0 1"]));
    expect(traces[0].events.some((e) => e.includes('"type":"exit"') && e.includes('"status":6'))).toBe(true);
  });

  it("a stop signal pending on a vfork child (P_PPWAIT) is kept, and neither the dispatcher nor a PCATCH sleep spins on it", () => {
    // Found by the syscall fuzzer (npm run fuzz -- --runs 4000 --seed 2026120801 --target
    // syscalls, sequence 1051): kill(SIGSTOP) to a vfork child hung the host. issignal masks
    // stops while P_PPWAIT is set, so userret takes nothing, but the dispatcher's "signal
    // pending" test did not mask them and entered userret again at once, forever. Both it
    // and tsleep's PCATCH test are CURSIG now: what issignal would act on.
    for (const strategy of STRATEGIES) {
      const { fl } = boot(strategy, { ncpus: 1, listenFaults: false, seed: 0, ops: [] });
      const bare = fl.procs().find((p) => p.comm === "bare")!.pid;
      expect(fl.syscall(bare, "vfork", [])).toEqual({ done: false, wmesg: "ppwait" });
      const child = Math.max(...fl.procs().map((p) => p.pid));
      expect(fl.syscall(child, "fork", [])).toMatchObject({ done: true, error: 0 });
      fl.signal(child, 17); // SIGSTOP
      expect(fl.run({ ticks: 10 })).toMatchObject({ stop: "idle" });
      expect(fl.lwps(child)[0].siglist).toBe(1n << 16n); // still pending: not taken, not dropped
      // The child's wait4 sleeps (PCATCH) instead of returning ERESTART over and over.
      expect(fl.syscall(child, "wait4", [-1 >>> 0, 0, 0, 0])).toEqual({ done: false, wmesg: "wait" });
      expect(fl.run({ ticks: 10 })).toMatchObject({ stop: "idle" });
      fl.checkInvariants();
      expect(fl.panicked).toBeNull();
    }
  });

  it("an LWP that a trap's own signal kills while it runs is not queued to run again (run queue: queued with lwp_stat 3)", () => {
    // Found by the ELF fuzzer after 2103 files (npm run fuzz -- --runs 5000 --seed 2026120803
    // --target elf): `threads` with its text's p_filesz cut faults (SIGSEGV) in its first LWP
    // after an lwp_create; lwp_signotify put the running LWP on the run queue, and its
    // exit1 then slept in "killlwps" while queued. The running LWP now takes the signal on
    // its way back to user mode. The process dies of SIGSEGV, alike under every strategy.
    const bytes = bundledProgramBytes("threads").slice();
    bytes[68] = 0; // phdr[0].p_filesz's low byte
    const finals = STRATEGIES.map((strategy) => {
      const { fl, events, pid, exec } = bootExec(strategy, 1, bytes);
      expect(exec).toMatchObject({ done: true, error: 0 });
      fl.run({ ticks: 20 });
      fl.checkInvariants();
      expect(fl.panicked).toBeNull();
      expect(events.some((e) => e.includes(`"type":"exit","pid":${pid},"status":11`))).toBe(true);
      return snapshot(fl);
    });
    for (const f of finals) expect(f).toBe(finals[0]);
  });

  it("a mutated forkbomb whose forks wait for memory under copy only: the ELF fuzzer does not compare past a shortage", () => {
    // Found by the ELF fuzzer (npm run fuzz -- --runs 4000 --seed 2026120836 --target elf
    // --workers 2, worker 0 after 485 files): forkbomb with phdr bytes changed maps a large
    // segment; copy's forks take so many frames that fork1 waits in "vmwait" (its child
    // counted in nprocs), and a later fork meets maxproc, where cow's and share-pt's do
    // not. Right for each strategy: a shortage of memory is where they may differ
    // (memoryShort), as the syscall fuzzer already allowed for a failed allocation.
    const bytes = bundledProgramBytes("forkbomb").slice();
    bytes[74] = 6; bytes[7] = 0;
    const shortage = STRATEGIES.map((strategy) => {
      const { fl, events } = bootExec(strategy, 1, bytes);
      fl.run({ ticks: 20 });
      fl.checkInvariants();
      expect(fl.panicked).toBeNull();
      return memoryShort(fl, events);
    });
    expect(shortage).toEqual([true, false, false]); // copy, cow, share-pt
  });
});
