// Which sealed segments retention deletes: Kafka's three rules, each removing a prefix of the log.
// A segment goes when it lies wholly below the log start offset, when its newest timestamp is
// older than retention.ms, or while the log without it is still at least retention.bytes.
import type { LogConfig } from './log-config.ts';

export interface RetentionSegment {
  baseOffset: number;
  sizeBytes: number;
  maxTimestampMs: number;
}

export interface RetentionInput {
  /** Oldest first; the last is the active segment and is never deleted here. */
  segments: readonly RetentionSegment[];
  logStartOffset: number;
  config: Pick<LogConfig, 'retentionMs' | 'retentionBytes' | 'cleanupPolicy'>;
  nowMs: number;
}

export interface RetentionPlan {
  /** How many segments, from the oldest, to delete. */
  deleteCount: number;
  reason: 'log_start_offset' | 'retention_ms' | 'retention_bytes' | undefined;
  /** The active segment is expired by time: roll it so a later pass can delete it. */
  rollActive: boolean;
}

export function planRetention(input: RetentionInput): RetentionPlan {
  const { segments, logStartOffset, config, nowMs } = input;
  const sealed = segments.length - 1;
  let byStart = 0;
  while (byStart < sealed && segments[byStart + 1]!.baseOffset <= logStartOffset) byStart++;
  if (!config.cleanupPolicy.delete)
    return { deleteCount: byStart, reason: byStart > 0 ? 'log_start_offset' : undefined, rollActive: false };
  let byTime = 0;
  const expired = (s: RetentionSegment) =>
    config.retentionMs >= 0 && nowMs - s.maxTimestampMs > config.retentionMs;
  while (byTime < sealed && expired(segments[byTime]!)) byTime++;
  let bySize = 0;
  if (config.retentionBytes >= 0) {
    let total = segments.reduce((sum, s) => sum + s.sizeBytes, 0);
    while (bySize < sealed && total - segments[bySize]!.sizeBytes >= config.retentionBytes) {
      total -= segments[bySize]!.sizeBytes;
      bySize++;
    }
  }
  const active = segments[sealed];
  const rollActive = active !== undefined && active.sizeBytes > 0 && byTime === sealed && expired(active);
  const deleteCount = Math.max(byStart, byTime, bySize);
  const reason =
    deleteCount === 0
      ? undefined
      : deleteCount === byStart
        ? 'log_start_offset'
        : deleteCount === byTime
          ? 'retention_ms'
          : 'retention_bytes';
  return { deleteCount, reason, rollActive };
}
