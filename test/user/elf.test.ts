// The ELF32 i386 loader, the kernel's image activator (src/kernel/imgact_elf.ts): every bundled binary parses; every kind of
// malformed file is refused with an ElfError that names what is wrong; and execve of a
// malformed file fails with ENOEXEC before the calling process is touched.
import { describe, it, expect } from "vitest";
import { Forklab } from "../../src/index.js";
import type { ProgramImage } from "../../src/index.js";
import {
  parseElf, readHeaders, elfImageLoader, ElfError, protOf, ELF, SEGMENT_LIMIT,
} from "../../src/kernel/imgact_elf.js";
import {
  BUNDLED_PROGRAMS, bundledProgram, bundledProgramBytes, installBundled,
} from "../../src/user/programs.js";
import { loadElfFile, bundledProgramPath } from "../../src/user/host.js";
import { ENOEXEC, EACCES } from "../../src/kernel/errno.js";
import { P_EXEC } from "../../src/kernel/param.js";

const NAMES = Object.keys(BUNDLED_PROGRAMS);

/** A copy of a bundled binary, to break. */
function copyOf(name: string): Uint8Array { return bundledProgramBytes(name).slice(); }
function dv(b: Uint8Array): DataView { return new DataView(b.buffer, b.byteOffset, b.length); }

// Offsets in Elf32_Ehdr and Elf32_Phdr.
const E_TYPE = 16, E_MACHINE = 18, E_ENTRY = 24, E_PHOFF = 28, E_PHENTSIZE = 42, E_PHNUM = 44;
const P_TYPE = 0, P_OFFSET = 4, P_VADDR = 8, P_FILESZ = 16, P_MEMSZ = 20, P_FLAGS = 24;

/** The file offset of program header i. */
function ph(b: Uint8Array, i: number): number { return dv(b).getUint32(E_PHOFF, true) + 32 * i; }
/** The index of the first program header of type PT_LOAD with (flags & want) === want. */
function loadIndex(b: Uint8Array, want: number): number {
  const n = dv(b).getUint16(E_PHNUM, true);
  for (let i = 0; i < n; i++) {
    const o = ph(b, i);
    if (dv(b).getUint32(o + P_TYPE, true) === ELF.PT_LOAD && (dv(b).getUint32(o + P_FLAGS, true) & want) === want) return i;
  }
  throw new Error("no such segment");
}

function refusal(bytes: Uint8Array): string {
  try {
    parseElf(bytes, "broken");
  } catch (e) {
    expect(e).toBeInstanceOf(ElfError);
    return (e as Error).message;
  }
  throw new Error("the malformed file was accepted");
}

describe("the bundled binaries", () => {
  it.each(NAMES)("%s parses: a text segment (R+X) holding the entry point, data and bss R+W", (name) => {
    const img = bundledProgram(name);
    expect(img.name).toBe(name);
    expect(img.segments.length).toBeGreaterThanOrEqual(1);
    const text = img.segments[0];
    expect(text.vaddr).toBe(0x08048000);
    expect(text.prot).toBe(1 | 4);
    expect(img.entry).toBeGreaterThan(text.vaddr);
    expect(img.entry).toBeLessThan(text.vaddr + text.memsz);
    for (const s of img.segments.slice(1)) {
      expect(s.prot).toBe(1 | 2);
      expect(s.vaddr).toBeGreaterThanOrEqual(text.vaddr + text.memsz);
      expect(s.memsz).toBeGreaterThanOrEqual(s.data.length);
    }
    // The ELF header is part of the text segment, as in the traditional layout.
    expect(Array.from(text.data.subarray(0, 4))).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(bundledProgram(name)).toBe(img); // cached
  });

  it("reading from disk gives the same image, named after the file", () => {
    const a = loadElfFile(bundledProgramPath("spawn"));
    expect(a).toEqual(bundledProgram("spawn"));
    expect(loadElfFile(bundledProgramPath("spawn"), "other").name).toBe("other");
    expect(() => loadElfFile("/nonexistent/forklab-prog")).toThrow(/cannot read \/nonexistent\/forklab-prog/);
  });

  it("p_flags map to VM_PROT: PF_R 4 -> read 1, PF_W 2 -> write 2, PF_X 1 -> execute 4", () => {
    expect(protOf(ELF.PF_R)).toBe(1);
    expect(protOf(ELF.PF_W)).toBe(2);
    expect(protOf(ELF.PF_X)).toBe(4);
    expect(protOf(ELF.PF_R | ELF.PF_X)).toBe(5);
    expect(protOf(ELF.PF_R | ELF.PF_W)).toBe(3);
    expect(protOf(0)).toBe(0);
  });

  it("an unknown name is refused with the list of programs", () => {
    expect(() => bundledProgram("nope")).toThrow(/no bundled program "nope"; there are: forkbomb, /);
  });
});

