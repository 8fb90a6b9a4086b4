// An in-memory disk with the failure modes of a real one. Every file and directory keeps what it
// holds now and what was durable at its last fsync, plus the operations in between; a power loss
// keeps the durable state and a random prefix of those operations (the last one possibly torn
// or replaced by zeros, as when a file's size reached disk before its data did). Unsynced
// creates, renames and unlinks can be lost the same way. `mount()` gives a FileSystem view; a
// power loss kills every earlier view, so code from before the "crash" cannot touch the disk.
import { posix } from 'node:path';
import { FsError, type FsErrorCode } from './fs-error.ts';

export type FsOperationKind =
  | 'open'
  | 'read'
  | 'write'
  | 'truncate'
  | 'sync'
  | 'close'
  | 'readFile'
  | 'rename'
  | 'unlink'
  | 'mkdir'
  | 'removeDirectory'
  | 'readdir'
  | 'stat'
  | 'syncDirectory';

export interface FsOperation {
  kind: FsOperationKind;
  path: string;
}

/** Fail the operation with a code, or (writes only) persist `fraction` of the bytes then fail with EIO. */
export type FaultAction = { fail: FsErrorCode } | { tearFraction: number };

export type FaultInjector = (operation: FsOperation) => FaultAction | undefined;

type WriteOp = { kind: 'write'; position: number; data: Buffer } | { kind: 'truncate'; sizeBytes: number };

export class MemoryInode {
  /** Backing store with spare capacity, so appends do not copy the file each time. */
  #store: Buffer = Buffer.alloc(0);
  #length = 0;
  durable: Buffer = Buffer.alloc(0);
  /** Writes since the last sync, oldest first; bounded by the disk's capacity. */
  unsynced: WriteOp[] = [];

  get bytes(): Buffer {
    return this.#store.subarray(0, this.#length);
  }

  set bytes(value: Buffer) {
    this.#store = value;
    this.#length = value.length;
  }

