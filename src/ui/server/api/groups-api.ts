// Consumer groups: the list with state and total lag, one group's members with their assigned
// partitions and lag per partition, and resetting a group's committed offsets (to the earliest or
// latest offset, a given offset, or the first offset at a timestamp). A reset goes through the
// coordinator as an admin OffsetCommit, which Kafka allows only while the group has no members.
import { decodeAssignment } from '../../../client/consumer-protocol.ts';
import type { GroupCoordinator } from '../../../coordinator/group-coordinator.ts';
import { groupCoordinatorOf, groupLags, lagOf } from '../../../observability/group-lag.ts';
import { ErrorCode, errorName } from '../../../protocol/error-codes.ts';
import { HttpError } from '../http-error.ts';
import { readJsonBody } from '../request-body.ts';
import type { ApiContext, ApiRequest } from './api-context.ts';
import { requirePartition } from './messages-api.ts';

/** OffsetCommit version the reset is made as (v8: before KIP-848 member epochs). */
const ADMIN_COMMIT_VERSION = 8;

function coordinator(ctx: ApiContext): GroupCoordinator {
  const found = groupCoordinatorOf(ctx.services);
  if (found === undefined) throw new HttpError(503, 'This broker runs no group coordinator');
  return found;
}

export function listGroups(ctx: ApiContext): unknown {
  if (groupCoordinatorOf(ctx.services) === undefined) return { coordinator: false, groups: [] };
  const groups = groupLags(ctx.services).map((g) => ({
    groupId: g.groupId,
    state: g.state,
    type: g.type,
    totalLag: g.totalLag,
    partitions: g.partitions.length,
  }));
  return { coordinator: true, groups };
}

function membersOf(groups: GroupCoordinator, groupId: string) {
  const described = groups.describeGroups([groupId])[0];
  if (described === undefined || described.groupState === 'Dead') return null;
  return {
    state: described.groupState,
    protocolType: described.protocolType,
    protocol: described.protocolData,
    members: described.members.map((m) => {
      let assignment: { topic: string; partitions: number[] }[] = [];
      try {
        assignment = decodeAssignment(m.memberAssignment).map((a) => ({
          topic: a.topic,
          partitions: [...a.partitions],
        }));
      } catch {
        // Not the consumer protocol (e.g. a Connect worker group): no partitions to show.
      }
      return {
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        assignment,
      };
    }),
  };
}

export function describeGroup(ctx: ApiContext, request: ApiRequest): unknown {
  const groupId = request.params[0] ?? '';
  const groups = coordinator(ctx);
  const members = membersOf(groups, groupId);
  if (members === null) throw new HttpError(404, `Unknown group '${groupId}'`);
  return { groupId, ...members, ...lagOf(ctx.services, groups, groupId) };
}

type ResetTarget = 'earliest' | 'latest' | 'offset' | 'timestamp';

/** Body: { topic, partitions?: number[] (default all), to: earliest|latest|offset|timestamp, value? }. */
export async function resetGroupOffsets(ctx: ApiContext, request: ApiRequest): Promise<unknown> {
  const groupId = request.params[0] ?? '';
  const groups = coordinator(ctx);
  const body = (await readJsonBody(request.req)) as {
    topic?: unknown;
    partitions?: unknown;
    to?: unknown;
    value?: unknown;
  };
  const topic = typeof body.topic === 'string' ? body.topic : '';
  const meta = ctx.services.logs.describeTopic(topic);
  if (meta === undefined)
    throw new HttpError(404, `Cannot reset offsets of '${groupId}': unknown topic '${topic}'`);
  const to = body.to as ResetTarget;
  if (!['earliest', 'latest', 'offset', 'timestamp'].includes(to))
    throw new HttpError(
      400,
      `Cannot reset offsets of '${groupId}': 'to' must be earliest, latest, offset or timestamp, got ${JSON.stringify(body.to)}`,
    );
  const value = Number(body.value);
  if ((to === 'offset' || to === 'timestamp') && !(Number.isSafeInteger(value) && value >= 0))
    throw new HttpError(
      400,
      `Cannot reset offsets of '${groupId}' to ${to}: value must be an integer >= 0, got ${JSON.stringify(body.value)}`,
    );
  const partitions = Array.isArray(body.partitions)
    ? body.partitions.map((p) => Number(p))
    : Array.from({ length: meta.partitions }, (_, p) => p);
  const members = membersOf(groups, groupId);
  if (members !== null && members.members.length > 0) {
    throw new HttpError(
      409,
      `Cannot reset offsets of group '${groupId}': it has ${members.members.length} active member(s); stop them first`,
    );
  }
  const targets: {
    partitionIndex: number;
    committedOffset: bigint;
    committedLeaderEpoch: number;
    committedMetadata: string;
  }[] = [];
  for (const partition of partitions) {
    const log = requirePartition(ctx, topic, String(partition));
    let offset: number;
    if (to === 'earliest') offset = log.logStartOffset;
    else if (to === 'latest') offset = log.logEndOffset;
    else if (to === 'offset') offset = Math.min(Math.max(value, log.logStartOffset), log.logEndOffset);
    else offset = (await log.offsetForTimestamp(value))?.offset ?? log.logEndOffset;
    targets.push({
      partitionIndex: partition,
      committedOffset: BigInt(offset),
      committedLeaderEpoch: -1,
      committedMetadata: '',
    });
  }
  const results = await groups.commitOffsets({
    groupId,
    generationIdOrMemberEpoch: -1,
    memberId: '',
    groupInstanceId: null,
    retentionTimeMs: -1,
    apiVersion: ADMIN_COMMIT_VERSION,
    topics: [{ name: topic, partitions: targets }],
  });
  const failed = results.flatMap((r) => r.partitions).filter((p) => p.errorCode !== ErrorCode.none);
  if (failed.length > 0) {
    const detail = failed.map((p) => `partition ${p.partitionIndex}: ${errorName(p.errorCode)}`).join(', ');
    throw new HttpError(409, `Cannot reset offsets of group '${groupId}' on '${topic}': ${detail}`);
  }
  return {
    groupId,
    topic,
    offsets: targets.map((t) => ({ partition: t.partitionIndex, offset: Number(t.committedOffset) })),
  };
}
