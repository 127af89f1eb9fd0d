// Every bundled program run end to end in the emulator, under every fork strategy
// ("cow", "copy" and "share-pt"), to the outcome docs/programs.md promises.
//
// How an exit status is read: each program is started with Forklab.spawn, which makes
// it a child of init. exit1 emits an "exit" event carrying the wait status it leaves in
// p_xstat (W_EXITCODE(code, signal): code << 8 | signal) — exactly what a parent's
// wait4 would get — and init then reaps the zombie. So the tests listen to "exit"
// events, keyed by pid, and run the clock until the spawned pid's event has come.
import { describe, it, expect } from "vitest";
import { Forklab } from "../../src/index.js";
import type { KernelOptions, KernelEvent, EventType } from "../../src/index.js";
import { bundledProgram, installBundled } from "../../src/user/programs.js";
import { RFPROC, RFMEM, RFCFDG, RFPGLOCK, SIGKILL } from "../../src/kernel/param.js";
import { EAGAIN, EBADF } from "../../src/kernel/errno.js";

const STRATEGIES = ["cow", "copy", "share-pt"] as const;
const UID = 1000;

/** A machine with the bundled programs in /bin and a record of chosen events. */
class Lab {
  readonly fl: Forklab;
  readonly exits = new Map<number, number>();
  readonly events: KernelEvent[] = [];
  readonly framesAtStart: number;
  constructor(opts: KernelOptions, record: EventType[] = []) {
    this.fl = new Forklab(opts);
    installBundled(this.fl);
    this.fl.on("exit", (e) => this.exits.set(e.pid, e.status));
    for (const t of record) this.fl.on(t, (e) => this.events.push(e as KernelEvent));
    this.framesAtStart = this.fl.memory().framesFree;
  }
  /** Spawns a bundled program as uid 1000; returns its pid. */
  spawn(name: string, args: string[] = []): number {
    return this.fl.spawn({ image: bundledProgram(name), argv: [name, ...args], uid: UID }).pid;
  }
  /** Runs until pid has exited (at most `seconds` of virtual time); its wait status. */
  waitExit(pid: number, seconds = 60): number {
    this.fl.run({ seconds, until: () => this.exits.has(pid) });
    const st = this.exits.get(pid);
    if (st === undefined) throw new Error(`pid ${pid} did not exit within ${seconds} virtual seconds`);
    return st;
  }
  of<T extends EventType>(type: T): Extract<KernelEvent, { type: T }>[] {
    return this.events.filter((e) => e.type === type) as Extract<KernelEvent, { type: T }>[];
  }
  /** Live (non-zombie) processes of uid 1000. */
  userProcs(): number[] {
    return this.fl.procs().filter((p) => p.uid === UID && p.stat !== "SZOMB").map((p) => p.pid);
  }
  /** SIGKILLs every process of uid 1000 until none is left, and lets init reap them. */
  killAll(): void {
    for (let round = 0; round < 100; round++) {
      const live = this.userProcs();
      if (live.length === 0) break;
      for (const pid of live) this.fl.signal(pid, SIGKILL);
      this.fl.run({ seconds: 2 });
    }
    this.fl.run({ seconds: 2 });
  }
  /** Everything is gone: only proc0 and init, and every frame is free again. */
  expectClean(): void {
    expect(this.fl.procs().map((p) => p.pid)).toEqual([0, 1]);
    expect(this.fl.sysctl("kern.nprocs")).toBe(2);
    expect(this.fl.memory().framesFree).toBe(this.framesAtStart);
  }
}

/** The lwps of every process whose last syscall was a fork that failed with EAGAIN. */
function failedForks(lab: Lab): number {
  let n = 0;
  for (const lp of lab.fl.kernel.lwps.values()) {
    const s = lp.lastSyscall;
    if (s && s.code === 2 && s.error === EAGAIN) n++;
  }
  return n;
}

