/**
 * The model repo's metrics/history.jsonl (one line per trained candidate, promoted or not), read
 * for the dashboard through the same Hub client the registry uses (HubFiles) and kept in memory
 * for `ttlMs`. Only the dashboard asks for it, never a prediction; a failed read keeps the last
 * good copy and says why.
 *
 * Lines are read for display, leniently: the trainer writes them (trainer/hub/history.ts) and may
 * add fields; what a line lacks shows as unknown, and a line that is not JSON is skipped.
 */
import { MODEL_REPO_FILES } from '../../shared/hub-repos';
import { HubFiles } from '../model-provider/hub-files';
import { PUBLIC_HUB_URL } from '../../shared/hub-endpoint';
import { type HubModelSettings } from '../../shared/settings';

const HISTORY_PATH = MODEL_REPO_FILES.history;

/** What the dashboard shows of one line. */
export interface HistoryEntry {
  version: string | null;
  promoted: boolean;
  recorded_at: string;
  parent_version: string | null;
  rows: number | null;
  macro_recall: number | null;
  /** The production model's macro-recall on the same holdout, when the line has it. */
  production_macro_recall: number | null;
  reason: string | null;
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

export function readHistoryLines(text: string): HistoryEntry[] {
  return text.split('\n').flatMap((line) => {
    if (line.trim() === '') return [];
    let raw: Record<string, unknown>;
    try {
      raw = obj(JSON.parse(line));
    } catch {
      return [];
    }
    return [
      {
        version: str(raw.version),
        promoted: raw.promoted === true,
        recorded_at: str(raw.recorded_at) ?? str(raw.created_at) ?? '',
        parent_version: str(raw.parent_version),
        rows: num(obj(raw.training_data).rows),
        macro_recall: num(obj(raw.metrics).macro_recall),
        production_macro_recall: num(obj(raw.production_metrics).macro_recall),
        reason: str(raw.reason),
      },
    ];
  });
}

export interface ModelHistory {
  repo: string;
  entries: HistoryEntry[];
  fetched_at: string | null;
  error: string | null;
}

export interface ModelHistorySource {
  get(): Promise<ModelHistory>;
}

export function createModelHistorySource({ files, ttlMs = 300_000, retryMs = 30_000, now = Date.now }: { files: Pick<HubFiles, 'text' | 'repo'>; ttlMs?: number; retryMs?: number; now?: () => number }): ModelHistorySource {
  let last: { history: ModelHistory; at: number; ok: boolean } | null = null;
  let inFlight: Promise<ModelHistory> | null = null;
  return {
    get() {
      const t = now();
      if (last && t - last.at < (last.ok ? ttlMs : retryMs)) return Promise.resolve(last.history);
      inFlight ??= files
        .text(HISTORY_PATH, 'main')
        .then(
          (text) => {
            const history = { repo: files.repo, entries: text ? readHistoryLines(text) : [], fetched_at: new Date(t).toISOString(), error: null };
            last = { history, at: t, ok: true };
            return history;
          },
          (error: unknown) => {
            const reason = error instanceof Error ? error.message : String(error);
            const history = { repo: files.repo, entries: last?.history.entries ?? [], fetched_at: last?.history.fetched_at ?? null, error: `could not read ${HISTORY_PATH}: ${reason}` };
            last = { history, at: t, ok: false };
            return history;
          },
        )
        .finally(() => (inFlight = null));
      return inFlight;
    },
  };
}

/** The history of the model repo the server follows (HF_MODEL_REPO); null without one. A dashboard waits at most 5 s for the Hub. */
export function modelHistoryFor(settings: Partial<HubModelSettings>, fetch?: typeof globalThis.fetch): ModelHistorySource | null {
  if (!settings.repo) return null;
  const timeoutMs = Math.min(settings.requestTimeoutMs ?? 5_000, 5_000);
  return createModelHistorySource({ files: new HubFiles({ repo: settings.repo, hubUrl: settings.hubUrl ?? PUBLIC_HUB_URL, accessToken: settings.accessToken, fetch, timeoutMs }) });
}
