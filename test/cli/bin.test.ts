// The installed command: bin/forklab.js runs the compiled CLI (dist/, from `npm run build`)
// in a child process. Skipped, saying why, when dist/ is missing or older than src/cli.
import { describe, it, expect } from "vitest";
import { execFileSync, spawnSync, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, statSync, readdirSync } from "node:fs";
import { join } from "node:path";

const BIN = "bin/forklab.js";
const DIST_MAIN = "dist/src/cli/main.js";

function newest(dirs: string[]): number {
  let t = 0;
  for (const d of dirs) for (const f of readdirSync(d)) t = Math.max(t, statSync(join(d, f)).mtimeMs);
  return t;
}

const why = !existsSync(DIST_MAIN)
  ? `${DIST_MAIN} is missing: run \`npm run build\` to test bin/forklab.js`
  : statSync(DIST_MAIN).mtimeMs < newest(["src/cli", "src/workloads"])
    ? `${DIST_MAIN} is older than src/cli or src/workloads: run \`npm run build\` to test bin/forklab.js`
    : "";

describe("bin/forklab.js", () => {
  if (why) {
    it.skip(`skipped: ${why}`, () => {});
    console.warn(`test/cli/bin.test.ts: ${why}`);
    return;
  }

  it("is an executable node script", () => {
    expect(statSync(BIN).mode & 0o111).not.toBe(0);
  });

  it("runs a bomb and prints its JSON report", () => {
    const out = execFileSync(process.execPath, [BIN, "bomb", "--maxproc", "64", "--json"], { encoding: "utf8" });
    const r = JSON.parse(out) as { peak: { nprocs: number }; saturation: { reached: boolean } };
    expect(r.saturation.reached).toBe(true);
    expect(r.peak.nprocs).toBe(54);
  });

  it("forklab run (in its worker thread): the host's stdin is the program's console input, its output and exit status come back", () => {
    const r = spawnSync(process.execPath, [BIN, "run", "--quiet", "test/fixtures/console/cat"], { encoding: "utf8", input: "piped\nin\n" });
    expect(r.stdout).toBe("piped\nin\n");
    expect(r.stderr).toBe("eof\n");
    expect(r.status).toBe(7);
  });

  it("prints the text report, with no progress bar when stderr is not a TTY", () => {
    const r = spawnSync(process.execPath, [BIN, "spawn", "--loops", "20"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/loops +20 \(children reaped\)/);
  });

  it("exits 2 on a usage error and 1 on a bad file, and --version works", () => {
    const u = spawnSync(process.execPath, [BIN, "bomb", "--mem", "lots"], { encoding: "utf8" });
    expect(u.status).toBe(2);
    expect(u.stderr).toMatch(/--mem <size>/);
    const f = spawnSync(process.execPath, [BIN, "run", "package.json"], { encoding: "utf8" });
    expect(f.status).toBe(1);
    expect(f.stderr).toMatch(/not an ELF file/);
    const v = spawnSync(process.execPath, [BIN, "--version"], { encoding: "utf8" });
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    it(`${signal} during a run: the partial report, exit ${code}`, async () => {
      const c = spawn(process.execPath, [BIN, "spawn", "--for", "60s", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "", err = "";
      c.stdout.on("data", (d: Buffer) => { out += d.toString(); });
      c.stderr.on("data", (d: Buffer) => { err += d.toString(); });
      // The signal comes while the run is going (60 virtual seconds of spawn take many host seconds).
      setTimeout(() => c.kill(signal), 1500);
      const [status] = await once(c, "exit") as [number | null, string | null];
      expect(err).toBe("");
      expect(status).toBe(code);
      const r = JSON.parse(out) as { run: { end: string; ticks: number }; loops: number };
      expect(r.run.end).toBe("interrupted");
      expect(r.run.ticks).toBeLessThan(6000);
      expect(r.loops).toBeGreaterThan(0);
    }, 30_000);
  }

  it("SIGINT during forklab run: the partial report (run.end interrupted), exit 130", async () => {
    // spawn with no count loops for ever; --for gives it far more virtual time than 1.5 s of host time runs.
    const c = spawn(process.execPath, [BIN, "run", "--json", "--for", "60s", "spawn"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    c.stdout.on("data", (d: Buffer) => { out += d.toString(); });
    c.stderr.on("data", (d: Buffer) => { err += d.toString(); });
    setTimeout(() => c.kill("SIGINT"), 1500);
    const [status] = await once(c, "exit") as [number | null, string | null];
    expect(err).toBe("");
    expect(status).toBe(130);
    const r = JSON.parse(out) as { run: { end: string; ticks: number }; exit: unknown };
    expect(r.run.end).toBe("interrupted");
    expect(r.run.ticks).toBeLessThan(6000);
    expect(r.exit).toBe(null);
  }, 30_000);

  it("stops quietly when its reader goes away (| head)", () => {
    const r = spawnSync("sh", ["-c", `"${process.execPath}" ${BIN} run --trace --for 2s forkbomb | head -2`], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n").filter(Boolean)).toHaveLength(2);
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
  });
});
