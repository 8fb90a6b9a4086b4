// `npm run gen:protocol`: regenerates src/protocol/generated from Kafka's message descriptors
// in ../shared/kafka-protocol/messages, removing files no descriptor produces any more.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateProtocol } from './protocol/generate.ts';

const root = new URL('..', import.meta.url).pathname;
const descriptorDir = join(root, '..', 'shared', 'kafka-protocol', 'messages');
const outDir = join(root, 'src', 'protocol', 'generated');

const files = generateProtocol(descriptorDir);
mkdirSync(outDir, { recursive: true });
for (const name of readdirSync(outDir)) {
  if (!files.has(name)) rmSync(join(outDir, name));
}
for (const [name, content] of files) writeFileSync(join(outDir, name), content);
console.log(`Generated ${files.size} files in ${outDir}`);
