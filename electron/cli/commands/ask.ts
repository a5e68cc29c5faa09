/**
 * `hearth ask "question" --collection NAME [--model M] [--max-tokens N] [--json]`: a grounded
 * answer from the library. Streams the answer, then lists its numbered sources (cited ones
 * marked). With --json: one object {answer, citations, sources, grounding, notice?}.
 *
 * Without --model it uses the chat model used most recently. The question is asked in a new
 * conversation with the collections attached (listed with `hearth chats list`, like `hearth chat`).
 */
import { randomUUID } from 'node:crypto';
import type { ChatResult, EventPayload, GroundingSource, ModelEntry } from '../../common/api/contract.js';
import type { AskCommand } from '../askArgs.js';
import { CoreClient } from '../client.js';
import { withEngine, type CliContext } from '../context.js';
import { CliError, ExitCode } from '../errors.js';
import { loadChosenModel } from './chat.js';

/** Models that are not for chat, by the names their files usually carry. */
const NOT_CHAT = /embed|rerank|bge-|e5-|minilm|nomic/i;

export function defaultChatModel(models: readonly ModelEntry[]): ModelEntry | undefined {
  return models
    .filter((m) => m.usable && m.kind !== 'adapter' && !NOT_CHAT.test(m.fileName) && m.lastUsedAt)
    .sort((a, b) => (b.lastUsedAt ?? '').localeCompare(a.lastUsedAt ?? ''))[0];
}

/** The JSON form of a source: where it is and what it says. */
export function sourceJson(source: GroundingSource) {
  return {
    n: source.n,
    document: source.documentName,
    path: source.path,
    ...(source.page !== undefined ? { page: source.page } : {}),
    ...(source.headingPath.length > 0 ? { heading: source.headingPath.join(' > ') } : {}),
    charStart: source.charStart,
    charEnd: source.charEnd,
    text: source.text,
    score: source.score,
  };
}

function sourceLines(source: GroundingSource, cited: boolean): string {
  const where = [source.page !== undefined ? `page ${source.page}` : '', source.headingPath.join(' > ')]
    .filter(Boolean)
    .join(', ');
  const text = source.text.replace(/\s+/g, ' ').trim();
  return (
    `[${source.n}]${cited ? '*' : ' '} ${source.documentName}${where ? ` (${where})` : ''}  score ${source.score.toFixed(4)}\n` +
    `     ${source.path} [${source.charStart}-${source.charEnd}]\n` +
    `     ${text.length > 240 ? `${text.slice(0, 239)}…` : text}\n`
  );
}

export async function runAsk(context: CliContext, command: AskCommand): Promise<number> {
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    const { stdout, stderr } = context;
    const known = await client.call('collections.list', {});
    for (const name of command.collections) {
      const lower = name.toLowerCase();
      if (!known.some((c) => c.id === name || c.name.toLowerCase() === lower)) {
        throw new CliError(`No collection "${name}". See 'hearth collections list'.`);
      }
    }
    let model = command.model;
    if (!model) {
      const chosen = defaultChatModel(await client.call('models.list', {}));
      if (!chosen) throw new CliError("'hearth ask' needs --model: no chat model has been used yet.");
      model = chosen.id;
    }
    await loadChosenModel(context, engine, client, model);

    const conversationId = randomUUID();
    await client.call('chat.collections.set', { conversationId, collections: command.collections });
    let printed = '';
    const result: ChatResult = await client.call(
      'chat.send',
      {
        conversationId,
        text: command.question,
        ...(command.maxTokens === undefined ? {} : { maxTokens: command.maxTokens }),
      },
      {
        signal: context.interrupt,
        onEvent: (event, payload) => {
          if (command.json) return;
          if (event === 'chat.progress') {
            const p = payload as EventPayload<'chat.progress'>;
            if (p.stage === 'mapping' && p.total > 0)
              stderr.write(`hearth: reading part ${p.done} of ${p.total}\n`);
          }
          if (event !== 'chat.delta') return;
          const { text } = payload as EventPayload<'chat.delta'>;
          printed += text;
          stdout.write(text);
        },
      },
    );
    const sources = result.sources ?? [];
    const citations = result.citations ?? [];
    if (command.json) {
      stdout.write(
        `${JSON.stringify({
          answer: result.text,
          citations,
          sources: sources.map(sourceJson),
          ...(result.grounding ? { grounding: result.grounding } : {}),
          ...(result.notice ? { notice: result.notice } : {}),
          stopReason: result.stopReason,
        })}\n`,
      );
    } else {
      if (printed.length > 0 && !printed.endsWith('\n')) stdout.write('\n');
      if (result.grounding?.mode === 'whole-document') {
        // Every passage of the document was a source: list the cited ones only.
        const names = [...new Set(sources.map((s) => s.documentName))].join(', ');
        stdout.write(`\nRead all ${sources.length} passages of ${names}.\n`);
        const cited = sources.filter((s) => citations.includes(s.n));
        if (cited.length > 0) stdout.write('Cited:\n');
        for (const source of cited) stdout.write(sourceLines(source, true));
      } else if (sources.length > 0) {
        stdout.write(`\nSources${citations.length > 0 ? ' (* cited)' : ''}:\n`);
        for (const source of sources) stdout.write(sourceLines(source, citations.includes(source.n)));
      }
      if (result.notice) stderr.write(`hearth: ${result.notice}\n`);
    }
    return result.stopReason === 'cancelled' ? ExitCode.Interrupted : ExitCode.Ok;
  });
}
