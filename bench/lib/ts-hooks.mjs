// Module hooks that let the benchmarks import forklab's TypeScript sources (src/, and
// assembly/i386.ts) directly, so a benchmark always measures the sources as they are,
// without a dist/ build: `.ts` files are transpiled with the project's own TypeScript
// (ts.transpileModule, types stripped, nothing checked), and a relative `./x.js` import
// that has no .js file falls back to `./x.ts`, as tsc's NodeNext resolution does.
// Registered by harness.mjs (module.register), never imported directly.
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    if (e?.code === "ERR_MODULE_NOT_FOUND" && /^\.\.?\//.test(specifier) && specifier.endsWith(".js") && context.parentURL) {
      const url = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
      if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
    }
    throw e;
  }
}

export async function load(url, context, next) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return next(url, context);
  const path = fileURLToPath(url);
  const { outputText } = ts.transpileModule(await readFile(path, "utf8"), {
    compilerOptions: {
      module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, inlineSourceMap: true,
    },
    fileName: path,
  });
  return { format: "module", source: outputText, shortCircuit: true };
}
