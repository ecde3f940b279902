/**
 * The identifiers git and git-lfs use, so oids and ETags look like the real Hub's: regular
 * files are named by their git blob sha1, LFS files by the sha256 of their content.
 */
import { createHash } from 'node:crypto';

export const sha1Hex = (bytes: Uint8Array | string): string => createHash('sha1').update(bytes).digest('hex');

/** `git hash-object`: sha1 of "blob <size>\0" + content. */
export function gitBlobSha1(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

/** The pointer file git keeps in the tree for an LFS object. */
export const lfsPointer = (oid: string, size: number): string =>
  `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`;

export const isSha1 = (s: string): boolean => /^[0-9a-f]{40}$/.test(s);
export const isSha256 = (s: string): boolean => /^[0-9a-f]{64}$/.test(s);
