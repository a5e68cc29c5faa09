// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type {
  AttachedCollection,
  Collection,
  GroundingSource,
  IngestItem,
  Params,
} from '../../../../electron/common/api/contract.js';
import { HearthClient } from '../../lib/api.js';
import { LoopbackTransport } from '../../lib/loopbackTransport.testing.js';
import { ChatMessage } from '../chat/ChatMessage.svelte.js';
import { Conversation } from '../chat/Conversation.svelte.js';
import { LibraryState } from '../library/LibraryState.svelte.js';
import type { Uploader } from '../library/uploader.js';
import { ChatCollections } from './ChatCollections.svelte.js';
import { claimRanges, sourceLocation, sourcePlace, wordRanges } from './sourceText.js';
import { SourceViewer } from './SourceViewer.svelte.js';

function source(n: number, text: string, extra: Partial<GroundingSource> = {}): GroundingSource {
  return {
    n,
    chunkId: `chunk-${n}`,
    documentId: `doc-${n}`,
    documentName: `note-${n}.md`,
    path: `/notes/note-${n}.md`,
    collectionId: 'c1',
    headingPath: [],
    text,
    charStart: 0,
    charEnd: text.length,
    score: 1 / n,
    ...extra,
  };
}

const library: Collection[] = [
  { id: 'c1', name: 'Coast notes', documentCount: 3, createdAt: '2026-01-01T00:00:00Z' },
  { id: 'c2', name: 'Recipes', documentCount: 1, createdAt: '2026-01-01T00:00:00Z' },
];

/** A stand-in core keeping each conversation's attached collections, behind the real Dispatcher. */
function attachingCore() {
  const attached = new Map<string, AttachedCollection[]>();
  const sets: Params<'chat.collections.set'>[] = [];
  const added: Params<'chat.addFiles'>[] = [];
  const lookups: Params<'chat.source'>[] = [];
  const toAttached = (id: string, own = false): AttachedCollection => ({
    id,
    name: library.find((c) => c.id === id)?.name ?? `Chat files ${id}`,
    available: true,
    own,
  });
  const transport = new LoopbackTransport({
    'chat.collections.set': async (params) => {
      sets.push(params);
      // Slow enough that a second toggle arrives while the first is on its way.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const list = params.collections.map((id) => toAttached(id));
      attached.set(params.conversationId, list);
      return list;
    },
    'chat.addFiles': async (params) => {
      added.push(params);
      const list = [...(attached.get(params.conversationId) ?? []), toAttached('own-1', true)];
      attached.set(params.conversationId, list);
      const queued: IngestItem[] = (params.uploads ?? []).map((upload, index) => ({
        id: `item-${index}`,
        path: `/uploads/${upload.name}`,
        name: upload.name,
        collectionId: 'own-1',
        state: 'queued',
        progress: 0,
        updatedAt: '2026-01-01T00:00:00Z',
      }));
      return { collectionId: 'own-1', queued, collections: list };
    },
    'chat.source': async (params) => {
      lookups.push(params);
      return { source: source(params.n, 'The keeper is Marguerite.'), state: 'removed' as const };
    },
    'collections.list': async () => library,
  });
  return { client: new HearthClient(transport), transport, sets, added, lookups };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ChatCollections: what a chat answers from', () => {
  it('attaching to a new chat gives it its id; quick toggles of two collections both count', async () => {
    const core = attachingCore();
    const conversation = new Conversation(core.client);
    const chat = new ChatCollections(core.client, conversation, new LibraryState(core.client, null), null);
    expect(conversation.id).toBeNull();

    const toggles = Promise.all([chat.toggle('c1'), chat.toggle('c2')]);
    // Ticked at once, while the changes are on their way (a re-render must not untick them).
    expect([chat.isAttached('c1'), chat.isAttached('c2')]).toEqual([true, true]);
    await toggles;

    expect(conversation.id).not.toBeNull();
    expect(core.sets.map((call) => call.collections)).toEqual([['c1'], ['c1', 'c2']]);
    expect(chat.attached.map((c) => c.name)).toEqual(['Coast notes', 'Recipes']);
    expect(chat.isAttached('c2')).toBe(true);

    await chat.detach('c1');
    expect(chat.attached.map((c) => c.id)).toEqual(['c2']);
    // Attaching what is already attached asks nothing of the core.
    await chat.attach('c2');
    expect(core.sets).toHaveLength(3);
  });

  it('files dropped into a chat are uploaded, then added to its own collection, and followed', async () => {
    const core = attachingCore();
    const conversation = new Conversation(core.client);
    const libraryState = new LibraryState(core.client, null);
    const uploaded: string[] = [];
    const uploader: Uploader = {
      upload: async (_file, relativePath) => {
        uploaded.push(relativePath);
        return { handle: `h-${relativePath}`, name: relativePath };
      },
    };
    const chat = new ChatCollections(core.client, conversation, libraryState, uploader);
    const file = new File(['The ferry leaves at seven.'], 'ferry.txt');

    expect(await chat.addFiles({ paths: [], files: [{ file, relativePath: 'ferry.txt' }] })).toBe(true);

    expect(uploaded).toEqual(['ferry.txt']);
    expect(core.added[0]).toEqual({
      conversationId: conversation.id,
      uploads: [{ handle: 'h-ferry.txt', name: 'ferry.txt' }],
    });
    expect(chat.own?.id).toBe('own-1');
    expect(chat.files.map((item) => [item.name, item.state])).toEqual([['ferry.txt', 'queued']]);
    expect(chat.uploading).toBeNull();
  });
});

