import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { type Benchmark, runBenchmarks } from '../../../bench/main.ts';
import type { CliIo } from '../command.ts';
import { runCli } from '../testing/run-cli.ts';
import { createBenchCommand } from './bench.ts';

// Two real (tiny) benchmarks, so the command's flow is tested without minutes of broker work.
const registry: Record<string, Benchmark> = {
  sum: {
    title: 'Summing numbers',
    run: async () => {
      let total = 0;
      for (let i = 0; i < 1000; i++) total += i;
      return [{ name: 'sum of 0..999', unit: 'value', value: total }];
    },
  },
  json: {
    title: 'JSON round trip',
    run: async () => [{ name: 'length', unit: 'chars', value: JSON.stringify({ a: [1, 2] }).length }],
  },
};

function io(isTTY: boolean) {
  const stdout = new PassThrough();
  const stderr: PassThrough & { isTTY?: boolean } = new PassThrough();
  stderr.isTTY = isTTY;
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const cliIo: CliIo = { stdout, stderr, stdin: Readable.from([]) };
  return { cliIo, out: () => out.join(''), err: () => err.join('') };
}

describe('sluice bench', () => {
  const command = createBenchCommand(async () => ({ benches: registry, runBenchmarks }));

  it('runs the named benchmarks and prints their tables, with a plain progress note off a terminal', async () => {
    const t = io(false);
    assert.equal(await command.run(['sum'], t.cliIo), 0);
    assert.match(t.out(), /Summing numbers\nfigure\s+unit\s+sluice/);
    assert.match(t.out(), /sum of 0\.\.999\s+value\s+499,500/);
    assert.doesNotMatch(t.out(), /JSON round trip/);
    assert.match(t.err(), /^running sum \(1\/1\)…\nsum done in \d+\.\d s\n$/);
  });

  it('draws a progress bar on a terminal and clears it before each table', async () => {
    const t = io(true);
    assert.equal(await command.run([], t.cliIo), 0);
    // Each start draws at once, so its elapsed time reads 0 s.
    assert.ok(t.err().includes(`\r\x1b[2K[${'-'.repeat(20)}] 1/2 sum 0 s`), JSON.stringify(t.err()));
    assert.ok(t.err().includes(`\r\x1b[2K[${'#'.repeat(10)}${'-'.repeat(10)}] 2/2 json 0 s`));
    assert.ok(t.err().endsWith('\r\x1b[2K'));
  });

  it('prints every result as JSON with --json', async () => {
    const t = io(false);
    assert.equal(await command.run(['json', '--json'], t.cliIo), 0);
    assert.deepEqual(JSON.parse(t.out()), [
      { name: 'json', title: 'JSON round trip', rows: [{ name: 'length', unit: 'chars', value: 11 }] },
    ]);
  });

  it('refuses an unknown benchmark with exit code 2, naming the known ones', async () => {
    const run = await runCli(['bench', 'nope']);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /^sluice bench: unknown benchmark 'nope'; known: codec, broker, storage, nexmark/,
    );
  });

  it('lists the benchmarks of npm run bench without running them', async () => {
    const run = await runCli(['bench', '--list', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const names = JSON.parse(run.stdout).map((b: { name: string }) => b.name);
    assert.ok(names.includes('codec') && names.includes('broker'), names.join(','));
  });
});