describe("malformed files are refused with a message that says what is wrong", () => {
  const cases: [string, () => Uint8Array, RegExp][] = [
    ["empty file", () => new Uint8Array(0), /not an ELF file: bad magic \(empty file/],
    ["bad magic", () => { const b = copyOf("true"); b[1] = 0x46; return b; }, /not an ELF file: bad magic \(7f 46 4c 46/],
    ["a 64-bit class", () => { const b = copyOf("true"); b[4] = ELF.ELFCLASS64; return b; }, /ELFCLASS64: a 64-bit ELF file/],
    ["an unknown class", () => { const b = copyOf("true"); b[4] = 7; return b; }, /bad ELF class 7/],
    ["big endian", () => { const b = copyOf("true"); b[5] = ELF.ELFDATA2MSB; return b; }, /ELFDATA2MSB: a big-endian ELF file/],
    ["a bad e_ident version", () => { const b = copyOf("true"); b[6] = 0; return b; }, /bad ELF version 0 in e_ident/],
    ["truncated header", () => copyOf("true").slice(0, 40), /truncated ELF header: the file has 40 bytes, the ELF32 header needs 52/],
    ["truncated e_ident", () => copyOf("true").slice(0, 10), /truncated ELF header: the file has 10 bytes/],
    ["ET_DYN", () => { const b = copyOf("true"); dv(b).setUint16(E_TYPE, ELF.ET_DYN, true); return b; }, /e_type is ET_DYN \(a shared object or position-independent executable\)/],
    ["ET_REL", () => { const b = copyOf("true"); dv(b).setUint16(E_TYPE, ELF.ET_REL, true); return b; }, /e_type is ET_REL/],
    ["wrong machine", () => { const b = copyOf("true"); dv(b).setUint16(E_MACHINE, 62, true); return b; }, /e_machine is 62 \(EM_X86_64\), not EM_386 \(3\)/],
    ["wrong e_phentsize", () => { const b = copyOf("true"); dv(b).setUint16(E_PHENTSIZE, 56, true); return b; }, /e_phentsize is 56, not 32/],
    ["no program headers", () => { const b = copyOf("true"); dv(b).setUint16(E_PHNUM, 0, true); return b; }, /no program header table/],
    ["phdr table outside the file", () => { const b = copyOf("true"); dv(b).setUint32(E_PHOFF, b.length - 40, true); return b; }, /the program header table \[0x[0-9a-f]+, 0x[0-9a-f]+\) \(2 entries\) lies outside the file \(\d+ bytes\)/],
    ["phdr table cut off by truncation", () => copyOf("true").slice(0, 80), /program header table .* lies outside the file \(80 bytes\)/],
    ["segment data outside the file", () => { const b = copyOf("true"); dv(b).setUint32(ph(b, 0) + P_FILESZ, b.length + 1, true); dv(b).setUint32(ph(b, 0) + P_MEMSZ, b.length + 1, true); return b; }, /PT_LOAD segment 0 \(p_vaddr 0x8048000\): its file data \[0x0, 0x[0-9a-f]+\) lies outside the file/],
    ["memsz < filesz", () => { const b = copyOf("true"); const o = ph(b, 0); dv(b).setUint32(o + P_MEMSZ, dv(b).getUint32(o + P_FILESZ, true) - 1, true); return b; }, /PT_LOAD segment 0 .*: p_memsz 0x[0-9a-f]+ is less than p_filesz/],
    ["segment in kernel space", () => { const b = copyOf("true"); dv(b).setUint32(ph(b, 0) + P_VADDR, 0xC0000000, true); dv(b).setUint32(E_ENTRY, 0xC0000080, true); return b; }, /PT_LOAD segment 0 \(p_vaddr 0xc0000000\): \[0xc0000000, 0xc0[0-9a-f]+\) reaches kernel space \(user space ends at 0xbfc00000\)/],
    ["segment in the stack region", () => { const b = copyOf("true"); dv(b).setUint32(ph(b, 0) + P_VADDR, 0xBF000000, true); return b; }, /overlaps the stack region \[0xbbc00000, 0xbfc00000\)/],
    ["segment wrapping past 4 GiB", () => { const b = copyOf("true"); dv(b).setUint32(ph(b, 0) + P_MEMSZ, 0xFFFFF000, true); return b; }, /reaches kernel space/],
    ["p_vaddr and p_offset not congruent", () => { const b = copyOf("true"); dv(b).setUint32(ph(b, 0) + P_VADDR, 0x08048010, true); return b; }, /p_vaddr and p_offset 0x0 are not congruent modulo p_align 0x1000/],
    ["entry outside any segment", () => { const b = copyOf("true"); dv(b).setUint32(E_ENTRY, 0x1000, true); return b; }, /entry point 0x1000 is not inside any PT_LOAD segment/],
    ["entry in a non-executable segment", () => {
      const b = copyOf("rfork-mem");
      const o = ph(b, loadIndex(b, ELF.PF_W));
      dv(b).setUint32(E_ENTRY, dv(b).getUint32(o + P_VADDR, true), true);
      return b;
    }, /entry point 0x[0-9a-f]+ is in segment 1, which is not executable \(p_flags RW\)/],
    ["no PT_LOAD", () => { const b = copyOf("true"); dv(b).setUint32(ph(b, 0) + P_TYPE, ELF.PT_NULL, true); return b; }, /no PT_LOAD segment: nothing to map/],
    ["only empty PT_LOADs", () => { const b = copyOf("true"); const o = ph(b, 0); dv(b).setUint32(o + P_FILESZ, 0, true); dv(b).setUint32(o + P_MEMSZ, 0, true); return b; }, /every PT_LOAD segment is empty/],
    ["PT_INTERP", () => { const b = copyOf("true"); dv(b).setUint32(ph(b, 1) + P_TYPE, ELF.PT_INTERP, true); return b; }, /program header 1 is PT_INTERP: a dynamically linked executable/],
    ["PT_DYNAMIC", () => { const b = copyOf("true"); dv(b).setUint32(ph(b, 1) + P_TYPE, ELF.PT_DYNAMIC, true); return b; }, /program header 1 is PT_DYNAMIC/],
    ["overlapping segments", () => {
      const b = copyOf("rfork-mem");
      const o = ph(b, loadIndex(b, ELF.PF_W));
      // Move the data segment down into the text segment (keeping p_vaddr = p_offset mod 4096).
      dv(b).setUint32(o + P_OFFSET, 0x80, true);
      dv(b).setUint32(o + P_VADDR, 0x08048080, true);
      return b;
    }, /PT_LOAD segments overlap: segment 0 \[0x8048000, 0x[0-9a-f]+\) and segment 1 \[0x[0-9a-f]+, 0x[0-9a-f]+\)/],
  ];

  it.each(cases)("%s", (_what, make, want) => {
    expect(refusal(make())).toMatch(want);
  });

  it("the readable parts of a refused file are not used: parseElf is all or nothing", () => {
    // A file whose first segment is fine and whose second is not gives no image at all.
    const b = copyOf("rfork-mem");
    dv(b).setUint32(ph(b, loadIndex(b, ELF.PF_W)) + P_VADDR, 0xC0000000 + (dv(b).getUint32(ph(b, 1) + P_OFFSET, true) & 0xFFF), true);
    expect(refusal(b)).toMatch(/segment 1 .* reaches kernel space/);
    expect(readHeaders(copyOf("rfork-mem")).phdrs.length).toBe(3);
  });

  it("a segment ending exactly at the bottom of the stack region is accepted", () => {
    const b = copyOf("true");
    const o = ph(b, 0);
    const memsz = 0x1000;
    dv(b).setUint32(o + P_VADDR, SEGMENT_LIMIT - memsz, true);
    dv(b).setUint32(o + P_MEMSZ, memsz, true);
    dv(b).setUint32(E_ENTRY, SEGMENT_LIMIT - memsz + 0x80, true);
    const img = parseElf(b);
    expect(img.segments[0].vaddr + img.segments[0].memsz).toBe(SEGMENT_LIMIT);
  });
});

describe("execve through the kernel's image loader", () => {
  /** A bare process with a path, argv and envp in its memory; returns the addresses. */
  function bareWithArgs(fl: Forklab, path: string): { pid: number; pathp: number; argvp: number } {
    const p = fl.spawn({ uid: 1000 });
    const enc = new TextEncoder();
    const buf = fl.userAlloc(p.pid, 4096);
    fl.writeUser(p.pid, buf, enc.encode(path + "\0"));
    fl.writeWord(p.pid, buf + 256, buf);
    fl.writeWord(p.pid, buf + 260, 0);
    return { pid: p.pid, pathp: buf, argvp: buf + 256 };
  }

  function bad(): Uint8Array { const b = copyOf("true"); dv(b).setUint16(E_MACHINE, 62, true); return b; }

  it("a malformed file gives ENOEXEC and the caller is unchanged", () => {
    const fl = new Forklab({ physBytes: 8 << 20 });
    fl.installFile("/bin/bad", bad());
    const { pid, pathp, argvp } = bareWithArgs(fl, "/bin/bad");
    const before = { proc: fl.proc(pid), maps: fl.mappings(pid), tf: fl.trapframe(pid), counters: fl.counters() };
    const r = fl.syscall(pid, "execve", [pathp, argvp, 0]);
    expect(r).toMatchObject({ done: true, error: ENOEXEC, errno: "ENOEXEC" });
    const after = fl.proc(pid);
    expect(after.comm).toBe(before.proc.comm);
    expect(after.hasProgram).toBe(false);
    expect(after.flag & P_EXEC).toBe(0);
    expect(after.vmspace).toEqual(before.proc.vmspace);
    // The same pages, frames and protections (the hardware may have set accessed/dirty bits).
    const pages = (m: ReturnType<Forklab["mappings"]>) => m.map(({ va, pa, writable, cow, refcount }) => ({ va, pa, writable, cow, refcount }));
    expect(pages(fl.mappings(pid))).toEqual(pages(before.maps));
    expect(fl.counters().v_exec).toBe(before.counters.v_exec);
    // Only the syscall's return registers changed (and tf_err, which the trap entry sets): eax = ENOEXEC with the carry set.
    const tf = fl.trapframe(pid);
    expect(tf.eax).toBe(ENOEXEC);
    expect(tf.eflags & 1).toBe(1);
    expect({ ...tf, eax: 0, eflags: 0, err: 0 }).toEqual({ ...before.tf, eax: 0, eflags: 0, err: 0 });
  });

  it("a well-formed file is loaded and run; not executable or a directory gives EACCES", () => {
    const fl = new Forklab({ physBytes: 8 << 20 });
    installBundled(fl);
    fl.installFile("/home/noexec", bundledProgramBytes("true"), 0o644);
    const a = bareWithArgs(fl, "/home/noexec");
    expect(fl.syscall(a.pid, "execve", [a.pathp, a.argvp, 0])).toMatchObject({ done: true, error: EACCES });
    const d = bareWithArgs(fl, "/bin");
    expect(fl.syscall(d.pid, "execve", [d.pathp, d.argvp, 0])).toMatchObject({ done: true, error: EACCES });
    expect(elfImageLoader(fl.kernel.vfs.lookup("/bin") as never)).toBe(EACCES);

    const t = bareWithArgs(fl, "/bin/true");
    const exits = new Map<number, number>();
    fl.on("exit", (e) => exits.set(e.pid, e.status));
    expect(fl.syscall(t.pid, "execve", [t.pathp, t.argvp, 0])).toMatchObject({ done: true, error: 0 });
    expect(fl.proc(t.pid)).toMatchObject({ comm: "true", hasProgram: true });
    fl.run({ seconds: 1 });
    expect(exits.get(t.pid)).toBe(0);
  });

  it("is the kernel's image activator from boot: execve of an installed ELF file needs no setup", () => {
    const fl = new Forklab({ physBytes: 8 << 20 });
    fl.installFile("/bin/true", bundledProgramBytes("true"));
    const { pid, pathp, argvp } = bareWithArgs(fl, "/bin/true");
    expect(fl.syscall(pid, "execve", [pathp, argvp, 0])).toMatchObject({ done: true, error: 0 });
    expect(fl.proc(pid)).toMatchObject({ comm: "true", hasProgram: true });
  });

  it("a program whose execve fails keeps running its old image: vfork-exec with a broken /bin/true exits 127", () => {
    const fl = new Forklab({ physBytes: 8 << 20 });
    installBundled(fl);
    fl.installFile("/bin/true", bad());
    const exits = new Map<number, number>();
    const execs: number[] = [];
    fl.on("exit", (e) => exits.set(e.pid, e.status));
    fl.on("exec", (e) => execs.push(e.pid));
    const p = fl.spawn({ image: bundledProgram("vfork-exec"), uid: 1000 });
    fl.run({ seconds: 5, until: () => exits.has(p.pid) });
    // The child went on after the failed execve to its exit(127); the parent passes the code on.
    expect([...exits.values()]).toEqual([127 << 8, 127 << 8]);
    expect(exits.get(p.pid)).toBe(127 << 8);
    expect(execs).toEqual([p.pid]); // only the spawn's own exec
  });

  it("installFile replaces a file's bytes and a program registered there", () => {
    const fl = new Forklab({ physBytes: 8 << 20 });
    const img: ProgramImage = bundledProgram("true");
    fl.registerProgram("/bin/x", img);
    fl.installFile("/bin/x", bad());
    const vp = fl.kernel.vfs.lookup("/bin/x");
    expect(typeof vp).not.toBe("number");
    expect(fl.kernel.imageOf(vp as never)).toBe(ENOEXEC);
    fl.installFile("/bin/x", bundledProgramBytes("true"));
    expect(fl.kernel.imageOf(vp as never)).toMatchObject({ image: { name: "x", entry: img.entry } });
    expect(() => fl.installFile("bin/x", new Uint8Array(1))).toThrow(/path must be absolute/);
    expect(() => fl.installFile("/bin", new Uint8Array(1))).toThrow(/\/bin is a directory/);
    expect(() => fl.installFile("/bin/x/y", new Uint8Array(1))).toThrow(/\/bin\/x is not a directory/);
  });
});
