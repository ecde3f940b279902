/**
 * The dashboard page: server-rendered HTML with inline SVG charts and inline CSS, no script. Every
 * number shown comes from the same snapshot /v1/metrics returns (each carries its raw value in a
 * data-value attribute, which the browser test compares with /v1/metrics).
 */
import type { Manifest } from '../../shared/manifest';
import type { MetricsSnapshot } from '../metrics/metrics';
import type { ModelStatus } from '../model-provider/model-provider';
import { esc, formatCount, formatShare, historyChart, stackedBars, type StackedBar } from './charts';
import { DASHBOARD_CSS } from './dashboard-css';
import type { ModelHistory } from './model-history';

export interface DashboardData {
  runtime: 'workerd' | 'node';
  /** null: METRICS=off. */
  snapshot: MetricsSnapshot | null;
  model: ModelStatus;
  /** The serving model's manifest; null while no model is loaded in this process or isolate. */
  manifest: Manifest | null;
  /** null: no HF_MODEL_REPO. */
  history: ModelHistory | null;
  refreshS: number;
}

const LABEL_COLORS = [
  { name: 'negative', color: '#e0556a' },
  { name: 'neutral', color: '#a3acb9' },
  { name: 'positive', color: '#2fb380' },
];
const LOW_CONF_COLOR = '#f59e0b';

const hhmm = (iso: string) => iso.slice(11, 16);
const day = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', timeZone: 'UTC' });
const when = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '–');

function ago(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} days ago`;
}

/** A number with its raw value for the test; `key` names it like the JSON path in /v1/metrics. */
const stat = (key: string, raw: number | null, shown: string) => `<span data-metric="${esc(key)}" data-value="${raw === null ? '' : raw}">${esc(shown)}</span>`;

function tile(title: string, body: string, note: string, tone = ''): string {
  return `<div class="tile ${tone}"><div class="tile-title">${esc(title)}</div><div class="tile-value">${body}</div><div class="tile-note">${note}</div></div>`;
}

function tiles(s: MetricsSnapshot, now: number): string {
  const t = s.windows.last_24h;
  const w = s.windows.last_7d;
  const check = (name: string) => s.alerts.checks.find((c) => c.name === name);
  const tone = (name: string) => (check(name)?.status === 'alert' ? 'bad' : '');
  const labelMix = LABEL_COLORS.map(({ name, color }) => {
    const v = t[name as 'negative'];
    const pct = t.predictions > 0 ? (100 * v) / t.predictions : 0;
    return `<span class="mix" style="background:${color};width:${pct.toFixed(1)}%" title="${name} ${formatCount(v)}"></span>`;
  }).join('');
  const capture = s.capture;
  return `<section class="tiles" aria-label="Last 24 hours">
  ${tile('Requests · 24 h', stat('windows.last_24h.requests', t.requests, formatCount(t.requests)), `${stat('windows.last_7d.requests', w.requests, formatCount(w.requests))} in 7 days`)}
  ${tile('Texts scored · 24 h', stat('windows.last_24h.predictions', t.predictions, formatCount(t.predictions)), `<span class="mixbar">${labelMix}</span>${LABEL_COLORS.map(({ name }) => `${name.slice(0, 3)} ${stat(`windows.last_24h.${name}`, t[name as 'negative'], formatCount(t[name as 'negative']))}`).join(' · ')}`)}
  ${tile('Low confidence · 24 h', stat('windows.last_24h.low_confidence_share', t.low_confidence_share, formatShare(t.low_confidence_share)), `${stat('windows.last_24h.low_confidence', t.low_confidence, formatCount(t.low_confidence))} texts below ${s.low_confidence_threshold}; 7 days ${stat('windows.last_7d.low_confidence_share', w.low_confidence_share, formatShare(w.low_confidence_share))}`, tone('low_confidence_share'))}
  ${tile('Feedback · 24 h', stat('windows.last_24h.feedback', t.feedback, formatCount(t.feedback)), `${stat('windows.last_7d.feedback', w.feedback, formatCount(w.feedback))} in 7 days`)}
  ${tile('Corrections disagreeing · 24 h', stat('windows.last_24h.disagreement_share', t.disagreement_share, formatShare(t.disagreement_share)), `${stat('windows.last_24h.disagreements', t.disagreements, formatCount(t.disagreements))} of ${formatCount(t.feedback)}; 7 days ${stat('windows.last_7d.disagreement_share', w.disagreement_share, formatShare(w.disagreement_share))}`, tone('correction_disagreement'))}
  ${tile('Capture buffer', capture ? stat('capture.depth', capture.depth, capture.depth === null ? '–' : formatCount(capture.depth)) : '<span class="muted">off</span>', capture ? `waiting · last flush ${esc(ago(capture.last_flush_at, now))}${capture.last_error ? ` · <span class="bad-text" title="${esc(capture.last_error)}">last error ${esc(ago(capture.last_error_at, now))}</span>` : ''}` : 'no buffer configured', capture?.last_error && capture.consecutive_failures > 0 ? 'warn' : '')}
