// @ts-check
'use strict';
// The npm package as a user gets it: scripts/pack-prebuilt.js makes the tarball from the
// addon built in build/Release, npm installs it into a fresh project in a temporary folder
// (offline, from the project's npm cache, running no scripts), and a quickstart program sends
// and receives through RabbitMQ in a process whose environment names nothing of this checkout
// or its build tree: the addon and libpostwire must come from the tarball.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { brokers, brokerUrl, uniqueName } = require('./helpers');

const options = { skip: !brokers.includes('amqp') && 'amqp is not in POSTWIRE_BROKERS', timeout: 120_000 };
const packageDir = path.resolve(__dirname, '..');
// The project's cache folder, as ci/lib/common.sh names it: ci/setup fills its npm/ cache.
const cacheDir =
  process.env.POSTWIRE_CACHE_DIR ||
  path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'postwire');

// The quickstart, run from the fresh project; it also names the files the addon was loaded
// from, as the process mapped them.
const quickstart = `'use strict';
const fs = require('node:fs');
const postwire = require('postwire');

async function main() {
  const [url, queue] = process.argv.slice(2);
  const client = await postwire.connect(url);
  await client.declareQueue(queue, { durable: false, auto_delete: true });
  await client.producer().send(queue, '{"order": 42}', { key: 'customer-7' });
  const consumer = await client.subscribe(queue);
  for await (const message of consumer) {
    console.log('received ' + message.body.toString() + ' key ' + message.key);
    message.ack();
    break;
  }
  await consumer.close();
  await client.close();
  const loaded = new Set();
  for (const line of fs.readFileSync('/proc/self/maps', 'utf8').split('\\n')) {
    const file = line.split(/\\s+/)[5];
    if (file && /(postwire\\.node|libpostwire\\.so)/.test(file)) loaded.add(file);
  }
  console.log('module ' + require.resolve('postwire'));
  for (const file of [...loaded].sort()) console.log('loaded ' + file);
}
main();
`;

/**
 * Runs a command; returns its output, failing the test when it does not succeed.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} spawnOptions
 */
function run(command, args, spawnOptions) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: 90_000,
    killSignal: 'SIGKILL',
    ...spawnOptions,
  });
  assert.equal(result.error, undefined, `${command}: ${result.error?.message}`);
  assert.equal(result.signal, null, `${command} ${args.join(' ')} was killed: ${result.stderr}`);
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return String(result.stdout);
}

test(
  'the packed tarball installs with no scripts and no build tree, and its quickstart sends and receives',
  options,
  (t) => {
    const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'postwire-package-')));
    try {
      const packed = run(process.execPath, [path.join(packageDir, 'scripts', 'pack-prebuilt.js'), '--out', work], {});
      const [tarball, size] = packed.trim().split('\n').pop()?.split(' ') ?? [];
      assert.ok(fs.existsSync(tarball), `no tarball: ${packed}`);

      const app = path.join(work, 'app');
      fs.mkdirSync(app);
      fs.writeFileSync(
        path.join(app, 'package.json'),
        JSON.stringify({ name: 'postwire-quickstart', version: '1.0.0', private: true }),
      );
      fs.writeFileSync(path.join(app, 'main.js'), quickstart);
      // Nothing in the environment leads to this checkout or its build tree.
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work };
      const started = process.hrtime.bigint();
      run(
        'npm',
        [
          'install',
          tarball,
          '--offline',
          '--ignore-scripts',
          '--no-audit',
          '--no-fund',
          '--cache',
          path.join(cacheDir, 'npm'),
        ],
        { cwd: app, env },
      );
      const installMs = Number((process.hrtime.bigint() - started) / 1_000_000n);
      t.diagnostic(`tarball ${path.basename(tarball)}: ${size} bytes; npm install: ${installMs} ms`);

      const installed = path.join(app, 'node_modules', 'postwire');
      assert.ok(!fs.lstatSync(installed).isSymbolicLink(), 'the package was linked, not installed');
      const output = run(process.execPath, ['main.js', brokerUrl('amqp'), uniqueName('package')], { cwd: app, env });
      const lines = output.trim().split('\n');
      assert.equal(lines[0], 'received {"order": 42} key customer-7');
      assert.equal(lines[1], `module ${path.join(installed, 'lib', 'index.js')}`);
      const prebuilds = path.join(installed, 'prebuilds', `${process.platform}-${process.arch}`);
      assert.deepEqual(lines.slice(2), [
        `loaded ${path.join(prebuilds, 'libpostwire.so.0')}`,
        `loaded ${path.join(prebuilds, 'postwire.node')}`,
      ]);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  },
);

test('a package without an addon for this platform says what to run', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'postwire-no-addon-'));
  try {
    fs.cpSync(path.join(packageDir, 'lib'), path.join(work, 'lib'), { recursive: true });
    fs.copyFileSync(path.join(packageDir, 'package.json'), path.join(work, 'package.json'));
    const result = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(work)})`], { encoding: 'utf8' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /ERR_POSTWIRE_NO_ADDON/);
    assert.match(result.stderr, new RegExp(`no native addon for ${process.platform}-${process.arch}`));
    assert.match(result.stderr, /npm ci --ignore-scripts && npm run build/);
    assert.match(result.stderr, /scripts\/pack-prebuilt\.js/);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});
