// The host's entry points into the implementation files that do not check everything a
// host may pass (docs/embedding.md): each wrapper refuses a call before any core exists
// (K = 0: there is no control block to read) and the arguments its implementation takes
// on trust, with the same error the implementation gives for a bad handle. The core's own
// callers (fork, faults, the interpreter) call the implementations directly, so the
// checks cost the host one compare or two per call and the hot paths nothing.
import { K } from "./state";
import { inMemory } from "./core";
import { ld32, st32, ltu } from "./mem";
import { EINVAL, EFAULT, SIZEOF_PCB, SIZEOF_TRAPFRAME, KSTACK_PCB, KSTACK_TF } from "./i386";
import {
  frameAlloc, frameRef, frameUnref, frameRefcount, framesFree, framesTotal, frameValid, frameFailAfter,
} from "./frames";
import {
  pmap_create as pmapCreate, pmap_destroy as pmapDestroy, pmap_valid as pmapValid, pmap_cr3 as pmapCr3,
  pmap_enter as pmapEnter, pmap_remove as pmapRemove, pmap_protect as pmapProtect,
  pmap_translate as pmapTranslate, pmap_fault as pmapFault, pmap_fork as pmapFork, pmap_pte as pmapPte,
  pmap_fork_skip as pmapForkSkip, pmap_protect_none as pmapProtectNone, pmap_enter_frame as pmapEnterFrame,
  pmap_pde as pmapPde, pmap_next as pmapNext, pmap_resident as pmapResident, pmap_ptcount as pmapPtcount,
  pmap_unshare as pmapUnshare,
  copyin as copyinRaw, copyout as copyoutRaw, copyin_word as copyinWord, copyout_word as copyoutWord,
} from "./pmap";
import {
  thread_alloc as threadAlloc, thread_free as threadFree, thread_valid as threadValid,
  thread_table_full as threadTableFull, thread_kstack as threadKstack, thread_pcb as threadPcb,
  thread_regs as threadRegs, thread_sp as threadSp, cpu_fork as cpuFork, cpu_set_fork_handler as cpuSetForkHandler,
  cpu_prepare_lwp as cpuPrepareLwp, cpu_switchin as cpuSwitchin, fork_return as forkReturn,
  exec_setregs as execSetregs, threads_used as threadsUsed, tfLinear, thread_set_tls as threadSetTls,
  thread_tls as threadTls, thread_tls_set as threadTlsSet,
} from "./cpu";
import {
  cpu_run as cpuRun, cpu_run_count as cpuRunCount, cpu_run_stop as cpuRunStop, cpu_run_cow as cpuRunCow,
  cpu_run_cow_faults as cpuRunCowFaults, cpu_run_cow_kept as cpuRunCowKept, cpu_run_area as cpuRunArea,
} from "./x86";
import {
  lwptree_alloc as lwptreeAlloc, lwptree_free as lwptreeFree, lwptree_valid as lwptreeValid,
  lwp_insert as lwpInsert, lwp_remove as lwpRemove, lwp_lookup as lwpLookup, lwp_first as lwpFirst,
  lwp_next as lwpNext, lwp_count as lwpCount, lwptree_dump as lwptreeDump, thread_rbnode as threadRbnode,
} from "./lwptree";
import {
  RB_NODE_BYTES, RB_HEAD_BYTES, rb_insert as rbInsert, rb_remove as rbRemove, rb_find as rbFind,
  rb_lookup as rbLookup, rb_next as rbNext, rb_prev as rbPrev, rb_min as rbMin, rb_max as rbMax,
  rb_root as rbRoot, rb_dump as rbDump,
} from "./rbtree";

// ---- frames: a physical address must be an allocated frame

function allocated(pa: i32): bool { return K != 0 && frameValid(pa) && frameRefcount(pa) > 0; }

