/**
 * The layout's import rules, checked on the source text: the trainer never imports the worker;
 * shared/ code imports neither; code outside the runtime adapters never reaches for Node (or asks
 * which runtime it runs on), so the same app runs on workerd. Tests, test helpers and the Node
 * programs (benchmarks, dev, deploy) may.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts') && !path.includes('node_modules'))
    .map((path) => join(dir, path));
const isTest = (path: string) => /\.test(-helpers)?\.ts$|\/test\//.test(path);
const importsOf = (path: string) => [...readFileSync(path, 'utf8').matchAll(/^\s*(?:import|export)\b[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
const offenders = (files: string[], bad: (specifier: string) => boolean) =>
  files.flatMap((path) => importsOf(path).filter(bad).map((specifier) => `${path} → ${specifier}`));

describe('layout', () => {
  it('nothing under trainer/ imports from worker/', () => {
    expect(offenders(sourceFiles('trainer'), (s) => /^(\.\.\/)+worker\//.test(s))).toEqual([]);
  });

  it("shared/'s code imports neither worker/ nor trainer/", () => {
    expect(offenders(sourceFiles('shared').filter((p) => !isTest(p)), (s) => /^(\.\.\/)+(worker|trainer)\//.test(s))).toEqual([]);
  });

  it('outside the adapters and the Node programs, worker/ code uses no Node module, no process and no runtime test', () => {
    const nodePrograms = /^worker\/(adapter\/node|bench|dev|deploy)\/|^worker\/support\/evaluate-support\.ts$/;
    const neutral = sourceFiles('worker').filter((p) => !isTest(p) && !nodePrograms.test(p) && !p.startsWith('worker/adapter/workerd/'));
    expect(offenders(neutral, (s) => s.startsWith('node:'))).toEqual([]);
    const runtimeChecks = neutral.filter((p) => /\bprocess\.|navigator\.userAgent|runtime === /.test(readFileSync(p, 'utf8')));
    expect(runtimeChecks).toEqual([]);
  });
});
