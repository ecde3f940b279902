/** The request texts of the serving benchmark: real tweets from the TweetEval validation split. */
import { readLabelledCsv } from '../../../trainer/data/csv';

export const VALIDATION_CSV = 'datasets/tweeteval/val.csv';
export const SINGLE_WORDS = 25;
export const BATCH_SIZE = 100;

const words = (text: string) => text.trim().split(/\s+/).length;

/**
 * `single`: the first validation tweet with exactly 25 words (else the closest to 25);
 * `batch`: the first 100 validation tweets, in file order.
 */
export async function benchTexts(): Promise<{ single: string; batch: string[] }> {
  const rows = await readLabelledCsv(VALIDATION_CSV);
  if (rows.length < BATCH_SIZE) throw new Error(`${VALIDATION_CSV} has ${rows.length} rows, need ${BATCH_SIZE}`);
  let single = rows[0].text;
  for (const { text } of rows) {
    if (Math.abs(words(text) - SINGLE_WORDS) < Math.abs(words(single) - SINGLE_WORDS)) single = text;
    if (words(single) === SINGLE_WORDS) break;
  }
  return { single: single.trim(), batch: rows.slice(0, BATCH_SIZE).map((row) => row.text) };
}

/** The first `n` validation tweets, in file order (the CPU-per-request batches: 16, 64, 256). */
export async function firstTweets(n: number): Promise<string[]> {
  const rows = await readLabelledCsv(VALIDATION_CSV);
  if (rows.length < n) throw new Error(`${VALIDATION_CSV} has ${rows.length} rows, need ${n}`);
  return rows.slice(0, n).map((row) => row.text);
}
