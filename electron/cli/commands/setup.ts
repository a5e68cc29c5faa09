/**
 * `hearth setup recommend [--json]`: this machine and the chat and embedding models that fit it.
 * `hearth setup detect [--json]`: GGUF files other local-AI apps already have, ready to import.
 */
import type { DetectedFolder, SetupRecommendation, SetupRecommendations } from '../../common/api/contract.js';
import { CoreClient } from '../client.js';
import { withEngine, type CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { formatBytes } from '../format.js';

function hardwareLines({ hardware }: SetupRecommendations): string[] {
  const gpu =
    hardware.gpu === false
      ? 'none supported (CPU only)'
      : `${hardware.gpuNames.join(', ') || String(hardware.gpu)} (${String(hardware.gpu)}, ${formatBytes(hardware.totalVramBytes)} video memory)`;
  return [
    `Memory:     ${formatBytes(hardware.totalRamBytes)}`,
    `GPU:        ${gpu}`,
    `CPU cores:  ${hardware.cpuCores}`,
  ];
}

function recommendationLines(title: string, pick: SetupRecommendation | null): string[] {
  if (!pick) return [`${title}: none in the catalog`];
  const size = `${pick.sizeIsEstimate ? 'about ' : ''}${formatBytes(pick.sizeBytes)}`;
  const license = `${pick.license}${pick.commercialUse ? '' : ', non-commercial'}`;
  return [
    `${title}: ${pick.name} (${pick.quantization}, ${size}, license ${license})${pick.installed ? ' - installed' : ''}`,
    `  ${pick.reason}`,
    `  hearth models pull ${pick.entryId}`,
  ];
}

export async function runSetupRecommend(context: CliContext, options: { json: boolean }): Promise<number> {
  return withEngine(context, async (engine) => {
    const result = await new CoreClient(engine.handlers).call('setup.recommend', {});
    if (options.json) {
      context.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return ExitCode.Ok;
    }
    const lines = [
      ...hardwareLines(result),
      '',
      ...recommendationLines('Chat model', result.chat),
      ...recommendationLines('Embedding model', result.embedding),
      ...(result.note ? ['', result.note] : []),
    ];
    context.stdout.write(`${lines.join('\n')}\n`);
    return ExitCode.Ok;
  });
}

function folderLines(folder: DetectedFolder): string[] {
  return [
    `${folder.app}: ${folder.folder}`,
    ...folder.models.map(
      (model) =>
        `  ${model.name}  ${formatBytes(model.sizeBytes)}${model.imported ? '  (imported)' : ''}\n    hearth models import --link ${JSON.stringify(model.path)}`,
    ),
  ];
}

export async function runSetupDetect(context: CliContext, options: { json: boolean }): Promise<number> {
  return withEngine(context, async (engine) => {
    const folders = await new CoreClient(engine.handlers).call('setup.detect', {});
    if (options.json) {
      context.stdout.write(`${JSON.stringify(folders, null, 2)}\n`);
      return ExitCode.Ok;
    }
    if (folders.length === 0) {
      context.stdout.write('No models from LM Studio, Jan, Ollama or GPT4All were found.\n');
      return ExitCode.Ok;
    }
    context.stdout.write(`${folders.flatMap(folderLines).join('\n')}\n`);
    return ExitCode.Ok;
  });
}
