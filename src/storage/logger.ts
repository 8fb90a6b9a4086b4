// The logger storage reports to (recovery times, offline partitions, deleted segments). Its shape
// matches pino's `(fields, message)` so the broker can pass its logger straight in.

export interface StorageLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export const silentLogger: StorageLogger = {
  info() {},
  warn() {},
  error() {},
};
