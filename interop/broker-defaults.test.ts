// What a client meets when it talks to a broker started the documented way: startBroker() from
// the package's entry point with no options. Consumer groups are part of that promise.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WireClient } from '../src/broker/testing/wire-client.ts';
import { type RunningBroker, startBroker } from '../src/index.ts';
import type { FindCoordinatorResponse } from '../src/protocol/generated/find-coordinator-response.ts';

const findCoordinatorApiKey = 10;
const coordinatorNotAvailable = 15;

describe('startBroker() with no options', () => {
  let broker: RunningBroker;
  before(async () => {
    broker = await startBroker();
  });
  after(() => broker.close());

  it('answers FindCoordinator for a consumer group with itself, so group clients can work', async () => {
    const wire = await WireClient.connect(broker.port, broker.host);
    try {
      const response = await wire.request<FindCoordinatorResponse>(findCoordinatorApiKey, 4, {
        key: '',
        keyType: 0,
        coordinatorKeys: ['interop-defaults-group'],
      });
      const [coordinator] = response.coordinators;
      assert.notEqual(
        coordinator?.errorCode,
        coordinatorNotAvailable,
        `FindCoordinator v4 for a group answered COORDINATOR_NOT_AVAILABLE ('${coordinator?.errorMessage}'): startBroker() does not start the group coordinator noun`,
      );
      assert.equal(coordinator?.errorCode, 0);
      assert.equal(coordinator?.nodeId, broker.nodeId);
      assert.equal(coordinator?.port, broker.port);
    } finally {
      await wire.close();
    }
  });
});
