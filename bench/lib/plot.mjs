// A log-log line plot as an SVG file, for bench figures against size: one line per series,
// a point per measured size, decades on both axes, the legend at the right.

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b"];

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * series: [{ name, points: [[x, y], ...], dashed? }]; x and y positive. xLabel(x) and
 * yLabel(y) format tick labels. Returns the SVG text.
 */
export function logLogSvg({ title, xTitle, yTitle, series, xLabel = String, yLabel = String, xTicks }) {
  const W = 760, H = 440, L = 80, R = 190, T = 40, B = 60;
  const pw = W - L - R, ph = H - T - B;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter((y) => y > 0);
  const x0 = Math.log10(Math.min(...xs)), x1 = Math.log10(Math.max(...xs));
  const y0 = Math.floor(Math.log10(Math.min(...ys))), y1 = Math.ceil(Math.log10(Math.max(...ys)));
  const px = (x) => L + (x1 === x0 ? pw / 2 : ((Math.log10(x) - x0) / (x1 - x0)) * pw);
  const py = (y) => T + ph - ((Math.log10(y) - y0) / Math.max(1, y1 - y0)) * ph;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${L + pw / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>`);
  for (let e = y0; e <= y1; e++) {
    const y = py(10 ** e);
    out.push(`<line x1="${L}" y1="${y}" x2="${L + pw}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${L - 6}" y="${y + 4}" text-anchor="end">${esc(yLabel(10 ** e))}</text>`);
  }
  for (const x of xTicks ?? [...new Set(xs)].sort((a, b) => a - b)) {
    const X = px(x);
    out.push(`<line x1="${X}" y1="${T}" x2="${X}" y2="${T + ph}" stroke="#eee"/>`);
    out.push(`<text x="${X}" y="${T + ph + 18}" text-anchor="middle">${esc(xLabel(x))}</text>`);
  }
  out.push(`<rect x="${L}" y="${T}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${L + pw / 2}" y="${H - 14}" text-anchor="middle">${esc(xTitle)}</text>`);
  out.push(`<text transform="translate(18 ${T + ph / 2}) rotate(-90)" text-anchor="middle">${esc(yTitle)}</text>`);
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const pts = s.points.filter((p) => p[1] > 0);
    const d = pts.map((p, j) => `${j ? "L" : "M"}${px(p[0]).toFixed(1)} ${py(p[1]).toFixed(1)}`).join(" ");
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`);
    for (const p of pts) out.push(`<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="3" fill="${color}"/>`);
    const ly = T + 10 + i * 20;
    out.push(`<line x1="${L + pw + 14}" y1="${ly}" x2="${L + pw + 40}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`);
    out.push(`<text x="${L + pw + 46}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
