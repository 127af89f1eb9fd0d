// Kernel threads, kernel stacks, pcb, trapframe and the i386 half of fork (assembly/cpu.ts).
// Every kernel fact cited is from /work/shared/reference/dragonfly-i386-fork.md §3
// (pcb.h 1.12, frame.h 1.9, psl.h 1.3, vm_machdep.c 1.59, swtch.s 1.47, exception.s 1.32,
// trap.c 1.111, machdep.c 1.131).
import { describe, it, expect, beforeAll } from "vitest";
import { Core, CoreError, PCB_FIELDS, TF_FIELDS, i386 } from "../../src/core/index.js";
import { auditCore } from "../../src/kernel/invariants.js";

const KSTACK_AREA = 0xC0400000;
const FORK_TRAMPOLINE = 0xC0101000;
const FORK_RETURN = 0xC0101100;
const CPU_HEAVY_RESTORE = 0xC0101200;
const GENERIC_LWP_RETURN = 0xC0101300;
const RFPROC = 0x10;
const RFMEM = 0x20;
const PGEX_P = 1, PGEX_W = 2, PGEX_U = 4;
const EFAULT = 14, EINVAL = 22, ENOMEM = 12;

/** Reads a kernel word through pm's page tables, as a supervisor access. */
function kword(core: Core, pm: number, kva: number): number {
  const t = core.translate(pm, kva, 0);
  if (t.fault) throw new Error(`kernel address 0x${kva.toString(16)} faults (err ${t.err})`);
  return core.physWord(t.pa);
}

/** Every word of td's pcb (152) or trapframe (20). */
function pcbWords(core: Core, td: number): number[] {
  const out: number[] = [];
  for (let off = 0; off < 608; off += 4) out.push(core.x.pcb_get(td, off) >>> 0);
  return out;
}
function tfWords(core: Core, td: number): number[] {
  const out: number[] = [];
  for (let off = 0; off < 80; off += 4) out.push(core.x.tf_get(td, off) >>> 0);
  return out;
}

/** A parent thread with a distinctive pcb (every word, FPU area included) and trapframe. */
function dirtyParent(core: Core): number {
  const td = core.threadAlloc();
  expect(td).toBeGreaterThan(0);
  for (let off = 0; off < 608; off += 4) core.x.pcb_set(td, off, (0xA5000000 + off * 0x10101) | 0);
  const pcb = core.pcb(td);
  pcb.flags = 0x02;            // PCB_DBREGS (u_char at 576)
  pcb.onfault = 0xC0105555;
  for (let off = 0; off < 80; off += 4) core.x.tf_set(td, off, (0x5A000000 + off * 0x1111) | 0);
  const tf = core.trapframe(td);
  tf.eax = 2;                  // SYS_fork
  tf.edx = 0x12345678;
  tf.eflags = 0x203;           // PSL_USER | PSL_C
  tf.eip = 0x08048123;
  tf.esp = 0xBFBFE000;
  return td;
}

describe("structure layouts (reference §3.1, §3.2)", () => {
  it("struct pcb is 608 bytes with the pcb.h 1.12 offsets (cr3 0 ... eip 24, ldt 52, savefpu 64, flags 576, onfault 580, ext 588)", () => {
    expect(i386.SIZEOF_PCB).toBe(608);
    expect(PCB_FIELDS).toEqual({
      cr3: 0, edi: 4, esi: 8, ebp: 12, esp: 16, ebx: 20, eip: 24, dr0: 28, dr1: 32, dr2: 36,
      dr3: 40, dr6: 44, dr7: 48, ldt: 52, flags: 576, onfault: 580, ext: 588,
    });
    expect(i386.PCB_SAVEFPU).toBe(64);         // union savefpu, 16-byte aligned, 512 bytes
    expect(i386.PCB_SAVEFPU + 512).toBe(i386.PCB_FLAGS);
    expect(i386.PCB_SPARE).toBe(592);            // __pcb_spare[3], then 4 bytes of tail padding to 16-byte alignment
  });

  it("struct trapframe is 80 bytes starting at tf_gs, with tf_edx at 36, tf_eax at 44 and tf_xflags before tf_trapno (frame.h 1.9)", () => {
    expect(i386.SIZEOF_TRAPFRAME).toBe(80);
    expect(TF_FIELDS).toEqual({
      gs: 0, fs: 4, es: 8, ds: 12, edi: 16, esi: 20, ebp: 24, isp: 28, ebx: 32, edx: 36, ecx: 40,
      eax: 44, xflags: 48, trapno: 52, err: 56, eip: 60, cs: 64, eflags: 68, esp: 72, ss: 76,
    });
  });

  it("PSL_USER is 0x202 and the user selectors are LSEL(3,3)=0x1F and LSEL(5,3)=0x2F (psl.h 1.3, machdep.c 1.131)", () => {
    expect(i386.PSL_USER).toBe(0x202);
    expect(i386.PSL_C).toBe(1);
    expect(i386.PSL_T).toBe(0x100);
    expect(i386.GSEL_UCODE).toBe(0x1F);
    expect(i386.GSEL_UDATA).toBe(0x2F);
  });
});

