// Every export, fed bad arguments one at a time (the others valid), on the release build
// (its own memory) and the embedding build (a host's memory): each call returns the
// export's documented error value (docs/embedding.md), nothing traps, and neither the
// core's tables nor physical memory change. Before any core exists every export answers
// "no core" and writes nothing at all.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { EXPORTS, KSTACK_MAX_THREADS, KSTACK_KVA_SLOTS, SIZEOF_PCB, SIZEOF_TRAPFRAME, RFPROC, CTL_BYTES } from "../../include/forklab_core.mjs";

type X = Record<string, (...a: number[]) => number>;
const load = (f: string) => new WebAssembly.Module(readFileSync(new URL(`../../build/${f}`, import.meta.url)));
const release = load("core.wasm");
const embed = load("core.embed.wasm");

const EINVAL = -22, EFAULT = -14, ENOMEM = -12;

/** What each export returns for a bad argument (and before any core exists). */
const ERR: Record<string, number[]> = {
  core_init: [EINVAL, ENOMEM], core_init_at: [EINVAL, ENOMEM], core_meta_bytes: [EINVAL],
  core_select: [EINVAL], core_default_max_threads: [EINVAL], core_stat: [EINVAL], core_scratch: [EINVAL],
  frame_ref: [EINVAL], frame_unref: [EINVAL], frame_refcount: [EINVAL],
  pmap_destroy: [EINVAL], pmap_valid: [0], pmap_cr3: [EINVAL], pmap_enter: [EINVAL], pmap_remove: [EINVAL],
  pmap_protect: [EINVAL], pmap_translate: [EINVAL], pmap_fault: [EINVAL, EFAULT], pmap_fork: [EINVAL],
  pmap_fork_skip: [EINVAL], pmap_protect_none: [EINVAL], pmap_enter_frame: [EINVAL], pmap_unshare: [EINVAL],
  thread_set_tls: [EINVAL], thread_tls: [0], thread_tls_set: [0], core_table: [EINVAL], frame_fail_after: [EINVAL],
  pmap_pte: [0], pmap_pde: [0], pmap_next: [-1], pmap_resident: [EINVAL], pmap_ptcount: [EINVAL],
  copyin: [EINVAL, EFAULT], copyout: [EINVAL, EFAULT], copyin_word: [0], copyout_word: [EINVAL, EFAULT],
  rb_insert: [EFAULT], rb_remove: [EFAULT], rb_find: [EFAULT], rb_lookup: [EFAULT], rb_next: [EFAULT],
  rb_prev: [EFAULT], rb_min: [EFAULT], rb_max: [EFAULT], rb_root: [EFAULT], rb_dump: [EFAULT, EINVAL],
  lwptree_free: [EINVAL], lwptree_valid: [0], lwp_insert: [EINVAL], lwp_remove: [EINVAL], lwp_lookup: [0],
  lwp_first: [0], lwp_next: [0], lwp_count: [EINVAL], lwptree_dump: [EINVAL], thread_rbnode: [0],
  thread_free: [EINVAL], thread_valid: [0], thread_kstack: [0], thread_pcb: [0], thread_regs: [0],
  thread_sp: [0], thread_tf: [0], pcb_get: [0], pcb_set: [EINVAL], tf_get: [0], tf_set: [EINVAL],
  cpu_fork: [EINVAL], cpu_set_fork_handler: [EINVAL], cpu_prepare_lwp: [EINVAL], cpu_switchin: [0],
  fork_return: [EINVAL], exec_setregs: [EINVAL], cpu_run: [EINVAL], cpu_run_cow: [EINVAL],
};
/** Before any core: exports without a bad-argument error answer these. */
const NO_CORE: Record<string, number[]> = {
  core_current: [0], core_phys_base: [0], core_phys_bytes: [0], core_kernel_pdir: [0], core_iobuf: [0],
  core_iobuf_bytes: [0], core_fault_va: [0], core_fault_err: [0], core_last_error: [22], frame_alloc: [0],
  frames_free: [0], frames_total: [0], pmap_create: [EINVAL], lwptree_alloc: [0], thread_alloc: [EINVAL],
  thread_table_full: [1], threads_used: [0], cpu_run_count: [0], cpu_run_stop: [0], cpu_run_cow_faults: [0],
  cpu_run_cow_kept: [0], cpu_run_area: [0],
};
/** Pure exports: the same answer with or without a core. */
const PURE = ["core_abi_version", "core_abi_minor", "core_heap_base"];
/**
 * The rb_* exports need no core: they work on heads and nodes the host keeps anywhere in
 * memory and follow the links stored there (docs/embedding.md), so before a core they
 * are not "no core" calls; their bad arguments are tested with a core.
 */
