import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConsumerPerf, parseProducerPerf, percentile } from './workloads.ts';

test('parseProducerPerf() reads records/s from the perf tool summary line', () => {
  const out =
    '250000 records sent, 49990.0 records/sec (4.77 MB/sec), 3.1 ms avg latency, 200.0 ms max latency.\n' +
    '1000000 records sent, 71864.9 records/sec (6.85 MB/sec), 300.12 ms avg latency, 800.00 ms max latency, 250 ms 50th, 700 ms 95th, 780 ms 99th, 799 ms 99.9th.\n';
  assert.equal(parseProducerPerf(out), 71864.9);
});

test('parseConsumerPerf() reads the fetch records/s column of the CSV line', () => {
  const out =
    '2026-01-01 10:00:00:000, 2026-01-01 10:00:05:000, 19.0735, 3.8147, 200000, 40000.0000, 412, 4588, 4.1572, 43591.9790\n';
  assert.equal(parseConsumerPerf(out), 43591.979);
  assert.throws(() => parseConsumerPerf('WARN nothing\n'), /Cannot read kafka-consumer-perf-test output/);
});

test('percentile() picks from sorted samples', () => {
  const sorted = Float64Array.from({ length: 1000 }, (_, i) => i);
  assert.equal(percentile(sorted, 0.5), 500);
  assert.equal(percentile(sorted, 0.999), 999);
  assert.ok(Number.isNaN(percentile(new Float64Array(0), 0.5)));
});
