import assert from 'node:assert/strict';
import { createServer, Socket } from 'node:net';
import { test } from 'node:test';
import { FrameSplitter, startRecordingProxy } from './recording-proxy.ts';

function frame(payload: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

function requestPayload(apiKey: number, apiVersion: number, correlationId: number, body: string): Buffer {
  const header = Buffer.alloc(8);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(apiVersion, 2);
  header.writeInt32BE(correlationId, 4);
  return Buffer.concat([header, Buffer.from(body)]);
}

test('FrameSplitter splits frames across chunk boundaries and keeps the remainder', () => {
  const splitter = new FrameSplitter(1024);
  const bytes = Buffer.concat([
    frame(Buffer.from('abc')),
    frame(Buffer.from('')),
    frame(Buffer.from('hello')),
  ]);
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    for (const payload of splitter.push(bytes.subarray(i, i + 3))) out.push(payload.toString());
  }
  assert.deepEqual(out, ['abc', '', 'hello']);
});

test('FrameSplitter rejects a frame size above its maximum', () => {
  const splitter = new FrameSplitter(10);
  assert.throws(() => splitter.push(frame(Buffer.alloc(11))), /size 11 is outside 0\.\.10/);
});

test('startRecordingProxy() labels responses, answered out of order, with their request api key and version', async () => {
  // A fake broker that answers each pair of requests in reverse order, echoing the body.
  const broker = createServer((socket) => {
    const splitter = new FrameSplitter(1 << 20);
    const held: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      for (const request of splitter.push(chunk)) {
        held.push(request);
        if (held.length < 2) continue;
        for (const r of held.reverse()) {
          socket.write(frame(Buffer.concat([r.subarray(4, 8), Buffer.from(`re:${r.subarray(8)}`)])));
        }
        held.length = 0;
      }
    });
  });
  await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
  const address = broker.address();
  assert.ok(address !== null && typeof address === 'object');
  const proxy = await startRecordingProxy({
    listenPort: 0,
    brokerHost: '127.0.0.1',
    brokerPort: address.port,
  });
  try {
    const client = new Socket();
    const answers: string[] = [];
    const splitter = new FrameSplitter(1 << 20);
    const done = new Promise<void>((resolve) => {
      client.on('data', (chunk: Buffer) => {
        for (const payload of splitter.push(chunk)) answers.push(payload.subarray(4).toString());
        if (answers.length === 2) resolve();
      });
    });
    await new Promise<void>((resolve) => client.connect(proxy.port, '127.0.0.1', resolve));
    // Both requests in one write: the proxy must split them.
    client.write(Buffer.concat([frame(requestPayload(18, 3, 1, 'a')), frame(requestPayload(3, 12, 2, 'b'))]));
    await done;
    client.destroy();
    assert.deepEqual(answers, ['re:b', 're:a']);
    const seen = proxy.frames.map((f) => `${f.direction}:${f.apiKey}:${f.apiVersion}:${f.correlationId}`);
    assert.deepEqual(seen, ['request:18:3:1', 'request:3:12:2', 'response:3:12:2', 'response:18:3:1']);
    assert.equal(proxy.frames[2]?.payload.subarray(4).toString(), 're:b');
    assert.equal(proxy.unmatchedResponses, 0);
  } finally {
    await proxy.stop();
    await new Promise<void>((resolve) => broker.close(() => resolve()));
  }
});
