// Checkpoints as files in a local directory, one per checkpoint: `chk-<id>.bin` holding a CRC32
// and the v8-serialized checkpoint. Written crash-safe: to a temp file, fsynced, renamed over
// its final name, then the directory fsynced, so a crash leaves the old set or the new one.
// latest() skips files whose CRC does not match (a disk that lied about fsync) and falls back
// to the one before. The newest engineLimits.checkpointsRetained are kept.
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from '@node-rs/crc32';
import { engineLimits } from '../../limits.ts';
import { EngineError } from '../engine-error.ts';
import { decodeSnapshot, encodeSnapshot } from '../state/snapshot-codec.ts';
import type { CompletedCheckpoint } from './checkpoint.ts';
import type { CheckpointStorage } from './checkpoint-storage.ts';

const namePattern = /^chk-(\d{16})\.bin$/;

export class LocalCheckpointStorage implements CheckpointStorage {
  readonly directory: string;

  constructor(directory: string) {
    this.directory = directory;
  }

  async save(checkpoint: CompletedCheckpoint): Promise<number> {
    await mkdir(this.directory, { recursive: true });
    const body = encodeSnapshot(checkpoint);
    const bytes = Buffer.allocUnsafe(body.length + 4);
    bytes.writeUInt32BE(crc32(body), 0);
    bytes.set(body, 4);
    const name = `chk-${String(checkpoint.id).padStart(16, '0')}.bin`;
    const temp = join(this.directory, `.${name}.tmp`);
    const file = await open(temp, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, join(this.directory, name));
    await syncDirectory(this.directory);
    await this.#prune();
    return bytes.length;
  }

  async latest(): Promise<CompletedCheckpoint | null> {
    const names = await this.#names();
    for (let i = names.length - 1; i >= 0; i--) {
      const path = join(this.directory, names[i]!);
      const bytes = await readFile(path);
      if (bytes.length > engineLimits.checkpointBytesMax) {
        throw new EngineError(
          'restore_failed',
          `Checkpoint '${path}' is ${bytes.length} bytes, more than the ${engineLimits.checkpointBytesMax} allowed`,
        );
      }
      const body = bytes.subarray(4);
      if (bytes.length < 5 || bytes.readUInt32BE(0) !== crc32(body)) continue; // torn: try the previous one
      return decodeSnapshot<CompletedCheckpoint>(body, path);
    }
    return null;
  }

  async #names(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names.filter((n) => namePattern.test(n)).sort();
  }

  async #prune(): Promise<void> {
    const names = await this.#names();
    for (const name of names.slice(0, Math.max(0, names.length - engineLimits.checkpointsRetained)))
      await rm(join(this.directory, name), { force: true });
  }
}

/** fsync of a directory, so a rename in it survives a power loss. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
