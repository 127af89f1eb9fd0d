// umtx_sleep and umtx_wakeup (kern_umtx.c 1.7, 2007): the kernel half of userland mutexes
// (libthread_xu's, libc/pthread here). The wait channel is the PHYSICAL address of the
// word, so threads of one process, and processes sharing the page (MAP_SHARED, rfork
// RFMEM, or a copy-on-write page neither has written yet), meet on it.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import { PCATCH } from "./param.js";
import { EBUSY, EFAULT, EINTR, EINVAL, ERESTART } from "./errno.js";
import { tsleep, unsleep } from "./synch.js";

/** The wait channel of each physical address someone sleeps on, per kernel (removed when the last sleeper leaves). */
const channels = new WeakMap<Kernel, Map<number, object>>();

/**
 * vm_fault_page_quick(ptr, VM_PROT_READ) and VM_PAGE_TO_PHYS: the physical address of the
 * int at ptr (faulted in for reading, no copy-on-write break), or null for EFAULT.
 */
function umtxAddress(k: Kernel, lp: Lwp, ptr: number): { pa: number; value: number } | null {
  const p = lp.lwp_proc;
  const value = k.copyinWord(p, ptr);
  if (value === null) return null;
  const pte = k.core.pte(p.p_vmspace!.vm_pmap, ptr & ~0xFFF);
  return { pa: ((pte & ~0xFFF) >>> 0) + (ptr & 0xFFF), value: value | 0 };
}

function channel(k: Kernel, pa: number, make: boolean): object | undefined {
  let m = channels.get(k);
  if (!m) { if (!make) return undefined; channels.set(k, (m = new Map())); }
  let c = m.get(pa);
  if (!c && make) m.set(pa, (c = { umtx: pa }));
  return c;
}

/**
 * umtx_sleep(ptr, value, timeout): if *ptr == value, an interruptible sleep of up to
 * `timeout` µs (0: no limit). 0 when woken; EBUSY when *ptr != value; EINVAL for a
 * timeout over 1000000 (compared unsigned); EFAULT for a misaligned or bad ptr.
 * 2008 quirks, kept: a timeout ends the sleep with tsleep's EWOULDBLOCK (EAGAIN, 35), not
 * the ETIMEDOUT umtx.2 promises; a signal ends it with EINTR even under SA_RESTART.
 */
export function* sys_umtx_sleep(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [ptr, value, timeout] = args;
  if ((timeout >>> 0) > 1_000_000) return EINVAL;
  if (ptr & 3) return EFAULT;
  const at = umtxAddress(k, lp, ptr);
  if (!at) return EFAULT;
  if (at.value !== value) return EBUSY;
  const hz = k.clock.hz;
  const ticks = timeout === 0 ? 0 : Math.floor((timeout * hz + 999_999) / 1_000_000);
  const chan = channel(k, at.pa, true)!;
  let error = yield* tsleep(k, lp, chan, PCATCH, "umtxsl", ticks);
  if (!k.sleepq.has(chan)) channels.get(k)!.delete(at.pa);
  if (error === ERESTART) error = EINTR; // always out on a signal, even a restartable one
  return error;
}

/**
 * umtx_wakeup(ptr, count): count 1 wakes the first sleeper on ptr's physical address,
 * any other count (0 included) wakes them all. 0, or EFAULT for a misaligned or bad ptr.
 */
export function* sys_umtx_wakeup(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const [ptr, count] = args;
  if (ptr & 3) return EFAULT;
  const at = umtxAddress(k, lp, ptr);
  if (!at) return EFAULT;
  const chan = channel(k, at.pa, false);
  if (!chan) return 0;
  const sleepers = k.sleepq.sleepers(chan);
  for (const t of count === 1 ? sleepers.slice(0, 1) : sleepers) unsleep(k, t, 0);
  return 0;
}
