/**
 * `hearth chats list|export|import|search`: the conversation history from the terminal,
 * through the same contract methods the app uses (conversations.*).
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MAX_IMPORT_CHARS, type ConversationSummary, type SearchHit } from '../../common/api/contract.js';
import { CoreClient } from '../client.js';
import { withEngine, type CliContext } from '../context.js';
import { CliError, ExitCode } from '../errors.js';

function formatWhen(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
}

export function formatConversationTable(conversations: readonly ConversationSummary[]): string {
  const rows = conversations.map((c) => [
    c.id,
    formatWhen(c.updatedAt),
    String(c.messageCount),
    `${c.pinned ? '* ' : ''}${c.deletedAt !== null ? '(deleted) ' : ''}${c.title}`,
  ]);
  const header = ['ID', 'UPDATED (UTC)', 'MESSAGES', 'TITLE'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function formatSearchHits(hits: readonly SearchHit[]): string {
  return hits
    .map((hit) => {
      const who = hit.role === 'user' ? 'you' : 'assistant';
      return `${hit.conversationTitle} (${hit.conversationId}), ${who}, ${formatWhen(hit.createdAt)}\n  ${hit.snippet}`;
    })
    .join('\n\n');
}

export async function runChatsList(context: CliContext, options: { json: boolean; deleted: boolean }) {
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    const conversations = await client.call('conversations.list', { includeDeleted: options.deleted });
    if (options.json) context.stdout.write(`${JSON.stringify(conversations, null, 2)}\n`);
    else if (conversations.length === 0) context.stdout.write('No conversations yet.\n');
    else context.stdout.write(`${formatConversationTable(conversations)}\n`);
    return ExitCode.Ok;
  });
}

export async function runChatsExport(
  context: CliContext,
  options: { id: string; format: 'markdown' | 'json'; output?: string },
) {
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    const exported = await client.call('conversations.export', {
      conversationId: options.id,
      format: options.format,
    });
    if (options.output === undefined) {
      context.stdout.write(exported.content);
      return ExitCode.Ok;
    }
    const path = resolve(context.cwd, options.output);
    try {
      // Never overwrite: an export is often written next to earlier ones.
      await writeFile(path, exported.content, { flag: 'wx' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(
        code === 'EEXIST'
          ? `${path} already exists.`
          : `Could not write ${path}: ${(error as Error).message}`,
      );
    }
    context.stderr.write(`Exported to ${path}\n`);
    return ExitCode.Ok;
  });
}

export async function runChatsImport(context: CliContext, options: { file: string; json: boolean }) {
  const path = resolve(context.cwd, options.file);
  let content: string;
  try {
    // Refused before reading when it cannot be an export (UTF-8 is at most 4 bytes a character).
    const { size } = await stat(path);
    if (size > 4 * MAX_IMPORT_CHARS) {
      throw new CliError(
        `${path} cannot be imported: it is ${size.toLocaleString('en-US')} bytes; ` +
          `the limit is ${MAX_IMPORT_CHARS.toLocaleString('en-US')} characters.`,
      );
    }
    content = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`Could not read ${path}: ${(error as Error).message}`);
  }
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    const conversation = await client.call('conversations.import', { content });
    if (options.json) {
      const { path: _path, ...summary } = conversation;
      context.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    } else {
      context.stdout.write(
        `Imported "${conversation.title}" as ${conversation.id} (${conversation.messageCount} messages).\n`,
      );
    }
    return ExitCode.Ok;
  });
}

export async function runChatsSearch(
  context: CliContext,
  options: { query: string; json: boolean; limit?: number },
) {
  return withEngine(context, async (engine) => {
    const client = new CoreClient(engine.handlers);
    const hits = await client.call('conversations.search', {
      query: options.query,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
    });
    if (options.json) context.stdout.write(`${JSON.stringify(hits, null, 2)}\n`);
    else if (hits.length === 0) context.stdout.write('No messages match.\n');
    else context.stdout.write(`${formatSearchHits(hits)}\n`);
    return ExitCode.Ok;
  });
}
