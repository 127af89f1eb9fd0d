// Tests run against the built core. `npm install` builds it; this rebuilds it when an
// assembly/ or portable/ source is newer than the Wasm, so edits are never tested stale.
import { statSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";

function newest(dir: string): number {
  return Math.max(...readdirSync(dir).map((f) => statSync(join(dir, f)).mtimeMs));
}

export default function setup(): void {
  const wasm = "build/core.wasm";
  const stale = !existsSync(wasm) || !existsSync("build/portable/index.js") || !existsSync("src/user/programs.gen.ts")
    || Math.max(newest("assembly"), newest("portable"), newest("programs/bin")) > statSync(wasm).mtimeMs;
  if (stale) execFileSync(process.execPath, ["scripts/build.mjs", "core"], { stdio: "inherit" });
}
