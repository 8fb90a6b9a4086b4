// The dashboard's entry: hash routes (#/topics/orders) to pages, one page shown at a time; a page
// is torn down (timers, streams, charts) before the next one renders. No full-page reloads.
import './style.css';
import { cryptoPage } from './pages/crypto.ts';
import { groupPage } from './pages/group.ts';
import { groupsPage } from './pages/groups.ts';
import { jobsPage } from './pages/jobs.ts';
import { overviewPage } from './pages/overview.ts';
import type { Page } from './pages/page.ts';
import { sentimentPage } from './pages/sentiment.ts';
import { topicPage } from './pages/topic.ts';
import { topicsPage } from './pages/topics.ts';

const routes: [RegExp, string, Page][] = [
  [/^\/overview$/, 'overview', overviewPage],
  [/^\/topics$/, 'topics', topicsPage],
  [/^\/topics\/([^/]+)$/, 'topics', topicPage],
  [/^\/groups$/, 'groups', groupsPage],
  [/^\/groups\/([^/]+)$/, 'groups', groupPage],
  [/^\/jobs$/, 'jobs', jobsPage],
  [/^\/crypto(?:\/([^/]+))?$/, 'crypto', cryptoPage],
  [/^\/sentiment(?:\/([^/]+))?$/, 'sentiment', sentimentPage],
];

const app = document.getElementById('app') as HTMLElement;
let teardown: (() => void) | null = null;

function show(): void {
  const path = location.hash.replace(/^#/, '') || '/overview';
  const route = routes.find(([pattern]) => pattern.test(path));
  if (route === undefined) {
    location.hash = '#/overview';
    return;
  }
  const [pattern, nav, page] = route;
  const params = (pattern.exec(path) ?? [])
    .slice(1)
    .flatMap((p) => (p === undefined ? [] : [decodeURIComponent(p)]));
  teardown?.();
  for (const link of document.querySelectorAll<HTMLAnchorElement>('#nav a')) {
    link.classList.toggle('active', link.dataset.page === nav);
  }
  teardown = page(app, params);
}

window.addEventListener('hashchange', show);
show();
