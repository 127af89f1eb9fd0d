// forklab cc's command line: what it accepts and refuses, the compiler command it builds,
// and its exit codes (0 compiled, 1 compile error or no compiler, 2 usage).
import { describe, it, expect } from "vitest";
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCcArgs, ccCommand, findCompiler, cc, MULTILIB_PACKAGE, type Compiler } from "../../src/cli/cc.js";
import { UsageError } from "../../src/cli/parse.js";
import { cli } from "../cli/helpers.js";
import { noCompiler, CORPUS } from "./helpers.js";

const fakeGcc: Compiler = { kind: "gcc", path: "gcc", target: ["-m32"], include: "/gcc/include", runtime: "/gcc/32/libgcc.a" };

describe("parseCcArgs", () => {
  it("keeps inputs and flags in order and takes -o, -c and -v out", () => {
    const r = parseCcArgs(["-O2", "-Wall", "a.c", "-o", "prog", "-DX=1", "-I", "inc", "b.o", "-lm", "-l", "z", "lib.a", "-v"]);
    expect(r.args).toEqual(["-O2", "-Wall", "a.c", "-DX=1", "-Iinc", "b.o", "-lm", "-lz", "lib.a"]);
    expect(r.output).toBe("prog");
    expect(r.compileOnly).toBe(false);
    expect(r.verbose).toBe(true);
    expect(parseCcArgs(["-c", "a.c", "-oa.o"])).toMatchObject({ compileOnly: true, output: "a.o", args: ["a.c"] });
    expect(parseCcArgs(["-static", "-s", "a.c"]).args).toEqual(["-s", "a.c"]);
    expect(parseCcArgs(["-g", "-Os", "-std=c99", "-march=i686", "-fno-strict-aliasing", "-Wl,-Map,x.map", "-w", "x.S"]).args)
      .toEqual(["-g", "-Os", "-std=c99", "-march=i686", "-fno-strict-aliasing", "-Wl,-Map,x.map", "-w", "x.S"]);
  });

  it("takes -pthread as gcc does: -D_REENTRANT where it stands, -lpthread after everything (none with -c)", () => {
    expect(parseCcArgs(["-pthread", "a.c", "-lm"]).args).toEqual(["-D_REENTRANT", "a.c", "-lm", "-lpthread"]);
    expect(parseCcArgs(["-c", "-pthread", "a.c"]).args).toEqual(["-D_REENTRANT", "a.c"]);
  });

  it.each([
    [[], /no input files/],
    [["-O2"], /no input files/],
    [["a.c", "-o"], /-o needs a value/],
    [["a.c", "-I"], /-I needs a value/],
    [["a.txt"], /not a C source/],
    [["a.c", "-shared"], /-shared is not supported: forklab runs static executables only/],
    [["a.c", "-fPIC"], /position-dependent/],
    [["a.c", "-pie"], /position-dependent/],
    [["a.c", "-m64"], /i386/],
    [["a.c", "-nostdlib"], /supplies the start-up code/],
    [["a.c", "-fsanitize=address"], /sanitizers/],
    [["a.c", "--frobnicate"], /unknown option --frobnicate/],
    [["-c", "a.o"], /-c compiles sources/],
    [["-c", "a.c", "b.c", "-o", "x.o"], /-o with -c takes one source file/],
  ])("refuses %j", (argv, msg) => {
    expect(() => parseCcArgs(argv)).toThrow(UsageError);
    expect(() => parseCcArgs(argv)).toThrow(msg);
  });
});

