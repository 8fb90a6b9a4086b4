import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileSystemContract } from './file-system-contract.ts';
import { fsErrorCode } from './fs-error.ts';
import { MemoryDisk } from './memory-disk.ts';
import { MemoryFileSystem } from './memory-file-system.ts';

async function freshDisk(): Promise<{ disk: MemoryDisk; fs: MemoryFileSystem }> {
  const disk = new MemoryDisk();
  const fs = new MemoryFileSystem(disk);
  await fs.mkdir('/d');
  await fs.syncDirectory('/');
  return { disk, fs };
}

fileSystemContract('MemoryFileSystem', async () => {
  const { fs } = await freshDisk();
  return { fs, root: '/d', dispose: async () => {} };
});

const keepNothing = () => 0;
const keepEverything = () => 0.999999;

describe('MemoryFileSystem faults', () => {
  it('loses unsynced writes and unsynced creates on power loss', async () => {
    const { disk, fs } = await freshDisk();
    const synced = await fs.open('/d/synced', 'readWrite');
    await synced.write(Buffer.from('durable'), 0);
    await synced.sync();
    await fs.syncDirectory('/d');
    await synced.write(Buffer.from(' and not'), 7);
    await (await fs.open('/d/unsynced', 'readWrite')).close();
    disk.powerLoss(keepNothing);
    const after = new MemoryFileSystem(disk);
    assert.deepEqual(await after.readdir('/d'), ['synced']);
    assert.equal((await after.readFile('/d/synced')).toString(), 'durable');
  });

  it('may keep unsynced work when the power loss is kind', async () => {
    const { disk, fs } = await freshDisk();
    const f = await fs.open('/d/f', 'readWrite');
    await f.write(Buffer.from('abc'), 0);
    disk.powerLoss(keepEverything);
    assert.equal((await new MemoryFileSystem(disk).readFile('/d/f')).toString(), 'abc');
  });

  it('rolls back an unsynced rename on power loss', async () => {
    const { disk, fs } = await freshDisk();
    const f = await fs.open('/d/tmp', 'readWrite');
    await f.sync();
    await fs.syncDirectory('/d');
    await fs.rename('/d/tmp', '/d/final');
    disk.powerLoss(keepNothing);
    assert.deepEqual(await new MemoryFileSystem(disk).readdir('/d'), ['tmp']);
  });

  it('fails every call made through a view from before the power loss', async () => {
    const { disk, fs } = await freshDisk();
    const f = await fs.open('/d/f', 'readWrite');
    disk.powerLoss(keepNothing);
    await assert.rejects(f.write(Buffer.from('x'), 0), (e) => fsErrorCode(e) === 'EIO');
    await assert.rejects(fs.readdir('/d'), (e) => fsErrorCode(e) === 'EIO');
  });

  it('tears a write on request, leaving a prefix and reporting EIO', async () => {
    const { disk, fs } = await freshDisk();
    const f = await fs.open('/d/f', 'readWrite');
    disk.failNext('write', { tearFraction: 0.5 }, '/d/f');
    await assert.rejects(f.write(Buffer.from('abcdefgh'), 0), (e) => fsErrorCode(e) === 'EIO');
    assert.equal((await fs.readFile('/d/f')).toString(), 'abcd');
  });

  it('fails a sync on request and reports a full or read-only disk', async () => {
    const { disk, fs } = await freshDisk();
    const f = await fs.open('/d/f', 'readWrite');
    disk.failNext('sync', { fail: 'EIO' });
    await assert.rejects(f.sync(), (e) => fsErrorCode(e) === 'EIO');
    await f.sync();
    disk.capacityBytes = 4;
    await assert.rejects(f.write(Buffer.from('abcdef'), 0), (e) => fsErrorCode(e) === 'ENOSPC');
    assert.equal((await fs.readFile('/d/f')).toString(), 'abcd');
    disk.readOnly = true;
    await assert.rejects(fs.open('/d/g', 'readWrite'), (e) => fsErrorCode(e) === 'EROFS');
  });
});
