// The two ways decompression fails on hostile or damaged input, worded the same for every codec
// so the broker can log and map them without knowing which codec was involved.
import { ProtocolError } from '../errors.ts';

/** The compressed bytes are not a valid stream of the named codec. */
export function corruptCompressedData(codec: string, detail: string): ProtocolError {
  return new ProtocolError('corrupt_record_batch', `Cannot decompress ${codec} records: ${detail}`);
}

/** The stream declares or produces more bytes than the caller allows (a zip bomb or a huge batch). */
export function decompressedTooLarge(
  codec: string,
  bytes: number | 'unknown',
  maxBytes: number,
): ProtocolError {
  const size = bytes === 'unknown' ? 'more bytes than' : `${bytes} bytes, more than`;
  return new ProtocolError(
    'length_out_of_range',
    `Cannot decompress ${codec} records: output would be ${size} the limit of ${maxBytes} bytes`,
  );
}

/** Message of anything a native codec throws, for wrapping into a ProtocolError. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
