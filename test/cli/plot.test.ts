// --plot writes the chart of processes over virtual time as SVG; the text report draws
// the same series in the terminal.
import { describe, it, expect } from "vitest";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, cliJson } from "./helpers.js";
import { textChart } from "../../src/cli/chart.js";
import type { BombReport } from "../../src/workloads/bomb.js";
import type { SpawnReport } from "../../src/workloads/spawn.js";

/** A rough XML reading: the root element, and the attributes of the elements named. */
function parseSvg(svg: string): { root: string; elements: { name: string; attrs: Record<string, string> }[] } {
  const body = svg.replace(/<\?xml[^>]*\?>/, "").trim();
  const root = /^<([a-zA-Z]+)[\s>]/.exec(body)?.[1] ?? "";
  expect(body.endsWith(`</${root}>`)).toBe(true);
  // Every element is closed: as many opening tags (not self-closing) as closing ones.
  const opens = body.match(/<[a-zA-Z][^>]*[^/]>/g)?.length ?? 0;
  const closes = body.match(/<\/[a-zA-Z]+>/g)?.length ?? 0;
  expect(opens).toBe(closes);
  const elements: { name: string; attrs: Record<string, string> }[] = [];
  for (const m of body.matchAll(/<([a-zA-Z]+)((?:\s+[\w:-]+="[^"]*")*)\s*\/?>/g)) {
    const attrs: Record<string, string> = {};
    for (const a of m[2].matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
    elements.push({ name: m[1], attrs });
  }
  return { root, elements };
}

describe("--plot", () => {
  const dir = mkdtempSync(join(tmpdir(), "forklab-plot-"));

  it("writes an SVG with a title, axes and one polyline point per sample (bomb)", async () => {
    const file = join(dir, "bomb.svg");
    const r = await cliJson<BombReport>(["bomb", "--maxproc", "64", "--for", "50t", "--plot", file]);
    const svg = readFileSync(file, "utf8");
    const { root, elements } = parseSvg(svg);
    expect(root).toBe("svg");
    expect(elements[0].attrs.xmlns).toBe("http://www.w3.org/2000/svg");
    expect(svg).toContain("<title>forklab bomb: forkbomb, uid 1000, 64 MiB, maxproc 64</title>");
    expect(svg).toContain(">virtual time (s)</text>");
    expect(svg).toContain(">processes (kern.nprocs)</text>");
    const lines = elements.filter((e) => e.name === "polyline");
    expect(lines).toHaveLength(1);
    const pts = lines[0].attrs.points.trim().split(/\s+/).map((p) => p.split(",").map(Number));
    expect(pts).toHaveLength(r.series.ticks.length);
    expect(pts.length).toBe(51);
    expect(pts.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y))).toBe(true);
    // Time goes right; more processes go up (smaller y).
    expect(pts.every(([x], i) => i === 0 || x > pts[i - 1][0])).toBe(true);
    expect(pts[pts.length - 1][1]).toBeLessThan(pts[0][1]);
    // The ceiling is marked.
    expect(svg).toContain("ceiling 54 (maxproc - 10)");
  });

  it("works for spawn too, and relative paths are taken from the working directory", async () => {
    const r = await cliJson<SpawnReport>(["spawn", "--for", "5t", "--plot", "spawn.svg"], { cwd: dir });
    expect(existsSync(join(dir, "spawn.svg"))).toBe(true);
    const { root, elements } = parseSvg(readFileSync(join(dir, "spawn.svg"), "utf8"));
    expect(root).toBe("svg");
    const pts = elements.find((e) => e.name === "polyline")!.attrs.points.trim().split(/\s+/);
    expect(pts).toHaveLength(r.series.ticks.length);
  });

  it("an unwritable path is a runtime failure (exit 1) naming the file", async () => {
    const r = await cli(["bomb", "--maxproc", "20", "--plot", join(dir, "no/such/dir/x.svg")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^forklab: cannot write the plot to .*x\.svg: /);
  });
});

describe("the terminal chart", () => {
  it("is fixed width, with the peak on the y axis and the time span on the x axis", () => {
    const series = { everyTicks: 1, hz: 100, ticks: [0, 1, 2, 3, 4, 5, 6, 7], nprocs: [3, 10, 20, 40, 40, 40, 20, 5] };
    const lines = textChart(series, { width: 40, height: 4 });
    expect(lines[0]).toBe("processes (kern.nprocs) over virtual time: 8 samples, every tick");
    expect(lines[1].startsWith("40 ┤")).toBe(true);
    expect(lines[5]).toBe(" 0 └" + "─".repeat(40));
    expect(lines[6].trim()).toMatch(/^0 s +0\.07 s$/);
    for (const l of lines.slice(1, 5)) expect([...l].length).toBeLessThanOrEqual(4 + 40);
    // The peak columns are full to the top.
    expect(lines[1]).toContain("█");
  });

  it("says so instead of drawing when the run took less than a tick", () => {
    const lines = textChart({ everyTicks: 1, hz: 100, ticks: [0], nprocs: [3] });
    expect(lines[1]).toMatch(/no chart: the run took less than one tick/);
  });
});
