// ELF mutation fuzzer: the bundled programs' files with bytes changed, words of the ELF
// and program headers overwritten, or cut short, go through parseElf (which must accept
// them or refuse them with an ElfError, never throw anything else) and through execve
// from a bare process, then run; the invariants are checked after every step, and the
// machine must end the same under every strategy.
import { it, expect } from "vitest";
import fc from "fast-check";
import { bundledProgramBytes, parseElf, ElfError, BUNDLED_PROGRAMS, type BundledName } from "../../src/index.js";
import { STRATEGIES } from "../../src/core/core.js";
import { bootExec, snapshot, memoryShort, fuzzParams, recorded, FUZZ_TIMEOUT } from "./harness.js";

type Mutation =
  | { byte: number; value: number }       // one byte anywhere (biased to the headers)
  | { word: number; value: number }       // a 32-bit word of the ELF or a program header
  | { cut: number };                      // truncated

const HEADER_WORDS = [24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64, 68, 72, 76, 80, 84, 88, 92, 96, 100, 104, 108, 112, 116];
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ byte: fc.oneof(fc.nat({ max: 160 }), fc.nat({ max: 4095 })), value: fc.nat({ max: 255 }) }) },
  { weight: 3, arbitrary: fc.record({ word: fc.constantFrom(...HEADER_WORDS), value: fc.oneof(fc.integer({ min: 0, max: 0xFFFFFFFF }), fc.constantFrom(0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xBFBFF000, 0xC0000000, 0x1000)) }) },
  { weight: 1, arbitrary: fc.record({ cut: fc.nat({ max: 600 }) }) },
);

function mutate(good: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = good.slice();
  for (const m of ms) {
    if ("cut" in m) b = b.slice(0, m.cut);
    else if ("byte" in m) { if (m.byte < b.length) b[m.byte] = m.value; }
    else if (m.word + 4 <= b.length) new DataView(b.buffer, b.byteOffset).setUint32(m.word, m.value >>> 0, true);
  }
  return b;
}

const programs = Object.keys(BUNDLED_PROGRAMS) as BundledName[];

it("mutated ELF files are refused cleanly or run, under every strategy alike", () => {
  const params = fuzzParams(20);
  console.log(`ELF fuzzer: ${params.numRuns} runs, seed ${params.seed}`);
  fc.assert(fc.property(fc.constantFrom(...programs), fc.array(mutationArb, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 3 }), recorded("elf", (name, ms, ncpus) => {
    const bytes = mutate(bundledProgramBytes(name), ms);
    try {
      parseElf(bytes);
    } catch (e) {
      if (!(e instanceof ElfError)) throw e;
    }
    const finals = STRATEGIES.map((strategy) => {
      const { fl, events, exec: r } = bootExec(strategy, ncpus, bytes);
      fl.run({ ticks: 20 });
      fl.checkInvariants();
      return { final: JSON.stringify(r) + snapshot(fl), short: memoryShort(fl, events) };
    });
    // Past a shortage of memory (copy takes more frames than cow) the runs may rightly differ.
    if (finals.some((f) => f.short)) return;
    for (const f of finals) expect(f.final).toBe(finals[0].final);
  })), params);
}, FUZZ_TIMEOUT);
