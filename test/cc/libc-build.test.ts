// The committed C library (libc/lib, libc/newlib-include) is what scripts/build-libc.sh
// makes from Debian's newlib-source and libc/src: a rebuild from scratch into a temporary
// directory gives the same bytes. Skipped, with the reason, when newlib's source or
// gcc -m32 is missing, or when the compiler, binutils or newlib differ from those the
// committed files were built with (libc/toolchain.txt), since those change the bytes.
import { describe, it, expect } from "vitest";
import { readFileSync, readdirSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { spawnSync, execSync } from "node:child_process";
import { createHash } from "node:crypto";
import { ROOT, noCompiler } from "./helpers.js";

const LIBC = join(ROOT, "libc");

function toolchainNow(): string | null {
  const tarballs = existsSync("/usr/src/newlib") ? readdirSync("/usr/src/newlib").filter((f) => /^newlib-.*\.tar\.xz$/.test(f)).sort() : [];
  if (tarballs.length === 0) return null;
  const tb = join("/usr/src/newlib", tarballs[0]);
  const sha = createHash("sha256").update(readFileSync(tb)).digest("hex");
  const first = (cmd: string) => execSync(cmd, { encoding: "utf8" }).split("\n")[0];
  return `${first("gcc --version")}\n${first("ld --version")}\nnewlib ${tarballs[0]} sha256 ${sha}\n`;
}

function why(): string | null {
  if (noCompiler) return noCompiler;
  const now = toolchainNow();
  if (now === null) return "newlib's source is not installed (apt-get install newlib-source)";
  const was = readFileSync(join(LIBC, "toolchain.txt"), "utf8");
  if (now !== was) return `the toolchain differs from libc/toolchain.txt:\n${now}\nversus\n${was}`;
  return null;
}
const skip = why();

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out.sort();
}

describe.skipIf(skip !== null)(`scripts/build-libc.sh${skip ? ` [skipped: ${skip}]` : ""}`, () => {
  it("rebuilds the committed library, start-up code and headers byte for byte", () => {
    const out = mkdtempSync(join(tmpdir(), "forklab-libc-"));
    try {
      const r = spawnSync("sh", [join(ROOT, "scripts", "build-libc.sh"), out], { encoding: "utf8", env: { ...process.env, NEWLIB_BUILD: "" } });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      for (const f of ["crt1.o", "libc.a", "libm.a"]) {
        expect(readFileSync(join(out, "lib", f)).equals(readFileSync(join(LIBC, "lib", f))), f).toBe(true);
      }
      const want = files(join(LIBC, "newlib-include")).map((f) => relative(LIBC, f));
      expect(files(join(out, "newlib-include")).map((f) => relative(out, f))).toEqual(want);
      for (const f of want) expect(readFileSync(join(out, f)).equals(readFileSync(join(LIBC, f))), f).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 20 * 60_000);
});

describe("the committed library", () => {
  it("is small: no debug information, a few MB in all", () => {
    const total = [...files(join(LIBC, "lib")), ...files(join(LIBC, "newlib-include"))].reduce((n, f) => n + statSync(f).size, 0);
    expect(total).toBeLessThan(4 << 20);
    if (noCompiler) return;
    const sections = spawnSync("objdump", ["-h", join(LIBC, "lib", "libc.a")], { encoding: "utf8" }).stdout;
    expect(sections).not.toMatch(/\.debug_|\.comment/);
  });
});
