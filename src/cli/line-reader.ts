// Splits a byte stream into lines ('\n', with a '\r' before it dropped), holding at most one line
// in memory: a line longer than the bound fails instead of growing without limit.
import { CliError } from './command.ts';

export async function* readLines(
  stream: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  lineBytesMax: number,
): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let partsBytes = 0;
  let lineNumber = 1;
  const tooLong = () =>
    new CliError(
      `line ${lineNumber} of the input is longer than ${lineBytesMax} bytes; split it or send it another way`,
    );
  for await (const data of stream) {
    const chunk = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
      if (partsBytes + nl - start > lineBytesMax) throw tooLong();
      parts.push(chunk.subarray(start, nl));
      const line = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      parts = [];
      partsBytes = 0;
      start = nl + 1;
      yield line.at(-1) === 13 ? line.subarray(0, -1) : line;
      lineNumber++;
    }
    if (start < chunk.length) {
      partsBytes += chunk.length - start;
      if (partsBytes > lineBytesMax) throw tooLong();
      // Copy: the stream may reuse its chunk's memory once we return to it.
      parts.push(Buffer.from(chunk.subarray(start)));
    }
  }
  if (partsBytes > 0) {
    const line = Buffer.concat(parts);
    yield line.at(-1) === 13 ? line.subarray(0, -1) : line;
  }
}
