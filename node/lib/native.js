'use strict';
// The addon (src/*.cc) and libpostwire.so.0 next to it, found through the addon's $ORIGIN
// RUNPATH. Loaded, with no install script, from the first of:
//   build/Release/   a source build in a checkout (`npm run build` in node/, cmake-js)
//   prebuilds/PLATFORM-ARCH/   the addon an npm package made by scripts/pack-prebuilt.js carries
const fs = require('node:fs');
const path = require('node:path');

const packageDir = path.resolve(__dirname, '..');
const platform = `${process.platform}-${process.arch}`;
const sourceBuild = path.join(packageDir, 'build', 'Release', 'postwire.node');
const prebuilt = path.join(packageDir, 'prebuilds', platform, 'postwire.node');

/** @returns {string[]} the platforms this package carries an addon for */
function prebuiltPlatforms() {
  try {
    return fs.readdirSync(path.join(packageDir, 'prebuilds'));
  } catch {
    return [];
  }
}

const addon = [sourceBuild, prebuilt].find((file) => fs.existsSync(file));
if (addon === undefined) {
  const carried = prebuiltPlatforms();
  throw Object.assign(
    new Error(
      `postwire: no native addon for ${platform}: this package carries ` +
        `${carried.length > 0 ? `prebuilt addons for ${carried.join(', ')} only` : 'no prebuilt addon'}, ` +
        `and there is no source build at ${sourceBuild}. Build one from a postwire checkout ` +
        '(on a machine prepared by its ci/setup): `cd POSTWIRE/node && npm ci --ignore-scripts && npm run build`, ' +
        'then install that folder (`npm install POSTWIRE/node`), or make a package for this platform ' +
        'with `node POSTWIRE/node/scripts/pack-prebuilt.js` and install the .tgz it names',
    ),
    { code: 'ERR_POSTWIRE_NO_ADDON' },
  );
}
module.exports = require(addon);
