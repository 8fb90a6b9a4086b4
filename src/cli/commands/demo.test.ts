// `sluice demo` through main(): the crypto demo on an existing cluster (--bootstrap) and on the
// broker it starts (its dashboard serving the app's markets), training with the JSON report and a
// loadable model, replaying a file of trades, and the errors for bad usage.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { test } from 'node:test';
import { loadSpikeModel } from '../../apps/crypto/spike-model.ts';
import { startBroker } from '../../broker/broker.ts';
import { resolveBrokerConfig } from '../../broker/config.ts';
import { createLogger } from '../../broker/logger.ts';
import { Consumer } from '../../client/consumer.ts';
import type { ConsumedRecord } from '../../client/fetched-records.ts';
import { cryptoDemo, cryptoDemoDefaults } from '../demo/crypto-demo.ts';
import { runDemo } from '../demo/demo-runner.ts';
import { runCli } from '../testing/run-cli.ts';

async function readRecords(
  bootstrap: string,
  topic: string,
  partitions: number,
  wanted: number,
  timeoutMs: number,
): Promise<ConsumedRecord[]> {
  const consumer = new Consumer({ bootstrap, isolationLevel: 'read_committed', autoOffsetReset: 'earliest' });
  consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
  const records: ConsumedRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  try {
    while (records.length < wanted && Date.now() < deadline) {
      const batch = await consumer.nextBatch(Math.max(deadline - Date.now(), 1));
      if (batch !== null) records.push(...batch.records);
    }
  } finally {
    await consumer.close();
  }
  return records;
}

