// A pino logger whose lines tests can read back.
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../logger.ts';

export interface LogCapture {
  logger: Logger;
  lines(): Record<string, unknown>[];
}

export function captureLogs(level = 'debug'): LogCapture {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== ''),
      );
      done();
    },
  });
  const logger = createLogger({ level, format: 'json', stream });
  return { logger, lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
