// A job module for the exactly-once tests over a log (worker threads import it): per user and
// 1 s event-time window, the number of events, from an input topic to an output topic.
import { topicSink } from '../connector/topic-sink.ts';
import { topicSource } from '../connector/topic-source.ts';
import { Job } from '../dsl/job.ts';
import { json } from '../serde/serdes.ts';
import { tumbling } from '../time/windows.ts';

export interface TopicWindowedCountsParams {
  readonly input: string;
  readonly output: string;
  /** The consumer group progress is committed to (default: the job's name). */
  readonly groupId?: string;
  /** Read each input partition to its end offset at start, then finish. */
  readonly bounded?: boolean;
  /** The map throws at this input offset of partition 0 (a task crash in the middle of an epoch). */
  readonly failAtOffset?: number;
}

export interface CountEvent {
  readonly user: string;
  readonly at: number;
}

export interface WindowCount {
  readonly user: string;
  readonly start: number;
  readonly n: number;
}

export function job(params: TopicWindowedCountsParams): Job {
  const j = new Job('topic-windowed-counts');
  j.source(
    topicSource<string, CountEvent>(params.input, {
      serde: json(),
      bounded: params.bounded ?? false,
      ...(params.groupId === undefined ? {} : { groupId: params.groupId }),
    }),
    {
      timestamp: (e) => e.at,
    },
  )
    .map((e, r) => {
      if (r.partition === 0 && r.offset === params.failAtOffset)
        throw new Error(`failing at offset ${r.offset} as asked`);
      return e;
    })
    .keyBy((e) => e.user)
    .window(tumbling(1000))
    .count()
    .map((w): WindowCount => ({ user: w.key, start: w.windowStartMs, n: w.result }))
    .to(topicSink<string, WindowCount>(params.output, { serde: json() }));
  return j;
}

/** `count` events over 13 users, 100 per second of event time, keyed by user. */
export function countEvents(count: number): Array<{ key: string; value: CountEvent; at: number }> {
  return Array.from({ length: count }, (_, i) => {
    const value = { user: `u${(i * 7) % 13}`, at: i * 10 };
    return { key: value.user, value, at: value.at };
  });
}
