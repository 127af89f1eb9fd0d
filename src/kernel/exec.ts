// execve (kern_exec.c 1.63, reference §6.12): a new address space from a program image,
// the argument strings on a fresh user stack, the descriptor table and signal actions
// unshared, close-on-exec descriptors closed, signals reset, and the vfork parent released.
import type { Kernel, SysMsg } from "./kernel.js";
import type { Lwp, KGen } from "./proc.js";
import type { ProgramImage } from "./image.js";
import {
  P_EXEC, P_PPWAIT, P_INEXEC, P_WEXIT, P_PROFIL, P_SUGID, LWP_WEXIT, AFORK, NOTE_EXEC,
  USRSTACK, PAGE_SIZE, MAXTSIZ, trunc_page, round_page, SIGKILL, SIGABRT, W_EXITCODE, MAXCOMLEN,
} from "./param.js";
import { EFAULT, EJUSTRETURN, ENOMEM, E2BIG, ENAMETOOLONG, EACCES } from "./errno.js";
import { wakeup, tsleep } from "./synch.js";
import { ksignal, execsigs } from "./signal.js";
import { SIGCODE, SIGCODE_VA } from "./sendsig.js";
import { vmspace_alloc, vmspace_free, pmap_replacevm, setStackGeometry } from "./vm.js";
import { vref, vrele, VREG } from "./vfs.js";
import { VmMap, VmMapEntry, VM_PROT_ALL, VM_INHERIT_COPY, vm_map_clear } from "./vm_map.js";
import { exit1 } from "./exit.js";
import { fdcopy, fdfree, fdcloseexec } from "./filedesc.js";
import { crdup, crfree } from "./ucred.js";
import { RLIMIT_DATA, RLIMIT_AS } from "./resource.js";

/** ARG_MAX (kern.argmax): the bytes of argument and environment strings exec takes. */
export const ARG_MAX = 65536;
const PATH_MAX = 1024;
/** kern.ps_arg_cache_limit (PAGE_SIZE / 16) and sizeof(struct pargs) without its bytes. */
const PS_ARG_CACHE_LIMIT = 256;
const PARGS_HEADER = 8;

/**
 * execve(fname, argv, envv): the path, then the strings (exec_copyin_args), then the
 * lookup and the permission checks, then kern_execve.
 */
export function* sys_execve(k: Kernel, lp: Lwp, args: number[], _msg: SysMsg): KGen<number> {
  const p = lp.lwp_proc;
  const path = k.copyinstr(p, args[0], PATH_MAX);
  if (path === null) return EFAULT;
  if (path === undefined) return ENAMETOOLONG;
  const strs = exec_copyin_args(k, lp, path, args[1], args[2]);
  if (typeof strs === "number") return strs;
  const vp = k.vfs.lookup(path, p.p_fd?.fd_cdir ?? k.vfs.root, p.p_fd?.fd_rdir ?? k.vfs.root);
  if (typeof vp === "number") return -vp;
  // exec_check_permissions: a regular file with at least one execute bit, else EACCES.
  if (vp.v_type !== VREG || (vp.v_mode & 0o111) === 0) return EACCES;
  const found = k.imageOf(vp); // no image activator takes it: ENOEXEC
  if (typeof found === "number") return found;
  return yield* kern_execve(k, lp, found.image, strs.argv, strs.envv, found.vnode);
}

/**
 * exec_copyin_args: argv may not be NULL (EFAULT); an empty argv becomes { fname } so an
 * interpreter knows what file to open; envv may be NULL. The strings of both share
 * ARG_MAX bytes (E2BIG beyond); an unreadable pointer or string is EFAULT.
 */
function exec_copyin_args(k: Kernel, lp: Lwp, fname: string, argvp: number, envvp: number): { argv: string[]; envv: string[] } | number {
  if (argvp === 0) return EFAULT;
  const space = { left: ARG_MAX };
  const argv = readStringVector(k, lp, argvp, space);
  if (typeof argv === "number") return argv;
  if (argv.length === 0) {
    const n = utf8Length(fname) + 1;
    if (n > space.left) return E2BIG;
    space.left -= n;
    argv.push(fname);
  }
  const envv = envvp === 0 ? [] : readStringVector(k, lp, envvp, space);
  if (typeof envv === "number") return envv;
  return { argv, envv };
}

export function utf8Length(s: string): number { return new TextEncoder().encode(s).length; }

