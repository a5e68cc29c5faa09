/**
 * Export a conversation as Markdown (the active path, for reading) or JSON (the whole tree in
 * the versioned conversation file format, for re-import), and import such JSON safely: size,
 * syntax, format, version, schema and tree shape are each checked, with a message that says
 * which one failed. An import never touches existing conversations.
 */
import { MAX_IMPORT_CHARS } from '../../common/api/contract.js';
import { ImportInvalidError } from '../errors/index.js';
import { sourceLocation } from '../grounding/prompt.js';
import {
  CONVERSATION_FILE_VERSION,
  CONVERSATION_FORMAT,
  ConversationFile,
  MAX_IMPORT_MESSAGES,
} from './conversationFile.js';
import type { MessageTree } from './MessageTree.js';

export interface ExportedFile {
  fileName: string;
  mimeType: string;
  content: string;
}

function safeFileName(title: string): string {
  const base = title
    .replace(/[\\/:*?"<>|]+/g, ' ')
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
  return base || 'conversation';
}

function formatDate(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** A Markdown fence longer than any backtick run inside the text, so nothing can close it early. */
function fenceFor(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

export function exportMarkdown(file: ConversationFile, tree: MessageTree): ExportedFile {
  const lines: string[] = [`# ${file.title || 'Conversation'}`, ''];
  lines.push(`_Exported from Hearth. Started ${formatDate(file.createdAt)}._`, '');
  if (file.systemPrompt.trim()) {
    const fence = fenceFor(file.systemPrompt);
    lines.push('**System prompt**', '', `${fence}text`, file.systemPrompt, fence, '');
  }
  for (const message of tree.activePath()) {
    if (message.role === 'user') {
      lines.push(`## You`, '', message.text, '');
      continue;
    }
    const model = message.model ? ` (${message.model.name})` : '';
    lines.push(`## Assistant${model}`, '');
    if (message.thought?.trim()) {
      lines.push('<details><summary>Thinking</summary>', '', message.thought.trim(), '', '</details>', '');
    }
    lines.push(message.text, '');
    // Grounded answers: the sources the answer cites, so the export can be checked without Hearth.
    const cited = (message.sources ?? []).filter((source) => message.citations.includes(source.n));
    if (cited.length > 0) {
      lines.push('**Sources**', '');
      for (const source of cited) lines.push(`${source.n}. ${sourceLocation(source)} (${source.path})`);
      lines.push('');
    }
    if (message.status === 'interrupted') lines.push('_(This answer was interrupted.)_', '');
    else if (message.stopReason === 'maxTokens')
      lines.push('_(This answer was cut off at its length limit.)_', '');
    else if (message.stopReason === 'cancelled') lines.push('_(This answer was stopped.)_', '');
  }
  return {
    fileName: `${safeFileName(file.title)}.md`,
    mimeType: 'text/markdown',
    content: `${lines.join('\n').trimEnd()}\n`,
  };
}

export function exportJson(file: ConversationFile): ExportedFile {
  return {
    fileName: `${safeFileName(file.title)}.json`,
    mimeType: 'application/json',
    content: `${JSON.stringify({ ...file, exportedAt: Date.now() }, null, 2)}\n`,
  };
}

function fail(message: string): never {
  throw new ImportInvalidError(`This file cannot be imported: ${message}`);
}

/** Checks an import fully and returns it as a conversation file (not yet given a new id). */
export function parseImport(content: string): ConversationFile {
  if (content.length > MAX_IMPORT_CHARS) {
    fail(
      `it is ${content.length.toLocaleString('en-US')} characters long; ` +
        `the limit is ${MAX_IMPORT_CHARS.toLocaleString('en-US')}.`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch (error) {
    fail(`it is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail('it is not a JSON object.');
  const record = data as Record<string, unknown>;
  if (record.format !== CONVERSATION_FORMAT) {
    fail(`it is not a Hearth conversation export (expected "format": "${CONVERSATION_FORMAT}").`);
  }
  if (typeof record.version !== 'number' || !Number.isInteger(record.version) || record.version < 1) {
    fail('its "version" is missing or not a positive whole number.');
  }
  if (record.version > CONVERSATION_FILE_VERSION) {
    fail(
      `it was made by a newer Hearth (format version ${record.version}; this Hearth reads up to ` +
        `${CONVERSATION_FILE_VERSION}). Update Hearth to import it.`,
    );
  }
  if (Array.isArray(record.messages) && record.messages.length > MAX_IMPORT_MESSAGES) {
    fail(
      `it has ${record.messages.length.toLocaleString('en-US')} messages; ` +
        `the limit is ${MAX_IMPORT_MESSAGES.toLocaleString('en-US')}.`,
    );
  }
  const { exportedAt: _exportedAt, ...rest } = record;
  const parsed = ConversationFile.safeParse(rest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    fail(`its content does not match the format${where}: ${issue?.message ?? 'invalid'}.`);
  }
  checkTree(parsed.data);
  return parsed.data;
}

/** Unique ids, parents that exist and no cycles; active pointers repaired if they point nowhere. */
function checkTree(file: ConversationFile): void {
  const ids = new Set<string>();
  for (const message of file.messages) {
    if (ids.has(message.id)) fail(`the message id "${message.id}" appears twice.`);
    ids.add(message.id);
  }
  const parentOf = new Map(file.messages.map((m) => [m.id, m.parentId]));
  for (const message of file.messages) {
    if (message.parentId !== null && !ids.has(message.parentId)) {
      fail(`message "${message.id}" answers "${message.parentId}", which is not in the file.`);
    }
    // Walk up; more steps than messages means a cycle.
    let steps = 0;
    for (let id: string | null = message.parentId; id !== null; id = parentOf.get(id) ?? null) {
      if (++steps > file.messages.length) fail(`the messages around "${message.id}" form a loop.`);
    }
  }
  const childIds = new Map<string, Set<string>>();
  for (const message of file.messages) {
    const key = message.parentId ?? '';
    if (!childIds.has(key)) childIds.set(key, new Set());
    childIds.get(key)?.add(message.id);
  }
  for (const message of file.messages) {
    if (message.activeChildId !== null && !childIds.get(message.id)?.has(message.activeChildId)) {
      message.activeChildId = [...(childIds.get(message.id) ?? [])].at(-1) ?? null;
    }
    // An answer that was streaming when exported did not finish.
    if (message.status === 'streaming') message.status = 'interrupted';
  }
  if (file.activeRootId === null || !childIds.get('')?.has(file.activeRootId)) {
    file.activeRootId = [...(childIds.get('') ?? [])].at(-1) ?? null;
  }
}
