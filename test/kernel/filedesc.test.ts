import { beforeEach, describe, expect, it } from "vitest";
import { EBADF, EEXIST, EFBIG, EINVAL, EISDIR, EMFILE, ENAMETOOLONG, ENOENT, ENOTDIR } from "../../src/kernel/errno.js";
import { FAPPEND, FREAD, FWRITE, fdrop, fhold } from "../../src/kernel/file.js";
import {
  CMASK, NDFILE, O_APPEND, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, SEEK_CUR, SEEK_END, SEEK_SET,
  UF_EXCLOSE, fclrfdflags, fdalloc, fdcheck, fdcloseexec, fdcopy, fdfree, fdinit, fdinit_bootstrap, fdlist, fdshare,
  fgetfdflags, filedesc_to_leader_alloc, fsetfd, fsetfdflags, kern_chdir, kern_close, kern_dup, kern_dup2, kern_lseek,
  kern_open, kern_read, kern_write, type FdProc, type Filedesc, type NofileLimit,
} from "../../src/kernel/filedesc.js";
import { RLIM_INFINITY } from "../../src/kernel/resource.js";
import { VDIR, VFS_MAXFILESIZE, VREG, Vfs, type Vnode, vn_fullpath, vn_write, vref, vrele } from "../../src/kernel/vfs.js";

const NOFILE: NofileLimit = { rlim_cur: 2088, maxfilesperproc: 1879 };
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (r: Uint8Array | number) => (typeof r === "number" ? r : new TextDecoder().decode(r));

let vfs: Vfs;
let data: Vnode;

function mkproc(): FdProc {
  const p = { p_fd: null, p_fdtol: null, p_flag: 0 } as unknown as FdProc;
  p.p_leader = p;
  return p;
}

function proc0(): FdProc {
  const p = mkproc();
  fdinit_bootstrap(p, vfs.root);
  return p;
}

function open(fdp: Filedesc, path = "/tmp/data", flags = O_RDWR, nofile = NOFILE): number {
  const fd = kern_open(fdp, vfs, path, flags, 0o666, nofile);
  expect(fd).toBeGreaterThanOrEqual(0);
  return fd;
}

/**
 * Everything about a table and the vnodes that an error must leave alone. fd_freefile is
 * left out: it is a hint, which a failed open may tighten (fdalloc moves it to the slot it
 * reserved, and releasing that slot keeps it); fdcheck checks that it stays valid.
 */
function snap(fdp: Filedesc): unknown {
  fdcheck(fdp);
  return JSON.stringify({
    nfiles: fdp.fd_nfiles, lastfile: fdp.fd_lastfile,
    nodes: fdp.fd_files.map((n) => [n.fp?.f_vnode?.v_ino ?? 0, n.fileflags, n.reserved, n.allocated]),
    list: fdlist(fdp), root: vfs.root.v_usecount, data: data.v_usecount, size: data.v_size,
  });
}

beforeEach(() => {
  vfs = new Vfs();
  vfs.mkdir("/tmp");
  data = vfs.create("/tmp/data") as Vnode;
  vn_write(data, 0, enc("abcdefghij"));
});

describe("vfs", () => {
  it("looks up absolute and relative paths, with '.' and '..', and '..' stops at the root", () => {
    const tmp = vfs.lookup("/tmp") as Vnode;
    expect(vfs.lookup("tmp/data")).toBe(data);
    expect(vfs.lookup("data", tmp)).toBe(data);
    expect(vfs.lookup("./data/", tmp)).toBe(-ENOTDIR);
    expect(vfs.lookup("../../../tmp/./data", tmp)).toBe(data);
    expect(vfs.lookup("/..")).toBe(vfs.root);
    expect(vfs.lookup("//tmp//")).toBe(tmp);
    expect(vn_fullpath(data)).toBe("/tmp/data");
    expect(vn_fullpath(vfs.root)).toBe("/");
  });

  it("gives ENOENT, ENOTDIR and ENAMETOOLONG as namei does", () => {
    expect(vfs.lookup("")).toBe(-ENOENT);
    expect(vfs.lookup("/nope")).toBe(-ENOENT);
    expect(vfs.lookup("/nope/x")).toBe(-ENOENT);
    expect(vfs.lookup("/tmp/data/x")).toBe(-ENOTDIR);
    expect(vfs.lookup("/" + "a".repeat(256))).toBe(-ENAMETOOLONG);
    expect(vfs.lookup("/" + "a/".repeat(512))).toBe(-ENAMETOOLONG);
  });

  it("mkdir and create refuse a taken name (EEXIST); create refuses 'name/' (EISDIR); inode numbers follow creation order", () => {
    expect(vfs.root.v_ino).toBe(2);
    expect((vfs.lookup("/tmp") as Vnode).v_ino).toBe(3);
    expect(data.v_ino).toBe(4);
    expect(vfs.mkdir("/tmp")).toBe(-EEXIST);
    expect(vfs.mkdir("/")).toBe(-EEXIST);
    expect(vfs.create("/tmp/data")).toBe(-EEXIST);
    expect(vfs.create("/tmp/new/")).toBe(-EISDIR);
    const d = vfs.mkdir("/tmp/d/") as Vnode;
    expect(d.v_type).toBe(VDIR);
    expect(d.v_ino).toBe(5);
    expect((vfs.create("/tmp/d/f") as Vnode).v_type).toBe(VREG);
  });

  it("vrele of an unreferenced vnode throws", () => {
    vref(data);
    vrele(data);
    expect(() => vrele(data)).toThrow(/no references/);
  });
});