const HOST_TREES = /^rb_(?!dump)/;

/** A core with one of everything, and dead handles of each kind. */
function setup(x: X, memory: () => ArrayBuffer) {
  const pm = x.pmap_create();
  x.pmap_enter(pm, 0x1000, 3);
  const deadPm = x.pmap_create();
  x.pmap_destroy(deadPm);
  const td = x.thread_alloc();
  const deadTd = x.thread_alloc();
  x.thread_free(deadTd);
  // Every pcb and trapframe word nonzero, so a read at a wrong offset would show.
  for (let o = 0; o < SIZEOF_PCB; o += 4) x.pcb_set(td, o, 0x5A5A5A5A);
  for (let o = 0; o < SIZEOF_TRAPFRAME; o += 4) x.tf_set(td, o, 0x5A5A5A5A);
  const lwpHead = x.lwptree_alloc();
  const rbHead = x.core_scratch(64);
  const pa = x.frame_alloc();
  const freePa = x.frame_alloc();
  x.frame_unref(freePa);
  const memEnd = memory().byteLength;
  return { pm, deadPm, td, deadTd, lwpHead, rbHead, rbNode: rbHead + 16, pa, freePa, memEnd };
}
type Ctx = ReturnType<typeof setup> & { ctl: number; physBase: number; iobuf: number };

/** A valid value for each parameter, by name. */
function valid(name: string, p: string, c: Ctx): number {
  const rb = name.startsWith("rb_");
  const v: Record<string, number> = {
    pm: c.pm, pm2: c.pm, td: c.td, td1: c.td, td2: c.td, head: rb ? c.rbHead : c.lwpHead, node: c.rbNode,
    elm: c.rbNode, pa: c.pa, va: 0x1000, uva: 0x1000, sva: 0x1000, eva: 0x2000, prot: 3, access: 0,
    err: 7, strategy: 1, lin: c.iobuf, dst: c.iobuf, src: c.iobuf, len: 4, off: 0, flags: RFPROC,
    physBytes: 1 << 20, maxThreads: 16, ctl: c.ctl, physBase: c.physBase, i: 0, bytes: 16,
  };
  return v[p] ?? 0x1000; // free-form words: tid, key, v, func, arg, stack, entry, psStrings, budget
}

/** Bad values for a parameter of an export (none for a free-form word). */
function bad(name: string, p: string, c: Ctx): number[] {
  const handle = [0, -1, 999, 0x7FFFFFFF, -0x80000000];
  switch (p) {
    case "pm": case "pm2": return [...handle, c.deadPm, c.lwpHead, c.td + 100];
    // thread_rbnode names a slot, live or not: only a td out of range is bad for it.
    case "td": case "td1": case "td2": return [...handle, c.lwpHead, ...(name === "thread_rbnode" ? [] : [c.deadTd])];
    case "head": return name.startsWith("rb_")
      ? [-1, -8, c.memEnd - 4, 0x7FFFFFF0]
      : [0, -1, 1, c.lwpHead + 4, c.lwpHead + 16 * 1000, c.rbHead, 0x7FFFFFF0];
    case "node": case "elm": return [0, -1, c.memEnd - 8, 0x7FFFFFF0];
    case "pa": return [0, 1, -1, 0x7FFFF000, c.pa + 4, 1 << 20, ...(name === "frame_refcount" ? [] : [c.freePa])];
    case "va": return name === "pmap_enter" || name === "pmap_fault" || name === "pmap_enter_frame" ? [1, -0x40000000, -4096] : [];
    case "ranges": return [-1, c.memEnd - 4, 0x7FFFFFF0];
    case "n": return name === "pmap_fork_skip" ? [-1, 0x10000000, -0x80000000] : [];
    case "which": return [-1, 3, 0x7FFFFFFF, -0x80000000];
    case "sva": return [1, -4096, 0x3000];
    case "eva": return [0x1001, -4096, -0x40000000];
    case "prot": return [8, -1, 0x7FFFFFFF];
    case "err": return name === "pmap_fault" ? [0, 1, 2, 4] : [];
    case "strategy": return [-1, 3, 4, 0x7FFFFFFF];
    case "uva": return [-4096, -1, 0xBFC0 << 16];
    case "lin": case "dst": case "src": return [-1, c.memEnd - 2, 0x7FFFFFF0];
    case "len": return [-1, -0x80000000, 0x7FFFFFFF];
    case "off": return [-4, 1, 2, name.startsWith("pcb") ? SIZEOF_PCB : SIZEOF_TRAPFRAME, 0x7FFFFFFC, -0x80000000];
    case "physBytes": return [0, -1, 4095, (1 << 20) + 1, 0x7FFFFFFF, -4096, 4096];
    case "maxThreads": return [-1, KSTACK_MAX_THREADS + 1, 0x7FFFFFFF, -0x80000000];
    case "ctl": return name === "core_select"
      ? [0, 1, 8, -16, 0x7FFFFFF0, c.physBase, c.ctl + 16]
      : [0, 1, 8, -16, 0x7FFFFFF0, c.physBase + 0x1000];
    case "physBase": return [0, 1, 0x123, -4096, c.memEnd - 0x80000, c.ctl];
    case "i": return [-1, 32, 0x7FFFFFFF, -0x80000000];
    case "bytes": return [-1, -0x80000000];
    default: return [];
  }
}

