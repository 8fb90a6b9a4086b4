// `sluice broker` through main(): starts on the given addresses, prints its dashboard, stops
// cleanly on an interrupt, and refuses bad flags and configs with exit code 2.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../testing/run-cli.ts';

test('sluice broker serves until interrupted, printing its dashboard address', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-broker-cli-'));
  try {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 1000);
    const run = await runCli(
      ['broker', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--http', '127.0.0.1:0', '--quiet'],
      { signal: controller.signal },
    );
    clearTimeout(timer);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Sluice dashboard: http:\/\/127\.0\.0\.1:\d+\/\n$/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('sluice broker refuses a malformed --set and a config file that is not properties', async () => {
  const bad = await runCli(['broker', '--set', 'no-equals-sign']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--set expects KEY=VALUE, got 'no-equals-sign'/);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-broker-config-'));
  try {
    const file = join(dir, 'broker.properties');
    writeFileSync(file, 'num.partitions=many\n');
    const run = await runCli(['broker', '--config', file, '--http', 'off']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /num\.partitions/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
