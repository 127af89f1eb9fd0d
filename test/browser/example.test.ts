// forklab in a real browser: examples/browser/ opened in headless Chromium (Debian's
// chromium package, driven by playwright-core; no browser download), served from
// 127.0.0.1. The page's fork bomb must end as the Node API's runBomb does with the same
// options, and its chart must have drawn. Also: the "browser" export condition picks
// dist/browser/forklab.js, which imports nothing from Node, and initCore takes the Wasm
// core as a URL, bytes or a compiled module. Skipped, saying why, without chromium or dist/.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { existsSync, mkdtempSync, mkdirSync, symlinkSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as esbuild from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { serve } from "../../examples/browser/serve.mjs";
import { runBomb } from "../../src/index.js";
import { distMissing } from "../package/dist.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CHROMIUM = "/usr/bin/chromium";
const why = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium)`
  : distMissing(root);

interface PageResult {
  program: string; maxproc: number; strategy: string; cpus: number; peak: number;
  saturatedTick: number | null; ticks: number; forks: number; refused: number; samples: number;
}

describe("the browser", () => {
  if (why) {
    it.skip(`skipped: ${why}`, () => {});
    console.warn(`test/browser/example.test.ts: ${why}`);
    return;
  }

  let server: Server, browser: Browser, page: Page, base = "";
  beforeAll(async () => {
    server = await serve(root);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM });
    page = await browser.newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  async function pageRun(): Promise<PageResult> {
    await page.waitForFunction(() => document.body.dataset.state === "done" || document.body.dataset.state === "error", null, { timeout: 60_000 });
    const error = await page.textContent("#error");
    expect(error).toBe("");
    return page.evaluate(() => (window as unknown as { forklabResult: PageResult }).forklabResult);
  }

  /** Pixels of the process line (the chart's red) on the canvas. */
  function linePixels(): Promise<number> {
    return page.evaluate(() => {
      const c = document.getElementById("chart") as HTMLCanvasElement;
      const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] > 150 && d[i + 1] < 90 && d[i + 2] < 90 && d[i + 3] > 0) n++;
      return n;
    });
  }

  function expectSameAsNode(r: PageResult, o: { maxproc: number; strategy: "cow" | "copy"; cpus: number }): void {
    const node = runBomb({ ...o, program: "forkbomb" });
    expect(r.peak).toBe(o.maxproc - 10); // a user's bomb stops at maxproc - 10
    expect(r.peak).toBe(node.peak.nprocs);
    expect(r.saturatedTick).toBe(node.saturation.tick);
    expect(r.ticks).toBe(node.run.ticks);
    expect(r.forks).toBe(node.forks.succeeded);
    expect(r.refused).toBe(node.forks.refusedBy.maxproc + node.forks.refusedBy.nproc);
  }

  it("runs the example's fork bomb as the Node API does, and draws its chart", async () => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${base}/examples/browser/`);
    const r = await pageRun();
    expect(r).toMatchObject({ program: "forkbomb", maxproc: 532, strategy: "cow", cpus: 1 });
    expectSameAsNode(r, { maxproc: 532, strategy: "cow", cpus: 1 });
    expect(r.samples).toBe(r.ticks + 1);
    expect(await linePixels()).toBeGreaterThan(500);
    expect(errors).toEqual([]);
  }, 120_000);

  it("runs again with the maxproc, strategy and CPUs the user picks", async () => {
    await page.fill("#maxproc", "120");
    await page.selectOption("#strategy", "copy");
    await page.fill("#cpus", "2");
    await page.click("#run");
    const r = await pageRun();
    expect(r).toMatchObject({ maxproc: 120, strategy: "copy", cpus: 2 });
    expectSameAsNode(r, { maxproc: 120, strategy: "copy", cpus: 2 });
    expect(await linePixels()).toBeGreaterThan(500);
  }, 120_000);

  it("says what is wrong with a tunable out of range", async () => {
    // Past the form's own min, as a script could set it.
    await page.evaluate(() => { (document.getElementById("cpus") as HTMLInputElement).min = "0"; });
    await page.fill("#cpus", "0");
    await page.click("#run");
    await page.waitForFunction(() => document.body.dataset.state === "error");
    expect(await page.textContent("#error")).toMatch(/ncpus/);
  }, 60_000);

  it("initCore takes the core as a URL, bytes or a compiled module; a Forklab before it is an error; the portable build loads too", async () => {
    const p = await browser.newPage();
    await p.goto(`${base}/package.json`);
    // As source text: vitest would rewrite an import() inside a function passed here.
    const out = await p.evaluate(`(async () => {
      const f = await import(${JSON.stringify(`${base}/dist/browser/forklab.js`)});
      const msg = (fn) => { try { fn(); return "no error"; } catch (e) { return e.name + ": " + e.message; } };
      const before = msg(() => new f.Forklab());
      const missing = await f.initCore(new URL("/build/nope.wasm", location.href)).then(() => "loaded", (e) => e.message);
      const junk = await f.initCore(new Uint8Array([1, 2, 3])).then(() => "loaded", (e) => e.name);
      const bytes = new Uint8Array(await (await fetch("/build/core.wasm")).arrayBuffer());
      await f.initCore(bytes);
      const fromBytes = new f.Forklab().sysctl("kern.maxproc");
      await f.initCore(await WebAssembly.compile(bytes));
      const fromModule = new f.Forklab({ maxproc: 77 }).sysctl("kern.maxproc");
      await f.initCore();
      const fromPackage = new f.Forklab().sysctl("kern.nprocs");
      const portable = (await f.Core.createPortable()).backend;
      return { before, missing, junk, fromBytes, fromModule, fromPackage, portable };
    })()`);
    await p.close();
    expect(out).toEqual({
      before: "CoreError: the Wasm core is not loaded: in a browser, await initCore() before creating a Forklab or Core",
      missing: expect.stringMatching(/nope\.wasm failed with HTTP status 404/),
      junk: "CompileError", fromBytes: 532, fromModule: 77, fromPackage: 2, portable: "portable",
    });
  }, 60_000);

  it("is what a bundler picks for \"forklab\" with the browser condition, and imports nothing from Node", async () => {
    const dir = mkdtempSync(join(tmpdir(), "forklab-bundle-"));
    try {
      mkdirSync(join(dir, "node_modules"));
      symlinkSync(root, join(dir, "node_modules", "forklab"), "dir");
      const bundle = async (platform: "browser" | "node") => {
        const r = await esbuild.build({
          stdin: { contents: 'export { Forklab, initCore } from "forklab";', resolveDir: dir, loader: "js" },
          bundle: true, write: false, metafile: true, format: "esm", platform, logLevel: "silent",
        });
        return Object.keys(r.metafile.inputs).map((f) => relative(root, join(process.cwd(), f)));
      };
      const browserInputs = await bundle("browser");
      expect(browserInputs).toContain("dist/browser/forklab.js");
      expect(browserInputs.filter((f) => f.startsWith("node:"))).toEqual([]);
      expect(await bundle("node")).toContain("dist/src/index.js");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const text = readFileSync(join(root, "dist/browser/forklab.js"), "utf8");
    expect(text).not.toMatch(/from ["']node:|require\(|process\.(env|argv|cwd)/);
  }, 60_000);
});