function checksum(buf: ArrayBuffer, from: number, to: number): string {
  const v = new Int32Array(buf, from, (to - from) >> 2);
  let h = 0;
  for (let i = 0; i < v.length; i++) h = (Math.imul(h, 31) + v[i]) | 0;
  return `${h}:${v.length}`;
}

function badCalls(x: X, c: Ctx): string[] {
  const wrong: string[] = [];
  for (const [name, params] of Object.entries(EXPORTS) as [string, readonly string[]][]) {
    params.forEach((p, i) => {
      for (const b of bad(name, p, c)) {
        const args = params.map((q) => valid(name, q, c));
        // core_init_at's valid layout is a second core after the first one's memory.
        if (name === "core_init_at") { args[0] = 0x220000; args[1] = 0x280000; }
        args[i] = b;
        let r: number;
        try { r = x[name](...args); } catch (e) { wrong.push(`${name}(${args}) trapped: ${e}`); continue; }
        if (!(ERR[name] ?? []).includes(r)) wrong.push(`${name}(${args.map((a) => `0x${(a >>> 0).toString(16)}`)}) = ${r}, bad ${p}`);
      }
    });
  }
  return wrong;
}

const builds: [string, () => { x: X; buffer: () => ArrayBuffer; init: (x: X) => number }][] = [
  ["release (core.wasm)", () => {
    const inst = new WebAssembly.Instance(release, {});
    const x = inst.exports as unknown as X;
    const memory = inst.exports.memory as WebAssembly.Memory;
    return { x, buffer: () => memory.buffer, init: (y) => y.core_init(1 << 20, 16) };
  }],
  ["embed (core.embed.wasm)", () => {
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 64 });
    new Uint8Array(memory.buffer).fill(0xAB);
    const inst = new WebAssembly.Instance(embed, { env: { memory } });
    return { x: inst.exports as unknown as X, buffer: () => memory.buffer, init: (y) => y.core_init_at(0x20000, 0x100000, 1 << 20, 16) };
  }],
];

