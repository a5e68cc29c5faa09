import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationNotFoundError, StorageFailedError } from '../../errors/index.js';
import { sampleConversation } from '../testing.js';
import { ConversationStore, fileNameFor } from './ConversationStore.js';

let dir: string;
const stores: ConversationStore[] = [];

async function open(options: { now?: () => number; trashRetentionMs?: number } = {}) {
  const opened = await ConversationStore.open({ dir, indexDelayMs: 5, ...options });
  stores.push(opened.store);
  return opened;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-store-'));
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ConversationStore', () => {
  it('keeps conversations across a restart, listed pinned first then newest first', async () => {
    const { store } = await open();
    await store.add(sampleConversation({ id: 'old', at: 1000 }));
    await store.add(sampleConversation({ id: 'new', at: 5000 }));
    const pinned = await store.add(sampleConversation({ id: 'pinned', at: 100 }));
    pinned.file.pinned = true;
    await store.save(pinned);
    expect(store.list().map((c) => c.id)).toEqual(['pinned', 'new', 'old']);
    await store.close();

    const { store: again, report } = await open();
    expect(report.reread).toBe(0);
    expect(again.list().map((c) => c.id)).toEqual(['pinned', 'new', 'old']);
    expect(again.summary('new')).toMatchObject({ messageCount: 2, title: 'Conversation new', pinned: false });
    const loaded = await again.get('old');
    expect(loaded.tree.activePath().map((m) => m.text)).toEqual(['message 0 of old', 'message 1 of old']);
  });

  it('gives one shared object to loads that happen at once', async () => {
    const { store } = await open();
    await store.add(sampleConversation({ id: 'a' }));
    await store.close();
    const { store: again } = await open();
    const [first, second] = await Promise.all([again.get('a'), again.get('a')]);
    expect(first).toBe(second);
    expect(await again.get('a')).toBe(first);
  });

  it('rebuilds a lost or stale index from the conversation files', async () => {
    const { store } = await open();
    await store.add(sampleConversation({ id: 'a' }));
    await store.add(sampleConversation({ id: 'b' }));
    await store.close();
    // Another process (or a crash before the index write) changed a file after the index.
    const path = join(dir, 'conversations', fileNameFor('a'));
    const file = JSON.parse(await readFile(path, 'utf8'));
    file.title = 'Changed behind the index';
    await writeFile(path, JSON.stringify(file));
    await utimes(path, new Date(), new Date(Date.now() + 5000));
    const reopened = await open();
    expect(reopened.report.reread).toBe(1);
    expect(reopened.store.summary('a').title).toBe('Changed behind the index');
    await reopened.store.close();

    await rm(join(dir, 'index.json'));
    const rebuilt = await open();
    expect(rebuilt.report.reread).toBe(2);
    expect(
      rebuilt.store
        .list()
        .map((c) => c.id)
        .sort(),
    ).toEqual(['a', 'b']);
  });

  it('lists an unreadable file as such instead of failing, and leaves it in place', async () => {
    const { store } = await open();
    await store.add(sampleConversation({ id: 'good' }));
    await store.close();
    await writeFile(join(dir, 'conversations', 'broken.json'), '{"format": "hearth.conv');
    await writeFile(join(dir, 'conversations', '.good.json.abc.tmp'), 'half a write');
    const { store: again, report } = await open();
    expect(report.unreadable).toEqual(['broken.json']);
    expect(again.list().map((c) => c.id)).toEqual(['good']);
    const names = await readdir(join(dir, 'conversations'));
    expect(names.sort()).toEqual(['broken.json', 'good.json']);
  });

  it('marks an answer left streaming by a previous run as interrupted', async () => {
    const { store } = await open();
    const conversation = await store.add(sampleConversation({ id: 'c' }));
    const answer = conversation.tree.activePath()[1];
    if (!answer) throw new Error('no answer');
    answer.status = 'streaming';
    answer.text = 'half an ans';
    await store.save(conversation);
    // No close: the process "died" here.
    stores.pop();
    const { store: again, report } = await open();
    expect(report.interrupted).toBe(1);
    const [, recovered] = (await again.get('c')).tree.activePath();
    expect(recovered).toMatchObject({ status: 'interrupted', text: 'half an ans' });
  });

  it('keeps a deleted conversation restorable until its window ends, then removes it', async () => {
    let now = 1_000_000;
    const { store } = await open({ now: () => now, trashRetentionMs: 1000 });
    const conversation = await store.add(sampleConversation({ id: 'gone' }));
    conversation.file.deletedAt = now;
    await store.save(conversation);
    expect(store.list()).toEqual([]);
    expect(store.list({ includeDeleted: true }).map((c) => c.id)).toEqual(['gone']);
    now += 999;
    expect(await store.purgeTrash()).toBe(0);
    now += 2;
    expect(await store.purgeTrash()).toBe(1);
    await expect(store.get('gone')).rejects.toBeInstanceOf(ConversationNotFoundError);
    expect(await readdir(join(dir, 'conversations'))).toEqual([]);
  });

  it('stores ids that are not file-name safe under a hashed name', async () => {
    const { store } = await open();
    const id = '../../etc/passwd?<>';
    await store.add(sampleConversation({ id }));
    const names = await readdir(join(dir, 'conversations'));
    expect(names).toEqual([fileNameFor(id)]);
    expect(names[0]).toMatch(/^x-[0-9a-f]{40}\.json$/);
    expect((await store.get(id)).file.id).toBe(id);
  });

  it('reports a write that fails as STORAGE_FAILED', async () => {
    const { store } = await open();
    const conversation = await store.add(sampleConversation({ id: 'w' }));
    await rm(join(dir, 'conversations'), { recursive: true });
    await expect(store.save(conversation)).rejects.toBeInstanceOf(StorageFailedError);
  });

  it('keeps a 1 MB message whole: saved, reloaded, searchable', async () => {
    const { store } = await open();
    const huge = `${'lorem ipsum dolor '.repeat(58_000)}needle at the end`;
    expect(huge.length).toBeGreaterThan(1_000_000);
    await store.add(sampleConversation({ id: 'huge', text: (i) => (i === 0 ? huge : 'ok') }));
    await store.close();
    const { store: again } = await open();
    expect((await again.get('huge')).tree.activePath()[0]?.text).toBe(huge);
    const [hit] = await again.search('needle', 5);
    expect(hit?.snippet).toMatch(/^….*needle at the end$/);
  });

  describe('search', () => {
    it('finds messages by their words, ranked, with snippets, and skips deleted conversations', async () => {
      const { store } = await open();
      await store.add(
        sampleConversation({
          id: 'garden',
          title: 'Garden',
          text: (i) =>
            i === 1
              ? `${'Some filler words here. '.repeat(20)}Tomatoes need full sun and deep watering in the garden.`
              : 'How do I grow tomatoes?',
        }),
      );
      await store.add(
        sampleConversation({ id: 'kitchen', title: 'Kitchen', text: () => 'A sauce made of tomatoes.' }),
      );
      const hits = await store.search('tomatoes sun', 10);
      expect(hits[0]).toMatchObject({
        conversationId: 'garden',
        conversationTitle: 'Garden',
        messageId: 'garden-m1',
      });
      expect(hits[0]?.snippet).toMatch(/^….*Tomatoes need full sun/);
      const [start, end] = hits[0]?.highlights[0] ?? [0, 0];
      expect(hits[0]?.snippet.slice(start, end)).toBe('Tomatoes');

      // A prefix of the last word matches while typing; no message has both words: any of them.
      expect((await store.search('sauc', 10)).map((h) => h.conversationId)).toEqual(['kitchen', 'kitchen']);
      expect((await store.search('sauce watering', 10)).length).toBeGreaterThanOrEqual(2);
      expect(await store.search('   ', 10)).toEqual([]);

      // Kept current as messages are written after the index is built.
      const kitchen = await store.get('kitchen');
      const late = kitchen.tree.activePath()[1];
      if (!late) throw new Error('no answer');
      late.text = 'Basil goes well with it.';
      await store.save(kitchen);
      await store.indexForSearch(kitchen.file, [late]);
      expect((await store.search('basil', 10)).map((h) => h.messageId)).toEqual(['kitchen-m1']);

      kitchen.file.deletedAt = Date.now();
      await store.save(kitchen);
      expect(await store.search('basil', 10)).toEqual([]);
    });
  });
});
