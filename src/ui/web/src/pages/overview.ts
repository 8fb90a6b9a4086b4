// Overview: throughput in and out, counts of topics, partitions, disk, groups and running jobs,
// and health, all updated with each sample from the broker.
import { api, samples } from '../api.ts';
import { TimeChart } from '../chart.ts';
import { h, replace } from '../dom.ts';
import { bytes, count, duration, rate } from '../format.ts';
import type { Overview } from '../types.ts';
import { badge, card, errorBanner, section, table } from '../widgets.ts';
import type { Page } from './page.ts';

export const overviewPage: Page = (root) => {
  const cards = h('div', { class: 'cards', 'data-testid': 'overview-cards' });
  const health = h('div');
  const bytesChart = new TimeChart(
    [
      { label: 'bytes in', color: '#2f80ed' },
      { label: 'bytes out', color: '#27ae60' },
    ],
    (v) => `${bytes(v)}/s`,
  );
  const recordsChart = new TimeChart([{ label: 'records in', color: '#f2994a' }], (v) => rate(v, 'rec'));
  replace(
    root,
    h('h1', {}, 'Overview'),
    cards,
    h(
      'div',
      { class: 'grid2' },
      section('Network throughput', bytesChart.element),
      section('Records appended', recordsChart.element),
    ),
    section('Health', health),
  );
  let alive = true;
  const refresh = async () => {
    try {
      const o = await api.get<Overview>('api/overview');
      if (!alive) return;
      const last = samples.history.at(-1);
      replace(
        cards,
        card('Bytes in', last ? `${bytes(last.bytesInPerSec)}/s` : '—', 'requests received'),
        card('Bytes out', last ? `${bytes(last.bytesOutPerSec)}/s` : '—', 'responses sent'),
        card('Records in', last ? rate(last.recordsInPerSec, 'rec') : '—', 'appended to topics'),
        card('Topics', count(o.topics), `${o.internalTopics} internal`),
        card(
          'Partitions',
          count(o.partitions),
          o.offlinePartitions > 0 ? `${o.offlinePartitions} offline` : 'all online',
        ),
        card('Disk', bytes(o.diskBytes), o.dataDir),
        card('Consumer groups', o.groups === null ? 'off' : count(o.groups)),
        card('Running jobs', count(o.runningJobs), `${o.jobs} defined`),
        card('Connections', count(o.connections), `node ${o.nodeId} · ${o.listener}`),
        card('Uptime', duration(Date.now() - o.startedAtMs), `cluster ${o.clusterId}`),
      );
      replace(
        health,
        h('p', {}, o.health.ready ? badge('ready', 'good') : badge('not ready', 'bad')),
        table(
          ['check', 'state', 'detail'],
          Object.entries(o.health.checks).map(([name, c]) => [
            name,
            c.ready ? badge('ready', 'good') : badge('not ready', 'bad'),
            c.detail,
          ]),
        ),
      );
    } catch (error) {
      if (alive) replace(cards, errorBanner((error as Error).message));
    }
  };
  void refresh();
  const unsubscribe = samples.subscribe((_sample, history) => {
    const xs = history.map((s) => s.atMs);
    bytesChart.update(xs, [history.map((s) => s.bytesInPerSec), history.map((s) => s.bytesOutPerSec)]);
    recordsChart.update(xs, [history.map((s) => s.recordsInPerSec)]);
    void refresh();
  });
  return () => {
    alive = false;
    unsubscribe();
    bytesChart.destroy();
    recordsChart.destroy();
  };
};
