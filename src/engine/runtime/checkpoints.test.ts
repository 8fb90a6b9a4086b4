// Aligned-barrier checkpoints in the in-thread runtime: restore after an abandoned run gives
// exactly the output of an uninterrupted run, through the two-phase-commit file sink.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { JsonlFileSource } from '../../connectors/file/jsonl-source.ts';
import {
  readCommittedJsonl,
  TransactionalJsonlSink,
} from '../../connectors/file/jsonl-transactional-sink.ts';
import type { CompletedCheckpoint } from '../checkpoint/checkpoint.ts';
import { LocalCheckpointStorage } from '../checkpoint/local-checkpoint-storage.ts';
import { Job } from '../dsl/job.ts';
import { EngineError } from '../engine-error.ts';
import { tumbling } from '../time/windows.ts';
import { LocalRuntime } from './local-runtime.ts';

interface Ev {
  user: string;
  at: number;
}

const dir = mkdtempSync(join(tmpdir(), 'sluice-checkpoints-'));
const input = join(dir, 'events.jsonl');
const events: Ev[] = Array.from({ length: 3000 }, (_, i) => ({ user: `u${(i * 7) % 13}`, at: i * 10 }));
writeFileSync(input, events.map((e) => JSON.stringify(e)).join('\n'));

/** Per user and 1 s window: count, and every record passed through with its window. */
function job(output: string): Job {
  const j = new Job('exactly-once');
  const evs = j.source(new JsonlFileSource<Ev>(input, { timestamp: (e) => e.at }));
  evs
    .keyBy((e) => e.user)
    .window(tumbling(1000))
    .count()
    .map((w) => ({ user: w.key, start: w.windowStartMs, n: w.result }))
    .to(new TransactionalJsonlSink(output));
  return j;
}

/** Local storage whose next save can fail, as a full disk would. */
class FaultyStorage extends LocalCheckpointStorage {
  failNextSave = false;

  override save(checkpoint: CompletedCheckpoint): Promise<number> {
    if (!this.failNextSave) return super.save(checkpoint);
    this.failNextSave = false;
    return Promise.reject(new Error('disk full'));
  }
}

test('a run restored from a checkpoint after a crash commits every result exactly once', async () => {
  const expectedDir = join(dir, 'expected');
  await new LocalRuntime(job(expectedDir), { batchRecordsMax: 100, parallelism: 2 }).run();
  const expected = (await readCommittedJsonl(expectedDir)).sort();
  assert.equal(expected.length, 13 * 30, 'one count per user and window');

  const output = join(dir, 'crashed');
  const storage = new FaultyStorage(join(dir, 'checkpoints'));
  const crashed = new LocalRuntime(job(output), {
    batchRecordsMax: 100,
    parallelism: 2,
    checkpointStorage: storage,
  });
  for (let i = 0; i < 5; i++) await crashed.pump();
  const first = await crashed.checkpoint();
  for (let i = 0; i < 5; i++) await crashed.pump();
  await crashed.checkpoint();
  for (let i = 0; i < 5; i++) await crashed.pump();
  // The crash: the third checkpoint is pre-committed by the sinks but never stored.
  storage.failNextSave = true;
  await assert.rejects(crashed.checkpoint(), /disk full/);
  assert.ok(
    readdirSync(output).some((n) => n.endsWith('.tmp')),
    'pre-committed output exists at the crash',
  );
  const committedAtCrash = await readCommittedJsonl(output);
  assert.ok(committedAtCrash.length > 0 && committedAtCrash.length < expected.length);

  const latest = await storage.latest();
  assert.equal(latest?.id, first.id + 1);
  await new LocalRuntime(job(output), {
    batchRecordsMax: 100,
    parallelism: 2,
    checkpointStorage: storage,
    restoreFrom: latest!,
  }).run();
  assert.deepEqual((await readCommittedJsonl(output)).sort(), expected);
  assert.deepEqual(
    readdirSync(output).filter((n) => n.endsWith('.tmp')),
    [],
    'aborted transactions were removed',
  );
});

test('a checkpoint of another plan is refused with both plans in the message', async () => {
  const storage = new LocalCheckpointStorage(join(dir, 'other-plan'));
  const runtime = new LocalRuntime(job(join(dir, 'o1')), { checkpointStorage: storage, parallelism: 2 });
  await runtime.pump();
  const checkpoint = await runtime.checkpoint();
  await assert.rejects(
    new LocalRuntime(job(join(dir, 'o2')), { parallelism: 3, restoreFrom: checkpoint }).run(),
    (e: unknown) => e instanceof EngineError && e.code === 'restore_failed' && /×3/.test(e.message),
  );
});

test('checkpoint storage falls back to the previous checkpoint when the newest is torn', async () => {
  const storage = new LocalCheckpointStorage(join(dir, 'torn'));
  const runtime = new LocalRuntime(job(join(dir, 't1')), { checkpointStorage: storage, parallelism: 1 });
  await runtime.pump();
  const a = await runtime.checkpoint();
  await runtime.pump();
  const b = await runtime.checkpoint();
  const names = readdirSync(join(dir, 'torn')).sort();
  assert.equal(names.length, 2);
  writeFileSync(join(dir, 'torn', names[1]!), 'garbage');
  assert.equal((await storage.latest())?.id, a.id);
  assert.equal(b.id, a.id + 1);
});
