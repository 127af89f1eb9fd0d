// The core's exports: ABI version 1 (docs/core.md). Every value is an i32; errors are
// negative errno values. Each module owns its block below.

// core.ts: creation and layout
export {
  init as core_init, initAt as core_init_at, metaBytes as core_meta_bytes,
  select as core_select, current as core_current, defaultMaxThreads as core_default_max_threads,
} from "./core";
export {
  abiVersion as core_abi_version, physBase as core_phys_base, physBytes as core_phys_bytes,
  iobuf as core_iobuf, iobufBytes as core_iobuf_bytes, statValue as core_stat,
  faultVa as core_fault_va, faultErr as core_fault_err, lastError as core_last_error,
  scratch as core_scratch, kernelPdir as core_kernel_pdir, table as core_table,
} from "./info";

// frames.ts: physical frames
export {
  frameAlloc as frame_alloc, frameRef as frame_ref, frameUnref as frame_unref,
  frameRefcount as frame_refcount, framesFree as frames_free, framesTotal as frames_total,
  frameFailAfter as frame_fail_after,
} from "./frames";

// pmap.ts: i386 page tables, fork, faults, copyin/copyout
export {
  pmap_create, pmap_destroy, pmap_valid, pmap_cr3, pmap_enter, pmap_remove, pmap_protect,
  pmap_translate, pmap_fault, pmap_fork, pmap_pte, pmap_pde, pmap_next, pmap_resident,
  pmap_ptcount, copyin, copyout, copyin_word, copyout_word,
} from "./pmap";

// rbtree.ts / lwptree.ts: the sys/tree.h red-black tree, and per-process LWP trees
export {
  rb_insert, rb_remove, rb_find, rb_lookup, rb_next, rb_prev, rb_min, rb_max, rb_root, rb_dump,
} from "./rbtree";
export {
  lwptree_alloc, lwptree_free, lwp_insert, lwp_remove, lwp_lookup, lwp_first, lwp_next,
  lwp_count, lwptree_dump, thread_rbnode,
} from "./lwptree";

// cpu.ts: kernel threads and stacks, pcb, trapframe, cpu_fork
export {
  thread_alloc, thread_free, thread_valid, thread_kstack, thread_pcb, thread_regs, thread_sp,
  pcb_get, pcb_set, tf_get, tf_set, cpu_fork, cpu_set_fork_handler, cpu_prepare_lwp,
  cpu_switchin, fork_return, exec_setregs, threads_used, tfLinear as thread_tf,
} from "./cpu";

// x86.ts: user mode, an i386 interpreter at CPL 3 (docs/x86.md)
export {
  cpu_run, cpu_run_count, cpu_run_stop, cpu_run_cow, cpu_run_cow_faults, cpu_run_cow_kept, cpu_run_area,
} from "./x86";
