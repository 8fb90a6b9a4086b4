// `npm run bench -- <name...>`: runs the named benchmarks (all when none is named) and prints
// each figure beside its peer's from the same run. Speed targets live here, never in tests.
import { type BenchRow, formatRows } from './bench-row.ts';
import { benchBroker } from './broker.ts';
import { benchCodec } from './codec.ts';
import { benchNexmark } from './nexmark.ts';
import { benchStorage } from './storage.ts';

const benches: Record<string, { title: string; run: () => Promise<BenchRow[]> }> = {
  codec: { title: 'Protocol codec (1 MiB produce request, 1,000 records of 1 KiB)', run: benchCodec },
  broker: { title: 'Broker over TCP with @platformatic/kafka (loopback)', run: benchBroker },
  storage: { title: 'Storage appends and reads beside a raw fs loop on the same disk', run: benchStorage },
  nexmark: { title: 'Nexmark: in-thread, 2 worker threads, continuous-mode latency', run: benchNexmark },
};

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((a) => !(a in benches));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
for (const name of asked.length > 0 ? asked : Object.keys(benches)) {
  const bench = benches[name]!;
  process.stderr.write(`running ${name}…\n`);
  console.log(formatRows(bench.title, await bench.run()));
}
