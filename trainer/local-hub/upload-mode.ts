/**
 * The preupload decision: does a file travel inline in the commit or through LFS? Like the
 * real Hub: LFS when the root `.gitattributes` says so (a new repo's tracks `*.onnx`), when the
 * file is over 10 MiB, or when its first 512 bytes look binary. The commit endpoint applies the
 * same rule to refuse inline binaries, as the Hub does.
 */

export const LFS_THRESHOLD = 10 * 1024 * 1024;
export const SAMPLE_BYTES = 512;

const LFS_EXTENSIONS =
  '7z arrow bin bz2 ckpt ftz gz h5 joblib mlmodel model msgpack npy npz onnx ot parquet pb pickle pkl pt pth rar safetensors tar tflite tgz wasm xz zip zst';

/** Roughly the `.gitattributes` the Hub writes into a new repo's first commit. */
export const DEFAULT_GITATTRIBUTES = [...LFS_EXTENSIONS.split(' ').map((ext) => `*.${ext}`), '*.lfs.*', '*.tar.*', 'saved_model/**/*', '*tfevents*']
  .map((pattern) => `${pattern} filter=lfs diff=lfs merge=lfs -text\n`)
  .join('');

export interface LfsRule {
  pattern: RegExp;
  lfs: boolean;
}

/** The `filter` rules of a `.gitattributes`; later lines win, as in git. */
export function parseLfsRules(text: string): LfsRule[] {
  const rules: LfsRule[] = [];
  for (const line of text.split(/\r?\n/)) {
    const [pattern, ...attrs] = line.trim().split(/\s+/);
    if (!pattern || pattern.startsWith('#')) continue;
    if (attrs.includes('filter=lfs')) rules.push({ pattern: globToRegExp(pattern), lfs: true });
    else if (attrs.some((a) => a === '-filter' || a === '!filter' || a.startsWith('filter='))) rules.push({ pattern: globToRegExp(pattern), lfs: false });
  }
  return rules;
}

/** A pattern without a slash matches the basename at any depth; `**` crosses directories, `*` and `?` do not. */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob.replace(/^\//, '');
  const re = pattern
    .split(/(\*\*\/|\*\*|\*|\?)/)
    .map((part) => ({ '**/': '(?:.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' })[part] ?? part.replace(/[.+^${}()|[\]\\]/g, '\\$&'))
    .join('');
  return new RegExp(pattern.includes('/') ? `^${re}$` : `(?:^|/)${re}$`);
}

/** Binary = contains a NUL byte or is not UTF-8 (a multibyte char cut at the sample's end is fine). */
export function looksBinary(sample: Uint8Array): boolean {
  if (sample.includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return false;
  } catch {
    return true;
  }
}

export function uploadMode(file: { path: string; size: number; sample: Uint8Array }, rules: LfsRule[]): 'lfs' | 'regular' {
  if (file.path === '.gitattributes') return 'regular';
  let tracked = false;
  for (const rule of rules) if (rule.pattern.test(file.path)) tracked = rule.lfs;
  return tracked || file.size > LFS_THRESHOLD || looksBinary(file.sample.subarray(0, SAMPLE_BYTES)) ? 'lfs' : 'regular';
}
