// The real filesystem: node:fs/promises file handles, fdatasync, rename and directory fsync.
import { constants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { FileHandle, FileStat, FileSystem, OpenMode } from './file-system.ts';
import { fsErrorCode } from './fs-error.ts';

const openFlags: Record<OpenMode, number> = {
  read: constants.O_RDONLY,
  readWrite: constants.O_RDWR | constants.O_CREAT,
  createExclusive: constants.O_RDWR | constants.O_CREAT | constants.O_EXCL,
};

class NodeFileHandle implements FileHandle {
  readonly #handle: fsp.FileHandle;

  constructor(handle: fsp.FileHandle) {
    this.#handle = handle;
  }

  async read(buffer: Buffer, bufferOffset: number, length: number, position: number): Promise<number> {
    let total = 0;
    // A regular file returns short reads only at EOF, but the loop keeps that an assumption checked here.
    while (total < length) {
      const { bytesRead } = await this.#handle.read(
        buffer,
        bufferOffset + total,
        length - total,
        position + total,
      );
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    return total;
  }

  async write(data: Buffer, position: number): Promise<void> {
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await this.#handle.write(
        data,
        written,
        data.length - written,
        position + written,
      );
      written += bytesWritten;
    }
  }

  async writev(chunks: readonly Buffer[], position: number): Promise<void> {
    const total = chunks.reduce((sum, c) => sum + c.length, 0);
    const { bytesWritten } = await this.#handle.writev(chunks as Buffer[], position);
    if (bytesWritten === total) return;
    // Short vectored write (rare: signals, huge writes): finish the rest one chunk at a time.
    let skipped = bytesWritten;
    let at = position + bytesWritten;
    for (const chunk of chunks) {
      if (skipped >= chunk.length) {
        skipped -= chunk.length;
        continue;
      }
      await this.write(chunk.subarray(skipped), at);
      at += chunk.length - skipped;
      skipped = 0;
    }
  }

  truncate(sizeBytes: number): Promise<void> {
    return this.#handle.truncate(sizeBytes);
  }

  sync(): Promise<void> {
    return this.#handle.datasync();
  }

  async sizeBytes(): Promise<number> {
    return (await this.#handle.stat()).size;
  }

  close(): Promise<void> {
    return this.#handle.close();
  }
}

export class NodeFileSystem implements FileSystem {
  async open(path: string, mode: OpenMode): Promise<FileHandle> {
    return new NodeFileHandle(await fsp.open(path, openFlags[mode], 0o644));
  }

  readFile(path: string): Promise<Buffer> {
    return fsp.readFile(path);
  }

  rename(from: string, to: string): Promise<void> {
    return fsp.rename(from, to);
  }

  unlink(path: string): Promise<void> {
    return fsp.unlink(path);
  }

  async mkdir(path: string): Promise<void> {
    await fsp.mkdir(path, { recursive: true });
  }

  removeDirectory(path: string): Promise<void> {
    return fsp.rm(path, { recursive: true, force: true });
  }

  async readdir(path: string): Promise<string[]> {
    return (await fsp.readdir(path)).sort();
  }

  async stat(path: string): Promise<FileStat | undefined> {
    try {
      const s = await fsp.stat(path);
      return { sizeBytes: s.size, isDirectory: s.isDirectory() };
    } catch (error) {
      if (fsErrorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  async syncDirectory(path: string): Promise<void> {
    const handle = await fsp.open(path, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
