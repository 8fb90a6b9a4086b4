// Kafka's per-data-directory checkpoint files (`recovery-point-offset-checkpoint`,
// `log-start-offset-checkpoint`): a version line, a count line, then `topic partition offset`.
import { StorageError } from './errors.ts';

export type OffsetCheckpoint = Map<string, number>;

export function checkpointKey(topic: string, partition: number): string {
  return `${topic} ${partition}`;
}

export function encodeCheckpoint(entries: OffsetCheckpoint): Buffer {
  const lines = ['0', String(entries.size)];
  for (const [key, offset] of entries) lines.push(`${key} ${offset}`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

export function decodeCheckpoint(text: string, file: string): OffsetCheckpoint {
  const lines = text.split('\n').filter((l) => l !== '');
  const fail = (why: string) =>
    new StorageError('corrupt_log', `Cannot read checkpoint ${file}: ${why}`, { file });
  if (lines[0] !== '0') throw fail(`unknown version '${lines[0]}'`);
  const count = Number(lines[1]);
  if (!Number.isSafeInteger(count) || count !== lines.length - 2)
    throw fail(`count ${lines[1]} does not match ${lines.length - 2} lines`);
  const entries: OffsetCheckpoint = new Map();
  for (const line of lines.slice(2)) {
    const parts = line.split(' ');
    const offset = Number(parts[2]);
    if (parts.length !== 3 || !Number.isSafeInteger(offset) || offset < 0) throw fail(`bad line '${line}'`);
    entries.set(`${parts[0]} ${parts[1]}`, offset);
  }
  return entries;
}
