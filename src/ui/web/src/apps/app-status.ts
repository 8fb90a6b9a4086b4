// Whether an app is running (its topics exist on this broker), polled while a page shows, and the
// banner that says how to start it when it is not.
import { api } from '../api.ts';
import { h } from '../dom.ts';
import type { AppStatus, AppsOverview } from '../types.ts';
import { errorBanner } from '../widgets.ts';

const POLL_MS = 2000;

/** Calls `onStatus` at once and whenever the app's status is read again; returns the stop. */
export function watchAppStatus(
  name: AppStatus['name'],
  onStatus: (status: AppStatus) => void,
  onError: (message: string) => void,
): () => void {
  let alive = true;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const poll = async () => {
    try {
      const overview = await api.get<AppsOverview>('api/apps');
      const status = overview.apps.find((a) => a.name === name);
      if (alive && status !== undefined) onStatus(status);
    } catch (error) {
      if (alive) onError((error as Error).message);
    }
    if (alive) timer = setTimeout(() => void poll(), POLL_MS);
  };
  void poll();
  return () => {
    alive = false;
    if (timer !== null) clearTimeout(timer);
  };
}

export function notRunningBanner(status: AppStatus, title: string): HTMLElement {
  const topics = status.topics.map((t) => t.topic).join(', ');
  return h(
    'div',
    { class: 'app-missing', 'data-testid': 'app-not-running' },
    h('h2', {}, `The ${title} app is not running`),
    h('p', {}, `None of its topics (${topics}) exist on this broker yet. Start it with:`),
    h('pre', {}, status.startCommand),
    h('p', { class: 'muted' }, 'This page shows it as soon as its topics appear.'),
  );
}

export function topicErrors(status: AppStatus): HTMLElement | null {
  const errors = status.topics.flatMap((t) => (t.lastError === null ? [] : [t.lastError]));
  return errors.length === 0 ? null : errorBanner(errors.join('; '));
}
