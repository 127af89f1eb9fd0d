// Builds everything users run: the Wasm core (release and embed targets), the portable
// JavaScript build of the same core sources, and the TypeScript in src/ (to dist/).
// Runs from `npm install` (prepare), so a fresh clone needs no extra step.
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync, rmSync, renameSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import asc from "assemblyscript/asc";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const only = process.argv[2]; // "core" builds the core alone (used by tests' globalSetup)

async function buildWasm(target) {
  const { error, stderr } = await asc.main(
    ["assembly/index.ts", "--config", "asconfig.json", "--target", target],
    { stdout: process.stdout, stderr: process.stderr },
  );
  if (error) { console.error(stderr.toString()); throw error; }
}

/** The portable build: every assembly/*.ts as plain JS, with portable/mem.ts for mem.ts. */
function buildPortable() {
  // Built into a fresh folder, then swapped in, so a test loading the portable build
  // while another process rebuilds never sees a half-written folder.
  const final = join(root, "build/portable");
  const out = join(root, `build/portable.tmp-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const files = readdirSync(join(root, "assembly")).filter((f) => f.endsWith(".ts") && f !== "mem.ts");
  const sources = files.map((f) => [f, join(root, "assembly", f)]);
  sources.push(["mem.ts", join(root, "portable/mem.ts")]);
  const consts = exportedConstants(sources.map(([, path]) => readFileSync(path, "utf8")));
  for (const [name, path] of sources) {
    const src = foldImportedConstants(readFileSync(path, "utf8"), consts);
    const { outputText, diagnostics } = ts.transpileModule(src, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      reportDiagnostics: true,
      fileName: name,
    });
    if (diagnostics?.length) throw new Error(`${path}: ${ts.flattenDiagnosticMessageText(diagnostics[0].messageText, "\n")}`);
    // ESM needs file extensions on relative imports.
    const js = outputText.replace(/from "(\.\/[\w-]+)"/g, 'from "$1.js"');
    writeFileSync(join(out, name.replace(/\.ts$/, ".js")), js);
  }
  const old = `${final}.old-${process.pid}`;
  if (existsSync(final)) renameSync(final, old);
  renameSync(out, final);
  rmSync(old, { recursive: true, force: true });
}

/**
 * The numeric constants the core's files export (`export const NAME: i32 = <literal
 * arithmetic>;`): asc folds them where they are used, but V8 reads an imported binding
 * from its module at every use. The portable build gives each importing file its own
 * copy instead (foldImportedConstants), so it runs as the source reads.
 */
function exportedConstants(texts) {
  const consts = new Map();
  for (const text of texts) {
    for (const m of text.matchAll(/^export const (\w+): i32 = ([-+*|&~()<>\s\dxXa-fA-F]+);/gm)) consts.set(m[1], m[2].trim());
  }
  return consts;
}
function foldImportedConstants(src, consts) {
  return src.replace(/^import \{([^}]*)\} from ("[^"]+");$/gm, (all, list, from) => {
    const names = list.split(",").map((n) => n.trim()).filter((n) => n.length > 0);
    const folded = names.filter((n) => consts.has(n));
    if (folded.length === 0) return all;
    const kept = names.filter((n) => !consts.has(n));
    return (kept.length ? `import { ${kept.join(", ")} } from ${from};` : "")
      + folded.map((n) => ` const ${n} = ${consts.get(n)};`).join("");
  });
}

function buildTs() {
  if (!existsSync(join(root, "tsconfig.build.json"))) return;
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: root, stdio: "inherit",
  });
}

process.chdir(root);
await buildWasm("release");
await buildWasm("embed");
buildPortable();
if (only !== "core") buildTs();
