// Every public method of the Node API, given bad input of every kind, throws a
// ForklabError with a message, and the machine is exactly as it was.
import { describe, it, expect } from "vitest";
import { Forklab, ForklabError, bundledProgram } from "../../src/index.js";

const BAD_NUMBERS: unknown[] = [NaN, Infinity, -Infinity, 1.5, -1, 2 ** 53, "1", null, {}, [], true, 10n, undefined];
const BAD_OBJECTS: unknown[] = [null, 12, "x", [], true, () => 0];

interface Machine { fl: Forklab; bare: number; prog: number; buf: number }

function machine(): Machine {
  const fl = new Forklab({ physBytes: 16 << 20, trace: true });
  const bare = fl.spawn({ uid: 1000 }).pid;
  const prog = fl.spawn({ image: bundledProgram("spawn"), argv: ["spawn"] }).pid;
  fl.run({ ticks: 2 });
  const buf = fl.userAlloc(bare, 4096);
  return { fl, bare, prog, buf };
}

/** Everything observable: processes, LWPs, counters, memory, time, messages, the trace hash. */
function snapshot(fl: Forklab): string {
  return JSON.stringify({
    procs: fl.procs(), lwps: fl.procs().filter((p) => p.stat !== "SZOMB").map((p) => fl.lwps(p.pid)),
    counters: fl.counters(), memory: fl.memory(), ticks: fl.ticks, messages: fl.messages(), hash: fl.traceHash(),
  }, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

type Call = [string, (m: Machine) => unknown];

/** The calls, each with one bad argument. */
function calls(): Call[] {
  const out: Call[] = [];
  const add = (name: string, f: (m: Machine) => unknown) => out.push([name, f]);
  const any = (v: unknown) => v as never;
  for (const v of BAD_OBJECTS.filter((x) => x !== undefined)) add(`new Forklab(${String(v)})`, () => new Forklab(any(v)));
  add("new Forklab({bogus})", () => new Forklab(any({ bogus: 1 })));
  add("new Forklab({trace: 1})", () => new Forklab(any({ trace: 1 })));
  add("new Forklab({strategy: 'x'})", () => new Forklab(any({ strategy: "x" })));
  for (const key of ["physBytes", "hz", "ncpus", "maxproc", "seed", "randompid", "cpuHz", "sliceCycles", "vmSevereFrames"]) {
    for (const v of BAD_NUMBERS.filter((x) => x !== undefined)) add(`new Forklab({${key}: ${String(v)}})`, () => new Forklab(any({ [key]: v })));
  }
  for (const v of BAD_NUMBERS) {
    add(`proc(${String(v)})`, (m) => m.fl.proc(any(v)));
    add(`lwps(${String(v)})`, (m) => m.fl.lwps(any(v)));
    add(`mappings(${String(v)})`, (m) => m.fl.mappings(any(v)));
    add(`trapframe(${String(v)})`, (m) => m.fl.trapframe(any(v)));
    add(`uidProcs(${String(v)})`, (m) => m.fl.uidProcs(any(v)));
    add(`syscall(${String(v)}, getpid)`, (m) => m.fl.syscall(any(v), "getpid"));
    if (v !== -1) add(`syscall(bare, getpid, [${String(v)}])`, (m) => m.fl.syscall(m.bare, "getpid", [any(v)]));
    if (v !== undefined) add(`syscall({pid, tid: ${String(v)}})`, (m) => m.fl.syscall({ pid: m.bare, tid: any(v) }, "getpid"));
    add(`result(${String(v)})`, (m) => m.fl.result(any(v)));
    add(`signal(bare, ${String(v)})`, (m) => m.fl.signal(m.bare, any(v)));
    add(`signal(${String(v)}, 9)`, (m) => m.fl.signal(any(v), 9));
    add(`userAlloc(bare, ${String(v)})`, (m) => m.fl.userAlloc(m.bare, any(v)));
    add(`readUser(bare, buf, ${String(v)})`, (m) => m.fl.readUser(m.bare, m.buf, any(v)));
    add(`readUser(bare, ${String(v)}, 4)`, (m) => m.fl.readUser(m.bare, any(v), 4));
    add(`writeUser(bare, ${String(v)}, bytes)`, (m) => m.fl.writeUser(m.bare, any(v), new Uint8Array(4)));
    if (v !== -1) add(`writeWord(bare, buf, ${String(v)})`, (m) => m.fl.writeWord(m.bare, m.buf, any(v)));
    add(`sysctlSet(kern.maxproc, ${String(v)})`, (m) => m.fl.sysctlSet("kern.maxproc", any(v)));
    if (v !== undefined) add(`spawn({uid: ${String(v)}})`, (m) => m.fl.spawn({ uid: any(v) }));
    if (v !== undefined) add(`spawn({nprocLimit: ${String(v)}})`, (m) => m.fl.spawn({ nprocLimit: any(v) }));
    if (v !== undefined) add(`run({ticks: ${String(v)}})`, (m) => m.fl.run({ ticks: any(v) }));
    if (v !== undefined && typeof v !== "number") add(`run({seconds: ${String(v)}})`, (m) => m.fl.run({ seconds: any(v) }));
  }
  for (const v of [8, -1, NaN, 0, "3"]) add(`userAlloc(bare, 4096, ${String(v)})`, (m) => m.fl.userAlloc(m.bare, 4096, any(v)));
  for (const v of [65537, 1 << 30, -1]) add(`readUser(bare, buf, ${v})`, (m) => m.fl.readUser(m.bare, m.buf, v));
  for (const v of [null, "text", [1, 2], 12, new Uint16Array(2)]) {
    add(`writeUser(bare, buf, ${String(v)})`, (m) => m.fl.writeUser(m.bare, m.buf, any(v)));
    add(`installFile(/x, ${String(v)})`, (m) => m.fl.installFile("/x", any(v)));
  }
  add("writeUser past the end of the mapping", (m) => m.fl.writeUser(m.bare, m.buf, new Uint8Array(70000)));
  for (const v of BAD_OBJECTS) {
    add(`spawn(${String(v)})`, (m) => m.fl.spawn(any(v)));
    add(`run(${String(v)})`, (m) => m.fl.run(any(v)));
    add(`spawn({image: ${String(v)}})`, (m) => m.fl.spawn({ image: any(v) }));
    add(`registerProgram(/p, ${String(v)})`, (m) => m.fl.registerProgram("/p", any(v)));
  }
  add("run({until: 'x'})", (m) => m.fl.run({ until: any("x") }));
  add("run({ticks: 2**53})", (m) => m.fl.run({ ticks: 2 ** 53 }));
  add("run({seconds: 1e300})", (m) => m.fl.run({ seconds: 1e300 }));
  add("run({bogus: 1})", (m) => m.fl.run(any({ bogus: 1 })));
  add("spawn({comm: 12})", (m) => m.fl.spawn({ comm: any(12) }));
  add("spawn({argv: 'spawn'})", (m) => m.fl.spawn({ image: bundledProgram("spawn"), argv: any("spawn") }));
  add("spawn({argv: [1]})", (m) => m.fl.spawn({ image: bundledProgram("spawn"), argv: any([1]) }));
  add("spawn({envp: {}})", (m) => m.fl.spawn({ envp: any({}) }));
  add("spawn({bogus})", (m) => m.fl.spawn(any({ bogus: true })));
  add("spawn({image: name 12})", (m) => m.fl.spawn({ image: { ...bundledProgram("true"), name: any(12) } }));
  add("spawn({image: segment data 'x'})", (m) => m.fl.spawn({ image: { name: "x", entry: 0x8048000, segments: [{ vaddr: 0x8048000, memsz: 4, data: any("abcd"), prot: 5 }] } }));
  add("spawn({image: segment prot 9})", (m) => m.fl.spawn({ image: { name: "x", entry: 0x8048000, segments: [{ vaddr: 0x8048000, memsz: 4, data: new Uint8Array(4), prot: 9 }] } }));
  for (const code of ["toString", "constructor", "__proto__", "valueOf", "", "nosuch", 2 ** 32, -1, 1.5, NaN, null, {}]) {
    add(`syscall(bare, ${String(code)})`, (m) => m.fl.syscall(m.bare, any(code)));
  }
  add("syscall(bare, getpid, 'x')", (m) => m.fl.syscall(m.bare, "getpid", any("x")));
  add("syscall(bare, getpid, 9 args)", (m) => m.fl.syscall(m.bare, "getpid", [1, 2, 3, 4, 5, 6, 7, 8, 9]));
  add("syscall(bare, getpid, [2**32])", (m) => m.fl.syscall(m.bare, "getpid", [2 ** 32]));
  add("syscall(prog) (runs a program)", (m) => m.fl.syscall(m.prog, "getpid"));
  add("syscall(null)", (m) => m.fl.syscall(any(null), "getpid"));
  add("syscall([])", (m) => m.fl.syscall(any([]), "getpid"));
  add("syscall({pid: 'x'})", (m) => m.fl.syscall(any({ pid: "x" }), "getpid"));
  add("syscall(no such pid)", (m) => m.fl.syscall(99999, "getpid"));
  add("syscall({pid, tid: 7}) (no such tid)", (m) => m.fl.syscall({ pid: m.bare, tid: 7 }, "getpid"));
  for (const name of [12, null, "kern.nosuch", "toString", "vm.stats.vm.constructor", "vm.stats.vm.__proto__"]) {
    add(`sysctl(${String(name)})`, (m) => m.fl.sysctl(any(name)));
    add(`sysctlSet(${String(name)}, 1)`, (m) => m.fl.sysctlSet(any(name), 1));
  }
  add("sysctlSet(kern.nprocs) (read-only)", (m) => m.fl.sysctlSet("kern.nprocs" as never, 5));
  add("sysctlSet(kern.maxproc, 0)", (m) => m.fl.sysctlSet("kern.maxproc", 0));
  for (const t of ["nosuch", "toString", 12, null]) add(`on(${String(t)})`, (m) => m.fl.on(any(t), () => {}));
  for (const f of [null, "f", 12, {}]) add(`on(fork, ${String(f)})`, (m) => m.fl.on("fork", any(f)));
  add("traceHash() without trace", () => new Forklab({ physBytes: 4 << 20 }).traceHash());
  for (const p of [12, null, "", "rel/path", "/", "/a/../b", "/dir/"]) add(`installFile(${String(p)})`, (m) => m.fl.installFile(any(p), new Uint8Array(1)));
  add("installFile(mode 0o10000)", (m) => m.fl.installFile("/y", new Uint8Array(1), 0o10000));
  for (const p of [12, null, ""]) add(`registerProgram(${String(p)})`, (m) => m.fl.registerProgram(any(p), bundledProgram("true")));
  add("signal(bare, 9, tid 3)", (m) => m.fl.signal(m.bare, 9, 3));
  add("signal(bare, 65)", (m) => m.fl.signal(m.bare, 65));
  return out;
}

describe("the Node API refuses bad input with a ForklabError before anything changes", () => {
  it("every method, every kind of bad argument", () => {
    const m = machine();
    const before = snapshot(m.fl);
    const escaped: string[] = [];
    for (const [name, f] of calls()) {
      let thrown: unknown = undefined, returned = false;
      try { f(m); returned = true; } catch (e) { thrown = e; }
      if (returned) escaped.push(`${name}: returned normally`);
      else if (!(thrown instanceof ForklabError)) escaped.push(`${name}: threw ${(thrown as Error)?.constructor?.name}: ${String((thrown as Error)?.message ?? thrown)}`);
      else if (!(thrown.message.length > 10)) escaped.push(`${name}: no message`);
      const now = snapshot(m.fl);
      if (now !== before) { escaped.push(`${name}: changed the machine`); break; }
    }
    expect(escaped).toEqual([]);
    expect(calls().length).toBeGreaterThan(300);
  });

  it("the messages name what was wrong", () => {
    const m = machine();
    expect(() => m.fl.userAlloc(m.bare, 4096, 8)).toThrow(/prot must be an integer from 1 to 7, got 8/);
    expect(() => m.fl.run({ ticks: 2 ** 53 })).toThrow(/ticks must be an integer from 0 to/);
    expect(() => m.fl.spawn({ comm: 12 as never })).toThrow(/comm must be a string, got 12/);
    expect(() => m.fl.run({ until: "x" as never })).toThrow(/until must be a function, got "x"/);
    expect(() => new Forklab(null as never)).toThrow(/options must be an object, got null/);
    expect(() => m.fl.syscall(m.bare, "toString")).toThrow(/unknown syscall "toString"/);
    expect(() => m.fl.readUser(m.bare, m.buf, -1)).toThrow(/readUser: length must be an integer from 0 to/);
  });

  it("after a long run the clock and events still work (virtual time ends at 2^31 seconds)", () => {
    const fl = new Forklab({ physBytes: 4 << 20 });
    const max = 0x7FFFFFFF * 100 - fl.ticks;
    fl.run({ ticks: max });
    expect(fl.ticks).toBe(0x7FFFFFFF * 100);
    expect(() => fl.run({ ticks: 1 })).toThrow(/ticks must be an integer from 0 to 0/);
    const p = fl.spawn().pid;
    expect(fl.syscall(p, "fork").done).toBe(true);
  });
});
