/**
 * The deployable bundle: `wrangler deploy --dry-run --outdir` (nothing is uploaded), each file's raw
 * and gzip (zlib level 9) size, and a workerd config that serves that same bundle without wrangler
 * (to separate wrangler dev's proxy from the runtime).
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const MiB = 2 ** 20;

export interface BundleFile {
  file: string;
  part: 'wasm' | 'model' | 'script' | 'source map' | 'other';
  raw_bytes: number;
  gzip_bytes: number;
  /** Counted in the deployable total (source maps and the README wrangler writes are not). */
  deployable: boolean;
}

export interface BundleReport {
  outdir: string;
  files: BundleFile[];
  total_raw_mib: number;
  total_gzip_mib: number;
  /** wrangler's own "Total Upload: … KiB / gzip: … KiB" line, for comparison. */
  wrangler_reports: string | null;
  build_seconds: number;
}

function partOf(file: string): BundleFile['part'] {
  if (file.endsWith('.wasm')) return 'wasm';
  if (file.endsWith('.onnx')) return 'model';
  if (file.endsWith('.map')) return 'source map';
  if (/\.(m?js|cjs)$/.test(file)) return 'script';
  return 'other';
}

export async function buildBundle(outdir: string, configPath = 'wrangler.toml'): Promise<BundleReport> {
  const start = performance.now();
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['node_modules/wrangler/bin/wrangler.js', 'deploy', '--dry-run', '--config', configPath, '--outdir', outdir],
    { env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' }, maxBuffer: 16 * MiB, timeout: 180_000 },
  );
  const buildSeconds = (performance.now() - start) / 1000;
  const files: BundleFile[] = [];
  for (const file of (await readdir(outdir)).sort()) {
    if (!(await stat(join(outdir, file))).isFile()) continue;
    const bytes = await readFile(join(outdir, file));
    const part = partOf(file);
    files.push({
      file,
      part,
      raw_bytes: bytes.length,
      gzip_bytes: gzipSync(bytes, { level: 9 }).length,
      deployable: part !== 'source map' && file !== 'README.md',
    });
  }
  files.sort((a, b) => b.raw_bytes - a.raw_bytes);
  const deployable = files.filter((f) => f.deployable);
  return {
    outdir,
    files,
    total_raw_mib: deployable.reduce((s, f) => s + f.raw_bytes, 0) / MiB,
    total_gzip_mib: deployable.reduce((s, f) => s + f.gzip_bytes, 0) / MiB,
    wrangler_reports: /Total Upload:[^\n]*/.exec(stdout + stderr)?.[0] ?? null,
    build_seconds: buildSeconds,
  };
}

/**
 * What a bare workerd needs from wrangler.toml: compatibility_date and _flags (top level) and the
 * one-line entries of [vars] (strings become text bindings, anything else JSON bindings).
 */
export async function readWranglerToml(configPath = 'wrangler.toml'): Promise<{ date: string; flags: string[]; vars: [string, string][] }> {
  const text = await readFile(configPath, 'utf8');
  const top = text.split(/^\s*\[/m)[0];
  const date = /^\s*compatibility_date\s*=\s*"([^"]+)"/m.exec(top)?.[1];
  if (!date) throw new Error(`${configPath}: no compatibility_date`);
  const flagsText = /^\s*compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(top)?.[1] ?? '';
  const varsSection = /^\s*\[vars\]\s*$([\s\S]*?)(?=^\s*\[|(?![\s\S]))/m.exec(text)?.[1] ?? '';
  const vars: [string, string][] = [];
  for (const line of varsSection.split('\n')) {
    const m = /^\s*([A-Za-z_][\w-]*)\s*=\s*(.+?)\s*$/.exec(line.replace(/\s+#.*$/, ''));
    if (m) vars.push([m[1], m[2]]);
  }
  return { date, flags: [...flagsText.matchAll(/"([^"]+)"/g)].map((m) => m[1]), vars };
}

export interface WorkerdConfigOptions {
  /** Text bindings added to (or replacing) wrangler.toml's [vars]. */
  vars?: Record<string, string>;
  /** Let the worker's fetch reach loopback and private addresses (a local Hub). Default: public only. */
  localNetwork?: boolean;
}

/**
 * Writes `workerd.capnp` into the dry-run outdir: the bundle's modules, typed the way
 * wrangler.toml's rules type them (.wasm: CompiledWasm, .onnx: Data), one HTTP socket on `port`.
 * Throws if the bundle imports a module kind this does not know (then the bare run is skipped).
 */
export async function writeWorkerdConfig(bundle: Pick<BundleReport, 'outdir'>, port: number, configPath = 'wrangler.toml', options: WorkerdConfigOptions = {}): Promise<string> {
  const toml = await readWranglerToml(configPath);
  const { date, flags } = toml;
  const extra = Object.entries(options.vars ?? {}).map(([name, value]): [string, string] => [name, JSON.stringify(value)]);
  const vars = [...toml.vars.filter(([name]) => options.vars?.[name] === undefined), ...extra];
  const bindings = vars.map(([name, value]) =>
    /^".*"$/.test(value) ? `(name = "${name}", text = ${value})` : `(name = "${name}", json = ${JSON.stringify(value)})`,
  );
  // wrangler names the script after the entry: worker/adapter/workerd/index.ts → index.js.
  const entry = /^\s*main\s*=\s*"([^"]+)"/m.exec(await readFile(configPath, 'utf8'))?.[1] ?? 'index.ts';
  const main = `${basename(entry).replace(/\.[cm]?[jt]s$/, '')}.js`;
  const script = await readFile(join(bundle.outdir, main), 'utf8');
  const imported = new Set([...script.matchAll(/(?:from|import)\s*"\.\/([^"]+)"/g)].map((m) => m[1]));
  const modules = [`(name = "${main}", esModule = embed "${main}")`];
  for (const name of imported) {
    if (name.endsWith('.wasm')) modules.push(`(name = "${name}", wasm = embed "${name}")`);
    else if (name.endsWith('.onnx') || name.endsWith('.bin')) modules.push(`(name = "${name}", data = embed "${name}")`);
    else if (name.endsWith('.txt') || name.endsWith('.html')) modules.push(`(name = "${name}", text = embed "${name}")`);
    else throw new Error(`bundle imports ./${name}: unknown module type for a bare workerd config`);
  }
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker)${options.localNetwork ? ', (name = "internet", network = (allow = ["public", "private", "local"]))' : ''} ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    ${modules.join(',\n    ')},
  ],
  compatibilityDate = "${date}",
  compatibilityFlags = [${flags.map((f) => JSON.stringify(f)).join(', ')}],
  bindings = [${bindings.join(', ')}],
);
`;
  const path = join(bundle.outdir, 'workerd.capnp');
  await writeFile(path, config);
  return path;
}
