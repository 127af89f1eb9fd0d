// Signal handlers running as real i386 code (DragonFly 2008, reference §4): the frame
// sendsig builds, the trampoline below ps_strings, the masks during and after the
// handler, nested signals, SA_SIGINFO / SA_NODEFER / SA_RESETHAND, and SA_RESTART
// against EINTR for wait4. The programs are test/kernel/sigprogs/*.S (committed builds in
// sigprogs/bin: SRC=test/kernel/sigprogs scripts/build-programs.sh test/kernel/sigprogs/bin).
import { describe, it, expect } from "vitest";
import { join, dirname } from "node:path";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import type { Forklab, ProgramImage, KernelEvent } from "../../src/index.js";
import { loadElfFile } from "../../src/user/host.js";
import { newLab, sigbit } from "./helpers.js";
import { SIGALRM, SIGUSR1, SIGUSR2 } from "../../src/kernel/param.js";
import { EINTR } from "../../src/kernel/errno.js";
import { SIGCODE, SIGCODE_VA, SIGFRAME_SIZE } from "../../src/kernel/sendsig.js";

const BIN = join(dirname(fileURLToPath(import.meta.url)), "sigprogs", "bin");
const SA_ONSTACK = 0x1, SA_RESTART = 0x2, SA_RESETHAND = 0x4, SA_NODEFER = 0x10, SA_SIGINFO = 0x40;

/** A program image with words of its .data set before it runs. */
function image(name: string, patch: Record<number, number> = {}): { img: ProgramImage; data: number } {
  const img = loadElfFile(join(BIN, name));
  const seg = img.segments.find((s) => s.prot & 2)!;
  const bytes = seg.data.slice();
  const dv = new DataView(bytes.buffer);
  for (const [off, v] of Object.entries(patch)) dv.setUint32(Number(off), v >>> 0, true);
  return { img: { ...img, segments: img.segments.map((s) => (s === seg ? { ...s, data: bytes } : s)) }, data: seg.vaddr };
}

// sig-catch's .data layout (see its source).
const COUNT = 0, KILLRET = 4, KILLCF = 8, MASKAFTER = 12, LOG = 16, ACT1 = 528, MODE = 576; // (act2 at 552)
const ENTRY = ["sig", "a2", "a3", "a4", "esp", "ret", "mask", "depth"] as const;
type Entry = Record<(typeof ENTRY)[number], number>;

function runCatch(patch: Record<number, number>, ticks = 3) {
  const fl = newLab();
  const { img, data } = image("sig-catch", patch);
  const p = fl.spawn({ image: img });
  fl.run({ ticks });
  const w = (off: number): number => fl.readWord(p.pid, data + off);
  const log: Entry[] = [];
  for (let i = 0; i < w(COUNT); i++) {
    log.push(Object.fromEntries(ENTRY.map((f, j) => [f, w(LOG + 32 * i + 4 * j)])) as Entry);
  }
  return { fl, pid: p.pid, w, log };
}

/** Word `i` of user memory at va. */
const word = (fl: Forklab, pid: number, va: number): number => fl.readWord(pid, va);
// ucontext: uc_sigmask @0, uc_mcontext @16 (mc_onstack, then the trapframe image, mc_len @84).
const MC = 16, MC_EIP = MC + 4 + 60, MC_CS = MC + 4 + 64, MC_EFLAGS = MC + 4 + 68, MC_ESP = MC + 4 + 72, MC_LEN = MC + 84;

