/** Unit tests of the pure parts: LFS rules, ranges, trees and the CLI's settings. */
import { describe, expect, it } from 'vitest';
import { hubSettings } from './env';
import { gitBlobSha1 } from './hashing';
import { parseRange } from './resolve';
import { applyOps, listDir } from './tree';
import { DEFAULT_GITATTRIBUTES, globToRegExp, looksBinary, parseLfsRules, uploadMode } from './upload-mode';

describe('gitattributes', () => {
  it('matches globs the way git does', () => {
    expect(globToRegExp('*.onnx').test('model.onnx')).toBe(true);
    expect(globToRegExp('*.onnx').test('sub/dir/model.onnx')).toBe(true);
    expect(globToRegExp('*.onnx').test('model.onnx.json')).toBe(false);
    expect(globToRegExp('saved_model/**/*').test('saved_model/a/b/c.pb')).toBe(true);
    expect(globToRegExp('saved_model/**/*').test('other/saved_model/x')).toBe(false);
    expect(globToRegExp('*tfevents*').test('runs/events.out.tfevents.1')).toBe(true);
    expect(globToRegExp('data/*.csv').test('data/a.csv')).toBe(true);
    expect(globToRegExp('data/*.csv').test('data/x/a.csv')).toBe(false);
    expect(globToRegExp('file?.bin').test('file1.bin')).toBe(true);
  });

  it('lets later rules win and understands unsetting the filter', () => {
    const rules = parseLfsRules('*.csv filter=lfs diff=lfs merge=lfs -text\nsmall.csv -filter\n# comment\n');
    const csv = new TextEncoder().encode('text,label\n');
    expect(uploadMode({ path: 'big.csv', size: 11, sample: csv }, rules)).toBe('lfs');
    expect(uploadMode({ path: 'small.csv', size: 11, sample: csv }, rules)).toBe('regular');
  });
});

describe('upload mode', () => {
  const text = new TextEncoder().encode('{"a": "héllo ✓"}');
  const rules = parseLfsRules(DEFAULT_GITATTRIBUTES);

  it('sends tracked patterns (a new repo tracks *.onnx), big files and binaries to LFS', () => {
    expect(uploadMode({ path: 'feedback/2026/11/27/x.jsonl', size: text.length, sample: text }, rules)).toBe('regular');
    expect(uploadMode({ path: 'README.md', size: text.length, sample: text }, rules)).toBe('regular');
    expect(uploadMode({ path: 'model.onnx', size: text.length, sample: text }, rules)).toBe('lfs');
    expect(uploadMode({ path: 'base/train.jsonl', size: 11 * 1024 * 1024, sample: text }, rules)).toBe('lfs');
    expect(uploadMode({ path: 'x.dat', size: 3, sample: new Uint8Array([1, 0, 2]) }, rules)).toBe('lfs');
    expect(uploadMode({ path: '.gitattributes', size: 3, sample: new Uint8Array([1, 0, 2]) }, rules)).toBe('regular');
  });

  it('sniffs binary content but forgives a multibyte character cut at the sample end', () => {
    expect(looksBinary(text)).toBe(false);
    expect(looksBinary(new Uint8Array([0x7b, 0xe2, 0x9c]))).toBe(false); // "{" + 2 of ✓'s 3 bytes
    expect(looksBinary(new Uint8Array([0xff, 0xfe, 0x41]))).toBe(true);
    expect(looksBinary(new Uint8Array([0x41, 0x00]))).toBe(true);
  });
});

describe('ranges', () => {
  it('parses one byte range, and ignores forms it does not handle', () => {
    expect(parseRange('bytes=0-0', 10)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=5-', 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange('bytes=2-100', 10)).toEqual({ start: 2, end: 9 });
    expect(() => parseRange('bytes=10-12', 10)).toThrow(/not satisfiable/);
    expect(parseRange('bytes=0-1,4-5', 10)).toBeNull();
    expect(parseRange(undefined, 10)).toBeNull();
  });
});

describe('trees', () => {
  const f = (s: string) => ({ oid: gitBlobSha1(Buffer.from(s)), size: s.length });
  const tree = { 'a.txt': f('a'), 'd/x.txt': f('x'), 'd/e/y.txt': f('y') };

  it('lists direct children or everything, directories before their contents', () => {
    expect(listDir(tree, false).map((e) => `${e.type}:${e.path}`)).toEqual(['file:a.txt', 'directory:d']);
    expect(listDir(tree, true).map((e) => `${e.type}:${e.path}`)).toEqual(['file:a.txt', 'directory:d', 'directory:d/e', 'file:d/e/y.txt', 'file:d/x.txt']);
  });

  it('refuses to delete what is absent, and paths that are both a file and a directory', () => {
    expect(Object.keys(applyOps(tree, [{ kind: 'delete', path: 'd/x.txt' }]))).toEqual(['a.txt', 'd/e/y.txt']);
    expect(() => applyOps(tree, [{ kind: 'delete', path: 'nope' }])).toThrow(/Entry not found/);
    expect(() => applyOps(tree, [{ kind: 'put', path: 'a.txt/b', file: f('b') }])).toThrow(/both a file and a directory/);
  });

  it('names blobs like git does', () => {
    expect(gitBlobSha1(Buffer.from('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });
});

describe('CLI settings', () => {
  it('takes a flag over its variable over the default, and treats blank as unset', () => {
    expect(hubSettings({}, {})).toEqual({ dir: '.data/local-hub', port: 7861, host: '127.0.0.1', token: undefined });
    expect(hubSettings({ port: '0' }, { LOCAL_HUB_PORT: '9000', LOCAL_HUB_DIR: '', LOCAL_HUB_TOKEN: 'hf_x' })).toEqual({ dir: '.data/local-hub', port: 0, host: '127.0.0.1', token: 'hf_x' });
    expect(() => hubSettings({ port: '70000' }, {})).toThrow(/invalid port "70000"/);
    expect(() => hubSettings({}, { LOCAL_HUB_PORT: 'abc' })).toThrow(/invalid port/);
  });
});
