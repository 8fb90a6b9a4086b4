// The dashboard's calls to the broker's JSON API. Errors carry the server's message, which names
// what failed and the value that made it fail.
import type { Sample } from './types.ts';

export class ApiError extends Error {
  override readonly name = 'ApiError';
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers = { ...init.headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const json = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new ApiError(json.error ?? `${method} ${path} answered ${res.status}`);
  return json as T;
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => call<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
};

type SampleListener = (sample: Sample, history: readonly Sample[]) => void;

/** One shared stream of samples for every page; pages subscribe while they are shown. */
class SampleStream {
  readonly #listeners = new Set<SampleListener>();
  #history: Sample[] = [];
  #source: EventSource | null = null;
  #historyMax = 300;

  subscribe(listener: SampleListener): () => void {
    this.#listeners.add(listener);
    this.#open();
    const last = this.#history.at(-1);
    if (last !== undefined) listener(last, this.#history);
    return () => this.#listeners.delete(listener);
  }

  get history(): readonly Sample[] {
    return this.#history;
  }

  #open(): void {
    if (this.#source !== null) return;
    const source = new EventSource('events/samples');
    this.#source = source;
    const live = document.getElementById('live');
    source.addEventListener('open', () => {
      if (live) {
        live.textContent = 'live';
        live.className = 'live on';
      }
    });
    source.addEventListener('error', () => {
      if (live) {
        live.textContent = 'reconnecting…';
        live.className = 'live off';
      }
    });
    source.addEventListener('history', (event) => {
      this.#history = (JSON.parse((event as MessageEvent<string>).data) as Sample[]).slice(-this.#historyMax);
      const last = this.#history.at(-1);
      if (last !== undefined) for (const l of this.#listeners) l(last, this.#history);
    });
    source.addEventListener('sample', (event) => {
      const sample = JSON.parse((event as MessageEvent<string>).data) as Sample;
      this.#history.push(sample);
      if (this.#history.length > this.#historyMax) this.#history.shift();
      for (const l of this.#listeners) l(sample, this.#history);
    });
  }
}

export const samples = new SampleStream();
