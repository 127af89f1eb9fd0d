// Programs on the host's disk, for Node only (the browser build leaves this module out):
// an ELF file by path, and where the package keeps the bundled programs' files.
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ProgramImage } from "../kernel/image.js";
import { parseElf, ElfError, MAX_ELF_FILE } from "../kernel/imgact_elf.js";
import { checkName } from "./programs.js";

/**
 * Reads an ELF executable from the host's disk; p_comm is the file's base name. Only a
 * regular file of at most MAX_ELF_FILE bytes is read (the largest file forklab's
 * filesystem holds), so a device such as /dev/zero or a huge file is refused up front.
 */
export function loadElfFile(path: string, name = basename(path)): ProgramImage {
  let bytes: Uint8Array;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error("not a regular file");
    if (st.size > MAX_ELF_FILE) throw new Error(`${st.size} bytes is more than the largest program forklab loads (${MAX_ELF_FILE} bytes)`);
    bytes = readFileSync(path);
    if (bytes.length > MAX_ELF_FILE) throw new Error(`the file grew past ${MAX_ELF_FILE} bytes while it was read`);
  } catch (e) {
    throw new ElfError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return parseElf(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), name);
  } catch (e) {
    if (e instanceof ElfError) throw new ElfError(`${path}: ${e.message}`);
    throw e;
  }
}

let binDir: string | null = null;

/**
 * programs/bin of the package: found by walking up from this module, which sits at
 * src/user/ in the sources, dist/src/user/ in the ESM build and dist/cjs/ in the CommonJS one.
 */
export function bundledBinDir(): string {
  if (binDir) return binDir;
  const here = dirname(fileURLToPath(import.meta.url));
  let dir = here;
  for (let i = 0; i < 6; i++) {
    const cand = join(dir, "programs", "bin");
    if (existsSync(join(cand, "true"))) return (binDir = cand);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`the bundled programs (programs/bin) were not found above ${here}`);
}

/** The path of a bundled program's ELF file on the host (for the forklab command, say). */
export function bundledProgramPath(name: string): string {
  checkName(name);
  return join(bundledBinDir(), name);
}
