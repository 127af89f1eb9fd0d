// The chart of processes over virtual time: a fixed-width text chart for the terminal
// (Unicode block elements, eighths of a row; plain ASCII where the terminal is not
// UTF-8) and the same series as an SVG file.
import { seriesMax, type Series } from "../workloads/common.js";

/** The chart's title line in the text report (the chart is the report's last section). */
export const CHART_TITLE = "processes (kern.nprocs) over virtual time";

export interface ChartOptions {
  /** Columns of data (default 60). */
  width?: number;
  /** Rows (default 8). */
  height?: number;
  /** Text chart in plain ASCII (a terminal that is not UTF-8, or --ascii). */
  ascii?: boolean;
  /** A horizontal line to mark (the bomb's ceiling), drawn in the SVG. */
  ceiling?: { value: number; label: string };
}

/** The text chart's characters: bars in eighths of a row, and the axes. */
const GLYPHS = {
  unicode: { partial: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇"], full: "█", top: "┤", side: "│", corner: "└", axis: "─" },
  ascii: { partial: [" ", " ", ".", ".", "_", "o", "o", "O"], full: "#", top: "+", side: "|", corner: "+", axis: "-" },
};

/**
 * Whether the terminal takes UTF-8, by the POSIX locale variables: the first of LC_ALL,
 * LC_CTYPE, LANG that is set names the character set (none set: the C locale, ASCII).
 */
export function isUtf8Locale(env: Record<string, string | undefined>): boolean {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || "";
  return /utf-?8/i.test(locale);
}

/** Seconds as a short label: 0 s, 0.5 s, 2.01 s, 120 s. */
function secLabel(s: number): string {
  return `${Number(s.toFixed(s < 1 ? 3 : 2))} s`;
}

/** The value of each column: the largest sample that falls in it, or the one before. */
function columns(series: Series, width: number): number[] {
  const n = series.ticks.length;
  const out = new Array<number>(width).fill(-1);
  if (n === 0) return out.fill(0);
  const t0 = series.ticks[0], span = series.ticks[n - 1] - t0;
  for (let i = 0; i < n; i++) {
    const c = span === 0 ? 0 : Math.min(width - 1, Math.floor(((series.ticks[i] - t0) / span) * width));
    if (series.nprocs[i] > out[c]) out[c] = series.nprocs[i];
  }
  if (span === 0) return out.fill(out[0]);
  let prev = out[0] < 0 ? 0 : out[0];
  for (let c = 0; c < width; c++) {
    if (out[c] < 0) out[c] = prev;
    prev = out[c];
  }
  return out;
}

/** The text chart: y labels (peak and 0), the bars, the time axis. Lines without trailing newline. */
export function textChart(series: Series, o: ChartOptions = {}): string[] {
  const width = o.width ?? 60, height = o.height ?? 8;
  const g = o.ascii ? GLYPHS.ascii : GLYPHS.unicode;
  const cols = columns(series, width);
  const ymax = seriesMax(series);
  const top = String(ymax), labelW = Math.max(top.length, 1);
  const lines: string[] = [];
  const n = series.ticks.length;
  const per = series.everyTicks === 1 ? "every tick" : `every ${series.everyTicks} ticks`;
  lines.push(`${CHART_TITLE}: ${n} sample${n === 1 ? "" : "s"}, ${per}`);
  if (n < 2 || series.ticks[n - 1] === series.ticks[0]) {
    lines.push(`(no chart: the run took less than one tick; kern.nprocs ${n ? series.nprocs[n - 1] : 0} at its end)`);
    return lines;
  }
  const eighths = cols.map((v) => (ymax === 0 ? 0 : Math.round((v / ymax) * height * 8)));
  for (let r = 0; r < height; r++) {
    const base = (height - 1 - r) * 8;
    let row = "";
    for (const h of eighths) row += h >= base + 8 ? g.full : h > base ? g.partial[h - base] : " ";
    const label = r === 0 ? top.padStart(labelW) : " ".repeat(labelW);
    lines.push(`${label} ${r === 0 ? g.top : g.side}${row}`.trimEnd());
  }
  lines.push(`${"0".padStart(labelW)} ${g.corner}${g.axis.repeat(width)}`);
  const span = n ? (series.ticks[n - 1] - series.ticks[0]) / series.hz : 0;
  const left = secLabel(0), right = secLabel(span);
  lines.push(`${" ".repeat(labelW + 2)}${left}${" ".repeat(Math.max(1, width - left.length - right.length))}${right}`);
  return lines;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A round step for about `count` ticks over [0, max]. */
function niceStep(max: number, count: number): number {
  if (max <= 0) return 1;
  const raw = max / count, mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

/** The SVG chart: title, axes with tick labels and names, one polyline point per sample. */
export function svgChart(series: Series, title: string, o: ChartOptions = {}): string {
  const W = 720, H = 360, L = 70, R = 20, T = 44, B = 56;
  const pw = W - L - R, ph = H - T - B;
  const n = series.ticks.length;
  const t0 = n ? series.ticks[0] : 0;
  const tmax = n ? (series.ticks[n - 1] - t0) / series.hz : 0;
  const ypeak = Math.max(1, seriesMax(series), o.ceiling?.value ?? 0);
  const ystep = niceStep(ypeak, 5), ymax = Math.ceil(ypeak / ystep) * ystep;
  const xstep = niceStep(tmax || 1, 6), xmax = tmax > 0 ? Math.ceil(tmax / xstep - 1e-9) * xstep : xstep;
  const X = (s: number): number => L + (s / xmax) * pw;
  const Y = (v: number): number => T + ph - (v / ymax) * ph;
  const f = (v: number): string => String(Number(v.toFixed(2)));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<title>${esc(title)}</title>`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2}" y="24" text-anchor="middle" font-size="15">${esc(title)}</text>`);
  // Grid and tick labels.
  out.push(`<g stroke="#dddddd" stroke-width="1">`);
  for (let v = ystep; v <= ymax + 1e-9; v += ystep) out.push(`<line x1="${L}" y1="${f(Y(v))}" x2="${L + pw}" y2="${f(Y(v))}"/>`);
  out.push(`</g>`);
  out.push(`<g text-anchor="end">`);
  for (let v = 0; v <= ymax + 1e-9; v += ystep) out.push(`<text x="${L - 6}" y="${f(Y(v) + 4)}">${f(v)}</text>`);
  out.push(`</g>`);
  out.push(`<g text-anchor="middle">`);
  for (let s = 0; s <= xmax + 1e-9; s += xstep) out.push(`<text x="${f(X(s))}" y="${T + ph + 18}">${f(s)}</text>`);
  out.push(`</g>`);
  // Axes and their names.
  out.push(`<g stroke="#000000" stroke-width="1">`);
  out.push(`<line x1="${L}" y1="${T + ph}" x2="${L + pw}" y2="${T + ph}"/>`);
  out.push(`<line x1="${L}" y1="${T}" x2="${L}" y2="${T + ph}"/>`);
  out.push(`</g>`);
  out.push(`<text x="${L + pw / 2}" y="${H - 12}" text-anchor="middle">virtual time (s)</text>`);
  out.push(`<text x="18" y="${T + ph / 2}" text-anchor="middle" transform="rotate(-90 18 ${T + ph / 2})">processes (kern.nprocs)</text>`);
  if (o.ceiling) {
    const y = f(Y(o.ceiling.value));
    out.push(`<line x1="${L}" y1="${y}" x2="${L + pw}" y2="${y}" stroke="#888888" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${L + pw - 4}" y="${f(Y(o.ceiling.value) - 5)}" text-anchor="end" fill="#555555">${esc(o.ceiling.label)}</text>`);
  }
  const pts = series.ticks.map((t, i) => `${f(X((t - t0) / series.hz))},${f(Y(series.nprocs[i]))}`);
  out.push(`<polyline fill="none" stroke="#c0392b" stroke-width="1.5" points="${pts.join(" ")}"/>`);
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
