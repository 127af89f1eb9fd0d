// `forklab run` and the console: the program's output on stdout/stderr as it runs, stdin
// as its input, the report after it (or none with --quiet), its exit status as forklab's
// exit code, the program and --file files in the machine's filesystem (exec by path), and
// `--program FILE` for bomb and spawn.
import { describe, it, expect } from "vitest";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { cli, cliJson } from "./helpers.js";
import { bundledProgramPath } from "../../src/user/host.js";
import type { RunReport } from "../../src/workloads/run.js";
import type { BombReport } from "../../src/workloads/bomb.js";
import type { SpawnReport } from "../../src/workloads/spawn.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "console");
const CAT = join(fixtures, "cat"), EXECSELF = join(fixtures, "execself");

describe("forklab run: the console is the terminal", () => {
  it("stdin feeds the program's reads (in virtual time, as it asks), its output streams to stdout, fd 2 to stderr, then the report", async () => {
    const r = await cli(["run", CAT], { stdin: ["first\n", "second\n"] });
    expect(r.stdout.startsWith("first\nsecond\n\nforklab run: ")).toBe(true);
    expect(r.stderr).toBe("eof\n");
    expect(r.stdout).toMatch(/exit code 7/);
    expect(r.code).toBe(7); // the program's exit status
  });

  it("--quiet prints the program's output alone; no stdin is end of file at once", async () => {
    const r = await cli(["run", "--quiet", CAT]);
    expect(r).toEqual({ code: 7, stdout: "", stderr: "eof\n" });
    const q = await cli(["run", "--quiet", CAT], { stdin: ["abc"] });
    expect(q.stdout).toBe("abc");
  });

  it("--json: the report alone, with the output in it", async () => {
    const j = await cliJson<RunReport>(["run", CAT]);
    expect(j.output).toBe("eof\n");
    expect(j.exit?.code).toBe(7);
  });

  it("a program still running when the run stops gives exit code 1", async () => {
    const r = await cli(["run", "--quiet", "--for", "50ms", bundledProgramPath("forkbomb")]);
    expect(r.code).toBe(1);
  });

  it("the program is in the filesystem at /bin/<name>, its argv[0], so it can exec itself by path", async () => {
    const r = await cli(["run", "--quiet", EXECSELF]);
    expect(r).toEqual({ code: 0, stdout: "again\n", stderr: "" });
  });

  it("--file host=guest puts other files in the filesystem: a helper the program execs is found there", async () => {
    // vfork-exec's child execs /bin/true; --file puts cat there: it copies stdin and exits
    // 7, which vfork-exec passes on as its own status.
    const r = await cli(["run", "--quiet", "--file", `${CAT}=/bin/true`, bundledProgramPath("vfork-exec")], { stdin: ["via helper\n"] });
    expect(r).toEqual({ code: 7, stdout: "via helper\n", stderr: "eof\n" });
    const bad = await cli(["run", "--file", "nope", CAT]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expects HOST=GUEST/);
    const rel = await cli(["run", "--file", `${CAT}=relative`, CAT]);
    expect(rel.stderr).toMatch(/absolute guest path/);
    const missing = await cli(["run", "--file", "/no/such=/x", CAT]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read \/no\/such: no such file/);
  });
});

describe("a static program's start-up, from real i386 code", () => {
  it("break, set_tls_area, __sysctl hw.pagesize, fstat(1), ioctl(TIOCGETA), mmap through __syscall: all as libc expects, under both strategies", async () => {
    for (const strategy of ["cow", "copy"]) {
      const r = await cli(["run", "--quiet", "--strategy", strategy, join(fixtures, "startup")]);
      expect(r, strategy).toEqual({ code: 0, stdout: "ok\n", stderr: "" }); // a failed step exits with its number
    }
  });
});

describe("--program FILE for bomb and spawn", () => {
  it("forklab bomb --program FILE runs your binary as the bomb", async () => {
    const r = await cliJson<BombReport>(["bomb", "--program", bundledProgramPath("bashbomb"), "--maxproc", "40", "--for", "200ms"]);
    expect(r.program).toBe("bashbomb");
    expect(r.description).toMatch(/^your program /);
    expect(r.peak.nprocs).toBeGreaterThan(10);
  });

  it("forklab spawn --program FILE runs your spawn loop", async () => {
    const r = await cliJson<SpawnReport>(["spawn", "--program", bundledProgramPath("spawn"), "--loops", "5"]);
    expect(r.loops).toBe(5);
    expect(r.description).toMatch(/^your program /);
    const bad = await cli(["spawn", "--program", "/no/such/file"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot read/);
  });
});
