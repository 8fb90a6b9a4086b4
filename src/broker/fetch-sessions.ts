// Fetch sessions (KIP-227): a consumer that fetches the same partitions over and over sends the
// full list once, then only what changed, and the broker answers only partitions with something
// new. The cache owns every session; it holds at most fetchSessionsMax (least recently used
// evicted) with at most fetchSessionPartitionsMax partitions each. A request the cache cannot
// hold a session for is answered sessionless (session id 0), which every client accepts.
import { brokerLimits } from '../limits.ts';
import { ErrorCode } from '../protocol/error-codes.ts';

/** Fetch versions before 7 have no sessions. */
export const FETCH_SESSION_VERSION_MIN = 7;
const INITIAL_EPOCH = 0;
const FINAL_EPOCH = -1;

/** One partition a fetch reads, with what the client was last told about it. */
export interface FetchPartitionState {
  topic: string;
  topicId: string;
  partition: number;
  fetchOffset: bigint;
  partitionMaxBytes: number;
  sentHighWatermark: bigint;
  sentLogStartOffset: bigint;
  sentLastStableOffset: bigint;
}

/** What the client sent for one partition (names resolved from ids by the caller). */
export interface FetchPartitionRequest {
  topic: string;
  topicId: string;
  partition: number;
  fetchOffset: bigint;
  partitionMaxBytes: number;
}

export interface FetchSessionRequest {
  sessionId: number;
  sessionEpoch: number;
  partitions: FetchPartitionRequest[];
  /** Partitions to drop from an incremental session, as `sessionKey()`s. */
  forgotten: string[];
}

export type ResolvedFetch =
  | { ok: true; sessionId: number; incremental: boolean; partitions: FetchPartitionState[] }
  | { ok: false; errorCode: number };

export function sessionKey(topicOrId: string, partition: number): string {
  return `${topicOrId}\u0000${partition}`;
}

function keyOf(p: { topic: string; topicId: string; partition: number }, byId: boolean): string {
  return sessionKey(byId ? p.topicId : p.topic, p.partition);
}

function fresh(p: FetchPartitionRequest): FetchPartitionState {
  return { ...p, sentHighWatermark: -1n, sentLogStartOffset: -1n, sentLastStableOffset: -1n };
}

class FetchSession {
  readonly id: number;
  /** The epoch the next incremental request must carry. */
  epoch = 1;
  readonly byId: boolean;
  readonly partitions = new Map<string, FetchPartitionState>();

  constructor(id: number, byId: boolean) {
    this.id = id;
    this.byId = byId;
  }
}

export class FetchSessionCache {
  /** Insertion order is recency order: a used session is deleted and re-inserted. */
  #sessions = new Map<number, FetchSession>();
  #nextId = 1;
  #sessionsMax: number;
  #partitionsMax: number;

  constructor(
    sessionsMax: number = brokerLimits.fetchSessionsMax,
    partitionsMax: number = brokerLimits.fetchSessionPartitionsMax,
  ) {
    this.#sessionsMax = sessionsMax;
    this.#partitionsMax = partitionsMax;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Applies a request to the cache. `byId` is true for Fetch v13+ (partitions keyed by topic id).
   * Sessionless and full requests read exactly the partitions sent; incremental ones read the
   * whole session after applying the changes.
   */
  resolve(version: number, request: FetchSessionRequest, byId: boolean): ResolvedFetch {
    const { sessionId, sessionEpoch } = request;
    const sessionless = (): ResolvedFetch => ({
      ok: true,
      sessionId: 0,
      incremental: false,
      partitions: request.partitions.map(fresh),
    });
    if (version < FETCH_SESSION_VERSION_MIN) return sessionless();
    if (sessionEpoch === FINAL_EPOCH) {
      if (sessionId !== 0) this.#sessions.delete(sessionId);
      return sessionless();
    }
    if (sessionEpoch === INITIAL_EPOCH) {
      if (sessionId !== 0) this.#sessions.delete(sessionId);
      return this.#create(request, byId) ?? sessionless();
    }
    const session = this.#sessions.get(sessionId);
    if (session === undefined) return { ok: false, errorCode: ErrorCode.fetchSessionIdNotFound };
    if (session.epoch !== sessionEpoch || session.byId !== byId) {
      return { ok: false, errorCode: ErrorCode.invalidFetchSessionEpoch };
    }
    for (const key of request.forgotten) session.partitions.delete(key);
    for (const p of request.partitions) {
      const key = keyOf(p, byId);
      const existing = session.partitions.get(key);
      if (existing === undefined) session.partitions.set(key, fresh(p));
      else {
        existing.fetchOffset = p.fetchOffset;
        existing.partitionMaxBytes = p.partitionMaxBytes;
        existing.topic = p.topic;
      }
    }
    if (session.partitions.size > this.#partitionsMax) {
      // The client falls back to a full fetch, which then runs sessionless.
      this.#sessions.delete(sessionId);
      return { ok: false, errorCode: ErrorCode.fetchSessionIdNotFound };
    }
    session.epoch = session.epoch === 0x7fffffff ? 1 : session.epoch + 1;
    this.#touch(session);
    return { ok: true, sessionId, incremental: true, partitions: [...session.partitions.values()] };
  }

  #create(request: FetchSessionRequest, byId: boolean): ResolvedFetch | null {
    if (request.partitions.length > this.#partitionsMax || this.#sessionsMax === 0) return null;
    if (this.#sessions.size >= this.#sessionsMax) {
      const oldest = this.#sessions.keys().next();
      if (!oldest.done) this.#sessions.delete(oldest.value);
    }
    const session = new FetchSession(this.#allocateId(), byId);
    for (const p of request.partitions) session.partitions.set(keyOf(p, byId), fresh(p));
    this.#sessions.set(session.id, session);
    return {
      ok: true,
      sessionId: session.id,
      incremental: false,
      partitions: [...session.partitions.values()],
    };
  }

  #allocateId(): number {
    // Bounded by sessionsMax + 1 probes: at most sessionsMax ids are taken.
    for (;;) {
      const id = this.#nextId;
      this.#nextId = id === 0x7fffffff ? 1 : id + 1;
      if (!this.#sessions.has(id)) return id;
    }
  }

  #touch(session: FetchSession): void {
    this.#sessions.delete(session.id);
    this.#sessions.set(session.id, session);
  }
}

/**
 * Whether an incremental response must carry this partition (KIP-227: new records, an error, or
 * a changed high watermark, last stable offset or log start offset); records what was sent.
 */
export function mustSend(
  state: FetchPartitionState,
  result: {
    errorCode: number;
    hasRecords: boolean;
    highWatermark: bigint;
    lastStableOffset: bigint;
    logStartOffset: bigint;
  },
): boolean {
  const changed =
    result.errorCode !== ErrorCode.none ||
    result.hasRecords ||
    result.highWatermark !== state.sentHighWatermark ||
    result.lastStableOffset !== state.sentLastStableOffset ||
    result.logStartOffset !== state.sentLogStartOffset;
  state.sentHighWatermark = result.highWatermark;
  state.sentLastStableOffset = result.lastStableOffset;
  state.sentLogStartOffset = result.logStartOffset;
  return changed;
}