</section>`;
}

function alertBanner(s: MetricsSnapshot): string {
  const firing = s.alerts.checks.filter((c) => c.status === 'alert');
  if (firing.length > 0) {
    return `<section class="banner alert" role="alert" data-alert-status="alert"><strong>Alert</strong><ul>${firing.map((c) => `<li data-alert="${esc(c.name)}">${esc(c.message)}</li>`).join('')}</ul></section>`;
  }
  const judged = s.alerts.checks.filter((c) => c.status === 'ok');
  const text =
    s.alerts.status === 'not_judged'
      ? `Too little traffic to judge yet over the last ${s.alerts.window_days} days (${s.alerts.checks.map((c) => `${c.samples} ${c.name === 'low_confidence_share' ? 'predictions' : 'feedback records'}`).join(', ')}).`
      : `No alert over the last ${s.alerts.window_days} days: ${judged.map((c) => `${c.name === 'low_confidence_share' ? 'low-confidence share' : 'corrections disagreeing'} ${formatShare(c.value)} (ceiling ${formatShare(c.limit)})`).join(' · ')}.`;
  return `<section class="banner ${s.alerts.status === 'ok' ? 'ok' : 'quiet'}" data-alert-status="${s.alerts.status}">${esc(text)}</section>`;
}

function trafficCharts(s: MetricsSnapshot): string {
  const threshold = s.alerts.checks.find((c) => c.name === 'low_confidence_share')?.limit;
  const hourBar = (p: MetricsSnapshot['series'][number], tick: string): StackedBar => ({
    title: `${when(p.start)}`,
    tick,
    values: [p.negative, p.neutral, p.positive],
    line: p.predictions > 0 ? p.low_confidence / p.predictions : null,
  });
  const last24 = s.series.slice(-24).map((p, i) => hourBar(p, i % 3 === 0 ? hhmm(p.start) : ''));
  const last7 = s.series.map((p) => hourBar(p, p.start.slice(11, 13) === '12' ? day(p.start) : ''));
  const line = { name: 'low confidence', color: LOW_CONF_COLOR, limit: threshold };
  const legend = `<div class="legend">${LABEL_COLORS.map((l) => `<span><i style="background:${l.color}"></i>${l.name}</span>`).join('')}<span><i class="line" style="background:${LOW_CONF_COLOR}"></i>low-confidence share (right axis)</span></div>`;
  const days = new Map<string, { feedback: number; disagreements: number; title: string }>();
  for (const p of s.series) {
    const key = p.start.slice(0, 10);
    const d = days.get(key) ?? { feedback: 0, disagreements: 0, title: day(p.start) };
    d.feedback += p.feedback;
    d.disagreements += p.disagreements;
    days.set(key, d);
  }
  const disagreeLimit = s.alerts.checks.find((c) => c.name === 'correction_disagreement')?.limit;
  const feedbackBars = [...days.values()].map((d) => ({ title: d.title, tick: d.title, values: [d.feedback - d.disagreements, d.disagreements], line: d.feedback > 0 ? d.disagreements / d.feedback : null }));
  return `<section class="card wide"><h2>Traffic · last 24 hours <small>texts scored per hour, by label</small></h2>${legend}${stackedBars({ bars: last24, series: LABEL_COLORS, line, label: 'Texts scored per hour over the last 24 hours, by label, with the low-confidence share' })}</section>
<section class="card wide"><h2>Traffic · last 7 days <small>texts scored per hour</small></h2>${stackedBars({ bars: last7, series: LABEL_COLORS, line, label: 'Texts scored per hour over the last 7 days, by label, with the low-confidence share', height: 200 })}</section>
<section class="card half"><h2>Feedback · last 7 days <small>records per day; share disagreeing with the model</small></h2><div class="legend"><span><i style="background:#7c93c9"></i>agrees with the model</span><span><i style="background:#c2410c"></i>correction (disagrees)</span><span><i class="line" style="background:#7c3aed"></i>disagreement share</span></div>${stackedBars({ bars: feedbackBars, series: [{ name: 'agreeing', color: '#7c93c9' }, { name: 'disagreeing', color: '#c2410c' }], line: { name: 'disagreement', color: '#7c3aed', limit: disagreeLimit }, width: 450, height: 220, label: 'Feedback per day over the last 7 days and the share that disagrees with the model' })}</section>`;
}

function byVersion(s: MetricsSnapshot): string {
  const rows = s.by_model_version.map((v) => `<tr><td><b>${esc(v.model_version)}</b></td><td class="num">${formatCount(v.predictions)}</td><td class="num">${formatShare(v.low_confidence_share)}</td><td class="num">${formatCount(v.feedback)}</td><td class="num">${formatShare(v.disagreement_share)}</td></tr>`);
  return `<section class="card half"><h2>Per model version · last 7 days</h2>${rows.length ? `<table><thead><tr><th>version</th><th class="num">texts</th><th class="num">low conf.</th><th class="num">feedback</th><th class="num">disagree</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : '<p class="muted">No traffic yet.</p>'}</section>`;
}

