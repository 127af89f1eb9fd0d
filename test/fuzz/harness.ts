// The syscall-sequence fuzzer's model: a scenario (CPUs, whether faults are listened to,
// and a sequence of operations with good and bad arguments) runs on a machine with the
// invariants checked after every step, once under each strategy; the runs must agree on
// every result, every event but faults, the kernel's messages, every process and LWP and
// register, and every byte of every process's memory. fast-check generates the scenarios
// and shrinks a failing one to a minimal sequence (test/fuzz/regressions.test.ts keeps them).
import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { Forklab, ForklabError, installBundled, bundledProgramBytes } from "../../src/index.js";
import type { KernelEvent, SyscallResult } from "../../src/index.js";
import { STRATEGIES, type Strategy } from "../../src/core/core.js";
import { EVENT_SCHEMA } from "../../src/kernel/events.js";
import { writerProgram, growerProgram, badElves } from "./programs.js";

// ---- the scratch area every bare process has (written at spawn, inherited by forks) ----

export const ARENA = 0x40000000;
const ARENA_PAGES = 4;
const STR = { true: 0x000, cowtouch: 0x020, forkmem: 0x040, writer: 0x060, grower: 0x080, none: 0x0a0, dir: 0x0c0, noexec: 0x0e0, arg: 0x100, env: 0x110, long: 0x140 } as const;
const BAD = 0x180;                 // "/bin/bad0" .. "/bin/bad6", 16 bytes apart
const ARGV = 0x200, ENVP = 0x220;  // [arg, arg, NULL], [env, NULL]
/** Structures the fuzzer pokes before a syscall reads them. */
export const DATA = { rlimit: 0x400, sigset: 0x440, sigact: 0x480, lwpp: 0x500, status: 0x580, buf: 0x600, rusage: 0x700 } as const;
/** struct rusage's ru_minflt: the faults a strategy takes are its own (copy takes none at fork's writes). */
const RU_MINFLT = 32;
const VEC = 0x1000;                // 2048 pointers to the 63-byte string, NULL at index 1400
const VEC_NULL = 1400;
const BIG_ARGV = VEC + 4 * 1000;   // 400 strings: 25,600 bytes, fits ARG_MAX
const HUGE_ARGV = VEC;             // 1400 strings: 89,600 bytes, E2BIG
const PATHS = ["/bin/true", "/bin/cow-touch", "/bin/fork-mem", "/bin/writer", "/bin/grower", "/nonexistent", "/bin", "/bin/noexec"];
const NBAD = 7;

const a = (off: number): number => ARENA + off;

/** Pointers a syscall may get: into the scratch area, or wild. */
const WILD = [0, 1, 0xFFFFFFFF, 0xBFBFFFFC, 0xBFC00000, 0xBFEFF000, 0xC0400000, 0xC0401000, a(ARENA_PAGES * 4096 - 2), 0x08048000, 0x1000];
const wildPtr = fc.oneof(fc.constantFrom(...WILD), fc.integer({ min: 0, max: 0xFFFFFFFF }));
const dataPtr = (off: number) => fc.oneof({ weight: 4, arbitrary: fc.constant(a(off)) }, { weight: 1, arbitrary: wildPtr });
const optPtr = (off: number) => fc.oneof(fc.constant(0), dataPtr(off));
const u32 = fc.integer({ min: 0, max: 0xFFFFFFFF });
const smallInt = fc.integer({ min: -3, max: 40 });

// ---- operations ----

/** Who makes a syscall: an index into the LWPs that can make one now (taken modulo their number). */
const who = fc.nat({ max: 63 });
/** A pid argument: resolved when the op runs, from the processes there are then. */
export type PidSel = { any: true } | { self: true } | { proc: number } | { raw: number };
const pidSel: fc.Arbitrary<PidSel> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ any: true as const }) }, { weight: 1, arbitrary: fc.constant({ self: true as const }) },
  { weight: 3, arbitrary: fc.record({ proc: fc.nat({ max: 63 }) }) },
  { weight: 1, arbitrary: fc.record({ raw: fc.integer({ min: -0x80000000, max: 0x7FFFFFFF }) }) },
);

