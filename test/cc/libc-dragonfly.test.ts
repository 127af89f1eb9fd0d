// What unmodified programs needed from the C library that newlib has differently or not at
// all, made as DragonFly's libc had it in 2008 (stress: basename(argv[0]) and
// strerror(errno) in its messages):
// - basename(3) and dirname(3) of lib/libc/gen: a const path, left alone, and the answer in
//   a static buffer ("/" for slashes only, "." for NULL or "", trailing slashes not
//   counted, NULL and ENAMETOOLONG past MAXPATHLEN); newlib builds neither for i386-elf;
// - the 4.4BSD error texts of lib/libc/gen/errlst.c ("Cannot allocate memory", where
//   newlib says "Not enough space"), "Unknown error: N" with EINVAL past the table, in
//   strerror, strerror_r and perror alike;
// - pause(3), which forklab's libc lacked: sigsuspend with the mask as it is;
// - stdout's buffering decided on first use, as makebuf.c does: line-buffered on a terminal,
//   fully buffered on a file or a pipe (newlib, built without HAVE_FCNTL, had made stdout
//   line-buffered whatever it was; the Open POSIX Test Suite's sigsuspend/3-1 showed it:
//   a child killed by a signal printed a line that on Linux and on DragonFly is lost).
import { describe, it, expect } from "vitest";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { Forklab } from "../../src/kernel/api.js";
import { compile, runForklab, noCompiler, scratchDir, FIXTURES, readExpected, matchesExpected } from "./helpers.js";

describe.skipIf(noCompiler !== null)("DragonFly's libgen and error texts", () => {
  it.each(["-O0", "-O2"])("basename, dirname, strerror, strerror_r and perror at %s", (opt) => {
    const exp = readExpected(join(FIXTURES, "libgen-strerror.expected"));
    const r = runForklab(compile([join(FIXTURES, "libgen-strerror.c")], [opt], "libgen-strerror").bytes);
    expect(r.output).toBe(exp.lines.join("\n") + "\n");
    expect(matchesExpected(r.output, exp)).toBe(true);
    expect(r.code).toBe(exp.status);
  });
});

describe.skipIf(noCompiler !== null)("pause(3)", () => {
  it.each(["-O0", "-O2"])("returns -1 with EINTR once alarm's SIGALRM is caught, not for a blocked pending signal (%s)", (opt) => {
    const r = runForklab(compile([join(FIXTURES, "pause.c")], [opt], "pause").bytes);
    expect(r.output).toBe("pause() = -1, errno EINTR, handler saw SIGALRM\n");
    expect(r.code).toBe(0);
  });
});

describe.skipIf(noCompiler !== null)("stdout's buffering, decided on first use as makebuf.c does", () => {
  const src = join(FIXTURES, "stdio-buffering.c");

  it.each(["-O0", "-O2"])("on a file: fully buffered, the unflushed line printed again by the child that exits, lost with the one a signal kills, as on Linux (%s)", (opt) => {
    const r = runForklab(compile([src], [opt], "stdio-buffering").bytes);
    const want = "2 write(2) after it\n1 printf before the forks\n4 child B, then exit(0)\n1 printf before the forks\n5 parent: A got signal 15, B exited 0\n";
    expect(r.output).toBe(want);
    expect(r.code).toBe(0);
    // The same source on this Linux machine, its stdout a pipe.
    const native = join(scratchDir(), "stdio-buffering-linux");
    expect(spawnSync("gcc", ["-O2", "-o", native, src]).status).toBe(0);
    expect(spawnSync(native, [], { encoding: "utf8" }).stdout).toBe(want);
  });

  it.each(["-O0", "-O2"])("on the console (a terminal): a line at a time, each line once (%s)", (opt) => {
    const fl = new Forklab();
    fl.installFile("/bin/stdio-buffering", compile([src], [opt], "stdio-buffering").bytes, 0o755);
    const p = fl.spawn({ path: "/bin/stdio-buffering", uid: 1000 });
    let status: number | null = null;
    fl.on("exit", (e) => { if (e.pid === p.pid) status = e.status; });
    fl.run({ seconds: 5, until: () => status !== null });
    expect(status).toBe(0);
    expect(fl.console.output()).toBe(
      "1 printf before the forks\n2 write(2) after it\n3 child A, then SIGTERM\n4 child B, then exit(0)\n5 parent: A got signal 15, B exited 0\n");
  });
});
