// Resource usage (kern_resource.c 1.34 getrusage/calcru/ruadd, kern_exit.c 1.90;
// reference §6): struct rusage per LWP (its counters), per process (p_ru: what exited
// LWPs left, and at exit the whole process's figure) and for reaped children (p_cru).
// Times come from the cost model's cycles: instructions retired in user mode are user
// time; syscall entry, fork, exec and switch costs are system time (docs/kernel.md).
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, Proc, KGen } from "./proc.js";
import { EINVAL } from "./errno.js";
import { PAGE_SIZE } from "./param.js";

export const RUSAGE_SELF = 0;
export const RUSAGE_CHILDREN = -1;
export const RUSAGE_SIZE = 72;

/** struct rusage: times in microseconds, then the fourteen longs. */
export class Rusage {
  ru_utime = 0;
  ru_stime = 0;
  ru_maxrss = 0;   // KiB
  ru_ixrss = 0;
  ru_idrss = 0;
  ru_isrss = 0;
  ru_minflt = 0;
  ru_majflt = 0;
  ru_nswap = 0;
  ru_inblock = 0;
  ru_oublock = 0;
  ru_msgsnd = 0;
  ru_msgrcv = 0;
  ru_nsignals = 0;
  ru_nvcsw = 0;
  ru_nivcsw = 0;

  /** ruadd(this, ru): times and counters summed, maxrss maximised. */
  add(ru: Rusage): void {
    this.ru_utime += ru.ru_utime;
    this.ru_stime += ru.ru_stime;
    this.ru_maxrss = Math.max(this.ru_maxrss, ru.ru_maxrss);
    this.addCounters(ru);
  }
  /** The counters alone (what lwp_exit adds of an LWP's lwp_ru: it keeps no times). */
  addCounters(ru: Rusage): void {
    this.ru_ixrss += ru.ru_ixrss; this.ru_idrss += ru.ru_idrss; this.ru_isrss += ru.ru_isrss;
    this.ru_minflt += ru.ru_minflt; this.ru_majflt += ru.ru_majflt; this.ru_nswap += ru.ru_nswap;
    this.ru_inblock += ru.ru_inblock; this.ru_oublock += ru.ru_oublock;
    this.ru_msgsnd += ru.ru_msgsnd; this.ru_msgrcv += ru.ru_msgrcv;
    this.ru_nsignals += ru.ru_nsignals; this.ru_nvcsw += ru.ru_nvcsw; this.ru_nivcsw += ru.ru_nivcsw;
  }
  clone(): Rusage { const r = new Rusage(); r.add(this); return r; }

  /** The 72 bytes of struct rusage (timevals, then longs, each 32 bits). */
  bytes(): Uint8Array {
    const b = new Uint8Array(RUSAGE_SIZE), dv = new DataView(b.buffer);
    const tv = (off: number, us: number): void => {
      dv.setInt32(off, Math.floor(us / 1e6), true);
      dv.setInt32(off + 4, us % 1e6, true);
    };
    tv(0, this.ru_utime);
    tv(8, this.ru_stime);
    const longs = [this.ru_maxrss, this.ru_ixrss, this.ru_idrss, this.ru_isrss, this.ru_minflt, this.ru_majflt,
      this.ru_nswap, this.ru_inblock, this.ru_oublock, this.ru_msgsnd, this.ru_msgrcv, this.ru_nsignals,
      this.ru_nvcsw, this.ru_nivcsw];
    longs.forEach((v, i) => dv.setInt32(16 + 4 * i, v | 0, true));
    return b;
  }
}

/** Cycles of the virtual CPU as whole microseconds (rounded down). */
export function cyclesToUs(k: Kernel, cycles: number): number {
  return Math.floor(cycles * 1e6 / k.tun.cpuHz);
}

/**
 * calcru_proc: RUSAGE_SELF, p_ru (what exited LWPs left) plus each live LWP's times
 * and counters, and maxrss from the pages the address space has resident now. Summed
 * into `ru`, a copy of p_ru unless given: exit1 passes p_ru itself, which the sum replaces.
 */
export function calcru_proc(k: Kernel, p: Proc, ru: Rusage = p.p_ru.clone()): Rusage {
  let u = 0, s = 0;
  for (let lp = k.firstLwp(p); lp !== null; lp = k.nextLwp(lp)) {
    u += lp.lwp_thread.td_ucycles;
    s += lp.lwp_thread.td_scycles;
    ru.addCounters(lp.lwp_ru);
  }
  ru.ru_utime += cyclesToUs(k, u);
  ru.ru_stime += cyclesToUs(k, s);
  const vm = p.p_vmspace;
  // A referenced vmspace has a live pmap: the raw export, without the handle check.
  if (vm && vm.vm_refcnt + vm.vm_exitingcnt > 0) ru.ru_maxrss = Math.max(ru.ru_maxrss, k.core.x.pmap_resident(vm.vm_pmap) * (PAGE_SIZE / 1024));
  return ru;
}

/** getrusage(who, rusage): RUSAGE_SELF or RUSAGE_CHILDREN, else EINVAL. */
export function* sys_getrusage(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [who, rusage] = args;
  const p = lp.lwp_proc;
  let ru: Rusage;
  switch (who) {
    case RUSAGE_SELF: ru = calcru_proc(k, p); break;
    case RUSAGE_CHILDREN: ru = p.p_cru; break;
    default: return EINVAL;
  }
  return k.copyout(p, rusage, ru.bytes());
}
