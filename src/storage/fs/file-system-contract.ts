// One behaviour suite for every FileSystem implementation (run by each implementation's test
// file), so the in-memory disk the crash tests rely on behaves like the real one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileSystem } from './file-system.ts';
import { fsErrorCode } from './fs-error.ts';

export interface FileSystemFixture {
  fs: FileSystem;
  /** An empty directory the test may use. */
  root: string;
  dispose(): Promise<void>;
}

async function withFixture(
  make: () => Promise<FileSystemFixture>,
  body: (f: FileSystemFixture) => Promise<void>,
) {
  const fixture = await make();
  try {
    await body(fixture);
  } finally {
    await fixture.dispose();
  }
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => fsErrorCode(error) === code);
}

export function fileSystemContract(name: string, make: () => Promise<FileSystemFixture>): void {
  describe(`FileSystem contract: ${name}`, () => {
    it('reads back what was written at any position', () =>
      withFixture(make, async ({ fs, root }) => {
        const file = await fs.open(`${root}/a`, 'readWrite');
        await file.write(Buffer.from('hello world'), 0);
        await file.write(Buffer.from('W'), 6);
        await file.writev([Buffer.from('!'), Buffer.from('?')], 11);
        const buf = Buffer.alloc(20);
        const n = await file.read(buf, 0, 20, 0);
        assert.equal(buf.subarray(0, n).toString(), 'hello World!?');
        assert.equal(await file.sizeBytes(), 13);
        await file.close();
        assert.equal((await fs.readFile(`${root}/a`)).toString(), 'hello World!?');
      }));

    it('returns a short count when reading past the end of a file', () =>
      withFixture(make, async ({ fs, root }) => {
        const file = await fs.open(`${root}/a`, 'readWrite');
        await file.write(Buffer.from('abc'), 0);
        assert.equal(await file.read(Buffer.alloc(10), 0, 10, 1), 2);
        assert.equal(await file.read(Buffer.alloc(10), 0, 10, 5), 0);
        await file.close();
      }));

    it('keeps existing contents when reopening for writing and truncates on request', () =>
      withFixture(make, async ({ fs, root }) => {
        const first = await fs.open(`${root}/a`, 'readWrite');
        await first.write(Buffer.from('abcdef'), 0);
        await first.sync();
        await first.close();
        const second = await fs.open(`${root}/a`, 'readWrite');
        assert.equal(await second.sizeBytes(), 6);
        await second.truncate(2);
        assert.equal(await second.sizeBytes(), 2);
        await second.close();
        assert.equal((await fs.readFile(`${root}/a`)).toString(), 'ab');
      }));

    it('refuses to open a missing file for reading and to create an existing file exclusively', () =>
      withFixture(make, async ({ fs, root }) => {
        await rejectsWithCode(fs.open(`${root}/missing`, 'read'), 'ENOENT');
        await (await fs.open(`${root}/a`, 'createExclusive')).close();
        await rejectsWithCode(fs.open(`${root}/a`, 'createExclusive'), 'EEXIST');
      }));

    it('renames over an existing file, replacing it', () =>
      withFixture(make, async ({ fs, root }) => {
        for (const [name, text] of [
          ['a', 'new'],
          ['b', 'old'],
        ] as const) {
          const f = await fs.open(`${root}/${name}`, 'readWrite');
          await f.write(Buffer.from(text), 0);
          await f.close();
        }
        await fs.rename(`${root}/a`, `${root}/b`);
        await fs.syncDirectory(root);
        assert.deepEqual(await fs.readdir(root), ['b']);
        assert.equal((await fs.readFile(`${root}/b`)).toString(), 'new');
      }));

    it('lists, stats and removes files and nested directories', () =>
      withFixture(make, async ({ fs, root }) => {
        await fs.mkdir(`${root}/x/y`);
        await fs.mkdir(`${root}/x/y`);
        await (await fs.open(`${root}/x/y/f`, 'readWrite')).close();
        await (await fs.open(`${root}/x/g`, 'readWrite')).close();
        assert.deepEqual(await fs.readdir(`${root}/x`), ['g', 'y']);
        assert.equal((await fs.stat(`${root}/x/y`))?.isDirectory, true);
        assert.deepEqual(await fs.stat(`${root}/x/g`), { sizeBytes: 0, isDirectory: false });
        assert.equal(await fs.stat(`${root}/nope`), undefined);
        await fs.unlink(`${root}/x/g`);
        await rejectsWithCode(fs.unlink(`${root}/x/g`), 'ENOENT');
        await fs.removeDirectory(`${root}/x`);
        await fs.removeDirectory(`${root}/x`);
        assert.deepEqual(await fs.readdir(root), []);
      }));

    it('keeps an unlinked file readable through a handle opened before the unlink', () =>
      withFixture(make, async ({ fs, root }) => {
        const f = await fs.open(`${root}/a`, 'readWrite');
        await f.write(Buffer.from('still here'), 0);
        await fs.unlink(`${root}/a`);
        const buf = Buffer.alloc(10);
        assert.equal(await f.read(buf, 0, 10, 0), 10);
        assert.equal(buf.toString(), 'still here');
        await f.close();
      }));

    it('syncs files and directories without error', () =>
      withFixture(make, async ({ fs, root }) => {
        const f = await fs.open(`${root}/a`, 'readWrite');
        await f.write(Buffer.from('x'), 0);
        await f.sync();
        await f.close();
        await fs.syncDirectory(root);
        await rejectsWithCode(fs.syncDirectory(`${root}/missing`), 'ENOENT');
      }));
  });
}
