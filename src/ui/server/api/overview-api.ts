// The overview page: this node, counts (topics, partitions, bytes on disk, groups, running jobs),
// readiness, connections and the sampler's recent throughput history.
import { groupCoordinatorOf } from '../../../observability/group-lag.ts';
import type { ApiContext } from './api-context.ts';

export function overview(ctx: ApiContext): unknown {
  const { services, observability, sampler } = ctx;
  const topics = services.logs.listTopics();
  const partitions = services.logs.partitions();
  const jobs = observability.jobs.list();
  const groups = groupCoordinatorOf(services);
  return {
    nodeId: services.node.nodeId,
    clusterId: services.node.clusterId,
    listener: `${services.node.host}:${services.node.port}`,
    dataDir: services.logs.dataDir,
    startedAtMs: ctx.startedAtMs,
    topics: topics.filter((t) => !t.name.startsWith('__')).length,
    internalTopics: topics.filter((t) => t.name.startsWith('__')).length,
    partitions: partitions.length,
    offlinePartitions: partitions.filter((p) => p.isOffline).length,
    diskBytes: partitions.reduce((n, p) => n + (p.isOffline ? 0 : p.sizeBytes), 0),
    groups: groups === undefined ? null : groups.listGroups([], []).length,
    jobs: jobs.length,
    runningJobs: jobs.filter((j) => j.state === 'running').length,
    connections: observability.connectionCount,
    health: observability.readiness.report(),
    samples: sampler.history,
  };
}
