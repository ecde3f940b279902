/** `npm run hub:local`: the local Hub standalone, one log line per request. See env.ts for its settings. */
import { parseArgs } from 'node:util';
import { hubSettings, USAGE } from './env';
import { startLocalHub } from './server';
import { serveUntilSignal } from '../stand-in-cli';

async function main() {
  const { values } = parseArgs({
    options: { dir: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return console.log(USAGE);
  const settings = hubSettings(values, process.env);
  const hub = await startLocalHub({ ...settings, log: values.quiet ? undefined : (line) => console.log(`${new Date().toISOString()} ${line}`) });
  console.log(`local-hub listening on ${hub.url}, repos in ${hub.dir}`);
  console.log(`  writes accept ${settings.token ? 'only the token in LOCAL_HUB_TOKEN' : 'any bearer token'}; use it with HF_ENDPOINT=${hub.url}`);
  return hub;
}

serveUntilSignal('local-hub', main);
