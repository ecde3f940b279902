/**
 * The Node server as production runs it: the Dockerfile's own esbuild command (one ESM file, npm
 * packages external), started with plain `node`. Built inside node_modules/.cache so that the
 * bundle's bare imports resolve from node_modules, as in the image.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

/** The arguments of the Dockerfile's `RUN npx esbuild …` line, writing to `outfile`. */
export function dockerfileEsbuildArgs(root: string, outfile: string): string[] {
  const line = readFileSync(`${root}Dockerfile`, 'utf8')
    .split('\n')
    .find((l) => /^RUN npx esbuild /.test(l));
  if (!line) throw new Error('Dockerfile has no `RUN npx esbuild` line');
  return line
    .replace(/^RUN npx esbuild /, '')
    .split(/\s+/)
    .filter(Boolean)
    .map((arg) => (arg.startsWith('--outfile=') ? `--outfile=${outfile}` : arg));
}

/** The node flags of the Dockerfile's `CMD ["node", …flags, "dist/node-server.mjs"]`. */
export function dockerfileNodeFlags(root: string): string[] {
  const line = readFileSync(`${root}Dockerfile`, 'utf8')
    .split('\n')
    .find((l) => /^CMD \[/.test(l));
  const cmd = line ? (JSON.parse(line.replace(/^CMD /, '')) as string[]) : [];
  if (cmd[0] !== 'node') throw new Error('the Dockerfile has no `CMD ["node", …]` line');
  return cmd.slice(1).filter((arg) => arg.startsWith('--'));
}

/** Builds the bundle into `outDir` (inside the repo); returns its path. */
export function buildNodeBundle(root: string, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const outfile = `${outDir}/node-server.mjs`;
  execFileSync(`${root}node_modules/.bin/esbuild`, [...dockerfileEsbuildArgs(root, outfile), '--log-level=warning'], { cwd: root });
  return outfile;
}

/** The runtime stage's `ENV` settings (the last FROM's), e.g. PORT, WEB_CONCURRENCY, CAPTURE_DB_PATH. */
export function dockerfileEnv(root: string): Record<string, string> {
  const stages = readFileSync(`${root}Dockerfile`, 'utf8').replace(/\\\n/g, ' ').split(/^FROM /m);
  const env: Record<string, string> = {};
  for (const line of stages.at(-1)!.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const [, name, value] of line.slice(4).matchAll(/(\w+)=(\S+)/g)) env[name] = value;
  }
  return env;
}
