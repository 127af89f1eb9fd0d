// execve (kern_exec.c 1.63, reference §6.12): a new address space from a program image,
// the argument strings on a fresh user stack, and the vfork parent released.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import type { ProgramImage } from "./image.js";
import {
  P_EXEC, P_PPWAIT, P_INEXEC, P_WEXIT, LWP_WEXIT, AFORK, NOTE_EXEC, USRSTACK, PAGE_SIZE, SIGKILL,
  SIGABRT, W_EXITCODE, MAXCOMLEN,
} from "./param.js";
import { EFAULT, EJUSTRETURN, ENOMEM, E2BIG, ENAMETOOLONG } from "./errno.js";
import { wakeup, tsleep } from "./synch.js";
import { ksignal } from "./signal.js";
import { vmspace_alloc, vmspace_free, pmap_replacevm, setStackGeometry } from "./vm.js";
import { vref, vrele } from "./vfs.js";
import { exit1 } from "./exit.js";

const ARG_MAX = 65536;
const PATH_MAX = 1024;

export function* sys_execve(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const p = lp.lwp_proc;
  const path = k.copyinstr(p, args[0], PATH_MAX);
  if (path === null) return EFAULT;
  if (path === undefined) return ENAMETOOLONG;
  const argv = readStringVector(k, lp, args[1]);
  if (typeof argv === "number") return argv;
  const envp = readStringVector(k, lp, args[2]);
  if (typeof envp === "number") return envp;
  const found = k.lookupProgram(p, path);
  if (typeof found === "number") return found;
  return yield* kern_execve(k, lp, found.image, argv, envp, found.vnode);
}

/** A NULL-terminated vector of user string pointers; an errno on a bad pointer or too much. */
function readStringVector(k: Kernel, lp: Lwp, uva: number): string[] | number {
  const out: string[] = [];
  if (uva === 0) return out;
  let total = 0;
  for (let i = 0; ; i++) {
    const ptr = k.copyinWord(lp.lwp_proc, (uva + 4 * i) >>> 0);
    if (ptr === null) return EFAULT;
    if (ptr === 0) return out;
    const s = k.copyinstr(lp.lwp_proc, ptr, ARG_MAX);
    if (s === null) return EFAULT;
    if (s === undefined || (total += s.length + 1) > ARG_MAX) return E2BIG;
    out.push(s);
  }
}

/**
 * The body of execve once the image is known. Returns EJUSTRETURN: exec_setregs has
 * built the new user frame, which the syscall return must leave alone.
 */
export function* kern_execve(k: Kernel, lp: Lwp, image: ProgramImage, argv: string[], envp: string[],
  vnode: import("./vfs.js").Vnode | null): KGen<number> {
  const p = lp.lwp_proc;

  // exec_new_vmspace: the other LWPs go (killalllwps(1) leaves P_WEXIT clear for us).
  if (p.p_nthreads > 1) {
    p.p_flag |= P_WEXIT;
    for (const t of k.lwpsOf(p)) if (t !== lp) { t.lwp_flag |= LWP_WEXIT; ksignal(k, p, SIGKILL, t); }
    while (p.p_nthreads > 1) yield* tsleep(k, lp, k.nthreadsChan(p), 0, "exec", k.clock.hz);
    p.p_flag &= ~P_WEXIT;
    lp.lwp_flag &= ~LWP_WEXIT;
  }
  p.p_flag |= P_INEXEC;
  let vm = p.p_vmspace!;
  if (vm.vm_refcnt > 1 || vm.vm_exitingcnt > 0) {
    // Shared (after vfork or RFMEM): a new vmspace (vmspace_exec).
    const nvm = vmspace_alloc(k);
    if (!nvm) { p.p_flag &= ~P_INEXEC; return ENOMEM; }
    pmap_replacevm(k, p, nvm);
    vmspace_free(k, vm);
    vm = nvm;
  } else {
    k.core.remove(vm.vm_pmap, 0, USRSTACK);
  }
  setStackGeometry(vm);

  // Past the point of no return: a failure now kills the process (exec_fail_dealloc).
  const sp = loadImage(k, vm.vm_pmap, image, argv, envp);
  if (sp === -1) {
    p.p_flag &= ~P_INEXEC;
    yield* exit1(k, lp, W_EXITCODE(0, SIGABRT));
    return EJUSTRETURN;
  }
  vm.vm_tsize = image.segments.filter((s) => !(s.prot & 2)).reduce((n, s) => n + pagesOf(s.vaddr, s.memsz), 0);
  vm.vm_dsize = image.segments.filter((s) => s.prot & 2).reduce((n, s) => n + pagesOf(s.vaddr, s.memsz), 0);
  vm.vm_taddr = image.segments.length ? image.segments[0].vaddr & ~(PAGE_SIZE - 1) : 0;
  vm.vm_daddr = image.segments.find((s) => s.prot & 2)?.vaddr ?? 0;

  p.p_comm = image.name.slice(0, MAXCOMLEN);
  lp.lwp_thread.td_comm = p.p_comm;
  p.image = image;
  if (vnode) vref(vnode);
  if (p.p_textvp) vrele(p.p_textvp);
  p.p_textvp = vnode;
  k.core.execSetregs(lp.td, image.entry, sp.esp, sp.psStrings);

  p.p_flag |= P_EXEC;
  if (p.p_pptr && (p.p_flag & P_PPWAIT)) {
    p.p_flag &= ~P_PPWAIT;
    wakeup(k, p.p_pptr);
  }
  p.p_flag &= ~P_INEXEC;
  p.p_acflag &= ~AFORK;
  k.cpus[lp.cpu].gd_cnt.v_exec++;
  k.KNOTE(p, NOTE_EXEC);
  if (k.events.wants("exec")) k.events.emit({ type: "exec", pid: p.p_pid, name: image.name, argc: argv.length });
  return EJUSTRETURN;
}

