/**
 * Entry of the `hearth` command (built to out/cli/index.js, launched by bin/hearth.js): wires the
 * real process (argv, streams, signals, the data folder) into runCli.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../core/Engine.js';
import { resolveDataDir } from '../core/paths.js';
import type { CliContext } from './context.js';
import { ExitCode } from './errors.js';
import { runCli } from './main.js';

// Built as out/cli/index.js and run from source as electron/cli/index.ts: both two levels down.
const here = dirname(fileURLToPath(import.meta.url));
const { version } = JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8')) as {
  version: string;
};

// The first Ctrl-C (or SIGTERM) asks the running command to stop cleanly; a second one forces it.
const interrupt = new AbortController();
const onSignal = () => {
  if (interrupt.signal.aborted) process.exit(ExitCode.Interrupted);
  interrupt.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// `hearth chat ... | head -1`: the reader left, so stop quietly instead of crashing on EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(ExitCode.Ok);
  throw error;
});

const context: CliContext = {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  version,
  rendererDir: join(here, '..', 'renderer'),
  interrupt: interrupt.signal,
  env: process.env,
  // Long-running commands (serve, add --watch) start the library's queue. Downloads left over
  // resume at once only in `serve` (it is the app, headless); other commands leave them alone until a
  // `pull` asks for one.
  openEngine: ({ longRunning = false } = {}) =>
    createEngine({
      home: resolveDataDir(),
      version,
      library: { autoStart: longRunning },
      downloads: { autoResume: process.argv[2] === 'serve' },
      // Privacy (issue 7): the core's log on stderr; lines with user content only with debug logging on.
      log: (line) => process.stderr.write(`${line}\n`),
    }),
};

const code = await runCli(process.argv.slice(2), context);
process.exitCode = code;
// Everything is disposed by now; should a native handle still hold the loop, do not hang.
setTimeout(() => process.exit(code), 2000).unref();