/** A NULL-terminated vector of user string pointers; an errno on a bad pointer or too much. */
function readStringVector(k: Kernel, lp: Lwp, uva: number, space: { left: number }): string[] | number {
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const ptr = k.copyinWord(lp.lwp_proc, (uva + 4 * i) >>> 0);
    if (ptr === null || ptr === 0xFFFFFFFF) return EFAULT; // fuword's -1
    if (ptr === 0) return out;
    const s = k.copyinstr(lp.lwp_proc, ptr, space.left);
    if (s === null) return EFAULT;
    if (s === undefined) return E2BIG; // ENAMETOOLONG from copyinstr
    const n = utf8Length(s) + 1;
    if (n > space.left) return E2BIG;
    space.left -= n;
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
    vm_map_clear(k, vm); // MAP_INHERIT or not, exec empties the address space
    k.core.remove(vm.vm_pmap, 0, USRSTACK);
  }
  setStackGeometry(vm);

  // Past the point of no return: a failure now kills the process (exec_fail_dealloc).
  const sp = segmentsWithinLimits(p.p_limit!.pl_rlimit, image) ? loadImage(k, vm.vm_pmap, vm.vm_map, image, argv, envp) : -1;
  if (sp === -1) {
    p.p_flag &= ~P_INEXEC;
    yield* exit1(k, lp, W_EXITCODE(0, SIGABRT));
    return EJUSTRETURN;
  }
  // imgact_elf: the segment holding the entry point is the text, the last other one the
  // data (bss included), whose end is where break() starts; one combined segment leaves
  // vm_daddr 0 (reference §7).
  const text = image.segments.find((s) => image.entry >= s.vaddr && image.entry < s.vaddr + s.memsz);
  const data = image.segments.filter((s) => s !== text).pop();
  vm.vm_tsize = text ? pagesOf(text.vaddr, text.memsz) : 0;
  vm.vm_taddr = text ? trunc_page(text.vaddr) : 0;
  vm.vm_dsize = data ? pagesOf(data.vaddr, data.memsz) : 0;
  vm.vm_daddr = data ? trunc_page(data.vaddr) : 0;

  /* For security and other reasons, the file descriptor table cannot be shared after an exec. */
  if (p.p_fd && p.p_fd.fd_refcnt > 1) {
    const tmp = fdcopy(p);
    fdfree(p);
    p.p_fd = tmp;
  }
  /* Nor can the signal handlers: the new process gets a copy, which execsigs resets. */
  if (p.p_sigacts!.ps_refcnt > 1) {
    const nsa = p.p_sigacts!.copy();
    p.p_sigacts!.ps_refcnt--;
    p.p_sigacts = nsa;
    nsa.ps_refcnt = 1;
  }
  p.p_flag &= ~P_PROFIL; // stopprofclock
  fdcloseexec(p);        // close files on exec
  execsigs(lp);          // reset caught signals

  p.p_comm = image.name.slice(0, MAXCOMLEN);
  lp.lwp_thread.td_comm = p.p_comm;
  p.image = image;

  /* mark as execed, wakeup the process that vforked (if any) */
  k.charge(k.tun.cost.exec); // forklab's cost model
  p.p_flag |= P_EXEC;
  if (p.p_pptr && (p.p_flag & P_PPWAIT)) {
    p.p_flag &= ~P_PPWAIT;
    wakeup(k, p.p_pptr);
  }

  /* No set-id images: P_SUGID goes when the ids agree; POSIX saved-id behaviour. */
  const cr = p.p_ucred!;
  if (cr.cr_uid === cr.cr_ruid && cr.cr_gid === cr.cr_rgid) p.p_flag &= ~P_SUGID;
  if (cr.cr_svuid !== cr.cr_uid) {
    const ncr = crdup(k.uids, cr);
    ncr.cr_svuid = ncr.cr_uid;
    p.p_ucred = ncr;
    crfree(k.uids, cr);
  }

  /* Store the vp for use in procfs */
  if (p.p_textvp) vrele(p.p_textvp);
  p.p_textvp = vnode;
  if (vnode) vref(vnode);

  /* Notify others that we exec'd, and clear the P_INEXEC flag. */
  k.KNOTE(p, NOTE_EXEC);
  p.p_flag &= ~P_INEXEC;

  /* clear "fork but no exec" flag, as we _are_ execing */
  p.p_acflag &= ~AFORK;

  /* Set values passed into the program in registers (and no TLS segments, as exec_setregs clears td_tls). */
  k.core.execSetregs(lp.td, image.entry, sp.esp, sp.psStrings);
  lp.lwp_tls = [null, null, null];

  /* Free any previous argument cache; cache the arguments if they fit ps_arg_cache_limit. */
  if (p.p_args && --p.p_args.ar_ref === 0) p.p_args = null;
  p.p_args = null;
  const argBytes = argv.reduce((n, a) => n + new TextEncoder().encode(a).length + 1, 0);
  if (PARGS_HEADER + argBytes <= PS_ARG_CACHE_LIMIT) p.p_args = { ar_ref: 1, ar_args: [...argv] };

  k.cpus[lp.cpu].gd_cnt.v_exec++;
  if (k.events.wants("exec")) k.events.emit({ type: "exec", pid: p.p_pid, name: image.name, argc: argv.length });
  return EJUSTRETURN;
}

/** copyout in the pieces the core's I/O buffer takes; 0 or -EFAULT. */
function copyoutAll(k: Kernel, pm: number, uva: number, bytes: Uint8Array): number {
  const max = k.core.ioMax;
  for (let off = 0; off < bytes.length; off += max) {
    const r = k.core.copyout(pm, uva + off, bytes.subarray(off, off + max));
    if (r !== 0) return r;
  }
  return 0;
}