describe.each(STRATEGIES)("strategy %s", (strategy) => {
  it("forkbomb saturates at maxproc - 10 for a non-root user, with EAGAIN and limit events, until killed", () => {
    const lab = new Lab({ strategy, maxproc: 64 }, ["fork", "limit"]);
    let peak = 0;
    lab.fl.on("fork", () => { peak = Math.max(peak, lab.fl.kernel.nprocs); });
    const pid = lab.spawn("forkbomb");
    lab.fl.run({ seconds: 5 });
    // proc0 + init + 52 bombs = 54 = maxproc - 10: a non-root user may not take the last ten.
    expect(lab.fl.sysctl("kern.nprocs")).toBe(64 - 10);
    expect(peak).toBe(54);
    expect(lab.of("fork").filter((e) => e.parent !== 1).length).toBe(52 - 1); // every bomb but the first, spawned from init
    expect(lab.userProcs().length).toBe(52);
    expect(lab.fl.proc(pid).stat).toBe("SACTIVE");
    const limits = lab.of("limit");
    expect(limits.length).toBeGreaterThan(52);
    expect(limits.every((e) => e.which === "maxproc" && e.uid === UID)).toBe(true);
    expect(limits.filter((e) => e.printed).length).toBeGreaterThan(0);
    expect(lab.fl.messages()).toContain(`maxproc limit exceeded by uid ${UID}, please see tuning(7) and login.conf(5).\n`);
    expect(failedForks(lab)).toBeGreaterThan(0);
    // More time changes nothing: the bombs sleep in "fork" half a second per refusal.
    lab.fl.run({ seconds: 5 });
    expect(lab.fl.sysctl("kern.nprocs")).toBe(54);
    expect(lab.exits.size).toBe(0);
    lab.killAll();
    expect([...lab.exits.values()].every((s) => s === SIGKILL)).toBe(true);
    lab.expectClean();
  });

  it("bashbomb saturates at maxproc - 10, its refused processes exit 1, and it burns out", () => {
    const lab = new Lab({ strategy, maxproc: 64 }, ["fork", "limit", "reap"]);
    let peak = 0;
    lab.fl.on("fork", () => { peak = Math.max(peak, lab.fl.kernel.nprocs); });
    lab.spawn("bashbomb");
    const r = lab.fl.run({ seconds: 60 });
    expect(peak).toBe(54);
    expect(lab.of("limit").length).toBeGreaterThan(0);
    const statuses = [...lab.exits.values()];
    expect(statuses.every((s) => s === 0 || s === 1 << 8)).toBe(true);
    expect(statuses.filter((s) => s === 1 << 8).length).toBeGreaterThan(0); // a refused fork: exit(1)
    expect(statuses.filter((s) => s === 0).length).toBeGreaterThan(0);      // both forks done: exit(0)
    // Every process ends, by its own exit, and init reaps them all: the bomb burns out.
    expect(r.stop).toBe("idle");
    expect(lab.of("reap").length).toBe(lab.exits.size);
    expect(lab.exits.size).toBe(lab.of("fork").length); // every process forked (the first from init) exited
    lab.expectClean();
  });

  it("spawn N forks, reaps and exits 0 after exactly N loops", () => {
    const lab = new Lab({ strategy }, ["fork", "reap"]);
    const pid = lab.spawn("spawn", ["25"]);
    expect(lab.waitExit(pid)).toBe(0);
    const forks = lab.of("fork").filter((e) => e.parent === pid);
    const reaps = lab.of("reap").filter((e) => e.by === pid);
    expect(forks.length).toBe(25);
    expect(reaps.length).toBe(25);
    expect(reaps.map((e) => e.pid)).toEqual(forks.map((e) => e.child));
    expect(reaps.every((e) => e.status === 0)).toBe(true);
    expect(lab.fl.counters().v_forks).toBe(25 + 1); // + the spawn from init
    lab.fl.run({ seconds: 1 });
    lab.expectClean();
  });

  it("spawn without a count loops until killed, every fork matched by a reap", () => {
    const lab = new Lab({ strategy }, ["fork", "reap"]);
    const pid = lab.spawn("spawn");
    lab.fl.run({ seconds: 0.1 });
    const forks = lab.of("fork").filter((e) => e.parent === pid).length;
    const reaps = lab.of("reap").filter((e) => e.by === pid).length;
    expect(forks).toBeGreaterThan(100);
    expect(reaps === forks || reaps === forks - 1).toBe(true); // at most one child in flight
    expect(lab.exits.has(pid)).toBe(false);
    lab.killAll();
    expect(lab.exits.get(pid)).toBe(SIGKILL);
    lab.expectClean();
  });

  it("spawn 0 exits 0 without forking; a count that is not a decimal number exits 2", () => {
    const lab = new Lab({ strategy }, ["fork"]);
    expect(lab.waitExit(lab.spawn("spawn", ["0"]))).toBe(0);
    expect(lab.waitExit(lab.spawn("spawn", ["12x"]))).toBe(2 << 8);
    expect(lab.waitExit(lab.spawn("spawn", [""]))).toBe(2 << 8);
    expect(lab.of("fork").length).toBe(3); // the three spawns from init
  });

  it("threads: lwp_create until no kernel stack is left, then exit status EAGAIN", () => {
    for (const physBytes of [1 << 20, 2 << 20]) { // out of frames; out of thread slots
      const lab = new Lab({ strategy, physBytes }, ["lwp_create", "fork"]);
      let peak = 0;
      const pid = lab.spawn("threads");
      lab.fl.on("lwp_create", (e) => { if (e.pid === pid) peak = Math.max(peak, lab.fl.kernel.lwpsOf(lab.fl.kernel.procs.pidhash.get(pid)!).length); });
      expect(lab.waitExit(pid)).toBe(EAGAIN << 8);
      const created = lab.of("lwp_create").filter((e) => e.pid === pid);
      expect(created.length).toBeGreaterThan(10);
      expect(peak).toBe(created.length + 1); // every new LWP stayed alive (asleep in wait4) until the end
      // The spinning helper child was killed by the main thread.
      const child = lab.of("fork").find((e) => e.parent === pid)!.child;
      expect(lab.exits.get(child)).toBe(SIGKILL);
      lab.fl.run({ seconds: 1 });
      lab.expectClean();
    }
  });

  it("rfork-mem exits 1 (the child's store is shared), fork-mem exits 0 (isolated)", () => {
    const lab = new Lab({ strategy }, ["fork"]);
    const shared = lab.spawn("rfork-mem");
    expect(lab.waitExit(shared)).toBe(1 << 8);
    const f = lab.of("fork").find((e) => e.parent === shared)!;
    expect(f.flags >>> 0).toBe((RFPROC | RFMEM | RFPGLOCK) >>> 0);
    expect(lab.exits.get(f.child)).toBe(0);
    const isolated = lab.spawn("fork-mem");
    expect(lab.waitExit(isolated)).toBe(0);
    const g = lab.of("fork").find((e) => e.parent === isolated)!;
    expect(lab.exits.get(g.child)).toBe(0);
    expect(lab.fl.counters().v_rforks).toBe(1);
    lab.fl.run({ seconds: 1 });
    lab.expectClean();
  });

  it("rfork-cfdg: the child's empty descriptor table gives EBADF, passed on as the exit status", () => {
    const lab = new Lab({ strategy }, ["fork"]);
    const pid = lab.spawn("rfork-cfdg");
    expect(lab.waitExit(pid)).toBe(EBADF << 8);
    const f = lab.of("fork").find((e) => e.parent === pid)!;
    expect(f.flags >>> 0).toBe((RFPROC | RFCFDG | RFPGLOCK) >>> 0);
    expect(lab.exits.get(f.child)).toBe(EBADF << 8);
    expect(typeof lab.fl.kernel.vfs.lookup("/tmp/rfork-cfdg")).not.toBe("number");
  });

  it("vfork-exec: the parent sleeps in ppwait until the child execs /bin/true, then exits 0", () => {
    const lab = new Lab({ strategy }, ["fork", "sleep", "wakeup", "exec"]);
    const pid = lab.spawn("vfork-exec");
    expect(lab.waitExit(pid)).toBe(0);
    const f = lab.of("fork").find((e) => e.parent === pid)!;
    expect(f.flags >>> 0).toBe(0xC0000034); // RFFDG|RFPROC|RFPPWAIT|RFMEM|RFPGLOCK
    const ppwait = lab.of("sleep").filter((e) => e.pid === pid && e.wmesg === "ppwait");
    expect(ppwait.length).toBe(1);
    const exec = lab.of("exec").find((e) => e.pid === f.child)!;
    expect(exec).toMatchObject({ name: "true", argc: 1 });
    const woke = lab.of("wakeup").find((e) => e.pid === pid && e.wmesg === "ppwait")!;
    expect(woke.tick).toBeGreaterThanOrEqual(exec.tick);
    expect(lab.exits.get(f.child)).toBe(0);
    expect(lab.fl.counters().v_vforks).toBe(1);
    lab.fl.run({ seconds: 1 });
    lab.expectClean();
  });

  for (const pages of [16, 64]) {
    it(`cow-touch ${pages}: ${strategy !== "copy" ? "one copy-on-write fault per page the child writes" : "no faults: the fork copied every page"}`, () => {
      const lab = new Lab({ strategy }, ["fork", "fault"]);
      const pid = lab.spawn("cow-touch", pages === 16 ? [] : [String(pages)]);
      expect(lab.waitExit(pid)).toBe(0);
      const child = lab.of("fork").find((e) => e.parent === pid)!.child;
      expect(lab.exits.get(child)).toBe(0);
      const bss = bundledProgram("cow-touch").segments.find((s) => s.prot & 2)!;
      const inBss = lab.of("fault").filter((e) => e.pid === child && e.va >= bss.vaddr && e.va < bss.vaddr + bss.memsz);
      if (strategy !== "copy") { // share-pt: the first fault copies the page table too
        expect(inBss.length).toBe(pages);
        expect(inBss.every((e) => e.resolved && (e.err & 2) !== 0)).toBe(true); // write faults, all resolved
        expect(new Set(inBss.map((e) => e.va >>> 12)).size).toBe(pages);      // one per page
        expect(lab.fl.counters().v_cow_faults).toBeGreaterThanOrEqual(pages);
        expect(lab.fl.kernel.core.stat("pagesCopied")).toBeGreaterThanOrEqual(pages);
      } else {
        expect(inBss.length).toBe(0);
        expect(lab.fl.counters().v_cow_faults).toBe(0);
      }
      lab.fl.run({ seconds: 1 });
      lab.expectClean();
    });
  }

  it("cow-touch refuses a page count of 0 or above 256 with exit status 2", () => {
    const lab = new Lab({ strategy });
    expect(lab.waitExit(lab.spawn("cow-touch", ["0"]))).toBe(2 << 8);
    expect(lab.waitExit(lab.spawn("cow-touch", ["257"]))).toBe(2 << 8);
    expect(lab.waitExit(lab.spawn("cow-touch", ["256"]))).toBe(0);
  });

  it("true exits 0", () => {
    const lab = new Lab({ strategy });
    expect(lab.waitExit(lab.spawn("true"))).toBe(0);
  });
});
