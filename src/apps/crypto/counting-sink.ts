// A sink that only counts what reaches it: where training sends late trades, which it reports
// but does not keep.
import type { Sink, SinkWriter } from '../../engine/connector/sink.ts';

export class CountingSink<K, V> implements Sink<K, V> {
  readonly name: string;
  count = 0;

  constructor(name: string) {
    this.name = name;
  }

  openWriter(): Promise<SinkWriter<K, V>> {
    return Promise.resolve({
      write: (records) => {
        this.count += records.length;
      },
      needsFlush: () => false,
      flush: () => Promise.resolve(),
      close: () => Promise.resolve(),
    });
  }
}
