// Minimal failing sequences the fuzzers found, each kept as a regression test named by
// what it found (and fixed). Each runs under every strategy with the invariants on.
import { describe, it, expect } from "vitest";
import { checkScenario, type Scenario } from "./harness.js";

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
];

describe("fuzzer regressions", () => {
  it.each(cases)("%s", (_name, s) => { checkScenario(s); });

  it("once memory runs out the strategies may differ: such runs are checked, not compared", () => {
    // Found after 6058 sequences (seed 20261208): exec of an ELF with a 2 GiB segment maps
    // page after page until memory is gone (forklab maps segments eagerly), then kills the
    // process with SIGABRT; its exit1 waits for an RFTHREAD peer while still holding every
    // frame, and a sigaction's oact copyout onto a copy-on-write page then finds none
    // (EFAULT) under cow and share-pt (which needs the page table's copy too), where copy
    // had made the page private at the fork.
    const s: Scenario = { ncpus: 1, listenFaults: false, seed: 0, ops: [
      { t: "fork", who: 0 },
      { t: "rfork", who: 0, flags: 0x154da590 },            // RFPROC | RFTHREAD | RFSIGSHARE | ...
      { t: "execve", who: 0, path: 0x400001e0, argv: 0x40000200, envp: 0x40000220 }, // /bin/bad6
      { t: "sigaction", who: 0, sig: 1, act: 0, oact: 0x40000600 },
      { t: "file", who: 0, call: "open", args: [0x40000000, 0x40000000, 0, 0] },
    ] };
    const traces = checkScenario(s);
    expect(traces.map((t) => t.exhausted)).toEqual([true, true, true]);
    expect(traces.map((t) => t.results[3])).toEqual(["ok 0 1", "EFAULT 0 1", "EFAULT 0 1"]);
  });
});
