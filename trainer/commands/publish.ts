/**
 * `publish`: pushes a trained model to the Hub model repo as the next version, in one commit:
 * model.onnx (re-stamped with that version), manifest.json, the model card and metrics/history.jsonl.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { manifestSchema } from '../../shared/manifest';
import { releaseFiles } from '../hub/release';
import { MODEL_REPO_FILES } from '../../shared/hub-repos';
import { publishFiles, readPublishedState, releaseContents } from '../hub/model-repo';
import { UsageError } from './usage-error';
import { hubSettingsFromEnv } from '../../shared/settings';

export const usage = `publish --model-dir <dir with model.onnx and manifest.json> [--repo owner/name]
      [--hub-url <url>] [--dry-run]      (defaults: HF_MODEL_REPO, HF_ENDPOINT; token from HF_TOKEN)`;

const log = (message: string) => console.error(`[publish] ${message}`);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export async function publishCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'model-dir': { type: 'string' },
      repo: { type: 'string', default: process.env.HF_MODEL_REPO },
      'hub-url': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const dir = values['model-dir'];
  if (!dir || !values.repo) throw new UsageError(`missing --model-dir or --repo (or HF_MODEL_REPO)\nusage: ${usage}`);
  const hub = hubSettingsFromEnv(process.env, values['hub-url']);

  const bytes = new Uint8Array(await readFile(join(dir, MODEL_REPO_FILES.model)));
  const local = manifestSchema.parse(JSON.parse(await readFile(join(dir, MODEL_REPO_FILES.manifest), 'utf8')));
  if (sha256(bytes) !== local.sha256) throw new Error(`${dir}/model.onnx does not match its manifest's sha256: re-export the model`);

  log(`reading ${values.repo} on ${hub.hubUrl}`);
  const published = await readPublishedState({ ...hub, repo: values.repo });
  const { model, manifest, card, history } = releaseFiles(values.repo, bytes, local, published, { reason: 'published by hand (trainer publish)' });
  const version = manifest.version;

  const plan = {
    repo: values.repo,
    hub: hub.hubUrl,
    parent_commit: published.sha,
    version,
    parent_version: manifest.parent_version,
    /** Bytes of each file as committed. */
    files: Object.fromEntries(Object.entries(releaseContents({ model, manifest, card, history })).map(([path, blob]) => [path, blob.size])),
  };
  if (values['dry-run']) {
    console.log(JSON.stringify({ dry_run: true, ...plan }, null, 2));
    return;
  }
  const sha = await publishFiles({ ...hub, repo: values.repo, files: { model, manifest, card, history }, parentCommit: published.sha });
  log(`published ${version} as commit ${sha}`);
  console.log(JSON.stringify({ ...plan, commit: sha }, null, 2));
}
