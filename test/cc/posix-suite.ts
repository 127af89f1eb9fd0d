// The Open POSIX Test Suite (posixtestsuite 1.5.2, Debian's source package, fetched by
// scripts/fetch-classic.sh into .cache/classic/posixtestsuite): each test program built
// UNMODIFIED, natively with the host's gcc (the reference: what a real system gives) and
// with forklab cc, and run. A test's result is its exit status as the suite names it
// (PTS_PASS 0, PTS_FAIL 1, PTS_UNRESOLVED 2, PTS_UNSUPPORTED 4, PTS_UNTESTED 5), or how it
// did not get there: "build failed", "killed by signal N", "timeout".
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { constants } from "node:os";
import { join } from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { cc } from "../../src/cli/cc.js";
import { ROOT, scratchDir, runForklab } from "./helpers.js";

export const SUITE = process.env.POSIXTESTSUITE ?? join(ROOT, ".cache", "classic", "posixtestsuite");
export const INTERFACES = join(SUITE, "conformance", "interfaces");
export const haveSuite = existsSync(join(SUITE, "include", "posixtest.h"));

const PTS = ["PASS", "FAIL", "UNRESOLVED", "3", "UNSUPPORTED", "UNTESTED"];
export type Result = string;

/** The suite's name for an exit status (what run_tests prints). */
export function statusName(code: number): Result {
  return code >= 0 && code < PTS.length && code !== 3 ? PTS[code] : `exit ${code}`;
}

/** DragonFly's signal names by number (reference §4.1), for a forklab run a signal ended. */
const DF_SIGNALS = ["", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGEMT", "SIGFPE", "SIGKILL",
  "SIGBUS", "SIGSEGV", "SIGSYS", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGURG", "SIGSTOP", "SIGTSTP", "SIGCONT", "SIGCHLD",
  "SIGTTIN", "SIGTTOU", "SIGIO", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGINFO", "SIGUSR1", "SIGUSR2"];
const killedBy = (name: string | undefined, n: number) => `killed by ${name ?? `signal ${n}`}`;

/** The test programs of an interface, "iface/N-M", in numeric order (not the -buildonly or shell ones). */
export function testsOf(iface: string): string[] {
  const dir = join(INTERFACES, iface);
  if (!existsSync(dir)) return [];
  const key = (f: string) => f.replace(/\.c$/, "").split("-").map((n) => n.padStart(6, "0")).join("-");
  return readdirSync(dir)
    .filter((f) => /^\d+-\d+\.c$/.test(f))
    .sort((a, b) => (key(a) < key(b) ? -1 : 1))
    .map((f) => `${iface}/${f.replace(/\.c$/, "")}`);
}

const source = (t: string) => join(INTERFACES, `${t}.c`);
const outName = (t: string, tag: string) => join(scratchDir(), `pts-${t.replace("/", "-")}-${tag}`);

/** The suite's LDFLAGS recommendation, less -lrt (DragonFly had no librt). */
const FORKLAB_FLAGS = ["-D_XOPEN_SOURCE=600", "-lpthread", "-lm"];
const NATIVE_FLAGS = ["-D_XOPEN_SOURCE=600", "-lpthread", "-lrt", "-lm"];

export interface Run { result: Result; output: string; diagnostics?: string }

/** Builds a test with forklab cc at `opt` and runs it on forklab (uid 1000). */
export function runOnForklab(t: string, opt: string, seconds = 60): Run {
  const out = outName(t, `forklab${opt}`);
  const r = cc({ args: [opt, "-I", join(SUITE, "include"), source(t), ...FORKLAB_FLAGS], output: out });
  if (r.code !== 0) return { result: "build failed", output: "", diagnostics: r.diagnostics };
  const b = readFileSync(out);
  const run = runForklab(new Uint8Array(b.buffer, b.byteOffset, b.length), [], { seconds });
  const result = run.code !== null ? statusName(run.code) : run.signal !== null ? killedBy(DF_SIGNALS[run.signal], run.signal) : "timeout";
  return { result, output: run.output };
}

/** Builds a test natively with gcc (the host's C library). */
export function buildNative(t: string): { path: string | null; diagnostics: string } {
  const out = outName(t, "native");
  const r = spawnSync("gcc", ["-w", "-I", join(SUITE, "include"), "-o", out, source(t), ...NATIVE_FLAGS], { encoding: "utf8" });
  return { path: r.status === 0 ? out : null, diagnostics: r.stderr };
}

/**
 * Runs a native build as user nobody in a session of its own (setsid: so a test's kill(-1)
 * or killpg reaches nothing of ours), stdout and stderr in one pipe, its whole process
 * group killed after `seconds` (and when it exits, so no child of it outlives it).
 */
export function runNative(path: string, seconds = 60): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn("setsid", ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", path], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "", timedOut = false;
    child.stdout.on("data", (d: Buffer) => { output += d.toString("latin1"); });
    child.stderr.on("data", (d: Buffer) => { output += d.toString("latin1"); });
    const killGroup = () => { try { process.kill(-child.pid!, "SIGKILL"); } catch { /* gone */ } };
    const timer = setTimeout(() => { timedOut = true; killGroup(); }, seconds * 1000);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      // What is still in the pipes arrives within a moment; a child left behind keeps them open.
      setTimeout(() => {
        killGroup();
        child.stdout.destroy();
        child.stderr.destroy();
        const result = timedOut ? "timeout" : code !== null ? statusName(code) : killedBy(signal ?? undefined, constants.signals[signal!]);
        resolve({ result, output });
      }, 100);
    });
  });
}

/** Runs `jobs` at most `n` at a time. */
export async function pool<T>(jobs: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < jobs.length) { const i = next++; out[i] = await jobs[i](); }
  }));
  return out;
}