describe("fdinit, fdcopy, fdshare, fdfree (kern_descrip.c 1.78)", () => {
  it("fdinit gives an empty table with the global cmask 022, not the parent's", () => {
    const p = proc0();
    p.p_fd!.fd_cmask = 0o077;
    open(p.p_fd!);
    const root = vfs.root.v_usecount;
    const t = fdinit(p);
    expect(t).toMatchObject({ fd_cmask: CMASK, fd_lastfile: -1, fd_nfiles: NDFILE, fd_freefile: 0, fd_refcnt: 1 });
    expect(CMASK).toBe(0o022);
    expect(t.fd_files).toBe(t.fd_builtin_files);
    expect(t.fd_files.every((n) => n.fp === null && n.allocated === 0)).toBe(true);
    expect(t.fd_cdir).toBe(vfs.root);
    expect(t.fd_rdir).toBe(vfs.root);
    expect(vfs.root.v_usecount).toBe(root + 2); // cdir and rdir references
    expect(data.v_usecount).toBe(1); // the parent's open file only
    fdcheck(t);
  });

  it("fdcopy shares open-file offsets: a read through the child's descriptor moves the parent's offset (LTP fork07/fork10)", () => {
    const p = proc0();
    const fd = open(p.p_fd!);
    const child = fdcopy(p)!;
    expect(dec(kern_read(child, fd, 1))).toBe("a");
    expect(kern_lseek(p.p_fd!, fd, 0, SEEK_CUR)).toBe(1);
    expect(kern_lseek(child, fd, 5, SEEK_SET)).toBe(5);
    expect(dec(kern_read(p.p_fd!, fd, 2))).toBe("fg");
    expect(kern_lseek(child, fd, 0, SEEK_CUR)).toBe(7);
    expect(child.fd_files[fd].fp).toBe(p.p_fd!.fd_files[fd].fp);
    expect(child.fd_files[fd].fp!.f_count).toBe(2);
  });

  it("fdcopy copies lastfile, freefile and cmask, and takes a reference on every open file and on cdir/rdir", () => {
    const p = proc0();
    const fdp = p.p_fd!;
    fdp.fd_cmask = 0o027;
    open(fdp);
    open(fdp);
    open(fdp);
    kern_close(fdp, 1);
    const root = vfs.root.v_usecount;
    const c = fdcopy(p)!;
    expect(c).toMatchObject({ fd_lastfile: 2, fd_freefile: 1, fd_cmask: 0o027, fd_refcnt: 1, fd_nfiles: NDFILE });
    expect(fdlist(c).map((i) => [i.fd, i.f_count])).toEqual([[0, 2], [2, 2]]);
    expect(vfs.root.v_usecount).toBe(root + 2);
    expect(data.v_usecount).toBe(2); // one per open file, not per descriptor
    fdcheck(c);
  });

  it("closing a descriptor in the copy leaves the parent's open (LTP fork08)", () => {
    const p = proc0();
    const fd = open(p.p_fd!);
    const c = fdcopy(p)!;
    expect(kern_close(c, fd)).toBe(0);
    expect(kern_read(c, fd, 1)).toBe(-EBADF);
    expect(dec(kern_read(p.p_fd!, fd, 3))).toBe("abc");
    expect(p.p_fd!.fd_files[fd].fp!.f_count).toBe(1);
    expect(data.v_usecount).toBe(1);
  });

  it("a child can close every inherited descriptor up to the limit and reopen them (LTP fork09)", () => {
    const p = proc0();
    const n = 40;
    for (let i = 0; i < n; i++) expect(open(p.p_fd!, "/tmp/data", O_RDONLY)).toBe(i);
    const c = fdcopy(p)!;
    for (let i = 0; i < n; i++) expect(kern_close(c, i)).toBe(0);
    expect(c.fd_lastfile).toBe(-1);
    for (let i = 0; i < n; i++) expect(open(c, "/tmp/data", O_RDONLY)).toBe(i);
    expect(fdlist(p.p_fd!).every((i) => i.f_count === 1)).toBe(true);
    expect(data.v_usecount).toBe(2 * n);
    fdcheck(c);
    fdcheck(p.p_fd!);
  });

  it("fdcopy sizes the copy: 15 builtin slots while lastfile < 15, else the parent's size halved while still above lastfile", () => {
    const p = proc0();
    const fdp = p.p_fd!;
    open(fdp);
    expect(kern_dup2(fdp, 0, 100, NOFILE)).toBe(100);
    expect(fdp.fd_nfiles).toBe(127);
    expect(fdcopy(p)!.fd_nfiles).toBe(127);
    expect(kern_dup2(fdp, 0, 20, NOFILE)).toBe(20);
    kern_close(fdp, 100);
    const c20 = fdcopy(p)!;
    expect(c20.fd_nfiles).toBe(31); // 127 -> 63 -> 31; 15 is not above 20
    fdcheck(c20);
    kern_close(fdp, 20);
    expect(fdp.fd_lastfile).toBe(0);
    const c0 = fdcopy(p)!;
    expect(c0.fd_nfiles).toBe(NDFILE);
    expect(c0.fd_files).toBe(c0.fd_builtin_files);
    fdcheck(c0);
  });

  it("fdfree gives the table's builtin nodes, all empty, to the next table that needs nodes", () => {
    const p = proc0();
    open(p.p_fd!); // fd 0: the child's copy needs nodes
    const child = mkproc();
    child.p_fd = fdcopy(p);
    const nodes = child.p_fd!.fd_builtin_files;
    fdfree(child);
    expect(child.p_fd!.hasNodes()).toBe(false);
    const again = fdcopy(p)!;
    expect(again.fd_builtin_files).toBe(nodes);
    expect(again.fd_files[0].fp).toBe(p.p_fd!.fd_files[0].fp);
    expect(again.fd_files.slice(1).every((n) => n.fp === null && n.allocated === 0 && n.fileflags === 0)).toBe(true);
    fdcheck(again);
  });

  it("fdcopy does not inherit a reserved slot: the copy is consistent and hands that slot out", () => {
    const p = proc0();
    const fdp = p.p_fd!;
    open(fdp);
    const r = fdalloc(fdp, 0, NOFILE);
    expect(r).toBe(1);
    const c = fdcopy(p)!;
    expect(c.fd_files[1].reserved).toBe(0);
    expect(c.fd_lastfile).toBe(0);
    fdcheck(c);
    expect(open(c)).toBe(1);
    fsetfd(fdp, null, r);
    fdcheck(fdp);
    expect(fdp.fd_lastfile).toBe(0);
  });

  it("fdshare shares the table: both processes see each other's descriptors, and fd_refcnt counts them", () => {
    const p1 = proc0();
    const p2 = mkproc();
    p2.p_fd = fdshare(p1);
    expect(p2.p_fd).toBe(p1.p_fd);
    expect(p1.p_fd!.fd_refcnt).toBe(2);
    const fd = open(p2.p_fd!);
    expect(dec(kern_read(p1.p_fd!, fd, 2))).toBe("ab");
  });

  it("fdfree drops one reference of a shared table; the last closes every file and releases cdir/rdir", () => {
    const rootBefore = vfs.root.v_usecount;
    const p1 = proc0();
    const p2 = mkproc();
    p2.p_fd = fdshare(p1);
    const fd = open(p1.p_fd!);
    kern_dup(p1.p_fd!, fd, NOFILE);
    const fp = p1.p_fd!.fd_files[fd].fp!;
    fdfree(p2);
    p2.p_fd = null;
    expect(p1.p_fd!.fd_refcnt).toBe(1);
    expect(fp.f_count).toBe(2);
    const t = p1.p_fd!;
    fdfree(p1);
    expect(fp.f_count).toBe(0);
    expect(data.v_usecount).toBe(0);
    expect(vfs.root.v_usecount).toBe(rootBefore);
    expect(t.fd_refcnt).toBe(0);
    expect(() => kern_read(t, fd, 1)).toThrow(/after fdfree/);
    expect(() => fdcopy(p1)).toThrow(/after fdfree/);
  });

  it("rfork(RFCFDG) without RFPROC: fdinit, fdfree of the old table, install the new one; the old files close", () => {
    const p = proc0();
    open(p.p_fd!);
    const fresh = fdinit(p);
    fdfree(p);
    p.p_fd = fresh;
    expect(data.v_usecount).toBe(0);
    expect(fdlist(p.p_fd)).toEqual([]);
    expect(p.p_fd.fd_cdir).toBe(vfs.root);
  });

  it("fdcopy of a process without a table is null, and fdfree of one does nothing", () => {
    const p = mkproc();
    expect(fdcopy(p)).toBeNull();
    fdfree(p);
    expect(() => fdinit(p)).toThrow(/no descriptor table/);
    expect(() => fdshare(p)).toThrow(/no descriptor table/);
  });
});

