import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsumedRecord } from '../client/fetched-records.ts';
import { CliError } from './command.ts';
import { formatRecord, parsePrintFields } from './record-format.ts';

const record: ConsumedRecord = {
  topic: 't',
  partition: 2,
  offset: 41n,
  timestamp: 1_700_000_000_000n,
  key: Buffer.from('k1'),
  value: Buffer.from([0xff, 0x00]),
  headers: [{ key: 'h', value: Buffer.from('v') }],
};

describe('formatRecord()', () => {
  it('prints only the value in text format unless --print names fields', () => {
    const text = { ...record, value: Buffer.from('hello') };
    assert.equal(formatRecord(text, parsePrintFields(undefined, 'text'), 'text'), 'hello');
    assert.equal(
      formatRecord(text, parsePrintFields('partition,offset,key,value,headers', 'text'), 'text'),
      '2\t41\tk1\thello\th=v',
    );
  });

  it('prints bytes as hex in hex format', () => {
    assert.equal(formatRecord(record, parsePrintFields('key,value', 'hex'), 'hex'), '6b31\tff00');
  });

  it('prints every field in json, with bytes that are not UTF-8 as base64', () => {
    const line = formatRecord(record, parsePrintFields(undefined, 'json'), 'json');
    assert.deepEqual(JSON.parse(line), {
      topic: 't',
      partition: 2,
      offset: 41,
      timestamp: 1_700_000_000_000,
      key: 'k1',
      value: { base64: '/wA=' },
      headers: [{ key: 'h', value: 'v' }],
    });
  });

  it('prints a null key as null', () => {
    assert.equal(formatRecord({ ...record, key: null }, ['key'], 'text'), 'null');
    assert.deepEqual(JSON.parse(formatRecord({ ...record, key: null }, ['key'], 'json')), { key: null });
  });
});

describe('parsePrintFields()', () => {
  it('refuses an unknown field with a usage error listing the known ones', () => {
    assert.throws(
      () => parsePrintFields('value,size', 'text'),
      (e) =>
        e instanceof CliError && e.exitCode === 2 && /unknown field 'size'.*topic,partition/.test(e.message),
    );
  });
});
