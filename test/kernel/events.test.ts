import { describe, expect, it } from "vitest";
import { EventBus, Fnv1a64, type EventInput, type KernelEvent } from "../../src/kernel/events.js";

function fnv(s: string): string {
  const h = new Fnv1a64();
  for (const b of Buffer.from(s, "utf8")) h.byte(b);
  return h.hex();
}

function run(events: EventInput[], trace = true): EventBus {
  let tick = 0;
  const bus = new EventBus({ clock: () => tick++, trace });
  for (const e of events) bus.emit({ ...e });
  return bus;
}

const forkEv: EventInput = { type: "fork", parent: 1, child: 2, flags: 0x30, tid: 0 };
const sleepEv: EventInput = { type: "sleep", pid: 2, tid: 0, wmesg: "ppwait", timo: 0 };

describe("EventBus", () => {
  it("costs nothing when nobody listens: wants() is false, emit reads no clock and calls nothing", () => {
    let clockReads = 0;
    const bus = new EventBus({ clock: () => { clockReads++; return 5; } });
    expect(bus.enabled).toBe(false);
    expect(bus.wants("fork")).toBe(false);
    bus.emit({ ...forkEv });
    expect(clockReads).toBe(0);
  });

  it("stamps each delivered event with the virtual tick of the clock", () => {
    let tick = 100;
    const bus = new EventBus({ clock: () => tick });
    const seen: KernelEvent[] = [];
    bus.on("*", (e) => seen.push(e));
    bus.emit({ ...forkEv });
    tick = 150;
    bus.emit({ type: "kprintf", text: "hello\n" });
    expect(seen.map((e) => [e.type, e.tick])).toEqual([["fork", 100], ["kprintf", 150]]);
  });

  it("a typed listener gets only its type; '*' gets all; type listeners run before '*' listeners, each in order added", () => {
    const bus = new EventBus({ clock: () => 0 });
    const log: string[] = [];
    bus.on("*", (e) => log.push(`all:${e.type}`));
    bus.on("sleep", (e) => log.push(`sleep1:${e.wmesg}`));
    bus.on("sleep", (e) => log.push(`sleep2:${e.timo}`));
    expect(bus.wants("sleep")).toBe(true);
    expect(bus.wants("fork")).toBe(true); // "*" listens to everything
    bus.emit({ ...sleepEv });
    bus.emit({ ...forkEv });
    expect(log).toEqual(["sleep1:ppwait", "sleep2:0", "all:sleep", "all:fork"]);
  });

  it("wants(type) is true only for types someone listens to, and off / the returned function stop delivery", () => {
    const bus = new EventBus({ clock: () => 0 });
    const got: string[] = [];
    const fn = (e: KernelEvent<"limit">) => got.push(`${e.which}:${e.uid}:${e.printed}`);
    const stop = bus.on("limit", fn);
    expect(bus.wants("limit")).toBe(true);
    expect(bus.wants("fork")).toBe(false);
    bus.emit({ type: "limit", pid: 7, uid: 1001, which: "nproc", printed: true });
    stop();
    expect(bus.wants("limit")).toBe(false);
    expect(bus.enabled).toBe(false);
    bus.emit({ type: "limit", pid: 7, uid: 1001, which: "nproc", printed: false });
    bus.off("limit", fn); // not registered any more: no effect
    expect(got).toEqual(["nproc:1001:true"]);
  });

  it("a listener added or removed during an emit does not change who gets that event", () => {
    const bus = new EventBus({ clock: () => 0 });
    const log: string[] = [];
    const late = () => log.push("late");
    let stopSecond = () => {};
    bus.on("fork", () => { log.push("first"); bus.on("fork", late); stopSecond(); });
    stopSecond = bus.on("fork", () => log.push("second"));
    bus.emit({ ...forkEv });
    expect(log).toEqual(["first", "second"]);
    bus.emit({ ...forkEv });
    expect(log).toEqual(["first", "second", "first", "late"]);
  });

  it("a listener's exception reaches the emitter", () => {
    const bus = new EventBus({ clock: () => 0 });
    bus.on("exit", () => { throw new Error("listener failed"); });
    expect(() => bus.emit({ type: "exit", pid: 3, status: 0, parent: 1 })).toThrow("listener failed");
  });

  it("rejects an unknown event type and a non-function listener", () => {
    const bus = new EventBus({ clock: () => 0 });
    expect(() => bus.on("nosuch" as "fork", () => {})).toThrow(/unknown event type/);
    expect(() => bus.on("fork", 42 as unknown as () => void)).toThrow(/must be a function/);
  });
});

