// What unmodified programs needed from the C library that newlib has differently or not at
// all, made as DragonFly's libc had it in 2008 (stress: basename(argv[0]) and
// strerror(errno) in its messages):
// - basename(3) and dirname(3) of lib/libc/gen: a const path, left alone, and the answer in
//   a static buffer ("/" for slashes only, "." for NULL or "", trailing slashes not
//   counted, NULL and ENAMETOOLONG past MAXPATHLEN); newlib builds neither for i386-elf;
// - the 4.4BSD error texts of lib/libc/gen/errlst.c ("Cannot allocate memory", where
//   newlib says "Not enough space"), "Unknown error: N" with EINVAL past the table, in
//   strerror, strerror_r and perror alike.
import { describe, it, expect } from "vitest";
import { join } from "node:path";
import { compile, runForklab, noCompiler, FIXTURES, readExpected, matchesExpected } from "./helpers.js";

describe.skipIf(noCompiler !== null)("DragonFly's libgen and error texts", () => {
  it.each(["-O0", "-O2"])("basename, dirname, strerror, strerror_r and perror at %s", (opt) => {
    const exp = readExpected(join(FIXTURES, "libgen-strerror.expected"));
    const r = runForklab(compile([join(FIXTURES, "libgen-strerror.c")], [opt], "libgen-strerror").bytes);
    expect(r.output).toBe(exp.lines.join("\n") + "\n");
    expect(matchesExpected(r.output, exp)).toBe(true);
    expect(r.code).toBe(exp.status);
  });
});
