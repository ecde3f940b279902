/** Unit tests of the pure parts: LFS rules, ranges, trees, routing and commit parsing. */
import { describe, expect, it } from 'vitest';
import { parseCommitNdjson } from './commit-ndjson';
import { DEFAULT_GITATTRIBUTES, globToRegExp, matchesLfs, parseLfsRules } from './gitattributes';
import { gitBlobSha1 } from './hashing';
import { matchRoute, segmentsOf } from './router';
import { parseRange } from './routes-resolve';
import { applyOps, listDir } from './tree';
import { looksBinary, uploadModeFor } from './upload-mode';

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
    expect(globToRegExp('file?.[ab]in').test('file1.bin')).toBe(true);
  });

  it('lets later rules win and understands unsetting the filter', () => {
    const rules = parseLfsRules('*.bin filter=lfs diff=lfs merge=lfs -text\nsmall.bin -filter\n# comment\n');
    expect(matchesLfs(rules, 'big.bin')).toBe(true);
    expect(matchesLfs(rules, 'small.bin')).toBe(false);
  });

  it('new repos track ONNX but not JSON/JSONL/Markdown', () => {
    for (const type of ['model', 'dataset'] as const) {
      const rules = parseLfsRules(DEFAULT_GITATTRIBUTES[type]);
      expect(matchesLfs(rules, 'model.onnx')).toBe(true);
      expect(matchesLfs(rules, 'manifest.json')).toBe(false);
      expect(matchesLfs(rules, 'feedback/2026/11/27/x.jsonl')).toBe(false);
      expect(matchesLfs(rules, 'README.md')).toBe(false);
    }
  });
});

describe('upload mode', () => {
  const text = new TextEncoder().encode('{"a": "héllo ✓"}');
  it('sends binaries, big files and tracked patterns to LFS', () => {
    const attrs = DEFAULT_GITATTRIBUTES.model;
    expect(uploadModeFor({ path: 'x.json', size: text.length, sample: text }, attrs)).toBe('regular');
    expect(uploadModeFor({ path: 'x.onnx', size: text.length, sample: text }, attrs)).toBe('lfs');
    expect(uploadModeFor({ path: 'x.json', size: 11 * 1024 * 1024, sample: text }, attrs)).toBe('lfs');
    expect(uploadModeFor({ path: 'x.dat', size: 3, sample: new Uint8Array([1, 0, 2]) }, attrs)).toBe('lfs');
    expect(uploadModeFor({ path: '.gitattributes', size: 3, sample: new Uint8Array([1, 0, 2]) }, attrs)).toBe('regular');
  });

  it('sniffs binary content but forgives a multibyte character cut at the sample end', () => {
    expect(looksBinary(text)).toBe(false);
    expect(looksBinary(new Uint8Array([0x7b, 0xe2, 0x9c]))).toBe(false); // "{" + 2 of ✓'s 3 bytes
    expect(looksBinary(new Uint8Array([0xff, 0xfe, 0x41]))).toBe(true);
    expect(looksBinary(new Uint8Array([0x41, 0x00]))).toBe(true);
  });
});

