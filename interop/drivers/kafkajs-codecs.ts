// kafkajs ships only gzip; other codecs are plug-ins registered in CompressionCodecs. snappy and
// lz4 come from npm codec packages without install scripts (kafkajs-snappy on snappyjs,
// @2l/kafkajs-lz4 on lz4-napi). @kafkajs/zstd builds a native addon at install, so zstd is this
// adapter over @mongodb-js/zstd (prebuilt), in the same shape.
import { createRequire } from 'node:module';
import { compress, decompress } from '@mongodb-js/zstd';
import kafkajs from 'kafkajs';

const { CompressionCodecs, CompressionTypes } = kafkajs;
const require = createRequire(import.meta.url);

interface KafkajsCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

let registered = false;

/** Registers snappy, lz4 and zstd with kafkajs (once per process). */
export function registerKafkajsCodecs(): void {
  if (registered) return;
  registered = true;
  const snappy = require('kafkajs-snappy') as () => KafkajsCodec;
  const Lz4Codec = require('@2l/kafkajs-lz4') as new () => { codec: () => KafkajsCodec };
  const zstd = (): KafkajsCodec => ({
    compress: (encoder) => compress(encoder.buffer),
    decompress: (buffer) => decompress(buffer),
  });
  const codecs = CompressionCodecs as Record<number, () => KafkajsCodec>;
  codecs[CompressionTypes.Snappy] = snappy;
  codecs[CompressionTypes.LZ4] = new Lz4Codec().codec;
  codecs[CompressionTypes.ZSTD] = zstd;
}
