// One consumer group: state, members and their assigned partitions, lag per partition and in
// total with a lag chart, and resetting committed offsets (earliest, latest, an offset or a time)
// after a confirmation naming exactly what will change.
import { api, samples } from '../api.ts';
import { TimeChart } from '../chart.ts';
import { h, replace } from '../dom.ts';
import { count } from '../format.ts';
import type { GroupDetail, TopicRow } from '../types.ts';
import { confirmDialog, errorBanner, section, stateBadge, table } from '../widgets.ts';
import type { Page } from './page.ts';

export const groupPage: Page = (root, params) => {
  const groupId = params[0] ?? '';
  const summary = h('div', { class: 'cards' });
  const members = h('div');
  const lag = h('div');
  const chart = new TimeChart([{ label: 'total lag', color: '#eb5757' }], (v) => `${count(v)} rec`);
  const reset = h('div');
  replace(
    root,
    h('p', { class: 'crumbs' }, h('a', { href: '#/groups' }, 'Consumer groups'), ' / ', groupId),
    h('h1', {}, groupId),
    summary,
    section('Lag per partition', lag),
    section('Total lag', chart.element),
    section('Members', members),
    section('Reset offsets', reset),
  );
  let alive = true;
  const refresh = async () => {
    try {
      const g = await api.get<GroupDetail>(`api/groups/${encodeURIComponent(groupId)}`);
      if (!alive) return;
      replace(
        summary,
        h(
          'div',
          { class: 'card' },
          h('div', { class: 'card-label' }, 'State'),
          h('div', { class: 'card-value' }, stateBadge(g.state)),
        ),
        h(
          'div',
          { class: 'card' },
          h('div', { class: 'card-label' }, 'Members'),
          h('div', { class: 'card-value' }, g.members.length),
        ),
        h(
          'div',
          { class: 'card' },
          h('div', { class: 'card-label' }, 'Total lag'),
          h('div', { class: 'card-value', 'data-testid': 'total-lag' }, count(g.totalLag)),
        ),
        h(
          'div',
          { class: 'card' },
          h('div', { class: 'card-label' }, 'Protocol'),
          h('div', { class: 'card-value small' }, `${g.protocolType || '—'} ${g.protocol}`),
        ),
      );
      replace(
        lag,
        table(
          ['topic', 'partition', 'committed', 'end offset', 'lag'],
          g.partitions.map((p) => [
            p.topic,
            p.partition,
            p.committedOffset < 0 ? '—' : count(p.committedOffset),
            count(p.logEndOffset),
            count(p.lag),
          ]),
          { 'data-testid': 'lag-table' },
        ),
      );
      replace(
        members,
        table(
          ['member', 'client', 'host', 'assigned partitions'],
          g.members.map((m) => [
            m.groupInstanceId ?? m.memberId,
            m.clientId,
            m.clientHost,
            m.assignment.map((a) => `${a.topic}: ${a.partitions.join(', ')}`).join('; ') || '—',
          ]),
        ),
      );
    } catch (error) {
      if (alive) replace(summary, errorBanner((error as Error).message));
    }
  };

  const buildResetForm = async () => {
    const topics = await api.get<TopicRow[]>('api/topics');
    const topic = h(
      'select',
      { name: 'topic', 'data-testid': 'reset-topic' },
      topics.filter((t) => !t.internal).map((t) => h('option', { value: t.name }, t.name)),
    );
    const to = h(
      'select',
      { name: 'to', 'data-testid': 'reset-to' },
      h('option', { value: 'earliest' }, 'earliest'),
      h('option', { value: 'latest' }, 'latest'),
      h('option', { value: 'offset' }, 'offset'),
      h('option', { value: 'timestamp' }, 'time'),
    );
    const value = h('input', {
      name: 'value',
      placeholder: 'offset, or time (ISO or ms)',
      'data-testid': 'reset-value',
    });
    const message = h('div', { 'data-testid': 'reset-message' });
    const submit = async () => {
      let numeric: number | undefined;
      if (to.value === 'offset' || to.value === 'timestamp') {
        const text = value.value.trim();
        numeric = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
        if (Number.isNaN(numeric)) {
          replace(
            message,
            errorBanner(`Cannot read '${text}' as ${to.value === 'offset' ? 'an offset' : 'a time'}`),
          );
          return;
        }
      }
      const target = numeric === undefined ? to.value : `${to.value} ${value.value.trim()}`;
      const confirmed = await confirmDialog(
        'Reset offsets',
        `Reset the committed offsets of group '${groupId}' on every partition of '${topic.value}' to ${target}? Consumers of the group will re-read or skip records from there. The group must have no active members.`,
        'Reset offsets',
      );
      if (!confirmed) {
        replace(message, h('div', { class: 'muted' }, 'Reset cancelled.'));
        return;
      }
      try {
        const result = await api.post<{ offsets: { partition: number; offset: number }[] }>(
          `api/groups/${encodeURIComponent(groupId)}/reset-offsets`,
          {
            topic: topic.value,
            to: to.value,
            ...(numeric === undefined ? {} : { value: numeric }),
          },
        );
        replace(
          message,
          h(
            'div',
            { class: 'ok' },
            `Offsets reset: ${result.offsets.map((o) => `partition ${o.partition} → ${o.offset}`).join(', ')}`,
          ),
        );
        void refresh();
      } catch (error) {
        replace(message, errorBanner((error as Error).message));
      }
    };
    replace(
      reset,
      h(
        'form',
        {
          class: 'toolbar',
          onsubmit: (e: Event) => {
            e.preventDefault();
            void submit();
          },
        },
        h('label', {}, 'topic ', topic),
        h('label', {}, 'to ', to),
        value,
        h('button', { type: 'submit', class: 'danger', 'data-testid': 'reset-button' }, 'Reset offsets…'),
      ),
      message,
    );
  };

  void refresh();
  void buildResetForm().catch((error: unknown) => replace(reset, errorBanner((error as Error).message)));
  const unsubscribe = samples.subscribe((_s, history) => {
    chart.update(
      history.map((s) => s.atMs),
      [history.map((s) => s.groupLag[groupId] ?? 0)],
    );
    void refresh();
  });
  return () => {
    alive = false;
    unsubscribe();
    chart.destroy();
  };
};
