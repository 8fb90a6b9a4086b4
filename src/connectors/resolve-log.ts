// Turns what runJob was given as `log` into a Log binding: a running broker of this process
// (embedded: storage and coordinators called directly), a Kafka cluster's bootstrap (over TCP),
// or a ready Log. Bindings made here belong to the job and are closed with it.
import type { Log } from '../engine/log/log.ts';
import { type EmbeddedBroker, embeddedLog } from './embedded/embedded-log.ts';
import { kafkaLog } from './kafka/kafka-log.ts';

export type LogOption = Log | EmbeddedBroker | { readonly bootstrap: string };

export interface ResolvedLog {
  readonly log: Log;
  /** True when the binding was made here, so the job closes it when it ends. */
  readonly owned: boolean;
}

export function resolveLog(option: LogOption): ResolvedLog {
  if ('services' in option) return { log: embeddedLog(option), owned: true };
  if ('openReader' in option) return { log: option, owned: false };
  return { log: kafkaLog({ bootstrap: option.bootstrap }), owned: true };
}
