import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createBufferedLogger } from './buffered-logger';

function setup(maxChars?: number) {
  const out: string[] = [];
  const err: string[] = [];
  const pending: (() => void)[] = [];
  const logger = createBufferedLogger({ out: (c) => out.push(c), err: (c) => err.push(c), schedule: (flush) => pending.push(flush), maxChars });
  const runScheduled = () => pending.splice(0).forEach((flush) => flush());
  return { ...logger, out, err, runScheduled };
}

describe('createBufferedLogger', () => {
  it('gathers info lines and writes them together later, one JSON line each', () => {
    const { log, out, runScheduled } = setup();
    log('info', { msg: 'request', status: 200 });
    log('info', { msg: 'request', status: 404 });
    expect(out).toEqual([]);
    runScheduled();
    expect(out).toHaveLength(1);
    const lines = out[0].split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([
      { level: 'info', msg: 'request', status: 200 },
      { level: 'info', msg: 'request', status: 404 },
    ]);
  });

  it('writes warnings and errors at once, after the lines gathered before them', () => {
    const { log, out, err } = setup();
    log('info', { msg: 'first' });
    log('error', { msg: 'second' });
    expect(JSON.parse(out[0]).msg).toBe('first');
    expect(JSON.parse(err[0])).toMatchObject({ level: 'error', msg: 'second' });
  });

  it('writes early when the gathered lines grow past maxChars', () => {
    const { log, out } = setup(100);
    for (let i = 0; i < 3; i++) log('info', { msg: 'x'.repeat(60) });
    expect(out.length).toBeGreaterThan(0);
  });

  it("writes what is gathered when the process exits, even right after logging", () => {
    const script = `import { stdoutLogger } from './worker/adapter/node/buffered-logger.ts';
      const log = stdoutLogger();
      for (let i = 0; i < 3; i++) log('info', { msg: 'line', i });
      process.exit(0);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.status).toBe(0);
    expect(child.stdout.trim().split('\n').map((l) => JSON.parse(l).i)).toEqual([0, 1, 2]);
  });
});
