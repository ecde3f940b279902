/**
 * The D1 buffer and ledger against real D1 (workerd's SQLite behind miniflare), driven from Node:
 * runs without any wrangler.toml binding. d1-buffer.workers.test.ts runs the same contract inside workerd.
 */
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { afterAll, beforeAll } from 'vitest';
import { describeBufferContract } from '../../capture/buffer-contract.test-helpers';
import { D1RecordBuffer, type D1Like } from './d1-buffer';
import { D1FlushLedger } from './d1-ledger';
import { describeLedgerContract } from '../../capture/ledger-contract.test-helpers';

let mf: Miniflare;
let db: D1Like;

beforeAll(async () => {
  // miniflare 5 (beta, wrangler's dependency) takes a new options shape; the v4 one still converts.
  mf = new Miniflare(
    convertV4MiniflareOptions({ modules: true, script: 'export default { fetch() { return new Response(null) } }', compatibilityDate: '2026-11-01', d1Databases: ['CAPTURE_DB'] }),
  );
  db = await mf.getD1Database('CAPTURE_DB');
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
});

describeBufferContract('D1RecordBuffer (miniflare)', async () => {
  const buffer = new D1RecordBuffer(db);
  await buffer.depth(); // creates the table
  await db.prepare('DELETE FROM capture_buffer').run();
  return buffer;
});

describeLedgerContract('D1FlushLedger (miniflare)', async (name) => new D1FlushLedger(db, name));
