// JSON for scripts: one document per command (or one object per line for consume). Offsets and
// timestamps are bigints in the client; they print as numbers while exact, as strings beyond 2^53.
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v !== 'bigint') return v;
      return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(v)
        : String(v);
    },
    indent,
  );
}

export function writeJson(stream: NodeJS.WritableStream, value: unknown): void {
  stream.write(`${toJson(value, 2)}\n`);
}
