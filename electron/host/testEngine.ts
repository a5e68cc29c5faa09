/**
 * The real engine for host and CLI tests, on a temporary HEARTH_HOME whose models folder holds
 * the generated test model (and, when asked, a file that is not a GGUF).
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTestModel, writeNotAGguf } from '../../test/support/index.js';
import { createEngine, type Engine } from '../core/Engine.js';
import { createTestNetwork } from '../core/privacy/testing.js';
import { modelsDirOf } from '../core/paths.js';

export type TestEngine = Engine;

export const TEST_MODEL_ID = 'tiny.gguf';
export const BROKEN_MODEL_ID = 'broken.gguf';

export interface TestHome {
  home: string;
  modelsDir: string;
  cleanup(): Promise<void>;
}

/** A data folder; with `models`, its models folder holds tiny.gguf (the generated model). */
export async function makeTestHome(options: { models?: boolean; broken?: boolean } = {}): Promise<TestHome> {
  const home = await mkdtemp(join(tmpdir(), 'hearth-home-'));
  const modelsDir = modelsDirOf(home);
  await mkdir(modelsDir, { recursive: true });
  if (options.models) await copyFile(await ensureTestModel(), join(modelsDir, TEST_MODEL_ID));
  if (options.broken) await writeNotAGguf(join(modelsDir, BROKEN_MODEL_ID));
  return { home, modelsDir, cleanup: () => rm(home, { recursive: true, force: true }) };
}

/** The real engine. One inference thread: the test model is tiny and this box has 2 cores. */
export async function createTestEngine(home?: TestHome): Promise<TestEngine> {
  const dataDir = home ?? (await makeTestHome());
  const engine = await createEngine({
    home: dataDir.home,
    version: '0.0.0-test',
    threads: 1,
    // Tests reach only their own servers; setup looks in no real app folders.
    network: (await createTestNetwork(join(dataDir.home, 'test-network'))).network,
    setup: { modelFolders: () => [] },
  });
  if (home) return engine;
  // A home made here is removed with the engine.
  return {
    ...engine,
    async dispose() {
      await engine.dispose();
      await dataDir.cleanup();
    },
  };
}
