// gzip (codec 1). zlib enforces the output bound itself (maxOutputLength), so a gzip bomb stops
// at the limit instead of being inflated in full first.
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { isProtocolError } from '../errors.ts';
import { corruptCompressedData, decompressedTooLarge, describeError } from './decompress-errors.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export async function gzipCompress(buf: Buffer): Promise<Buffer> {
  return gzipAsync(buf);
}

export async function gzipDecompress(buf: Buffer, maxBytes: number): Promise<Buffer> {
  let out: Buffer;
  try {
    // zlib requires maxOutputLength >= 1; a limit of 0 is still enforced by the check below.
    out = await gunzipAsync(buf, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (error) {
    if (isProtocolError(error)) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw decompressedTooLarge('gzip', 'unknown', maxBytes);
    }
    throw corruptCompressedData('gzip', describeError(error));
  }
  if (out.length > maxBytes) throw decompressedTooLarge('gzip', out.length, maxBytes);
  return out;
}
