// Usage errors exit 2 with a message naming the flag and what it expects; runtime
// failures (a file that is missing or not an ELF forklab can run) exit 1 with the
// loader's message; --help and --version exit 0.
import { describe, it, expect } from "vitest";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli } from "./helpers.js";
import { bundledProgramPath } from "../../src/user/host.js";
import { version } from "../../src/cli/main.js";

describe("usage errors: exit 2", () => {
  const cases: [string[], RegExp][] = [
    [["bomb", "--maxproc", "abc"], /option '--maxproc <n>' argument 'abc' is invalid\. expects an integer from 3 to 99998/],
    [["bomb", "--maxproc", "2"], /'--maxproc <n>' argument '2' is invalid/],
    [["bomb", "--mem", "64X"], /option '--mem <size>' argument '64X' is invalid\. expects a memory size such as 64M or 1G/],
    [["bomb", "--mem", "100K"], /'--mem <size>' argument '100K' is invalid/],
    [["bomb", "--mem", "4G"], /'--mem <size>' argument '4G' is invalid/],
    [["bomb", "--for", "10"], /option '--for <duration>' argument '10' is invalid\. expects a virtual duration such as 10s, 500ms, 2m, or ticks such as 300t/],
    [["bomb", "--for", "1.5t"], /'--for <duration>' argument '1.5t' is invalid/],
    [["bomb", "--strategy", "share"], /option '--strategy <how>' argument 'share' is invalid\. Allowed choices are copy, cow/],
    [["bomb", "--program", "spawn"], /--program expects forkbomb or bashbomb, or an ELF file; there is no file "spawn"/],
    [["bomb", "--uid", "-1"], /option '--uid <n>' argument '-1' is invalid/],
    [["bomb", "--cpus", "0"], /option '--cpus <n>' argument '0' is invalid\. expects an integer from 1 to 64/],
    [["bomb", "--nproc-limit", "0"], /option '--nproc-limit <n>' argument '0' is invalid/],
    [["bomb", "--seed", "1e3"], /option '--seed <n>' argument '1e3' is invalid/],
    [["bomb", "--sample", "0"], /option '--sample <ticks>' argument '0' is invalid/],
    [["bomb", "--plot", "chart.png"], /option '--plot <file\.svg>' argument 'chart\.png' is invalid\. expects a file name ending in \.svg/],
    [["bomb", "--maxproc"], /option '--maxproc <n>' argument missing/],
    [["bomb", "--bogus"], /unknown option '--bogus'/],
    [["bomb", "extra"], /too many arguments/],
    [["spawn", "--loops", "0"], /option '--loops <n>' argument '0' is invalid/],
    [["spawn", "--loops", "5", "--for", "1s"], /--loops and --for exclude each other/],
    [["run"], /missing required argument 'file'/],
    [["frobnicate"], /unknown command 'frobnicate'/],
  ];
  for (const [args, msg] of cases) {
    it(`forklab ${args.join(" ")}`, async () => {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).toMatch(/--help/);
    });
  }

  it("forklab with no command prints the usage and exits 2", async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Usage: forklab \[options\] \[command\]/);
  });
});

describe("bad files: exit 1 with the loader's message", () => {
  const dir = mkdtempSync(join(tmpdir(), "forklab-files-"));

  it("a missing file", async () => {
    const r = await cli(["run", join(dir, "nope.elf")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`forklab: cannot read ${join(dir, "nope.elf")}: no such file\n`);
  });

  it("a file that is not ELF", async () => {
    const f = join(dir, "text.elf");
    writeFileSync(f, "#!/bin/sh\necho hi\n");
    const r = await cli(["run", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^forklab: cannot run .*text\.elf: not an ELF file: bad magic/);
  });

  it("a truncated ELF file", async () => {
    const f = join(dir, "short.elf");
    writeFileSync(f, readFileSync(bundledProgramPath("spawn")).subarray(0, 40));
    const r = await cli(["run", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^forklab: cannot run .*short\.elf: .+/);
  });

  it("an ELF file for another machine", async () => {
    const f = join(dir, "arm.elf");
    const b = Buffer.from(readFileSync(bundledProgramPath("true")));
    b.writeUInt16LE(40, 18); // e_machine = EM_ARM
    writeFileSync(f, b);
    const r = await cli(["run", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^forklab: cannot run .*arm\.elf: .*(machine|EM_386|i386)/i);
  });

  it("a directory", async () => {
    const r = await cli(["run", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/it is a directory/);
  });
});

describe("--help and --version: exit 0", () => {
  for (const cmd of ["bomb", "spawn", "run"]) {
    it(`forklab ${cmd} --help`, async () => {
      const r = await cli([cmd, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(new RegExp(`^Usage: forklab ${cmd} `));
      expect(r.stdout).toContain("Examples:");
      expect(r.stdout).toContain(`forklab ${cmd}`);
      for (const flag of ["--maxproc", "--nproc-limit", "--uid", "--cpus", "--mem", "--strategy", "--seed", "--json", "--plot"]) {
        expect(r.stdout).toContain(flag);
      }
      expect(r.stdout).toContain("Exit codes: 0 done, 1 runtime failure, 2 usage error.");
    });
  }

  it("forklab --help lists the commands", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["bomb", "spawn", "run"]) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, "m"));
  });

  it("forklab help bomb is forklab bomb --help", async () => {
    const a = await cli(["help", "bomb"]);
    const b = await cli(["bomb", "--help"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it("forklab --version prints the package version", async () => {
    const r = await cli(["--version"]);
    expect(r.code).toBe(0);
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(r.stdout).toBe(`${pkg.version}\n`);
    expect(version()).toBe(pkg.version);
  });
});