  applyWrite(position: number, data: Buffer): void {
    const end = position + data.length;
    this.#ensureCapacity(end);
    // A write past the end leaves a hole of zeros, not bytes from before a truncation.
    if (position > this.#length) this.#store.fill(0, this.#length, position);
    data.copy(this.#store, position);
    this.#length = Math.max(this.#length, end);
  }

  applyTruncate(sizeBytes: number): void {
    if (sizeBytes > this.#length) {
      this.#ensureCapacity(sizeBytes);
      this.#store.fill(0, this.#length, sizeBytes);
    }
    this.#length = sizeBytes;
  }

  #ensureCapacity(bytes: number): void {
    if (bytes <= this.#store.length) return;
    const grown = Buffer.alloc(Math.max(bytes, this.#store.length * 2, 256));
    this.#store.copy(grown, 0, 0, this.#length);
    this.#store = grown;
  }

  sync(): void {
    this.durable = Buffer.from(this.bytes);
    this.unsynced = [];
  }

  loseUnsynced(random: () => number): void {
    const ops = this.unsynced;
    const kept = Math.floor(random() * (ops.length + 1));
    this.bytes = Buffer.from(this.durable);
    for (let i = 0; i < kept; i++) applyOp(this, ops[i]!);
    const torn = ops[kept];
    if (torn !== undefined && torn.kind === 'write' && random() < 0.5) {
      const prefix = torn.data.subarray(0, Math.floor(random() * torn.data.length));
      // Sometimes the size reached disk but the data block did not: the file gains zeros.
      this.applyWrite(torn.position, random() < 0.3 ? Buffer.alloc(prefix.length) : prefix);
    }
    this.sync();
  }
}

function applyOp(inode: MemoryInode, op: WriteOp): void {
  if (op.kind === 'write') inode.applyWrite(op.position, op.data);
  else inode.applyTruncate(op.sizeBytes);
}

export type MemoryNode = { kind: 'file'; inode: MemoryInode } | { kind: 'dir'; dir: MemoryDirectory };

type DirOp =
  | { kind: 'link'; name: string; node: MemoryNode }
  | { kind: 'unlink'; name: string }
  | {
      kind: 'rename';
      from: string;
      to: string;
    };

export class MemoryDirectory {
  entries = new Map<string, MemoryNode>();
  durable = new Map<string, MemoryNode>();
  unsynced: DirOp[] = [];

  record(op: DirOp): void {
    applyDirOp(this.entries, op);
    this.unsynced.push(op);
  }

  sync(): void {
    this.durable = new Map(this.entries);
    this.unsynced = [];
  }

  loseUnsynced(random: () => number): void {
    const kept = Math.floor(random() * (this.unsynced.length + 1));
    const entries = new Map(this.durable);
    for (let i = 0; i < kept; i++) applyDirOp(entries, this.unsynced[i]!);
    this.entries = entries;
    this.sync();
  }
}

function applyDirOp(entries: Map<string, MemoryNode>, op: DirOp): void {
  if (op.kind === 'link') {
    entries.set(op.name, op.node);
  } else if (op.kind === 'unlink') {
    entries.delete(op.name);
  } else {
    const node = entries.get(op.from);
    if (node === undefined) return;
    entries.delete(op.from);
    entries.set(op.to, node);
  }
}

export class MemoryDisk {
  readonly root = new MemoryDirectory();
  /** Bumped by every power loss; views from an older generation fail every call. */
  generation = 0;
  capacityBytes = Number.MAX_SAFE_INTEGER;
  readOnly = false;
  injectFault: FaultInjector | undefined = undefined;
  readonly #oneShotFaults: Array<{ kind: FsOperationKind; pathIncludes: string; action: FaultAction }> = [];

  /** Fails (or tears) the next operation of `kind` whose path contains `pathIncludes`. */
  failNext(kind: FsOperationKind, action: FaultAction, pathIncludes = ''): void {
    this.#oneShotFaults.push({ kind, pathIncludes, action });
  }

  faultFor(operation: FsOperation): FaultAction | undefined {
    const index = this.#oneShotFaults.findIndex(
      (f) => f.kind === operation.kind && operation.path.includes(f.pathIncludes),
    );
    if (index >= 0) return this.#oneShotFaults.splice(index, 1)[0]!.action;
    return this.injectFault?.(operation);
  }

  usedBytes(): number {
    let total = 0;
    for (const inode of this.#reachableInodes()) total += inode.bytes.length;
    return total;
  }

  /** Drops everything not yet durable, keeping a random prefix of the unsynced operations. */
  powerLoss(random: () => number): void {
    this.generation++;
    this.#oneShotFaults.length = 0;
    const seenDirs = new Set<MemoryDirectory>();
    const stack: MemoryDirectory[] = [this.root];
    const inodes = new Set<MemoryInode>();
    // Walk what survives: each directory first loses its own unsynced entries, then its children.
    while (stack.length > 0) {
      const dir = stack.pop()!;
      if (seenDirs.has(dir)) continue;
      seenDirs.add(dir);
      dir.loseUnsynced(random);
      for (const node of dir.entries.values()) {
        if (node.kind === 'dir') stack.push(node.dir);
        else inodes.add(node.inode);
      }
    }
    for (const inode of inodes) inode.loseUnsynced(random);
  }

  /** Looks up a path; throws ENOENT/ENOTDIR naming the path and action. */
  lookup(path: string, action: string): MemoryNode {
    let node: MemoryNode = { kind: 'dir', dir: this.root };
    for (const part of splitPath(path)) {
      if (node.kind !== 'dir') throw new FsError('ENOTDIR', action, path);
      const next = node.dir.entries.get(part);
      if (next === undefined) throw new FsError('ENOENT', action, path);
      node = next;
    }
    return node;
  }

  /** The directory holding `path` and the entry name inside it. */
  parentOf(path: string, action: string): { dir: MemoryDirectory; name: string } {
    const normal = posix.normalize(path);
    const name = posix.basename(normal);
    const parent = this.lookup(posix.dirname(normal), action);
    if (parent.kind !== 'dir') throw new FsError('ENOTDIR', action, path);
    if (name === '' || name === '/') throw new FsError('EISDIR', action, path);
    return { dir: parent.dir, name };
  }

  *#reachableInodes(): Generator<MemoryInode> {
    const stack: MemoryDirectory[] = [this.root];
    const seen = new Set<MemoryInode>();
    while (stack.length > 0) {
      const dir = stack.pop()!;
      for (const node of dir.entries.values()) {
        if (node.kind === 'dir') stack.push(node.dir);
        else if (!seen.has(node.inode)) {
          seen.add(node.inode);
          yield node.inode;
        }
      }
    }
  }
}

export function splitPath(path: string): string[] {
  return posix
    .normalize(path)
    .split('/')
    .filter((p) => p !== '' && p !== '.');
}