describe("a caught signal runs its handler through the 2008 i386 frame (sendsig)", () => {
  it("the handler gets (sig, code, &sf_uc, sf_addr), is entered from the trampoline with [esp] = 0xBFBFFFD8, on a frame 820 bytes below the interrupted esp", () => {
    const { fl, pid, w, log } = runCatch({});
    expect(log.length).toBe(1);
    const e = log[0];
    expect(e.sig).toBe(SIGUSR1);
    expect(e.a2).toBe(0);           // code: 0 for a signal that is not a trap's
    expect(e.a4).toBe(2);           // sf_addr = tf_err: 2 after an int $0x80
    const frame = e.a3 - 20;         // &sf_uc = frame + 20
    expect(e.esp).toBe(frame - 4);   // call *16(%esp) pushed the return address
    expect(e.ret).toBe(SIGCODE_VA + 4);
    expect(e.ret).toBe(0xBFBFFFD8);
    expect(e.depth).toBe(1);
    // The saved context: the mask to restore, the interrupted esp (no alignment), mc_len.
    expect(word(fl, pid, frame)).toBe(SIGUSR1);            // sf_signum
    expect(word(fl, pid, frame + 16) >>> 0).toBeGreaterThan(0x08048000); // the handler
    expect(word(fl, pid, e.a3 + MC_ESP)).toBe(frame + SIGFRAME_SIZE);
    expect(word(fl, pid, e.a3 + MC_LEN)).toBe(672);
    expect(word(fl, pid, e.a3 + MC_CS)).toBe(0x1f);
    expect(word(fl, pid, e.a3 + 0)).toBe(0);                // uc_sigmask: the mask before
    // The trampoline exec put at PS_STRINGS - 28.
    expect(Array.from(fl.readUser(pid, SIGCODE_VA, SIGCODE.length))).toEqual(Array.from(SIGCODE));
    // The handler ran with SIGUSR1 masked; sigreturn put back the empty mask and kill's result.
    expect(e.mask).toBe(Number(sigbit(SIGUSR1)));
    expect(w(MASKAFTER)).toBe(0);
    expect([w(KILLRET), w(KILLCF)]).toEqual([0, 0]);
  });

  it("SA_SIGINFO: the second argument is &sf_si with si_signo, si_code and si_addr = tf_err; sf_addr stays 0", () => {
    const { fl, pid, log } = runCatch({ [ACT1 + 4]: SA_SIGINFO });
    const e = log[0], frame = e.a3 - 20;
    expect(e.a2).toBe(frame + 756);
    expect(e.a4).toBe(0);
    expect(word(fl, pid, e.a2)).toBe(SIGUSR1);      // si_signo
    expect(word(fl, pid, e.a2 + 8)).toBe(0);        // si_code
    expect(word(fl, pid, e.a2 + 12)).toBe(0);       // si_pid: left 0 in 2008
    expect(word(fl, pid, e.a2 + 24)).toBe(2);       // si_addr = tf_err
  });

  it("the handler's mask is the current one | sa_mask | the signal; SA_NODEFER leaves the signal out", () => {
    const withMask = runCatch({ [ACT1 + 8]: Number(sigbit(SIGUSR2)) });
    expect(withMask.log[0].mask).toBe(Number(sigbit(SIGUSR1) | sigbit(SIGUSR2)));
    const nodefer = runCatch({ [ACT1 + 4]: SA_NODEFER });
    expect(nodefer.log[0].mask).toBe(0);
    expect(nodefer.w(MASKAFTER)).toBe(0);
  });

  it("nested: a signal sent from inside a handler runs its own handler on top of the first's stack, then both return", () => {
    const { log, w } = runCatch({ [MODE]: 1 });
    expect(log.map((e) => [e.sig, e.depth])).toEqual([[SIGUSR1, 1], [SIGUSR2, 2]]);
    expect(log[1].esp).toBeLessThan(log[0].esp);
    expect(log[1].mask).toBe(Number(sigbit(SIGUSR1) | sigbit(SIGUSR2)));
    expect(w(MASKAFTER)).toBe(0);
  });

  it("a signal blocked by the first handler's sa_mask waits for its sigreturn, then runs at depth 1", () => {
    const { log, w } = runCatch({ [MODE]: 1, [ACT1 + 8]: Number(sigbit(SIGUSR2)) });
    expect(log.map((e) => [e.sig, e.depth])).toEqual([[SIGUSR1, 1], [SIGUSR2, 1]]);
    expect(log[1].mask).toBe(Number(sigbit(SIGUSR2)));  // the restored mask, plus SIGUSR2
    expect(w(MASKAFTER)).toBe(0);
  });

  it("SA_RESETHAND: the action is SIG_DFL once the handler is entered, the signal still masked in it", () => {
    const { fl, pid, log } = runCatch({ [ACT1 + 4]: SA_RESETHAND });
    expect(log[0].mask).toBe(Number(sigbit(SIGUSR1)));
    const ps = fl.kernel.procs.pidhash.get(pid)!.p_sigacts!;
    expect(ps.ps_sigact[SIGUSR1]).toBe(0);
    expect(ps.ps_sigcatch & sigbit(SIGUSR1)).toBe(0n);
    const exits: number[] = [];
    fl.on("exit", (e) => { if (e.pid === pid) exits.push(e.status); });
    fl.signal(pid, SIGUSR1); // now its default action: the process dies of it
    fl.run({ ticks: 2 });
    expect(exits).toEqual([SIGUSR1]);
  });

  it("SA_ONSTACK without an alternate stack enabled uses the normal stack", () => {
    const { log } = runCatch({ [ACT1 + 4]: SA_ONSTACK });
    expect(log[0].esp >>> 0).toBeGreaterThan(0xBF000000);
  });

  it("eflags in the frame are the interrupted ones; the handler runs with PSL_T and PSL_D cleared", () => {
    const { fl, pid, log } = runCatch({});
    expect(word(fl, pid, log[0].a3 + MC_EFLAGS) & 0x202).toBe(0x202);
    expect(word(fl, pid, log[0].a3 + MC_EIP) >>> 0).toBeGreaterThan(0x08048000);
  });
});

