import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtocolError } from './errors.ts';
import {
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  requireApi,
  sizePrefixed,
} from './frame.ts';
import { type ApiVersionsResponse, defaultApiVersionsResponse } from './generated/api-versions-response.ts';
import { ApiKey } from './generated/apis.ts';
import { defaultMetadataRequest } from './generated/metadata-request.ts';

test('requests use header v2 for flexible versions, with a non-compact client id', () => {
  const frame = encodeRequest(ApiKey.Metadata, 12, 42, 'client-é', defaultMetadataRequest()).toBuffer();
  // apiKey, apiVersion, correlationId, then ClientId as int16-length string even in header v2.
  assert.equal(frame.readInt16BE(0), ApiKey.Metadata);
  assert.equal(frame.readInt16BE(2), 12);
  assert.equal(frame.readInt32BE(4), 42);
  assert.equal(frame.readInt16BE(8), Buffer.byteLength('client-é'));
  const { envelope } = decodeRequest(frame);
  assert.equal(envelope.header.clientId, 'client-é');
  assert.equal(envelope.header.correlationId, 42);
});

test('requests use header v1 for non-flexible versions', () => {
  const frame = encodeRequest(ApiKey.Metadata, 8, 1, null, defaultMetadataRequest()).toBuffer();
  assert.equal(frame.readInt16BE(8), -1);
  const { envelope } = decodeRequest(frame);
  assert.equal(envelope.header.clientId, null);
});

test('ApiVersions responses keep header v0 even at flexible versions', () => {
  const body: ApiVersionsResponse = {
    ...defaultApiVersionsResponse(),
    apiKeys: [{ apiKey: 0, minVersion: 0, maxVersion: 11 }],
  };
  const v3 = encodeResponse(ApiKey.ApiVersions, 3, 9, body).toBuffer();
  // Header v0 is the correlation id alone: the body's error code follows at once, with no
  // tagged-field byte in between.
  assert.equal(v3.readInt32BE(0), 9);
  assert.equal(v3.readInt16BE(4), 0);
  const decoded = decodeResponse(ApiKey.ApiVersions, 3, v3);
  assert.equal(decoded.correlationId, 9);
  assert.deepEqual((decoded.body as ApiVersionsResponse).apiKeys, body.apiKeys);
});

test('flexible responses of other APIs carry header v1 (a tagged-field section)', () => {
  const frame = encodeResponse(ApiKey.Metadata, 12, 5, {
    throttleTimeMs: 0,
    brokers: [],
    clusterId: null,
    controllerId: -1,
    topics: [],
    clusterAuthorizedOperations: -2147483648,
  }).toBuffer();
  assert.equal(frame.readInt32BE(0), 5);
  assert.equal(frame[4], 0, 'empty tagged-field section of the header');
  assert.equal(decodeResponse(ApiKey.Metadata, 12, frame).correlationId, 5);
});

test('decodeRequest rejects an unknown API key, an unsupported version and trailing bytes', () => {
  const unknown = Buffer.from([0x7f, 0x00, 0, 0, 0, 0, 0, 1, 0xff, 0xff]);
  assert.throws(
    () => decodeRequest(unknown),
    (e: unknown) => e instanceof ProtocolError && /Unknown API key 32512/.test(e.message),
  );
  const api = requireApi(ApiKey.Metadata);
  const tooNew = encodeRequest(ApiKey.Metadata, 4, 1, null, defaultMetadataRequest()).toBuffer();
  tooNew.writeInt16BE(api.maxVersion + 1, 2);
  assert.throws(
    () => decodeRequest(tooNew),
    (e: unknown) => e instanceof ProtocolError && e.code === 'unsupported_version',
  );
  const trailing = Buffer.concat([
    encodeRequest(ApiKey.Metadata, 4, 1, null, defaultMetadataRequest()).toBuffer(),
    Buffer.from([1]),
  ]);
  assert.throws(() => decodeRequest(trailing), /1 unread bytes/);
});

test('sizePrefixed() puts the frame length before the chunks', () => {
  const w = encodeRequest(ApiKey.Metadata, 1, 3, 'x', defaultMetadataRequest());
  const [size, ...rest] = sizePrefixed(w);
  const body = Buffer.concat(rest);
  assert.equal(size!.readInt32BE(0), body.length);
});
