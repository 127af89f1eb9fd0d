// The API reference (npm run docs, TypeDoc from the doc comments) builds without a
// warning: every type a public function, class or constant takes or gives is exported by
// name (or listed in typedoc.json as a kernel internal), and no doc link is broken.
// Checked with --emit none: the same validation, no HTML written.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("the API reference", () => {
  it("validates: nothing the API names is left unexported", () => {
    const r = spawnSync(process.execPath, [join(root, "node_modules/typedoc/bin/typedoc"), "--emit", "none"], {
      cwd: root, encoding: "utf8",
    });
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\[warning\]|\[error\]/);
    expect(r.status).toBe(0);
  }, 120_000);
});