describe("kernel threads and stacks (lwkt_alloc_thread, pmap_init_thread)", () => {
  let core: Core;
  beforeAll(() => { core = Core.create({ physBytes: 16 << 20, maxThreads: 64 }); });

  it("slot i's stack is at 0xC0400000 + i*16 KiB + 4 KiB; td_pcb = kstack+11680, md_regs = kstack+11584, td_sp = pcb-16 = kstack+11664 (pmap_init_thread)", () => {
    const a = core.threadAlloc();
    const b = core.threadAlloc();
    expect(a).toBe(1);
    expect(b).toBe(2);
    for (const td of [a, b]) {
      const ks = core.kstack(td);
      expect(ks).toBe(KSTACK_AREA + (td - 1) * 16384 + 4096);
      expect(core.threadPcb(td)).toBe(ks + 11680);
      expect(core.threadRegs(td)).toBe(ks + 11584);
      expect(core.threadSp(td)).toBe(ks + 11664);
      expect(core.threadPcb(td) - 16 - 80).toBe(core.threadRegs(td));
    }
    core.threadFree(a); core.threadFree(b);
  });

  it("a new thread's stack is zero-filled (lwkt_init_thread zeroes; kmem_alloc'd stack), even when its frames are reused", () => {
    const td = dirtyParent(core);
    core.threadFree(td);
    const td2 = core.threadAlloc();
    expect(pcbWords(core, td2).every((w) => w === 0)).toBe(true);
    expect(tfWords(core, td2).every((w) => w === 0)).toBe(true);
    core.threadFree(td2);
  });

  it("thread_alloc takes one frame (the stack's top page), thread_free returns it; freed slots are reused last-in first-out", () => {
    const before = core.framesFree();
    const used0 = core.threadsUsed();
    const tds = [core.threadAlloc(), core.threadAlloc(), core.threadAlloc()];
    expect(core.framesFree()).toBe(before - 3);
    expect(core.threadsUsed()).toBe(used0 + 3);
    core.threadFree(tds[0]);
    core.threadFree(tds[2]);
    expect(core.framesFree()).toBe(before - 1);
    expect(core.threadValid(tds[0])).toBe(false);
    expect(core.threadValid(tds[1])).toBe(true);
    expect(core.threadsUsed()).toBe(used0 + 1);
    expect(core.threadAlloc()).toBe(tds[2]);
    expect(core.threadAlloc()).toBe(tds[0]);
    for (const td of tds) core.threadFree(td);
    expect(core.framesFree()).toBe(before);
    expect(core.threadsUsed()).toBe(used0);
  });

  it("the pcb and trapframe words are the memory at td_pcb and md_regs (through the kernel page tables)", () => {
    const pm = core.pmapCreate();
    expect(pm).toBeGreaterThan(0);
    const td = core.threadAlloc();
    core.pcb(td).onfault = 0xC0DEF00D;
    core.trapframe(td).eip = 0x0804ABCD;
    expect(kword(core, pm, core.threadPcb(td) + 580)).toBe(0xC0DEF00D);
    expect(kword(core, pm, core.threadRegs(td) + 60)).toBe(0x0804ABCD);
    core.threadFree(td);
    core.pmapDestroy(pm);
  });

  it("the 12 KiB kernel stack's top page is mapped supervisor read/write in every address space (a user-mode access faults with P|U, a kernel access succeeds); the two pages below it are not present until the kernel writes there; the page below is an unmapped guard", () => {
    const early = core.pmapCreate();
    expect(early).toBeGreaterThan(0);
    const td = core.threadAlloc();
    const late = core.pmapCreate();
    expect(late).toBeGreaterThan(0);
    expect(core.enter(late, 0x1000, 3)).toBe(0);
    const forked = core.fork(late, "cow");
    expect(forked).toBeGreaterThan(0);
    const ks = core.kstack(td);
    for (const pm of [early, late, forked]) {
      for (let j = 0; j < 2; j++) expect(core.translate(pm, ks + j * 4096 + 0x10, PGEX_W)).toEqual({ fault: true, err: PGEX_W });
    }
    // The kernel writes below the top page: cpu_heavy_restore stores pcb_eip at pcb_esp,
    // pointed here into the first and then the second page.
    const free0 = core.framesFree();
    for (let j = 0; j < 2; j++) {
      core.cpuFork(td, td, early, RFPROC);
      core.pcb(td).esp = ks + j * 4096 + 0x10;
      expect(core.cpuSwitchin(td)).toBe(FORK_RETURN);
      expect(core.framesFree()).toBe(free0 - 1 - j);
      expect(kword(core, early, ks + j * 4096 + 0x10)).toBe(FORK_TRAMPOLINE);
    }
    for (const pm of [early, late, forked]) {
      const pas: number[] = [];
      for (let j = 0; j < 3; j++) {
        const va = ks + j * 4096 + 0x10;
        const r = core.translate(pm, va, 0);
        expect(r.fault).toBe(false);
        const w = core.translate(pm, va, PGEX_W);
        expect(w).toEqual(r);
        if (!r.fault) pas.push(r.pa - 0x10);
        expect(core.translate(pm, va, PGEX_U)).toEqual({ fault: true, err: PGEX_P | PGEX_U });
        expect(core.translate(pm, va, PGEX_U | PGEX_W)).toEqual({ fault: true, err: PGEX_P | PGEX_W | PGEX_U });
      }
      expect(new Set(pas).size).toBe(3);
      expect(core.translate(pm, ks - 4096, 0)).toEqual({ fault: true, err: 0 });
      expect(core.translate(pm, ks - 4, 0)).toEqual({ fault: true, err: 0 });
    }
    core.threadFree(td);
    expect(core.framesFree()).toBe(free0 + 1);
    // thread_free unmaps the stack (pmap_kremove).
    for (let j = 0; j < 3; j++) expect(core.translate(early, ks + j * 4096, 0)).toEqual({ fault: true, err: 0 });
    for (const pm of [early, late, forked]) core.pmapDestroy(pm);
  });

  it("thread_alloc that runs out of frames or of slots returns -ENOMEM and leaks nothing (small core)", () => {
    const small = Core.create({ physBytes: 1 << 20, maxThreads: 200 });
    // Frames run out first (100 left for 200 slots), then slots (all 200 with frames to spare).
    for (const burn of [small.framesFree() - 100, 0]) {
      const start = small.framesFree();
      const burned: number[] = [];
      while (burned.length < burn) burned.push(small.x.frame_alloc());
      const tds: number[] = [];
      for (;;) {
        const td = small.threadAlloc();
        if (td < 0) { expect(td).toBe(-ENOMEM); break; }
        tds.push(td);
      }
      expect(tds.length).toBe(burn > 0 ? 100 : 200);
      const left = small.framesFree();
      expect(left).toBe(burn > 0 ? 0 : start - 200);
      expect(small.threadAlloc()).toBe(-ENOMEM);
      expect(small.framesFree()).toBe(left);
      expect(small.threadsUsed()).toBe(tds.length);
      for (const td of tds) small.threadFree(td);
      for (const pa of burned) small.x.frame_unref(pa);
      expect(small.framesFree()).toBe(start);
      expect(small.threadsUsed()).toBe(0);
    }
    const few = Core.create({ physBytes: 1 << 20, maxThreads: 2 });
    const f0 = few.framesFree();
    expect(few.threadAlloc()).toBe(1);
    expect(few.threadAlloc()).toBe(2);
    expect(few.threadAlloc()).toBe(-ENOMEM);
    expect(few.framesFree()).toBe(f0 - 2);
    few.threadFree(1);
    expect(few.threadAlloc()).toBe(1);
  });

  it("takes more threads than the i386 kernel map has stacks for (64,768): past it a stack has its frames but no kernel mapping, and works the same", () => {
    const big = Core.create({ physBytes: 512 << 20 });
    const free0 = big.framesFree();
    expect(big.tables().kernelPts).toBe(253);
    const tds: number[] = [];
    for (let i = 0; i < 70000; i++) tds.push(big.threadAlloc());
    expect(tds[69999]).toBe(70000);
    expect(big.threadsUsed()).toBe(70000);
    expect(big.framesFree()).toBe(free0 - 70000);
    const pm = big.pmapCreate();
    const first = tds[0], past = tds[64768];
    // Thread 64,769's stack is at window slot 0's KVA, in a part of the kernel map i386 cannot address.
    expect(big.kstack(past)).toBe(big.kstack(first));
    expect(big.threadRegs(past)).toBe(big.kstack(past) + 11584);
    // cpu_fork and the first switch-in, through the frames: from a mapped stack to one past the window.
    big.trapframe(first).eax = 1234;
    big.cpuFork(first, past, pm, RFPROC);
    expect(big.trapframe(past).eax).toBe(1234);
    expect(big.cpuSwitchin(past)).toBe(FORK_RETURN);
    expect(big.trapframe(past).eax).toBe(0);
    // A write to a lower page takes a frame, which no kernel PTE maps.
    big.cpuFork(past, past, pm, RFPROC);
    big.pcb(past).esp = big.kstack(past) + 0x20;
    const f = big.framesFree();
    expect(big.cpuSwitchin(past)).toBe(FORK_RETURN);
    expect(big.framesFree()).toBe(f - 1);
    expect(big.translate(pm, big.kstack(past), 0)).toEqual({ fault: true, err: 0 }); // thread 1's lowest page: no frame
    auditCore(big);
    for (const td of tds) big.threadFree(td);
    big.pmapDestroy(pm);
    expect(big.framesFree()).toBe(free0);
    expect(big.threadsUsed()).toBe(0);
    auditCore(big);
  });
});