export function frame_alloc(): i32 { return K == 0 ? 0 : frameAlloc(); }
/** One more reference on an allocated frame: 0, or -EINVAL. */
export function frame_ref(pa: i32): i32 {
  if (!allocated(pa)) return -EINVAL;
  frameRef(pa);
  return 0;
}
export function frame_unref(pa: i32): i32 { return allocated(pa) ? frameUnref(pa) : -EINVAL; }
export function frame_refcount(pa: i32): i32 { return K != 0 && frameValid(pa) ? frameRefcount(pa) : -EINVAL; }
export function frames_free(): i32 { return K == 0 ? 0 : framesFree(); }
export function frames_total(): i32 { return K == 0 ? 0 : framesTotal(); }
/** Fault injection: the n-th frame allocation from now fails, once (n <= 0: none); the old setting. */
export function frame_fail_after(n: i32): i32 { return K == 0 ? -EINVAL : frameFailAfter(n); }

// ---- pmap.ts checks its handles and user ranges; copyin/copyout trust the linear range

export function pmap_create(): i32 { return K == 0 ? -EINVAL : pmapCreate(); }
export function pmap_destroy(pm: i32): i32 { return K == 0 ? -EINVAL : pmapDestroy(pm); }
export function pmap_valid(pm: i32): i32 { return K == 0 ? 0 : pmapValid(pm); }
export function pmap_cr3(pm: i32): i32 { return K == 0 ? -EINVAL : pmapCr3(pm); }
export function pmap_enter(pm: i32, va: i32, prot: i32): i32 { return K == 0 ? -EINVAL : pmapEnter(pm, va, prot); }
export function pmap_remove(pm: i32, sva: i32, eva: i32): i32 { return K == 0 ? -EINVAL : pmapRemove(pm, sva, eva); }
export function pmap_protect(pm: i32, sva: i32, eva: i32, prot: i32): i32 {
  return K == 0 ? -EINVAL : pmapProtect(pm, sva, eva, prot);
}
export function pmap_translate(pm: i32, va: i32, access: i32): i32 { return K == 0 ? -EINVAL : pmapTranslate(pm, va, access); }
export function pmap_fault(pm: i32, va: i32, err: i32): i32 { return K == 0 ? -EINVAL : pmapFault(pm, va, err); }
export function pmap_fork(pm: i32, strategy: i32): i32 { return K == 0 ? -EINVAL : pmapFork(pm, strategy); }
/** pmap_fork leaving out n ranges: -EINVAL unless the n (sva, eva) pairs at `ranges` lie in memory. */
export function pmap_fork_skip(pm: i32, strategy: i32, ranges: i32, n: i32): i32 {
  if (K == 0 || ltu(2, strategy) || n < 0 || n > 0x0FFFFFFF || !inMemory(ranges, n << 3)) return -EINVAL;
  return pmapForkSkip(pm, strategy, ranges, n);
}
export function pmap_protect_none(pm: i32, sva: i32, eva: i32): i32 { return K == 0 ? -EINVAL : pmapProtectNone(pm, sva, eva); }
export function pmap_enter_frame(pm: i32, va: i32, pa: i32, prot: i32): i32 {
  return K == 0 ? -EINVAL : pmapEnterFrame(pm, va, pa, prot);
}
export function pmap_unshare(pm: i32, sva: i32, eva: i32, keepWhole: i32): i32 {
  return K == 0 ? -EINVAL : pmapUnshare(pm, sva, eva, keepWhole);
}
export function pmap_pte(pm: i32, va: i32): i32 { return K == 0 ? 0 : pmapPte(pm, va); }
export function pmap_pde(pm: i32, va: i32): i32 { return K == 0 ? 0 : pmapPde(pm, va); }
export function pmap_next(pm: i32, va: i32): i32 { return K == 0 ? -1 : pmapNext(pm, va); }
export function pmap_resident(pm: i32): i32 { return K == 0 ? -EINVAL : pmapResident(pm); }
export function pmap_ptcount(pm: i32): i32 { return K == 0 ? -EINVAL : pmapPtcount(pm); }
/** copyin to linear [dst, dst + len): -EINVAL unless that lies in memory. */
export function copyin(pm: i32, uva: i32, dst: i32, len: i32): i32 {
  return K == 0 || len < 0 || !inMemory(dst, len) ? -EINVAL : copyinRaw(pm, uva, dst, len);
}
export function copyout(pm: i32, src: i32, uva: i32, len: i32): i32 {
  return K == 0 || len < 0 || !inMemory(src, len) ? -EINVAL : copyoutRaw(pm, src, uva, len);
}
/** fuword; with no core, 0 (core_last_error() says EINVAL). */
export function copyin_word(pm: i32, uva: i32): i32 { return K == 0 ? 0 : copyinWord(pm, uva); }
export function copyout_word(pm: i32, uva: i32, v: i32): i32 { return K == 0 ? -EINVAL : copyoutWord(pm, uva, v); }

