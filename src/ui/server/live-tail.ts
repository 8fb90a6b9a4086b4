// The live tail: an event stream of the records appended to one partition from the moment the
// stream opens. It parks on the broker's AppendNotifier (woken by each produce to the partition,
// like a long-polling Fetch), then reads what is new, at most tailRecordsPerEventMax records per
// event; the SSE client's buffer bound drops a tail the browser cannot keep up with.
import { setTimeout } from 'node:timers/promises';
import { partitionKey } from '../../broker/append-notifier.ts';
import type { BrokerServices } from '../../broker/services.ts';
import { httpLimits } from '../../limits.ts';
import type { PartitionLog } from '../../storage/partition-log.ts';
import { readRecords } from './browse-records.ts';
import type { SseClient } from './sse-hub.ts';

/** How long one park lasts before the loop looks again (it also re-checks the client is there). */
const PARK_MS = 10_000;
/** Pause before parking again after a wait that was not woken by an append. */
const FULL_RETRY_MS = 250;

export async function runLiveTail(
  services: BrokerServices,
  log: PartitionLog,
  client: SseClient,
): Promise<void> {
  let offset = log.logEndOffset;
  const key = [partitionKey(log.topic, log.partition)];
  client.send('position', { topic: log.topic, partition: log.partition, offset });
  // Bounded by the client's life: the loop ends when it disconnects or is dropped.
  while (!client.signal.aborted) {
    if (offset >= log.logEndOffset) {
      // No await between the check and the wait: an append cannot slip in unseen.
      const woken = await services.appends.wait(key, PARK_MS, client.signal);
      // The notifier answers false at once when its parking lot is full; do not spin on it.
      if (!woken) await setTimeout(FULL_RETRY_MS, undefined, { signal: client.signal }).catch(() => {});
      continue;
    }
    if (log.isOffline) break;
    const page = await readRecords(log, offset, httpLimits.tailRecordsPerEventMax, httpLimits.browseBytesMax);
    if (page.nextOffset <= offset) break;
    offset = page.nextOffset;
    if (page.records.length > 0 && !client.send('records', page)) break;
  }
  client.close();
}
