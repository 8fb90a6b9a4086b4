import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { murmur2, partitionForKey, toPositive } from './murmur2.ts';

describe('murmur2()', () => {
  it("matches the Java client's values from Kafka's UtilsTest.testMurmur2", () => {
    // apache/kafka clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java
    const cases: [Uint8Array, number][] = [
      [Buffer.from('21'), -973932308],
      [Buffer.from('foobar'), -790332482],
      [Buffer.from('a-little-bit-long-string'), -985981536],
      [Buffer.from('a-little-bit-longer-string'), -1486304829],
      [Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'), -58897971],
      [Uint8Array.from([0x61, 0x62, 0x63]), 479470107],
    ];
    for (const [data, expected] of cases) assert.equal(murmur2(data), expected, Buffer.from(data).toString());
  });

  it('matches the values other ports of the Java implementation check ("1" to "12345")', () => {
    // Akka's Murmur2Spec, which took them from Kafka's Utils.murmur2.
    const cases: [string, number][] = [
      ['1', -1993445489],
      ['12', 126087238],
      ['123', -267702483],
      ['1234', -1614185708],
      ['12345', -1188365604],
    ];
    for (const [text, expected] of cases) assert.equal(murmur2(Buffer.from(text)), expected, text);
  });
});

describe('partitionForKey()', () => {
  it('clears the sign bit rather than taking the absolute value, as Java does', () => {
    assert.equal(toPositive(-1), 0x7fffffff);
    assert.equal(toPositive(-2147483648), 0);
    // murmur2('21') is -973932308: & 0x7fffffff gives 1173551340, which is 0 mod 4 and 5 mod 7.
    assert.equal(partitionForKey(Buffer.from('21'), 4), 1173551340 % 4);
    assert.equal(partitionForKey(Buffer.from('21'), 7), 1173551340 % 7);
  });
});
