/** Inline SVG charts for the dashboard: plain strings, no script, readable without colour alone (each mark has a <title>). */

export const esc = (value: unknown) =>
  String(value).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);

const round = (x: number) => Math.round(x * 10) / 10;

/** A "nice" axis maximum ≥ value: 1, 2, 5 × 10^k. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((m) => m * p >= value) as number) * p;
}

export interface StackedBar {
  /** Tooltip heading, e.g. the hour. */
  title: string;
  /** Axis label under the bar, or '' for none. */
  tick: string;
  values: number[];
  /** 0–1 or null: drawn as a line on the right-hand axis. */
  line?: number | null;
}

export interface StackedBarsOptions {
  bars: StackedBar[];
  series: Array<{ name: string; color: string }>;
  line?: { name: string; color: string; limit?: number };
  width?: number;
  height?: number;
  label: string;
}

/** Stacked bars (counts, left axis) with an optional share line (0–100%, right axis) and its ceiling. */
export function stackedBars({ bars, series, line, width = 920, height = 230, label }: StackedBarsOptions): string {
  const m = { top: 12, right: line ? 46 : 12, bottom: 28, left: 46 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const max = niceMax(Math.max(0, ...bars.map((b) => b.values.reduce((a, v) => a + v, 0))));
  const step = w / Math.max(1, bars.length);
  const gap = step > 6 ? Math.min(4, step * 0.2) : 0.5;
  const y = (v: number) => m.top + h - (v / max) * h;
  const out: string[] = [`<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(label)}" class="chart">`];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    out.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${round(y(v))}" y2="${round(y(v))}" class="grid"/>`, `<text x="${m.left - 6}" y="${round(y(v)) + 4}" class="axis" text-anchor="end">${esc(formatCount(v))}</text>`);
    if (line) out.push(`<text x="${width - m.right + 6}" y="${round(m.top + h - (i / 4) * h) + 4}" class="axis">${i * 25}%</text>`);
  }
  bars.forEach((bar, i) => {
    const x = m.left + i * step + gap / 2;
    let base = 0;
    const total = bar.values.reduce((a, v) => a + v, 0);
    const parts = series.map((s, k) => `${s.name} ${formatCount(bar.values[k])}`).join(', ');
    const lineText = line && bar.line !== undefined && bar.line !== null ? `, ${line.name} ${formatShare(bar.line)}` : '';
    out.push(`<g><title>${esc(`${bar.title}: ${formatCount(total)} (${parts}${lineText})`)}</title>`);
    out.push(`<rect x="${round(x)}" y="${m.top}" width="${round(step - gap)}" height="${h}" class="hover"/>`);
    bar.values.forEach((v, k) => {
      if (v <= 0) return;
      const top = y(base + v);
      out.push(`<rect x="${round(x)}" y="${round(top)}" width="${round(Math.max(0.5, step - gap))}" height="${round(Math.max(0.5, y(base) - top))}" fill="${series[k].color}"/>`);
      base += v;
    });
    out.push('</g>');
    if (bar.tick) out.push(`<text x="${round(x + (step - gap) / 2)}" y="${height - 8}" class="axis" text-anchor="middle">${esc(bar.tick)}</text>`);
  });
  if (line) {
    const ly = (v: number) => m.top + h - v * h;
    if (line.limit !== undefined) out.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${round(ly(line.limit))}" y2="${round(ly(line.limit))}" class="limit"/><text x="${m.left + 4}" y="${round(ly(line.limit)) - 4}" class="axis limit-text">ceiling ${formatShare(line.limit)}</text>`);
    let d = '';
    bars.forEach((bar, i) => {
      if (bar.line === undefined || bar.line === null) return;
      const cx = round(m.left + i * step + step / 2);
      d += `${d === '' || bars[i - 1]?.line == null ? 'M' : 'L'}${cx},${round(ly(bar.line))}`;
      if (bars.length <= 48) out.push(`<circle cx="${cx}" cy="${round(ly(bar.line))}" r="2.5" fill="${line.color}"/>`);
    });
    if (d) out.push(`<path d="${d}" fill="none" stroke="${line.color}" stroke-width="2" stroke-linejoin="round"/>`);
  }
  out.push('</svg>');
  return out.join('');
}

export interface HistoryPoint {
  title: string;
  tick: string;
  value: number | null;
  /** Production's macro-recall it was compared with, if known. */
  baseline: number | null;
  promoted: boolean;
  label: string;
}

/** Macro-recall per trained candidate: promoted ones filled and named, rejected ones hollow, production's as a dashed step. */
export function historyChart(points: HistoryPoint[], { width = 920, height = 220 } = {}): string {
  const m = { top: 22, right: 16, bottom: 30, left: 46 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const values = points.flatMap((p) => [p.value, p.baseline]).filter((v): v is number => v !== null);
  if (values.length === 0) return '<p class="muted">No candidate has metrics yet.</p>';
  let lo = Math.floor((Math.min(...values) - 0.02) * 50) / 50;
  let hi = Math.ceil((Math.max(...values) + 0.02) * 50) / 50;
  lo = Math.max(0, lo);
  hi = Math.min(1, Math.max(hi, lo + 0.04));
  const step = w / Math.max(1, points.length);
  const x = (i: number) => m.left + i * step + step / 2;
  const y = (v: number) => m.top + h - ((v - lo) / (hi - lo)) * h;
  const out: string[] = [`<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="Holdout macro-recall per trained candidate" class="chart">`];
  for (let i = 0; i <= 4; i++) {
    const v = lo + ((hi - lo) * i) / 4;
    out.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${round(y(v))}" y2="${round(y(v))}" class="grid"/><text x="${m.left - 6}" y="${round(y(v)) + 4}" class="axis" text-anchor="end">${v.toFixed(2)}</text>`);
  }
  let base = '';
  points.forEach((p, i) => {
    if (p.baseline === null) return;
    base += `${base ? 'L' : 'M'}${round(x(i) - step / 2)},${round(y(p.baseline))}H${round(x(i) + step / 2)}`;
  });
  if (base) out.push(`<path d="${base}" fill="none" class="baseline"/>`);
  let line = '';
  points.forEach((p, i) => {
    if (p.value !== null) line += `${line ? 'L' : 'M'}${round(x(i))},${round(y(p.value))}`;
  });
  out.push(`<path d="${line}" fill="none" stroke="#94a3b8" stroke-width="1.5"/>`);
  points.forEach((p, i) => {
    out.push(`<text x="${round(x(i))}" y="${height - 10}" class="axis" text-anchor="middle">${esc(p.tick)}</text>`);
    if (p.value === null) return;
    out.push(`<g><title>${esc(p.title)}</title>`);
    out.push(p.promoted ? `<circle cx="${round(x(i))}" cy="${round(y(p.value))}" r="6" class="promoted"/>` : `<circle cx="${round(x(i))}" cy="${round(y(p.value))}" r="5" class="rejected"/>`);
    out.push(`</g><text x="${round(x(i))}" y="${round(y(p.value)) - 10}" class="point-label" text-anchor="middle">${esc(p.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}

export const formatCount = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(v >= 100_000 ? 0 : 1)}k` : Math.round(v).toLocaleString('en-US'));
export const formatShare = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(1)}%`);
