// The process's memory map (vm_map.ts, vm_mmap.ts): break, mmap, munmap, mprotect,
// minherit, and vmspace_fork's per-entry rules under every fork strategy, observed as the
// bytes each process reads after writes in parent and child (reference userland §7,
// fork §4.4).
import { describe, it, expect } from "vitest";
import { newLab, sys, ok, forkChild, ustr, program, exitCode } from "./helpers.js";
import type { Forklab } from "../../src/index.js";
import { STRATEGIES } from "../../src/core/core.js";

const PAGE = 4096;
const PROT_READ = 1, PROT_WRITE = 2, PROT_RW = 3;
const MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_INHERIT = 0x80, MAP_ANON = 0x1000;
const INHERIT_SHARE = 0, INHERIT_COPY = 1, INHERIT_NONE = 2;
const O_RDONLY = 0, O_RDWR = 2, O_CREAT = 0x200;

/** mmap(addr, len, prot, flags, fd, pad, pos low, pos high): the address. */
function mmap(fl: Forklab, pid: number, len: number, prot: number, flags: number, fd = -1, addr = 0, pos = 0): number {
  return ok(fl, pid, "mmap", [addr, len, prot, flags, fd, 0, pos, 0]);
}
const enc = (s: string) => new TextEncoder().encode(s);
const text = (fl: Forklab, pid: number, va: number, n: number) => new TextDecoder().decode(fl.readUser(pid, va, n));