describe("ccCommand", () => {
  it("links statically with forklab's start-up code, library, headers and layout, -march=i386 unless overridden", () => {
    const args = ccCommand({ args: ["-O2", "a.c", "-lm"], output: "a" }, fakeGcc, "/fl/libc");
    expect(args.slice(0, 2)).toEqual(["-m32", "-march=i386"]);
    const has = (...seq: string[]) => expect(args.join("\u0000")).toContain(seq.join("\u0000"));
    has("-nostdinc", "-isystem", "/fl/libc/include", "-isystem", "/gcc/include", "-isystem", "/fl/libc/newlib-include");
    has("-static", "-nostdlib", "-no-pie");
    has("-T", "/fl/libc/lib/forklab.ld");
    has("-o", "a", "/fl/libc/lib/crt1.o", "-O2", "a.c", "-lm", "-L/fl/libc/lib", "-Wl,--start-group", "-lc", "/gcc/32/libgcc.a", "-Wl,--end-group");
    for (const f of ["-fno-pic", "-fno-pie", "-fno-stack-protector", "-fcf-protection=none", "-U__linux__", "-D__DragonFly__=1"]) expect(args).toContain(f);
    // The user's -march comes after the default, so it wins.
    const m = ccCommand({ args: ["-march=i686", "a.c"] }, fakeGcc, "/fl/libc");
    expect(m.indexOf("-march=i686")).toBeGreaterThan(m.indexOf("-march=i386"));
    expect(m).toContain("a.out");
  });

  it("compiles only with -c: no start-up code, no libraries", () => {
    const args = ccCommand({ args: ["a.c"], compileOnly: true, output: "a.o" }, fakeGcc, "/fl/libc");
    expect(args.slice(-4)).toEqual(["a.c", "-c", "-o", "a.o"]);
    expect(args.join(" ")).not.toMatch(/crt1|-lc|forklab\.ld|-static/);
  });
});

describe("findCompiler", () => {
  it("names the Debian package when no compiler can make i386 code", () => {
    const empty = mkdtempSync(join(tmpdir(), "forklab-nopath-"));
    const why = findCompiler({ PATH: empty });
    expect(typeof why).toBe("string");
    expect(why).toMatch(new RegExp(`apt-get install .*${MULTILIB_PACKAGE}`));
    const r = cc({ args: ["a.c"], compiler: why as string });
    expect(r.code).toBe(1);
    expect(r.diagnostics).toContain(MULTILIB_PACKAGE);
  });
});

describe.skipIf(noCompiler !== null)("forklab cc on the command line", () => {
  const dir = mkdtempSync(join(tmpdir(), "forklab-cc-cli-"));

  it("exits 0 and writes an executable", async () => {
    const r = await cli(["cc", join(CORPUS, "fork-tree.c"), "-O2", "-o", "ft"], { cwd: dir });
    expect(r).toMatchObject({ code: 0, stdout: "" });
    expect(r.stderr).toBe("");
    expect(readFileSync(join(dir, "ft")).subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  });

  it("exits 1 with the compiler's messages on a compile error", async () => {
    writeFileSync(join(dir, "bad.c"), "int main(void) { return undefined_thing; }\n");
    const r = await cli(["cc", "bad.c", "-o", "bad"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.c:1:.*undefined_thing/);
    expect(existsSync(join(dir, "bad"))).toBe(false);
  });

  it("exits 1 with the linker's message for an undefined function", async () => {
    writeFileSync(join(dir, "undef.c"), "int nowhere(void);\nint main(void) { return nowhere(); }\n");
    const r = await cli(["cc", "undef.c", "-o", "undef"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/undefined reference to `nowhere'/);
  });

  it("refuses thread-local storage at link time", async () => {
    writeFileSync(join(dir, "tls.c"), "__thread int t;\nint main(void) { return t; }\n");
    const r = await cli(["cc", "tls.c", "-o", "tls"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("thread-local storage (__thread, _Thread_local) is not supported");
  });

  it("exits 2 on a usage error, 0 for --help; -v prints the command", async () => {
    expect((await cli(["cc"], { cwd: dir })).code).toBe(2);
    const u = await cli(["cc", "x.c", "-fPIC"], { cwd: dir });
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("-fPIC is not supported");
    const h = await cli(["cc", "--help"], { cwd: dir });
    expect(h.code).toBe(0);
    expect(h.stdout).toContain("gcc-multilib");
    writeFileSync(join(dir, "ok.c"), "int main(void) { return 0; }\n");
    const v = await cli(["cc", "-v", "ok.c", "-o", "ok"], { cwd: dir });
    expect(v.code).toBe(0);
    expect(v.stderr).toMatch(/^gcc -m32 -march=i386 .*forklab\.ld/);
  });
});
