/** `hearth serve [--port N]`: the headless host until Ctrl-C or SIGTERM, then a clean shutdown. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startHost } from '../../host/index.js';
import { withEngine, type CliContext } from '../context.js';
import { CliError, ExitCode } from '../errors.js';

function stopped(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export async function runServe(context: CliContext, options: { port?: number }): Promise<number> {
  if (!existsSync(join(context.rendererDir, 'index.html'))) {
    throw new CliError(`The app's UI is not built (no ${context.rendererDir}); run \`npm run build\` first.`);
  }
  return withEngine(
    context,
    async (engine) => {
      const host = await startHost({
        engine,
        rendererDir: context.rendererDir,
        ...(options.port === undefined ? {} : { port: options.port }),
        log: (line) => context.stderr.write(`${line}\n`),
      });
      try {
        context.stdout.write(`Hearth is running at ${host.url}\nPress Ctrl-C to stop.\n`);
        await stopped(context.interrupt);
        context.stderr.write('Stopping Hearth...\n');
      } finally {
        await host.close();
      }
      return ExitCode.Ok;
    },
    { longRunning: true },
  );
}