describe.each(STRATEGIES)("vmspace_fork's entry rules, %s strategy", (strategy) => {
  it("MAP_PRIVATE (VM_INHERIT_COPY): the child starts with the parent's bytes; later writes stay in each process", () => {
    const fl = newLab({ strategy });
    const p = fl.spawn();
    const a = mmap(fl, p.pid, 2 * PAGE, PROT_RW, MAP_ANON | MAP_PRIVATE);
    fl.writeUser(p.pid, a, enc("before"));
    const c = forkChild(fl, p.pid);
    expect(text(fl, c, a, 6)).toBe("before");
    fl.writeUser(c, a, enc("child!"));
    fl.writeUser(p.pid, a + PAGE, enc("parent"));
    expect(text(fl, p.pid, a, 6)).toBe("before");
    expect(text(fl, c, a + PAGE, 6)).toBe("\0\0\0\0\0\0"); // made after the fork: the child's own zero page
    expect(fl.vmMap(c).find((e) => e.start === a)).toMatchObject({ inheritance: "copy", shared: false });
  });

  it("MAP_SHARED anonymous memory (VM_INHERIT_SHARE): writes on either side are seen by the other, pages made before or after the fork", () => {
    const fl = newLab({ strategy });
    const p = fl.spawn();
    const a = mmap(fl, p.pid, 3 * PAGE, PROT_RW, MAP_ANON | MAP_SHARED);
    fl.writeUser(p.pid, a, enc("made-before"));
    const c = forkChild(fl, p.pid);
    expect(text(fl, c, a, 11)).toBe("made-before");
    fl.writeUser(c, a, enc("child-wrote"));
    expect(text(fl, p.pid, a, 11)).toBe("child-wrote");
    fl.writeUser(p.pid, a + 2 * PAGE, enc("late"));   // a page nobody had touched
    expect(text(fl, c, a + 2 * PAGE, 4)).toBe("late");
    // One frame, never copy-on-write, in both address spaces.
    const pm = fl.mappings(p.pid).find((m) => m.va === a)!, cm = fl.mappings(c).find((m) => m.va === a)!;
    expect(cm.pa).toBe(pm.pa);
    expect(pm.cow || cm.cow).toBe(false);
    expect(pm.writable && cm.writable).toBe(true);
    // A grandchild shares it too.
    const g = forkChild(fl, c);
    fl.writeUser(g, a + 100, enc("grandchild"));
    expect(text(fl, p.pid, a + 100, 10)).toBe("grandchild");
  });

  it("minherit(VM_INHERIT_SHARE) on private memory: the pages written before the fork become one shared object", () => {
    const fl = newLab({ strategy });
    const p = fl.spawn();
    const a = mmap(fl, p.pid, 2 * PAGE, PROT_RW, MAP_ANON | MAP_PRIVATE);
    fl.writeUser(p.pid, a, enc("shared-now"));
    ok(fl, p.pid, "minherit", [a, 2 * PAGE, INHERIT_SHARE]);
    const c = forkChild(fl, p.pid);
    fl.writeUser(c, a, enc("CHILD"));
    expect(text(fl, p.pid, a, 10)).toBe("CHILDd-now");
    fl.writeUser(p.pid, a + PAGE, enc("PARENT"));
    expect(text(fl, c, a + PAGE, 6)).toBe("PARENT");
    expect(fl.vmMap(p.pid).find((e) => e.start === a)).toMatchObject({ inheritance: "share", shared: true });
  });

  it("minherit(VM_INHERIT_SHARE) on a page shared copy-on-write with an earlier child: that child keeps its own bytes", () => {
    const fl = newLab({ strategy });
    const p = fl.spawn();
    const a = mmap(fl, p.pid, PAGE, PROT_RW, MAP_ANON | MAP_PRIVATE);
    fl.writeUser(p.pid, a, enc("v1"));
    const first = forkChild(fl, p.pid);                  // COW with p under cow
    ok(fl, p.pid, "minherit", [a, PAGE, INHERIT_SHARE]);
    const second = forkChild(fl, p.pid);
    fl.writeUser(second, a, enc("v2"));
    expect(text(fl, p.pid, a, 2)).toBe("v2");
    expect(text(fl, first, a, 2)).toBe("v1");
  });

  it("minherit(VM_INHERIT_NONE): the child has a hole there (EFAULT), the parent keeps its bytes untouched", () => {
    const fl = newLab({ strategy });
    const p = fl.spawn();
    const a = mmap(fl, p.pid, 2 * PAGE, PROT_RW, MAP_ANON | MAP_PRIVATE);
    fl.writeUser(p.pid, a, enc("mine"));
    ok(fl, p.pid, "minherit", [a + PAGE, PAGE, INHERIT_NONE]); // clips the entry: only the second page
    fl.writeUser(p.pid, a + PAGE, enc("gone"));
    const c = forkChild(fl, p.pid);
    expect(text(fl, c, a, 4)).toBe("mine");
    expect(() => fl.readUser(c, a + PAGE, 4)).toThrow(/not readable/);
    expect(fl.vmMap(c).some((e) => e.start <= a + PAGE && e.end > a + PAGE)).toBe(false);
    // The kernel refuses it too: write(1, a + PAGE, 4) copies in from a hole.
    expect(sys(fl, c, "write", [1, a + PAGE, 4]).errno).toBe("EFAULT");
    expect(text(fl, p.pid, a + PAGE, 4)).toBe("gone");
    const pte = fl.mappings(p.pid).find((m) => m.va === a + PAGE)!;
    expect(pte).toMatchObject({ writable: true, cow: false, refcount: 1 }); // not write-protected by the fork
  });

  it("MAP_INHERIT makes a private mapping VM_INHERIT_SHARE", () => {
    const fl = newLab({ strategy });
    const p = fl.spawn();
    const a = mmap(fl, p.pid, PAGE, PROT_RW, MAP_ANON | MAP_PRIVATE | MAP_INHERIT);
    const c = forkChild(fl, p.pid);
    fl.writeUser(c, a, enc("x"));
    expect(text(fl, p.pid, a, 1)).toBe("x");
  });

  it("minherit(VM_INHERIT_COPY) on MAP_SHARED memory: the child gets a private copy, the parent keeps sharing with its earlier child", () => {
    const fl = newLab({ strategy });
    const p = fl.spawn();
    const a = mmap(fl, p.pid, PAGE, PROT_RW, MAP_ANON | MAP_SHARED);
    const sharer = forkChild(fl, p.pid);
    fl.writeUser(p.pid, a, enc("one"));
    ok(fl, p.pid, "minherit", [a, PAGE, INHERIT_COPY]);
    const copier = forkChild(fl, p.pid);
    expect(text(fl, copier, a, 3)).toBe("one");
    fl.writeUser(copier, a, enc("cpy"));
    fl.writeUser(sharer, a, enc("two"));
    expect(text(fl, p.pid, a, 3)).toBe("two");
    expect(text(fl, copier, a, 3)).toBe("cpy");
  });

  it("MAP_SHARED of a file: every mapping sees the same pages, and the file's bytes follow them", () => {
    const fl = newLab({ strategy });
    const p = fl.spawn();
    const path = ustr(fl, p.pid, "/data");
    const fd = ok(fl, p.pid, "open", [path, O_RDWR | O_CREAT, 0o644]);
    const buf = ustr(fl, p.pid, "hello, file");
    ok(fl, p.pid, "write", [fd, buf, 11]);
    const a = mmap(fl, p.pid, PAGE, PROT_RW, MAP_SHARED, fd);
    const b = mmap(fl, p.pid, PAGE, PROT_READ, MAP_PRIVATE, fd);
    expect(text(fl, p.pid, a, 11)).toBe("hello, file");
    expect(text(fl, p.pid, b, 11)).toBe("hello, file");
    const c = forkChild(fl, p.pid);
    fl.writeUser(c, a, enc("HELLO"));
    expect(text(fl, p.pid, a, 11)).toBe("HELLO, file");
    // read(2) sees the mapping's bytes; write(2) changes the mapping.
    const rb = fl.userAlloc(p.pid, 16);
    ok(fl, p.pid, "lseek", [fd, 0, 0, 0, 0]);
    expect(ok(fl, p.pid, "read", [fd, rb, 16])).toBe(11);
    expect(text(fl, p.pid, rb, 11)).toBe("HELLO, file");
    ok(fl, p.pid, "lseek", [fd, 0, 7, 0, 0]);
    ok(fl, p.pid, "write", [fd, ustr(fl, p.pid, "FILE"), 4]);
    expect(text(fl, c, a, 11)).toBe("HELLO, FILE");
  });
});

