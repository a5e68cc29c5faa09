/**
 * `hearth serve [--port N] [--api [--api-port N] [--api-key K]]`: the headless host until Ctrl-C
 * or SIGTERM, then a clean shutdown. The local API runs beside it when enabled in the settings or
 * turned on for this run with --api.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startHost } from '../../host/index.js';
import { controlLocalApi } from '../../localApi-server/controller.js';
import { withEngine, type CliContext } from '../context.js';
import { CliError, ExitCode } from '../errors.js';

export const API_KEY_ENV = 'HEARTH_API_KEY';

function stopped(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export async function runServe(
  context: CliContext,
  options: { port?: number; api?: { port?: number; key?: string } },
): Promise<number> {
  if (!existsSync(join(context.rendererDir, 'index.html'))) {
    throw new CliError(`The app's UI is not built (no ${context.rendererDir}); run \`npm run build\` first.`);
  }
  const envKey = (context.env ?? process.env)[API_KEY_ENV]?.trim();
  if (options.api && !options.api.key && envKey !== undefined && envKey.length > 0 && envKey.length < 16) {
    throw new CliError(`${API_KEY_ENV} must be at least 16 characters.`);
  }
  return withEngine(
    context,
    async (engine) => {
      const log = (line: string) => context.stderr.write(`${line}\n`);
      if (options.api) {
        const key = options.api.key ?? (envKey || undefined);
        engine.localApi.setOverrides({
          enabled: true,
          ...(options.api.port !== undefined ? { port: options.api.port } : {}),
          ...(key ? { key } : {}),
        });
      }
      const localApi = controlLocalApi({ api: engine.localApi, onEvent: engine.onEvent, log });
      const host = await startHost({
        engine,
        rendererDir: context.rendererDir,
        ...(options.port === undefined ? {} : { port: options.port }),
        log,
      }).catch(async (error: unknown) => {
        await localApi.stop();
        throw error;
      });
      try {
        await localApi.settled();
        context.stdout.write(`Hearth is running at ${host.url}\n`);
        const api = engine.localApi.state();
        if (api.server.state === 'running') {
          context.stdout.write(`Local API (OpenAI-compatible): ${api.server.baseUrl}\nAPI key: ${api.key}\n`);
          if (api.warning) context.stderr.write(`Warning: ${api.warning}\n`);
        } else if (options.api) {
          throw new CliError(api.server.error ?? 'The local API did not start.');
        }
        context.stdout.write('Press Ctrl-C to stop.\n');
        await stopped(context.interrupt);
        context.stderr.write('Stopping Hearth...\n');
      } finally {
        await localApi.stop();
        await host.close();
      }
      return ExitCode.Ok;
    },
    { longRunning: true },
  );
}