test('sluice demo crypto --bootstrap runs the detection job on that cluster until interrupted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-demo-crypto-'));
  const broker = await startBroker();
  const controller = new AbortController();
  try {
    const demo = runCli(
      [
        'demo',
        'crypto',
        '--bootstrap',
        broker.bootstrap,
        '--markets',
        '40',
        '--trades-per-second',
        '400',
        '--partitions',
        '2',
        '--checkpoint-dir',
        dir,
        '--quiet',
      ],
      { signal: controller.signal },
    );
    const bars = await readRecords(broker.bootstrap, 'crypto.bars', 2, 1, 40_000);
    controller.abort();
    const run = await demo;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Sluice demo 'crypto': Kafka at 127\.0\.0\.1:\d+ \(no dashboard/);
    assert.ok(bars.length > 0, 'the job wrote committed bars within 40 s');
    const bar = JSON.parse(String(bars[0]?.value)) as Record<string, unknown>;
    for (const field of ['exchange', 'market', 'open', 'high', 'low', 'close', 'volume', 'probability'])
      assert.ok(field in bar, `a bar has '${field}': ${JSON.stringify(bar)}`);
  } finally {
    controller.abort();
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the crypto demo's dashboard serves the markets the job has scored", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-demo-dashboard-'));
  const controller = new AbortController();
  const stdout = new PassThrough();
  let printed = '';
  stdout.on('data', (c: Buffer) => {
    printed += c.toString();
  });
  try {
    const demo = runDemo(
      cryptoDemo({ ...cryptoDemoDefaults, markets: 30, tradesPerSecond: 300, partitions: 1 }),
      {
        brokerConfig: resolveBrokerConfig({
          'data.dir': join(dir, 'data'),
          listen: '127.0.0.1:0',
          'http.listen': '127.0.0.1:0',
        }),
        bootstrap: null,
        executors: 1,
        checkpointDir: join(dir, 'checkpoints'),
        logger: createLogger({ level: 'silent' }),
        io: { stdout, stderr: new PassThrough(), stdin: Readable.from([]) },
        signal: controller.signal,
        statusEveryMs: 1_000,
      },
    );
    let dashboard: string | undefined;
    for (let waited = 0; dashboard === undefined; waited += 50) {
      assert.ok(waited < 20_000, `the demo did not print its dashboard: ${printed}`);
      dashboard = /dashboard (http:\/\/\S+\/)#\/crypto/.exec(printed)?.[1];
      await new Promise((r) => setTimeout(r, 50));
    }
    let found: { total: number; markets: { id?: string; market?: string }[] } = { total: 0, markets: [] };
    for (let waited = 0; found.total === 0; waited += 500) {
      assert.ok(waited < 45_000, 'no market appeared on the dashboard within 45 s');
      await new Promise((r) => setTimeout(r, 500));
      const res = await fetch(`${dashboard}api/apps/crypto/markets?q=&limit=5`);
      assert.equal(res.status, 200, await res.clone().text());
      found = (await res.json()) as typeof found;
    }
    assert.ok(found.markets.length > 0 && found.markets.length <= 5, JSON.stringify(found));
    controller.abort();
    assert.equal(await demo, 0);
  } finally {
    controller.abort();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sluice demo crypto train saves a model that loads and reports it as JSON', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-demo-train-'));
  try {
    const out = join(dir, 'model.json');
    const run = await runCli([
      'demo',
      'crypto',
      'train',
      '--minutes',
      '3',
      '--seed',
      '5',
      '--out',
      out,
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      model: string;
      trades: number;
      validation: { recall: number };
    };
    assert.equal(report.model, out);
    assert.ok(report.trades > 0);
    assert.ok(report.validation.recall >= 0 && report.validation.recall <= 1);
    assert.ok(loadSpikeModel(out).file.threshold > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sluice demo crypto replay writes the good lines and stops at a bad one, naming it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-demo-replay-'));
  const broker = await startBroker();
  try {
    const trade = (i: number) =>
      JSON.stringify({
        exchange: 'kraken',
        market: 'BTC-USD',
        price: 60_000 + i,
        amount: 0.1,
        side: 'buy',
        tradeId: String(i),
        timestampMs: 1_700_000_000_000 + i,
      });
    const file = join(dir, 'trades.jsonl');
    writeFileSync(file, `${trade(1)}\n${trade(2)}\n\n${trade(3)}\n{"exchange":"kraken","price":"high"}\n`);
    const run = await runCli(['demo', 'crypto', 'replay', '--input', file, '--bootstrap', broker.bootstrap]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /trades\.jsonl line 5: trade field 'market' must be a non-empty string, got undefined/,
    );
    const records = await readRecords(broker.bootstrap, 'crypto.trades', 1, 3, 10_000);
    assert.deepEqual(
      records.map((r) => [String(r.key), Number(r.timestamp)]),
      [1, 2, 3].map((i) => ['kraken:BTC-USD', 1_700_000_000_000 + i]),
    );
  } finally {
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sluice demo refuses bad usage with exit code 2 and says what to give', async () => {
  const cases: [string[], RegExp][] = [
    [['demo'], /needs an application: crypto or sentiment/],
    [['demo', 'weather'], /needs an application: crypto or sentiment, got 'weather'/],
    [['demo', 'sentiment', 'train'], /'sentiment' has no action 'train'/],
    [['demo', 'crypto', '--markets=-3'], /--markets must be an integer from 0 to 10000, got '-3'/],
    [['demo', 'crypto', '--poll', 'nowhere:BTC-USD'], /cannot poll: 'nowhere'/],
    [['demo', 'crypto', '--exchanges', 'kraken,mtgox'], /unknown exchange 'mtgox'/],
    [['demo', 'crypto', 'replay'], /replay needs --input FILE/],
    [['demo', 'sentiment', '--keywords', 'azure,,aws'], /--keywords must be a comma-separated list/],
    [['demo', 'sentiment', '--slack-events', 'nowhere'], /--slack-events must be HOST:PORT, got 'nowhere'/],
  ];
  for (const [argv, message] of cases) {
    const run = await runCli(argv);
    assert.equal(run.code, 2, `${argv.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message, argv.join(' '));
  }
  const saved = process.env.X_BEARER_TOKEN;
  delete process.env.X_BEARER_TOKEN;
  try {
    const run = await runCli(['demo', 'sentiment', '--x']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--x needs the environment variable X_BEARER_TOKEN/);
  } finally {
    if (saved !== undefined) process.env.X_BEARER_TOKEN = saved;
  }
});