describe.each(builds)("every export on bad arguments: %s", (_, make) => {
  it("covers every export (each is in the error table, or needs no check)", () => {
    const names = Object.keys(EXPORTS);
    const { x } = make();
    expect(Object.keys(x).filter((n) => n !== "memory").sort()).toEqual([...names].sort());
    const known = new Set([...Object.keys(ERR), ...Object.keys(NO_CORE), ...PURE]);
    expect(names.filter((n) => !known.has(n))).toEqual([]);
  });

  it("before any core: every export answers 'no core', and memory is untouched", () => {
    const { x, buffer } = make();
    const before = checksum(buffer(), 0, buffer().byteLength);
    const wrong: string[] = [];
    for (const [name, params] of Object.entries(EXPORTS) as [string, readonly string[]][]) {
      if (PURE.includes(name) || HOST_TREES.test(name)) continue;
      for (const v of [0, 1, 0x20000, -1, 0x7FFFFFF0]) {
        const args = params.map(() => v);
        let r: number;
        try { r = x[name](...args); } catch (e) { wrong.push(`${name}(${args}) trapped: ${e}`); continue; }
        const ok = [...(ERR[name] ?? []), ...(NO_CORE[name] ?? [])];
        if (!ok.includes(r)) wrong.push(`${name}(${args}) = ${r}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(x.core_current()).toBe(0);
    expect(checksum(buffer(), 0, buffer().byteLength)).toBe(before);
  });

  it("with a core: each bad argument gives the export's error, nothing traps, nothing changes", () => {
    const { x, buffer, init } = make();
    const ctl = init(x);
    expect(ctl).toBeGreaterThan(0);
    const s = setup(x, buffer);
    const c: Ctx = { ...s, ctl, physBase: x.core_phys_base(), iobuf: x.core_iobuf() };
    const end = c.physBase + x.core_phys_bytes();
    const before = checksum(buffer(), ctl + CTL_BYTES, end);
    const counts = [x.frames_free(), x.threads_used(), x.pmap_resident(c.pm), x.frame_refcount(c.pa)];
    expect(badCalls(x, c)).toEqual([]);
    expect(x.core_current()).toBe(ctl);
    expect([x.frames_free(), x.threads_used(), x.pmap_resident(c.pm), x.frame_refcount(c.pa)]).toEqual(counts);
    expect(checksum(buffer(), ctl + CTL_BYTES, end)).toBe(before);
    // The good calls still work after all that.
    expect(x.copyout_word(c.pm, 0x1000, 0x1234)).toBe(0);
    expect(x.copyin_word(c.pm, 0x1000)).toBe(0x1234);
    expect(x.pcb_get(c.td, 4)).toBe(0x5A5A5A5A);
  });

  it("setters and void calls answer 0 when they did their work", () => {
    const { x, init } = make();
    init(x);
    const td = x.thread_alloc();
    expect(x.tf_set(td, 60, 0x08048000)).toBe(0);
    expect(x.tf_get(td, 60)).toBe(0x08048000);
    expect(x.pcb_set(td, 24, 7)).toBe(0);
    expect(x.exec_setregs(td, 0x1000, 0x2000, 0x3000)).toBe(0);
    expect(x.fork_return(td)).toBe(0);
    expect(x.cpu_set_fork_handler(td, 1, 2)).toBe(0);
    const pa = x.frame_alloc();
    expect(x.frame_ref(pa)).toBe(0);
    expect(x.frame_refcount(pa)).toBe(2);
    expect(x.frame_unref(pa)).toBe(1);
    expect(x.frame_unref(pa)).toBe(0);
    expect(x.frame_unref(pa)).toBe(EINVAL); // a free frame has no reference to drop
  });
});

describe("core_init_at (embed build)", () => {
  const instance = (pages: number) => {
    const memory = new WebAssembly.Memory({ initial: pages, maximum: 256 });
    return { memory, x: new WebAssembly.Instance(embed, { env: { memory } }).exports as unknown as X };
  };

  it("maxThreads 0 means the default, as in core_init", () => {
    const { x } = instance(64);
    expect(x.core_meta_bytes(1 << 20, 0)).toBe(x.core_meta_bytes(1 << 20, x.core_default_max_threads(1 << 20)));
    expect(x.core_init_at(0x20000, 0x100000, 1 << 20, 0)).toBe(0x20000);
    expect(x.core_default_max_threads(1 << 20)).toBe(256); // one per frame
    const free = x.frames_free();
    let n = 0;
    while (x.thread_alloc() > 0) n++;
    expect(n).toBe(free); // each thread holds one frame: frames run out before slots
  });

  it("memory too small for physical memory is -ENOMEM, without growing the host's memory or trapping", () => {
    const { x, memory } = instance(17); // 1 MiB + 64 KiB: no room for 1 MiB of physical memory at 1 MiB
    expect(x.core_init_at(0x20000, 0x100000, 1 << 20, 16)).toBe(ENOMEM);
    expect(memory.buffer.byteLength).toBe(17 * 65536);
    expect(x.core_current()).toBe(0);
    expect(x.pmap_create()).toBe(EINVAL);
  });

  it("refuses a control block below core_heap_base and a layout over the current core; the most threads fit in 1 MiB", () => {
    const { x } = instance(256);
    expect(x.core_heap_base()).toBeGreaterThanOrEqual(65536);
    expect(x.core_init_at(x.core_heap_base() - 16, 0x100000, 1 << 20, 16)).toBe(EINVAL);
    expect(x.core_init_at(0x20000, 0x100000, 1 << 20, 16)).toBe(0x20000);
    expect(x.core_init_at(0xF0000, 0x180000, 1 << 20, 16)).toBe(EINVAL); // inside the current core
    expect(x.core_current()).toBe(0x20000);
    // The page tables of every kernel stack the i386 kernel map holds (253) fit in the smallest physical memory.
    const meta = x.core_meta_bytes(1 << 20, KSTACK_KVA_SLOTS);
    const physBase = (0x300000 + meta + 0xFFF) & ~0xFFF;
    expect(x.core_init_at(0x300000, physBase, 1 << 20, KSTACK_KVA_SLOTS)).toBe(0x300000);
    expect(x.frames_free()).toBe(1); // 256 frames: frame 0, the kernel directory, 253 page tables
    expect(x.core_select(0x20000)).toBe(0); // the first core is still there
    expect(x.core_init_at(0x20000, 0x100000, 1 << 20, 16)).toBe(0x20000); // reset in place
  });
});
