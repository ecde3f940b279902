/**
 * Child process for the crash test: appends records to the SQLite buffer at argv[2] forever and
 * prints each id only after append() resolved ("accepted"). The parent SIGKILLs it mid-stream.
 */
import { SqliteRecordBuffer } from './sqlite-buffer';
import { makeRecord } from '../../capture/records.test-helpers';

const buffer = new SqliteRecordBuffer(process.argv[2]);
for (let i = 0; ; i++) {
  // Mix single appends and small batches, as concurrent requests would.
  const batch = Array.from({ length: (i % 4) + 1 }, (_, k) => makeRecord(i * 10 + k));
  await buffer.append(batch);
  process.stdout.write(batch.map((r) => r.id).join('\n') + '\n'); // synchronous for pipes on Linux
}
