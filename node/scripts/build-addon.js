'use strict';
// `npm run build` in node/ builds the addon from source: cmake-js from this package's own
// node_modules (`npm ci`, which ci/setup runs) compiles src/ into build/Release/postwire.node,
// next to a copy of libpostwire.so.0 — prebuilt when POSTWIRE_C_PREBUILT_DIR is set, otherwise
// built from this repository. lib/native.js loads it from there. An npm package carries the
// addon prebuilt instead (scripts/pack-prebuilt.js), so installing it runs no script.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const packageDir = path.resolve(__dirname, '..');
let cmakeJs;
try {
  cmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [packageDir] });
} catch {
  process.stderr.write(
    `postwire: cmake-js is not installed in ${packageDir}/node_modules; run \`npm ci --ignore-scripts\` there ` +
      'first (ci/setup does), then `npm run build` again\n',
  );
  process.exit(1);
}
const jobs = process.env.POSTWIRE_BUILD_JOBS || '2';
const result = spawnSync(process.execPath, [cmakeJs, 'compile', '--out', 'build', '--parallel', jobs], {
  cwd: packageDir,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
