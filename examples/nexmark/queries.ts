// The Nexmark queries by name, and how to run one over a JSON-lines file.
import { JsonlFileSink } from '../../src/connectors/file/jsonl-sink.ts';
import { JsonlFileSource } from '../../src/connectors/file/jsonl-source.ts';
import type { Sink } from '../../src/engine/connector/sink.ts';
import type { Source } from '../../src/engine/connector/source.ts';
import { Job } from '../../src/engine/dsl/job.ts';
import type { Stream } from '../../src/engine/dsl/stream.ts';
import { LocalRuntime, type RuntimeOptions } from '../../src/engine/runtime/local-runtime.ts';
import { type NexmarkEvent, nexmarkOutOfOrdernessMs } from './model.ts';
import { q0 } from './queries/q0.ts';
import { q1 } from './queries/q1.ts';
import { q2 } from './queries/q2.ts';
import { q3 } from './queries/q3.ts';
import { q4 } from './queries/q4.ts';
import { q5 } from './queries/q5.ts';
import { q6 } from './queries/q6.ts';
import { q7 } from './queries/q7.ts';
import { q8 } from './queries/q8.ts';
import { q11 } from './queries/q11.ts';

type Query = (events: Stream<null, NexmarkEvent>) => Stream<unknown, unknown>;

export const queries: Readonly<Record<string, Query>> = { q0, q1, q2, q3, q4, q5, q6, q7, q8, q11 };

export function queryNames(): string[] {
  return Object.keys(queries);
}

/** The job of query `name` from `source` to `sink`; events carry event time in dateTime. */
export function nexmarkJob(
  name: string,
  source: Source<null, NexmarkEvent>,
  sink: Sink<unknown, unknown>,
): Job {
  const query = queries[name];
  if (query === undefined)
    throw new RangeError(`Unknown Nexmark query '${name}'; known: ${queryNames().join(', ')}`);
  const job = new Job(`nexmark-${name}`);
  const events = job.source(source, {
    timestamp: (e) => e.dateTime,
    watermark: { outOfOrdernessMs: nexmarkOutOfOrdernessMs, idleTimeoutMs: Number.POSITIVE_INFINITY },
  });
  query(events).to(sink);
  return job;
}

/** Runs query `name` from an events.jsonl file to a results.jsonl file; returns the metrics. */
export async function runNexmarkFile(
  name: string,
  inputPath: string,
  outputPath: string,
  options: RuntimeOptions = {},
): Promise<Record<string, number>> {
  const source = new JsonlFileSource<NexmarkEvent>(inputPath);
  const sink = new JsonlFileSink<unknown, unknown>(outputPath);
  const runtime = new LocalRuntime(nexmarkJob(name, source, sink), options);
  await runtime.run();
  return runtime.metrics();
}
