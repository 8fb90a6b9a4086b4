// The message browser of a topic: by partition, from the newest records, an offset or a
// timestamp, with keys and values shown as JSON, text or hex; and a live tail (an event stream of
// the records appended from now on, newest first, the table bounded to TAIL_ROWS_MAX rows).
import { api } from '../api.ts';
import { h, replace } from '../dom.ts';
import { time } from '../format.ts';
import { fieldCell, type View } from '../record-format.ts';
import type { BrowsedPage, BrowsedRecord } from '../types.ts';
import { errorBanner, section } from '../widgets.ts';

const TAIL_ROWS_MAX = 500;

export function messageBrowser(topic: string, partitions: number): { element: HTMLElement; close(): void } {
  const partition = h(
    'select',
    { name: 'partition', 'data-testid': 'browse-partition' },
    Array.from({ length: partitions }, (_, p) => h('option', { value: p }, `partition ${p}`)),
  );
  const mode = h(
    'select',
    { name: 'mode', 'data-testid': 'browse-mode' },
    h('option', { value: 'newest' }, 'newest'),
    h('option', { value: 'offset' }, 'from offset'),
    h('option', { value: 'timestamp' }, 'from time'),
  );
  const position = h('input', {
    name: 'position',
    placeholder: 'offset, or time (ISO or ms)',
    'data-testid': 'browse-position',
    size: 26,
  });
  const limit = h('input', { name: 'limit', type: 'number', value: 50, min: 1, max: 500, size: 5 });
  const view = h(
    'select',
    { name: 'view', 'data-testid': 'browse-view' },
    ['auto', 'json', 'text', 'hex'].map((v) => h('option', { value: v }, v)),
  );
  const status = h('span', { class: 'muted', 'data-testid': 'browse-status' });
  const rows = h('tbody');
  const result = h(
    'div',
    {},
    h(
      'table',
      { class: 'records', 'data-testid': 'records-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['offset', 'timestamp', 'key', 'value', 'headers'].map((x) => h('th', {}, x)),
        ),
      ),
      rows,
    ),
  );
  let records: BrowsedRecord[] = [];
  let tail: EventSource | null = null;
  const tailButton = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'tail-toggle', onclick: () => toggleTail() },
    'Live tail',
  );

  const render = () => {
    const v = view.value as View;
    replace(
      rows,
      records.length === 0
        ? h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'no records'))
        : records.map((r) =>
            h(
              'tr',
              {},
              h('td', { class: 'num' }, r.offset),
              h('td', { class: 'nowrap' }, time(r.timestampMs)),
              h('td', {}, fieldCell(r.key, v)),
              h('td', {}, fieldCell(r.value, v)),
              h(
                'td',
                {},
                r.headers.map((x) =>
                  h('div', { class: 'header' }, `${x.key}: ${x.value.text ?? x.value.hex}`),
                ),
              ),
            ),
          ),
    );
  };

  const browse = async () => {
    stopTail();
    const query = new URLSearchParams({ limit: limit.value });
    if (mode.value === 'offset') query.set('offset', position.value.trim());
    if (mode.value === 'timestamp') {
      const text = position.value.trim();
      const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
      if (Number.isNaN(ms)) {
        replace(status, errorBanner(`Cannot read '${text}' as a time: give milliseconds or an ISO date`));
        return;
      }
      query.set('timestamp', String(ms));
    }
    try {
      const page = await api.get<BrowsedPage>(
        `api/topics/${encodeURIComponent(topic)}/partitions/${partition.value}/messages?${query}`,
      );
      records = page.records;
      replace(
        status,
        `${page.records.length} record(s); partition holds offsets ${page.logStartOffset}–${page.logEndOffset - 1}; next page from ${page.nextOffset}`,
      );
      render();
    } catch (error) {
      replace(status, errorBanner((error as Error).message));
    }
  };

  function stopTail(): void {
    tail?.close();
    tail = null;
    tailButton.textContent = 'Live tail';
    tailButton.classList.remove('active');
  }

  function toggleTail(): void {
    if (tail !== null) {
      stopTail();
      return;
    }
    records = [];
    render();
    const source = new EventSource(
      `events/tail?topic=${encodeURIComponent(topic)}&partition=${partition.value}`,
    );
    tail = source;
    tailButton.textContent = 'Stop tail';
    tailButton.classList.add('active');
    source.addEventListener('position', (event) => {
      const p = JSON.parse((event as MessageEvent<string>).data) as { offset: number };
      replace(status, `tailing partition ${partition.value} from offset ${p.offset}…`);
    });
    source.addEventListener('records', (event) => {
      const page = JSON.parse((event as MessageEvent<string>).data) as BrowsedPage;
      records = [...page.records.slice().reverse(), ...records].slice(0, TAIL_ROWS_MAX);
      replace(
        status,
        `tailing partition ${partition.value}: ${records.length} new record(s) shown, end offset ${page.logEndOffset}`,
      );
      render();
    });
  }

  view.addEventListener('change', render);
  const form = h(
    'form',
    {
      class: 'toolbar',
      onsubmit: (e: Event) => {
        e.preventDefault();
        void browse();
      },
    },
    partition,
    mode,
    position,
    h('label', {}, 'limit ', limit),
    h('label', {}, 'show as ', view),
    h('button', { type: 'submit', 'data-testid': 'browse-button' }, 'Browse'),
    tailButton,
  );
  const element = section('Messages', form, status, result);
  void browse();
  return { element, close: stopTail };
}
