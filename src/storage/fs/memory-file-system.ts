// A FileSystem view over a MemoryDisk. Every call first asks the disk's fault injector, so a test
// can fail or tear any write, fail any fsync, or make the disk full or read-only.
import { posix } from 'node:path';
import type { FileHandle, FileStat, FileSystem, OpenMode } from './file-system.ts';
import { FsError } from './fs-error.ts';
import {
  type FsOperationKind,
  MemoryDirectory,
  type MemoryDisk,
  MemoryInode,
  splitPath,
} from './memory-disk.ts';

const mutatingKinds = new Set<FsOperationKind>([
  'write',
  'truncate',
  'rename',
  'unlink',
  'mkdir',
  'removeDirectory',
]);

class Gate {
  readonly #disk: MemoryDisk;
  readonly #generation: number;

  constructor(disk: MemoryDisk) {
    this.#disk = disk;
    this.#generation = disk.generation;
  }

  /** Checks liveness, read-only and injected faults; returns a tear fraction for writes. */
  enter(kind: FsOperationKind, path: string): number | undefined {
    if (this.#disk.generation !== this.#generation)
      throw new FsError('EIO', `${kind} after power loss`, path);
    if (this.#disk.readOnly && mutatingKinds.has(kind)) throw new FsError('EROFS', kind, path);
    const fault = this.#disk.faultFor({ kind, path });
    if (fault === undefined) return undefined;
    if ('fail' in fault) throw new FsError(fault.fail, kind, path);
    return fault.tearFraction;
  }
}

class MemoryFileHandle implements FileHandle {
  readonly #disk: MemoryDisk;
  readonly #gate: Gate;
  readonly #inode: MemoryInode;
  readonly #path: string;
  readonly #writable: boolean;
  #closed = false;

  constructor(disk: MemoryDisk, gate: Gate, inode: MemoryInode, path: string, writable: boolean) {
    this.#disk = disk;
    this.#gate = gate;
    this.#inode = inode;
    this.#path = path;
    this.#writable = writable;
  }

  async read(buffer: Buffer, bufferOffset: number, length: number, position: number): Promise<number> {
    this.#enter('read');
    await tick();
    const available = Math.max(0, Math.min(length, this.#inode.bytes.length - position));
    if (available === 0) return 0;
    this.#inode.bytes.copy(buffer, bufferOffset, position, position + available);
    return available;
  }

  async write(data: Buffer, position: number): Promise<void> {
    const tear = this.#enter('write');
    if (!this.#writable) throw new FsError('EIO', 'write to a file opened read-only', this.#path);
    await tick();
    const growth = Math.max(0, position + data.length - this.#inode.bytes.length);
    const room =
      this.#disk.capacityBytes === Number.MAX_SAFE_INTEGER
        ? growth
        : this.#disk.capacityBytes - this.#disk.usedBytes();
    if (growth > room) {
      this.#persist(data.subarray(0, Math.max(0, data.length - growth + room)), position);
      throw new FsError('ENOSPC', 'write', this.#path);
    }
    if (tear !== undefined) {
      this.#persist(data.subarray(0, Math.floor(data.length * tear)), position);
      throw new FsError('EIO', 'write (torn)', this.#path);
    }
    this.#persist(data, position);
  }

  async writev(chunks: readonly Buffer[], position: number): Promise<void> {
    await this.write(Buffer.concat(chunks), position);
  }

  async truncate(sizeBytes: number): Promise<void> {
    this.#enter('truncate');
    await tick();
    this.#inode.applyTruncate(sizeBytes);
    this.#inode.unsynced.push({ kind: 'truncate', sizeBytes });
  }

  async sync(): Promise<void> {
    this.#enter('sync');
    await tick();
    this.#inode.sync();
  }

  async sizeBytes(): Promise<number> {
    this.#enter('stat');
    return this.#inode.bytes.length;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #enter(kind: FsOperationKind): number | undefined {
    if (this.#closed) throw new FsError('EIO', `${kind} on a closed file`, this.#path);
    return this.#gate.enter(kind, this.#path);
  }

  #persist(data: Buffer, position: number): void {
    if (data.length === 0) return;
    const copy = Buffer.from(data);
    this.#inode.applyWrite(position, copy);
    this.#inode.unsynced.push({ kind: 'write', position, data: copy });
  }
}

/** Lets other work run between filesystem calls, as real I/O would. */
function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class MemoryFileSystem implements FileSystem {
  readonly #disk: MemoryDisk;
  readonly #gate: Gate;

  constructor(disk: MemoryDisk) {
    this.#disk = disk;
    this.#gate = new Gate(disk);
  }

  async open(path: string, mode: OpenMode): Promise<FileHandle> {
    this.#gate.enter('open', path);
    if (mode !== 'read' && this.#disk.readOnly) throw new FsError('EROFS', 'open for writing', path);
    await tick();
    const { dir, name } = this.#disk.parentOf(path, 'open');
    const existing = dir.entries.get(name);
    if (existing?.kind === 'dir') throw new FsError('EISDIR', 'open', path);
    if (existing !== undefined && mode === 'createExclusive') throw new FsError('EEXIST', 'create', path);
    if (existing === undefined && mode === 'read') throw new FsError('ENOENT', 'open', path);
    let inode = existing?.inode;
    if (inode === undefined) {
      inode = new MemoryInode();
      dir.record({ kind: 'link', name, node: { kind: 'file', inode } });
    }
    return new MemoryFileHandle(this.#disk, this.#gate, inode, path, mode !== 'read');
  }

  async readFile(path: string): Promise<Buffer> {
    this.#gate.enter('readFile', path);
    await tick();
    const node = this.#disk.lookup(path, 'read');
    if (node.kind !== 'file') throw new FsError('EISDIR', 'read', path);
    return Buffer.from(node.inode.bytes);
  }

  async rename(from: string, to: string): Promise<void> {
    this.#gate.enter('rename', from);
    await tick();
    if (posix.dirname(posix.normalize(from)) !== posix.dirname(posix.normalize(to))) {
      throw new FsError('EXDEV', `rename to '${to}' outside the directory of`, from);
    }
    const source = this.#disk.parentOf(from, 'rename');
    if (!source.dir.entries.has(source.name)) throw new FsError('ENOENT', 'rename', from);
    source.dir.record({ kind: 'rename', from: source.name, to: posix.basename(posix.normalize(to)) });
  }

  async unlink(path: string): Promise<void> {
    this.#gate.enter('unlink', path);
    await tick();
    const { dir, name } = this.#disk.parentOf(path, 'unlink');
    const node = dir.entries.get(name);
    if (node === undefined) throw new FsError('ENOENT', 'unlink', path);
    if (node.kind === 'dir') throw new FsError('EISDIR', 'unlink', path);
    dir.record({ kind: 'unlink', name });
  }

  async mkdir(path: string): Promise<void> {
    this.#gate.enter('mkdir', path);
    await tick();
    let dir = this.#disk.root;
    for (const part of splitPath(path)) {
      const node = dir.entries.get(part);
      if (node?.kind === 'file') throw new FsError('ENOTDIR', 'mkdir', path);
      if (node !== undefined) {
        dir = node.dir;
        continue;
      }
      const child = new MemoryDirectory();
      dir.record({ kind: 'link', name: part, node: { kind: 'dir', dir: child } });
      dir = child;
    }
  }

  async removeDirectory(path: string): Promise<void> {
    this.#gate.enter('removeDirectory', path);
    await tick();
    const { dir, name } = this.#disk.parentOf(path, 'remove directory');
    if (dir.entries.get(name)?.kind === 'file') throw new FsError('ENOTDIR', 'remove directory', path);
    if (dir.entries.has(name)) dir.record({ kind: 'unlink', name });
  }

  async readdir(path: string): Promise<string[]> {
    this.#gate.enter('readdir', path);
    await tick();
    const node = this.#disk.lookup(path, 'read directory');
    if (node.kind !== 'dir') throw new FsError('ENOTDIR', 'read directory', path);
    return [...node.dir.entries.keys()].sort();
  }

  async stat(path: string): Promise<FileStat | undefined> {
    this.#gate.enter('stat', path);
    await tick();
    try {
      const node = this.#disk.lookup(path, 'stat');
      if (node.kind === 'dir') return { sizeBytes: 0, isDirectory: true };
      return { sizeBytes: node.inode.bytes.length, isDirectory: false };
    } catch (error) {
      if (error instanceof FsError && error.code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async syncDirectory(path: string): Promise<void> {
    this.#gate.enter('syncDirectory', path);
    await tick();
    const node = this.#disk.lookup(path, 'sync directory');
    if (node.kind !== 'dir') throw new FsError('ENOTDIR', 'sync directory', path);
    node.dir.sync();
  }
}
