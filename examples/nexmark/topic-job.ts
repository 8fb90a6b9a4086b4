// A Nexmark query from a topic of events to a topic of results, exactly once, as a job module:
//   sluice nexmark generate --bootstrap 127.0.0.1:9092 --topic nexmark --events 100000
//   sluice run examples/nexmark/topic-job.ts --bootstrap 127.0.0.1:9092 \
//     --params '{"query":"q5","input":"nexmark","output":"nexmark-q5"}'
// With "bounded": true the job reads the events present at start and finishes (a batch job with
// the results the stream gives once the same events have been read).
import { topicSink } from '../../src/engine/connector/topic-sink.ts';
import { topicSource } from '../../src/engine/connector/topic-source.ts';
import type { Job } from '../../src/engine/dsl/job.ts';
import { json } from '../../src/engine/serde/serdes.ts';
import type { NexmarkEvent } from './model.ts';
import { nexmarkJob } from './queries.ts';

export interface NexmarkTopicJobParams {
  readonly query: string;
  readonly input: string;
  readonly output: string;
  readonly bounded?: boolean;
  /** Partitions of the output topic when the job creates it (default 1). */
  readonly outputPartitions?: number;
}

export function job(params: NexmarkTopicJobParams): Job {
  return nexmarkJob(
    params.query,
    topicSource<null, NexmarkEvent>(params.input, { serde: json(), bounded: params.bounded ?? false }),
    topicSink<unknown, unknown>(params.output, {
      serde: json(),
      createPartitions: params.outputPartitions ?? 1,
    }),
  );
}
