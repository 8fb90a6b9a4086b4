import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CollectSink } from '../connector/collect-sink.ts';
import { PushSource } from '../connector/push-source.ts';
import { Job } from '../dsl/job.ts';
import { EngineError } from '../engine-error.ts';
import { session, tumbling } from '../time/windows.ts';
import { checkOutputMode } from './output-mode-check.ts';

function job() {
  const j = new Job('modes');
  const s = j.source(new PushSource<null, number>('n', 1, 10));
  return { j, s };
}
const sink = () => new CollectSink<unknown, unknown>('out', 10);
const refused = (pattern: RegExp) => (e: unknown) =>
  e instanceof EngineError && e.code === 'invalid_job' && pattern.test(e.message);

test('complete mode on a stream without an aggregation is a planning error naming the sink', () => {
  const { j, s } = job();
  s.map((n) => n + 1).to(sink());
  assert.throws(
    () => checkOutputMode(j.graph, 'complete'),
    refused(/Complete output mode needs an aggregation before 'sink#2'/),
  );
  checkOutputMode(j.graph, 'update');
  checkOutputMode(j.graph, 'append');
});

test('append mode refuses a running aggregate and accepts a windowed one', () => {
  const { j, s } = job();
  s.keyBy((n) => n % 2)
    .count()
    .to(sink());
  assert.throws(
    () => checkOutputMode(j.graph, 'append'),
    refused(/Append output mode cannot write 'aggregate#2'/),
  );
  checkOutputMode(j.graph, 'complete');
  const w = job();
  w.s
    .keyBy((n) => n % 2)
    .window(tumbling(10))
    .count()
    .to(sink());
  checkOutputMode(w.j.graph, 'append');
});

test('session windows are refused in update and complete modes', () => {
  const { j, s } = job();
  s.keyBy((n) => n % 2)
    .window(session(10))
    .count()
    .to(sink());
  assert.throws(() => checkOutputMode(j.graph, 'update'), refused(/not supported for session windows/));
  checkOutputMode(j.graph, 'append');
});
