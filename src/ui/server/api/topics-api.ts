// Topics: the list with sizes and record counts, one topic's partitions (start and end offsets,
// size, segments) and configs (effective value and where it comes from), and config edits, which
// storage validates and applies as the AlterConfigs handlers do.
import { describeTopicConfigs } from '../../../broker/topic-configs.ts';
import { validateTopicConfigs } from '../../../storage/log-config.ts';
import type { PartitionLog } from '../../../storage/partition-log.ts';
import { HttpError } from '../http-error.ts';
import { readJsonBody } from '../request-body.ts';
import type { ApiContext, ApiRequest } from './api-context.ts';

const SOURCE_NAMES: Readonly<Record<number, string>> = { 1: 'topic', 4: 'broker', 5: 'default' };

export interface PartitionSummary {
  readonly partition: number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly sizeBytes: number;
  readonly segments: number;
  readonly offline: string | null;
}

function partitionSummary(log: PartitionLog): PartitionSummary {
  const offline = log.offlineError;
  if (offline !== undefined) {
    return {
      partition: log.partition,
      logStartOffset: 0,
      logEndOffset: 0,
      sizeBytes: 0,
      segments: 0,
      offline: offline.message,
    };
  }
  return {
    partition: log.partition,
    logStartOffset: log.logStartOffset,
    logEndOffset: log.logEndOffset,
    sizeBytes: log.sizeBytes,
    segments: log.segments.length,
    offline: null,
  };
}

export function partitionsOf(ctx: ApiContext, topic: string): PartitionSummary[] {
  const meta = ctx.services.logs.describeTopic(topic);
  if (meta === undefined) throw new HttpError(404, `Unknown topic '${topic}'`);
  const out: PartitionSummary[] = [];
  for (let p = 0; p < meta.partitions; p++) {
    const log = ctx.services.logs.partition(topic, p);
    if (log !== undefined) out.push(partitionSummary(log));
  }
  return out;
}

export function listTopics(ctx: ApiContext): unknown {
  return ctx.services.logs
    .listTopics()
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((t) => {
      const partitions = partitionsOf(ctx, t.name);
      return {
        name: t.name,
        internal: t.name.startsWith('__'),
        partitions: t.partitions,
        sizeBytes: partitions.reduce((n, p) => n + p.sizeBytes, 0),
        records: partitions.reduce((n, p) => n + (p.logEndOffset - p.logStartOffset), 0),
        offlinePartitions: partitions.filter((p) => p.offline !== null).length,
        overrides: Object.keys(t.configs).length,
      };
    });
}

function configsOf(ctx: ApiContext, overrides: Readonly<Record<string, string>>): unknown[] {
  return describeTopicConfigs(overrides, ctx.services.config).map((c) => ({
    name: c.name,
    value: c.value,
    source: SOURCE_NAMES[c.source] ?? String(c.source),
    documentation: c.documentation,
  }));
}

export function describeTopic(ctx: ApiContext, request: ApiRequest): unknown {
  const name = request.params[0] ?? '';
  const meta = ctx.services.logs.describeTopic(name);
  if (meta === undefined) throw new HttpError(404, `Unknown topic '${name}'`);
  return {
    name,
    topicId: meta.topicId,
    partitions: partitionsOf(ctx, name),
    configs: configsOf(ctx, meta.configs),
  };
}

/** Body: { set?: { name: value }, delete?: [name] }; answers with the topic's new configs. */
export async function alterTopicConfigs(ctx: ApiContext, request: ApiRequest): Promise<unknown> {
  const name = request.params[0] ?? '';
  const body = (await readJsonBody(request.req)) as { set?: unknown; delete?: unknown };
  const set = body.set ?? {};
  const remove = body.delete ?? [];
  if (typeof set !== 'object' || set === null || Array.isArray(set))
    throw new HttpError(400, `Cannot alter configs of '${name}': 'set' must be an object of name to value`);
  if (!Array.isArray(remove) || remove.some((r) => typeof r !== 'string'))
    throw new HttpError(400, `Cannot alter configs of '${name}': 'delete' must be a list of config names`);
  const meta = ctx.services.logs.describeTopic(name);
  if (meta === undefined) throw new HttpError(404, `Unknown topic '${name}'`);
  const overrides: Record<string, string> = { ...meta.configs };
  for (const [key, value] of Object.entries(set)) {
    if (typeof value !== 'string')
      throw new HttpError(
        400,
        `Cannot set config '${key}' of '${name}': value must be a string, got ${JSON.stringify(value)}`,
      );
    overrides[key] = value;
  }
  for (const key of remove as string[]) delete overrides[key];
  try {
    validateTopicConfigs(overrides);
    await ctx.services.logs.alterTopicConfigs(name, overrides);
  } catch (error) {
    throw new HttpError(400, `Cannot alter configs of '${name}': ${(error as Error).message}`);
  }
  return { name, configs: configsOf(ctx, overrides) };
}
