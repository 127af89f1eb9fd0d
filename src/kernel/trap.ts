// The way back to user mode (userret): while an unmasked signal is pending, postsig acts
// on it: a handler's frame is built (sendsig), a default action may end the process here.
import type { Kernel } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import { issignal, postsig, CURSIG } from "./signal.js";

/**
 * userret's usual case without a generator: nothing pending, so the LWP just returns to
 * user mode (true). False when there is something to deliver: yield* userret then.
 */
export function userret_fast(lp: Lwp): boolean {
  if (CURSIG(lp) !== 0) return false;
  lp.mode = "user";
  return true;
}

/**
 * userret: `while ((sig = CURSIG(lp)) != 0) postsig(sig);` Several caught signals build
 * nested frames, the last one's handler running first.
 */
export function* userret(k: Kernel, lp: Lwp): KGen<void> {
  for (let sig = issignal(lp); sig !== 0; sig = issignal(lp)) {
    const rest = postsig(k, lp, sig);
    if (rest) { yield* rest; return; }
  }
  lp.mode = "user";
}
