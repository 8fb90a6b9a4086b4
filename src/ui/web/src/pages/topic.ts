// One topic: its partitions (start and end offsets, size, segments), configs (editable) and the
// message browser with live tail. Partition figures refresh with each sample.
import { api, samples } from '../api.ts';
import { h, replace } from '../dom.ts';
import { bytes, count } from '../format.ts';
import type { TopicDetail } from '../types.ts';
import { badge, errorBanner, section, table } from '../widgets.ts';
import { configEditor } from './config-editor.ts';
import { messageBrowser } from './message-browser.ts';
import type { Page } from './page.ts';

export const topicPage: Page = (root, params) => {
  const name = params[0] ?? '';
  const partitions = h('div');
  const configs = h('div');
  const browserSlot = h('div');
  replace(
    root,
    h('p', { class: 'crumbs' }, h('a', { href: '#/topics' }, 'Topics'), ' / ', name),
    h('h1', {}, name),
    section('Partitions', partitions),
    browserSlot,
    section('Configs', configs),
  );
  let alive = true;
  let browser: { close(): void } | null = null;
  const refreshPartitions = async (withConfigs: boolean) => {
    try {
      const t = await api.get<TopicDetail>(`api/topics/${encodeURIComponent(name)}`);
      if (!alive) return;
      replace(
        partitions,
        table(
          ['partition', 'start offset', 'end offset', 'records', 'size', 'segments', 'state'],
          t.partitions.map((p) => [
            p.partition,
            count(p.logStartOffset),
            count(p.logEndOffset),
            count(p.logEndOffset - p.logStartOffset),
            bytes(p.sizeBytes),
            p.segments,
            p.offline === null ? badge('online', 'good') : badge(p.offline, 'bad'),
          ]),
          { 'data-testid': 'partitions-table' },
        ),
      );
      if (browser === null) {
        const created = messageBrowser(name, t.partitions.length);
        browser = created;
        replace(browserSlot, created.element);
      }
      if (withConfigs)
        replace(
          configs,
          configEditor(name, t.configs, () => {}),
        );
    } catch (error) {
      if (alive) replace(partitions, errorBanner((error as Error).message));
    }
  };
  void refreshPartitions(true);
  const unsubscribe = samples.subscribe(() => void refreshPartitions(false));
  return () => {
    alive = false;
    unsubscribe();
    browser?.close();
  };
};
