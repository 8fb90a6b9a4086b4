import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApiKey } from '../protocol/generated/apis.ts';
import { defaultMetadataRequest } from '../protocol/generated/metadata-request.ts';
import type { MetadataResponse } from '../protocol/generated/metadata-response.ts';
import { Connection } from './connection.ts';
import { ConnectionError } from './errors.ts';
import { startTarget, type Target, targetName, targetSkipReason } from './testing/target.ts';

describe(`Connection against ${targetName()}`, { skip: targetSkipReason() }, () => {
  let target: Target;
  before(async () => {
    target = await startTarget();
  });
  after(() => target?.stop());

  it('negotiates versions on connect and pipelines requests, matching responses in order', async () => {
    const [host, port] = target.bootstrap.split(':') as [string, string];
    const connection = await Connection.open({ host, port: Number(port), clientId: 'test', inFlightMax: 2 });
    try {
      assert.ok((connection.versionOf(ApiKey.Metadata) ?? -1) >= 9);
      const requests = Array.from({ length: 20 }, () =>
        connection.send<MetadataResponse>(ApiKey.Metadata, () => ({
          ...defaultMetadataRequest(),
          topics: [],
        })),
      );
      const responses = await Promise.all(requests);
      assert.equal(responses.length, 20);
      for (const r of responses) assert.equal(r.body.brokers.length, 1);
    } finally {
      connection.close();
    }
  });
});

describe('Connection failures', () => {
  let server: Server;
  let port = 0;
  const accepted: Socket[] = [];
  before(async () => {
    // Accepts and never answers: the handshake must time out rather than hang.
    server = createServer((socket) => void accepted.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(() => {
    for (const socket of accepted) socket.destroy();
    server.close();
  });

  it('fails the connect with the address and the wait when ApiVersions gets no answer', async () => {
    await assert.rejects(
      Connection.open({ host: '127.0.0.1', port, clientId: 'test', connectTimeoutMs: 200 }),
      (e) => e instanceof ConnectionError && /127\.0\.0\.1:\d+/.test(e.message) && /200 ms/.test(e.message),
    );
  });

  it('fails with a ConnectionError naming the address when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(
      Connection.open({ host: '127.0.0.1', port: freePort, clientId: 'test' }),
      (e) => e instanceof ConnectionError && e.message.includes(`127.0.0.1:${freePort}`),
    );
  });
});
