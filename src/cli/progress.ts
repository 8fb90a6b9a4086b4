// One self-redrawing status line on stderr for long work (bench). It draws only on a terminal,
// at most once per cliLimits.progressRedrawMsMin, and never wider than the terminal, so it
// costs nothing when output goes to a file or a pipe.
import { cliLimits } from '../limits.ts';

export class ProgressLine {
  readonly #stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly #enabled: boolean;
  #lastDrawMs = Number.NEGATIVE_INFINITY;
  #shown = false;

  constructor(stream: NodeJS.WritableStream, enabled?: boolean) {
    this.#stream = stream;
    this.#enabled = enabled ?? this.#stream.isTTY === true;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Replaces the line with `text`, unless the last draw was too recent (`force` draws anyway). */
  update(text: string, force = false): void {
    if (!this.#enabled) return;
    const now = performance.now();
    if (!force && now - this.#lastDrawMs < cliLimits.progressRedrawMsMin) return;
    this.#lastDrawMs = now;
    const width = Math.max((this.#stream.columns ?? 80) - 1, 10);
    this.#stream.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.#shown = true;
  }

  /** Removes the line, so ordinary output can follow on a clean line. */
  clear(): void {
    if (!this.#shown) return;
    this.#stream.write('\r\x1b[2K');
    this.#shown = false;
  }
}

/** A text bar such as `[#####-----]` for a fraction in [0, 1]. */
export function progressBar(fraction: number, width = 20): string {
  const filled = Math.round(Math.min(Math.max(fraction, 0), 1) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
