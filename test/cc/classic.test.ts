// Classic programs from well-known suites, unmodified, on forklab: Debian's source of
// `stress` 1.0.7 (Amos Waterland's stress: it forks cpu, io, vm and hdd hogs, each arming
// alarm(timeout), waits for them, and on a failure kills its process group with SIGUSR1).
// scripts/fetch-classic.sh fetches the source into .cache/classic (git ignores it); this
// file builds src/stress.c as it comes, with the config.h its configure writes, with
// `forklab cc` at -O0 and -O2, runs it on forklab and compares what it prints with the
// same source built by the host's gcc and run on this Linux machine: the same lines, pids
// named by order of appearance. On forklab the timings are virtual and exact: a run with
// --timeout Ns "completed in Ns".
//
// Without the source (no network, no deb-src line in apt's sources) the tests are skipped,
// saying why; in CI (CI=true) that is a failure, as .ci/run fetches it.
import { describe, it, expect, beforeAll } from "vitest";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { constants } from "node:os";
import { cc } from "../../src/cli/cc.js";
import { Forklab } from "../../src/kernel/api.js";
import { parseElf } from "../../src/kernel/imgact_elf.js";
import { noCompiler, scratchDir, fetchClassic, CLASSIC } from "./helpers.js";

const STRESS = join(CLASSIC, "stress-1.0.7", "src", "stress.c");
const missing = noCompiler ?? fetchClassic(STRESS);
const SKIP = missing === null ? "" : ` [skipped: ${missing}]`;

if (missing !== null && process.env.CI) {
  it("CI has the classic programs' source (.ci/run fetches it)", () => { throw new Error(missing); });
}

// What stress's configure (configure.ac: AC_CHECK_HEADERS, AC_FUNC_FORK, AC_FUNC_MALLOC,
// AC_CHECK_FUNCS) writes into config.h, and src/Makefile.am's flags. DragonFly BSD has no
// <sys/prctl.h>, so HAVE_SYS_PRCTL_H is left out there and worker_init does nothing, as
// on every BSD; Linux has it.
const CONFIG = [
  '#define PACKAGE "stress"', '#define PACKAGE_BUGREPORT "https://github.com/resurrecting-open-source-projects/stress/issues"',
  '#define PACKAGE_NAME "stress"', '#define PACKAGE_STRING "stress 1.0.7"', '#define PACKAGE_TARNAME "stress"',
  '#define PACKAGE_URL ""', '#define PACKAGE_VERSION "1.0.7"', '#define VERSION "1.0.7"', "#define STDC_HEADERS 1",
  "#define HAVE_STDLIB_H 1", "#define HAVE_STRING_H 1", "#define HAVE_UNISTD_H 1", "#define HAVE_FORK 1",
  "#define HAVE_VFORK 1", "#define HAVE_WORKING_FORK 1", "#define HAVE_WORKING_VFORK 1", "#define HAVE_MALLOC 1",
  "#define HAVE_ALARM 1", "#define HAVE_SQRT 1", "#define HAVE_STRERROR 1",
];
const MAKEFILE_CFLAGS = ["-D_FILE_OFFSET_BITS=64", "-D_LARGEFILE_SOURCE"];