interface SliceRow {
  name: string;
  n: number | null;
  accuracy: number | null;
  macro_recall: number | null;
  macro_f1: number | null;
  recall: Record<string, number>;
}

/** The overall holdout row, then per-slice rows when the manifest has them (`metrics.slices`, object or array). */
export function holdoutSlices(metrics: unknown): SliceRow[] {
  if (!metrics || typeof metrics !== 'object') return [];
  const row = (name: string, m: Record<string, unknown>): SliceRow => {
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    const perClass = (m.per_class ?? {}) as Record<string, { recall?: unknown }>;
    const recall = Object.fromEntries(Object.entries(perClass).flatMap(([label, c]) => (num(c?.recall) === null ? [] : [[label, num(c.recall) as number]])));
    return { name, n: num(m.n), accuracy: num(m.accuracy), macro_recall: num(m.macro_recall), macro_f1: num(m.macro_f1), recall };
  };
  const m = metrics as Record<string, unknown>;
  const rows = [row('all', m)];
  const slices = m.slices;
  const entries = Array.isArray(slices)
    ? slices.map((s, i) => [String((s as { name?: unknown; slice?: unknown })?.name ?? (s as { slice?: unknown })?.slice ?? `slice ${i + 1}`), s] as const)
    : slices && typeof slices === 'object'
      ? Object.entries(slices)
      : [];
  for (const [name, value] of entries) if (value && typeof value === 'object') rows.push(row(name, (('metrics' in value ? value.metrics : value) ?? {}) as Record<string, unknown>));
  return rows;
}

