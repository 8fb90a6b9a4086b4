// Reads a JSON request body, bounded by httpLimits.requestBodyBytesMax. Requests that change
// state must say Content-Type: application/json: a plain HTML form on another site cannot send
// that without a CORS preflight, which this server never grants, so a page elsewhere cannot
// reset offsets or stop jobs through a browser on this machine.
import type { IncomingMessage } from 'node:http';
import { httpLimits } from '../../limits.ts';
import { HttpError } from './http-error.ts';

export async function readJsonBody(
  req: IncomingMessage,
  bytesMax: number = httpLimits.requestBodyBytesMax,
): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json'))
    throw new HttpError(415, `Expected Content-Type application/json, got '${type}'`);
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > bytesMax)
    throw new HttpError(413, `Request body of ${declared} bytes exceeds the limit of ${bytesMax}`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > bytesMax) throw new HttpError(413, `Request body exceeds the limit of ${bytesMax} bytes`);
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, `Request body is not JSON: ${(error as Error).message}`);
  }
}
