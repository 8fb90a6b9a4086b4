import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiKey } from '../protocol/generated/apis.ts';
import { clientVersionRanges, negotiateVersions } from './api-versions.ts';

describe('negotiateVersions()', () => {
  it('picks the highest version inside both ranges', () => {
    const chosen = negotiateVersions(
      [
        { apiKey: 0, minVersion: 0, maxVersion: 11 },
        { apiKey: 1, minVersion: 4, maxVersion: 17 },
      ],
      [
        { apiKey: 0, minVersion: 3, maxVersion: 12 },
        { apiKey: 1, minVersion: 0, maxVersion: 13 },
      ],
    );
    assert.deepEqual(
      [...chosen],
      [
        [0, 11],
        [1, 13],
      ],
    );
  });

  it('leaves out APIs whose ranges do not overlap or that one side lacks', () => {
    const chosen = negotiateVersions(
      [
        { apiKey: 0, minVersion: 0, maxVersion: 2 },
        { apiKey: 3, minVersion: 0, maxVersion: 12 },
      ],
      [{ apiKey: 0, minVersion: 3, maxVersion: 12 }],
    );
    assert.equal(chosen.size, 0);
  });
});

describe('clientVersionRanges()', () => {
  it('offers transactions protocol 1 only: EndTxn up to v4 and client AddPartitionsToTxn up to v3', () => {
    const ranges = new Map(clientVersionRanges().map((r) => [r.apiKey, r.maxVersion]));
    assert.equal(ranges.get(ApiKey.EndTxn), 4);
    assert.equal(ranges.get(ApiKey.AddPartitionsToTxn), 3);
    assert.ok((ranges.get(ApiKey.Fetch) ?? 0) >= 13);
  });
});