describe("break (obreak)", () => {
  it("grows and shrinks the data segment in pages from vm_daddr + vm_dsize; below it is EINVAL; past RLIMIT_DATA ENOMEM", () => {
    const fl = newLab();
    const p = fl.spawn();
    // A bare process has no data segment: vm_daddr 0, vm_dsize 0.
    expect(sys(fl, p.pid, "break", [0x10000]).error).toBe(0);
    expect(fl.proc(p.pid).vmspace!.dsize).toBe(16);
    fl.writeUser(p.pid, 0xfff0, enc("heap"));
    expect(text(fl, p.pid, 0xfff0, 4)).toBe("heap");
    expect(sys(fl, p.pid, "break", [0x8001]).error).toBe(0);          // rounded up: 0x9000
    expect(fl.proc(p.pid).vmspace!.dsize).toBe(9);
    expect(() => fl.readUser(p.pid, 0x9000, 4)).toThrow();
    expect(sys(fl, p.pid, "break", [128 * 1024 * 1024 + PAGE]).errno).toBe("ENOMEM"); // RLIMIT_DATA 128 MiB
    expect(sys(fl, p.pid, "break", [128 * 1024 * 1024]).error).toBe(0);
  });

  it("a program's break starts at the end of its data segment (the last PT_LOAD without the entry point)", () => {
    const fl = newLab();
    const img = program("brk", exitCode(0), [{ vaddr: 0x0804a010, memsz: 0x2000, data: new Uint8Array(4), prot: 3 }]);
    fl.registerProgram("/bin/brk", img);
    const sh = fl.spawn();
    const path = ustr(fl, sh.pid, "/bin/brk");
    const argv = fl.userAlloc(sh.pid, 8);
    fl.writeWord(sh.pid, argv, path);
    const r = fl.syscall(sh.pid, "execve", [path, argv, 0]);
    expect(r.done).toBe(true);
    const vm = fl.proc(sh.pid).vmspace!;
    expect(vm.dsize).toBe(3); // 0x0804a000 .. 0x0804d000
    expect(fl.vmMap(sh.pid).map((e) => [e.kind, e.start.toString(16), e.end.toString(16)])).toEqual([
      ["text", "8048000", "8049000"], ["data", "804a000", "804d000"], ["stack", "bfbe0000", "bfc00000"],
    ]);
  });
});

