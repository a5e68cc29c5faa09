/** Helpers for the local API's tests: a real engine on the generated model, raw HTTP. */
import { copyFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { ensureTestModel } from '../../test/support/index.js';
import { CoreClient } from '../cli/client.js';
import { createEngine, type Engine } from '../core/Engine.js';
import { systemMemoryProbe } from '../core/inference/memory.js';
import { makeTestHome, TEST_MODEL_ID, type TestHome } from '../host/testEngine.js';

export { TEST_MODEL_ID };
/** A second copy of the generated model; its name makes it the library's embedding model. */
export const EMBED_MODEL_ID = 'embed-tiny.gguf';

export interface ApiTestEngine {
  home: TestHome;
  engine: Engine;
  client: CoreClient;
  /** Holds model loads in the "loading" state until released (for the 503 test). */
  holdLoads(): () => void;
  dispose(): Promise<void>;
}

export async function createApiTestEngine(): Promise<ApiTestEngine> {
  const home = await makeTestHome({ models: true });
  await copyFile(await ensureTestModel(), join(home.modelsDir, EMBED_MODEL_ID));
  let gate: Promise<void> = Promise.resolve();
  const engine = await createEngine({
    home: home.home,
    version: '0.0.0-test',
    threads: 1,
    memoryProbe: async (llama) => {
      await gate;
      return systemMemoryProbe(llama);
    },
  });
  return {
    home,
    engine,
    client: new CoreClient(engine.handlers),
    holdLoads() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        release();
        gate = Promise.resolve();
      };
    },
    async dispose() {
      await engine.dispose();
      await home.cleanup();
    },
  };
}

export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP request with full control of the headers (Host included) and the body. */
export function rawHttp(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: options.path ?? '/v1/models',
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
