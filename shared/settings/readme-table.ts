/** The README's settings tables, written from variables.ts (`npm run settings:readme`; a test keeps them equal). */
import { docOf } from './schema';
import { GROUPS, RENAMED } from './variables';

export const BEGIN = '<!-- settings:begin (generated from shared/settings/variables.ts by `npm run settings:readme`; a test fails when it is stale) -->';
export const END = '<!-- settings:end -->';

export function settingsTables(): string {
  const oldNames = Object.fromEntries(Object.entries(RENAMED).map(([old, now]) => [now, old]));
  const lines: string[] = [];
  for (const { title, schema } of GROUPS) {
    lines.push(`**${title}**`, '', '| variable | default | meaning |', '|---|---|---|');
    for (const [name, variable] of Object.entries(schema.shape)) {
      const doc = docOf(variable);
      if (!doc) throw new Error(`${name} has no documentation in shared/settings/variables.ts`);
      const meaning = [doc.secret ? 'Secret. ' : '', doc.meaning, oldNames[name] ? ` (old name \`${oldNames[name]}\`, still read)` : ''].join('');
      lines.push(`| \`${name}\` | ${doc.default} | ${meaning} |`);
    }
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}

/** `readme` with the block between the markers replaced by the current tables. */
export function withSettingsTables(readme: string): string {
  const begin = readme.indexOf('<!-- settings:begin');
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`the README has no settings block (${BEGIN} … ${END})`);
  return `${readme.slice(0, begin)}${BEGIN}\n${settingsTables()}\n${readme.slice(end)}`;
}
