// Maps an operating error thrown by a noun to the Kafka error code a client understands. Anything
// not recognised is UNKNOWN_SERVER_ERROR: the client sees a failed request, the log has the cause.
import { ErrorCode } from '../protocol/error-codes.ts';
import { isProtocolError } from '../protocol/errors.ts';
import { isStorageError, type StorageErrorCode } from '../storage/errors.ts';

const byStorageCode: Readonly<Record<StorageErrorCode, number>> = {
  disk_full: ErrorCode.kafkaStorageError,
  read_only: ErrorCode.kafkaStorageError,
  io_error: ErrorCode.kafkaStorageError,
  corrupt_log: ErrorCode.kafkaStorageError,
  partition_offline: ErrorCode.kafkaStorageError,
  offset_out_of_range: ErrorCode.offsetOutOfRange,
  invalid_batch: ErrorCode.corruptMessage,
  batch_too_large: ErrorCode.messageTooLarge,
  invalid_config: ErrorCode.invalidConfig,
  unknown_topic: ErrorCode.unknownTopicOrPartition,
  topic_exists: ErrorCode.topicAlreadyExists,
  invalid_partitions: ErrorCode.invalidPartitions,
  // Retriable: the producer backs off and retries, which is the back-pressure we want.
  append_queue_full: ErrorCode.requestTimedOut,
  // The log is shutting down; NOT_LEADER makes clients refresh metadata and retry elsewhere/later.
  closed: ErrorCode.notLeaderOrFollower,
  out_of_order_sequence: ErrorCode.outOfOrderSequenceNumber,
  invalid_producer_epoch: ErrorCode.invalidProducerEpoch,
  unknown_producer_id: ErrorCode.unknownProducerId,
  invalid_txn_state: ErrorCode.invalidTxnState,
  // Retriable, like a full append queue: the producer backs off while old producers expire.
  producer_state_full: ErrorCode.requestTimedOut,
};

export function errorCodeFor(error: unknown): number {
  if (isStorageError(error)) return byStorageCode[error.code] ?? ErrorCode.unknownServerError;
  if (isProtocolError(error)) {
    if (error.code === 'corrupt_record_batch') return ErrorCode.corruptMessage;
    // Data a request's version cannot carry, such as zstd batches fetched by a legacy version.
    if (error.code === 'unsupported_compression') return ErrorCode.unsupportedCompressionType;
    return ErrorCode.invalidRequest;
  }
  return ErrorCode.unknownServerError;
}
