// The compiled build (npm run build, run by `npm ci`) is what `sluice` runs when it is fresh:
// its freshness rule must notice any edited source, and its module graph must load and serve.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildStampPath, isBuildFresh } from './build-stamp.ts';

const root = new URL('..', import.meta.url).pathname;

test('a build is fresh until any source file is newer than its stamp', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-stamp-'));
  try {
    mkdirSync(join(dir, 'src', 'a'), { recursive: true });
    writeFileSync(join(dir, 'src', 'a', 'x.ts'), '');
    assert.equal(isBuildFresh(dir), false, 'no stamp: not fresh');
    mkdirSync(join(dir, 'build'));
    writeFileSync(buildStampPath(dir), '');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'src', 'a', 'x.ts'), past, past);
    assert.equal(isBuildFresh(dir), true);
    utimesSync(join(dir, 'src', 'a', 'x.ts'), new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    assert.equal(isBuildFresh(dir), false, 'an edited source makes the build stale');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the compiled CLI loads every command and starts a broker', async (t) => {
  const main = join(root, 'build', 'src', 'cli', 'main.js');
  if (!existsSync(main)) {
    t.skip('no build/: run `npm run build` (npm ci does)');
    return;
  }
  const run = (args: string[]) =>
    `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(${JSON.stringify(args)}, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });`;
  for (const command of [
    'broker',
    'topics',
    'produce',
    'consume',
    'groups',
    'run',
    'jobs',
    'nexmark',
    'bench',
  ]) {
    const help = spawnSync(process.execPath, ['--input-type=module', '-e', run([command, '--help'])], {
      encoding: 'utf8',
    });
    assert.equal(help.status, 0, `compiled '${command} --help' failed: ${help.stderr}`);
    assert.match(help.stdout, new RegExp(`sluice ${command}`));
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-built-'));
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      run([
        'broker',
        '--data-dir',
        dataDir,
        '--listen',
        '127.0.0.1:0',
        '--http',
        'off',
        '--log-format',
        'json',
      ]),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const listening = await new Promise<string>((resolve, reject) => {
      let out = '';
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        if (/listening on/.test(out)) resolve(out);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`compiled broker exited with ${code}: ${out}`)));
    });
    assert.match(listening, /listening on 127\.0\.0\.1:\d+/);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
});
