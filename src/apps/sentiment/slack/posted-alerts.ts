// The ids of alerts already posted to Slack, kept in a small JSON file next to nothing else, so
// a poster restarted after posting but before committing its offset (or reading from a reset
// group) does not post the same alert twice. Bounded: the oldest ids are forgotten first, which
// is safe because replays come from the recent past. Each change is written to a temporary file
// and renamed over the old one, so a crash leaves either the old or the new list, never half.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BoundedIdSet } from './bounded-id-set.ts';
import { slackLimits } from './limits.ts';

interface StateFile {
  version: 1;
  /** Oldest first. */
  postedAlertIds: string[];
}

export class PostedAlerts {
  readonly #path: string;
  readonly #ids: BoundedIdSet;

  private constructor(path: string, ids: BoundedIdSet) {
    this.#path = path;
    this.#ids = ids;
  }

  static async open(path: string, max: number = slackLimits.postedAlertIdsMax): Promise<PostedAlerts> {
    let ids: string[] = [];
    try {
      const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<StateFile>;
      if (parsed.version !== 1 || !Array.isArray(parsed.postedAlertIds))
        throw new Error(
          `expected { version: 1, postedAlertIds: [...] }, got ${JSON.stringify(parsed).slice(0, 100)}`,
        );
      ids = parsed.postedAlertIds.filter((id): id is string => typeof id === 'string');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Error(`Cannot read the alert poster's state file ${path}: ${(e as Error).message}`, {
          cause: e,
        });
    }
    return new PostedAlerts(path, new BoundedIdSet(max, ids));
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  get size(): number {
    return this.#ids.size;
  }

  /** Records the id and makes the list durable before resolving. */
  async add(id: string): Promise<void> {
    this.#ids.add(id);
    const state: StateFile = { version: 1, postedAlertIds: this.#ids.values() };
    await mkdir(dirname(this.#path), { recursive: true });
    const tmp = `${this.#path}.tmp`;
    await writeFile(tmp, JSON.stringify(state));
    await rename(tmp, this.#path);
  }
}
