// getrlimit/setrlimit: struct rlimit is two 64-bit quads (rlim_cur, rlim_max).
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import { kern_getrlimit, kern_setrlimit, RLIM_INFINITY } from "./resource.js";
import { EFAULT } from "./errno.js";

function quadToNumber(lo: number, hi: number): number {
  if (hi < 0) return -1;                               // negative: the kernel's "infinite"
  const v = hi * 0x100000000 + lo;
  return v >= Number.MAX_SAFE_INTEGER ? RLIM_INFINITY : v;
}
function numberToQuad(v: number): [number, number] {
  if (v >= RLIM_INFINITY) return [0xFFFFFFFF, 0x7FFFFFFF]; // 2^63 - 1
  return [v % 0x100000000, Math.floor(v / 0x100000000)];
}

export function* sys_getrlimit(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const r = kern_getrlimit(lp.lwp_proc, args[0] | 0);
  if (typeof r === "number") return -r;
  const b = new Uint8Array(16), dv = new DataView(b.buffer);
  const [cl, ch] = numberToQuad(r.rlim_cur), [ml, mh] = numberToQuad(r.rlim_max);
  dv.setUint32(0, cl, true); dv.setUint32(4, ch, true); dv.setUint32(8, ml, true); dv.setUint32(12, mh, true);
  return k.copyout(lp.lwp_proc, args[1], b);
}

export function* sys_setrlimit(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const b = k.copyin(lp.lwp_proc, args[1], 16);
  if (!b) return EFAULT;
  const dv = new DataView(b.buffer, b.byteOffset, 16);
  const rlim = {
    rlim_cur: quadToNumber(dv.getUint32(0, true), dv.getInt32(4, true)),
    rlim_max: quadToNumber(dv.getUint32(8, true), dv.getInt32(12, true)),
  };
  return -kern_setrlimit(lp.lwp_proc, args[0] | 0, rlim, lp.lwp_proc.p_ucred!, k.rlimitTunables());
}
