// __sysctl (kern_sysctl.c 1.29, kern_mib.c 1.16; reference userland §9) over the MIB
// nodes libc start-up and programs ask for, and set_tls_area / get_tls_area (tls.c 1.8;
// reference §10.4), the per-thread TLS descriptors a %gs selector names.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import { EFAULT, EINVAL, ENOENT, ENOMEM, ENOTDIR, EPERM, ERANGE } from "./errno.js";
import { PAGE_SIZE, USRSTACK } from "./param.js";

// Top-level identifiers (sys/sysctl.h 1.26).
export const CTL_KERN = 1, CTL_VM = 2, CTL_VFS = 3, CTL_NET = 4, CTL_DEBUG = 5, CTL_HW = 6, CTL_MACHDEP = 7, CTL_USER = 8;
/** CTL_MAXNAME: the most components a name may have. */
const CTL_MAXNAME = 12;
const PS_STRINGS = USRSTACK - 16;
const MAXHOSTNAMELEN = 256;

/** A leaf: its value as bytes, and a setter if it may be written (by root). */
interface Leaf { get(k: Kernel): Uint8Array; set?: (k: Kernel, v: Uint8Array) => number }

const str = (s: string): Uint8Array => new TextEncoder().encode(s + "\0");
const int = (v: number): Uint8Array => { const b = new Uint8Array(4); new DataView(b.buffer).setInt32(0, v | 0, true); return b; };
const ints = (vs: number[]): Uint8Array => { const b = new Uint8Array(4 * vs.length); vs.forEach((v, i) => new DataView(b.buffer).setInt32(4 * i, v | 0, true)); return b; };

/** The nodes below CTL_KERN and CTL_HW that forklab answers (the rest are ENOENT). */
const MIB: Record<number, Record<number, Leaf>> = {
  [CTL_KERN]: {
    1: { get: () => str("DragonFly") },                           // kern.ostype
    2: { get: () => str("1.13.0-DEVELOPMENT") },                  // kern.osrelease
    3: { get: () => int(200708) },                                // kern.osrevision
    4: { get: () => str("DragonFly 1.13.0-DEVELOPMENT #0: Fri May  9 06:38:19 UTC 2008\n    root@forklab:/usr/obj/usr/src/sys/GENERIC\n") }, // kern.version
    6: { get: (k) => int(k.tun.maxproc) },                        // kern.maxproc (CTLFLAG_RD)
    7: { get: (k) => int(2 * k.tun.maxproc) },                    // kern.maxfiles
    8: { get: () => int(65536) },                                 // kern.argmax
    10: {                                                          // kern.hostname
      get: (k) => str(k.hostname),
      set: (k, v) => {
        if (v.length >= MAXHOSTNAMELEN) return EINVAL;
        const nul = v.indexOf(0);
        k.hostname = new TextDecoder().decode(nul >= 0 ? v.subarray(0, nul) : v);
        return 0;
      },
    },
    12: { get: (k) => ints([k.clock.hz, Math.floor(1000000 / k.clock.hz), 0, 128, 128]) }, // kern.clockrate
    24: { get: () => int(197700) },                               // kern.osreldate
    32: { get: () => int(PS_STRINGS) },                           // kern.ps_strings
    33: { get: () => int(USRSTACK) },                             // kern.usrstack
  },
  [CTL_HW]: {
    1: { get: () => str("i386") },                                // hw.machine
    2: { get: () => str("forklab virtual i386 (DragonFly 2008)") }, // hw.model
    3: { get: (k) => int(k.tun.ncpus) },                          // hw.ncpu
    4: { get: () => int(1234) },                                  // hw.byteorder
    5: { get: (k) => int(k.tun.physBytes) },                      // hw.physmem
    6: { get: (k) => int(k.core.framesFree() * PAGE_SIZE) },      // hw.usermem
    7: { get: () => int(PAGE_SIZE) },                             // hw.pagesize
    11: { get: () => str("i386") },                               // hw.machine_arch
    12: { get: () => str("pc32") },                               // hw.platform
  },
};
/** Nodes that exist but that forklab leaves empty: a name below them is ENOENT, not ENOTDIR. */
const KNOWN_TOP = new Set([CTL_KERN, CTL_VM, CTL_VFS, CTL_NET, CTL_DEBUG, CTL_HW, CTL_MACHDEP, CTL_USER]);

