/**
 * `hearth models pull | rm | info | import`: downloads (progress on stderr, resumes an
 * interrupted pull, verifies), deletion, details with sha256 and fit, and import.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DownloadInfo, ModelEntry } from '../../common/api/contract.js';
import { CoreClient } from '../client.js';
import { withEngine, type CliContext, type CliEngine } from '../context.js';
import { CliError, ExitCode } from '../errors.js';
import { formatBytes } from '../format.js';
import { chooseModel } from '../modelRef.js';

async function findModel(client: CoreClient, reference: string, context: CliContext): Promise<ModelEntry> {
  const [models, { modelsDir }] = await Promise.all([
    client.call('models.list', {}),
    client.call('app.info', {}),
  ]);
  const choice = chooseModel(reference, models, { modelsDir, cwd: context.cwd, fileExists: existsSync });
  if (choice.kind === 'path')
    throw new CliError(`'${reference}' is not in the models folder (${modelsDir}).`);
  return choice.model;
}

function progressLine(info: DownloadInfo): string {
  const total = info.totalBytes;
  const percent = total ? ` ${Math.floor((info.receivedBytes / total) * 100)}%` : '';
  const speed = info.bytesPerSecond > 0 ? `  ${formatBytes(info.bytesPerSecond)}/s` : '';
  const eta = info.etaSeconds !== undefined ? `  ETA ${info.etaSeconds}s` : '';
  const size = total
    ? `${formatBytes(info.receivedBytes)} of ${formatBytes(total)}`
    : formatBytes(info.receivedBytes);
  return `${info.name}: ${info.state}${percent}  ${size}${speed}${eta}`;
}

/** Waits for the download to finish, printing progress to stderr (one line a second at most). */
function follow(engine: CliEngine, id: string, context: CliContext, json: boolean): Promise<DownloadInfo> {
  return new Promise((resolveDone) => {
    let lastPrinted = 0;
    const unsubscribe = engine.onEvent((...[event, payload]) => {
      if (event !== 'downloads.changed' || payload.id !== id) return;
      const finished =
        payload.state === 'done' || payload.state === 'failed' || payload.state === 'cancelled';
      const now = Date.now();
      if (finished || now - lastPrinted >= 1000 || payload.state !== 'downloading') {
        lastPrinted = now;
        context.stderr.write(json ? `${JSON.stringify(payload)}\n` : `${progressLine(payload)}\n`);
      }
      if (finished) {
        unsubscribe();
        context.interrupt.removeEventListener('abort', onInterrupt);
        resolveDone(payload);
      }
    });
    // Ctrl-C: the partial file and its state stay; the next pull resumes from there.
    const onInterrupt = () => {
      unsubscribe();
      resolveDone({ id, state: 'paused' } as DownloadInfo);
    };
    context.interrupt.addEventListener('abort', onInterrupt, { once: true });
  });
}

export async function runModelsPull(
  context: CliContext,
  options: { source: string; quantization?: string; json: boolean },
): Promise<number> {
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    // Subscribe before starting, so no event is missed.
    const pending: DownloadInfo[] = [];
    const early = engine.onEvent((...[event, payload]) => {
      if (event === 'downloads.changed') pending.push(payload);
    });
    const started = await client.call('downloads.start', {
      source: options.source,
      ...(options.quantization ? { quantization: options.quantization } : {}),
    });
    early();
    const alreadyOver = pending.find(
      (info) => info.id === started.id && ['done', 'failed', 'cancelled'].includes(info.state),
    );
    const result = alreadyOver ?? (await follow(engine, started.id, context, options.json));
    if (context.interrupt.aborted && result.state === 'paused') {
      context.stderr.write(`Stopped. Run the same pull again to resume.\n`);
      return ExitCode.Interrupted;
    }
    if (result.state !== 'done') {
      throw new CliError(result.error?.message ?? `The download ${result.state}.`);
    }
    if (options.json) {
      context.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      context.stdout.write(`Installed ${result.modelId} (sha256 ${result.sha256 ?? 'unknown'})\n`);
    }
    return ExitCode.Ok;
  });
}

export async function runModelsRm(
  context: CliContext,
  options: { model: string; json: boolean },
): Promise<number> {
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    const [models] = await Promise.all([client.call('models.list', {})]);
    // A broken file can be removed too, so match it without requiring it to be usable.
    const match =
      models.find((model) => model.id === options.model) ??
      (await findModel(client, options.model, context).catch((error: unknown) => {
        const byName = models.find((model) => model.fileName === options.model);
        if (byName) return byName;
        throw error;
      }));
    await client.call('models.delete', { modelId: match.id });
    context.stdout.write(
      options.json ? `${JSON.stringify({ deleted: match.id })}\n` : `Deleted ${match.id}\n`,
    );
    return ExitCode.Ok;
  });
}

export async function runModelsInfo(
  context: CliContext,
  options: { model: string; json: boolean },
): Promise<number> {
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    const model = await findModel(client, options.model, context);
    const info = await client.call('models.info', { modelId: model.id });
    if (options.json) {
      context.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
      return ExitCode.Ok;
    }
    const { entry } = info;
    const lines = [
      `${entry.name ?? entry.id} (${entry.id})`,
      `  file         ${entry.path}`,
      `  size         ${formatBytes(entry.sizeBytes)}`,
      `  architecture ${entry.architecture ?? '-'}   quantization ${entry.quantization ?? '-'}   context ${entry.contextLength ?? '-'}`,
      `  sha256       ${entry.sha256 ?? '(not recorded yet)'}   ${entry.verification ?? ''}`,
      `  fit          ${entry.fit ? `${entry.fit.label} (about ${formatBytes(entry.fit.estimatedBytes)})` : '-'}`,
      `  license      ${entry.license ?? '-'}`,
      `  source       ${entry.source ?? '-'}`,
    ];
    if (info.settings.loras.length > 0) {
      lines.push(
        `  LoRA         ${info.settings.loras.map((lora) => `${lora.path} x${lora.scale}`).join(', ')}`,
      );
    }
    context.stdout.write(`${lines.join('\n')}\n`);
    return ExitCode.Ok;
  });
}

export async function runModelsImport(
  context: CliContext,
  options: { path: string; link: boolean; json: boolean },
): Promise<number> {
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    let lastPercent = -1;
    const entry = await client.call(
      'models.import',
      { path: resolve(context.cwd, options.path), mode: options.link ? 'link' : 'copy' },
      {
        signal: context.interrupt,
        onEvent: (event, payload) => {
          if (event !== 'models.importProgress') return;
          const { stage, progress } = payload as { stage: string; progress: number };
          const percent = Math.floor(progress * 100);
          if (percent >= lastPercent + 25 || percent === 100) {
            lastPercent = percent === 100 ? -1 : percent;
            context.stderr.write(`${stage} ${percent}%\n`);
          }
        },
      },
    );
    context.stdout.write(
      options.json
        ? `${JSON.stringify(entry, null, 2)}\n`
        : `Imported ${entry.id} (sha256 ${entry.sha256 ?? '-'})\n`,
    );
    return ExitCode.Ok;
  });
}
