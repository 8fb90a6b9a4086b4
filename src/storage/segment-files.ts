// Kafka's on-disk names: a partition directory `<topic>-<partition>` holding, per segment, files
// named by the segment's base offset as 20 zero-padded digits.

export const segmentSuffixes = {
  log: '.log',
  offsetIndex: '.index',
  timeIndex: '.timeindex',
  /** A compacted copy being written; deleted on recovery. */
  cleaned: '.cleaned',
  /** A compacted copy ready to replace its sources; recovery completes the swap. */
  swap: '.swap',
} as const;

export function segmentFileName(baseOffset: number, suffix: string): string {
  return `${String(baseOffset).padStart(20, '0')}${suffix}`;
}

/** The base offset a segment file is named for, or undefined if the name is not a segment file of that kind. */
export function parseSegmentFileName(name: string, suffix: string): number | undefined {
  if (!name.endsWith(suffix)) return undefined;
  const digits = name.slice(0, -suffix.length);
  if (!/^\d{20}$/.test(digits)) return undefined;
  const offset = Number(digits);
  return Number.isSafeInteger(offset) ? offset : undefined;
}

export function partitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}