// ---- cpu.ts checks thread handles; the field accessors and void calls get an errno here

/** A pcb or trapframe offset: a whole word inside the structure. */
function fieldOk(off: i32, size: i32): bool { return (off & 3) == 0 && ltu(off, size); }
function liveTd(td: i32): bool { return K != 0 && threadValid(td) == 1; }

export function thread_alloc(): i32 { return K == 0 ? -EINVAL : threadAlloc(); }
export function thread_free(td: i32): i32 { return K == 0 ? -EINVAL : threadFree(td); }
export function thread_valid(td: i32): i32 { return liveTd(td) ? 1 : 0; }
export function thread_table_full(): i32 { return K == 0 ? 1 : threadTableFull(); }
export function threads_used(): i32 { return K == 0 ? 0 : threadsUsed(); }
export function thread_kstack(td: i32): i32 { return K == 0 ? 0 : threadKstack(td); }
export function thread_pcb(td: i32): i32 { return K == 0 ? 0 : threadPcb(td); }
export function thread_regs(td: i32): i32 { return K == 0 ? 0 : threadRegs(td); }
export function thread_sp(td: i32): i32 { return K == 0 ? 0 : threadSp(td); }
export function thread_tf(td: i32): i32 { return K == 0 ? 0 : tfLinear(td); }
export function thread_set_tls(td: i32, which: i32, base: i32, set: i32): i32 { return K == 0 ? -EINVAL : threadSetTls(td, which, base, set); }
export function thread_tls(td: i32, which: i32): i32 { return K == 0 ? 0 : threadTls(td, which); }
export function thread_tls_set(td: i32, which: i32): i32 { return K == 0 ? 0 : threadTlsSet(td, which); }
// The pcb and the trapframe lie in the same (third) frame of the kernel stack, the pcb
// KSTACK_PCB - KSTACK_TF bytes above the trapframe (cpu.ts), so one live check finds both.
function pcbLinear(td: i32): i32 {
  const tf = K == 0 ? 0 : tfLinear(td);
  return tf == 0 ? 0 : (tf + (KSTACK_PCB - KSTACK_TF)) | 0;
}
/** A pcb word; 0 for a dead thread or an offset that is not a word of the pcb. */
export function pcb_get(td: i32, off: i32): i32 {
  const p = pcbLinear(td);
  return p != 0 && fieldOk(off, SIZEOF_PCB) ? ld32(p + off) : 0;
}
/** Sets a pcb word: 0, or -EINVAL (dead thread, or not a word of the pcb). */
export function pcb_set(td: i32, off: i32, v: i32): i32 {
  const p = pcbLinear(td);
  if (p == 0 || !fieldOk(off, SIZEOF_PCB)) return -EINVAL;
  st32(p + off, v);
  return 0;
}
export function tf_get(td: i32, off: i32): i32 {
  const tf = K == 0 ? 0 : tfLinear(td);
  return tf != 0 && fieldOk(off, SIZEOF_TRAPFRAME) ? ld32(tf + off) : 0;
}
export function tf_set(td: i32, off: i32, v: i32): i32 {
  const tf = K == 0 ? 0 : tfLinear(td);
  if (tf == 0 || !fieldOk(off, SIZEOF_TRAPFRAME)) return -EINVAL;
  st32(tf + off, v);
  return 0;
}
export function cpu_fork(td1: i32, td2: i32, pm2: i32, flags: i32): i32 { return K == 0 ? -EINVAL : cpuFork(td1, td2, pm2, flags); }
export function cpu_set_fork_handler(td: i32, func: i32, arg: i32): i32 {
  if (!liveTd(td)) return -EINVAL;
  cpuSetForkHandler(td, func, arg);
  return 0;
}
export function cpu_prepare_lwp(td: i32, pm: i32, func: i32, arg: i32, stack: i32): i32 {
  return K == 0 ? -EINVAL : cpuPrepareLwp(td, pm, func, arg, stack);
}
export function cpu_switchin(td: i32): i32 { return K == 0 ? 0 : cpuSwitchin(td); }
export function fork_return(td: i32): i32 {
  if (!liveTd(td)) return -EINVAL;
  forkReturn(td);
  return 0;
}
export function exec_setregs(td: i32, entry: i32, stack: i32, psStrings: i32): i32 {
  if (!liveTd(td)) return -EINVAL;
  execSetregs(td, entry, stack, psStrings);
  return 0;
}

