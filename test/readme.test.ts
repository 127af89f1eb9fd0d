// Every ```ts example in the README runs here, so the documentation cannot drift from
// the code. Examples import from "forklab"; that import is pointed at src/index.ts.
import { describe, it } from "vitest";
import { readFileSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join, dirname } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const dir = join(root, "test", ".readme-examples");

describe("README examples", () => {
  it("has examples", () => {
    if (examples.length === 0) throw new Error("no ```ts examples found in README.md");
  });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  examples.forEach((code, i) => {
    const title = /^\/\/ (.*)$/m.exec(code)?.[1] ?? `example ${i + 1}`;
    it(`README example ${i + 1}: ${title}`, async () => {
      const file = join(dir, `example-${i + 1}.ts`);
      const src = code.replace(/from "forklab"/g, `from ${JSON.stringify(join(root, "src", "index.ts"))}`);
      writeFileSync(file, src);
      await import(pathToFileURL(file).href);
    });
  });
});