function pagesOf(va: number, len: number): number {
  return len === 0 ? 0 : Math.floor((va + len - 1) / PAGE_SIZE) - Math.floor(va / PAGE_SIZE) + 1;
}

/**
 * Maps the image's segments and builds the initial stack: argc, argv[], NULL, envp[],
 * NULL, then the strings, with a struct ps_strings (argv, argc, envp, envc) at the top.
 * Returns esp and the ps_strings address, or -1 when memory runs out.
 */
function loadImage(k: Kernel, pm: number, image: ProgramImage, argv: string[], envp: string[]): { esp: number; psStrings: number } | -1 {
  const core = k.core;
  for (const s of image.segments) {
    const first = s.vaddr & ~(PAGE_SIZE - 1);
    for (let va = first; va < s.vaddr + s.memsz; va += PAGE_SIZE) {
      // Two segments may share a page: map it once with the union of their protections.
      const old = core.pte(pm, va);
      const prot = (old & 1) ? (s.prot | ((old & 2) ? 2 : 0) | 1) : s.prot;
      if (old & 1) { if ((old & 2) === 0 && (prot & 2)) core.protect(pm, va, va + PAGE_SIZE, prot); continue; }
      if (core.enter(pm, va, prot) < 0) return -1;
    }
    for (let off = 0; off < s.data.length; off += 65536) {
      const chunk = s.data.subarray(off, Math.min(s.data.length, off + 65536));
      if (core.copyout(pm, s.vaddr + off, chunk) !== 0) return -1;
    }
  }
  // The stack: strings, ps_strings, vectors, argc. Map as many top pages as they need.
  const enc = new TextEncoder();
  const strs = [...argv, ...envp].map((s) => enc.encode(s + "\0"));
  const strBytes = strs.reduce((n, b) => n + b.length, 0);
  const psStrings = USRSTACK - 16;
  let strp = (psStrings - strBytes) & ~3;
  const vecBytes = 4 * (1 + argv.length + 1 + envp.length + 1);
  const esp = (strp - vecBytes) & ~15;
  for (let va = (esp & ~(PAGE_SIZE - 1)) >>> 0; va < USRSTACK; va += PAGE_SIZE) {
    if (core.enter(pm, va, 3) < 0) return -1;
  }
  const ptrs: number[] = [];
  for (const b of strs) { ptrs.push(strp); core.copyout(pm, strp, b); strp += b.length; }
  const words = [argv.length, ...ptrs.slice(0, argv.length), 0, ...ptrs.slice(argv.length), 0];
  const vec = new Uint8Array(words.length * 4);
  const dv = new DataView(vec.buffer);
  words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
  core.copyout(pm, esp, vec);
  const argvp = esp + 4, envpp = esp + 4 * (argv.length + 2);
  const ps = new Uint8Array(16);
  const pdv = new DataView(ps.buffer);
  pdv.setUint32(0, argvp, true); pdv.setUint32(4, argv.length, true);
  pdv.setUint32(8, envpp, true); pdv.setUint32(12, envp.length, true);
  core.copyout(pm, psStrings, ps);
  return { esp, psStrings };
}