// ---- x86.ts: the run area lives in the control block

export function cpu_run(td: i32, pm: i32, budget: i32): i32 { return K == 0 ? -EINVAL : cpuRun(td, pm, budget); }
export function cpu_run_cow(td: i32, pm: i32, budget: i32): i32 { return K == 0 ? -EINVAL : cpuRunCow(td, pm, budget); }
export function cpu_run_count(): i32 { return K == 0 ? 0 : cpuRunCount(); }
export function cpu_run_stop(): i32 { return K == 0 ? 0 : cpuRunStop(); }
export function cpu_run_cow_faults(): i32 { return K == 0 ? 0 : cpuRunCowFaults(); }
export function cpu_run_cow_kept(): i32 { return K == 0 ? 0 : cpuRunCowKept(); }
export function cpu_run_area(): i32 { return K == 0 ? 0 : cpuRunArea(); }

// ---- lwptree.ts checks heads and threads against the current core's tables

export function lwptree_alloc(): i32 { return K == 0 ? 0 : lwptreeAlloc(); }
export function lwptree_free(head: i32): i32 { return K == 0 ? -EINVAL : lwptreeFree(head); }
export function lwptree_valid(head: i32): i32 { return K == 0 ? 0 : lwptreeValid(head); }
export function lwp_insert(head: i32, td: i32, tid: i32): i32 { return K == 0 ? -EINVAL : lwpInsert(head, td, tid); }
export function lwp_remove(head: i32, td: i32): i32 { return K == 0 ? -EINVAL : lwpRemove(head, td); }
export function lwp_lookup(head: i32, tid: i32): i32 { return K == 0 ? 0 : lwpLookup(head, tid); }
export function lwp_first(head: i32): i32 { return K == 0 ? 0 : lwpFirst(head); }
/** RB_NEXT of a thread in a tree; 0 for a dead thread or one in no tree. */
export function lwp_next(td: i32): i32 { return liveTd(td) ? lwpNext(td) : 0; }
export function lwp_count(head: i32): i32 { return K == 0 ? -EINVAL : lwpCount(head); }
export function lwptree_dump(head: i32): i32 { return K == 0 ? -EINVAL : lwptreeDump(head); }
export function thread_rbnode(td: i32): i32 { return K == 0 ? 0 : threadRbnode(td); }

// ---- rbtree.ts over nodes anywhere in memory: the head and node given must lie in
// memory (-EFAULT); the links inside the tree are the host's (docs/embedding.md)

function headIn(head: i32): bool { return inMemory(head, RB_HEAD_BYTES); }
function nodeIn(node: i32): bool { return node != 0 && inMemory(node, RB_NODE_BYTES); }

export function rb_insert(head: i32, node: i32): i32 { return headIn(head) && nodeIn(node) ? rbInsert(head, node) : -EFAULT; }
export function rb_remove(head: i32, node: i32): i32 { return headIn(head) && nodeIn(node) ? rbRemove(head, node) : -EFAULT; }
export function rb_find(head: i32, node: i32): i32 { return headIn(head) && nodeIn(node) ? rbFind(head, node) : -EFAULT; }
export function rb_lookup(head: i32, key: i32): i32 { return headIn(head) ? rbLookup(head, key) : -EFAULT; }
export function rb_next(node: i32): i32 { return nodeIn(node) ? rbNext(node) : -EFAULT; }
export function rb_prev(node: i32): i32 { return nodeIn(node) ? rbPrev(node) : -EFAULT; }
export function rb_min(head: i32): i32 { return headIn(head) ? rbMin(head) : -EFAULT; }
export function rb_max(head: i32): i32 { return headIn(head) ? rbMax(head) : -EFAULT; }
export function rb_root(head: i32): i32 { return headIn(head) ? rbRoot(head) : -EFAULT; }
export function rb_dump(head: i32): i32 { return K == 0 ? -EINVAL : rbDump(head); }
