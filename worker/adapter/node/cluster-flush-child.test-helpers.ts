/**
 * Child process for the multi-process test: one "cluster worker" sharing the SQLite file with
 * others. Appends its own records while asking for flushes, then flushes until the buffer is
 * empty. Prints one JSON line per outcome. argv: dbPath hubUrl repo token firstIndex count
 */
import { SqliteRecordBuffer } from './sqlite-buffer';
import { SqliteFlushLedger } from './sqlite-ledger';
import { FlushScheduler } from '../../capture/flush-scheduler';
import { flushOnce } from '../../capture/hub-flusher';
import { makeRecords } from '../../capture/records.test-helpers';

const [dbPath, hubUrl, repo, token, first, count] = process.argv.slice(2);
const buffer = new SqliteRecordBuffer(dbPath);
const hub = { hubUrl, accessToken: token, repo: { type: 'dataset' as const, name: repo } };
const scheduler = new FlushScheduler({
  buffer,
  ledger: new SqliteFlushLedger(dbPath),
  flush: () => flushOnce({ buffer, hub, maxRecords: 100 }),
  backoffBaseMs: 50,
});
const report = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n');

const records = makeRecords(Number(count), Number(first));
for (let i = 0; i < records.length; i += 10) {
  await Promise.all(records.slice(i, i + 10).map((r) => buffer.append([r])));
  if (i % 50 === 0) report(await scheduler.maybeFlush('size'));
}
const deadline = Date.now() + 20_000;
while ((await buffer.depth()) > 0 && Date.now() < deadline) {
  report(await scheduler.maybeFlush('schedule'));
  await new Promise((r) => setTimeout(r, 5));
}
buffer.close();
