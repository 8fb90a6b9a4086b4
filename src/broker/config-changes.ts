// Applying AlterConfigs and IncrementalAlterConfigs to a topic: computes the new set of overrides,
// checks it with storage's validation, and (unless validateOnly) hands it to storage, which owns
// the topic's state. Broker configs are static (set at start), so altering them is refused.
import { ErrorCode } from '../protocol/error-codes.ts';
import { validateTopicConfigs } from '../storage/log-config.ts';
import { errorCodeFor } from './error-code-for.ts';
import type { RequestContext } from './handler.ts';
import { ConfigResourceType, ConfigType, describeTopicConfigs } from './topic-configs.ts';

export interface ConfigChangeResult {
  errorCode: number;
  errorMessage: string | null;
}

export const AlterOp = { set: 0, delete: 1, append: 2, subtract: 3 } as const;

export interface ConfigOperation {
  name: string;
  op: number;
  value: string | null;
}

const ok: ConfigChangeResult = { errorCode: ErrorCode.none, errorMessage: null };

function refuse(errorCode: number, errorMessage: string): ConfigChangeResult {
  return { errorCode, errorMessage };
}

/** New overrides after `ops` over `current`, or the reason they cannot apply. */
export type ComputedOverrides =
  | { ok: true; overrides: Record<string, string> }
  | { ok: false; result: ConfigChangeResult };

function refused(errorCode: number, errorMessage: string): ComputedOverrides {
  return { ok: false, result: refuse(errorCode, errorMessage) };
}

export function applyOperations(
  current: Readonly<Record<string, string>>,
  ops: readonly ConfigOperation[],
  effective: (name: string) => { value: string; type: number } | undefined,
): ComputedOverrides {
  const next: Record<string, string> = { ...current };
  for (const { name, op, value } of ops) {
    if (op === AlterOp.delete) {
      delete next[name];
      continue;
    }
    if (value === null)
      return refused(ErrorCode.invalidConfig, `Config '${name}' needs a value for operation ${op}`);
    if (op === AlterOp.set) {
      next[name] = value;
      continue;
    }
    const described = effective(name);
    if (op !== AlterOp.append && op !== AlterOp.subtract)
      return refused(ErrorCode.invalidRequest, `Unknown config operation ${op}`);
    if (described === undefined || described.type !== ConfigType.list) {
      return refused(
        ErrorCode.invalidConfig,
        `Config '${name}' is not a list; APPEND and SUBTRACT apply to lists only`,
      );
    }
    const items = (next[name] ?? described.value)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const given = value.split(',').map((s) => s.trim());
    const updated =
      op === AlterOp.append
        ? [...items, ...given.filter((g) => !items.includes(g))]
        : items.filter((i) => !given.includes(i));
    next[name] = updated.join(',');
  }
  return { ok: true, overrides: next };
}

/** Applies new overrides to a topic resource; `compute` derives them from the current ones. */
export async function alterTopicResource(
  ctx: RequestContext,
  resourceType: number,
  resourceName: string,
  validateOnly: boolean,
  compute: (current: Readonly<Record<string, string>>) => ComputedOverrides,
): Promise<ConfigChangeResult> {
  if (resourceType === ConfigResourceType.broker) {
    return refuse(
      ErrorCode.invalidRequest,
      'Broker configs are static in Sluice; restart the broker with new settings',
    );
  }
  if (resourceType !== ConfigResourceType.topic)
    return refuse(ErrorCode.invalidRequest, `Resource type ${resourceType} cannot be altered`);
  if (!ctx.authorize('AlterConfigs', 'Topic', resourceName))
    return refuse(ErrorCode.topicAuthorizationFailed, `Not authorized to alter '${resourceName}'`);
  const { logs } = ctx.services;
  const topic = logs.describeTopic(resourceName);
  if (topic === undefined)
    return refuse(ErrorCode.unknownTopicOrPartition, `Unknown topic '${resourceName}'`);
  const computed = compute(topic.configs);
  if (!computed.ok) return computed.result;
  const { overrides } = computed;
  try {
    validateTopicConfigs(overrides);
    if (!validateOnly) await logs.alterTopicConfigs(resourceName, overrides);
  } catch (error) {
    return refuse(errorCodeFor(error), error instanceof Error ? error.message : String(error));
  }
  if (!validateOnly) ctx.log.info({ topic: resourceName, configs: overrides }, 'Altered topic configs');
  return ok;
}

/** The effective value and type of one topic config, for APPEND/SUBTRACT. */
export function effectiveTopicConfig(ctx: RequestContext, overrides: Readonly<Record<string, string>>) {
  const described = describeTopicConfigs(overrides, ctx.services.config);
  return (name: string) => described.find((c) => c.name === name);
}
