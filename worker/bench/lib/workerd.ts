/** The workerd binary the benchmarks run: the one wrangler dev runs, else the top-level one. */
import { execFileSync } from 'node:child_process';

export function workerdBinary(): string {
  for (const path of [
    'node_modules/wrangler/node_modules/@cloudflare/workerd-linux-64/bin/workerd', // the one wrangler dev runs
    'node_modules/@cloudflare/workerd-linux-64/bin/workerd',
  ]) {
    try {
      execFileSync(path, ['--version'], { stdio: 'ignore' });
      return path;
    } catch {
      // try the next
    }
  }
  throw new Error('no workerd binary under node_modules');
}
