// The Open POSIX Test Suite on forklab (docs/posix-suite.md). Every test program listed in
// posix-suite.expected.ts is built UNMODIFIED with forklab cc at -O0 and -O2 and run on
// forklab, and built natively with the host's gcc and run here (as nobody, in a session of
// its own): the native result must be the one the table records for Linux, and forklab's
// the one it records for forklab, at both levels. Where the two differ the table says
// why (a 2008 DragonFly behaviour, an interface 2008 DragonFly lacked, or something forklab
// lacks). The quick set (inQuickSet) runs by default; POSIX_SUITE=full (npm run
// test:posix) runs every listed test, the slow ones and all of sigaction/* too, and
// POSIX_SUITE=REGEX the tests whose name it matches (e.g. "^fork/").
import { describe, it, expect, beforeAll } from "vitest";
import { noCompiler } from "./helpers.js";
import { haveSuite, testsOf, runOnForklab, buildNative, runNative, pool, type Run } from "./posix-suite.js";
import { EXPECTED, QUICK_INTERFACES, inQuickSet } from "./posix-suite.expected.js";

const only = process.env.POSIX_SUITE;
const pick = only === undefined ? inQuickSet : only === "full" ? () => true : (t: string) => new RegExp(only).test(t);
const why = noCompiler ?? (haveSuite ? null : "the suite is not fetched (scripts/fetch-classic.sh)");
if (!haveSuite && process.env.CI) {
  it("CI has the suite's source (.ci/run fetches it)", () => { throw new Error("posixtestsuite is not in .cache/classic: scripts/fetch-classic.sh failed"); });
}
const listed = Object.keys(EXPECTED);
const chosen = listed.filter(pick);

describe("the expectation table", () => {
  it("gives a reason wherever forklab's result is not Linux's, and covers every test of the quick interfaces", () => {
    for (const [t, e] of Object.entries(EXPECTED)) {
      if (e.forklab !== e.linux) expect(e.why, t).toMatch(/\S/);
      else expect(e.why, t).toBeUndefined();
    }
    if (haveSuite) for (const iface of [...QUICK_INTERFACES, "sigaction"]) for (const t of testsOf(iface)) expect(listed, t).toContain(t);
  });
});

describe.skipIf(why !== null)(`posixtestsuite 1.5.2, built unmodified${why ? ` [skipped: ${why}]` : ""}`, () => {
  const native = new Map<string, Run>();
  beforeAll(async () => {
    const runs = await pool(chosen.map((t) => async () => {
      const b = buildNative(t);
      return b.path ? runNative(b.path, 30) : { result: "build failed", output: b.diagnostics };
    }), 8);
    chosen.forEach((t, i) => native.set(t, runs[i]));
  }, 600_000);

  it.each(chosen)("%s", (t) => {
    const e = EXPECTED[t];
    const n = native.get(t)!;
    expect(n.result, `natively:\n${n.output}`).toBe(e.linux);
    for (const opt of ["-O0", "-O2"]) {
      const f = runOnForklab(t, opt);
      expect(f.result, `forklab ${opt}:\n${f.diagnostics ?? f.output}`).toBe(e.forklab);
    }
  }, 300_000);
});
