// A broker with the dashboard on a free loopback port, the group coordinator, a test job, and
// data the pages can show: topic 'orders' (2 partitions) holding JSON, text and binary values at
// known timestamps, and group 'billing' with committed offsets behind the end (so it lags). Used
// by the API tests and the browser tests.

import { type RunningBroker, startBroker } from '../../broker/broker.ts';
import { Admin, Producer } from '../../client/index.ts';
import { groupCoordinatorNoun } from '../../coordinator/coordinator-noun.ts';
import { JobRegistry } from '../../observability/job-registry.ts';
import { pushedCountsJob } from './pushed-counts-job.ts';

export const ORDERS = 'orders';
/** Records per partition of 'orders': 8 JSON, then one text and one binary value. */
export const ORDERS_PER_PARTITION = 10;
/** CreateTime of record i of each partition: BASE_TIMESTAMP_MS + i seconds. */
export const BASE_TIMESTAMP_MS = 1_700_000_000_000;
export const BILLING_GROUP = 'billing';
/** billing's committed offset on each partition of 'orders'. */
export const BILLING_COMMITTED = 4;

export interface DashboardFixture {
  readonly broker: RunningBroker;
  readonly url: string;
  readonly admin: Admin;
  readonly producer: Producer;
  close(): Promise<void>;
}

export function orderValue(partition: number, i: number): Buffer | string {
  if (i === ORDERS_PER_PARTITION - 1) return Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff]);
  if (i === ORDERS_PER_PARTITION - 2) return `plain text note ${partition}-${i}`;
  return JSON.stringify({ order: partition * 100 + i, item: `widget-${i}`, qty: i + 1 });
}

export async function startDashboardFixture(): Promise<DashboardFixture> {
  const jobs = new JobRegistry();
  jobs.define(pushedCountsJob());
  const broker = await startBroker({
    http: '127.0.0.1:0',
    nouns: [groupCoordinatorNoun],
    jobs,
    config: { 'group.initial.rebalance.delay.ms': '0' },
  });
  const admin = new Admin({ bootstrap: broker.bootstrap });
  const producer = new Producer({ bootstrap: broker.bootstrap, lingerMs: 0 });
  try {
    await admin.createTopics([{ topic: ORDERS, partitions: 2 }]);
    for (let partition = 0; partition < 2; partition++) {
      for (let i = 0; i < ORDERS_PER_PARTITION; i++) {
        await producer.send({
          topic: ORDERS,
          partition,
          key: `order-${partition}-${i}`,
          value: orderValue(partition, i),
          headers: { source: 'fixture' },
          timestamp: BASE_TIMESTAMP_MS + i * 1000,
        });
      }
    }
    await admin.alterConsumerGroupOffsets(BILLING_GROUP, [
      { topic: ORDERS, partition: 0, offset: BigInt(BILLING_COMMITTED) },
      { topic: ORDERS, partition: 1, offset: BigInt(BILLING_COMMITTED) },
    ]);
  } catch (error) {
    await producer.close();
    admin.close();
    await broker.close();
    throw error;
  }
  const http = broker.http;
  if (http === null) throw new Error('The fixture broker started without its HTTP server');
  return {
    broker,
    url: http.url,
    admin,
    producer,
    async close() {
      await producer.close();
      admin.close();
      await broker.close();
    },
  };
}