describe("cpu_fork (vm_machdep.c 1.59, reference §3.4 steps 2-10)", () => {
  let core: Core;
  let pm1: number, pm2: number, td1: number, td2: number;
  let parentPcb: number[], parentTf: number[];
  beforeAll(() => {
    core = Core.create({ physBytes: 16 << 20, maxThreads: 64 });
    pm1 = core.pmapCreate();
    pm2 = core.pmapCreate();
    td1 = dirtyParent(core);
    td2 = core.threadAlloc();
    parentPcb = pcbWords(core, td1);
    parentTf = tfWords(core, td1);
    if (pm2 > 0) core.cpuFork(td1, td2, pm2, RFPROC);
  });

  it("pcb_cr3 is the physical address of the child pmap's page directory (vtophys(pm_pdir))", () => {
    expect(pm2).toBeGreaterThan(0);
    expect(core.pcb(td2).cr3).toBe(core.cr3(pm2));
    expect(core.pcb(td2).cr3).not.toBe(core.cr3(pm1));
  });

  it("the child's kernel registers: edi 0, esi = fork_return, ebp 0, esp = md_regs-4 = kstack+11580, ebx = lp2 (forklab's struct lwp * stand-in: td2's kstack KVA), eip = fork_trampoline", () => {
    const ks = core.kstack(td2);
    const pcb = core.pcb(td2);
    expect(pcb.edi).toBe(0);
    expect(pcb.esi).toBe(FORK_RETURN);
    expect(pcb.ebp).toBe(0);
    expect(pcb.esp).toBe(ks + 11580);
    expect(pcb.esp).toBe(core.threadRegs(td2) - 4);
    expect(pcb.ebx).toBe(ks);
    expect(pcb.eip).toBe(FORK_TRAMPOLINE);
    expect(pcb.ext).toBe(0);   // step 8: no private TSS
  });

  it("the whole 608-byte pcb is copied: pcb_flags, pcb_onfault, the FPU save area, debug registers and pcb_ldt come along (step 3)", () => {
    const child = pcbWords(core, td2);
    const written = new Set([0, 4, 8, 12, 16, 20, 24, 588].map((o) => o / 4));
    for (let i = 0; i < 152; i++) {
      if (!written.has(i)) expect(child[i], `pcb word at ${i * 4}`).toBe(parentPcb[i]);
    }
    expect(core.pcb(td2).flags).toBe(0x02);
    expect(core.pcb(td2).onfault).toBe(0xC0105555);
    expect(core.pcb(td2).ldt).toBe(parentPcb[52 / 4]);  // step 9: no LDTs modeled, left as copied
    expect(core.pcb(td2).dr7).toBe(parentPcb[48 / 4]);
    // The parent is untouched.
    expect(pcbWords(core, td1)).toEqual(parentPcb);
  });

  it("the parent's trapframe is copied to the child's md_regs unchanged (steps 4-5)", () => {
    expect(tfWords(core, td2)).toEqual(parentTf);
    expect(tfWords(core, td1)).toEqual(parentTf);
  });

  it("the switch-in frame: PSL_USER 0x202 at kstack+11576, &cpu_heavy_restore at kstack+11572 = td_sp (step 7)", () => {
    const ks = core.kstack(td2);
    expect(core.threadSp(td2)).toBe(ks + 11572);
    expect(kword(core, pm2, ks + 11576)).toBe(0x202);
    expect(kword(core, pm2, ks + 11572)).toBe(CPU_HEAVY_RESTORE);
    expect(kword(core, pm1, ks + 11572)).toBe(CPU_HEAVY_RESTORE); // the same kernel stack in every space
    expect(core.threadSp(td1)).toBe(core.kstack(td1) + 11664);      // the parent's td_sp is untouched
  });

  it("without RFPROC (rfork on the current process) cpu_fork does nothing and returns 0 (no user LDT to unshare in forklab)", () => {
    const td3 = core.threadAlloc();
    const before = pcbWords(core, td3);
    const sp = core.threadSp(td3);
    expect(core.x.cpu_fork(td1, td3, pm2, RFMEM)).toBe(0);
    expect(core.x.cpu_fork(td1, td3, pm2, 0)).toBe(0);
    expect(pcbWords(core, td3)).toEqual(before);
    expect(core.threadSp(td3)).toBe(sp);
    core.threadFree(td3);
  });

  it("returns -EINVAL for a bad thread or pmap handle and changes nothing", () => {
    const td3 = core.threadAlloc();
    const before = pcbWords(core, td3);
    expect(core.x.cpu_fork(td1, td3, 9999, RFPROC)).toBe(-EINVAL);
    expect(core.x.cpu_fork(td1, 9999, pm2, RFPROC)).toBe(-EINVAL);
    expect(core.x.cpu_fork(9999, td3, pm2, RFPROC)).toBe(-EINVAL);
    expect(core.x.cpu_fork(-1, td3, pm2, RFPROC)).toBe(-EINVAL);
    expect(core.x.cpu_fork(td1, 0x7FFFFFFF, pm2, RFPROC)).toBe(-EINVAL);
    expect(pcbWords(core, td3)).toEqual(before);
    core.threadFree(td3);
  });
});

