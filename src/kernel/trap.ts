// The way back to user mode (userret): deliver what is pending, which for a default
// action may end the process here.
import type { Kernel } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import { takeSignal } from "./signal.js";
import { exit1 } from "./exit.js";
import { W_EXITCODE } from "./param.js";

export function* userret(k: Kernel, lp: Lwp): KGen<void> {
  const t = takeSignal(lp);
  if (t) {
    yield* exit1(k, lp, W_EXITCODE(0, t.sig));
    return;
  }
  lp.mode = "user";
}
