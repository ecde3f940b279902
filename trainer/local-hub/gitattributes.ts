/**
 * Which paths a repo's `.gitattributes` sends to LFS. New Hub repos start with a
 * `.gitattributes` tracking the usual binary formats (`*.onnx` among them); the real Hub
 * uses it, plus size and a binary sniff, to answer the preupload check. Only the `filter`
 * attribute of the root `.gitattributes` matters here, as it does for the Hub's routing.
 */

const MODEL_EXTENSIONS = [
  '7z', 'arrow', 'bin', 'bz2', 'ckpt', 'ftz', 'gz', 'h5', 'joblib', 'mlmodel', 'model', 'msgpack', 'npy', 'npz',
  'onnx', 'ot', 'parquet', 'pb', 'pickle', 'pkl', 'pt', 'pth', 'rar', 'safetensors', 'tar', 'tflite', 'tgz',
  'wasm', 'xz', 'zip', 'zst',
];
const DATASET_EXTRA_EXTENSIONS = [
  'lz4', 'mds', 'avro', 'pcm', 'sam', 'raw', 'aac', 'flac', 'mp3', 'ogg', 'wav', 'bmp', 'gif', 'png', 'tiff',
  'jpg', 'jpeg', 'webp', 'avi', 'mkv', 'mov', 'mp4', 'webm', 'db', 'duckdb', 'sqlite', 'sqlite3',
];

const lfsLine = (pattern: string) => `${pattern} filter=lfs diff=lfs merge=lfs -text`;

const template = (extensions: string[]) =>
  [
    ...extensions.map((ext) => lfsLine(`*.${ext}`)),
    lfsLine('*.lfs.*'),
    lfsLine('*.tar.*'),
    lfsLine('saved_model/**/*'),
    lfsLine('*tfevents*'),
  ].join('\n') + '\n';

/** Roughly the `.gitattributes` the Hub writes into a new repo's initial commit. */
export const DEFAULT_GITATTRIBUTES = {
  model: template(MODEL_EXTENSIONS),
  dataset: template([...MODEL_EXTENSIONS, ...DATASET_EXTRA_EXTENSIONS]),
  // A new Space starts with the model repo's rules (binary weights go to LFS).
  space: template(MODEL_EXTENSIONS),
} as const;

export interface LfsRule {
  pattern: RegExp;
  lfs: boolean;
}

/** Parse the `filter` rules; later lines win, as in git. */
export function parseLfsRules(text: string): LfsRule[] {
  const rules: LfsRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [pattern, ...attrs] = line.split(/\s+/);
    for (const attr of attrs) {
      if (attr === 'filter=lfs') rules.push({ pattern: globToRegExp(pattern), lfs: true });
      else if (attr === '-filter' || attr === '!filter' || (attr.startsWith('filter=') && attr !== 'filter=lfs')) {
        rules.push({ pattern: globToRegExp(pattern), lfs: false });
      }
    }
  }
  return rules;
}

export function matchesLfs(rules: LfsRule[], path: string): boolean {
  let lfs = false;
  for (const rule of rules) if (rule.pattern.test(path)) lfs = rule.lfs;
  return lfs;
}

/**
 * gitattributes glob → RegExp over the repo-relative path. A pattern without a slash
 * matches the basename at any depth; with a slash it is anchored at the root.
 * `**` crosses directories, `*` and `?` do not.
 */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob.startsWith('/') ? glob.slice(1) : glob;
  const anchored = pattern.includes('/');
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      if (pattern[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close === -1) re += '\\[';
      else {
        const body = pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(anchored ? `^${re}$` : `(?:^|/)${re}$`);
}
