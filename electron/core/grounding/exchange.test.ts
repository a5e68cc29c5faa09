// Grounded answers in exports: Markdown lists the cited sources; JSON round-trips them on import.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GroundingSource } from '../../common/api/contract.js';
import { ConversationService } from '../chats/ConversationService.js';
import { ConversationStore } from '../chats/store/ConversationStore.js';
import { sampleConversation } from '../chats/testing.js';

let dir: string;
let store: ConversationStore;
let conversations: ConversationService;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-grounded-exchange-'));
  store = (await ConversationStore.open({ dir })).store;
  conversations = new ConversationService({ store });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const source = (n: number, documentName: string, extra: Partial<GroundingSource> = {}): GroundingSource => ({
  n,
  chunkId: `doc${n}:0`,
  documentId: `doc${n}`,
  documentName,
  path: `/files/${documentName}`,
  collectionId: 'c1',
  headingPath: [],
  text: `Passage ${n}.`,
  charStart: 0,
  charEnd: 11,
  score: 0.5,
  ...extra,
});

async function groundedConversation() {
  const file = sampleConversation({
    id: 'g',
    turns: 1,
    text: (i) => (i === 0 ? 'When is it due?' : 'On 14 March [2].'),
  });
  const answer = file.messages[1]!;
  answer.sources = [
    source(1, 'notes.md', { headingPath: ['Setup'] }),
    source(2, 'contract.pdf', { page: 3 }),
  ];
  answer.citations = [2];
  answer.grounding = { mode: 'passages', collectionIds: ['c1'], reranked: false, omittedSources: 0 };
  await store.add(file);
}

describe('exporting grounded answers', () => {
  it('lists the cited sources (only those) under the answer in Markdown', async () => {
    await groundedConversation();
    const { content } = await conversations.export('g', 'markdown');
    expect(content).toContain(
      'On 14 March [2].\n\n**Sources**\n\n2. contract.pdf, page 3 (/files/contract.pdf)\n',
    );
    expect(content).not.toContain('notes.md');
  });

  it('keeps sources, citations and grounding through a JSON export and import', async () => {
    await groundedConversation();
    const { content } = await conversations.export('g', 'json');
    const imported = await conversations.import(content);
    const answer = imported.path.at(-1)!;
    expect(answer.citations).toEqual([2]);
    expect(answer.sources?.map((s) => s.documentName)).toEqual(['notes.md', 'contract.pdf']);
    expect(answer.grounding?.mode).toBe('passages');
  });
});
