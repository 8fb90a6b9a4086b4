// The interop scenarios of the broker issue, one shared suite run against every client driver
// (as Hono runs one suite against every router): create a 6-partition topic, produce 30k keyed
// records with headers over every codec, read them back exactly, a 3-member group where one
// member leaves mid-way, topic configs altered and described, and a broker restart after which
// records, committed offsets and configs are intact. Each client gets its own broker.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningBroker } from '../../src/index.ts';
import { assertReadBackExactly } from './compare.ts';
import type { ClientDriver } from './driver.ts';
import { runGroupScenario } from './group-scenario.ts';
import { startInteropBroker } from './interop-broker.ts';
import { codecs, OffsetLedger, partitionsPerTopic, recordsPerCodec, specRecords } from './records.ts';
import { committedOffsets, endOffsets, partitionCount } from './reference.ts';

/** Topic configs the scenario alters, with values no default has. */
const alteredConfigs: Readonly<Record<string, string>> = {
  'retention.ms': '86400123',
  'segment.bytes': '4194304',
};

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function clientScenarios(driver: ClientDriver): void {
  const missing = driver.missing();
  describe(`${driver.name} against a Sluice broker`, missing === null ? {} : { skip: missing }, () => {
    const name = slug(driver.name.split(' ')[0] ?? driver.name);
    const topic = `interop-${name}`;
    const ledger = new OffsetLedger();
    const groups: { group: string; topic: string }[] = [];
    let dataDir = '';
    let broker: RunningBroker | undefined;
    const bootstrap = () => {
      assert.ok(broker, 'the broker is running');
      return broker.bootstrap;
    };

    before(async () => {
      dataDir = await mkdtemp(join(tmpdir(), `sluice-interop-${name}-`));
      broker = await startInteropBroker(dataDir, driver.brokerConfig);
    });
    after(async () => {
      await broker?.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    it(`creates a topic with ${partitionsPerTopic} partitions`, async () => {
      await driver.createTopic(bootstrap(), topic, partitionsPerTopic);
      assert.equal(await partitionCount(bootstrap(), topic), partitionsPerTopic);
    });

    codecs.forEach((codec, run) => {
      const gap = driver.codecGap(codec);
      it(
        `produces ${recordsPerCodec} keyed records with headers compressed with ${codec}`,
        gap === null ? {} : { skip: gap },
        async () => {
          const records = specRecords(codec, run * recordsPerCodec, recordsPerCodec, driver.abilities);
          const fromMs = BigInt(Date.now());
          await driver.produce(bootstrap(), topic, codec, records);
          ledger.append(records, [fromMs, BigInt(Date.now())]);
          assert.deepEqual(await endOffsets(bootstrap(), topic), ledger.endOffsets(partitionsPerTopic));
        },
      );
    });

    it('reads every record back exactly: offsets, keys, values, headers and timestamps', async () => {
      const read = await driver.readAll(bootstrap(), topic, partitionsPerTopic);
      assertReadBackExactly(ledger.expected, read, driver.name);
    });

    for (const protocol of driver.groupProtocols) {
      const kind = protocol === 'classic' ? 'classic' : 'KIP-848 consumer';
      it(`a 3-member ${kind} group where one member leaves mid-way consumes every record and commits the log end offsets`, async () => {
        const group = `interop-${name}-${protocol}-group`;
        const groupTopic = `interop-${name}-${protocol}-group`;
        await runGroupScenario(driver, bootstrap(), groupTopic, group, protocol);
        groups.push({ group, topic: groupTopic });
      });
    }

    it(
      'alters topic configs and describes them back',
      driver.configsGap === null ? {} : { skip: driver.configsGap },
      async () => {
        const beforeAlter = await driver.describeConfigs(bootstrap(), topic);
        for (const [key, value] of Object.entries(alteredConfigs)) {
          assert.notEqual(beforeAlter[key], value, `${key} starts at its default`);
        }
        await driver.alterConfigs(bootstrap(), topic, alteredConfigs);
        const described = await driver.describeConfigs(bootstrap(), topic);
        for (const [key, value] of Object.entries(alteredConfigs)) assert.equal(described[key], value, key);
      },
    );

    it('after a broker restart, the records, committed offsets and configs are intact', async () => {
      assert.ok(broker);
      const committedBefore = await Promise.all(
        groups.map((g) => committedOffsets(bootstrap(), g.group, g.topic)),
      );
      await broker.close();
      broker = undefined;
      broker = await startInteropBroker(dataDir, driver.brokerConfig);
      const read = await driver.readAll(bootstrap(), topic, partitionsPerTopic);
      assertReadBackExactly(ledger.expected, read, `${driver.name} after the restart`);
      for (const [i, g] of groups.entries()) {
        assert.deepEqual(
          await committedOffsets(bootstrap(), g.group, g.topic),
          committedBefore[i],
          `committed offsets of ${g.group}`,
        );
      }
      if (driver.configsGap === null) {
        const described = await driver.describeConfigs(bootstrap(), topic);
        for (const [key, value] of Object.entries(alteredConfigs)) assert.equal(described[key], value, key);
      }
    });
  });
}