describe("filedesc_to_leader", () => {
  it("filedesc_to_leader_alloc makes a one-element ring, then inserts each new node right after old", () => {
    const a = mkproc(), b = mkproc(), c = mkproc();
    const ta = filedesc_to_leader_alloc(null, a);
    expect(ta).toMatchObject({ fdl_refcount: 1, fdl_holdcount: 0, fdl_wakeup: 0, fdl_leader: a });
    expect(ta.fdl_next).toBe(ta);
    expect(ta.fdl_prev).toBe(ta);
    const tb = filedesc_to_leader_alloc(ta, b);
    const tc = filedesc_to_leader_alloc(ta, c); // right after ta, before tb
    expect([ta.fdl_next, tc.fdl_next, tb.fdl_next]).toEqual([tc, tb, ta]);
    expect([ta.fdl_prev, tb.fdl_prev, tc.fdl_prev]).toEqual([tb, tc, ta]);
  });

  it("fdfree drops the process's fdtol reference, unlinks it at the last, and clears p_fdtol (fork1's shared-table paths)", () => {
    // p1 shares its table with p2 (own leader) and p3 (RFTHREAD: p1's leader), as fork1 sets it up.
    const p1 = proc0();
    const p2 = mkproc(), p3 = mkproc();
    p2.p_fd = fdshare(p1);
    p1.p_fdtol = filedesc_to_leader_alloc(null, p1.p_leader);
    p2.p_fdtol = filedesc_to_leader_alloc(p1.p_fdtol, p2);
    p3.p_fd = fdshare(p1);
    p3.p_leader = p1;
    p3.p_fdtol = p1.p_fdtol;
    p3.p_fdtol.fdl_refcount++;
    const t1 = p1.p_fdtol, t2 = p2.p_fdtol;
    fdfree(p2);
    expect(p2.p_fdtol).toBeNull();
    expect(t2.fdl_refcount).toBe(0);
    expect(t1.fdl_next).toBe(t1); // t2 unlinked
    expect(t1.fdl_prev).toBe(t1);
    fdfree(p3);
    expect(t1.fdl_refcount).toBe(1);
    expect(p1.p_fdtol).toBe(t1);
    expect(p1.p_fd!.fd_refcnt).toBe(1);
    fdfree(p1);
    expect(t1.fdl_refcount).toBe(0);
    expect(p1.p_fdtol).toBeNull();
  });

  it("fdfree refuses, changing nothing, when a close still holds the leaders (where the kernel sleeps on fdlhold)", () => {
    const p = proc0();
    p.p_fdtol = filedesc_to_leader_alloc(null, p);
    p.p_fdtol.fdl_holdcount = 1;
    expect(() => fdfree(p)).toThrow(/fdlhold/);
    expect(p.p_fdtol.fdl_refcount).toBe(1);
    expect(p.p_fd!.fd_refcnt).toBe(1);
  });
});

