import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeApiVersionsRequest } from '../../protocol/generated/api-versions-request.ts';
import { encodeApiVersionsResponse } from '../../protocol/generated/api-versions-response.ts';
import { apis } from '../../protocol/generated/apis.ts';
import { defineHandler } from '../handler.ts';
import { HandlerRegistry, loadHandlers } from './registry.ts';

function apiVersionsLike(apiKey: number, minVersion?: number, maxVersion?: number) {
  return defineHandler({
    apiKey,
    ...(minVersion === undefined ? {} : { minVersion }),
    ...(maxVersion === undefined ? {} : { maxVersion }),
    decode: decodeApiVersionsRequest,
    encode: encodeApiVersionsResponse,
    handle: () => null,
    errorResponse: () => null,
  });
}

describe('HandlerRegistry', () => {
  it('loadHandlers() registers every handler file in the directory under its API key', async () => {
    const registry = await loadHandlers();
    const versions = registry.apiVersions();
    assert.ok(versions.length >= 1);
    const apiVersions = versions.find((v) => v.apiKey === 18);
    assert.deepEqual(apiVersions, { apiKey: 18, minVersion: 0, maxVersion: 4 });
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i - 1]!.apiKey < versions[i]!.apiKey);
  });

  it('advertises each handler with the full descriptor range unless the handler narrows it', () => {
    const registry = new HandlerRegistry();
    registry.register(apiVersionsLike(18));
    registry.register(apiVersionsLike(1, 4));
    const fetch = apis.find((a) => a.apiKey === 1)!;
    assert.deepEqual(registry.apiVersions(), [
      { apiKey: 1, minVersion: 4, maxVersion: fetch.maxVersion },
      { apiKey: 18, minVersion: 0, maxVersion: 4 },
    ]);
  });

  it('register() refuses a second handler for the same API key', () => {
    const registry = new HandlerRegistry();
    registry.register(apiVersionsLike(18));
    assert.throws(() => registry.register(apiVersionsLike(18)), /second handler for ApiVersions/);
  });

  it('defineHandler() refuses versions outside the descriptor range', () => {
    assert.throws(() => apiVersionsLike(18, 0, 99), /versions 0-99 are outside 0-4/);
    assert.throws(() => apiVersionsLike(9999), /unknown API key 9999/);
  });
});