/** A name's leaf, or the errno sysctl_find_oid gives: ENOENT unknown, ENOTDIR past a leaf. */
function lookup(name: number[]): Leaf | number {
  if (!KNOWN_TOP.has(name[0])) return ENOENT;
  const leaf = MIB[name[0]]?.[name[1]];
  if (!leaf) return ENOENT;
  if (name.length > 2) return ENOTDIR;
  return leaf;
}

/**
 * __sysctl(name, namelen, old, oldlenp, new, newlen). namelen 2..12 else EINVAL. With
 * oldlenp and no old buffer, *oldlenp gets the size needed. A buffer too small gets what
 * fits, *oldlenp its own size, and ENOMEM. A write needs a writable node (EPERM) and root
 * (EPERM); the old value is returned first.
 */
export function* sys___sysctl(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const p = lp.lwp_proc;
  const [namep, namelen, oldp, oldlenp, newp, newlen] = args;
  if (namelen > CTL_MAXNAME || namelen < 2) return EINVAL;
  const name = k.copyinArgs(p, namep, namelen);
  if (!name) return EFAULT;
  const leaf = lookup(name.map((w) => w | 0));
  if (typeof leaf === "number") return leaf;
  let oldlen = 0;
  if (oldlenp !== 0) {
    const w = k.copyinWord(p, oldlenp);
    if (w === null) return EFAULT;
    oldlen = w;
  }
  const val = leaf.get(k);
  let error = 0, reported = val.length;
  if (oldp !== 0 && oldlenp !== 0) {
    const n = Math.min(oldlen, val.length);
    if (n > 0 && k.copyout(p, oldp, val.subarray(0, n))) return EFAULT;
    if (n < val.length) { error = ENOMEM; reported = oldlen; }
  }
  if (newp !== 0 && error === 0) {
    if (!leaf.set) return EPERM;
    if (p.p_ucred!.cr_uid !== 0) return EPERM;
    const v = newlen === 0 ? new Uint8Array(0) : k.copyin(p, newp, Math.min(newlen, 65536));
    if (!v) return EFAULT;
    const e = leaf.set(k, v);
    if (e) return e;
  }
  if (oldlenp !== 0 && k.copyoutWord(p, oldlenp, reported)) return EFAULT;
  return error;
}

/** The selector of TLS slot `which`: ((15 + which) << 3) | 3 (GTLS_START, user RPL). */
export const tlsSelector = (which: number): number => ((15 + which) << 3) | 3;
const NGTLS = 3;

/**
 * set_tls_area(which, info, infosize): which 0..2 else ERANGE; struct tls_info {base,
 * size}: size < -1 EINVAL, 0 clears the slot, -1 means a 4 GiB limit. The slot's
 * selector is returned. Stored in the LWP (Lwp.lwp_tls) and copied at fork.
 */
export function* sys_set_tls_area(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const [which, infop, infosize] = args;
  const w = k.copyinArgs(lp.lwp_proc, infop, Math.min(2, Math.floor(infosize / 4)));
  if (!w) return EFAULT;
  const base = w[0] ?? 0, size = (w[1] ?? 0) | 0;
  if (which < 0 || which >= NGTLS) return ERANGE;
  if (size < -1) return EINVAL;
  lp.lwp_tls[which] = size === 0 ? null : { base: base >>> 0, size };
  k.core.setTls(lp.td, which, size === 0 ? null : base >>> 0); // set_user_TLS: the segment %gs names
  msg.fds[0] = tlsSelector(which);
  return 0;
}

/** get_tls_area(which, info, infosize): the slot's {base, size} and selector; ENOENT if unset. */
export function* sys_get_tls_area(k: Kernel, lp: Lwp, args: number[], msg: SysMsg): KGen<number> {
  const [which, infop, infosize] = args;
  if (which < 0 || which >= NGTLS) return ERANGE;
  const t = lp.lwp_tls[which];
  if (!t) return ENOENT;
  const b = new Uint8Array(8), dv = new DataView(b.buffer);
  dv.setUint32(0, t.base, true);
  dv.setInt32(4, t.size, true);
  const n = Math.min(8, infosize);
  if (n > 0 && k.copyout(lp.lwp_proc, infop, b.subarray(0, n))) return EFAULT;
  msg.fds[0] = tlsSelector(which);
  return 0;
}