function configDir(name: string, extra: string[]): string {
  const dir = join(scratchDir(), name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.h"), [...CONFIG, ...extra, ""].join("\n"));
  return dir;
}

/** stress.c built by forklab cc at opt: the executable's bytes and the compiler's messages. */
function buildForklab(opt: string): { bytes: Uint8Array; diagnostics: string } {
  const out = join(scratchDir(), `stress${opt}`);
  const r = cc({ args: [opt, ...MAKEFILE_CFLAGS, "-I", configDir("config-dragonfly", []), STRESS, "-lm"], output: out });
  if (r.code !== 0) throw new Error(`forklab cc failed:\n${r.command.join(" ")}\n${r.diagnostics}`);
  const b = readFileSync(out);
  return { bytes: new Uint8Array(b.buffer, b.byteOffset, b.length), diagnostics: r.diagnostics };
}

/** stress.c built by the host's gcc for this Linux machine, as Debian's package is (named stress too). */
function buildNative(): string {
  mkdirSync(join(scratchDir(), "native"), { recursive: true });
  const out = join(scratchDir(), "native", "stress");
  const r = spawnSync("gcc", ["-O2", ...MAKEFILE_CFLAGS, "-I", configDir("config-linux", ["#define HAVE_SYS_PRCTL_H 1"]), "-o", out, STRESS, "-lm"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`gcc failed:\n${r.stderr}`);
  return out;
}

interface Run {
  stdout: string; stderr: string; code: number | null; signal: number | null; seconds: number;
  /** forklab: the names left in "/", the working directory (where --hdd makes its files). */
  files?: string[];
}

const SIGTERM = 15;
/** A virtual CPU of 20 MHz: a 2-second run is 40 million instructions, a few host seconds. */
const CPU_HZ = 20_000_000;

/**
 * Runs stress on forklab as `stress ARGS` (uid 1000, in a session of its own as a shell
 * would start it), until it exits or 10 virtual seconds have passed. `kill` sends a signal
 * to the worker forked n-th (0 first) at a virtual time.
 */
function runForklab(bytes: Uint8Array, args: string[], opts: { kill?: { at: number; worker: number; sig: number } } = {}): Run {
  const fl = new Forklab({ cpuHz: CPU_HZ, physBytes: 64 << 20 });
  fl.installFile("/bin/stress", bytes, 0o755);
  const out = { 1: "", 2: "" } as Record<number, string>;
  fl.console.onOutput((o) => { out[o.fd] += o.text; });
  const p = fl.spawn({ path: "/bin/stress", argv: ["stress", ...args], uid: 1000 });
  let status: number | null = null;
  fl.on("exit", (e) => { if (e.pid === p.pid) status = e.status; });
  if (opts.kill) {
    fl.run({ seconds: opts.kill.at, until: () => status !== null });
    const workers = fl.procs().filter((q) => q.ppid === p.pid && q.stat !== "SZOMB").map((q) => q.pid).sort((a, b) => a - b);
    fl.signal(workers[opts.kill.worker], opts.kill.sig);
  }
  fl.run({ seconds: 10, until: () => status !== null });
  const st = status as number | null;
  return {
    stdout: out[1], stderr: out[2], seconds: fl.preciseSeconds, files: [...fl.kernel.vfs.root.v_children!.keys()].sort(),
    code: st === null || (st & 0x7f) !== 0 ? null : (st >> 8) & 0xff,
    signal: st === null ? null : (st & 0x7f) || null,
  };
}

/**
 * Runs the native stress in a session of its own (setsid, as forklab's spawn) and, with
 * `kill`, sends the signal to the worker forked n-th (its pid from -v's "forked" line)
 * `after` seconds after that line. `ulimitKB` limits its address space (ulimit -v).
 */
function runNative(path: string, args: string[], opts: { kill?: { after: number; worker: number; sig: number }; ulimitKB?: number } = {}): Promise<Run> {
  const start = process.hrtime.bigint();
  const child = opts.ulimitKB === undefined
    ? spawn(path, args, { detached: true, stdio: ["ignore", "pipe", "pipe"], cwd: scratchDir() })
    : spawn("sh", ["-c", `ulimit -v ${opts.ulimitKB} && exec "$0" "$@"`, path, ...args], { detached: true, stdio: ["ignore", "pipe", "pipe"], cwd: scratchDir() });
  let stdout = "", stderr = "", sent = false;
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding("utf8").on("data", (s: string) => {
      stdout += s;
      const k = opts.kill;
      const forked = [...stdout.matchAll(/worker \d+ \[(\d+)\] forked/g)];
      if (k && !sent && forked.length > k.worker) {
        sent = true;
        setTimeout(() => { try { process.kill(Number(forked[k.worker][1]), k.sig); } catch { /* already gone */ } }, k.after * 1000);
      }
    });
    child.stderr!.setEncoding("utf8").on("data", (s: string) => { stderr += s; });
    const timer = setTimeout(() => { try { process.kill(-child.pid!, "SIGKILL"); } catch { /* gone */ } }, 30_000);
    child.on("error", reject);
    child.on("close", (code, sig) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      resolve({ stdout, stderr, code, signal: sig === null ? null : constants.signals[sig], seconds });
    });
  });
}

