'use strict';
// node scripts/pack-prebuilt.js [--out DIR]: makes the npm package (an `npm pack` tarball,
// postwire-VERSION.tgz) that carries the addon built in build/Release (`npm run build`, or
// ci/lib/build-bindings node on the dev build) and its libpostwire.so.0, for this platform,
// under prebuilds/PLATFORM-ARCH/. The addon finds the library next to it through its $ORIGIN
// RUNPATH, so the package installs without any install script and without this checkout:
// `npm install /path/to/postwire-VERSION.tgz`. Both libraries are stripped of what linking
// does not need (debug information, local symbols). DIR defaults to the build tree's
// node-package/ ($POSTWIRE_BUILD_DIR or ../build). Prints the tarball's path and size.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const packageDir = path.resolve(__dirname, '..');
const repoRoot = path.resolve(packageDir, '..');
const platform = `${process.platform}-${process.arch}`;

/** @param {string} message */
function fail(message) {
  process.stderr.write(`pack-prebuilt: ${message}\n`);
  process.exit(1);
}

/**
 * Runs a command; fails with its output when it does not succeed.
 * @param {string} command
 * @param {string[]} args
 * @param {string} [cwd]
 */
function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.error) fail(`${command}: ${result.error.message}`);
  if (result.status !== 0) fail(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

const args = process.argv.slice(2);
let outDir = path.join(process.env.POSTWIRE_BUILD_DIR || path.join(repoRoot, 'build'), 'node-package');
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--out' && i + 1 < args.length) outDir = path.resolve(args[++i]);
  else fail(`unknown argument ${args[i]} (usage: pack-prebuilt.js [--out DIR])`);
}

const built = path.join(packageDir, 'build', 'Release');
const addon = path.join(built, 'postwire.node');
const library = path.join(built, 'libpostwire.so.0');
for (const file of [addon, library]) {
  if (!fs.existsSync(file)) {
    fail(`${file} is missing: build the addon first (ci/lib/build-bindings node, or npm run build in node/)`);
  }
}
// The addon must find libpostwire next to it, and only there.
const dynamic = run('readelf', ['-d', addon]);
const runpath = /\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[([^\]]*)\]/.exec(dynamic);
if (runpath === null || runpath[1] !== '$ORIGIN') {
  fail(`${addon} must have the RUNPATH $ORIGIN, has ${runpath === null ? 'none' : runpath[1]}`);
}

const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'postwire-pack-'));
try {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  // What a user installs: the API, its types and the prebuilt addon; nothing to build.
  delete manifest.scripts;
  delete manifest.devDependencies;
  manifest.files = ['lib/', 'index.d.ts', 'prebuilds/'];
  fs.writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.cpSync(path.join(packageDir, 'lib'), path.join(staging, 'lib'), { recursive: true });
  fs.copyFileSync(path.join(packageDir, 'index.d.ts'), path.join(staging, 'index.d.ts'));
  fs.copyFileSync(path.join(repoRoot, 'LICENSE'), path.join(staging, 'LICENSE'));
  const prebuilds = path.join(staging, 'prebuilds', platform);
  fs.mkdirSync(prebuilds, { recursive: true });
  for (const file of [addon, library]) {
    const copy = path.join(prebuilds, path.basename(file));
    run('strip', ['--strip-unneeded', '-o', copy, file]);
  }

  fs.mkdirSync(outDir, { recursive: true });
  const packed = run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', outDir], staging)
    .trim()
    .split('\n')
    .pop();
  if (!packed) fail('npm pack named no tarball');
  const tarball = path.join(outDir, /** @type {string} */ (packed));
  process.stdout.write(`${tarball} ${fs.statSync(tarball).size} bytes\n`);
} finally {
  fs.rmSync(staging, { recursive: true, force: true });
}
