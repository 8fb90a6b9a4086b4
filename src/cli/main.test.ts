import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commands } from './registry.ts';
import { runCli } from './testing/run-cli.ts';

describe('sluice main()', () => {
  it('lists every registered command with its summary under --help', async () => {
    const run = await runCli(['--help']);
    assert.equal(run.code, 0);
    const lines = run.stdout.split('\n');
    for (const c of commands)
      assert.ok(
        lines.some((l) => l.startsWith(`  ${c.name} `) && l.endsWith(`  ${c.summary}`)),
        `${c.name} is not listed`,
      );
  });

  it('prints usage and exits 2 when no command is given', async () => {
    const run = await runCli([]);
    assert.equal(run.code, 2);
    assert.match(run.stdout, /^Usage: sluice <command>/);
  });

  it('names the known commands when given an unknown one, with exit code 2', async () => {
    const run = await runCli(['frobnicate']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown command 'frobnicate'. Known commands: .*topics.*consume/);
  });

  it("prints each command's usage for --help without running it", async () => {
    for (const c of commands) {
      const run = await runCli([c.name, '--help']);
      assert.equal(run.code, 0, c.name);
      assert.match(run.stdout, /^Usage:/, c.name);
    }
  });
});
