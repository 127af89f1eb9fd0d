// The syscall-sequence fuzzer (harness.ts): generated sequences of syscalls with good and
// bad arguments on 1 to 4 CPUs, the invariants checked after every step, every strategy's
// run compared. A short run here; scripts/fuzz.mjs runs long ones.
import { it } from "vitest";
import fc from "fast-check";
import { scenarioArb, checkScenario, fuzzParams } from "./harness.js";

it("syscall sequences keep the invariants and give the same results under every strategy", () => {
  const params = fuzzParams(12);
  console.log(`syscalls fuzzer: ${params.numRuns} runs, seed ${params.seed ?? "random"}`);
  fc.assert(fc.property(scenarioArb(), (s) => { checkScenario(s); }), params);
}, 600_000);
