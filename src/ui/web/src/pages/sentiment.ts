// The sentiment app: a keyword picker, the chosen keyword's live timeline (mean score and message
// counts per window), a live feed of alerts (what Slack is sent) and the newest scored messages
// with their labels. Says how to start the app while its topics are absent. The chosen keyword
// is kept in the address (#/sentiment/kafka) without a re-render.
import { api } from '../api.ts';
import { AppPage } from '../apps/app-page.ts';
import { openAppStream } from '../apps/app-stream.ts';
import { trimColumns, windowSlot } from '../apps/chart-columns.ts';
import { Feed } from '../apps/feed.ts';
import { SentimentChart, type TimelineColumns } from '../apps/sentiment-chart.ts';
import { h, replace } from '../dom.ts';
import { count, time, timeOfDay } from '../format.ts';
import type {
  KeywordSummary,
  KeywordTimeline,
  ScoredMessageRecord,
  SentimentAlertRecord,
  SentimentPointRecord,
} from '../types.ts';
import { badge, errorBanner, section, table } from '../widgets.ts';
import type { Page } from './page.ts';

const ALERTS_MAX = 100;
const MESSAGES_MAX = 50;
const TIMELINE_POINTS_MAX = 2000;

function score(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
}

function labelBadge(label: ScoredMessageRecord['label']): HTMLElement {
  return badge(label, label === 'positive' ? 'good' : label === 'negative' ? 'bad' : 'plain');
}

