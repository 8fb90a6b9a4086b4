// Messages between the coordinator and a worker-thread executor. Everything here is plain data
// (structured clone); the job itself is rebuilt in the worker from its module.
import type { EngineErrorCode } from '../engine-error.ts';
import type { ConsumedOffsets } from '../log/log.ts';
import type { OutputMode } from '../operators/operator.ts';
import type { ExecutorMetrics } from './executor-metrics.ts';
import type { ChannelEncoding } from './peer-link.ts';
import type { TaskSnapshot } from './task-snapshot.ts';

export interface WorkerInit {
  readonly executor: number;
  readonly executors: number;
  readonly moduleUrl: string;
  readonly exportName: string;
  readonly params: unknown;
  /** The plan the coordinator made; the worker refuses to run a different one. */
  readonly planDescription: string;
  readonly sourcePartitions: ReadonlyArray<readonly [number, number]>;
  readonly parallelism: number | null;
  readonly outputMode: OutputMode | null;
  readonly batchRecordsMax: number;
  readonly stateBytesMax: number;
  readonly encoding: ChannelEncoding;
  /** Bootstrap of the Kafka-protocol log the job runs against (the worker connects its own client), or null. */
  readonly logBootstrap: string | null;
}

export type ToWorker =
  | { readonly type: 'start'; readonly restore: readonly TaskSnapshot[] | null }
  | { readonly type: 'continuous' }
  | { readonly type: 'checkpoint'; readonly checkpointId: number }
  | { readonly type: 'batch'; readonly checkpointId: number; readonly recordsPerTaskMax: number }
  | {
      readonly type: 'commit';
      readonly checkpointId: number;
      readonly consumed: readonly ConsumedOffsets[];
      readonly seq: number;
    }
  | { readonly type: 'close'; readonly seq: number };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'started' }
  | { readonly type: 'ack'; readonly checkpointId: number; readonly snapshots: TaskSnapshot[] }
  | { readonly type: 'finished'; readonly snapshots: TaskSnapshot[] }
  | { readonly type: 'done'; readonly seq: number }
  | { readonly type: 'metrics'; readonly metrics: ExecutorMetrics }
  | {
      readonly type: 'failed';
      readonly code: EngineErrorCode;
      readonly message: string;
      readonly stack: string;
    };
