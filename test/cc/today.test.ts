// C programs compiled with forklab cc, run on forklab with what its kernel has today:
// fork, vfork, rfork, rfork_thread, wait4, execv, getpid/
// getppid, open/write/close/lseek/dup2, sigprocmask/sigpending, getrlimit/setrlimit,
// setsid, errno from failing calls. The program writes its report to a file with write(2)
// (no stdio: stdio needs malloc, i.e. break(2)); the test reads the file back from
// forklab's filesystem. At -O0 and -O2, -march=i386.
import { describe, it, expect } from "vitest";
import { join } from "node:path";
import { Forklab } from "../../src/kernel/api.js";
import { parseElf } from "../../src/kernel/imgact_elf.js";
import type { Vnode } from "../../src/kernel/vfs.js";
import { compile, noCompiler, FIXTURES, readExpected, matchesExpected } from "./helpers.js";

describe.skipIf(noCompiler !== null)("a C program on today's kernel", () => {
  const expected = readExpected(join(FIXTURES, "today.expected"));

  it.each(["-O0", "-O2"])("fork, vfork, rfork, rfork_thread, wait4, errno and files at %s", (opt) => {
    const { bytes } = compile([join(FIXTURES, "today.c")], [opt], "today");
    const fl = new Forklab();
    fl.kernel.vfs.mkdir("/tmp", 0o1777);
    fl.installFile("/bin/today", bytes, 0o755); // it execs itself
    const p = fl.spawn({ image: parseElf(bytes, "today"), argv: ["today", "/tmp/report"], uid: 1000 });
    let status: number | null = null;
    fl.on("exit", (e) => { if (e.pid === p.pid) status = e.status; });
    fl.run({ seconds: 5, until: () => status !== null });
    const vp = fl.kernel.vfs.lookup("/tmp/report") as Vnode;
    const report = typeof vp === "number" ? "(no report file)" : Buffer.from(vp.v_data.subarray(0, vp.v_size)).toString("latin1");
    expect({ status, report }).toEqual({ status: expected.status << 8, report: expected.lines.join("\n") + "\n" });
    expect(matchesExpected(report, expected)).toBe(true);
    // fork x4, vfork, rfork x2 from the program, and the spawn's fork from init.
    expect(fl.counters().v_forks + fl.counters().v_vforks + fl.counters().v_rforks).toBe(8);
  });
});
