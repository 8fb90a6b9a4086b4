// Jobs: for each job its state and start/stop, the operator graph, per-operator records/s in and
// out with batch latency, tasks with watermark and backpressure, state size and the checkpoint
// history, refreshed with each sample.
import { api, samples } from '../api.ts';
import { h, replace } from '../dom.ts';
import { bytes, count, duration, rate, time } from '../format.ts';
import { planGraph } from '../plan-graph.ts';
import type { JobView } from '../types.ts';
import { card, confirmDialog, errorBanner, section, stateBadge, table } from '../widgets.ts';
import type { Page } from './page.ts';

function jobPanel(job: JobView, act: (action: 'start' | 'stop') => void): HTMLElement {
  const running = job.state === 'running';
  const action = running
    ? h(
        'button',
        {
          type: 'button',
          class: 'danger',
          'data-testid': `job-stop-${job.name}`,
          onclick: () => act('stop'),
        },
        'Stop',
      )
    : h(
        'button',
        {
          type: 'button',
          'data-testid': `job-start-${job.name}`,
          disabled: job.state === 'starting' || job.state === 'stopping',
          onclick: () => act('start'),
        },
        'Start',
      );
  const now = Date.now();
  return h(
    'section',
    { class: 'panel job', 'data-job': job.name },
    h(
      'div',
      { class: 'job-head' },
      h('h2', {}, job.name),
      stateBadge(job.state),
      h('span', { class: 'muted' }, job.description),
      h('span', { class: 'spacer' }),
      action,
    ),
    job.error ? errorBanner(job.error) : null,
    h(
      'div',
      { class: 'cards' },
      card('Executors', job.executors || '—'),
      card('Started', time(job.startedAtMs).slice(5, 19)),
      card(
        job.endedAtMs === null ? 'Running for' : 'Ended',
        job.endedAtMs === null
          ? job.startedAtMs === null
            ? '—'
            : duration(now - job.startedAtMs)
          : time(job.endedAtMs),
      ),
      card('State size', bytes(job.stateBytes)),
      card('Checkpoints', count(job.checkpoints.length)),
    ),
    job.plan === null
      ? h('p', { class: 'muted' }, 'Not started yet: the plan appears when the job runs.')
      : [h('h3', {}, 'Operator graph'), planGraph(job.plan)],
    h('h3', {}, 'Operators'),
    table(
      ['operator', 'task', 'executor', 'in', 'out', 'records in', 'records out', 'batch latency (avg / max)'],
      job.operators.map((o) => [
        o.name,
        o.task,
        o.executor,
        rate(o.recordsInPerSec, 'rec'),
        rate(o.recordsOutPerSec, 'rec'),
        count(o.recordsIn),
        count(o.recordsOut),
        `${duration(o.batchMsAvg)} / ${duration(o.batchMsMax)}`,
      ]),
      { 'data-testid': `operators-${job.name}` },
    ),
    h('h3', {}, 'Tasks'),
    table(
      ['task', 'executor', 'watermark', 'watermark lag', 'backpressure', 'state'],
      job.tasks.map((t) => [
        t.key,
        t.executor,
        time(t.watermarkMs),
        t.watermarkMs === null ? '—' : duration(Math.max(0, now - t.watermarkMs)),
        duration(t.backpressureMs),
        t.ended ? 'ended' : t.idle ? 'idle' : 'active',
      ]),
    ),
    h('h3', {}, 'Checkpoints'),
    table(
      ['id', 'started', 'duration', 'state', 'final'],
      job.checkpoints
        .slice(-20)
        .reverse()
        .map((c) => [
          c.id,
          time(c.startedAtMs),
          duration(c.durationMs),
          bytes(c.stateBytes),
          c.finished ? 'yes' : '',
        ]),
    ),
    Object.keys(job.counters).length > 0
      ? [
          h('h3', {}, 'Counters'),
          table(
            ['counter', 'value'],
            Object.entries(job.counters).map(([k, v]) => [k, count(v)]),
          ),
        ]
      : null,
  );
}

export const jobsPage: Page = (root) => {
  const body = h('div');
  const message = h('div');
  replace(root, h('h1', {}, 'Jobs'), message, body);
  let alive = true;
  const act = async (name: string, action: 'start' | 'stop') => {
    if (
      action === 'stop' &&
      !(await confirmDialog(
        'Stop job',
        `Stop job '${name}'? It stops after its current step; its last checkpoint is kept.`,
        'Stop job',
      ))
    )
      return;
    try {
      await api.post(`api/jobs/${encodeURIComponent(name)}/${action}`);
      replace(message);
      void refresh();
    } catch (error) {
      replace(message, errorBanner((error as Error).message));
    }
  };
  const refresh = async () => {
    try {
      const jobs = await api.get<JobView[]>('api/jobs');
      if (!alive) return;
      replace(
        body,
        jobs.length === 0
          ? section(
              'No jobs',
              h(
                'p',
                {},
                'This broker runs no stream-processing jobs. Start the broker with --job path/to/job.ts to manage a job here.',
              ),
            )
          : jobs.map((j) => jobPanel(j, (a) => void act(j.name, a))),
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
