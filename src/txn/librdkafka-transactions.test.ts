import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { interopPeers } from '../../interop/install/peers.ts';
import { type RunningBroker, startBroker } from '../broker/broker.ts';

const run = promisify(execFile);
const python = interopPeers().python;
const script = new URL('./testing/rdkafka_txn.py', import.meta.url).pathname;
const skip = existsSync(python)
  ? false
  : `confluent-kafka-python is not installed (${python}): run \`bash interop/install/python.sh\``;
const TOPIC = 'rd-ledger';

async function client(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(python, [script, ...args], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

describe('librdkafka transactions against Sluice', { skip }, () => {
  let broker: RunningBroker;
  before(async () => {
    broker = await startBroker();
    await broker.services.logs.createTopic(TOPIC, 2);
  });
  after(async () => {
    await broker?.close();
  });

  it('hides an aborted transaction from read_committed and shows it to read_uncommitted', async () => {
    assert.deepEqual(await client('abort-then-commit', broker.bootstrap, TOPIC), { ok: true });
    const committed = (await client('read_committed', broker.bootstrap, TOPIC, '2')).values as string[];
    assert.deepEqual(
      committed,
      Array.from({ length: 5 }, (_, i) => `committed-${i}`),
    );
    const all = (await client('read_uncommitted', broker.bootstrap, TOPIC, '2')).values as string[];
    assert.equal(all.length, 10);
    assert.equal(all.filter((v) => v.startsWith('aborted-')).length, 5);
  });

  it('fences the first producer when a second one initialises the same transactional id', async () => {
    const result = await client('fence', broker.bootstrap, TOPIC);
    assert.equal(result.fenced, true, `first producer's commit: ${String(result.error)}`);
    const committed = (await client('read_committed', broker.bootstrap, TOPIC, '2')).values as string[];
    assert.ok(committed.includes('successor'));
    assert.ok(!committed.includes('zombie'));
  });
});
