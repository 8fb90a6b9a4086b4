import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../protocol/error-codes.ts';
import type { ApiVersionsResponse } from '../protocol/generated/api-versions-response.ts';
import { ApiKey } from '../protocol/generated/apis.ts';
import { defaultFetchRequest } from '../protocol/generated/fetch-request.ts';
import { type RunningBroker, startBroker } from './broker.ts';
import { captureLogs, type LogCapture } from './testing/log-capture.ts';
import { WireClient } from './testing/wire-client.ts';

/** A request frame with header v2 (flexible) and an empty flexible body, by hand. */
function rawApiVersionsFrame(apiVersion: number, correlationId: number): Buffer {
  const body = Buffer.from([
    0x00,
    ApiKey.ApiVersions,
    apiVersion >> 8,
    apiVersion & 0xff,
    correlationId >> 24,
    (correlationId >> 16) & 0xff,
    (correlationId >> 8) & 0xff,
    correlationId & 0xff,
    0xff,
    0xff, // null client id
    0x00, // header tagged fields
    0x01,
    0x01, // empty compact strings: software name and version
    0x00, // body tagged fields
  ]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

function waitFor(predicate: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (predicate()) resolve();
      else if (Date.now() > deadline) reject(new Error(`Timed out waiting for ${what}`));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

describe('broker server', () => {
  let broker: RunningBroker;
  let logs: LogCapture;

  before(async () => {
    logs = captureLogs();
    broker = await startBroker({
      logger: logs.logger,
      limits: { connectionsMax: 3, requestBytesMax: 1024 * 1024 },
    });
  });
  after(() => broker.close());

  it('answers ApiVersions at every version it advertises, listing itself', async () => {
    const client = await WireClient.connect(broker.port);
    try {
      for (let v = 0; v <= 4; v++) {
        const response = await client.request<ApiVersionsResponse>(ApiKey.ApiVersions, v, {
          clientSoftwareName: 'test',
          clientSoftwareVersion: '1',
        });
        assert.equal(response.errorCode, ErrorCode.none);
        assert.deepEqual(
          response.apiKeys.find((a) => a.apiKey === ApiKey.ApiVersions),
          { apiKey: 18, minVersion: 0, maxVersion: 4 },
        );
      }
    } finally {
      await client.close();
    }
  });

  it('answers an ApiVersions version it does not serve with v0 UNSUPPORTED_VERSION and the supported list', async () => {
    const client = await WireClient.connect(broker.port);
    try {
      const answer = client.expect<ApiVersionsResponse>(77, ApiKey.ApiVersions, 0);
      client.writeRaw(rawApiVersionsFrame(99, 77));
      const response = await answer;
      assert.equal(response.errorCode, ErrorCode.unsupportedVersion);
      assert.ok(response.apiKeys.some((a) => a.apiKey === ApiKey.ApiVersions && a.maxVersion === 4));
    } finally {
      await client.close();
    }
  });

  it('answers pipelined requests in the order they were sent', async () => {
    const client = await WireClient.connect(broker.port);
    try {
      const answers = Array.from({ length: 50 }, (_, i) =>
        client.request(ApiKey.ApiVersions, i % 5, { clientSoftwareName: 'a', clientSoftwareVersion: 'b' }),
      );
      await Promise.all(answers);
      assert.deepEqual(
        client.arrivals,
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
    } finally {
      await client.close();
    }
  });

  it('closes a connection that announces a frame larger than requestBytesMax, and logs why', async () => {
    const client = await WireClient.connect(broker.port);
    const size = Buffer.alloc(4);
    size.writeInt32BE(1024 * 1024 + 1);
    client.writeRaw(size);
    await client.closed;
    assert.ok(logs.lines().some((l) => String(l.reason).includes('outside 0-1048576 bytes')));
  });

  it('closes a connection that sends a garbage frame, and keeps serving others', async () => {
    const healthy = await WireClient.connect(broker.port);
    const client = await WireClient.connect(broker.port);
    client.writeRaw(Buffer.from([0, 0, 0, 8, 0x7f, 0x7f, 0, 0, 1, 2, 3, 4]));
    await client.closed;
    assert.ok(logs.lines().some((l) => String(l.reason).includes('Cannot read request header')));
    const response = await healthy.request<ApiVersionsResponse>(ApiKey.ApiVersions, 3, {
      clientSoftwareName: 'a',
      clientSoftwareVersion: 'b',
    });
    assert.equal(response.errorCode, ErrorCode.none);
    await healthy.close();
  });

  it('closes a connection whose request body does not decode', async () => {
    const client = await WireClient.connect(broker.port);
    // ApiVersions v3 header, then a compact string claiming 100 bytes that are not there.
    const frame = rawApiVersionsFrame(3, 5);
    frame[frame.length - 3] = 101;
    client.writeRaw(frame);
    await client.closed;
    assert.ok(logs.lines().some((l) => String(l.reason).includes('Cannot decode ApiVersions v3 request')));
  });

  it('refuses connections beyond connectionsMax and accepts again once one closes', async () => {
    const open = [await WireClient.connect(broker.port), await WireClient.connect(broker.port)];
    open.push(await WireClient.connect(broker.port));
    const extra = await WireClient.connect(broker.port);
    await extra.closed;
    assert.ok(logs.lines().some((l) => String(l.msg).includes('connections open')));
    await open.pop()?.close();
    await waitFor(() => broker.services !== undefined && openCount(logs) <= 2, 'a connection slot');
    const again = await WireClient.connect(broker.port);
    const response = await again.request<ApiVersionsResponse>(ApiKey.ApiVersions, 0, {});
    assert.equal(response.errorCode, ErrorCode.none);
    await Promise.all([...open, again].map((c) => c.close()));
  });
});

function openCount(logs: LogCapture): number {
  let open = 0;
  for (const line of logs.lines()) {
    if (line.msg === 'Connection opened') open++;
    if (line.msg === 'Connection closed') open--;
  }
  return open;
}

describe('broker back-pressure', () => {
  it('starts no more than inFlightRequestsPerConnectionMax requests of one connection at once', async () => {
    const broker = await startBroker({ limits: { inFlightRequestsPerConnectionMax: 2 } });
    const client = await WireClient.connect(broker.port);
    try {
      await broker.services.logs.createTopic('idle', 1);
      const longPoll = {
        ...defaultFetchRequest(),
        maxWaitMs: 300,
        minBytes: 1,
        maxBytes: 1024,
        sessionEpoch: -1,
        topics: [
          {
            topic: 'idle',
            topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
            partitions: [
              {
                partition: 0,
                currentLeaderEpoch: -1,
                fetchOffset: 0n,
                lastFetchedEpoch: -1,
                logStartOffset: -1n,
                partitionMaxBytes: 1024,
                replicaDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAA',
              },
            ],
          },
        ],
      };
      const started = Date.now();
      await Promise.all([1, 2, 3].map(() => client.request(ApiKey.Fetch, 12, longPoll)));
      // Two polls run together (300 ms); the third is read only when one is answered (300 ms more).
      assert.ok(Date.now() - started >= 580, `took ${Date.now() - started} ms`);
      assert.deepEqual(client.arrivals, [1, 2, 3]);
    } finally {
      await client.close();
      await broker.close();
    }
  });
});