describe("fdalloc", () => {
  it("hands out the lowest free descriptor >= want and grows the table through 2^n - 1 sizes", () => {
    const fdp = proc0().p_fd!;
    for (let i = 0; i < NDFILE; i++) expect(open(fdp)).toBe(i);
    expect(fdp.fd_nfiles).toBe(15);
    expect(open(fdp)).toBe(15);
    expect(fdp.fd_nfiles).toBe(31);
    expect(fdalloc(fdp, 40, NOFILE)).toBe(40);
    expect(fdp.fd_nfiles).toBe(63);
    expect(fdp.fd_lastfile).toBe(40);
    kern_close(fdp, 3);
    expect(fdalloc(fdp, 2, NOFILE)).toBe(3);
    expect(fdalloc(fdp, 2, NOFILE)).toBe(16);
    fdcheck(fdp);
  });

  it("refuses with EMFILE at the limit, min((int)rlim_cur, maxfilesperproc), leaving the table as it was", () => {
    const fdp = proc0().p_fd!;
    const lim = { rlim_cur: 15, maxfilesperproc: 1879 };
    for (let i = 0; i < 15; i++) open(fdp, "/tmp/data", O_RDWR, lim);
    const before = snap(fdp);
    expect(kern_open(fdp, vfs, "/tmp/data", O_RDWR, 0, lim)).toBe(-EMFILE);
    expect(fdalloc(fdp, 15, lim)).toBe(-EMFILE);
    expect(kern_dup(fdp, 0, { rlim_cur: 2088, maxfilesperproc: 15 })).toBe(-EMFILE);
    expect(snap(fdp)).toBe(before);
  });

  it("an RLIMIT_NOFILE of RLIM_INFINITY truncates to -1 in fdalloc's (int) cast, so every allocation fails", () => {
    const fdp = proc0().p_fd!;
    expect(kern_open(fdp, vfs, "/tmp/data", O_RDONLY, 0, { rlim_cur: RLIM_INFINITY, maxfilesperproc: 1879 })).toBe(-EMFILE);
  });

  it("the search is bounded at subtree roots only: with a limit of 20 and 0..19 open, fd 20 is still handed out", () => {
    const fdp = proc0().p_fd!;
    const lim = { rlim_cur: 20, maxfilesperproc: 1879 };
    for (let i = 0; i < 20; i++) expect(open(fdp, "/tmp/data", O_RDONLY, lim)).toBe(i);
    // Slot 19 roots the subtree 19..22, which straddles the limit; the descent finds 20.
    expect(open(fdp, "/tmp/data", O_RDONLY, lim)).toBe(20);
    expect(kern_open(fdp, vfs, "/tmp/data", O_RDONLY, 0, lim)).toBe(-EMFILE);
    fdcheck(fdp);
  });

  it("random allocations and frees agree with a lowest-free model and keep the tree consistent", () => {
    const fdp = proc0().p_fd!;
    const fp = fdp.fd_files[open(fdp)].fp!; // fd 0 stays open, so fp lives throughout
    const model = new Set([0]);
    let seed = 12345;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) >>> 0; return (seed >>> 8) % n; };
    for (let step = 0; step < 4000; step++) {
      if (model.size > 1 && rand(3) === 0) {
        const fds = [...model].filter((fd) => fd !== 0);
        const fd = fds[rand(fds.length)];
        expect(kern_close(fdp, fd)).toBe(0);
        model.delete(fd);
      } else {
        const want = rand(4) === 0 ? rand(300) : 0;
        let expected = want;
        while (model.has(expected)) expected++;
        const fd = fdalloc(fdp, want, NOFILE);
        expect(fd).toBe(expected);
        fsetfd(fdp, fp, fd);
        model.add(fd);
      }
      if (step % 50 === 0) fdcheck(fdp);
    }
    fdcheck(fdp);
    expect(fdlist(fdp).map((i) => i.fd)).toEqual([...model].sort((x, y) => x - y));
    expect(fp.f_count).toBe(model.size);
  });

  it("misuse throws: a negative want, fsetfd of a slot not reserved", () => {
    const fdp = proc0().p_fd!;
    expect(() => fdalloc(fdp, -1, NOFILE)).toThrow(/want must be >= 0/);
    expect(() => fsetfd(fdp, null, 3)).toThrow(/not reserved/);
    expect(() => fsetfd(fdp, null, 99)).toThrow(/not reserved/);
  });
});