describe("the child's first switch-in and fork_return (swtch.s 1.47, exception.s 1.32, trap.c 1.111)", () => {
  let core: Core;
  let pm: number;
  beforeAll(() => {
    core = Core.create({ physBytes: 16 << 20, maxThreads: 64 });
    pm = core.pmapCreate();
  });

  it("fork_return sets tf_eax = 0, tf_edx = 1 and clears PSL_C, keeping the other eflags bits: the child sees fork() return 0", () => {
    const td = core.threadAlloc();
    const tf = core.trapframe(td);
    tf.eax = 2; tf.edx = 77; tf.eflags = 0x0F03; tf.ebx = 5;
    core.forkReturn(td);
    expect(tf.eax).toBe(0);
    expect(tf.edx).toBe(1);
    expect(tf.eflags).toBe(0x0F02);
    expect(tf.ebx).toBe(5);
    core.threadFree(td);
  });

  it("the first switch-in runs cpu_heavy_restore -> fork_trampoline -> fork_return exactly once; a second switch-in returns 0 and changes nothing", () => {
    expect(pm).toBeGreaterThan(0);
    const td1 = dirtyParent(core);
    const td2 = core.threadAlloc();
    core.cpuFork(td1, td2, pm, RFPROC);
    const ks = core.kstack(td2);
    expect(core.cpuSwitchin(td2)).toBe(FORK_RETURN);
    const tf = core.trapframe(td2);
    expect(tf.eax).toBe(0);
    expect(tf.edx).toBe(1);
    expect(tf.eflags).toBe(0x202);                          // 0x203 with PSL_C cleared
    expect(tf.eip).toBe(0x08048123);                        // returns to the parent's user pc
    expect(tf.esp).toBe(0xBFBFE000);
    // cpu_heavy_restore wrote pcb_eip into the word at pcb_esp, and fork_trampoline popped
    // its arguments: esp = md_regs.
    expect(kword(core, pm, ks + 11580)).toBe(FORK_TRAMPOLINE);
    expect(core.threadSp(td2)).toBe(core.threadRegs(td2));
    // Once only.
    tf.eax = 99;
    const pcb = pcbWords(core, td2);
    expect(core.cpuSwitchin(td2)).toBe(0);
    expect(tf.eax).toBe(99);
    expect(pcbWords(core, td2)).toEqual(pcb);
    expect(core.threadSp(td2)).toBe(core.threadRegs(td2));
    // The parent's frame is untouched: it returns through syscall2 with the child's pid.
    expect(core.trapframe(td1).eax).toBe(2);
    core.threadFree(td1); core.threadFree(td2);
  });

  it("a thread cpu_fork never prepared has no switch-in frame: cpu_switchin returns 0 and changes nothing", () => {
    const td = core.threadAlloc();
    const sp = core.threadSp(td);
    expect(core.cpuSwitchin(td)).toBe(0);
    expect(core.threadSp(td)).toBe(sp);
    expect(tfWords(core, td).every((w) => w === 0)).toBe(true);
    core.threadFree(td);
  });

  it("cpu_set_fork_handler sets pcb_esi = func and pcb_ebx = arg; the switch-in then calls that handler instead of fork_return", () => {
    expect(pm).toBeGreaterThan(0);
    const td1 = dirtyParent(core);
    const td2 = core.threadAlloc();
    core.cpuFork(td1, td2, pm, RFPROC);
    core.cpuSetForkHandler(td2, 0xC0107000, 0x1234);
    expect(core.pcb(td2).esi).toBe(0xC0107000);
    expect(core.pcb(td2).ebx).toBe(0x1234);
    expect(core.cpuSwitchin(td2)).toBe(0xC0107000);
    expect(core.trapframe(td2).eax).toBe(2);     // no fork_return edits
    expect(core.threadSp(td2)).toBe(core.threadRegs(td2));
    core.threadFree(td1); core.threadFree(td2);
  });
});

