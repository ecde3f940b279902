// Runs first in every npm script (package.json) and in .ci/run, under whatever Node is on PATH,
// so it is written for any version: an older Node gets one clear sentence instead of
// ERR_UNKNOWN_BUILTIN_MODULE from node:sqlite. The minimum is package.json's `engines.node`.
// `npm install` / `npm ci` refuse an older Node by themselves (engine-strict in .npmrc).
'use strict';
var path = require('path');
var range = require(path.join(__dirname, '..', 'package.json')).engines.node; // ">=22.13"
var min = range.replace(/^>=\s*/, '').split('.').map(Number);
var have = process.versions.node.split('.').map(Number);
var ok = have[0] > min[0] || (have[0] === min[0] && (have[1] || 0) >= (min[1] || 0));
if (!ok) {
  if (process.argv.indexOf('--quiet') < 0) {
    console.error(
      'edge-sentiment needs Node \u2265 ' + min.join('.') + ' (this is Node ' + process.version + ').\n' +
        'Install Node 24 LTS (`nvm install` reads .nvmrc), or `npm install --prefix ~/.node24 node@24` and put ~/.node24/node_modules/.bin first on PATH.'
    );
  }
  process.exit(1);
}