function modelPanel(d: DashboardData, now: number): string {
  const { model, manifest } = d;
  const source = model.hub?.sha ? `${model.hub.repo} @ ${model.hub.sha.slice(0, 7)}` : model.source;
  const facts = [
    ['version', `<b class="version" data-model-version="${esc(model.version ?? '')}">${esc(model.version ?? 'not loaded')}</b>`],
    ['state', esc(model.state) + (model.error ? ` · <span class="bad-text">${esc(model.error)}</span>` : '')],
    ['published', manifest ? `${esc(when(manifest.created_at))}` : '–'],
    ['serving here since', model.loadedAt ? `${esc(when(model.loadedAt))} (${esc(ago(model.loadedAt, now))})` : '–'],
    ['source', esc(source)],
    ['trained on', manifest ? `${esc(formatCount(manifest.training_data.rows))} rows · ${esc(manifest.training_data.source)}${manifest.training_data.revision ? ` @ ${esc(manifest.training_data.revision.slice(0, 7))}` : ''}` : '–'],
    ['parent', esc(manifest?.parent_version ?? '–')],
  ];
  if (model.hub?.rejected) facts.push(['last rejected', `<span class="bad-text">${esc(model.hub.rejected.version ?? model.hub.rejected.sha.slice(0, 7))}: ${esc(model.hub.rejected.reason)}</span>`]);
  const slices = holdoutSlices(manifest?.metrics);
  const labels = ['negative', 'neutral', 'positive'];
  const f3 = (v: number | null) => (v === null ? '–' : v.toFixed(3));
  const table = slices.length
    ? `<table><thead><tr><th>holdout slice</th><th class="num">n</th><th class="num">accuracy</th><th class="num">macro-recall</th><th class="num">macro-F1</th>${labels.map((l) => `<th class="num">${l.slice(0, 3)} recall</th>`).join('')}</tr></thead><tbody>${slices
        .map((r) => `<tr><td>${esc(r.name)}</td><td class="num">${r.n === null ? '–' : formatCount(r.n)}</td><td class="num">${f3(r.accuracy)}</td><td class="num"><b>${f3(r.macro_recall)}</b></td><td class="num">${f3(r.macro_f1)}</td>${labels.map((l) => `<td class="num">${f3(r.recall[l] ?? null)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`
    : '<p class="muted">This model was published without holdout metrics.</p>';
  const dataset = (manifest?.metrics as { dataset?: unknown } | null | undefined)?.dataset;
  const caption = typeof dataset === 'string' ? `<p class="caption">holdout: ${esc(dataset)}</p>` : '';
  return `<section class="card wide"><h2>Serving model</h2><div class="model"><dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl><div class="holdout">${table}${caption}</div></div></section>`;
}

function historyPanel(d: DashboardData): string {
  if (!d.history) return `<section class="card wide"><h2>Model history</h2><p class="muted">No model repo is configured (HF_MODEL_REPO): the shipped model serves, and there is no history to show.</p></section>`;
  const { entries, error, repo, fetched_at } = d.history;
  const recent = entries.slice(-20);
  const points = recent.map((e, i) => ({
    title: `${e.promoted ? `promoted as ${e.version}` : 'not promoted'} · ${when(e.recorded_at)} · macro-recall ${e.macro_recall?.toFixed(4) ?? '–'}${e.production_macro_recall !== null ? ` vs production ${e.production_macro_recall.toFixed(4)}` : ''}${e.reason ? ` · ${e.reason}` : ''}`,
    tick: `${e.recorded_at.slice(5, 10)} ${hhmm(e.recorded_at)}`,
    value: e.macro_recall,
    baseline: e.production_macro_recall,
    promoted: e.promoted,
    label: e.promoted ? (e.version ?? '') : `#${entries.length - recent.length + i + 1}`,
  }));
  const rows = [...recent].reverse().map((e) => {
    const delta = e.macro_recall !== null && e.production_macro_recall !== null ? e.macro_recall - e.production_macro_recall : null;
    return `<tr data-history-version="${esc(e.version ?? '')}"><td class="nowrap">${esc(when(e.recorded_at))}</td><td>${e.promoted ? `<span class="pill ok">promoted ${esc(e.version ?? '')}</span>` : '<span class="pill no">not promoted</span>'}</td><td class="num">${e.macro_recall === null ? '–' : e.macro_recall.toFixed(4)}</td><td class="num">${delta === null ? '–' : `<span class="${delta >= 0 ? 'up' : 'down'}">${delta >= 0 ? '+' : ''}${delta.toFixed(4)}</span>`}</td><td>${esc(e.parent_version ?? '–')}</td><td>${e.rows === null ? '–' : esc(formatCount(e.rows))}</td><td class="reason">${esc(e.reason ?? '')}</td></tr>`;
  });
  const legend = `<div class="legend"><span><i class="dot promoted-dot"></i>promoted</span><span><i class="dot rejected-dot"></i>not promoted</span><span><i class="line dashed"></i>production it was compared with</span></div>`;
  return `<section class="card wide"><h2>Model history <small>${esc(repo)} · metrics/history.jsonl · holdout macro-recall per trained candidate${fetched_at ? ` · read ${esc(when(fetched_at))}` : ''}</small></h2>${error ? `<p class="bad-text">${esc(error)}</p>` : ''}${
    entries.length === 0
      ? '<p class="muted">No candidate recorded yet.</p>'
      : `${legend}${historyChart(points)}<table class="history"><thead><tr><th>recorded</th><th>decision</th><th class="num">macro-recall</th><th class="num">vs production</th><th>compared with</th><th>rows</th><th>reason</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  }</section>`;
}

export function renderDashboard(d: DashboardData, now = Date.now()): string {
  const s = d.snapshot;
  const status = s?.alerts.status ?? 'off';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${d.refreshS}">
<title>${status === 'alert' ? '⚠ ' : ''}edge-sentiment · monitoring</title>
<style>${DASHBOARD_CSS}</style></head>
<body><header><div class="brand">edge-sentiment <span>monitoring</span></div><div class="meta">model <b>${esc(d.model.version ?? '–')}</b> · ${esc(d.runtime)} · counters in ${esc(s?.store ?? 'off')} · updated ${esc(when(s?.generated_at ?? new Date(now).toISOString()))} · refreshes every ${d.refreshS} s · <a href="/v1/metrics">JSON</a> · <a href="/v1/metrics?format=prometheus">Prometheus</a></div></header>
<main>
${s ? `${alertBanner(s)}${tiles(s, now)}` : '<section class="banner quiet">Counting is off on this server (METRICS=off): no traffic numbers.</section>'}
<div class="grid">
${s ? trafficCharts(s) : ''}
${s ? byVersion(s) : ''}
${modelPanel(d, now)}
${historyPanel(d)}
</div>
</main>
<footer>Counts are summed over every process or isolate by minute and hour; each adds its own every METRICS_FLUSH_S seconds. Alert rules and thresholds are those of <code>trainer monitor</code> (trainer/configs/retrain.json).</footer>
</body></html>`;
}

