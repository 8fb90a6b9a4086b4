// The frame every apps page shares: its title, a status slot (how to start the app while its
// topics are absent, else its topics' read errors) and a body hidden until the app runs. The
// app's status is polled while the page shows; the page's own start runs once, when the app is
// first seen running.
import { h, replace } from '../dom.ts';
import type { AppStatus } from '../types.ts';
import { errorBanner } from '../widgets.ts';
import { notRunningBanner, topicErrors, watchAppStatus } from './app-status.ts';

export class AppPage {
  readonly status = h('div');
  readonly body = h('div', { class: 'apps-layout' });
  #alive = true;
  #running = false;
  #stopStatus: (() => void) | null = null;

  constructor(root: HTMLElement, title: string) {
    replace(root, h('h1', {}, title), this.status, this.body);
  }

  /** False once the page has gone: late answers are dropped. */
  get alive(): boolean {
    return this.#alive;
  }

  /** True from the first status that says the app runs. */
  get running(): boolean {
    return this.#running;
  }

  /** Hides the body and polls the app's status until close(); `start` runs when it first runs. */
  watch(name: AppStatus['name'], start: () => Promise<void>): void {
    this.#stopStatus = watchAppStatus(
      name,
      (s) => {
        replace(this.status, s.running ? topicErrors(s) : notRunningBanner(s, name));
        this.body.hidden = !s.running;
        if (s.running && !this.#running) {
          this.#running = true;
          void start();
        }
      },
      (message) => replace(this.status, errorBanner(message)),
    );
    this.body.hidden = true;
  }

  close(): void {
    this.#alive = false;
    this.#stopStatus?.();
  }
}
