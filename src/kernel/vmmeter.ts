// struct vmmeter (sys/vmmeter.h 1.10): each virtual CPU counts into its own gd_cnt, and
// sysctl vm.stats sums them, as DragonFly does.
export class Vmmeter {
  v_swtch = 0;
  v_syscall = 0;
  v_forks = 0;
  v_vforks = 0;
  v_rforks = 0;
  v_exec = 0;
  v_kthreads = 0;
  v_forkpages = 0;
  v_vforkpages = 0;
  v_rforkpages = 0;
  v_kthreadpages = 0;
  v_cow_faults = 0;
  v_cow_optim = 0;
  v_trap = 0;

  /** Adds another CPU's counters into this one. */
  add(o: Vmmeter): this {
    for (const k of Object.keys(this) as (keyof Vmmeter)[]) {
      if (typeof this[k] === "number") (this[k] as number) += o[k] as number;
    }
    return this;
  }
}
export type VmmeterCounters = { [K in keyof Vmmeter as Vmmeter[K] extends number ? K : never]: number };