describe("descriptor syscalls", () => {
  let p: FdProc;
  let fdp: Filedesc;
  beforeEach(() => {
    p = proc0();
    fdp = p.p_fd!;
  });

  it("open O_CREAT makes a file with mode & ~fd_cmask (no sticky bit) and f_flag from the access mode", () => {
    const a = kern_open(fdp, vfs, "/tmp/a", O_CREAT | O_WRONLY, 0o666, NOFILE);
    expect((vfs.lookup("/tmp/a") as Vnode).v_mode).toBe(0o644);
    fdp.fd_cmask = 0o077;
    kern_open(fdp, vfs, "/tmp/b", O_CREAT | O_RDWR | O_APPEND, 0o1777, NOFILE);
    expect((vfs.lookup("/tmp/b") as Vnode).v_mode).toBe(0o700);
    expect(fdlist(fdp).map((i) => i.f_flag)).toEqual([FWRITE, FREAD | FWRITE | FAPPEND]);
    expect(a).toBe(0);
  });

  it("open errors leave the table and the vnodes as they were: EEXIST (O_EXCL), ENOENT, ENOTDIR, EISDIR, EINVAL", () => {
    open(fdp);
    const before = snap(fdp);
    expect(kern_open(fdp, vfs, "/tmp/data", O_CREAT | O_EXCL | O_RDWR, 0o666, NOFILE)).toBe(-EEXIST);
    expect(kern_open(fdp, vfs, "/tmp/none", O_RDONLY, 0, NOFILE)).toBe(-ENOENT);
    expect(kern_open(fdp, vfs, "/none/x", O_CREAT | O_RDWR, 0o666, NOFILE)).toBe(-ENOENT);
    expect(kern_open(fdp, vfs, "/tmp/data/x", O_RDONLY, 0, NOFILE)).toBe(-ENOTDIR);
    expect(kern_open(fdp, vfs, "/tmp/data/", O_RDONLY, 0, NOFILE)).toBe(-ENOTDIR);
    expect(kern_open(fdp, vfs, "/tmp", O_WRONLY, 0, NOFILE)).toBe(-EISDIR);
    expect(kern_open(fdp, vfs, "/tmp", O_RDONLY | O_TRUNC, 0, NOFILE)).toBe(-EISDIR);
    expect(kern_open(fdp, vfs, "/tmp/new/", O_CREAT | O_RDWR, 0o666, NOFILE)).toBe(-EISDIR);
    expect(kern_open(fdp, vfs, "/tmp/data", 3, 0, NOFILE)).toBe(-EINVAL);
    expect(kern_open(fdp, vfs, "", O_RDONLY, 0, NOFILE)).toBe(-ENOENT);
    expect(snap(fdp)).toBe(before);
    expect(vfs.lookup("/tmp/new")).toBe(-ENOENT);
  });

  it("open reserves the slot before the lookup, so a full table gives EMFILE even for a missing path", () => {
    const lim = { rlim_cur: 1, maxfilesperproc: 1879 };
    open(fdp, "/tmp/data", O_RDONLY, lim);
    expect(kern_open(fdp, vfs, "/tmp/none", O_RDONLY, 0, lim)).toBe(-EMFILE);
  });

  it("O_CREAT without O_EXCL opens an existing file; O_TRUNC empties it; a directory opens read-only and reads give EISDIR", () => {
    const fd = kern_open(fdp, vfs, "/tmp/data", O_CREAT | O_RDWR | O_TRUNC, 0o600, NOFILE);
    expect(data.v_size).toBe(0);
    expect(data.v_mode).toBe(0o644); // the existing file keeps its mode
    expect(dec(kern_read(fdp, fd, 5))).toBe("");
    const dfd = kern_open(fdp, vfs, "/tmp", O_RDONLY, 0, NOFILE);
    expect(kern_read(fdp, dfd, 1)).toBe(-EISDIR);
    expect(kern_lseek(fdp, dfd, 3, SEEK_SET)).toBe(3);
  });

  it("read returns at most the bytes left and advances the offset; EINVAL for a negative count; EBADF for a bad or write-only descriptor", () => {
    const fd = open(fdp, "/tmp/data", O_RDONLY);
    const w = open(fdp, "/tmp/data", O_WRONLY);
    expect(dec(kern_read(fdp, fd, 4))).toBe("abcd");
    expect(dec(kern_read(fdp, fd, 100))).toBe("efghij");
    expect(dec(kern_read(fdp, fd, 100))).toBe("");
    const before = snap(fdp);
    expect(kern_read(fdp, fd, -1)).toBe(-EINVAL);
    expect(kern_read(fdp, w, 1)).toBe(-EBADF);
    expect(kern_read(fdp, 7, 1)).toBe(-EBADF);
    expect(kern_read(fdp, -1, 1)).toBe(-EBADF);
    expect(kern_read(fdp, 100000, 1)).toBe(-EBADF);
    expect(snap(fdp)).toBe(before);
  });

  it("write grows the file (a gap reads as zeros), O_APPEND writes at the end whatever the offset; EBADF on a read-only descriptor", () => {
    const fd = open(fdp, "/tmp/data", O_RDWR);
    expect(kern_lseek(fdp, fd, 12, SEEK_SET)).toBe(12);
    expect(kern_write(fdp, fd, enc("XY"))).toBe(2);
    expect(kern_lseek(fdp, fd, 0, SEEK_CUR)).toBe(14);
    expect(data.v_size).toBe(14);
    kern_lseek(fdp, fd, 10, SEEK_SET);
    expect([...(kern_read(fdp, fd, 4) as Uint8Array)]).toEqual([0, 0, 0x58, 0x59]);
    const a = open(fdp, "/tmp/data", O_WRONLY | O_APPEND);
    kern_lseek(fdp, a, 0, SEEK_SET);
    expect(kern_write(fdp, a, enc("!"))).toBe(1);
    expect(kern_lseek(fdp, a, 0, SEEK_CUR)).toBe(15);
    const r = open(fdp, "/tmp/data", O_RDONLY);
    const before = snap(fdp);
    expect(kern_write(fdp, r, enc("no"))).toBe(-EBADF);
    expect(snap(fdp)).toBe(before);
  });

  it("write past the filesystem's largest file gives EFBIG and changes nothing", () => {
    const fd = open(fdp);
    expect(kern_lseek(fdp, fd, VFS_MAXFILESIZE, SEEK_SET)).toBe(VFS_MAXFILESIZE);
    const before = snap(fdp);
    expect(kern_write(fdp, fd, enc("x"))).toBe(-EFBIG);
    expect(snap(fdp)).toBe(before);
  });

  it("lseek: SEEK_SET/CUR/END; a negative result or bad whence is EINVAL and leaves the offset; a closed fd is EBADF", () => {
    const fd = open(fdp);
    expect(kern_lseek(fdp, fd, 3, SEEK_SET)).toBe(3);
    expect(kern_lseek(fdp, fd, 2, SEEK_CUR)).toBe(5);
    expect(kern_lseek(fdp, fd, -1, SEEK_END)).toBe(9);
    expect(kern_lseek(fdp, fd, 100, SEEK_END)).toBe(110); // past the end is allowed
    kern_lseek(fdp, fd, 4, SEEK_SET);
    expect(kern_lseek(fdp, fd, -5, SEEK_CUR)).toBe(-EINVAL);
    expect(kern_lseek(fdp, fd, -11, SEEK_END)).toBe(-EINVAL);
    expect(kern_lseek(fdp, fd, -1, SEEK_SET)).toBe(-EINVAL);
    expect(kern_lseek(fdp, fd, 0, 3)).toBe(-EINVAL);
    expect(kern_lseek(fdp, fd, 0, SEEK_CUR)).toBe(4);
    expect(kern_lseek(fdp, 9, 0, SEEK_SET)).toBe(-EBADF);
  });

  it("close: EBADF for a descriptor not open (also the second time); the freed slot is the next one handed out", () => {
    open(fdp);
    const b = open(fdp);
    open(fdp);
    expect(kern_close(fdp, b)).toBe(0);
    const before = snap(fdp);
    expect(kern_close(fdp, b)).toBe(-EBADF);
    expect(kern_close(fdp, -1)).toBe(-EBADF);
    expect(kern_close(fdp, 1 << 20)).toBe(-EBADF);
    expect(snap(fdp)).toBe(before);
    expect(fdp.fd_freefile).toBe(1);
    expect(open(fdp)).toBe(1);
    kern_close(fdp, 2);
    expect(fdp.fd_lastfile).toBe(1);
  });

  it("dup gives the lowest free descriptor on the same open file (shared offset) without close-on-exec", () => {
    const fd = open(fdp);
    fsetfdflags(fdp, fd, UF_EXCLOSE);
    const d = kern_dup(fdp, fd, NOFILE);
    expect(d).toBe(1);
    expect(fdp.fd_files[d].fp).toBe(fdp.fd_files[fd].fp);
    expect(fgetfdflags(fdp, d)).toBe(0);
    expect(fgetfdflags(fdp, fd)).toBe(UF_EXCLOSE);
    kern_read(fdp, d, 3);
    expect(kern_lseek(fdp, fd, 0, SEEK_CUR)).toBe(3);
    const before = snap(fdp);
    expect(kern_dup(fdp, 5, NOFILE)).toBe(-EBADF);
    expect(kern_dup(fdp, -1, NOFILE)).toBe(-EBADF);
    expect(snap(fdp)).toBe(before);
  });

  it("dup2 closes what the target held, returns the target, grows the table for it; EBADF for a target out of range", () => {
    const fd = open(fdp);
    const other = kern_open(fdp, vfs, "/tmp/b", O_CREAT | O_RDWR, 0o666, NOFILE);
    const b = vfs.lookup("/tmp/b") as Vnode;
    expect(b.v_usecount).toBe(1);
    expect(kern_dup2(fdp, fd, other, NOFILE)).toBe(other);
    expect(b.v_usecount).toBe(0); // the old file was closed
    expect(fdp.fd_files[other].fp).toBe(fdp.fd_files[fd].fp);
    expect(kern_dup2(fdp, fd, fd, NOFILE)).toBe(fd);
    expect(fdp.fd_files[fd].fp!.f_count).toBe(2);
    expect(kern_dup2(fdp, fd, 5, NOFILE)).toBe(5);
    expect(fdp.fd_lastfile).toBe(5);
    expect(kern_dup2(fdp, fd, 500, NOFILE)).toBe(500);
    expect(fdp.fd_nfiles).toBe(511);
    fdcheck(fdp);
    const before = snap(fdp);
    expect(kern_dup2(fdp, fd, -1, NOFILE)).toBe(-EBADF);
    expect(kern_dup2(fdp, fd, NOFILE.maxfilesperproc, NOFILE)).toBe(-EBADF);
    expect(kern_dup2(fdp, 9, 3, NOFILE)).toBe(-EBADF);
    expect(kern_dup2(fdp, 9, 9, NOFILE)).toBe(-EBADF);
    expect(snap(fdp)).toBe(before);
  });

  it("dup2 onto a reserved slot throws (the kernel sleeps on fdres) and changes nothing", () => {
    const fd = open(fdp);
    const r = fdalloc(fdp, 0, NOFILE);
    const before = snap(fdp);
    expect(() => kern_dup2(fdp, fd, r, NOFILE)).toThrow(/reserved/);
    expect(snap(fdp)).toBe(before);
  });

  it("fdcloseexec closes only the descriptors marked UF_EXCLOSE", () => {
    const a = open(fdp);
    const b = open(fdp);
    expect(fsetfdflags(fdp, b, UF_EXCLOSE)).toBe(0);
    expect(fsetfdflags(fdp, 9, UF_EXCLOSE)).toBe(-EBADF);
    fdcloseexec(p);
    expect(fdlist(fdp).map((i) => i.fd)).toEqual([a]);
    const c = open(fdp);
    fsetfdflags(fdp, c, UF_EXCLOSE);
    expect(fclrfdflags(fdp, c, UF_EXCLOSE)).toBe(0);
    fdcloseexec(p);
    expect(fdlist(fdp).map((i) => i.fd)).toEqual([a, c]);
    expect(fgetfdflags(fdp, 9)).toBe(-EBADF);
    expect(fclrfdflags(fdp, 9, UF_EXCLOSE)).toBe(-EBADF);
  });

  it("chdir moves the cwd reference; relative opens resolve from it; a copy inherits it (vfork01's cwd check)", () => {
    const tmp = vfs.lookup("/tmp") as Vnode;
    expect(kern_chdir(fdp, vfs, "/tmp/data")).toBe(-ENOTDIR);
    expect(kern_chdir(fdp, vfs, "/nope")).toBe(-ENOENT);
    expect(kern_chdir(fdp, vfs, "tmp")).toBe(0);
    expect(fdp.fd_cdir).toBe(tmp);
    expect(tmp.v_usecount).toBe(1);
    expect(dec(kern_read(fdp, open(fdp, "data", O_RDONLY), 3))).toBe("abc");
    const c = fdcopy(p)!;
    expect(c.fd_cdir).toBe(tmp);
    expect(tmp.v_usecount).toBe(2);
    expect(fdlist(c)[0].path).toBe("/tmp/data");
  });

  it("fdlist reports descriptor, path, offset, flags and reference counts", () => {
    const fd = open(fdp);
    kern_dup(fdp, fd, NOFILE);
    kern_read(fdp, fd, 2);
    expect(fdlist(fdp)).toEqual([
      { fd: 0, path: "/tmp/data", f_offset: 2, f_flag: FREAD | FWRITE, f_count: 2, fileflags: 0, v_usecount: 1 },
      { fd: 1, path: "/tmp/data", f_offset: 2, f_flag: FREAD | FWRITE, f_count: 2, fileflags: 0, v_usecount: 1 },
    ]);
  });

  it("misuse throws: non-integer descriptors and counts, bytes that are not a Uint8Array, holding or dropping a closed file", () => {
    const fd = open(fdp);
    const fp = fdp.fd_files[fd].fp!;
    expect(() => kern_read(fdp, 0.5, 1)).toThrow(/fd must be an int/);
    expect(() => kern_read(fdp, fd, 1.5)).toThrow(/byte count/);
    expect(() => kern_write(fdp, fd, "text" as unknown as Uint8Array)).toThrow(/Uint8Array/);
    expect(() => kern_lseek(fdp, fd, 0.5, SEEK_SET)).toThrow(/offset must be an integer/);
    expect(() => kern_open(fdp, vfs, "/tmp/data", NaN, 0, NOFILE)).toThrow(/flags must be an int/);
    kern_close(fdp, fd);
    expect(() => fhold(fp)).toThrow(/already closed/);
    expect(() => fdrop(fp)).toThrow(/count < 0/);
  });
});
