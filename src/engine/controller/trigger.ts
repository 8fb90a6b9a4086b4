// When a job reads and commits, with Spark's trigger semantics:
//   { continuous: '1 second' }     records flow one by one; a checkpoint (state, offsets, sink
//                                  commit) every interval. The default, at 1 second.
//   { processingTime: '1 second' } a micro-batch every interval: sources read what is
//                                  available, a barrier closes the batch, the batch commits;
//                                  a batch that overruns starts the next one at once.
//   { once: true }                 one micro-batch of everything available, then stop.
//   { availableNow: true }         everything available, in micro-batches of at most
//                                  recordsPerBatch records per source partition, then stop.
import { engineLimits } from '../../limits.ts';
import { EngineError } from '../engine-error.ts';

export type TriggerSpec =
  | { readonly continuous: string | number }
  | { readonly processingTime: string | number }
  | { readonly once: true }
  | { readonly availableNow: true; readonly recordsPerBatch?: number };

export type Trigger =
  | { readonly kind: 'continuous'; readonly checkpointIntervalMs: number }
  | { readonly kind: 'processingTime'; readonly intervalMs: number }
  | { readonly kind: 'once' }
  | { readonly kind: 'availableNow'; readonly recordsPerTaskMax: number };

const units: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  minute: 60_000,
  minutes: 60_000,
};

/** '1 second', '250 ms', '2 minutes' or a number of milliseconds. */
export function parseDurationMs(text: string | number, what: string): number {
  let ms: number;
  if (typeof text === 'number') ms = text;
  else {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
    const unit = match === null ? undefined : units[match[2]!.toLowerCase()];
    if (match === null || unit === undefined) {
      throw new EngineError(
        'invalid_job',
        `Cannot read ${what} '${text}': expected a number and a unit (ms, seconds, minutes), e.g. '1 second'`,
      );
    }
    ms = Number(match[1]) * unit;
  }
  if (!(Number.isFinite(ms) && ms >= engineLimits.triggerIntervalMsMin)) {
    throw new EngineError(
      'invalid_job',
      `${what} must be at least ${engineLimits.triggerIntervalMsMin} ms, got ${text}`,
    );
  }
  return ms;
}

export function parseTrigger(spec: TriggerSpec | undefined): Trigger {
  if (spec === undefined) return { kind: 'continuous', checkpointIntervalMs: 1000 };
  if ('continuous' in spec)
    return {
      kind: 'continuous',
      checkpointIntervalMs: parseDurationMs(spec.continuous, 'checkpointInterval'),
    };
  if ('processingTime' in spec)
    return { kind: 'processingTime', intervalMs: parseDurationMs(spec.processingTime, 'processingTime') };
  if ('once' in spec) return { kind: 'once' };
  const records = spec.recordsPerBatch ?? Number.POSITIVE_INFINITY;
  if (!(records >= 1))
    throw new EngineError('invalid_job', `availableNow recordsPerBatch must be >= 1, got ${records}`);
  return { kind: 'availableNow', recordsPerTaskMax: records };
}

/** `--trigger` of the CLI: 'continuous:1s', 'processing-time:1 second', 'once', 'available-now'. */
export function parseTriggerArgument(text: string): TriggerSpec {
  const [kind, value] = text.split(/:(.*)/s) as [string, string | undefined];
  switch (kind) {
    case 'continuous':
      return { continuous: value ?? '1 second' };
    case 'processing-time':
      if (value === undefined) break;
      return { processingTime: value };
    case 'once':
      return { once: true };
    case 'available-now':
      return value === undefined
        ? { availableNow: true }
        : { availableNow: true, recordsPerBatch: Number(value) };
  }
  throw new EngineError(
    'invalid_job',
    `Unknown trigger '${text}': use continuous[:INTERVAL], processing-time:INTERVAL, once or available-now[:RECORDS]`,
  );
}
