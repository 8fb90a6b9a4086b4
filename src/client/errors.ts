// Errors of the client. A broker's error code becomes a KafkaError naming the action, the code's
// name and whether a retry may succeed; transport failures are ConnectionError (always
// retriable: the request may be sent again on a new connection).
import { ErrorCode, errorName } from '../protocol/error-codes.ts';

/** Codes after which the same request may succeed later (Java's RetriableException family). */
const retriableCodes: ReadonlySet<number> = new Set([
  ErrorCode.corruptMessage,
  ErrorCode.unknownTopicOrPartition,
  ErrorCode.leaderNotAvailable,
  ErrorCode.notLeaderOrFollower,
  ErrorCode.requestTimedOut,
  ErrorCode.networkException,
  ErrorCode.coordinatorLoadInProgress,
  ErrorCode.coordinatorNotAvailable,
  ErrorCode.notCoordinator,
  ErrorCode.notEnoughReplicas,
  ErrorCode.notEnoughReplicasAfterAppend,
  ErrorCode.concurrentTransactions,
  ErrorCode.kafkaStorageError,
  ErrorCode.fetchSessionIdNotFound,
  ErrorCode.invalidFetchSessionEpoch,
  ErrorCode.listenerNotFound,
  ErrorCode.fencedLeaderEpoch,
  ErrorCode.unknownLeaderEpoch,
  ErrorCode.offsetNotAvailable,
  ErrorCode.preferredLeaderNotAvailable,
  ErrorCode.unstableOffsetCommit,
  ErrorCode.throttlingQuotaExceeded,
  ErrorCode.unknownTopicId,
  ErrorCode.inconsistentTopicId,
]);

/** Codes that mean our idea of who leads a partition is stale: refresh metadata before retrying. */
const staleMetadataCodes: ReadonlySet<number> = new Set([
  ErrorCode.unknownTopicOrPartition,
  ErrorCode.leaderNotAvailable,
  ErrorCode.notLeaderOrFollower,
  ErrorCode.listenerNotFound,
  ErrorCode.fencedLeaderEpoch,
  ErrorCode.unknownLeaderEpoch,
  ErrorCode.unknownTopicId,
  ErrorCode.inconsistentTopicId,
  ErrorCode.kafkaStorageError,
]);

/** Codes that mean the coordinator moved or is not up: look it up again before retrying. */
const staleCoordinatorCodes: ReadonlySet<number> = new Set([
  ErrorCode.coordinatorNotAvailable,
  ErrorCode.notCoordinator,
]);

export function isRetriableCode(code: number): boolean {
  return retriableCodes.has(code);
}

export function needsMetadataRefresh(code: number): boolean {
  return staleMetadataCodes.has(code);
}

export function needsCoordinatorLookup(code: number): boolean {
  return staleCoordinatorCodes.has(code);
}

/** A broker answered with an error code. */
export class KafkaError extends Error {
  override readonly name = 'KafkaError';
  readonly code: number;
  readonly retriable: boolean;

  /** `action` reads as "Cannot <action>", e.g. "produce to 'orders'-3". */
  constructor(action: string, code: number, detail?: string | null) {
    super(`Cannot ${action}: ${errorName(code)}${detail ? ` (${detail})` : ''}`);
    this.code = code;
    this.retriable = retriableCodes.has(code);
  }
}

/** The connection failed or closed before a response arrived; the request may be retried. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  readonly retriable = true;
}

/** No response arrived within the request timeout; the connection it used has been closed. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  readonly retriable = true;
}

/** A misuse of the client's API (bad argument, wrong state); never retriable. */
export class ClientStateError extends Error {
  override readonly name = 'ClientStateError';
  readonly retriable = false;
}

/** Throws a KafkaError when `code` is not NONE. */
export function throwIfError(action: string, code: number, detail?: string | null): void {
  if (code !== ErrorCode.none) throw new KafkaError(action, code, detail);
}

export function isRetriable(error: unknown): boolean {
  return (
    (error instanceof KafkaError ||
      error instanceof ConnectionError ||
      error instanceof RequestTimeoutError) &&
    error.retriable
  );
}
