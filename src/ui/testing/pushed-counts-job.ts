// A job for the dashboard's tests: events pushed in this process (a few hundred a second, while
// the job runs) are counted per user in 1 s event-time windows. It never ends by itself, so the
// Jobs page shows it running with moving figures until the test stops it.
import { CollectSink } from '../../engine/connector/collect-sink.ts';
import { PushSource } from '../../engine/connector/push-source.ts';
import { Job } from '../../engine/dsl/job.ts';
import { startJob } from '../../engine/run-job.ts';
import { tumbling } from '../../engine/time/windows.ts';
import type { JobDefinition } from '../../observability/job-registry.ts';

const PUSH_INTERVAL_MS = 20;
const EVENTS_PER_PUSH = 10;
const BUFFERED_EVENTS_MAX = 10_000;
const COLLECTED_MAX = 100_000;

export function pushedCountsJob(name = 'pushed-counts'): JobDefinition {
  return {
    name,
    description: 'counts pushed events per user in 1 s windows (test job)',
    async start() {
      const source = new PushSource<string, { user: string }>('events', 2, BUFFERED_EVENTS_MAX);
      const job = new Job(name);
      job
        .source(source)
        .filter((e) => e.user !== 'nobody')
        .keyBy((e) => e.user)
        .window(tumbling(1000))
        .count()
        .to(new CollectSink('counts', COLLECTED_MAX));
      const running = await startJob(job, { executors: 1 });
      let n = 0;
      let paused = false;
      const timer = setInterval(() => {
        // Backpressure: a full source buffer pauses the feeder until the job drains it.
        if (paused) return;
        const at = Date.now();
        for (let p = 0; p < 2; p++) {
          const events = Array.from({ length: EVENTS_PER_PUSH }, () => {
            n++;
            return { key: `u${n % 7}`, value: { user: `u${n % 7}` }, timestamp: at };
          });
          if (!source.push(p, events) && !paused) {
            paused = true;
            void source.drained().then(() => {
              paused = false;
            });
          }
        }
      }, PUSH_INTERVAL_MS);
      // The feeder lives exactly as long as the job.
      void running.done.finally(() => clearInterval(timer)).catch(() => {});
      return running;
    },
  };
}
