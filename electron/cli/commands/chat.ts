/**
 * `hearth chat --model <name|id|path> [--max-tokens N] [--json] "prompt"`: loads the model and
 * streams one answer to stdout through the contract (models.list, models.load, chat.send).
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import type { ChatResult, EventPayload } from '../../common/api/contract.js';
import { ErrorCode, serializeError } from '../../common/api/errors.js';
import { CoreClient } from '../client.js';
import { withEngine, type CliContext, type CliEngine } from '../context.js';
import { ExitCode } from '../errors.js';
import { chooseModel } from '../modelRef.js';

export interface ChatOptions {
  model: string;
  prompt: string;
  maxTokens?: number;
  json: boolean;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export async function loadChosenModel(
  context: CliContext,
  engine: CliEngine,
  client: CoreClient,
  reference: string,
): Promise<void> {
  const [models, info] = await Promise.all([client.call('models.list', {}), client.call('app.info', {})]);
  const choice = chooseModel(reference, models, {
    modelsDir: info.modelsDir,
    cwd: context.cwd,
    fileExists: isFile,
  });
  if (choice.kind === 'listed') {
    await client.call('models.load', { modelId: choice.model.id }, { signal: context.interrupt });
  } else {
    // A file outside the models folder: the contract loads only by id (no front may name a
    // path), so the CLI asks the core directly; it inspects and loads the file the same way.
    await engine.loadModelFile(choice.path, { signal: context.interrupt });
  }
}

async function streamAnswer(context: CliContext, client: CoreClient, options: ChatOptions): Promise<number> {
  const { stdout, stderr } = context;
  let printed = '';
  const result: ChatResult = await client.call(
    'chat.send',
    {
      conversationId: randomUUID(),
      text: options.prompt,
      ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
    },
    {
      signal: context.interrupt,
      onEvent: (event, payload) => {
        if (event !== 'chat.delta') return;
        const { text } = payload as EventPayload<'chat.delta'>;
        if (text === '') return;
        printed += text;
        stdout.write(options.json ? `${JSON.stringify({ type: 'delta', text })}\n` : text);
      },
    },
  );
  if (options.json) {
    stdout.write(`${JSON.stringify({ type: 'done', ...result })}\n`);
  } else {
    if (printed.length > 0 && !printed.endsWith('\n')) stdout.write('\n');
    if (result.notice) stderr.write(`hearth: ${result.notice}\n`);
  }
  return result.stopReason === 'cancelled' ? ExitCode.Interrupted : ExitCode.Ok;
}

export async function runChat(context: CliContext, options: ChatOptions): Promise<number> {
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    try {
      await loadChosenModel(context, engine, client, options.model);
    } catch (error) {
      // Ctrl-C while the model was still loading.
      if (isCancellation(error)) return ExitCode.Interrupted;
      throw error;
    }
    return streamAnswer(context, client, options);
  });
}

/** A core error (HearthError, AbortError) or one from the contract (RemoteError) saying "cancelled". */
function isCancellation(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === ErrorCode.Cancelled || serializeError(error).code === ErrorCode.Cancelled;
}
