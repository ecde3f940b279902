/**
 * `npm run bench:language`: how well the language/support signal (text-support.ts) separates
 * English tweets from other languages, on data the thresholds were not chosen on, and what it costs.
 *
 *   tune:   the even rows of language-sample.csv + the first 1,500 rows of TweetEval train
 *   report: the odd rows of language-sample.csv + all of TweetEval validation (2,000 tweets)
 *
 * Prints one JSON object and writes worker/support/results/language.json: per split, the share of
 * English tweets `supported` and of other-language texts flagged (`supported: false`), the share
 * of English tweets that needed the detector, the misses, and the Node cost per tweet of the
 * signal and of tinyld alone; and tinyld's size (esbuild, minified, gzip -9) as it enters the bundle.
 * The cost inside workerd is measured by `node --import tsx worker/bench/in-workerd.ts`.
 */
import { build } from 'esbuild';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { detect } from 'tinyld/light';
import { parseCsv as parseCsvRows, readLabelledCsv } from '../../trainer/data/csv';
import { loadModelFile } from '../../trainer/onnx/load-model';
import { MIN_KNOWN_WORD_SHARE, textSupport } from './text-support';

const SAMPLE = 'worker/support/language-sample.csv';
const OUT = 'worker/support/results/language.json';

if (process.argv.includes('--help')) {
  console.log('usage: npm run bench:language\n\nScores the language/support signal on the mixed-language sample and TweetEval; writes ' + OUT);
  process.exit(0);
}

interface Row {
  text: string;
  language: string; // 'en' for the tweets
}

const sample = parseCsv(await readFile(SAMPLE, 'utf8'));
const train = (await readLabelledCsv('datasets/tweeteval/train.csv')).slice(0, 1500);
const validation = await readLabelledCsv('datasets/tweeteval/val.csv');
const splits: Record<string, Row[]> = {
  tune: [...sample.filter((_, i) => i % 2 === 0), ...train.map(({ text }) => ({ text, language: 'en' }))],
  report: [...sample.filter((_, i) => i % 2 === 1), ...validation.map(({ text }) => ({ text, language: 'en' }))],
};

const model = await loadModelFile('worker/model/model.onnx');
const result: Record<string, unknown> = {};
for (const [name, rows] of Object.entries(splits)) {
  const known = (await model.predict(rows.map((row) => row.text))).map((prediction) => prediction.known);
  const supports = rows.map((row, i) => textSupport(row.text, known[i]));
  const english = rows.flatMap((row, i) => (row.language === 'en' ? [i] : []));
  const other = rows.flatMap((row, i) => (row.language !== 'en' ? [i] : []));
  const byLanguage: Record<string, { texts: number; flagged: number }> = {};
  for (const i of other) {
    const entry = (byLanguage[rows[i].language] ??= { texts: 0, flagged: 0 });
    entry.texts++;
    if (!supports[i].supported) entry.flagged++;
  }
  const costs = measure(rows, english, known);
  result[name] = {
    english_tweets: english.length,
    english_supported: round(english.filter((i) => supports[i].supported).length / english.length),
    english_through_detector: round(english.filter((i) => known[i]!.words < MIN_KNOWN_WORD_SHARE).length / english.length),
    other_texts: other.length,
    languages: Object.keys(byLanguage).length,
    other_flagged: round(other.filter((i) => !supports[i].supported).length / other.length),
    by_language: byLanguage,
    english_unsupported: english.filter((i) => !supports[i].supported).map((i) => ({ language: supports[i].language, known: known[i] })),
    other_supported: other.filter((i) => supports[i].supported).map((i) => ({ text: rows[i].text, language: rows[i].language })),
    node_us_per_english_tweet: costs,
  };
}
await model.release();
result.tinyld_light_bundle = await bundleSize();
await mkdir('worker/support/results', { recursive: true });
await writeFile(OUT, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));

/** µs per English tweet on Node: the signal as served, and tinyld alone on every tweet. */
function measure(rows: Row[], english: number[], known: Parameters<typeof textSupport>[1][]) {
  const time = (fn: () => void) => {
    for (let r = 0; r < 2; r++) fn(); // warm-up
    const started = performance.now();
    const rounds = 5;
    for (let r = 0; r < rounds; r++) fn();
    return round(((performance.now() - started) * 1000) / rounds / english.length, 2);
  };
  return {
    support: time(() => english.forEach((i) => textSupport(rows[i].text, known[i]))),
    tinyld_alone: time(() => english.forEach((i) => detect(rows[i].text))),
  };
}

async function bundleSize() {
  const output = await build({ stdin: { contents: "export { detect } from 'tinyld/light';", resolveDir: process.cwd() }, bundle: true, minify: true, format: 'esm', platform: 'neutral', conditions: ['workerd', 'worker', 'browser', 'import'], mainFields: ['module', 'main'], write: false });
  const bytes = output.outputFiles[0].contents;
  return { raw_bytes: bytes.length, gzip_bytes: gzipSync(bytes, { level: 9 }).length };
}

function parseCsv(content: string): Row[] {
  const [header, ...rows] = parseCsvRows(content).filter((fields) => fields.length > 1);
  if (header.join(',') !== 'text,language') throw new Error(`${SAMPLE}: expected the header text,language`);
  return rows.map(([text, language]) => ({ text, language }));
}

function round(x: number, digits = 4): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}
