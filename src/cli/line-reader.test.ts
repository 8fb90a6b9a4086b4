import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError } from './command.ts';
import { readLines } from './line-reader.ts';

async function collect(chunks: string[], max = 100): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readLines(chunks, max)) out.push(line.toString('utf8'));
  return out;
}

describe('readLines()', () => {
  it('splits lines across chunk boundaries and keeps a last line without a newline', async () => {
    assert.deepEqual(await collect(['a\nb', 'c\n\nd', 'e']), ['a', 'bc', '', 'de']);
  });

  it('drops the carriage return of CRLF line ends', async () => {
    assert.deepEqual(await collect(['x\r\ny\r\n']), ['x', 'y']);
  });

  it('fails on a line longer than the bound, naming the line', async () => {
    await assert.rejects(
      collect(['ok\n', '0123456789', '0123456789\n'], 15),
      (e) => e instanceof CliError && /line 2 of the input is longer than 15 bytes/.test(e.message),
    );
  });
});
