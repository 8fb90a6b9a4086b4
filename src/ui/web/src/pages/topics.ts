// Topics: every topic with partitions, records held, size and config overrides, refreshed with
// each sample.
import { api, samples } from '../api.ts';
import { h, replace } from '../dom.ts';
import { bytes, count } from '../format.ts';
import type { TopicRow } from '../types.ts';
import { badge, errorBanner, table } from '../widgets.ts';
import type { Page } from './page.ts';

export const topicsPage: Page = (root) => {
  const body = h('div');
  replace(root, h('h1', {}, 'Topics'), body);
  let alive = true;
  const refresh = async () => {
    try {
      const topics = await api.get<TopicRow[]>('api/topics');
      if (!alive) return;
      replace(
        body,
        table(
          ['topic', 'partitions', 'records', 'size', 'overrides', ''],
          topics.map((t) => [
            h('a', { href: `#/topics/${encodeURIComponent(t.name)}` }, t.name),
            count(t.partitions),
            count(t.records),
            bytes(t.sizeBytes),
            t.overrides > 0 ? `${t.overrides} set` : '—',
            [
              t.internal ? badge('internal') : null,
              t.offlinePartitions > 0 ? badge(`${t.offlinePartitions} offline`, 'bad') : null,
            ],
          ]),
          { 'data-testid': 'topics-table' },
        ),
      );
    } catch (error) {
      if (alive) replace(body, errorBanner((error as Error).message));
    }
  };
  void refresh();
  const unsubscribe = samples.subscribe(() => void refresh());
  return () => {
    alive = false;
    unsubscribe();
  };
};
