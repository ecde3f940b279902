/**
 * `npm run settings:readme`: rewrites the README's settings tables from shared/settings/variables.ts.
 * shared/settings/settings.test.ts fails while the README's copy differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withSettingsTables } from '../shared/settings/readme-table';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log('usage: npm run settings:readme   (rewrites the block between <!-- settings:begin … --> and <!-- settings:end --> in README.md)');
  process.exit(0);
}
const readme = readFileSync('README.md', 'utf8');
const updated = withSettingsTables(readme);
if (updated === readme) console.error('README.md: the settings tables are current');
else {
  writeFileSync('README.md', updated);
  console.error('README.md: settings tables rewritten from shared/settings/variables.ts');
}