describe("cpu_prepare_lwp (vm_machdep.c 1.59, for sys_lwp_create)", () => {
  let core: Core;
  let pm: number;
  const STACKPG = 0x20000000;
  beforeAll(() => {
    core = Core.create({ physBytes: 16 << 20, maxThreads: 64 });
    pm = core.pmapCreate();
    if (pm > 0) core.enter(pm, STACKPG, 3);
  });

  function forked(): [number, number] {
    const td1 = dirtyParent(core);
    const td2 = core.threadAlloc();
    core.cpuFork(td1, td2, pm, RFPROC);
    return [td1, td2];
  }

  it("tf_eip = func, tf_esp = stack - 8 with arg then a NULL return address pushed on the user stack; handler generic_lwp_return with lp (kstack KVA); eax/edx/eflags stay as copied", () => {
    expect(pm).toBeGreaterThan(0);
    const [td1, td2] = forked();
    const stack = STACKPG + 0x1000;
    expect(core.cpuPrepareLwp(td2, pm, 0x08049000, 0xDEADBEEF, stack)).toBe(0);
    const tf = core.trapframe(td2);
    expect(tf.eip).toBe(0x08049000);
    expect(tf.esp).toBe(stack - 8);
    expect(core.readWord(pm, stack - 4)).toBe(0xDEADBEEF);
    expect(core.readWord(pm, stack - 8)).toBe(0);
    expect(core.pcb(td2).esi).toBe(GENERIC_LWP_RETURN);
    expect(core.pcb(td2).ebx).toBe(core.kstack(td2));
    expect(tf.eax).toBe(2);
    expect(tf.edx).toBe(0x12345678);
    expect(tf.eflags).toBe(0x203);
    // The switch-in calls generic_lwp_return, skipping fork_return's edits.
    expect(core.cpuSwitchin(td2)).toBe(GENERIC_LWP_RETURN);
    expect(tf.eax).toBe(2);
    expect(tf.edx).toBe(0x12345678);
    expect(tf.eflags).toBe(0x203);
    core.threadFree(td1); core.threadFree(td2);
  });

  it("an unmapped user stack gives -EFAULT from the first copyout, tf_esp left at stack-4 and the fork handler not changed", () => {
    expect(pm).toBeGreaterThan(0);
    const [td1, td2] = forked();
    const stack = 0x30000000;
    expect(core.cpuPrepareLwp(td2, pm, 0x08049000, 7, stack)).toBe(-EFAULT);
    expect(core.trapframe(td2).eip).toBe(0x08049000);
    expect(core.trapframe(td2).esp).toBe(stack - 4);
    expect(core.pcb(td2).esi).toBe(FORK_RETURN);
    core.threadFree(td1); core.threadFree(td2);
  });

  it("a stack whose second word falls off the mapped page gives -EFAULT from the NULL copyout, tf_esp left at stack-8, the arg already written", () => {
    expect(pm).toBeGreaterThan(0);
    const [td1, td2] = forked();
    const stack = STACKPG + 4;
    expect(core.cpuPrepareLwp(td2, pm, 0x08049000, 0xABCD, stack)).toBe(-EFAULT);
    expect(core.trapframe(td2).esp).toBe(stack - 8);
    expect(core.readWord(pm, STACKPG)).toBe(0xABCD);
    expect(core.pcb(td2).esi).toBe(FORK_RETURN);
    core.threadFree(td1); core.threadFree(td2);
  });
});

