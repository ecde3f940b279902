/**
 * The preupload decision: does a file travel inline in the commit or through LFS?
 * Like the real Hub: LFS when `.gitattributes` says so, when the file is large (10 MiB),
 * or when its first 512 bytes look binary. The commit endpoint applies the same rule to
 * refuse inline binaries, so a client that skipped preupload is caught here as on the Hub.
 */
import { matchesLfs, parseLfsRules } from './gitattributes';

export const DEFAULT_LFS_THRESHOLD = 10 * 1024 * 1024;
export const SAMPLE_BYTES = 512;

const utf8 = () => new TextDecoder('utf-8', { fatal: true });

/** Binary = contains a NUL byte or is not UTF-8 (a multibyte char cut at the sample's end is fine). */
export function looksBinary(sample: Uint8Array): boolean {
  if (sample.includes(0)) return true;
  try {
    utf8().decode(sample, { stream: true });
    return false;
  } catch {
    return true;
  }
}

export type UploadMode = 'lfs' | 'regular';

export interface UploadModeInput {
  path: string;
  size: number;
  sample: Uint8Array;
}

export function uploadModeFor(file: UploadModeInput, gitattributes: string, threshold = DEFAULT_LFS_THRESHOLD): UploadMode {
  return decideUploadMode(file, parseLfsRules(gitattributes), threshold);
}

export function decideUploadMode(
  file: UploadModeInput,
  rules: ReturnType<typeof parseLfsRules>,
  threshold = DEFAULT_LFS_THRESHOLD,
): UploadMode {
  if (file.path === '.gitattributes') return 'regular';
  if (matchesLfs(rules, file.path)) return 'lfs';
  if (file.size > threshold) return 'lfs';
  return looksBinary(file.sample.subarray(0, SAMPLE_BYTES)) ? 'lfs' : 'regular';
}
