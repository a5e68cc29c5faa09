import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_IMPORT_CHARS } from '../../common/api/contract.js';
import { ImportInvalidError } from '../errors/index.js';
import { ConversationService } from './ConversationService.js';
import { ConversationStore } from './store/ConversationStore.js';
import { sampleConversation } from './testing.js';

let dir: string;
let store: ConversationStore;
let conversations: ConversationService;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-exchange-'));
  store = (await ConversationStore.open({ dir })).store;
  conversations = new ConversationService({ store });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** A conversation with a regenerated answer (two branches), thinking and a cut-off answer. */
async function branched() {
  const file = sampleConversation({
    id: 'src',
    turns: 2,
    title: 'Fences: ``` and <script>',
    text: (i) => (i === 1 ? 'Use ```js\nalert(1)\n``` carefully.' : `text ${i}`),
  });
  const answer = file.messages[1];
  if (!answer) throw new Error('no answer');
  answer.thought = 'The user wants code.';
  answer.model = { id: 'qwen.gguf', name: 'Qwen 3' };
  const last = file.messages[3];
  if (last) last.stopReason = 'maxTokens';
  const loaded = await store.add(file);
  loaded.tree.add({ ...answer, id: 'src-alt', text: 'An alternative answer.', activeChildId: null });
  await store.save(loaded);
  return loaded;
}

describe('export', () => {
  it('writes the active path as Markdown, thinking folded, code fences that cannot be closed early', async () => {
    await branched();
    await conversations.switchBranch('src', 'src-m1');
    const { fileName, mimeType, content } = await conversations.export('src', 'markdown');
    expect(fileName).toBe('Fences ``` and script.md');
    expect(mimeType).toBe('text/markdown');
    expect(content).toContain('# Fences: ``` and <script>');
    expect(content).toContain('## You\n\ntext 0');
    expect(content).toContain(
      '## Assistant (Qwen 3)\n\n<details><summary>Thinking</summary>\n\nThe user wants code.',
    );
    expect(content).toContain('_(This answer was cut off at its length limit.)_');
    expect(content).not.toContain('An alternative answer.');
    expect(content).toContain('```text\nYou are helpful.\n```');
  });

  it('round-trips the whole tree through JSON into a new conversation', async () => {
    await branched();
    const exported = await conversations.export('src', 'json');
    expect(exported.mimeType).toBe('application/json');
    const parsed = JSON.parse(exported.content);
    expect(parsed).toMatchObject({ format: 'hearth.conversation', version: 1 });
    expect(parsed.exportedAt).toBeGreaterThan(0);

    const imported = await conversations.import(exported.content);
    expect(imported.id).not.toBe('src');
    expect(imported.messageCount).toBe(5);
    const original = await conversations.get('src');
    expect(imported.path.map((m) => m.text)).toEqual(original.path.map((m) => m.text));
    expect(imported.path[1]?.siblingIds).toEqual(['src-m1', 'src-alt']);
    expect(imported.title).toBe(original.title);
    // Both are listed; the import loses nothing and touches nothing.
    expect(
      conversations
        .list()
        .map((c) => c.id)
        .sort(),
    ).toEqual(['src', imported.id].sort());
  });
});

describe('import refuses bad input with a clear error and changes nothing', () => {
  const valid = () => JSON.parse(JSON.stringify(sampleConversation({ id: 'x', turns: 2 })));

  it.each([
    ['malformed JSON', '{"format": "hearth.conversation", ', /not valid JSON/],
    ['not an object', '[1, 2]', /not a JSON object/],
    ['another format', JSON.stringify({ format: 'chatgpt', version: 1 }), /not a Hearth conversation export/],
    [
      'a future version',
      JSON.stringify({ ...valid(), version: 7 }),
      /newer Hearth \(format version 7.*Update Hearth/,
    ],
    ['no version', JSON.stringify({ ...valid(), version: undefined }), /"version" is missing/],
    ['a wrong field', JSON.stringify({ ...valid(), pinned: 'yes' }), /at pinned/],
    [
      'a message with a missing parent',
      JSON.stringify({ ...valid(), messages: [{ ...valid().messages[1], parentId: 'ghost' }] }),
      /answers "ghost", which is not in the file/,
    ],
    [
      'duplicate ids',
      JSON.stringify({ ...valid(), messages: [valid().messages[0], valid().messages[0]] }),
      /appears twice/,
    ],
    [
      'a cycle',
      JSON.stringify({
        ...valid(),
        messages: [
          { ...valid().messages[0], parentId: 'x-m1' },
          { ...valid().messages[1], parentId: 'x-m0' },
        ],
      }),
      /form a loop/,
    ],
    [
      'too many messages',
      JSON.stringify({ ...valid(), messages: new Array(20_001).fill(0) }),
      /20,001 messages; the limit is 20,000/,
    ],
  ])('%s', async (_case, content, message) => {
    const error = await conversations.import(content).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportInvalidError);
    expect((error as Error).message).toMatch(/^This file cannot be imported: /);
    expect((error as Error).message).toMatch(message);
    expect(conversations.list()).toEqual([]);
  });

  it('a file crafted to be huge is refused before parsing', async () => {
    const huge = `{"format":"hearth.conversation","pad":"${'a'.repeat(MAX_IMPORT_CHARS)}"}`;
    await expect(conversations.import(huge)).rejects.toThrow(/characters long; the limit is 4,000,000/);
  });

  it('an answer left streaming in the file comes in as interrupted; dangling active pointers are repaired', async () => {
    const file = valid();
    file.messages[3].status = 'streaming';
    file.messages[0].activeChildId = 'nowhere';
    file.activeRootId = 'nowhere';
    const imported = await conversations.import(JSON.stringify(file));
    expect(imported.path.map((m) => m.status)).toEqual(['done', 'done', 'done', 'interrupted']);
  });
});