describe("exec_setregs (machdep.c 1.131)", () => {
  let core: Core;
  beforeAll(() => { core = Core.create({ physBytes: 16 << 20, maxThreads: 64 }); });

  it("zeroes the trapframe, then eip = entry, esp = stack, eflags = PSL_USER, cs = 0x1F, ss/ds/es/fs/gs = 0x2F, ebx = ps_strings", () => {
    const td = dirtyParent(core);
    core.trapframe(td).eflags = 0x0ED7;   // PSL_T clear
    core.execSetregs(td, 0x08048100, 0xBFBFFF00, 0xBFBFFFD0);
    expect(core.trapframe(td).toJSON()).toEqual({
      gs: 0x2F, fs: 0x2F, es: 0x2F, ds: 0x2F, edi: 0, esi: 0, ebp: 0, isp: 0, ebx: 0xBFBFFFD0,
      edx: 0, ecx: 0, eax: 0, xflags: 0, trapno: 0, err: 0, eip: 0x08048100, cs: 0x1F,
      eflags: 0x202, esp: 0xBFBFFF00, ss: 0x2F,
    });
    core.threadFree(td);
  });

  it("drops PSL_T: the 2008 code reads tf_eflags & PSL_T after bzero'ing the frame, so eflags is always PSL_USER 0x202", () => {
    const td = core.threadAlloc();
    core.trapframe(td).eflags = 0x0303;
    core.execSetregs(td, 0x1000, 0x2000, 0);
    expect(core.trapframe(td).eflags).toBe(0x0202);
    core.threadFree(td);
  });
});