export const sentimentPage: Page = (root, params) => {
  let selected: string | null = params[0] ?? null;
  const shell = new AppPage(root, 'Keyword sentiment');

  const picker = h('div', { class: 'keyword-picker', 'data-testid': 'keyword-picker' });
  const head = h('div', { class: 'market-head', 'data-testid': 'keyword-head' }, 'Pick a keyword.');
  const chart = new SentimentChart();
  const alertList = h('ul', { class: 'feed', 'data-testid': 'sentiment-alerts' });
  const messagesSlot = h('div', { 'data-testid': 'scored-messages' });
  replace(
    shell.body,
    h('div', { class: 'apps-side' }, section('Keywords', picker)),
    h(
      'div',
      { class: 'apps-main' },
      section('Timeline', head, chart.element),
      section('Recent scored messages', messagesSlot),
    ),
    h('div', { class: 'apps-feed' }, section('Live alerts', alertList)),
  );

  const keywords = new Map<string, KeywordSummary>();
  const alerts = new Feed<SentimentAlertRecord>(ALERTS_MAX, (a) => a.id);
  const messages = new Feed<ScoredMessageRecord>(MESSAGES_MAX, (m) => `${m.source}:${m.id}:${m.keyword}`);
  let columns: TimelineColumns | null = null;
  let closeStream: (() => void) | null = null;

  const renderPicker = () => {
    const sorted = [...keywords.values()].sort((a, b) => a.keyword.localeCompare(b.keyword));
    replace(
      picker,
      sorted.length === 0 ? h('p', { class: 'muted' }, 'No keywords yet.') : null,
      sorted.map((k) =>
        h(
          'button',
          {
            type: 'button',
            class: k.keyword === selected ? 'pick active' : 'pick',
            'data-testid': `keyword-${k.keyword}`,
            onclick: () => void choose(k.keyword),
          },
          h('span', { class: 'pick-name' }, k.keyword),
          h('span', { class: k.lastMeanScore >= 0 ? 'up' : 'down' }, score(k.lastMeanScore)),
          k.alerts > 0 ? badge(`${k.alerts} alert${k.alerts === 1 ? '' : 's'}`, 'bad') : null,
        ),
      ),
    );
  };

  const renderHead = () => {
    const k = selected === null ? undefined : keywords.get(selected);
    if (k === undefined) return;
    replace(
      head,
      h('strong', {}, k.keyword),
      ' mean score now ',
      h('span', { class: k.lastMeanScore >= 0 ? 'up' : 'down' }, score(k.lastMeanScore)),
      h('span', { class: 'muted' }, ` · ${count(k.messages)} messages in ${k.points} windows`),
    );
  };

  const renderAlerts = () => {
    replace(
      alertList,
      alerts.items.length === 0 ? h('li', { class: 'muted' }, 'No alerts yet.') : null,
      alerts.items.map((a) =>
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', class: 'feed-item', 'data-alert': a.id, onclick: () => void choose(a.keyword) },
            badge(a.kind, 'bad'),
            h('strong', {}, ` ${a.keyword} `),
            h('span', {}, a.summary),
            h('span', { class: 'muted' }, ` · ${time(a.windowStartMs)}`),
            a.samples.length > 0 ? h('q', { class: 'sample' }, a.samples[0]) : null,
          ),
        ),
      ),
    );
  };

  const renderMessages = () => {
    const shown = messages.items.filter((m) => selected === null || m.keyword === selected);
    replace(
      messagesSlot,
      table(
        // The text matters most, so it comes right after the verdict; who and where close the row.
        ['time', 'keyword', 'label', 'score', 'text', 'from'],
        shown.map((m) => [
          h('span', { class: 'nowrap', title: time(m.timestampMs) }, timeOfDay(m.timestampMs)),
          m.keyword,
          labelBadge(m.label),
          score(m.score),
          h('span', { class: 'message-text' }, m.text),
          h('span', { class: 'muted' }, `${m.user} · ${m.source}/${m.channel}`),
        ]),
      ),
    );
  };

  const onPoint = (data: unknown) => {
    const { keyword, point } = data as { keyword: KeywordSummary; point: SentimentPointRecord };
    keywords.set(keyword.keyword, keyword);
    renderPicker();
    if (keyword.keyword !== selected || columns === null) return;
    const at = windowSlot(columns.windowStartMs, point.windowStartMs);
    if (at < 0) return;
    columns.windowStartMs[at] = point.windowStartMs;
    columns.messages[at] = point.messages;
    columns.negative[at] = point.negative;
    columns.meanScore[at] = point.meanScore;
    trimColumns(columns, TIMELINE_POINTS_MAX);
    chart.update(columns);
    renderHead();
  };

  const onAlert = (data: unknown) => {
    if (alerts.add(data as SentimentAlertRecord)) renderAlerts();
  };

  const onScored = (data: unknown) => {
    const { messages: batch } = data as { messages: ScoredMessageRecord[] };
    messages.addAll(batch);
    renderMessages();
  };

  async function choose(keyword: string): Promise<void> {
    selected = keyword;
    history.replaceState(null, '', `#/sentiment/${encodeURIComponent(keyword)}`);
    renderPicker();
    try {
      const t = await api.get<KeywordTimeline>(
        `api/apps/sentiment/timeline?keyword=${encodeURIComponent(keyword)}`,
      );
      if (!shell.alive || selected !== keyword) return;
      columns = {
        windowStartMs: t.windowStartMs,
        messages: t.messages,
        negative: t.negative,
        meanScore: t.meanScore,
      };
      chart.update(columns);
      renderHead();
      renderMessages();
    } catch (error) {
      if (shell.alive && selected === keyword) replace(head, errorBanner((error as Error).message));
    }
  }

  const start = async () => {
    try {
      const [k, a, m] = await Promise.all([
        api.get<{ keywords: KeywordSummary[] }>('api/apps/sentiment/keywords'),
        api.get<{ alerts: SentimentAlertRecord[] }>(`api/apps/sentiment/alerts?limit=${ALERTS_MAX}`),
        api.get<{ messages: ScoredMessageRecord[] }>(`api/apps/sentiment/messages?limit=${MESSAGES_MAX}`),
      ]);
      if (!shell.alive) return;
      for (const s of k.keywords) keywords.set(s.keyword, s);
      alerts.addAll([...a.alerts].reverse());
      messages.addAll([...m.messages].reverse());
      renderPicker();
      renderAlerts();
      renderMessages();
      closeStream = openAppStream('events/apps/sentiment', {
        point: onPoint,
        alert: onAlert,
        scored: onScored,
      });
      const first = selected ?? k.keywords[0]?.keyword;
      if (first !== undefined) await choose(first);
    } catch (error) {
      if (shell.alive) replace(shell.status, errorBanner((error as Error).message));
    }
  };

  shell.watch('sentiment', start);

  return () => {
    shell.close();
    closeStream?.();
    chart.destroy();
  };
};
