/**
 * Keeps the local API's server in step with its settings: starts it when enabled, restarts it
 * when the address or port changes, stops it when disabled, and reports each state (running with
 * its URL, failed with the reason, off) back to the service, which tells every front.
 */
import type { LocalApiService } from '../core/localApi/LocalApiService.js';
import { startLocalApiServer, type RunningLocalApiServer } from './server.js';

export interface LocalApiControllerOptions {
  api: LocalApiService;
  /** Subscribes to the engine's broadcasts (engine.onEvent); returns the unsubscribe function. */
  onEvent: (listener: (event: string, payload: unknown) => void) => () => void;
  log?: (line: string) => void;
  maxBodyBytes?: number;
}

export interface LocalApiController {
  /** Resolves once the server matches the settings as they are now. */
  settled(): Promise<void>;
  /** The running server, if any. */
  readonly server: RunningLocalApiServer | null;
  stop(): Promise<void>;
}

export function controlLocalApi(options: LocalApiControllerOptions): LocalApiController {
  const { api, log } = options;
  let running: { server: RunningLocalApiServer; config: string } | null = null;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  /** The address that failed to start: not retried until the settings change (no retry loop). */
  let failed: string | null = null;

  const wanted = (): { host: string; port: number; config: string } | null => {
    const settings = api.effectiveSettings();
    if (!settings.enabled || stopped) return null;
    return {
      host: settings.bindAddress,
      port: settings.port,
      config: `${settings.bindAddress}:${settings.port}`,
    };
  };

  async function apply(): Promise<void> {
    const target = wanted();
    if (!target) failed = null;
    if (running && target?.config === running.config) return;
    if (!running && target && target.config === failed) return;
    if (running) {
      const { server } = running;
      running = null;
      await server.close();
    }
    if (!target) {
      if (api.state().server.state !== 'off') api.reportServer({ state: 'off' });
      return;
    }
    try {
      const server = await startLocalApiServer({
        api,
        host: target.host,
        port: target.port,
        ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
        ...(log ? { log } : {}),
      });
      running = { server, config: target.config };
      failed = null;
      api.reportServer({ state: 'running', baseUrl: server.baseUrl });
      log?.(`Local API listening at ${server.baseUrl}`);
    } catch (error) {
      const message =
        (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
          ? `Port ${target.port} is already in use. Choose another port.`
          : `The local API could not start: ${(error as Error).message}`;
      failed = target.config;
      api.reportServer({ state: 'failed', error: message });
      log?.(message);
    }
  }

  const schedule = () => {
    chain = chain.then(apply, apply);
    return chain;
  };
  const unsubscribe = options.onEvent((event) => {
    if (event === 'localApi.changed') void schedule();
  });
  void schedule();

  return {
    settled: () => chain,
    get server() {
      return running?.server ?? null;
    },
    async stop() {
      stopped = true;
      unsubscribe();
      await schedule();
    },
  };
}