/**
 * The output with every pid named by its order of appearance (P0 is stress itself, P1 the
 * first worker forked ...), across stdout and stderr, and runtimes ("completed in Ns")
 * as N.
 */
function normalise(r: Run): { stdout: string; stderr: string; runtime: number[] } {
  const names = new Map<string, string>();
  const name = (pid: string) => { if (!names.has(pid)) names.set(pid, `P${names.size}`); return names.get(pid)!; };
  // Pids appear as "[PID]" and as "worker PID" in "<-- worker PID ..." (not "worker N [PID] forked").
  const pidRe = /\[(\d+)\]|(<-- worker )(\d+)/g;
  // Name them in the order the parent printed them: the parent's stdout first.
  const rename = (s: string) => s.replace(pidRe, (_m, a: string | undefined, pre: string | undefined, b: string | undefined) =>
    a !== undefined ? `[${name(a)}]` : `${pre}${name(b!)}`);
  const runtime: number[] = [];
  const time = (s: string) => s.replace(/completed in (\d+)s/g, (_m, n: string) => { runtime.push(Number(n)); return "completed in Ns"; });
  const stdout = time(rename(r.stdout)), stderr = time(rename(r.stderr));
  return { stdout, stderr, runtime };
}

const lines = (s: string) => s.split("\n").filter((l) => l !== "");

/**
 * The "<-- worker P reaped" and "signalled normally" lines sorted among themselves, in
 * their places: which worker wait(2) returns first when several have ended depends on
 * when each was scheduled, on any system; which workers and how they ended does not.
 */
function sortReaps(s: string): string {
  const ls = s.split("\n"), at: number[] = [];
  ls.forEach((l, i) => { if (/<-- worker P\d+ (reaped|signalled normally)$/.test(l)) at.push(i); });
  const sorted = at.map((i) => ls[i]).sort();
  at.forEach((i, j) => { ls[i] = sorted[j]; });
  return ls.join("\n");
}

/** Forklab's run and the native one print the same, pids and reap order aside. */
function expectSameOutput(f: Run, n: Run): { forklab: number[]; native: number[] } {
  const a = normalise(f), b = normalise(n);
  expect(sortReaps(a.stdout)).toBe(sortReaps(b.stdout));
  expect(a.stderr).toBe(b.stderr);
  expect(f.code).toBe(n.code);
  expect(f.signal).toBe(n.signal);
  return { forklab: a.runtime, native: b.runtime };
}

/** A host-timed runtime is the expected one, or a second more on a busy machine. */
function expectNear(native: number[], want: number): void {
  expect(native).toHaveLength(1);
  expect(native[0]).toBeGreaterThanOrEqual(want);
  expect(native[0]).toBeLessThanOrEqual(want + 1);
}

