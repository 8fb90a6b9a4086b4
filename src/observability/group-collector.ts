// Consumer-group lag gauges, computed on each scrape from the coordinator's committed offsets and
// storage's end offsets (see group-lag.ts).
import { Gauge } from 'prom-client';
import type { BrokerServices } from '../broker/services.ts';
import { groupLags } from './group-lag.ts';
import type { SluiceMetrics } from './sluice-metrics.ts';

export function registerGroupCollector(metrics: SluiceMetrics, services: () => BrokerServices | null): void {
  const registers = [metrics.registry];
  // Registered first: prom-client reads metrics in registration order, and this one's collect()
  // fills the other.
  new Gauge({
    name: 'sluice_group_lag',
    help: 'Records between a group committed offsets and the partition ends, summed over partitions',
    labelNames: ['group'],
    registers,
    collect() {
      this.reset();
      partitionLag.reset();
      const current = services();
      if (current === null) return;
      for (const group of groupLags(current)) {
        this.set({ group: group.groupId }, group.totalLag);
        for (const p of group.partitions) {
          partitionLag.set({ group: group.groupId, topic: p.topic, partition: String(p.partition) }, p.lag);
        }
      }
    },
  });
  const partitionLag = new Gauge({
    name: 'sluice_group_partition_lag',
    help: 'Records between a group committed offset and the partition end',
    labelNames: ['group', 'topic', 'partition'],
    registers,
  });
}
