// forklab run FILE.elf: any ELF file from disk (here the bundled programs' files, which
// are ordinary static i386 executables), its exit status, events and counters.
import { describe, it, expect } from "vitest";
import { cli, cliJson, expectSameNumbers } from "./helpers.js";
import { bundledProgramPath } from "../../src/user/host.js";
import { runProgram, type RunReport } from "../../src/workloads/run.js";
import { formatRun } from "../../src/cli/format.js";

describe("forklab run", () => {
  it("a program that stopped itself (job control) is reported as stopped, with the signal", () => {
    // getpid; kill(pid, SIGSTOP); jmp $ (never reached: the process stops in the kill's return)
    const code = [0xb8, 20, 0, 0, 0, 0xcd, 0x80, 0x6a, 17, 0x50, 0x6a, 0, 0xb8, 37, 0, 0, 0, 0xcd, 0x80, 0xeb, 0xfe];
    const image = { name: "stopper", entry: 0x08048000, segments: [{ vaddr: 0x08048000, memsz: code.length, data: Uint8Array.from(code), prot: 5 }] };
    const r = runProgram({ image, limit: { seconds: 0.1 } });
    expect(r.exit).toBeNull();
    expect(r.stopped).toEqual({ signal: 17, signalName: "SIGSTOP" });
    expect(r.run.end).toBe("idle");
    expect(formatRun(r)).toMatch(/program +stopped by signal 17 \(SIGSTOP\) when the run ended/);
    const spin = runProgram({ image: { ...image, name: "spinner", segments: [{ ...image.segments[0], data: Uint8Array.from([0xeb, 0xfe]), memsz: 2 }] }, limit: { seconds: 0.05 } });
    expect(spin.stopped).toBeNull();
    expect(formatRun(spin)).toMatch(/program +still running when the run stopped/);
  });

  it("runs an ELF file to its exit: vfork-exec execs /bin/true and exits 0", async () => {
    const r = await cliJson<RunReport>(["run", bundledProgramPath("vfork-exec")]);
    expect(r.exit).toMatchObject({ code: 0, signal: null, status: 0 });
    expect(r.run.end).toBe("exited");
    expect(r.process.argv).toEqual(["/bin/vfork-exec"]); // where run put it in the filesystem
    expect(r.vmmeter.v_vforks).toBe(1);
    expect(r.events.exec).toBe(2); // the program, then /bin/true in the vfork child
    expect(r.final.nprocs).toBe(2); // init reaped it
    expect(r.trace).toBeNull();
  });

  it("passes the arguments after FILE as argv, options included", async () => {
    const r = await cliJson<RunReport>(["run", "--uid", "0", bundledProgramPath("spawn"), "7"]);
    expect(r.process).toMatchObject({ argv: ["/bin/spawn", "7"], uid: 0 });
    expect(r.exit?.code).toBe(0);
    expect(r.events.reap).toBe(7 + 1); // the program's 7 children, then init reaping the program
    // After FILE, --json is the program's argument, not forklab's: a text report.
    const t = await cli(["run", bundledProgramPath("spawn"), "--json"]);
    expect(t.code).toBe(2); // the program's exit status is forklab's exit code
    expect(t.stdout).toMatch(/^forklab run: /);
    expect(t.stdout).toMatch(/argv: \/bin\/spawn --json/);
    expect(t.stdout).toMatch(/exit code 2/); // spawn: argv[1] is not a number
  });

  it("reports exit codes the programs document (fork-mem 0, rfork-mem 1, rfork-cfdg EBADF)", async () => {
    const codes: Record<string, number> = { "fork-mem": 0, "rfork-mem": 1, "rfork-cfdg": 9, "cow-touch": 0 };
    for (const [name, code] of Object.entries(codes)) {
      const r = await cliJson<RunReport>(["run", bundledProgramPath(name)]);
      expect(r.exit?.code, name).toBe(code);
    }
  });

  it("a bundled program's name works when no such file exists", async () => {
    const r = await cliJson<RunReport>(["run", "true"], { cwd: "/" });
    expect(r.file).toBe("bundled:true");
    expect(r.exit?.code).toBe(0);
  });

  it("gives up at --for when the program does not exit", async () => {
    const r = await cliJson<RunReport>(["run", "--for", "20t", "--maxproc", "40", bundledProgramPath("forkbomb")]);
    expect(r.exit).toBeNull();
    expect(r.run).toMatchObject({ end: "limit", ticks: 20 });
    expect(r.final.nprocs).toBe(30);
    expect(r.events.limit).toBeGreaterThan(0);
  });

  it("--trace prints every event as one line, then the report", async () => {
    const r = await cli(["run", "--trace", bundledProgramPath("spawn"), "2"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    const trace = lines.slice(0, lines.indexOf(""));
    expect(trace[0]).toBe("tick 1 fork parent=1 child=2 flags=0x40000014 tid=0"); // the kernel's ticks: boot took tick 0
    expect(trace[1]).toBe('tick 1 exec pid=2 name="spawn" argc=2');
    expect(trace.filter((l) => / reap pid=\d+ status=0 by=2$/.test(l))).toHaveLength(2);
    expect(trace.every((l) => /^tick \d+ [a-z_]+( \w+=\S+)*$/.test(l))).toBe(true);
    expect(r.stdout).toContain("forklab run: ");
    // With --json the events are in the report, as many as the text trace printed.
    const j = await cliJson<RunReport>(["run", "--trace", bundledProgramPath("spawn"), "2"]);
    expect(j.trace).toHaveLength(trace.length);
    expect(j.trace![0]).toMatchObject({ type: "fork", tick: 1, parent: 1, child: 2 });
  });

  it("the text report prints exactly the numbers of --json", async () => {
    const args = ["run", bundledProgramPath("cow-touch"), "5"];
    const text = await cli(args);
    expect(text.code).toBe(0);
    expectSameNumbers(text.stdout, await cliJson(args));
  });
});
