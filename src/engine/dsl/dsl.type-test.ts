// Type-level tests: `tsc --noEmit` checks this file. Each @ts-expect-error line must be a type
// error, so if the DSL stops rejecting a misuse, type checking fails. Nothing here runs.
import { CollectSink } from '../connector/collect-sink.ts';
import { PushSource } from '../connector/push-source.ts';
import { countAggregator } from '../operators/aggregator.ts';
import { OutputTag } from '../operators/output-tag.ts';
import { defineProcess, valueState } from '../operators/process-function.ts';
import { session, tumbling } from '../time/windows.ts';
import { Job } from './job.ts';
import type { KeyedStream, Stream } from './stream.ts';

interface Bid {
  kind: 'bid';
  auction: number;
  price: number;
}
interface Ask {
  kind: 'ask';
  auction: number;
}

export function typeTests(): void {
  const job = new Job('types');
  const events = job.source(new PushSource<null, Bid | Ask>('e', 1, 10));

  // A map's output type is inferred.
  const prices: Stream<null, number> = events.filter((e): e is Bid => e.kind === 'bid').map((b) => b.price);
  // @ts-expect-error a number has no toUpperCase
  prices.map((p) => p.toUpperCase());

  // A type guard (also one TypeScript infers) narrows the stream; a plain predicate does not.
  events.filter((e) => e.kind === 'bid').map((b) => b.price);
  // @ts-expect-error Ask has no price
  events.filter((e) => e.auction > 0).map((b) => b.price);

  // Windows and keyed state exist only on keyed streams.
  // @ts-expect-error window needs keyBy first
  prices.window(tumbling(1000));
  const keyed: KeyedStream<number, number> = prices.keyBy((p) => Math.floor(p));
  keyed.window(tumbling(1000)).count();

  // Session windows need an aggregator that can merge.
  keyed.window(session(10)).aggregate(countAggregator());
  // @ts-expect-error no merge() for a session window
  keyed.window(session(10)).aggregate({ init: () => 0, add: (a: number) => a + 1, result: (a: number) => a });

  // Window results carry the key and bounds.
  const ends: Stream<number, number> = keyed
    .window(tumbling(10))
    .count()
    .map((w) => w.windowEndMs + w.result);
  // A sink must accept the stream's values.
  ends.to(new CollectSink<number, number>('ok', 10));
  // @ts-expect-error a sink of strings cannot take numbers
  ends.to(new CollectSink<number, string>('bad', 10));

  // Joins need the same key type on both sides.
  const byName = prices.keyBy((p) => String(p));
  // @ts-expect-error number keys cannot join string keys
  keyed.intervalJoin(byName, { lowerMs: 0, upperMs: 10 }, (a, b) => a + b);

  // Process functions get typed state handles.
  const fn = defineProcess<number, number, string>()({
    state: { last: valueState<number>() },
    processRecord(value, _record, ctx) {
      ctx.state.last.set(value);
      // @ts-expect-error the state holds numbers
      ctx.state.last.set('x');
      ctx.emit(String(value));
      // @ts-expect-error the output type is string
      ctx.emit(value);
    },
  });
  const out: KeyedStream<number, string> = keyed.process(fn);
  // @ts-expect-error this process function expects number keys
  byName.process(fn);

  // Late data comes back with the type of the windowed values.
  const late = new OutputTag<number>('late');
  const result = keyed.window(tumbling(10)).lateDataTo(late).count();
  const lateValues: Stream<number, number> = result.sideOutput(late);
  // @ts-expect-error a tag of strings does not fit a window over numbers
  keyed.window(tumbling(10)).lateDataTo(new OutputTag<string>('s'));
  void out;
  void lateValues;
}