describe.skipIf(missing !== null)(`stress 1.0.7, unmodified, on forklab${SKIP}`, () => {
  let native = "";
  beforeAll(() => { native = buildNative(); });

  describe.each(["-O0", "-O2"])("built with forklab cc %s", (opt) => {
    let bytes: Uint8Array;
    beforeAll(() => {
      const b = buildForklab(opt);
      bytes = b.bytes;
      // Every function it calls is declared by forklab's headers, and every one links.
      expect(b.diagnostics).toBe("");
      expect(parseElf(bytes, "stress").entry).toBeGreaterThan(0);
    });

    it("its own test suite: --version and --help print what they print on Linux and return 0", async () => {
      for (const args of [["--version"], ["--help"]]) {
        const f = runForklab(bytes, args), n = await runNative(native, args);
        expect(f.stdout).toBe(n.stdout);
        expect(f.stdout).toContain(args[0] === "--version" ? "stress 1.0.7\n" : "`stress' imposes certain types of compute stress");
        expect([f.code, n.code]).toEqual([0, 0]);
      }
    });

    it("--cpu 2 --io 1 --vm 1 --vm-bytes 1M --timeout 2s: four hogs for 2 virtual seconds, \"successful run completed in 2s\"", async () => {
      const args = ["--cpu", "2", "--io", "1", "--vm", "1", "--vm-bytes", "1M", "--timeout", "2s"];
      const f = runForklab(bytes, args), n = await runNative(native, args);
      expect(f.stdout).toBe("stress: info: [2] dispatching hogs: 2 cpu, 1 io, 1 vm, 0 hdd\nstress: info: [2] successful run completed in 2s\n");
      const t = expectSameOutput(f, n);
      expect(t.forklab).toEqual([2]);
      expectNear(t.native, 2);
      // Each worker's alarm(2) ended it 2 virtual seconds after it started (plus the fork's cost).
      expect(f.seconds).toBeGreaterThanOrEqual(2);
      expect(f.seconds).toBeLessThan(2.1);
    });

    it("-v --backoff 20000 with --vm-hang 0: every debug line, the backoff, the hang and the reaps of SIGALRM'd workers", async () => {
      const args = ["-v", "--backoff", "20000", "--cpu", "1", "--io", "1", "--vm", "1", "--vm-bytes", "64K", "--vm-hang", "0", "--timeout", "1s"];
      const f = runForklab(bytes, args), n = await runNative(native, args);
      const t = expectSameOutput(f, n);
      expect(normalise(f).stdout).toContain("[P0] setting backoff coeffient to 20000us\n");
      expect(normalise(f).stdout).toContain("[P0] using backoff sleep of 60000us\n");
      expect(normalise(f).stdout).toContain("[P3] sleeping forever with allocated memory\n");
      expect(lines(normalise(f).stdout).filter((l) => l.endsWith("signalled normally"))).toHaveLength(3);
      expect(t.forklab).toEqual([1]);
      expectNear(t.native, 1);
    });

    it("a worker killed with SIGTERM: stress reports it, kills its process group with SIGUSR1 and fails, at the virtual second it happened", async () => {
      const args = ["-v", "--cpu", "2", "--io", "1", "--timeout", "10s"];
      const f = runForklab(bytes, args, { kill: { at: 1, worker: 0, sig: SIGTERM } });
      const n = await runNative(native, args, { kill: { after: 1, worker: 0, sig: SIGTERM } });
      const t = expectSameOutput(f, n);
      const nf = normalise(f);
      expect(nf.stderr).toBe(
        "stress: FAIL: [P0] (425) <-- worker P1 got signal 15\n" +
        "stress: WARN: [P0] (427) now reaping child worker processes\n" +
        "stress: FAIL: [P0] (461) failed run completed in Ns\n");
      // kill(-pgrp, SIGUSR1) ended the other two; stress itself ignored it.
      expect(lines(nf.stdout).filter((l) => l.endsWith("reaped")).sort()).toEqual([
        "stress: dbug: [P0] <-- worker P2 reaped", "stress: dbug: [P0] <-- worker P3 reaped"]);
      expect(f.code).toBe(1);
      expect(t.forklab).toEqual([1]);
      expectNear(t.native, 1);
    });

    it("--vm-bytes 3G: malloc fails in the vm worker, \"Cannot allocate memory\", and the run fails at once", async () => {
      // forklab: break(2) refuses to grow the data segment past RLIMIT_DATA; Linux: ulimit -v.
      const args = ["--vm", "1", "--vm-bytes", "3G", "--cpu", "1", "--timeout", "2s"];
      const f = runForklab(bytes, args), n = await runNative(native, args, { ulimitKB: 1 << 20 });
      const t = expectSameOutput(f, n);
      expect(normalise(f).stderr).toBe(
        "stress: FAIL: [P1] (512) hogvm malloc failed: Cannot allocate memory\n" +
        "stress: FAIL: [P0] (404) <-- worker P1 returned error 1\n" +
        "stress: WARN: [P0] (406) now reaping child worker processes\n" +
        "stress: FAIL: [P0] (461) failed run completed in Ns\n");
      expect(f.code).toBe(1);
      expect(t.forklab).toEqual([0]);
      expectNear(t.native, 0);
    });

    it("--dry-run forks every worker, each exits 0 after its backoff: \"completed in 0s\"", async () => {
      const args = ["-n", "--cpu", "2", "--io", "1", "--vm", "1", "--timeout", "5s"];
      const f = runForklab(bytes, args), n = await runNative(native, args);
      const t = expectSameOutput(f, n);
      expect(t.forklab).toEqual([0]);
      expect(f.code).toBe(0);
    });

    it("bad arguments: each refused with the message and exit status Linux gives", async () => {
      for (const args of [
        ["--vm", "1", "--vm-bytes", "1X"], ["--vm", "1", "--vm-bytes", "0"], ["--cpu", "1", "--timeout", "0"],
        ["--cpu"], ["--frobnicate"], ["--backoff", "-5", "--cpu", "1"],
      ]) {
        const f = runForklab(bytes, args), n = await runNative(native, args);
        expectSameOutput(f, n);
        expect(f.code, args.join(" ")).toBe(1);
        expect(f.stderr, args.join(" ")).toMatch(/^stress: FAIL: \[2\] \(\d+\) /);
      }
    });

    it("--hdd: the worker seeds its buffer, then loops on mkstemp, unlink(2), write and close, as on Linux", async () => {
      // Seeding its 1 MiB buffer with rand() takes the worker 3 to 4 virtual seconds at 20 MHz;
      // then each 2 KiB file is 2047 one-byte writes and a newline.
      const f = runForklab(bytes, ["-v", "--hdd", "1", "--hdd-bytes", "2K", "--timeout", "6s"]);
      const n = await runNative(native, ["-v", "--hdd", "1", "--hdd-bytes", "2K", "--timeout", "1s"]);
      const cycle = (r: Run) => {
        const o = normalise(r), ls = lines(o.stdout.replace(/stress\.\w{6}/g, "stress.XXXXXX"));
        return { parent: ls.filter((l) => /^stress: \w+: \[P0\]/.test(l)).join("\n"), worker: ls.filter((l) => l.startsWith("stress: dbug: [P1]")), stderr: o.stderr };
      };
      const a = cycle(f), b = cycle(n);
      expect(a.parent).toBe(b.parent.replace("setting timeout to 1s", "setting timeout to 6s"));
      expect(a.stderr).toBe(b.stderr);
      const loop = [
        "opened ./stress.XXXXXX for writing 2048 bytes", "unlinking ./stress.XXXXXX", "fast writing to ./stress.XXXXXX",
        "slow writing to ./stress.XXXXXX", "closing ./stress.XXXXXX after 2048 bytes",
      ].map((l) => `stress: dbug: [P1] ${l}`);
      for (const w of [a.worker, b.worker]) {
        expect(w[0]).toBe("stress: dbug: [P1] seeding 1048575 byte buffer with random data");
        expect(w.length).toBeGreaterThan(1 + loop.length);
        w.slice(1).forEach((l, i) => expect(l).toBe(loop[i % loop.length]));
      }
      expect(f.stdout).toMatch(/successful run completed in 6s\n$/);
      // Each file was unlinked, but for the one SIGALRM may have caught between mkstemp and unlink.
      expect(f.files!.filter((x) => x.startsWith("stress.")).length).toBeLessThanOrEqual(1);
    });

    it("is deterministic: the same run twice prints the same bytes, pids and reap order included", () => {
      const args = ["-v", "--cpu", "1", "--io", "1", "--vm", "1", "--vm-bytes", "64K", "--vm-hang", "0", "--timeout", "1s"];
      const a = runForklab(bytes, args), b = runForklab(bytes, args);
      expect(b.stdout).toBe(a.stdout);
      expect(b.seconds).toBe(a.seconds);
    });
  });
});

