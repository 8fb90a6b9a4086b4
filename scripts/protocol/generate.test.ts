// The checked-in codec must be exactly what the generator makes from the descriptors today.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateProtocol } from './generate.ts';

const root = new URL('../..', import.meta.url).pathname;
const descriptorDir = join(root, '..', 'shared', 'kafka-protocol', 'messages');
const generatedDir = join(root, 'src', 'protocol', 'generated');

test('the checked-in generated codec matches a fresh generation from the descriptors', (t) => {
  if (!existsSync(descriptorDir)) {
    const why = `SKIPPED: descriptors not found at ${descriptorDir}; cannot check src/protocol/generated is fresh`;
    console.warn(`\n*** ${why} ***\n`);
    t.skip(why);
    return;
  }
  const fresh = generateProtocol(descriptorDir);
  const onDisk = readdirSync(generatedDir).sort();
  assert.deepEqual(
    onDisk,
    [...fresh.keys()].sort(),
    'generated file list differs: run `npm run gen:protocol`',
  );
  for (const [name, content] of fresh) {
    assert.equal(
      readFileSync(join(generatedDir, name), 'utf8'),
      content,
      `src/protocol/generated/${name} is stale: run \`npm run gen:protocol\``,
    );
  }
});
