// The way back to user mode (userret): deliver what is pending, which for a default
// action may end the process here.
import type { Kernel } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import { takeSignal, pendingUnmasked } from "./signal.js";
import { exit1 } from "./exit.js";
import { W_EXITCODE } from "./param.js";

/**
 * userret's usual case without a generator: nothing pending, so the LWP just returns to
 * user mode (true). False when there is something to deliver: yield* userret then.
 */
export function userret_fast(lp: Lwp): boolean {
  if (pendingUnmasked(lp) !== 0) return false;
  lp.mode = "user";
  return true;
}

export function* userret(k: Kernel, lp: Lwp): KGen<void> {
  const t = takeSignal(lp);
  if (t) {
    yield* exit1(k, lp, W_EXITCODE(0, t.sig));
    return;
  }
  lp.mode = "user";
}
