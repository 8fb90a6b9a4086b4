// Consumer groups: state, type, partitions with commits and total lag, and a chart of every
// group's total lag over the sampler's history.
import { api, samples } from '../api.ts';
import { paletteColor, TimeChart } from '../chart.ts';
import { h, replace } from '../dom.ts';
import { count } from '../format.ts';
import type { GroupRow, Sample } from '../types.ts';
import { errorBanner, section, stateBadge, table } from '../widgets.ts';
import type { Page } from './page.ts';

/** Lines charted at most; the table lists every group. */
const CHARTED_GROUPS_MAX = 8;

export function lagChartData(history: readonly Sample[], groups: string[]): { xs: number[]; ys: number[][] } {
  return {
    xs: history.map((s) => s.atMs),
    ys: groups.map((g) => history.map((s) => s.groupLag[g] ?? 0)),
  };
}

export const groupsPage: Page = (root) => {
  const body = h('div');
  const chart = new TimeChart([], (v) => `${count(v)} rec`);
  replace(
    root,
    h('h1', {}, 'Consumer groups'),
    body,
    section('Lag (records behind the end, per group)', chart.element),
  );
  let alive = true;
  const refresh = async () => {
    try {
      const list = await api.get<{ coordinator: boolean; groups: GroupRow[] }>('api/groups');
      if (!alive) return;
      if (!list.coordinator) {
        replace(body, errorBanner('This broker runs no group coordinator.'));
        return;
      }
      replace(
        body,
        table(
          ['group', 'state', 'type', 'partitions', 'total lag'],
          list.groups.map((g) => [
            h('a', { href: `#/groups/${encodeURIComponent(g.groupId)}` }, g.groupId),
            stateBadge(g.state),
            g.type,
            g.partitions,
            count(g.totalLag),
          ]),
          { 'data-testid': 'groups-table' },
        ),
      );
    } catch (error) {
      if (alive) replace(body, errorBanner((error as Error).message));
    }
  };
  void refresh();
  const unsubscribe = samples.subscribe((_s, history) => {
    const last = history.at(-1);
    const groups = Object.keys(last?.groupLag ?? {})
      .sort()
      .slice(0, CHARTED_GROUPS_MAX);
    const { xs, ys } = lagChartData(history, groups);
    chart.update(
      xs,
      ys,
      groups.map((g, i) => ({ label: g, color: paletteColor(i) })),
    );
    void refresh();
  });
  return () => {
    alive = false;
    unsubscribe();
    chart.destroy();
  };
};
