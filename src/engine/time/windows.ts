// Event-time window definitions. Windows are half-open [start, end) in epoch ms; a window's
// result carries timestamp end - 1 (the last instant it covers), so downstream windows and
// timers see it in the right place.

export interface TumblingWindow {
  readonly kind: 'tumbling';
  readonly sizeMs: number;
}

export interface HoppingWindow {
  readonly kind: 'hopping';
  readonly sizeMs: number;
  readonly slideMs: number;
}

export interface SessionWindow {
  readonly kind: 'session';
  readonly gapMs: number;
}

export type WindowSpec = TumblingWindow | HoppingWindow | SessionWindow;
export type FixedWindow = TumblingWindow | HoppingWindow;

function positive(what: string, name: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new RangeError(
      `Cannot define a ${what} window: ${name} must be a positive integer of ms, got ${value}`,
    );
  }
}

export function tumbling(sizeMs: number): TumblingWindow {
  positive('tumbling', 'sizeMs', sizeMs);
  return { kind: 'tumbling', sizeMs };
}

/** Windows of `sizeMs` starting every `slideMs` (a record belongs to size/slide windows). */
export function hopping(sizeMs: number, slideMs: number): HoppingWindow {
  positive('hopping', 'sizeMs', sizeMs);
  positive('hopping', 'slideMs', slideMs);
  if (slideMs > sizeMs) {
    throw new RangeError(`Cannot define a hopping window: slideMs ${slideMs} exceeds sizeMs ${sizeMs}`);
  }
  return { kind: 'hopping', sizeMs, slideMs };
}

/** Sliding windows are hopping windows in this engine. */
export const sliding = hopping;

/** A session closes after `gapMs` without records for its key: [first, last + gap). */
export function session(gapMs: number): SessionWindow {
  positive('session', 'gapMs', gapMs);
  return { kind: 'session', gapMs };
}

/** Start of the newest fixed window containing `timestampMs`. */
export function lastWindowStart(spec: FixedWindow, timestampMs: number): number {
  const step = spec.kind === 'tumbling' ? spec.sizeMs : spec.slideMs;
  return Math.floor(timestampMs / step) * step;
}

/** Distance between the starts of consecutive fixed windows. */
export function windowStepMs(spec: FixedWindow): number {
  return spec.kind === 'tumbling' ? spec.sizeMs : spec.slideMs;
}
