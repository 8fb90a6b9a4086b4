// A Nexmark query as a job module, so it runs on worker threads and with `sluice run`:
//   sluice run examples/nexmark/nexmark-job.ts --params '{"query":"q5","partitions":2,"events":1000000}'
// Results go to a sink that counts them (the metrics report how many).
import type { Sink, SinkWriter } from '../../src/engine/connector/sink.ts';
import type { Job } from '../../src/engine/dsl/job.ts';
import { NexmarkGeneratorSource } from './generator-source.ts';
import { nexmarkJob } from './queries.ts';

export interface NexmarkJobParams {
  readonly query: string;
  readonly partitions: number;
  readonly events: number;
  readonly seed?: number;
}

/** Discards results; the runtime's metrics count them (sink records in). */
export class DiscardSink implements Sink<unknown, unknown> {
  readonly name = 'discard';

  openWriter(): Promise<SinkWriter<unknown, unknown>> {
    return Promise.resolve({
      write: () => {},
      needsFlush: () => false,
      flush: () => Promise.resolve(),
      close: () => Promise.resolve(),
    });
  }
}

export function job(params: NexmarkJobParams): Job {
  const source = new NexmarkGeneratorSource({
    partitions: params.partitions,
    events: params.events,
    seed: params.seed ?? 1,
  });
  return nexmarkJob(params.query, source, new DiscardSink());
}