describe("argument errors", () => {
  let core: Core;
  beforeAll(() => { core = Core.create({ physBytes: 4 << 20, maxThreads: 8 }); });

  it("the face throws CoreError for a bad thread handle before touching the core, and nothing changes", () => {
    const td = core.threadAlloc();
    core.trapframe(td).eax = 42;
    const free = core.framesFree();
    const pcb = pcbWords(core, td);
    for (const bad of [0, -1, 1.5, 999, td + 1, Number.NaN]) {
      expect(() => core.pcb(bad)).toThrow(CoreError);
      expect(() => core.trapframe(bad)).toThrow(CoreError);
      expect(() => core.kstack(bad)).toThrow(CoreError);
      expect(() => core.threadFree(bad)).toThrow(CoreError);
      expect(() => core.cpuSwitchin(bad)).toThrow(CoreError);
      expect(() => core.forkReturn(bad)).toThrow(CoreError);
      expect(() => core.execSetregs(bad, 1, 2, 3)).toThrow(CoreError);
      expect(() => core.cpuSetForkHandler(bad, 1, 2)).toThrow(CoreError);
      expect(() => core.cpuFork(td, bad, 1, RFPROC)).toThrow(CoreError);
      expect(() => core.cpuFork(bad, td, 1, RFPROC)).toThrow(CoreError);
    }
    expect(() => core.cpuFork(td, td, 777, RFPROC)).toThrow(CoreError);          // bad pmap
    expect(() => core.cpuPrepareLwp(td, 777, 1, 2, 3)).toThrow(CoreError);
    expect(core.framesFree()).toBe(free);
    expect(pcbWords(core, td)).toEqual(pcb);
    expect(core.trapframe(td).eax).toBe(42);
    core.threadFree(td);
    expect(() => core.threadFree(td)).toThrow(CoreError);                       // double free
    expect(core.framesFree()).toBe(free + 1);
  });

  it("the core itself refuses dead or out-of-range handles without trapping: -EINVAL, 0, or no effect", () => {
    const x = core.x;
    const live = core.threadAlloc();
    const dead = core.threadAlloc();
    core.threadFree(dead);
    for (const bad of [0, -1, dead, 9, 0x7FFFFFFF, -0x80000000]) {
      expect(x.thread_valid(bad)).toBe(0);
      expect(x.thread_free(bad)).toBe(-EINVAL);
      expect(x.thread_kstack(bad)).toBe(0);
      expect(x.thread_pcb(bad)).toBe(0);
      expect(x.thread_regs(bad)).toBe(0);
      expect(x.thread_sp(bad)).toBe(0);
      expect(x.pcb_get(bad, 0)).toBe(0);
      x.pcb_set(bad, 0, 1);
      expect(x.tf_get(bad, 44)).toBe(0);
      x.tf_set(bad, 44, 1);
      expect(x.cpu_switchin(bad)).toBe(0);
      x.fork_return(bad);
      x.exec_setregs(bad, 1, 2, 3);
      x.cpu_set_fork_handler(bad, 1, 2);
      expect(x.cpu_prepare_lwp(bad, 1, 1, 2, 3)).toBe(-EINVAL);
      expect(x.cpu_fork(bad, live, 1, RFPROC)).toBe(-EINVAL);
      expect(x.cpu_fork(live, bad, 1, RFPROC)).toBe(-EINVAL);
    }
    // Offsets outside the structure read 0 and write nothing.
    expect(x.pcb_get(live, 608)).toBe(0);
    expect(x.tf_get(live, 80)).toBe(0);
    expect(x.tf_get(live, -4)).toBe(0);
    x.tf_set(live, 80, 5);
    x.tf_set(live, -4, 5);
    x.pcb_set(live, 608, 5);
    expect(tfWords(core, live).every((w) => w === 0)).toBe(true);
    expect(pcbWords(core, live).every((w) => w === 0)).toBe(true);
    expect(core.threadsUsed()).toBe(1);
    core.threadFree(live);
  });
});

