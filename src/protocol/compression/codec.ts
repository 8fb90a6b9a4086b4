// One entry point for the five codecs a record batch may name in its attributes (bits 0..2).
// Decompression always takes the caller's output bound, so no codec can be asked to inflate
// without one.
import { ProtocolError } from '../errors.ts';
import { gzipCompress, gzipDecompress } from './gzip.ts';
import { lz4Compress, lz4Decompress } from './lz4.ts';
import { snappyCompress, snappyDecompress } from './snappy.ts';
import { zstdCompress, zstdDecompress } from './zstd.ts';

export const compressionTypes = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;

export type CompressionName = keyof typeof compressionTypes;
export type CompressionType = (typeof compressionTypes)[CompressionName];

const names: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export function isCompressionType(id: number): id is CompressionType {
  return Number.isInteger(id) && id >= 0 && id < names.length;
}

/** The codec for an attribute's compression id; unknown ids are a ProtocolError naming the id. */
export function toCompressionType(id: number): CompressionType {
  if (!isCompressionType(id)) {
    throw new ProtocolError('unsupported_compression', `Unsupported compression type ${id}: expected 0..4`);
  }
  return id;
}

export function compressionName(type: CompressionType): CompressionName {
  return names[type]!;
}

export async function compress(type: number, buf: Buffer): Promise<Buffer> {
  switch (toCompressionType(type)) {
    case compressionTypes.none:
      return buf;
    case compressionTypes.gzip:
      return gzipCompress(buf);
    case compressionTypes.snappy:
      return snappyCompress(buf);
    case compressionTypes.lz4:
      return lz4Compress(buf);
    case compressionTypes.zstd:
      return zstdCompress(buf);
  }
}

/** Decompresses `buf`; more than `maxBytes` of output is a ProtocolError, as is corrupt input. */
export async function decompress(type: number, buf: Buffer, maxBytes: number): Promise<Buffer> {
  switch (toCompressionType(type)) {
    case compressionTypes.none:
      if (buf.length > maxBytes) {
        throw new ProtocolError(
          'length_out_of_range',
          `Cannot read uncompressed records: ${buf.length} bytes exceed the limit of ${maxBytes} bytes`,
        );
      }
      return buf;
    case compressionTypes.gzip:
      return gzipDecompress(buf, maxBytes);
    case compressionTypes.snappy:
      return snappyDecompress(buf, maxBytes);
    case compressionTypes.lz4:
      return lz4Decompress(buf, maxBytes);
    case compressionTypes.zstd:
      return zstdDecompress(buf, maxBytes);
  }
}
