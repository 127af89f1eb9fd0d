// The core's exports: ABI version 2.0 (docs/embedding.md). Every value is an i32; errors
// are negative errno values.

// core.ts: creation and layout
export {
  init as core_init, initAt as core_init_at, metaBytes as core_meta_bytes,
  select as core_select, current as core_current, defaultMaxThreads as core_default_max_threads,
  heapStart as core_heap_base,
} from "./core";
export {
  abiVersion as core_abi_version, abiMinor as core_abi_minor, physBase as core_phys_base, physBytes as core_phys_bytes,
  iobuf as core_iobuf, iobufBytes as core_iobuf_bytes, statValue as core_stat,
  faultVa as core_fault_va, faultErr as core_fault_err, lastError as core_last_error,
  scratch as core_scratch, kernelPdir as core_kernel_pdir, table as core_table,
} from "./info";

// abi.ts: the entry points of frames.ts, pmap.ts, cpu.ts, x86.ts, lwptree.ts and
// rbtree.ts, each checking what its implementation takes on trust
export {
  frame_alloc, frame_ref, frame_unref, frame_refcount, frames_free, frames_total, frame_fail_after,
  pmap_create, pmap_destroy, pmap_valid, pmap_cr3, pmap_enter, pmap_remove, pmap_protect,
  pmap_translate, pmap_fault, pmap_fork, pmap_fork_skip, pmap_protect_none, pmap_enter_frame, pmap_pte, pmap_pde, pmap_next, pmap_resident,
  pmap_ptcount, pmap_unshare, copyin, copyout, copyin_word, copyout_word,
  rb_insert, rb_remove, rb_find, rb_lookup, rb_next, rb_prev, rb_min, rb_max, rb_root, rb_dump,
  lwptree_alloc, lwptree_free, lwptree_valid, lwp_insert, lwp_remove, lwp_lookup, lwp_first, lwp_next,
  lwp_count, lwptree_dump, thread_rbnode,
  thread_alloc, thread_free, thread_valid, thread_table_full, thread_kstack, thread_pcb, thread_regs, thread_sp,
  pcb_get, pcb_set, tf_get, tf_set, cpu_fork, cpu_set_fork_handler, cpu_prepare_lwp,
  cpu_switchin, fork_return, exec_setregs, threads_used, thread_tf, thread_set_tls, thread_tls, thread_tls_set,
  cpu_run, cpu_run_count, cpu_run_stop, cpu_run_cow, cpu_run_cow_faults, cpu_run_cow_kept, cpu_run_area,
} from "./abi";