describe("the portable build computes the same as Wasm", () => {
  it("alloc, fork, switch-in, prepare_lwp and exec_setregs leave identical pcbs, trapframes and td_sp", async () => {
    const run = (core: Core) => {
      const pm = core.pmapCreate();
      const out: unknown[] = [];
      const td1 = dirtyParent(core);
      const td2 = core.threadAlloc();
      const td3 = core.threadAlloc();
      if (pm > 0) {
        core.enter(pm, 0x20000000, 3);
        out.push(core.x.cpu_fork(td1, td2, pm, RFPROC), core.x.cpu_fork(td1, td3, pm, RFPROC));
        out.push(core.cpuSwitchin(td2), core.cpuPrepareLwp(td3, pm, 0x8049000, 5, 0x20001000), core.cpuSwitchin(td3));
      }
      core.execSetregs(td1, 0x8048000, 0xBFBFF000, 0xBFBFFFF0);
      for (const td of [td1, td2, td3]) out.push(pcbWords(core, td), tfWords(core, td), core.threadSp(td));
      core.threadFree(td2);
      out.push(core.threadAlloc(), core.framesFree(), core.threadsUsed());
      return out;
    };
    const a = run(Core.create({ physBytes: 4 << 20, maxThreads: 16 }));
    const b = run(await Core.createPortable({ physBytes: 4 << 20, maxThreads: 16 }));
    expect(b).toEqual(a);
  });
});
