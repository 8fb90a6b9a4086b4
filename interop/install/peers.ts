// Where interop/install/*.sh put the external peers, for tests and capture scenarios.
// The scripts are the source of truth; these paths must match them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaCacheDir } from '../../bench/kafka/kafka-install.ts';

export interface InteropPeers {
  /** kcat from Debian, on PATH. */
  kcat: string;
  /** The venv python with confluent-kafka and kafka-python (interop/install/python.sh). */
  python: string;
  /** Our Python client program, run by `python`. */
  pythonClient: string;
  /** Our franz-go program (interop/install/franz-go.sh). */
  franzGo: string;
  /** Launcher of our Java client program (interop/install/java.sh). */
  javaClient: string;
}

export function interopPeers(): InteropPeers {
  const cache = join(kafkaCacheDir(), 'interop');
  return {
    kcat: 'kcat',
    python: join(cache, 'python', 'bin', 'python'),
    pythonClient: new URL('../python/client.py', import.meta.url).pathname,
    franzGo: join(cache, 'bin', 'franz-go-client'),
    javaClient: join(cache, 'bin', 'java-client'),
  };
}

/** Throws naming the install script when a peer's file is missing. */
export function requirePeer(path: string, script: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: run interop/install/${script}`);
}