describe("mmap, munmap, mprotect, madvise: results and errors", () => {
  it("places anonymous memory first fit from round_page(vm_daddr + MAXDSIZ), adds the page offset of pos", () => {
    const fl = newLab();
    const p = fl.spawn();
    expect(mmap(fl, p.pid, 100, PROT_RW, MAP_ANON | MAP_PRIVATE)).toBe(0x20000000);
    expect(mmap(fl, p.pid, PAGE + 1, PROT_RW, MAP_ANON | MAP_PRIVATE)).toBe(0x20001000);
    expect(mmap(fl, p.pid, PAGE, PROT_RW, MAP_ANON | MAP_PRIVATE | MAP_FIXED, -1, 0x30000000)).toBe(0x30000000);
    expect(mmap(fl, p.pid, PAGE, PROT_RW, MAP_ANON | MAP_PRIVATE, -1, 0x30000000)).toBe(0x30001000); // hint taken: next fit
    expect(sys(fl, p.pid, "mmap", [0, 0, PROT_RW, MAP_ANON, -1, 0, 0, 0]).rv[0]).toBe(0); // size 0: the hint, nothing mapped
  });

  it("MAP_STACK: vm_map_stack at the hint itself, its top 128 KiB mapped, the rest grown into on faults (not counted in vm_ssize); the hint taken is ENOMEM", () => {
    const fl = newLab();
    const p = fl.spawn();
    const MAP_STACK = 0x400;
    const a = mmap(fl, p.pid, 1 << 20, PROT_RW, MAP_ANON | MAP_PRIVATE | MAP_STACK);
    expect(a).toBe(0x20000000);
    expect(fl.vmMap(p.pid).find((e) => e.start >= a && e.end <= a + (1 << 20))).toMatchObject({
      start: a + (1 << 20) - 128 * 1024, end: a + (1 << 20), kind: "stack", growsDown: true,
    });
    expect(sys(fl, p.pid, "getrlimit", [3, a + 16]).error).toBe(0);  // at the bottom: grows the whole way
    expect(fl.vmMap(p.pid).filter((e) => e.kind === "stack" && e.start < 0xb0000000).map((e) => e.start)).toContain(a);
    expect(fl.proc(p.pid).vmspace!.ssize).toBe(32);
    expect(sys(fl, p.pid, "mmap", [0, 4096, PROT_RW, MAP_ANON | MAP_STACK, -1, 0, 0, 0]).errno).toBe("ENOMEM");
    expect(sys(fl, p.pid, "mmap", [0, 4096, PROT_READ, MAP_ANON | MAP_STACK, -1, 0, 0, 0]).errno).toBe("EINVAL"); // needs read and write
  });

  it("refuses what vm_mmap refuses", () => {
    const fl = newLab();
    const p = fl.spawn();
    const e = (args: number[]) => sys(fl, p.pid, "mmap", args).errno;
    expect(e([0, PAGE, PROT_RW, MAP_ANON, 3, 0, 0, 0])).toBe("EINVAL");                 // MAP_ANON with an fd
    expect(e([0, 0x80000000, PROT_RW, MAP_ANON, -1, 0, 0, 0])).toBe("EINVAL");          // len < 0 as a signed int
    expect(e([0x30000800, PAGE, PROT_RW, MAP_ANON | MAP_FIXED, -1, 0, 0, 0])).toBe("EINVAL"); // unaligned fixed
    expect(e([0xbfbff000, 2 * PAGE, PROT_RW, MAP_ANON | MAP_FIXED, -1, 0, 0, 0])).toBe("EINVAL"); // past the top
    expect(e([0, PAGE, PROT_RW, MAP_SHARED, 9, 0, 0, 0])).toBe("EBADF");
    expect(e([0, PAGE, PROT_READ, MAP_SHARED, 0, 0, 0, 0])).toBe("ENODEV");              // the console
    const path = ustr(fl, p.pid, "/ro");
    ok(fl, p.pid, "close", [ok(fl, p.pid, "open", [path, O_CREAT | O_RDWR, 0o644])]);
    const ro = ok(fl, p.pid, "open", [path, O_RDONLY, 0]);
    expect(e([0, PAGE, PROT_RW, MAP_SHARED, ro, 0, 0, 0])).toBe("EACCES");               // shared write needs FWRITE
    const a = mmap(fl, p.pid, PAGE, PROT_READ, MAP_SHARED, ro);
    expect(sys(fl, p.pid, "mprotect", [a, PAGE, PROT_RW]).errno).toBe("EACCES");       // past max_protection
    expect(sys(fl, p.pid, "madvise", [a, PAGE, 11]).errno).toBe("EINVAL");
    expect(sys(fl, p.pid, "madvise", [a, PAGE, 4]).error).toBe(0);
  });

  it("munmap: page-rounded, len 0 is 0, a hole anywhere in the range is EINVAL (unlike POSIX)", () => {
    const fl = newLab();
    const p = fl.spawn();
    const a = mmap(fl, p.pid, 3 * PAGE, PROT_RW, MAP_ANON | MAP_PRIVATE);
    expect(sys(fl, p.pid, "munmap", [a, 0]).error).toBe(0);
    expect(sys(fl, p.pid, "munmap", [a + PAGE, PAGE]).error).toBe(0);
    expect(sys(fl, p.pid, "munmap", [a, 3 * PAGE]).errno).toBe("EINVAL"); // the hole in the middle
    expect(sys(fl, p.pid, "munmap", [0xbfbff000, 2 * PAGE]).errno).toBe("EINVAL");
    expect(sys(fl, p.pid, "munmap", [a + 10, 1]).error).toBe(0);          // rounds to the first page
    expect(() => fl.readUser(p.pid, a, 1)).toThrow();
    expect(text(fl, p.pid, a + 2 * PAGE, 1)).toBe("\0");
  });

  it("mprotect(PROT_NONE) keeps the bytes but refuses every access; PROT_READ gives them back read-only", () => {
    const fl = newLab();
    const p = fl.spawn();
    const a = mmap(fl, p.pid, PAGE, PROT_RW, MAP_ANON | MAP_PRIVATE);
    fl.writeUser(p.pid, a, enc("kept"));
    ok(fl, p.pid, "mprotect", [a, PAGE, 0]);
    expect(() => fl.readUser(p.pid, a, 4)).toThrow();
    expect(sys(fl, p.pid, "write", [1, a, 4]).errno).toBe("EFAULT");
    ok(fl, p.pid, "mprotect", [a, PAGE, PROT_READ]);
    expect(text(fl, p.pid, a, 4)).toBe("kept");
    expect(() => fl.writeUser(p.pid, a, enc("x"))).toThrow();
  });

  it("a program's touch of PROT_NONE memory is SIGBUS, of an unmapped address SIGSEGV (trap_pfault)", () => {
    const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    const statuses: number[] = [];
    for (const prot of [0, -1]) {
      const fl = newLab();
      const code = [
        // mmap(0, 4096, prot, MAP_ANON|MAP_PRIVATE, -1, 0, 0, 0) through the stack
        0x6a, 0x00, 0x6a, 0x00, 0x6a, 0x00, 0x6a, 0xff, 0x68, ...le32(MAP_ANON | MAP_PRIVATE),
        0x6a, prot === 0 ? 0 : 3, 0x68, ...le32(PAGE), 0x6a, 0x00, 0x6a, 0x00,
        0xb8, ...le32(197), 0xcd, 0x80,
        ...(prot === 0 ? [] : [0xb8, ...le32(0x10)]),  // or an address nothing maps
        0x8b, 0x00,                                    // mov eax, [eax]
        ...exitCode(0),
      ];
      const p = fl.spawn({ image: program("touch", code) });
      let status = -1;
      fl.on("exit", (ev) => { if (ev.pid === p.pid) status = ev.status; });
      fl.run({ until: () => status >= 0 });
      statuses.push(status);
    }
    expect(statuses).toEqual([10, 11]); // SIGBUS, SIGSEGV
  });
});

