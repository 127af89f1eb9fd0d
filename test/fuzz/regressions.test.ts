// Minimal failing sequences the fuzzers found, each kept as a regression test named by
// what it found (and fixed). Each runs under every strategy with the invariants on.
import { describe, it } from "vitest";
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
});
