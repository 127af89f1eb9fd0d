// Random-program fuzzer: random bytes as i386 code (seeded with syscall gates and
// register loads so that some of it reaches the kernel) run as a program with a
// writable .bss; whatever it does, the host survives, the invariants hold after every
// step, and the machine ends the same under every strategy.
import { it, expect } from "vitest";
import fc from "fast-check";
import { STRATEGIES } from "../../src/core/core.js";
import { boot, snapshot, memoryShort, fuzzParams, recorded, FUZZ_TIMEOUT } from "./harness.js";
import { image, BSS } from "./programs.js";

const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
/** Pieces of code: random bytes, syscalls with a chosen number, loads of useful values. */
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 12 }) },
  { weight: 2, arbitrary: fc.constantFrom(1, 2, 7, 20, 37, 59, 66, 251, 340, 495, 3, 4, 999).map((n) => [0xb8, ...le32(n), 0xcd, 0x80]) },
  { weight: 2, arbitrary: fc.tuple(fc.nat({ max: 7 }), fc.oneof(fc.constantFrom(BSS, BSS + 4096, 0, 0xBFBFF000, 0xC0400000), fc.integer({ min: 0, max: 0xFFFFFFFF }))).map(([r, v]) => [0xb8 + r, ...le32(v)]) },
  { weight: 1, arbitrary: fc.constantFrom([0x89, 0x07], [0x89, 0x03], [0x50], [0x6a, 0x00], [0xeb, 0xfe], [0x75, 0xf0]) },
);

it("random i386 code never hurts the host and runs alike under every strategy", () => {
  const params = fuzzParams(40);
  console.log(`random-code fuzzer: ${params.numRuns} runs, seed ${params.seed}`);
  fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 24 }), fc.integer({ min: 1, max: 4 }), recorded("random-code", (pieces, ncpus) => {
    const code = pieces.flat();
    const finals = STRATEGIES.map((strategy) => {
      const { fl, events } = boot(strategy, { ncpus, listenFaults: false, seed: 1, ops: [] });
      fl.spawn({ image: image("rand", code), argv: ["rand", "x"] });
      fl.run({ ticks: 15 });
      fl.checkInvariants();
      return { final: snapshot(fl), short: memoryShort(fl, events) };
    });
    // Past a shortage of memory (copy takes more frames than cow) the runs may rightly differ.
    if (finals.some((f) => f.short)) return;
    for (const f of finals) expect(f.final).toBe(finals[0].final);
  })), params);
}, FUZZ_TIMEOUT);