describe("issue 7 defect 10: copyin/copyout fault user pages in, as trap_pfault does for the kernel", () => {
  it("a copyout to a stack page exec mapped (vm_map_stack) but nobody touched succeeds: wait4's status at USRSTACK - 0x8000", () => {
    const fl = newLab();
    const p = fl.spawn();
    const c = forkChild(fl, p.pid);
    ok(fl, c, "exit", [3]);
    fl.run({ ticks: 1 });
    const st = 0xbfc00000 - 0x8000;
    expect(fl.mappings(p.pid).some((m) => m.va === st)).toBe(false);
    expect(sys(fl, p.pid, "wait4", [c, st, 0, 0]).error).toBe(0);
    expect(fl.readWord(p.pid, st)).toBe(3 << 8);
  });

  it("a copyout below the stack entry grows the stack by SGROWSIZ steps and vm_ssize counts it (defect 12)", () => {
    const fl = newLab();
    const p = fl.spawn();
    expect(fl.proc(p.pid).vmspace!.ssize).toBe(32);                 // SGROWSIZ: 128 KiB
    const deep = 0xbfc00000 - 128 * 1024 - 8;                         // just below the entry
    expect(sys(fl, p.pid, "getrlimit", [3, deep]).error).toBe(0);   // RLIMIT_STACK into it
    expect(fl.proc(p.pid).vmspace!.ssize).toBe(64);
    expect(fl.readWord(p.pid, deep)).toBe(8 * 1024 * 1024);          // DFLSSIZ
    const deeper = 0xbfc00000 - 600 * 1024;
    expect(sys(fl, p.pid, "getrlimit", [3, deeper]).error).toBe(0);
    expect(fl.proc(p.pid).vmspace!.ssize).toBe(160);                // 640 KiB: rounded to SGROWSIZ
    // Past RLIMIT_STACK (8 MiB) the stack may not grow: EFAULT.
    expect(sys(fl, p.pid, "getrlimit", [3, 0xbfc00000 - 9 * 1024 * 1024]).errno).toBe("EFAULT");
    // A user fault grows it the same way: the stack entries cover what was grown.
    const stack = fl.vmMap(p.pid).filter((e) => e.kind === "stack");
    expect(stack[0]).toMatchObject({ start: 0xbfc00000 - 640 * 1024, growsDown: true });
  });

  it("lwp_create with its stack and tid at USRSTACK - 0x8000 of a fresh process succeeds, as in the 2008 kernel (forklab gave EFAULT)", () => {
    const fl = newLab();
    const p = fl.spawn();
    const top = 0xbfc00000 - 0x8000;
    const prm = fl.userAlloc(p.pid, 20);
    [0x1000, 0, top - 64, top, top + 4].forEach((w, i) => fl.writeWord(p.pid, prm + 4 * i, w));
    expect(sys(fl, p.pid, "lwp_create", [prm]).error).toBe(0);
    expect(fl.readWord(p.pid, top)).toBe(1);      // the new LWP's tid, copied out to a page nobody had touched
    expect(fl.readWord(p.pid, top + 4)).toBe(1);
  });

  it("a copyout into anonymous memory never touched succeeds (the page is made), and one into a hole is EFAULT", () => {
    const fl = newLab();
    const p = fl.spawn();
    const a = mmap(fl, p.pid, PAGE, PROT_RW, MAP_ANON | MAP_PRIVATE);
    expect(sys(fl, p.pid, "getrlimit", [3, a]).error).toBe(0);
    expect(sys(fl, p.pid, "getrlimit", [3, 0x10000000]).errno).toBe("EFAULT");
  });
});