const RF = { FDG: 0x4, PROC: 0x10, MEM: 0x20, NOWAIT: 0x40, CFDG: 0x1000, THREAD: 0x2000, SIGSHARE: 0x4000, LINUXTHPN: 0x10000 };
/** The flags a user may pass (mostly with RFPROC), then the kernel-only ones (EINVAL), then any word. */
const rforkFlags = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.boolean(), fc.subarray(Object.values(RF))).map(([proc, fs]) => fs.reduce((x, f) => (x | f) >>> 0, proc ? RF.PROC : 0)) },
  { weight: 1, arbitrary: fc.constantFrom(0x40000000 | RF.PROC, 0x80000000 | RF.PROC | RF.MEM) },
  { weight: 1, arbitrary: u32 },
);

export type Op =
  | { t: "fork" | "vfork"; who: number }
  | { t: "rfork"; who: number; flags: number }
  | { t: "lwp_create"; who: number; params: number; func: number; stack: number; tid1: number; tid2: number }
  | { t: "exit"; who: number; status: number }
  | { t: "extexit"; who: number; how: number; status: number; addr: number }
  | { t: "wait4"; who: number; pid: PidSel; status: number; options: number; rusage: number }
  | { t: "execve"; who: number; path: number; argv: number; envp: number }
  | { t: "kill"; who: number; pid: PidSel; sig: number }
  | { t: "sigprocmask"; who: number; how: number; set: number; oset: number }
  | { t: "sigaction"; who: number; sig: number; act: number; oact: number }
  | { t: "setrlimit" | "getrlimit"; who: number; which: number; ptr: number }
  | { t: "file"; who: number; call: string; args: number[] }
  | { t: "raw"; who: number; code: number; args: number[] }
  | { t: "poke"; who: number; off: number; value: number }
  | { t: "signal"; pid: PidSel; sig: number }
  | { t: "spawn"; uid: number }
  | { t: "run"; ticks: number };

