import { describe, expect, it } from "vitest";
import { ppsratecheck, type RateState } from "../../src/kernel/ratecheck.js";

const HZ = 100;

function fresh(): RateState {
  return { lasttime: 0, curpps: 0 };
}

describe("ppsratecheck (kern_time.c 1.40)", () => {
  it("allows one message per hz ticks with maxpps 1, as fork1 uses it", () => {
    const s = fresh();
    const allowed = [];
    for (const t of [5, 6, 50, 104, 105, 106, 204, 205]) allowed.push([t, ppsratecheck(s, 1, t, HZ)]);
    // Windows start at 5, 105 and 205 (ticks - lasttime >= hz).
    expect(allowed).toEqual([[5, true], [6, false], [50, false], [104, false], [105, true], [106, false], [204, false], [205, true]]);
    expect(s).toEqual({ lasttime: 205, curpps: 1 });
  });

  it("stores ticks in lasttime and counts calls in curpps, even refused ones", () => {
    const s = fresh();
    ppsratecheck(s, 1, 10, HZ);
    ppsratecheck(s, 1, 11, HZ);
    ppsratecheck(s, 1, 12, HZ);
    expect(s).toEqual({ lasttime: 10, curpps: 3 });
  });

  it("with maxpps N lets N-1 through per window: the first, then those whose incremented count stays below N", () => {
    const s = fresh();
    const r = [1, 2, 3, 4].map((t) => ppsratecheck(s, 3, t, HZ));
    expect(r).toEqual([true, true, false, false]);
  });

  it("maxpps 0 never allows and maxpps < 0 always allows", () => {
    const never = fresh();
    const always = fresh();
    for (let t = 1; t < 300; t += 7) {
      expect(ppsratecheck(never, 0, t, HZ)).toBe(false);
      expect(ppsratecheck(always, -1, t, HZ)).toBe(true);
    }
  });

  it("tv_sec == 0 quirk: a window started at ticks 0 reads as 'never', so calls keep allowing until a non-zero tick", () => {
    const s = fresh();
    expect(ppsratecheck(s, 1, 0, HZ)).toBe(true);
    expect(ppsratecheck(s, 1, 0, HZ)).toBe(true);
    expect(s.lasttime).toBe(0);
    expect(ppsratecheck(s, 1, 1, HZ)).toBe(true); // still "never": a new window, now at tick 1
    expect(ppsratecheck(s, 1, 2, HZ)).toBe(false);
  });

  it("compares ticks - lasttime as unsigned: a clock behind lasttime starts a new window", () => {
    const s = { lasttime: 500, curpps: 1 };
    expect(ppsratecheck(s, 1, 450, HZ)).toBe(true);
    expect(s.lasttime).toBe(450);
  });

  it("wraps ticks like the kernel's int: across 2^31 the window still lasts hz ticks", () => {
    const s = fresh();
    const before = 0x7FFFFFFF - 9; // 10 ticks before the int wraps
    expect(ppsratecheck(s, 1, before, HZ)).toBe(true);
    expect(ppsratecheck(s, 1, before + 50, HZ)).toBe(false); // int ticks is now negative
    expect(ppsratecheck(s, 1, before + 99, HZ)).toBe(false);
    expect(ppsratecheck(s, 1, before + 100, HZ)).toBe(true);
    expect(s.lasttime).toBe((before + 100) | 0);
  });

  it("throws on non-integer input and a non-positive hz, leaving the state alone", () => {
    const s = { lasttime: 7, curpps: 2 };
    expect(() => ppsratecheck(s, 1, 1.5, HZ)).toThrow(/ticks must be an integer/);
    expect(() => ppsratecheck(s, 0.5, 1, HZ)).toThrow(/maxpps must be an integer/);
    expect(() => ppsratecheck(s, 1, 1, 0)).toThrow(/hz must be a positive integer/);
    expect(s).toEqual({ lasttime: 7, curpps: 2 });
  });
});
