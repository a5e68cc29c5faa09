/**
 * Hearth as its clients see it, in this process: createEngine + startHost on a temporary data
 * folder whose models folder holds the benchmark's model, and a WebSocket client on it.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { LlamaLogLevel, type Llama } from 'node-llama-cpp';
import { basename, join } from 'node:path';
import type { ModelStatus } from '../../electron/common/api/contract.js';
import { createEngine, type Engine, type EngineOptions } from '../../electron/core/Engine.js';
import { createLlamaRuntime } from '../../electron/core/inference/runtime.js';
import { startHost, type RunningHost } from '../../electron/host/index.js';
import { WireClient } from './wireClient.js';
import { markSetupDone } from '../../test/support/setupDone.js';

export interface RunningHearth {
  engine: Engine;
  /** The node-llama-cpp runtime the engine runs on, for baselines to share. */
  llama: Llama;
  host: RunningHost;
  client: WireClient;
  /** The model's id in the models folder. */
  modelId: string;
  /** models.load over the socket. */
  loadModel(): Promise<ModelStatus>;
  close(): Promise<void>;
}

export async function startHearth(options: {
  home: string;
  modelPath: string;
  rendererDir: string;
  engine?: Partial<EngineOptions>;
}): Promise<RunningHearth> {
  const modelsDir = join(options.home, 'models');
  await mkdir(modelsDir, { recursive: true });
  // A user who already set Hearth up: no first-run welcome over the UI being measured.
  await markSetupDone(options.home);
  const modelId = basename(options.modelPath);
  await copyFile(options.modelPath, join(modelsDir, modelId));
  // A runtime of the benchmark's own (the product's, quieter), shared with any baseline in this
  // process and disposed by its owner, not by the engine.
  const llama = await createLlamaRuntime({ logLevel: LlamaLogLevel.error });
  const engine = await createEngine({ version: 'bench', ...options.engine, home: options.home, llama });
  const host = await startHost({ engine, rendererDir: options.rendererDir });
  const client = await WireClient.connect(host.port, host.token);
  return {
    engine,
    llama,
    host,
    client,
    modelId,
    loadModel: () => client.call('models.load', { modelId }),
    async close() {
      await client.close();
      await host.close();
      await engine.dispose();
      await llama.dispose();
    },
  };
}