const pathPtr = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PATHS.map((_, i) => a(Object.values(STR)[i]))) },
  { weight: 3, arbitrary: fc.nat({ max: NBAD - 1 }).map((i) => a(BAD + 16 * i)) },
  { weight: 1, arbitrary: wildPtr },
);

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant("fork" as const), who }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("vfork" as const), who }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant("rfork" as const), who, flags: rforkFlags }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("lwp_create" as const), who, params: dataPtr(DATA.lwpp), func: fc.oneof(fc.constant(0x08048000), u32), stack: dataPtr(0xF00), tid1: optPtr(DATA.status), tid2: optPtr(DATA.status + 4) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("exit" as const), who, status: fc.oneof(smallInt, u32) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("extexit" as const), who, how: fc.oneof(fc.constantFrom(0, 1, 0x10000, 0x10001, 2, 0x20000), u32), status: smallInt, addr: optPtr(DATA.status) }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant("wait4" as const), who, pid: pidSel, status: optPtr(DATA.status), options: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 0, 1, 2, 0x80000000, 0x80000001) }, { weight: 1, arbitrary: u32 }), rusage: optPtr(DATA.rusage) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant("execve" as const), who, path: pathPtr, argv: fc.oneof(fc.constantFrom(a(ARGV), a(BIG_ARGV), a(HUGE_ARGV), a(ENVP + 4)), wildPtr), envp: optPtr(ENVP) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("kill" as const), who, pid: pidSel, sig: fc.integer({ min: -1, max: 34 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("sigprocmask" as const), who, how: fc.integer({ min: 0, max: 4 }), set: optPtr(DATA.sigset), oset: optPtr(DATA.buf) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("sigaction" as const), who, sig: fc.integer({ min: -1, max: 34 }), act: optPtr(DATA.sigact), oact: optPtr(DATA.buf) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constantFrom("setrlimit" as const, "getrlimit" as const), who, which: fc.oneof(fc.integer({ min: 0, max: 11 }), u32), ptr: dataPtr(DATA.rlimit) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("file" as const), who, call: fc.constantFrom("open", "close", "read", "write", "dup", "dup2", "lseek", "umask"), args: fc.array(fc.oneof(smallInt, fc.constantFrom(a(STR.true), a(DATA.buf), 0x202, 0x601)), { minLength: 4, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("raw" as const), who, code: fc.oneof(fc.integer({ min: 0, max: 520 }), u32), args: fc.array(u32, { maxLength: 6 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("poke" as const), who, off: fc.integer({ min: DATA.rlimit / 4, max: DATA.buf / 4 + 63 }).map((i) => 4 * i), value: fc.oneof(smallInt, u32, fc.constant(0x7FFFFFFF)) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("signal" as const), pid: pidSel, sig: fc.integer({ min: 1, max: 32 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("spawn" as const), uid: fc.constantFrom(0, 0, 7, 8) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant("run" as const), ticks: fc.integer({ min: 1, max: 20 }) }) },
);

export interface Scenario { ncpus: number; listenFaults: boolean; seed: number; ops: Op[] }

export const scenarioArb = (maxOps = 40): fc.Arbitrary<Scenario> => fc.record({
  ncpus: fc.integer({ min: 1, max: 4 }),
  listenFaults: fc.boolean(),
  seed: fc.integer({ min: 0, max: 0xFFFF }),
  ops: fc.array(opArb, { minLength: 1, maxLength: maxOps }),
});

// ---- running a scenario ----

const MAXPROC = 24;
const OPTS = { physBytes: 8 << 20, hz: 100, cpuHz: 2_000_000, sliceCycles: 4000, maxproc: MAXPROC } as const;

/**
 * Everything a run shows that must not depend on the strategy, while memory suffices:
 * `exhausted` says memory ran short (memoryShort). The copy strategy takes more frames
 * than cow, so past that point the runs may rightly differ.
 */
export interface Trace { results: string[]; events: string[]; final: string; exhausted: boolean }

/**
 * Whether memory ran short in a run: a frame allocation failed (the most frames ever in
 * use reached the total: an allocation fails only on an empty free stack), or a fork
 * waited for memory ("vmwait": fork1 waits when free frames cannot hold the child, before
 * any allocation fails).
 */
export function memoryShort(fl: Forklab, events: string[]): boolean {
  const core = fl.kernel.core;
  return core.stat("framesPeak") === core.framesTotal() || events.some((e) => e.includes('"wmesg":"vmwait"'));
}

/** The machine a scenario starts from: init, one bare process with its scratch area, and the programs. */
export function boot(strategy: Strategy, s: Scenario, extra: Partial<ConstructorParameters<typeof Forklab>[0]> = {}): { fl: Forklab; events: string[] } {
  const fl = new Forklab({ ...OPTS, strategy, ncpus: s.ncpus, seed: s.seed, checkInvariants: true, ...extra });
  installBundled(fl);
  fl.registerProgram("/bin/writer", writerProgram(s.seed));
  fl.registerProgram("/bin/grower", growerProgram(20));
  fl.installFile("/bin/noexec", bundledProgramBytes("true"), 0o644);
  badElves(bundledProgramBytes("true")).forEach((b, i) => fl.installFile(`/bin/bad${i}`, b));
  const events: string[] = [];
  const record = (e: KernelEvent): void => { if (e.type !== "fault") events.push(JSON.stringify(e)); };
  if (s.listenFaults) fl.on("*", record);
  else for (const t of EVENT_TYPES) fl.on(t as never, record);
  spawnBare(fl, 0);
  return { fl, events };
}

const EVENT_TYPES = Object.keys(EVENT_SCHEMA).filter((t) => t !== "fault");

function spawnBare(fl: Forklab, uid: number): number {
  const pid = fl.spawn({ uid, gid: uid }).pid;
  const va = fl.userAlloc(pid, ARENA_PAGES * 4096);
  if (va !== ARENA) throw new Error(`arena at 0x${va.toString(16)}`);
  const page = new Uint8Array(ARENA_PAGES * 4096);
  const dv = new DataView(page.buffer);
  const put = (off: number, s: string): void => { page.set(new TextEncoder().encode(s + "\0"), off); };
  PATHS.forEach((p, i) => put(Object.values(STR)[i], p));
  put(STR.arg, "a");
  put(STR.env, "X=1");
  put(STR.long, "L".repeat(63));
  for (let i = 0; i < NBAD; i++) put(BAD + 16 * i, `/bin/bad${i}`);
  dv.setUint32(ARGV, a(STR.arg), true); dv.setUint32(ARGV + 4, a(STR.arg), true);
  dv.setUint32(ENVP, a(STR.env), true);
  for (let i = 0; i < 2048; i++) dv.setUint32(VEC + 4 * i, i === VEC_NULL ? 0 : a(STR.long), true);
  // struct rlimit { rlim_t cur, max } (64-bit each): 16 and 32
  dv.setUint32(DATA.rlimit, 16, true); dv.setUint32(DATA.rlimit + 8, 32, true);
  dv.setUint32(DATA.sigset, 1 << 14, true); // SIGALRM
  dv.setUint32(DATA.lwpp, 0x08048000, true); dv.setUint32(DATA.lwpp + 8, a(0xF00), true);
  fl.writeUser(pid, ARENA, page);
  return pid;
}

/**
 * The ELF fuzzer's machine: boot, then the bare process execs `bytes` installed as /bin/m.
 * Returns the machine, its events, the bare pid and execve's result.
 */
export function bootExec(strategy: Strategy, ncpus: number, bytes: Uint8Array): { fl: Forklab; events: string[]; pid: number; exec: SyscallResult } {
  const { fl, events } = boot(strategy, { ncpus, listenFaults: false, seed: 1, ops: [] });
  fl.installFile("/bin/m", bytes);
  const pid = fl.procs().find((p) => p.comm === "bare")!.pid;
  fl.writeUser(pid, ARENA + 0x800, new TextEncoder().encode("/bin/m\0"));
  fl.writeWord(pid, ARENA + 0x810, ARENA + 0x800);
  fl.writeWord(pid, ARENA + 0x814, 0);
  return { fl, events, pid, exec: fl.syscall(pid, "execve", [ARENA + 0x800, ARENA + 0x810, 0]) };
}

/** The LWPs that can make a syscall now (bare, in user mode, awake), by pid and tid. */
function drivable(fl: Forklab): { pid: number; tid: number }[] {
  const out: { pid: number; tid: number }[] = [];
  for (const p of fl.procs()) {
    if (p.stat === "SZOMB" || p.stat === "SIDL" || p.hasProgram || p.pid <= 1) continue;
    for (const l of fl.lwps(p.pid)) if ((l.mode === "user" || l.mode === "new") && l.wmesg === "") out.push({ pid: p.pid, tid: l.tid });
  }
  return out;
}

function resolvePid(fl: Forklab, sel: PidSel, self: number): number {
  if ("any" in sel) return -1;
  if ("self" in sel) return self;
  if ("raw" in sel) return sel.raw;
  const pids = fl.procs().map((p) => p.pid);
  return pids[sel.proc % pids.length];
}

const show = (r: SyscallResult): string => (r.done ? `${r.errno || "ok"} ${r.rv[0]} ${r.rv[1]}` : `sleep ${r.wmesg}`);

/** One operation; its outcome as text. A ForklabError is an outcome (API misuse); anything else fails the run. */
function step(fl: Forklab, op: Op): string {
  if (op.t === "run") return JSON.stringify(fl.run({ ticks: op.ticks }));
  if (op.t === "spawn") {
    if (fl.procs().length >= MAXPROC - 2) return "full";
    return `spawned ${spawnBare(fl, op.uid)}`;
  }
  if (op.t === "signal") {
    // Among the user processes (not init, not zombies): a raw pid may name none.
    const live = fl.procs().filter((q) => q.pid > 1 && q.stat !== "SZOMB").map((q) => q.pid);
    const pid = "proc" in op.pid ? live[op.pid.proc % live.length] : "raw" in op.pid ? op.pid.raw : live[0];
    if (pid === undefined || !live.includes(pid)) return "no target";
    fl.signal(pid, op.sig);
    return "signalled";
  }
  const lwps = drivable(fl);
  if (lwps.length === 0) {
    // Nobody can make a syscall: a new bare process will (if there is room).
    if (fl.procs().length >= MAXPROC - 2) return "nobody";
    return `nobody: spawned ${spawnBare(fl, 0)}`;
  }
  const who = lwps[op.who % lwps.length];
  const sys = (code: string | number, args: number[] = []): string => show(fl.syscall(who, code, args));
  switch (op.t) {
    case "fork": case "vfork": return sys(op.t);
    case "rfork": return sys("rfork", [op.flags]);
    case "lwp_create": {
      const b = new Uint8Array(20), dv = new DataView(b.buffer);
      [op.func, 0x1234, op.stack, op.tid1, op.tid2].forEach((v, i) => dv.setUint32(4 * i, v >>> 0, true));
      fl.writeUser(who.pid, a(DATA.lwpp), b);
      return sys("lwp_create", [op.params]);
    }
    case "exit": return sys("exit", [op.status >>> 0]);
    case "extexit": return sys("extexit", [op.how >>> 0, op.status >>> 0, op.addr]);
    case "wait4": return sys("wait4", [resolvePid(fl, op.pid, who.pid) >>> 0, op.status, op.options, op.rusage]);
    case "execve": return sys("execve", [op.path, op.argv, op.envp]);
    case "kill": return sys("kill", [resolvePid(fl, op.pid, who.pid) >>> 0, op.sig >>> 0]);
    case "sigprocmask": return sys("sigprocmask", [op.how, op.set, op.oset]);
    case "sigaction": return sys("sigaction", [op.sig >>> 0, op.act, op.oact]);
    case "setrlimit": case "getrlimit": return sys(op.t, [op.which, op.ptr]);
    case "file": return sys(op.call, op.args.map((x) => x >>> 0));
    case "raw": return sys(op.code, op.args);
    case "poke": fl.writeWord(who.pid, a(op.off), op.value >>> 0); return "poked";
  }
}

/**
 * What the machine looks like now, minus what the strategy decides (physical addresses,
 * fault counts, and so the ru_minflt a wait4 copied out into the scratch area). A raw
 * wait4 or getrusage whose random pointer lands in the scratch area could still copy one
 * out elsewhere: a chance of about one in 10^9 per raw op.
 */
export function snapshot(fl: Forklab): string {
  // Each mapped page's bytes, read from its frame: a page the process made PROT_NONE is
  // still compared (readUser, copyin's way, would refuse it).
  const phys = fl.kernel.core.phys();
  const page = (va: number, pa: number): string => {
    const b = phys.slice(pa, pa + 4096);
    if (va === ARENA) b.fill(0, DATA.rusage + RU_MINFLT, DATA.rusage + RU_MINFLT + 4);
    return hash(b);
  };
  const procs = fl.procs().map((p) => {
    const out: Record<string, unknown> = { ...p, vmspace: p.vmspace && { ...p.vmspace, cr3: undefined } };
    if (p.stat !== "SZOMB" && p.stat !== "SIDL" && p.vmspace) {
      out.memory = fl.mappings(p.pid).map((m) => `${m.va.toString(16)}:${page(m.va, m.pa)}`);
      // tf_trapno and tf_err name the last trap: under cow that may be a copy-on-write fault.
      out.lwps = fl.lwps(p.pid).map((l) => ({ ...l, sigmask: String(l.sigmask), siglist: String(l.siglist), regs: { ...fl.trapframe({ pid: p.pid, tid: l.tid }), trapno: 0, err: 0 } }));
    }
    return out;
  });
  const c = fl.counters();
  const counters = [c.v_forks, c.v_vforks, c.v_rforks, c.v_exec, c.v_syscall, c.v_swtch, c.v_forkpages];
  return JSON.stringify({ ticks: fl.ticks, procs, counters, messages: fl.messages(), panicked: fl.panicked });
}

function hash(b: Uint8Array): string {
  let h = 0x811C9DC5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h >>> 0).toString(16);
}

/**
 * Runs a scenario under one strategy; throws when the host or the kernel failed. With
 * `inject`, before op i the inject[i]-th frame allocation from then on is made to fail
 * (0: none), wherever it falls.
 */
export function runScenario(strategy: Strategy, s: Scenario, inject: number[] = []): Trace {
  const { fl, events } = boot(strategy, s);
  const results: string[] = [];
  for (const [i, op] of s.ops.entries()) {
    if (inject[i]) fl.kernel.core.failFrameAfter(inject[i]);
    let r: string;
    try {
      r = step(fl, op);
    } catch (e) {
      if (!(e instanceof ForklabError) || fl.panicked !== null) throw e;
      r = `ForklabError: ${e.message}`;
    }
    results.push(r);
  }
  fl.kernel.core.failFrameAfter(0);
  fl.run({ ticks: 10 });
  fl.checkInvariants();
  return { results, events, final: snapshot(fl), exhausted: memoryShort(fl, events) };
}

/** The property: no failure under any strategy, and, while memory suffices, every strategy's run the same. */
export function checkScenario(s: Scenario): Trace[] {
  const traces = STRATEGIES.map((st) => [st, runScenario(st, s)] as const);
  if (traces.some(([, t]) => t.exhausted)) return traces.map(([, t]) => t);
  const [base, t0] = traces[0];
  for (const [st, t] of traces.slice(1)) {
    for (let i = 0; i < s.ops.length; i++) {
      if (t.results[i] !== t0.results[i]) throw new Error(`op ${i} ${JSON.stringify(s.ops[i])}: ${base} gave ${t0.results[i]}, ${st} gave ${t.results[i]}`);
    }
    const n = Math.min(t.events.length, t0.events.length);
    for (let i = 0; i < n; i++) if (t.events[i] !== t0.events[i]) throw new Error(`event ${i}: ${base} ${t0.events[i]}, ${st} ${t.events[i]}`);
    if (t.events.length !== t0.events.length) throw new Error(`${base} had ${t0.events.length} events, ${st} ${t.events.length}`);
    if (t.final !== t0.final) throw new Error(`final state differs: ${firstDiff(t0.final, t.final)}`);
  }
  return traces.map(([, t]) => t);
}

function firstDiff(x: string, y: string): string {
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return `at ${i}: …${x.slice(Math.max(0, i - 120), i + 80)}… vs …${y.slice(Math.max(0, i - 120), i + 80)}…`;
}

/**
 * fast-check parameters: in npm test a short run with a fixed seed (the suite gives the
 * same result every time); FORKLAB_FUZZ_RUNS and FORKLAB_FUZZ_SEED set by scripts/fuzz.mjs
 * for long runs that explore.
 */
/**
 * A fuzz test's time limit: ten minutes in npm test; none (setTimeout's largest) in a long
 * run, which takes as long as its runs do (scripts/fuzz.mjs watches for a stall instead).
 */
export const FUZZ_TIMEOUT = process.env.FORKLAB_FUZZ_RUNS ? 2 ** 31 - 1 : 600_000;

export function fuzzParams(defaultRuns: number): { numRuns: number; seed: number; verbose: number } {
  const runs = Number(process.env.FORKLAB_FUZZ_RUNS ?? defaultRuns);
  const seed = Number(process.env.FORKLAB_FUZZ_SEED ?? 20261207);
  return { numRuns: runs, seed, verbose: 1 };
}

/**
 * A property's predicate that first records its run number and input in the file
 * FORKLAB_FUZZ_PROGRESS names (scripts/fuzz.mjs sets it), suffixed with `name`: a run
 * that hangs the host leaves its exact input there for the runner to report. Without
 * the variable it is the predicate itself. FORKLAB_FUZZ_HANG_AT=N makes run N spin for
 * ever (the runner's own test: test/fuzz/runner.test.ts).
 */
export function recorded<A extends unknown[]>(name: string, predicate: (...args: A) => void): (...args: A) => void {
  const file = process.env.FORKLAB_FUZZ_PROGRESS;
  if (!file) return predicate;
  const hangAt = Number(process.env.FORKLAB_FUZZ_HANG_AT ?? 0);
  let run = 0;
  const json = (_k: string, v: unknown): unknown => (typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? Array.from(v) : v);
  return (...args: A): void => {
    writeFileSync(`${file}.${name}`, JSON.stringify({ test: name, run: ++run, input: args }, json));
    if (run === hangAt) for (;;);
    predicate(...args);
  };
}
