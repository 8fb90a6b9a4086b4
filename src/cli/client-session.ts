// Runs one client operation for a command: checks the bootstrap answers (a refused connection
// fails at once instead of after the client's retries), bounds the whole operation by
// --timeout-ms, maps client errors to messages with a suggestion, and always closes the client.
import { Admin } from '../client/admin.ts';
import { Cluster } from '../client/cluster.ts';
import { ConnectionError } from '../client/errors.ts';
import { toCliError, unreachableMessage } from './client-errors.ts';
import { type ClientSettings, clusterOptions } from './client-settings.ts';
import { CliError } from './command.ts';

/** Throws a CliError unless one bootstrap broker accepts a connection and answers ApiVersions. */
export async function probeBootstrap(settings: ClientSettings, cluster?: Cluster): Promise<void> {
  const probe = cluster ?? new Cluster(clusterOptions(settings));
  try {
    await probe.anyConnection();
  } catch (error) {
    if (error instanceof ConnectionError) throw new CliError(unreachableMessage(settings, error));
    throw toCliError(error, settings) ?? error;
  } finally {
    if (cluster === undefined) probe.close();
  }
}

/** Resolves or rejects like `work`, or rejects with a CliError after `timeoutMs` (calling onTimeout). */
export async function withDeadline<T>(
  work: Promise<T>,
  timeoutMs: number,
  what: string,
  onTimeout: () => void = () => undefined,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(
        new CliError(
          `Cannot ${what}: no result within ${timeoutMs} ms; check the cluster, or raise --timeout-ms`,
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `fn` with an Admin client under the command's deadline; client errors become CliErrors. */
export async function withAdmin<T>(
  settings: ClientSettings,
  what: string,
  fn: (admin: Admin) => Promise<T>,
): Promise<T> {
  const admin = new Admin(clusterOptions(settings));
  try {
    const work = (async () => {
      await probeBootstrap(settings, admin.cluster);
      return fn(admin);
    })();
    // A timed-out operation keeps running until the client closes; keep its rejection quiet.
    work.catch(() => undefined);
    return await withDeadline(work, settings.timeoutMs, what, () => admin.close());
  } catch (error) {
    throw toCliError(error, settings) ?? error;
  } finally {
    admin.close();
  }
}

/**
 * Fails at once, naming the missing ones, unless every topic exists (the client would otherwise
 * retry an unknown topic until the deadline, since a new topic may still be propagating).
 */
export async function requireTopics(admin: Admin, names: readonly string[], settings: ClientSettings) {
  const known = new Set(await admin.listTopics({ includeInternal: true }));
  const missing = names.filter((n) => !known.has(n));
  if (missing.length > 0) {
    throw new CliError(
      `Cannot find topic ${missing.map((n) => `'${n}'`).join(', ')} on ${settings.bootstrap}: ` +
        `list topics with \`sluice topics list --bootstrap ${settings.bootstrap}\``,
    );
  }
}