/**
 * exec_elf_imgact's limit check, made after each PT_LOAD segment is mapped (lazily, in
 * the kernel: nothing is faulted in): the segment holding the entry point is the text,
 * any other the data; data_size > RLIMIT_DATA, text_size > maxtsiz or the running total
 * > RLIMIT_VMEM is ENOMEM, after the old vmspace is gone, so SIGABRT. forklab maps pages
 * eagerly, so it checks before mapping anything; the outcome is the same.
 */
function segmentsWithinLimits(rlimit: readonly { rlim_cur: number }[], image: ProgramImage): boolean {
  let textSize = 0, dataSize = 0, totalSize = 0;
  for (const s of image.segments) {
    const segAddr = trunc_page(s.vaddr);
    const segSize = round_page(s.memsz + s.vaddr - segAddr);
    if (image.entry >= s.vaddr && image.entry < s.vaddr + s.memsz) textSize = segSize;
    else dataSize = segSize;
    totalSize += segSize;
    if (dataSize > rlimit[RLIMIT_DATA].rlim_cur || textSize > MAXTSIZ || totalSize > rlimit[RLIMIT_AS].rlim_cur) return false;
  }
  return true;
}

function pagesOf(va: number, len: number): number {
  return len === 0 ? 0 : Math.floor((va + len - 1) / PAGE_SIZE) - Math.floor(va / PAGE_SIZE) + 1;
}

/**
 * Maps the image's segments and builds the initial stack: argc, argv[], NULL, envp[],
 * NULL, then the strings, with a struct ps_strings (argv, argc, envp, envc) at the top.
 * Returns esp and the ps_strings address, or -1 when memory runs out.
 */
function loadImage(k: Kernel, pm: number, map: VmMap, image: ProgramImage, argv: string[], envp: string[]): { esp: number; psStrings: number } | -1 {
  const core = k.core;
  // Two segments may share a page: each page gets the union of their protections. Pages
  // are mapped writable while the file bytes go in (copyout honours PG_RW, as the MMU
  // does), then the read-only ones are write-protected.
  const pageProt = new Map<number, number>();
  for (const s of image.segments) {
    for (let va = trunc_page(s.vaddr); va < s.vaddr + s.memsz; va += PAGE_SIZE) {
      pageProt.set(va >>> 0, (pageProt.get(va >>> 0) ?? 0) | s.prot | 1);
    }
  }
  for (const va of pageProt.keys()) {
    if (core.enter(pm, va, 3) < 0) return -1;
  }
  for (const s of image.segments) {
    if (copyoutAll(k, pm, s.vaddr, s.data) !== 0) return -1;
  }
  for (const [va, prot] of pageProt) {
    if ((prot & 2) === 0) core.protect(pm, va, va + PAGE_SIZE, prot);
  }
  // The map's entries: runs of pages with one protection (text read/execute, data
  // read/write), private and VM_INHERIT_COPY.
  const pages = [...pageProt].sort((a, b) => a[0] - b[0]);
  for (let i = 0; i < pages.length;) {
    const [start, prot] = pages[i];
    let end = start + PAGE_SIZE;
    while (++i < pages.length && pages[i][0] === end && pages[i][1] === prot) end += PAGE_SIZE;
    map.insert(new VmMapEntry(start, end, prot, VM_PROT_ALL, VM_INHERIT_COPY, prot & 2 ? "data" : "text"));
  }
  // The stack: ps_strings, the signal trampoline below it, strings, vectors, argc. Map
  // as many top pages as they need.
  const enc = new TextEncoder();
  const strs = [...argv, ...envp].map((s) => enc.encode(s + "\0"));
  const strBytes = strs.reduce((n, b) => n + b.length, 0);
  const psStrings = USRSTACK - 16;
  let strp = ((SIGCODE_VA - strBytes) & ~3) >>> 0;
  const vecBytes = 4 * (1 + argv.length + 1 + envp.length + 1);
  const esp = ((strp - vecBytes) & ~15) >>> 0;
  for (let va = trunc_page(esp); va < USRSTACK; va += PAGE_SIZE) {
    if (core.enter(pm, va, 3) < 0) return -1;
  }
  const ptrs: number[] = [];
  for (const b of strs) { ptrs.push(strp); copyoutAll(k, pm, strp, b); strp += b.length; }
  const words = [argv.length, ...ptrs.slice(0, argv.length), 0, ...ptrs.slice(argv.length), 0];
  const vec = new Uint8Array(words.length * 4);
  const dv = new DataView(vec.buffer);
  words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
  copyoutAll(k, pm, esp, vec); // argv and envp vectors can pass the core's 64 KiB buffer
  const argvp = esp + 4, envpp = esp + 4 * (argv.length + 2);
  const ps = new Uint8Array(16);
  const pdv = new DataView(ps.buffer);
  pdv.setUint32(0, argvp, true); pdv.setUint32(4, argv.length, true);
  pdv.setUint32(8, envpp, true); pdv.setUint32(12, envp.length, true);
  core.copyout(pm, psStrings, ps);
  core.copyout(pm, SIGCODE_VA, SIGCODE); // the sigcode copyout of exec_copyout_strings
  return { esp, psStrings };
}
