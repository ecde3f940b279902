/** The standalone hub's settings: a flag wins over its LOCAL_HUB_* variable, which wins over the default. */
import type { LocalHubOptions } from './server';

export const USAGE = `usage: npm run hub:local -- [--dir .data/local-hub] [--port 7861] [--host 127.0.0.1] [--quiet]
env: LOCAL_HUB_DIR, LOCAL_HUB_PORT, LOCAL_HUB_HOST, and LOCAL_HUB_TOKEN: the only bearer token accepted
for writes and private repos (any token is, if unset; there is no --token flag, so it never shows in ps)`;

type Flags = { dir?: string; port?: string; host?: string };

export function hubSettings(flags: Flags, env: Record<string, string | undefined>): Omit<LocalHubOptions, 'log'> {
  const pick = (flag: string | undefined, name: string) => flag || env[name] || undefined; // blank is unset
  const portText = pick(flags.port, 'LOCAL_HUB_PORT') ?? '7861';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new Error(`invalid port ${JSON.stringify(portText)}: give 0-65535 (0 = any free port)`);
  return {
    dir: pick(flags.dir, 'LOCAL_HUB_DIR') ?? '.data/local-hub',
    port,
    host: pick(flags.host, 'LOCAL_HUB_HOST') ?? '127.0.0.1',
    token: pick(undefined, 'LOCAL_HUB_TOKEN'),
  };
}
