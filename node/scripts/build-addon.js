'use strict';
// `npm install` builds the addon here: cmake-js from this package's own node_modules compiles
// src/ against the C ABI library (prebuilt when POSTWIRE_C_PREBUILT_DIR is set, otherwise built
// from this repository). The addon builds from the repository, so node/ is installed as a link
// (`npm install ./node`), whose dependencies npm does not install: `npm ci` in node/ (ci/setup
// runs it) provides them.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const packageDir = path.resolve(__dirname, '..');
let cmakeJs;
try {
  cmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [packageDir] });
} catch {
  process.stderr.write(
    `postwire: cmake-js is not installed in ${packageDir}/node_modules; run \`npm ci\` there first ` +
      '(ci/setup does), then install the package again\n',
  );
  process.exit(1);
}
const jobs = process.env.POSTWIRE_BUILD_JOBS || '2';
const result = spawnSync(process.execPath, [cmakeJs, 'compile', '--out', 'build', '--parallel', jobs], {
  cwd: packageDir,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
