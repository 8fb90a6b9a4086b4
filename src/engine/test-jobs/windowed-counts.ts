// A job module for the runtime's tests (worker threads import it): per user and 1 s window, the
// number of events, from a JSON-lines file to an exactly-once part-file directory.
import { JsonlFileSource } from '../../connectors/file/jsonl-source.ts';
import { TransactionalJsonlSink } from '../../connectors/file/jsonl-transactional-sink.ts';
import { Job } from '../dsl/job.ts';
import { tumbling } from '../time/windows.ts';

export interface WindowedCountsParams {
  readonly input: string;
  readonly output: string;
  /** A user whose events make the map throw (to test failures). */
  readonly failOnUser?: string;
}

export interface CountEvent {
  readonly user: string;
  readonly at: number;
}

export function job(params: WindowedCountsParams): Job {
  const j = new Job('windowed-counts');
  j.source(new JsonlFileSource<CountEvent>(params.input, { timestamp: (e) => e.at }))
    .map((e) => {
      if (e.user === params.failOnUser) throw new Error(`user ${e.user} is not allowed`);
      return e;
    })
    .keyBy((e) => e.user)
    .window(tumbling(1000))
    .count()
    .map((w) => ({ user: w.key, start: w.windowStartMs, n: w.result }))
    .to(new TransactionalJsonlSink(params.output));
  return j;
}

/** `count` events over 13 users, 100 per second of event time. */
export function countEvents(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(JSON.stringify({ user: `u${(i * 7) % 13}`, at: i * 10 }));
  return `${lines.join('\n')}\n`;
}
