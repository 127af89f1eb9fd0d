// Whether dist/ is there and newer than every source file: the package and browser tests
// test what `npm run build` made, and say so instead of testing something stale.
import { existsSync, statSync, readdirSync } from "node:fs";
import { join } from "node:path";

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Why the tests of the built package cannot run now, or "" when they can. */
export function distMissing(root: string): string {
  const marks = ["dist/src/index.js", "dist/cjs/forklab.cjs", "dist/browser/forklab.js"].map((f) => join(root, f));
  const missing = marks.find((f) => !existsSync(f));
  if (missing) return `${missing} is missing: run \`npm run build\``;
  const built = Math.min(...marks.map((f) => statSync(f).mtimeMs));
  if (built < Math.max(newest(join(root, "src")), newest(join(root, "assembly")))) {
    return "dist/ is older than src/ or assembly/: run `npm run build`";
  }
  return "";
}
