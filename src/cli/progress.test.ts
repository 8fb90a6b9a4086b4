import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { ProgressLine, progressBar } from './progress.ts';

function capture(isTTY: boolean): {
  stream: PassThrough & { isTTY?: boolean; columns?: number };
  text: () => string;
} {
  const stream: PassThrough & { isTTY?: boolean; columns?: number } = new PassThrough();
  stream.isTTY = isTTY;
  stream.columns = 20;
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { stream, text: () => chunks.join('') };
}

describe('ProgressLine', () => {
  it('redraws one line in place on a terminal and clears it', async () => {
    const { stream, text } = capture(true);
    const line = new ProgressLine(stream);
    line.update('step 1', true);
    // 20 columns: at most 19 characters, the last one an ellipsis.
    line.update('a status far wider than the terminal', true);
    line.clear();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(text(), '\r\x1b[2Kstep 1\r\x1b[2Ka status far wider…\r\x1b[2K');
  });

  it('writes nothing when the stream is not a terminal', async () => {
    const { stream, text } = capture(false);
    const line = new ProgressLine(stream);
    line.update('step 1', true);
    line.clear();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(text(), '');
  });

  it('skips a redraw that comes sooner than the redraw interval unless forced', async () => {
    const { stream, text } = capture(true);
    const line = new ProgressLine(stream);
    line.update('one', true);
    line.update('two');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(text(), '\r\x1b[2Kone');
  });
});

describe('progressBar()', () => {
  it('fills in proportion and clamps to the ends', () => {
    assert.equal(progressBar(0.5, 10), '[#####-----]');
    assert.equal(progressBar(2, 4), '[####]');
    assert.equal(progressBar(-1, 4), '[----]');
  });
});
