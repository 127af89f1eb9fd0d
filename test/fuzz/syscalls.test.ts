// The syscall-sequence fuzzer (harness.ts): generated sequences of syscalls with good and
// bad arguments on 1 to 4 CPUs, the invariants checked after every step, every strategy's
// run compared. A short run here; scripts/fuzz.mjs runs long ones.
import { it } from "vitest";
import fc from "fast-check";
import { STRATEGIES } from "../../src/core/core.js";
import { scenarioArb, checkScenario, runScenario, fuzzParams, recorded, FUZZ_TIMEOUT } from "./harness.js";

it("syscall sequences keep the invariants and give the same results under every strategy", () => {
  const params = fuzzParams(40);
  console.log(`syscalls fuzzer: ${params.numRuns} runs, seed ${params.seed}`);
  fc.assert(fc.property(scenarioArb(), recorded("syscalls", (s) => { checkScenario(s); })), params);
}, FUZZ_TIMEOUT);

it("syscall sequences with frame allocations failing anywhere keep the invariants", () => {
  const params = fuzzParams(20);
  console.log(`syscalls fuzzer with fault injection: ${params.numRuns} runs, seed ${params.seed}`);
  const arb = scenarioArb(25).chain((s) => fc.tuple(fc.constant(s), fc.constantFrom(...STRATEGIES),
    fc.array(fc.oneof(fc.constant(0), fc.nat({ max: 40 })), { minLength: s.ops.length, maxLength: s.ops.length })));
  fc.assert(fc.property(arb, recorded("syscalls-inject", ([s, strategy, inject]) => { runScenario(strategy, s, inject); })), params);
}, FUZZ_TIMEOUT);
