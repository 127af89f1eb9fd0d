// The way back to user mode (userret): a stopped process's LWP stops here (tstop); while
// an unmasked signal is pending, postsig acts on it: a handler's frame is built
// (sendsig), a default action may end the process here.
import type { Kernel } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import { SSTOP } from "./param.js";
import { issignal, postsig, tstop, CURSIG } from "./signal.js";

/**
 * userret's usual case without a generator: nothing pending and the process not stopped,
 * so the LWP just returns to user mode (true). False when there is something to do:
 * yield* userret then.
 */
export function userret_fast(k: Kernel, lp: Lwp): boolean {
  if (CURSIG(k, lp) !== 0 || lp.lwp_proc.p_stat === SSTOP) return false;
  lp.mode = "user";
  return true;
}

/**
 * userret: block here while the process is stopped (tstop), then
 * `while ((sig = CURSIG(lp)) != 0) postsig(sig);` (a stop issignal takes stops the
 * process, so the loop stops first). Several caught signals build nested frames, the last
 * one's handler running first.
 */
export function* userret(k: Kernel, lp: Lwp): KGen<void> {
  const p = lp.lwp_proc;
  for (;;) {
    if (p.p_stat === SSTOP) { yield* tstop(k, lp); continue; }
    const sig = issignal(k, lp);
    if (sig === 0) {
      if (p.p_stat === SSTOP) continue;
      break;
    }
    const rest = postsig(k, lp, sig);
    if (rest) { yield* rest; return; }
  }
  lp.mode = "user";
}