describe('Conversation: a grounded answer', () => {
  it('takes its sources before the text, shows progress while reading, and keeps the citations', async () => {
    const seen: { sources: number; progress: string | null; text: string }[] = [];
    const transport = new LoopbackTransport({
      'chat.send': async (params, call) => {
        const base = { requestId: call.requestId, conversationId: params.conversationId };
        call.emit('chat.started', { ...base, messageId: 'a1', parentId: null, userMessageId: 'q1' });
        call.emit('chat.sources', {
          ...base,
          messageId: 'a1',
          sources: [source(1, 'Deadline: 1 March.'), source(2, 'Deadline: 9 May.')],
          grounding: {
            mode: 'whole-document',
            collectionIds: ['c1'],
            reranked: false,
            omittedSources: 0,
          },
        });
        call.emit('chat.progress', { ...base, messageId: 'a1', stage: 'mapping', done: 1, total: 2 });
        record();
        call.emit('chat.delta', { ...base, text: 'Two deadlines [1][2] and [7].' });
        record();
        return {
          conversationId: params.conversationId,
          messageId: 'a1',
          text: 'Two deadlines [1][2] and [7].',
          stopReason: 'end',
          evaluatedPromptTokens: 10,
          generatedTokens: 8,
          citations: [1, 2],
        };
      },
    });
    const conversation = new Conversation(new HearthClient(transport));
    const record = () => {
      const reply = conversation.messages.at(-1);
      seen.push({
        sources: reply?.sources.length ?? 0,
        progress: reply?.progress ? `${reply.progress.done}/${reply.progress.total}` : null,
        text: reply?.text ?? '',
      });
    };

    await conversation.send('List every deadline', null);

    expect(seen[0]).toEqual({ sources: 2, progress: '1/2', text: '' });
    const reply = conversation.messages.at(-1);
    expect(reply?.citations).toEqual([1, 2]);
    expect(reply?.grounding?.mode).toBe('whole-document');
    expect(reply?.progress).toBeNull();
  });
});

describe('SourceViewer: the passage behind a citation', () => {
  function storedAnswer(): ChatMessage {
    const message = new ChatMessage('assistant', 'The keeper is Marguerite [1].');
    message.id = 'a1';
    message.stored = true;
    message.sources = [source(1, 'The keeper is Marguerite.')];
    return message;
  }

  it('a hover previews after a short rest and closes when left; a click opens and stays', async () => {
    vi.useFakeTimers();
    const core = attachingCore();
    const viewer = new SourceViewer(core.client, () => 'conv-1');
    const message = storedAnswer();
    const chip = document.createElement('button');

    viewer.show(message, 1, chip, false);
    expect(viewer.shown).toBeNull();
    await vi.advanceTimersByTimeAsync(250);
    expect(viewer.shown?.pinned).toBe(false);
    viewer.leave();
    await vi.advanceTimersByTimeAsync(250);
    expect(viewer.shown).toBeNull();

    viewer.show(message, 1, chip, true);
    expect(viewer.shown?.pinned).toBe(true);
    viewer.leave();
    await vi.advanceTimersByTimeAsync(500);
    expect(viewer.shown?.source.n).toBe(1);
    // A hover elsewhere does not replace an opened passage.
    viewer.show(message, 1, document.createElement('button'), false);
    await vi.advanceTimersByTimeAsync(250);
    expect(viewer.shown?.anchor).toBe(chip);

    // Closed with Escape, focus goes back to the chip: that focus does not preview it again...
    viewer.close(chip);
    viewer.show(message, 1, chip, false);
    await vi.advanceTimersByTimeAsync(250);
    expect(viewer.shown).toBeNull();
    // ...until the reader has left it once.
    viewer.leave();
    viewer.show(message, 1, chip, false);
    await vi.advanceTimersByTimeAsync(250);
    expect(viewer.shown?.anchor).toBe(chip);
  });

  it('asks the core about a stored answer\'s source ("source removed"), never about a number it lacks', async () => {
    const core = attachingCore();
    const viewer = new SourceViewer(core.client, () => 'conv-1');
    const message = storedAnswer();

    viewer.show(message, 7, document.createElement('button'), true);
    expect(viewer.shown).toBeNull();

    viewer.show(message, 1, document.createElement('button'), true);
    await vi.waitFor(() => expect(viewer.lookup?.state).toBe('removed'));
    expect(core.lookups).toEqual([{ conversationId: 'conv-1', messageId: 'a1', n: 1 }]);

    // An answer still streaming is not stored: its sources show as given, without a lookup.
    const streaming = storedAnswer();
    streaming.stored = false;
    viewer.show(streaming, 1, document.createElement('button'), true);
    expect(viewer.lookup).toBeNull();
    expect(core.lookups).toHaveLength(1);
  });
});

describe('sourceText', () => {
  const passage = 'The lighthouse keeper on Gull Point is called Marguerite. She climbs 112 steps.';

  it('marks the words of the sentence that cites the passage, not the common ones', () => {
    const claim = 'The harbour is small. The keeper is called Marguerite';
    const marked = claimRanges(passage, claim).map(([start, end]) => passage.slice(start, end));
    expect(marked).toEqual(['keeper', 'called', 'Marguerite']);
  });

  it('marks numbers and longer words of a question', () => {
    const marked = wordRanges(passage, 'How many steps (112) does the keeper climb?').map(([start, end]) =>
      passage.slice(start, end),
    );
    expect(marked).toEqual(['keeper', 'climbs', '112', 'steps']);
  });

  it('says where a source is: page, then headings', () => {
    expect(sourceLocation({ page: 4, headingPath: ['Terms', 'Deadlines'] })).toBe('p. 4 · Terms › Deadlines');
    expect(sourceLocation({ headingPath: [] })).toBe('');
    expect(sourcePlace({ page: 4, headingPath: ['Terms', 'Deadlines'] })).toBe('p. 4 · Deadlines');
  });
});