describe('ranges', () => {
  it('parses single byte ranges', () => {
    expect(parseRange('bytes=0-0', 10)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=5-', 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange('bytes=2-100', 10)).toEqual({ start: 2, end: 9 });
    expect(parseRange('bytes=10-12', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,4-5', 10)).toBeNull();
    expect(parseRange(undefined, 10)).toBeNull();
  });
});

describe('trees', () => {
  const f = (s: string) => ({ oid: gitBlobSha1(s), size: s.length });
  const tree = { 'a.txt': f('a'), 'd/x.txt': f('x'), 'd/e/y.txt': f('y') };

  it('lists direct children or everything below, directories before their contents', () => {
    expect(listDir(tree, '', false).map((e) => `${e.type}:${e.path}`)).toEqual(['file:a.txt', 'directory:d']);
    expect(listDir(tree, 'd', true).map((e) => `${e.type}:${e.path}`)).toEqual(['directory:d/e', 'file:d/e/y.txt', 'file:d/x.txt']);
  });

  it('applies deletes of files and folders, refusing absent ones', () => {
    expect(Object.keys(applyOps(tree, [{ kind: 'deleteFolder', path: 'd' }]))).toEqual(['a.txt']);
    expect(() => applyOps(tree, [{ kind: 'delete', path: 'nope' }])).toThrow(/Entry not found/);
    expect(() => applyOps(tree, [{ kind: 'put', path: 'a.txt/b', file: f('b') }])).toThrow(/both a file and a directory/);
  });

  it('names blobs like git does', () => {
    expect(gitBlobSha1('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });
});

describe('router', () => {
  const route = (method: string, path: string) => matchRoute(method, segmentsOf(path)!);
  it('recognises the Hub URL shapes the client uses', () => {
    expect(route('POST', '/api/repos/create')).toEqual({ name: 'create-repo' });
    expect(route('GET', '/api/models/o/n')).toMatchObject({ name: 'repo-info', repo: { type: 'model', owner: 'o', name: 'n' } });
    expect(route('GET', '/api/datasets/o/n/revision/HEAD')).toMatchObject({ name: 'repo-info', rev: 'HEAD', repo: { type: 'dataset' } });
    expect(route('GET', '/api/datasets/o/n/tree/main/feedback/2026')).toMatchObject({ name: 'tree', rev: 'main', path: 'feedback/2026' });
    expect(route('POST', '/api/models/o/n/preupload/main')).toMatchObject({ name: 'preupload' });
    expect(route('POST', '/api/models/o/n/commit/main')).toMatchObject({ name: 'commit' });
    expect(route('POST', '/o/n.git/info/lfs/objects/batch')).toMatchObject({ name: 'lfs-batch', repo: { type: 'model', name: 'n' } });
    expect(route('POST', '/datasets/o/n.git/info/lfs/objects/batch')).toMatchObject({ name: 'lfs-batch', repo: { type: 'dataset' } });
    expect(route('HEAD', '/datasets/o/n/resolve/abc/feedback/a%20b.jsonl')).toMatchObject({ name: 'resolve', rev: 'abc', path: 'feedback/a b.jsonl' });
    expect(route('GET', '/o/n/raw/main/x')).toMatchObject({ name: 'raw' });
    expect(route('DELETE', '/o/n/resolve/main/x')).toBeNull();
    expect(route('GET', '/api/spaces/o/n')).toMatchObject({ name: 'repo-info', repo: { type: 'space', owner: 'o', name: 'n' } });
    expect(route('GET', '/spaces/o/n/resolve/main/Dockerfile')).toMatchObject({ name: 'resolve', repo: { type: 'space' }, path: 'Dockerfile' });
    expect(route('GET', '/api/collections/o/n')).toBeNull();
  });
});

describe('commit NDJSON', () => {
  it('parses the header and every operation kind', () => {
    const body = [
      { key: 'header', value: { summary: 's', description: 'd', parentCommit: 'p' } },
      { key: 'file', value: { path: 'a.txt', content: 'aGk=', encoding: 'base64' } },
      { key: 'file', value: { path: 'b.txt', content: 'hi' } },
      { key: 'lfsFile', value: { path: 'm.onnx', algo: 'sha256', oid: 'a'.repeat(64), size: 3 } },
      { key: 'deletedFile', value: { path: 'old.txt' } },
      { key: 'deletedFolder', value: { path: 'dir/' } },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const parsed = parseCommitNdjson(body);
    expect(parsed.header).toEqual({ summary: 's', description: 'd', parentCommit: 'p' });
    expect(parsed.operations.map((o) => o.key)).toEqual(['file', 'file', 'lfsFile', 'deletedFile', 'deletedFolder']);
    expect(parsed.operations[0]).toMatchObject({ content: Buffer.from('hi') });
    expect(parsed.operations[1]).toMatchObject({ content: Buffer.from('hi') });
    expect(parsed.operations[4]).toMatchObject({ path: 'dir' });
  });

  it('rejects what the Hub would reject', () => {
    expect(() => parseCommitNdjson('')).toThrow(/header/);
    expect(() => parseCommitNdjson('{"key":"header","value":{"summary":""}}')).toThrow(/summary/);
    expect(() => parseCommitNdjson('not json')).toThrow(/not JSON/);
    expect(() => parseCommitNdjson('{"key":"header","value":{"summary":"s"}}\n{"key":"rename","value":{}}')).toThrow(/line 2/);
  });
});
