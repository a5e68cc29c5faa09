/** The real engine with a library for tests: generated test model as the embedder, one thread. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName, MethodName, Params, Result } from '../../common/api/contract.js';
import { Dispatcher } from '../../common/api/dispatch.js';
import { RemoteError } from '../../common/api/errors.js';
import { ensureTestEmbeddingModel } from '../../../test/support/index.js';
import { createEngine, type Engine } from '../Engine.js';
import type { LibrarySettings } from './openLibrary.js';

export interface LibraryHarness {
  home: string;
  engine: Engine;
  events: Array<{ event: EventName; payload: unknown }>;
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  close(): Promise<void>;
}

export async function openHarness(
  settings: LibrarySettings = {},
  existingHome?: string,
): Promise<LibraryHarness> {
  const home = existingHome ?? (await mkdtemp(join(tmpdir(), 'hearth-library-')));
  const engine = await createEngine({
    home,
    version: '0.0.0-test',
    threads: 1,
    library: { embedModel: await ensureTestEmbeddingModel(), watchDebounceMs: 150, ...settings },
  });
  const events: LibraryHarness['events'] = [];
  engine.onEvent((event, payload) => events.push({ event, payload }));
  const dispatcher = new Dispatcher(engine.handlers, (event, payload) => events.push({ event, payload }));
  let counter = 0;
  return {
    home,
    engine,
    events,
    async call(method, params) {
      const outcome = await dispatcher.call(method, params, `t${++counter}`);
      if (!outcome.ok) throw new RemoteError(outcome.error);
      return outcome.result as never;
    },
    async close() {
      await engine.dispose();
      if (!existingHome) await rm(home, { recursive: true, force: true });
    },
  };
}
