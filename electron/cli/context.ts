/** What a subcommand may use: its streams, working folder and a way to open the engine. Passed in. */
import type { Engine } from '../core/Engine.js';

export interface Output {
  write(text: string): unknown;
}

/** The engine as the CLI uses it: the contract handlers, broadcasts, one-file loading, disposal. */
export type CliEngine = Pick<
  Engine,
  'handlers' | 'onEvent' | 'loadModelFile' | 'dispose' | 'libraryUploadsDir' | 'localApi'
>;

export interface CliContext {
  stdout: Output;
  stderr: Output;
  /** The working folder, for model paths given relative to it. */
  cwd: string;
  version: string;
  /** The built renderer that `serve` serves (out/renderer). */
  rendererDir: string;
  /** Aborted when the user asks to stop (Ctrl-C, SIGTERM). */
  interrupt: AbortSignal;
  /** The environment (HEARTH_API_KEY for `serve --api`); process.env when absent. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Creates the engine on the data folder (HEARTH_HOME or the app's own). A long-running engine
   * (`serve`) resumes the library's queue and folder watches; a one-shot command's does not.
   */
  openEngine(options?: EngineUse): Promise<CliEngine>;
}

/** Runs `use` with a fresh engine and always disposes it, whatever happens. */
export interface EngineUse {
  longRunning?: boolean;
}

export async function withEngine<T>(
  context: CliContext,
  use: (engine: CliEngine) => Promise<T>,
  options: EngineUse = {},
): Promise<T> {
  const engine = await context.openEngine(options);
  try {
    return await use(engine);
  } finally {
    await engine.dispose();
  }
}
