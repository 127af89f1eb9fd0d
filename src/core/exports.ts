// The core's ABI (docs/embedding.md) as TypeScript sees it. Both backends, the Wasm build and
// the portable JavaScript build, provide exactly these functions. Every value is an i32.

export interface CoreExports {
  core_init(physBytes: number, maxThreads: number): number;
  core_init_at(ctl: number, physBase: number, physBytes: number, maxThreads: number): number;
  core_meta_bytes(physBytes: number, maxThreads: number): number;
  core_select(ctl: number): number;
  core_current(): number;
  core_default_max_threads(physBytes: number): number;
  core_abi_version(): number;
  core_abi_minor(): number;
  core_heap_base(): number;
  core_phys_base(): number;
  core_phys_bytes(): number;
  core_iobuf(): number;
  core_iobuf_bytes(): number;
  core_stat(i: number): number;
  core_fault_va(): number;
  core_fault_err(): number;
  core_last_error(): number;
  core_scratch(bytes: number): number;
  core_kernel_pdir(): number;
  core_table(i: number): number;

  frame_alloc(): number;
  frame_ref(pa: number): number;
  frame_unref(pa: number): number;
  frame_refcount(pa: number): number;
  frames_free(): number;
  frames_total(): number;
  frame_fail_after(n: number): number;

  pmap_create(): number;
  pmap_destroy(pm: number): number;
  pmap_valid(pm: number): number;
  pmap_cr3(pm: number): number;
  pmap_enter(pm: number, va: number, prot: number): number;
  pmap_remove(pm: number, sva: number, eva: number): number;
  pmap_protect(pm: number, sva: number, eva: number, prot: number): number;
  pmap_translate(pm: number, va: number, access: number): number;
  pmap_fault(pm: number, va: number, err: number): number;
  pmap_fork(pm: number, strategy: number): number;
  pmap_fork_skip(pm: number, strategy: number, ranges: number, n: number): number;
  pmap_protect_none(pm: number, sva: number, eva: number): number;
  pmap_enter_frame(pm: number, va: number, pa: number, prot: number): number;
  pmap_pte(pm: number, va: number): number;
  pmap_pde(pm: number, va: number): number;
  pmap_next(pm: number, va: number): number;
  pmap_resident(pm: number): number;
  pmap_ptcount(pm: number): number;
  pmap_unshare(pm: number, sva: number, eva: number, keepWhole: number): number;
  copyin(pm: number, uva: number, dst: number, len: number): number;
  copyout(pm: number, src: number, uva: number, len: number): number;
  copyin_word(pm: number, uva: number): number;
  copyout_word(pm: number, uva: number, v: number): number;

  rb_insert(head: number, node: number): number;
  rb_remove(head: number, node: number): number;
  rb_find(head: number, node: number): number;
  rb_lookup(head: number, key: number): number;
  rb_next(node: number): number;
  rb_prev(node: number): number;
  rb_min(head: number): number;
  rb_max(head: number): number;
  rb_root(head: number): number;
  rb_dump(head: number): number;

  lwptree_alloc(): number;
  lwptree_free(head: number): number;
  lwptree_valid(head: number): number;
  thread_table_full(): number;
  lwp_insert(head: number, td: number, tid: number): number;
  lwp_remove(head: number, td: number): number;
  lwp_lookup(head: number, tid: number): number;
  lwp_first(head: number): number;
  lwp_next(td: number): number;
  lwp_count(head: number): number;
  lwptree_dump(head: number): number;
  thread_rbnode(td: number): number;

  thread_alloc(): number;
  thread_free(td: number): number;
  thread_valid(td: number): number;
  thread_kstack(td: number): number;
  thread_pcb(td: number): number;
  thread_regs(td: number): number;
  thread_sp(td: number): number;
  pcb_get(td: number, off: number): number;
  pcb_set(td: number, off: number, v: number): number;
  tf_get(td: number, off: number): number;
  tf_set(td: number, off: number, v: number): number;
  cpu_fork(td1: number, td2: number, pm2: number, flags: number): number;
  cpu_set_fork_handler(td: number, func: number, arg: number): number;
  cpu_prepare_lwp(td: number, pm: number, func: number, arg: number, stack: number): number;
  cpu_switchin(td: number): number;
  fork_return(td: number): number;
  exec_setregs(td: number, entry: number, stack: number, psStrings: number): number;
  threads_used(): number;

  cpu_run(td: number, pm: number, budget: number): number;
  cpu_run_count(): number;
  cpu_run_stop(): number;
  cpu_run_cow(td: number, pm: number, budget: number): number;
  cpu_run_cow_faults(): number;
  cpu_run_cow_kept(): number;
  cpu_run_area(): number;
  thread_tf(td: number): number;
  thread_set_tls(td: number, which: number, base: number, set: number): number;
  thread_tls(td: number, which: number): number;
  thread_tls_set(td: number, which: number): number;
}

/** What a backend hands the face: the exports and the current memory buffer. */
export interface Backend {
  readonly name: "wasm" | "portable";
  readonly exports: CoreExports;
  buffer(): ArrayBuffer;
}
