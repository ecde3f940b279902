/**
 * Every answer the run paid for, by text hash, labeller and prompt version, so a text is never
 * paid for twice. It lives in two places:
 *  - the dataset repo's `self_label_answers/` logs (one per run, committed with the run's labels):
 *    durable and shared, so the weekly job on a fresh CI runner knows what earlier runs paid for,
 *    including answers the heuristics rejected (those never reach `self_labeled/`). The logs hold
 *    hashes and labels, no text;
 *  - a local file, appended as each answer arrives: a run that dies before its commit (or whose
 *    commit fails) loses nothing it paid for on this machine.
 * A malformed answer is not cached: its texts are asked again by the next run (a batch of 20 costs
 * little, and a text never retried is never labelled). Logs written before this rule may hold
 * `null` answers: they are read as "never asked".
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { LABELS } from '../../shared/labels';
import { textKey } from '../data/clean';
import type { TextAnswer } from './prompts';

export const ANSWER_LOG_FOLDER = 'self_label_answers';

export const cachedAnswerSchema = z.object({
  text_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  labeler: z.string().min(1),
  prompt: z.string().min(1),
  /** null only in older logs (a malformed answer), read as never asked. */
  answer: z.object({ label: z.enum(LABELS), confidence: z.number().min(0).max(1).nullable() }).nullable(),
  at: z.iso.datetime(),
});
export type CachedAnswer = z.infer<typeof cachedAnswerSchema>;

export const textHash = (text: string) => createHash('sha256').update(textKey(text)).digest('hex');

const keyOf = (hash: string, labeler: string, prompt: string) => `${hash} ${labeler} ${prompt}`;

export class AnswerCache {
  private readonly entries = new Map<string, CachedAnswer>();
  /** Answers paid for in this run, for the run's log in the dataset repo. */
  readonly added: CachedAnswer[] = [];
  /** Lines of the local file or the logs that did not parse (skipped). */
  invalidLines = 0;

  constructor(private readonly file: string) {}

  has(hash: string, labeler: string, prompt: string): boolean {
    return this.entries.has(keyOf(hash, labeler, prompt));
  }

  /** The cached answer, or undefined (never asked, or asked and answered malformed). */
  get(hash: string, labeler: string, prompt: string): TextAnswer | undefined {
    return this.entries.get(keyOf(hash, labeler, prompt))?.answer ?? undefined;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Reads JSONL entries (the local file, a log from the repo). */
  load(content: string): void {
    for (const line of content.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const entry = cachedAnswerSchema.parse(JSON.parse(line));
        if (entry.answer === null) continue;
        this.entries.set(keyOf(entry.text_sha256, entry.labeler, entry.prompt), entry);
      } catch {
        this.invalidLines++;
      }
    }
  }

  async loadFile(): Promise<void> {
    if (existsSync(this.file)) this.load(await readFile(this.file, 'utf8'));
  }

  async loadLogs(dir: string, paths: readonly string[]): Promise<void> {
    for (const path of paths) this.load(await readFile(join(dir, path), 'utf8'));
  }

  /** Records well-formed answers as soon as they are paid for (the local file first, then memory). */
  async add(entries: readonly CachedAnswer[]): Promise<void> {
    entries = entries.filter((e) => e.answer !== null);
    if (entries.length === 0) return;
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
    for (const entry of entries) {
      this.entries.set(keyOf(entry.text_sha256, entry.labeler, entry.prompt), entry);
      this.added.push(entry);
    }
  }
}