describe("trace hash", () => {
  it("Fnv1a64 is 64-bit FNV-1a (published test vectors)", () => {
    expect(fnv("")).toBe("cbf29ce484222325");
    expect(fnv("a")).toBe("af63dc4c8601ec8c");
    expect(fnv("foobar")).toBe("85944171f73967e8");
  });

  it("is available with no listener when tracing is on, and identical for identical event sequences", () => {
    const a = run([forkEv, sleepEv, { type: "kprintf", text: "é" }]);
    const b = run([forkEv, sleepEv, { type: "kprintf", text: "é" }]);
    expect(a.enabled).toBe(true);
    expect(a.wants("fault")).toBe(true);
    expect(a.traceCount).toBe(3);
    expect(a.traceHash()).toMatch(/^[0-9a-f]{16}$/);
    expect(a.traceHash()).toBe(b.traceHash());
  });

  it("changes with any field, the order of events, or the tick", () => {
    const base = run([forkEv, sleepEv]).traceHash();
    expect(run([{ ...forkEv, flags: 0x31 }, sleepEv]).traceHash()).not.toBe(base);
    expect(run([sleepEv, forkEv]).traceHash()).not.toBe(base);
    let tick = 1; // the same events one tick later
    const shifted = new EventBus({ clock: () => tick++, trace: true });
    shifted.emit({ ...forkEv });
    shifted.emit({ ...sleepEv });
    expect(shifted.traceHash()).not.toBe(base);
  });

  it("keeps field boundaries: moving characters between two string fields changes the hash", () => {
    const x = run([{ type: "exec", pid: 1, name: "ab", argc: 1 }]).traceHash();
    const y = run([{ type: "wakeup", pid: 1, tid: 0, wmesg: "ab", result: 0 }]).traceHash();
    const p = run([{ type: "lock", pid: 1, tid: 0, lock: "ab", sharecount: 1, exclusive: false }]).traceHash();
    const q = run([{ type: "lock", pid: 1, tid: 0, lock: "a", sharecount: 1, exclusive: false }]).traceHash();
    expect(new Set([x, y, p, q]).size).toBe(4);
  });

  it("hashes before listeners run, so a listener that mutates the event cannot change it", () => {
    const quiet = run([forkEv]).traceHash();
    const bus = new EventBus({ clock: () => 0, trace: true });
    bus.on("fork", (e) => { e.child = 999; });
    bus.emit({ ...forkEv });
    expect(bus.traceHash()).toBe(quiet);
  });

  it("negative numbers and large addresses hash as 64-bit integers", () => {
    const a = run([{ type: "signal", pid: 4, tid: -1, sig: 9 }]).traceHash();
    const b = run([{ type: "signal", pid: 4, tid: 0xFFFFFFFF, sig: 9 }]).traceHash();
    expect(a).not.toBe(b);
    expect(run([{ type: "fault", pid: 4, va: 0xBFBFF000, err: 7, resolved: true }]).traceCount).toBe(1);
  });

  it("refuses malformed fields when tracing (non-integer, wrong type, value outside an enum) and leaves the hash as it was", () => {
    const bus = new EventBus({ clock: () => 0, trace: true });
    const before = bus.traceHash();
    expect(() => bus.emit({ type: "fork", parent: 1.5, child: 2, flags: 0, tid: 0 })).toThrow(/fork.parent must be a safe integer/);
    expect(() => bus.emit({ type: "limit", pid: 1, uid: 0, which: "bogus" as "nproc", printed: true })).toThrow(/maxproc \| nproc/);
    expect(() => bus.emit({ type: "limit", pid: 1, uid: 0, which: "nproc", printed: 1 as unknown as boolean })).toThrow(/must be a boolean/);
    expect(bus.traceCount).toBe(0);
    expect(bus.traceHash()).toBe(before);
    const fresh = new EventBus({ clock: () => 0, trace: true });
    bus.emit({ ...forkEv });
    fresh.emit({ ...forkEv });
    expect(bus.traceHash()).toBe(fresh.traceHash());
  });

  it("traceHash throws when the bus was made without tracing", () => {
    expect(() => run([forkEv], false).traceHash()).toThrow(/tracing is off/);
  });
});
