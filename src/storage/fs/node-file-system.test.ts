import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSystemContract } from './file-system-contract.ts';
import { NodeFileSystem } from './node-file-system.ts';

fileSystemContract('NodeFileSystem', async () => {
  const root = await mkdtemp(join(tmpdir(), 'sluice-fs-'));
  return { fs: new NodeFileSystem(), root, dispose: () => rm(root, { recursive: true, force: true }) };
});
