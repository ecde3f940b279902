import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { MemoryFlushLedger } from './flush-ledger';
import { describeLedgerContract } from './ledger-contract.test-helpers';
import { SqliteFlushLedger } from '../adapter/node/sqlite-ledger';

const memory = new Map<string, MemoryFlushLedger>();
describeLedgerContract('MemoryFlushLedger', async (name) => {
  if (!memory.has(name)) memory.set(name, new MemoryFlushLedger());
  return memory.get(name)!;
});

let dir: string;
const opened: SqliteFlushLedger[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capture-ledger-'));
});
afterAll(async () => {
  for (const l of opened) l.close();
  await rm(dir, { recursive: true, force: true });
});
// Separate connections to one file, as separate processes would have.
describeLedgerContract('SqliteFlushLedger', async (name) => {
  const ledger = new SqliteFlushLedger(join(dir, 'ledger.sqlite'), name);
  opened.push(ledger);
  return ledger;
});
