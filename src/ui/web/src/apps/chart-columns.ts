// A live chart's columns (one array per series, oldest window first) as the app's job streams
// windows in: a window updates the last slot when it is that window again, takes a new slot when
// it is newer, and is ignored when it is older; past `max` windows the oldest is dropped.

/** The slot of a streamed window starting at `startMs`, or -1 when it is older than the last. */
export function windowSlot(windowStartMs: readonly number[], startMs: number): number {
  const last = windowStartMs.length - 1;
  const lastStart = windowStartMs[last];
  if (lastStart !== undefined && startMs < lastStart) return -1;
  return lastStart === startMs ? last : last + 1;
}

/** Drops the oldest window from every column once there are more than `max`. */
export function trimColumns(columns: { windowStartMs: readonly number[] }, max: number): void {
  if (columns.windowStartMs.length > max)
    for (const column of Object.values(columns) as unknown[][]) column.shift();
}