// sig-wait's .data layout.
const W_COUNT = 0, W_RET = 4, W_CF = 8, W_STATUS = 12, W_ACT = 16;

describe("SA_RESTART against EINTR: a SIGALRM handler interrupts the parent's wait4", () => {
  function runWait(flags: number) {
    const fl = newLab();
    const { img, data } = image("sig-wait", { [W_ACT + 4]: flags });
    const sigs: KernelEvent<"signal">[] = [];
    fl.on("signal", (e) => { if (e.sig === SIGALRM) sigs.push(e); });
    const forks: number[] = [];
    fl.on("fork", (e) => forks.push(e.child));
    const p = fl.spawn({ image: img });
    const start = fl.kernel.clock.ticks;
    fl.run({ ticks: 40 });
    const w = (off: number): number => fl.readWord(p.pid, data + off);
    return { fl, w, sigs, start, forks };
  }

  it("with SA_RESTART the handler runs and wait4 is issued again: it returns the child's pid and status 7 after the child's 200 ms", () => {
    const { w, sigs, forks } = runWait(SA_RESTART);
    expect(w(W_COUNT)).toBe(1);
    expect(w(W_CF)).toBe(0);
    expect(w(W_RET)).toBe(forks[forks.length - 1]);
    expect(w(W_STATUS)).toBe(7 << 8);
    expect(sigs.length).toBe(1);
  });

  it("without SA_RESTART wait4 returns EINTR (carry set) once the handler has run", () => {
    const { w } = runWait(0);
    expect(w(W_COUNT)).toBe(1);
    expect([w(W_RET), w(W_CF)]).toEqual([EINTR, 1]);
    expect(w(W_STATUS)).toBe(0);
  });

  it("SIGALRM comes tvtohz_high(50 ms) = 6 ticks after setitimer (hz 100: 5 ticks, plus one for the partial tick)", () => {
    const { sigs, fl } = runWait(SA_RESTART);
    const set = sigs[0].tick;
    expect(fl.hz).toBe(100);
    // The parent forked and armed the timer in its first tick (tick 1: boot took tick 0).
    expect(set).toBe(1 + 6);
  });
});

const asMissing = spawnSync("as", ["--version"]).status !== 0;

describe.skipIf(asMissing)("the trampoline's bytes against GNU as (skipped without binutils)", () => {
  it("SIGCODE is locore.s's sigcode assembled: call *SIGF_HANDLER(%esp); lea SIGF_UC(%esp); push; testl $PSL_VM, UC_EFLAGS(%eax); jne; mov $SYS_sigreturn; push; int $0x80; jmp .", () => {
    const dir = mkdtempSync(join(tmpdir(), "forklab-sigcode-"));
    try {
      writeFileSync(join(dir, "s.S"), [
        ".code32", "call *16(%esp)", "lea 20(%esp),%eax", "pushl %eax", "testl $0x20000,88(%eax)", "jne 1f",
        "1: movl $344,%eax", "pushl %eax", "int $0x80", "0: jmp 0b", "",
      ].join("\n"));
      const a = spawnSync("as", ["--32", "-o", join(dir, "s.o"), join(dir, "s.S")]);
      expect(a.status).toBe(0);
      const c = spawnSync("objcopy", ["-O", "binary", "-j", ".text", join(dir, "s.o"), join(dir, "s.bin")]);
      expect(c.status).toBe(0);
      expect(Array.from(readFileSync(join(dir, "s.bin")))).toEqual(Array.from(SIGCODE));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
