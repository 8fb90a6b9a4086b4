// The handlers this broker serves, one per API key. Each file in this directory named
// `NN-kebab-name.ts` (NN = the API key) exports `handler`; loadHandlers() finds and registers
// them, so adding an API means adding a file. ApiVersions is answered from this registry.
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ApiVersionsResponseApiVersion } from '../../protocol/generated/api-versions-response.ts';
import { apiByKey } from '../../protocol/generated/apis.ts';
import type { AnyHandler } from '../handler.ts';

const HANDLER_FILE = /^(\d{2})-[a-z0-9-]+\.(ts|js)$/;

export class HandlerRegistry {
  #byKey = new Map<number, AnyHandler>();

  register(handler: AnyHandler): void {
    const api = apiByKey(handler.apiKey);
    if (api === undefined) throw new Error(`Cannot register a handler for unknown API key ${handler.apiKey}`);
    if (this.#byKey.has(handler.apiKey)) {
      throw new Error(`Cannot register a second handler for ${api.name} (API key ${handler.apiKey})`);
    }
    this.#byKey.set(handler.apiKey, handler);
  }

  get(apiKey: number): AnyHandler | undefined {
    return this.#byKey.get(apiKey);
  }

  get size(): number {
    return this.#byKey.size;
  }

  /** The ApiVersions answer: every served API with its version range, by ascending key. */
  apiVersions(): ApiVersionsResponseApiVersion[] {
    return [...this.#byKey.values()]
      .sort((a, b) => a.apiKey - b.apiKey)
      .map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }));
  }
}

/** Imports every handler file in `directory` (this one by default) into a new registry. */
export async function loadHandlers(directory: URL = new URL('.', import.meta.url)): Promise<HandlerRegistry> {
  const names = (await readdir(fileURLToPath(directory))).filter((n) => HANDLER_FILE.test(n)).sort();
  const registry = new HandlerRegistry();
  for (const name of names) {
    const key = Number(HANDLER_FILE.exec(name)?.[1]);
    let module: { handler?: AnyHandler };
    try {
      module = (await import(new URL(name, directory).href)) as { handler?: AnyHandler };
    } catch (error) {
      throw new Error(
        `Cannot load handler file ${name}: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
    const handler = module.handler;
    if (handler === undefined) throw new Error(`Handler file ${name} does not export 'handler'`);
    if (handler.apiKey !== key) {
      throw new Error(`Handler file ${name} serves API key ${handler.apiKey}, but its name says ${key}`);
    }
    registry.register(handler);
  }
  return registry;
}
