// The bundled programs as the library carries them (src/user/programs.gen.ts, written by
// scripts/build.mjs) are byte for byte the committed files in programs/bin/, and nothing else.
import { describe, it, expect } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { BUNDLED_PROGRAMS, bundledProgramBytes } from "../../src/user/programs.js";
import { PROGRAM_FILES } from "../../src/user/programs.gen.js";

const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "programs", "bin");

describe("the bundled programs as data", () => {
  it("are the files in programs/bin, every one of them", () => {
    expect(Object.keys(PROGRAM_FILES).sort()).toEqual(readdirSync(bin).sort());
    expect(Object.keys(PROGRAM_FILES).sort()).toEqual(Object.keys(BUNDLED_PROGRAMS).sort());
    for (const name of Object.keys(BUNDLED_PROGRAMS)) {
      expect(Buffer.from(bundledProgramBytes(name)).equals(readFileSync(join(bin, name)))).toBe(true);
    }
  });

  it("refuses a name that is not bundled", () => {
    expect(() => bundledProgramBytes("toString")).toThrow(/no bundled program "toString"/);
    expect(() => bundledProgramBytes("../true")).toThrow(/no bundled program/);
  });
});
