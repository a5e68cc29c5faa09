/** Runs the CLI in-process against the real engine, capturing what it writes. */
import { createEngine } from '../core/Engine.js';
import type { LibrarySettings } from '../core/library/openLibrary.js';
import type { CliContext, CliEngine } from './context.js';
import { runCli } from './main.js';

export class CapturedOutput {
  text = '';
  private waiters: Array<() => void> = [];

  write(chunk: string): boolean {
    this.text += chunk;
    for (const wake of this.waiters) wake();
    return true;
  }

  /** Resolves once the written text matches. */
  waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No ${pattern} in output: ${this.text}`)), timeoutMs);
      const check = () => {
        const match = pattern.exec(this.text);
        if (!match) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(match);
      };
      this.waiters.push(check);
      check();
    });
  }
}

export interface CliRun {
  stdout: CapturedOutput;
  stderr: CapturedOutput;
  interrupt: AbortController;
  /** How many engines were opened and how many disposed. */
  engines: { opened: number; disposed: number };
  exit: Promise<number>;
}

export function startCli(
  argv: string[],
  options: {
    home: string;
    cwd?: string;
    rendererDir?: string;
    interrupt?: AbortController;
    /** Library settings (the tests' embedding model, limits). */
    library?: LibrarySettings;
    /** Engine environment (HEARTH_CATALOG_URL, HEARTH_HF_BASE); defaults to process.env. */
    env?: Record<string, string | undefined>;
  },
): CliRun {
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  const interrupt = options.interrupt ?? new AbortController();
  const engines = { opened: 0, disposed: 0 };
  const context: CliContext = {
    stdout,
    stderr,
    cwd: options.cwd ?? process.cwd(),
    version: '0.0.0-test',
    rendererDir: options.rendererDir ?? '/nonexistent',
    interrupt: interrupt.signal,
    env: options.env ?? {},
    async openEngine({ longRunning = false } = {}): Promise<CliEngine> {
      const engine = await createEngine({
        home: options.home,
        version: '0.0.0-test',
        threads: 1,
        library: { autoStart: longRunning, ...options.library },
        downloads: { autoResume: false, baseDelayMs: 10 },
        ...(options.env ? { env: options.env } : {}),
      });
      engines.opened++;
      return {
        handlers: engine.handlers,
        libraryUploadsDir: engine.libraryUploadsDir,
        onEvent: (listener) => engine.onEvent(listener),
        loadModelFile: (path, loadOptions) => engine.loadModelFile(path, loadOptions),
        localApi: engine.localApi,
        dispose: async () => {
          await engine.dispose();
          engines.disposed++;
        },
      };
    },
  };
  return { stdout, stderr, interrupt, engines, exit: runCli(argv, context) };
}

export async function runCliToEnd(argv: string[], options: Parameters<typeof startCli>[1]) {
  const run = startCli(argv, options);
  const code = await run.exit;
  return { code, stdout: run.stdout.text, stderr: run.stderr.text, engines: run.engines };
}
