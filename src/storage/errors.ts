// Typed operating errors of the storage layer. Each names what failed and the value that made it
// fail (topic, partition, file, offset). A failed assertion is a bug and is thrown as a plain Error.
import { fsErrorCode } from './fs/fs-error.ts';

export type StorageErrorCode =
  | 'disk_full'
  | 'read_only'
  | 'io_error'
  | 'corrupt_log'
  | 'partition_offline'
  | 'offset_out_of_range'
  | 'invalid_batch'
  | 'batch_too_large'
  | 'invalid_config'
  | 'unknown_topic'
  | 'topic_exists'
  | 'invalid_partitions'
  | 'append_queue_full'
  | 'closed'
  // Producer state (idempotence and transactions, src/txn/producer-state.ts).
  | 'out_of_order_sequence'
  | 'invalid_producer_epoch'
  | 'unknown_producer_id'
  | 'invalid_txn_state'
  | 'producer_state_full';

export interface StorageErrorContext {
  topic?: string;
  partition?: number;
  file?: string;
  offset?: number;
  cause?: unknown;
}

export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;
  readonly topic: string | undefined;
  readonly partition: number | undefined;
  readonly file: string | undefined;
  readonly offset: number | undefined;

  constructor(code: StorageErrorCode, message: string, context: StorageErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.topic = context.topic;
    this.partition = context.partition;
    this.file = context.file;
    this.offset = context.offset;
  }
}

export function isStorageError(error: unknown): error is StorageError {
  return error instanceof StorageError;
}

/** Turns a filesystem failure into a typed storage error that names the action and the file. */
export function storageErrorFromFs(
  error: unknown,
  action: string,
  context: StorageErrorContext,
): StorageError {
  if (error instanceof StorageError) return error;
  const code = fsErrorCode(error);
  const kind: StorageErrorCode =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'disk_full'
      : code === 'EROFS' || code === 'EACCES' || code === 'EPERM'
        ? 'read_only'
        : 'io_error';
  const where = context.topic === undefined ? '' : ` of ${context.topic}-${context.partition}`;
  const reason = error instanceof Error ? error.message : String(error);
  return new StorageError(kind, `Cannot ${action}${where} (file ${context.file ?? '?'}): ${reason}`, {
    ...context,
    cause: error,
  });
}
