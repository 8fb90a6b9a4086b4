// Per-partition gauges read from storage on each scrape: size on disk and the log's start, end
// and flushed offsets. Gauges are cleared first, so a deleted topic's series disappear.
import { Gauge } from 'prom-client';
import type { LogManager } from '../storage/log-manager.ts';
import type { SluiceMetrics } from './sluice-metrics.ts';

type PartitionLabels = 'topic' | 'partition';

export function registerStorageCollector(metrics: SluiceMetrics, logs: () => LogManager | null): void {
  const registers = [metrics.registry];
  const labelNames: PartitionLabels[] = ['topic', 'partition'];
  // Registered first: prom-client reads metrics in registration order, and this one's collect()
  // fills the others.
  new Gauge({
    name: 'sluice_partition_size_bytes',
    help: 'Bytes of a partition log on disk (segments, without indexes)',
    labelNames,
    registers,
    collect() {
      this.reset();
      start.reset();
      end.reset();
      const manager = logs();
      let offlineCount = 0;
      for (const log of manager?.partitions() ?? []) {
        if (log.isOffline) {
          offlineCount++;
          continue;
        }
        const labels = { topic: log.topic, partition: String(log.partition) };
        this.set(labels, log.sizeBytes);
        start.set(labels, log.logStartOffset);
        end.set(labels, log.logEndOffset);
      }
      offline.set(offlineCount);
    },
  });
  const start = new Gauge({
    name: 'sluice_partition_log_start_offset',
    help: 'First offset a partition still holds',
    labelNames,
    registers,
  });
  const end = new Gauge({
    name: 'sluice_partition_log_end_offset',
    help: 'Offset the next appended record of a partition gets',
    labelNames,
    registers,
  });
  const offline = new Gauge({
    name: 'sluice_partitions_offline',
    help: 'Partitions taken offline by an I/O error or corruption',
    registers,
  });
}
