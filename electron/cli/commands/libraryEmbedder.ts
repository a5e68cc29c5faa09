/**
 * `hearth library embedder [NAME|default] [--json]`: shows the library's embedding model (and what
 * decided it), or sets it. Setting another model re-embeds every document; the command returns
 * once that is done (progress on stderr), like `hearth add`.
 */
import type { EmbedderChoice } from '../../common/api/contract.js';
import { help, parse } from '../args.js';
import { CoreClient } from '../client.js';
import { withEngine, type CliContext } from '../context.js';
import { CliError, ExitCode, UsageError } from '../errors.js';

export type LibraryEmbedderCommand = { name: 'library.embedder'; model?: string; json: boolean };

const ORIGIN: Record<NonNullable<EmbedderChoice['current']>['origin'], string> = {
  option: 'set by the program that started Hearth',
  environment: 'set by HEARTH_EMBED_MODEL',
  setting: 'your setting',
  'catalog-default': "the catalog's default embedding model",
  detected: 'found in the models folder',
};

export function parseLibrary(args: string[]): LibraryEmbedderCommand | { name: 'help' } {
  const { values, positionals } = parse(args, { help, json: { type: 'boolean' } });
  if (values.help) return { name: 'help' };
  const [action, model, extra] = positionals;
  if (action !== 'embedder')
    throw new UsageError(
      action === undefined
        ? "'hearth library' needs an action (embedder)."
        : `Unknown library action '${action}' (embedder).`,
    );
  if (extra !== undefined)
    throw new UsageError(`'hearth library embedder' takes one model, not also '${extra}'.`);
  return { name: 'library.embedder', ...(model !== undefined ? { model } : {}), json: values.json ?? false };
}

function describe(choice: EmbedderChoice): string {
  const lines = [
    choice.current
      ? `Embedding model: ${choice.current.name} (${ORIGIN[choice.current.origin]})`
      : 'Embedding model: none (put an embedding model in the models folder, or pull qwen3-embedding-0.6b)',
  ];
  if (choice.overriddenBy && choice.setting)
    lines.push(`Your setting (${choice.setting}) is saved but not in use.`);
  if (choice.candidates.length) {
    lines.push('Installed embedding models:');
    for (const c of choice.candidates) lines.push(`  ${c.modelId}${c.catalogDefault ? '  (default)' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function runLibraryEmbedder(
  context: CliContext,
  command: LibraryEmbedderCommand,
): Promise<number> {
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    let choice = await client.call('library.embedder.get', {});
    if (command.model !== undefined) {
      const wanted = command.model.trim();
      const lower = wanted.toLowerCase();
      let modelId: string | undefined;
      if (lower !== 'default') {
        const match = choice.candidates.find(
          (c) => c.modelId.toLowerCase() === lower || c.name.toLowerCase() === lower,
        );
        // Any .gguf in the models folder may embed; the core checks that it exists.
        modelId = match?.modelId ?? (lower.endsWith('.gguf') ? wanted : undefined);
        if (!modelId) throw new CliError(`No embedding model '${wanted}' in the models folder.`);
      }
      const before = choice.documentCount;
      choice = await client.call('library.embedder.set', modelId ? { modelId } : {});
      const status = await client.call('library.status', {});
      if (status.overall.queued + status.overall.active > 0) {
        context.stderr.write(
          `Re-embedding ${before} document${before === 1 ? '' : 's'} with ${choice.current?.name ?? 'the new model'}…\n`,
        );
        await client.call('library.waitIdle', {});
        choice = await client.call('library.embedder.get', {});
      }
    }
    if (command.json) context.stdout.write(`${JSON.stringify(choice, null, 2)}\n`);
    else context.stdout.write(describe(choice));
    return ExitCode.Ok;
  });
}
