// The new syscalls (console, pipes, select/poll, ioctl, fcntl, stat, memory, sysctl, TLS)
// with seeded random arguments — small and huge numbers, -1, addresses in and out of the
// map — on bare processes that also fork and exit: every call must end in a result or a
// sleep, never in a thrown error or a kernel panic, and the frame accounting must stay
// whole (every process's frames come back when it is gone).
import { describe, it, expect } from "vitest";
import { Forklab, ForklabError } from "../../src/index.js";

const CALLS = [
  "read", "write", "readv", "writev", "pipe", "ioctl", "fcntl", "select", "poll", "fstat", "stat", "lstat",
  "break", "mmap", "munmap", "mprotect", "minherit", "madvise", "__sysctl", "set_tls_area", "get_tls_area",
  "getdtablesize", "issetugid", "getpgid", "getlogin", "sched_yield", "close", "dup2", "fork", "open",
] as const;

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe("random arguments to the I/O and memory syscalls", () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}: results or sleeps, no panic; frames all come back`, () => {
      const fl = new Forklab({ physBytes: 16 << 20, strategy: seed % 2 ? "cow" : "copy", seed });
      const rnd = prng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
      const free0 = fl.memory().framesFree;
      let awake: number[] = [];
      const buffers = new Map<number, number>();
      const word = (pid: number): number => pick([
        0, 1, 2, 3, 4, 5, 8, 16, 100, 4096, 65536, -1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xBFBFF000, 0x20000000,
        buffers.get(pid)!, buffers.get(pid)! + 4090, 0x402C7413, 0x4004667F, 0x8004667E, 0x1002, 0x1001,
        Math.floor(rnd() * 2 ** 32),
      ]);
      for (let i = 0; i < 5; i++) {
        const p = fl.spawn({ uid: i % 2 ? 1000 : 0 });
        buffers.set(p.pid, fl.userAlloc(p.pid, 8192));
        awake.push(p.pid);
      }
      for (let n = 0; n < 2500 && awake.length; n++) {
        const pid = pick(awake);
        const call = pick(CALLS);
        const args = Array.from({ length: 8 }, () => word(pid));
        let r;
        try {
          r = fl.syscall(pid, call, args);
        } catch (e) {
          // The API refuses a process that unmapped its own stack, or that a signal killed
          // (SIGPIPE, SIGSYS): fine, as long as the kernel did not panic.
          expect(e).toBeInstanceOf(ForklabError);
          expect(String(e)).not.toMatch(/panic/);
          awake = awake.filter((x) => x !== pid);
          continue;
        }
        if (!r.done) { awake = awake.filter((x) => x !== pid); continue; }
        if (call === "fork" && r.error === 0 && awake.length < 12) {
          const child = r.rv[0];
          buffers.set(child, buffers.get(pid)!);
          awake.push(child);
        }
      }
      expect(fl.panicked).toBeNull();
      // Everyone goes: the sleepers are killed, the rest exit; init reaps them all.
      for (const p of fl.procs()) if (p.pid > 1 && p.stat !== "SZOMB") fl.signal(p.pid, 9);
      fl.run({ ticks: 20 });
      expect(fl.panicked).toBeNull();
      expect(fl.procs().map((p) => p.pid)).toEqual([0, 1]);
      expect(fl.memory().framesFree).toBe(free0);
    });
  }
});
