// The data directory's identity, in Kafka's meta.properties format: the cluster id (generated on
// first start) and the node id that owns the directory. A directory written by another node id is
// refused rather than silently adopted.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brokerLimits } from '../limits.ts';
import { ConfigError, parseProperties } from './config.ts';

export const META_FILE = 'meta.properties';

export interface ClusterMeta {
  clusterId: string;
  nodeId: number;
}

/** A random 22-character base64url id, as Kafka's Uuid.randomUuid().toString(). */
export function newClusterId(): string {
  return randomBytes(16).toString('base64url');
}

async function readMeta(path: string): Promise<Record<string, string> | null> {
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (text.length > brokerLimits.configFileBytesMax) {
    throw new ConfigError(
      `Cannot read ${path}: ${text.length} bytes exceeds ${brokerLimits.configFileBytesMax}`,
    );
  }
  return parseProperties(text.toString('utf8'), path);
}

/** Reads the directory's meta.properties, creating it (with a new cluster id) on first start. */
export async function loadClusterMeta(dataDir: string, nodeId: number): Promise<ClusterMeta> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, META_FILE);
  const existing = await readMeta(path);
  if (existing !== null) {
    const clusterId = existing['cluster.id'] ?? '';
    const storedNodeId = Number(existing['node.id']);
    if (!/^[A-Za-z0-9_-]{22}$/.test(clusterId))
      throw new ConfigError(`Invalid cluster.id '${clusterId}' in ${path}`);
    if (storedNodeId !== nodeId) {
      throw new ConfigError(
        `Cannot start node ${nodeId} on ${dataDir}: its ${META_FILE} belongs to node.id ${existing['node.id']}`,
      );
    }
    return { clusterId, nodeId };
  }
  const meta = { clusterId: newClusterId(), nodeId };
  const temp = `${path}.tmp`;
  await writeFile(temp, `version=1\ncluster.id=${meta.clusterId}\nnode.id=${nodeId}\n`);
  await rename(temp, path);
  return meta;
}
