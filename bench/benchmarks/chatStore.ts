/**
 * chat.store.*: the conversation store on a synthetic history (10 messages of 40 words per
 * conversation), each figure against reading the same data the plainest way: JSON files parsed
 * with JSON.parse, messages scanned in memory, a file written without fsync. The scale is
 * HEARTH_BENCH_CHATS conversations (default below; 10000 is the 100,000 messages).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConversationStore, fileNameFor } from '../../electron/core/chats/store/ConversationStore.js';
import { sampleConversation } from '../../electron/core/chats/testing.js';
import { figure, quantile } from '../stats.js';
import type { Benchmark } from '../types.js';

export const CHATS_ENV = 'HEARTH_BENCH_CHATS';
const DEFAULT_CONVERSATIONS = 10_000;
const TURNS = 5; // 10 messages each
const WORDS_PER_MESSAGE = 40;
const LIST_CALLS = 20;
const QUERIES_PER_RUN = 40;
const SAVES_PER_RUN = 10;

/** A Zipf-like vocabulary: a few common words, many rare ones, as in real text. */
function vocabulary(size: number): string[] {
  const syllables = [
    'ka',
    'lo',
    'mi',
    'ren',
    'ta',
    'vor',
    'en',
    'sul',
    'pa',
    'dri',
    'on',
    'bel',
    'us',
    'tin',
  ];
  const words: string[] = [];
  for (let i = 0; words.length < size; i++) {
    let word = '';
    for (let n = i; ; n = Math.floor(n / syllables.length) - 1) {
      word = (syllables[n % syllables.length] ?? '') + word;
      if (n < syllables.length) break;
    }
    words.push(word);
  }
  return words;
}

/** A seeded generator, so every run searches the same text with the same queries. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

async function timed(work: () => unknown): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

function conversationCount(env: NodeJS.ProcessEnv): number {
  const raw = env[CHATS_ENV];
  if (raw === undefined || raw === '') return DEFAULT_CONVERSATIONS;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 10) throw new Error(`${CHATS_ENV} takes a whole number ≥ 10.`);
  return count;
}

/** The baseline search: every message whose text holds every query word, newest first, top `limit`. */
function scan(messages: readonly { id: string; text: string }[], query: string, limit: number): string[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const found: string[] = [];
  for (let i = messages.length - 1; i >= 0 && found.length < limit; i--) {
    const message = messages[i]!;
    const text = message.text.toLowerCase();
    if (words.every((word) => text.includes(word))) found.push(message.id);
  }
  return found;
}

export const chatStore: Benchmark = {
  name: 'chat.store',
  figures: ['chat.store.open', 'chat.store.list.p95', 'chat.store.search.p95', 'chat.store.save.p50'],
  description: 'Conversation store: open, list, search and save vs plain JSON files and an in-memory scan.',
  async run(context) {
    const conversations = conversationCount(process.env);
    const messageCount = conversations * TURNS * 2;
    const dir = join(context.workDir, 'chats');
    const conversationsDir = join(dir, 'conversations');
    await mkdir(conversationsDir, { recursive: true });

    const random = seededRandom(42);
    const words = vocabulary(20_000);
    const sentence = () =>
      Array.from({ length: WORDS_PER_MESSAGE }, () => words[Math.floor(words.length * random() ** 3)]).join(
        ' ',
      );
    const written = await timed(async () => {
      for (let i = 0; i < conversations; i += 200) {
        context.signal.throwIfAborted();
        await Promise.all(
          Array.from({ length: Math.min(200, conversations - i) }, (_, j) => {
            const id = `c${i + j}`;
            const file = sampleConversation({
              id,
              turns: TURNS,
              at: 1_700_000_000_000 + (i + j) * 1000,
              text: sentence,
            });
            return writeFile(join(conversationsDir, fileNameFor(id)), JSON.stringify(file));
          }),
        );
      }
    });
    context.log(`chat.store: wrote ${conversations} conversations in ${(written / 1000).toFixed(1)} s`);

    // The first open reads every file and writes index.json; the measured opens use the index.
    let first: ConversationStore | undefined;
    const coldMs = await timed(async () => {
      first = (await ConversationStore.open({ dir })).store;
      await first.searchIndex();
    });
    await first?.close();

    /** Baseline for open: every conversation file read and parsed, as a store without an index would. */
    const readAllFiles = async () => {
      const names = await readdir(conversationsDir);
      const files: { messages: { id: string; text: string }[] }[] = [];
      for (let i = 0; i < names.length; i += 32) {
        const batch = names.slice(i, i + 32);
        files.push(
          ...(await Promise.all(
            batch.map(
              async (name) =>
                JSON.parse(await readFile(join(conversationsDir, name), 'utf8')) as {
                  messages: { id: string; text: string }[];
                },
            ),
          )),
        );
      }
      return files;
    };
    const allMessages = (await readAllFiles()).flatMap((file) => file.messages);
    const indexPath = join(dir, 'index.json');
    const queries = Array.from({ length: QUERIES_PER_RUN }, (_, i) =>
      Array.from({ length: 1 + (i % 3) }, () => words[Math.floor(2000 * random())]).join(' '),
    );

    const open: number[] = [];
    const openBaseline: number[] = [];
    const list: number[] = [];
    const listBaseline: number[] = [];
    const search: number[] = [];
    const searchBaseline: number[] = [];
    const save: number[] = [];
    const saveBaseline: number[] = [];
    let hits = 0;
    for (let run = 0; run < context.repetitions; run++) {
      context.signal.throwIfAborted();
      let store: ConversationStore | undefined;
      open.push(
        await timed(async () => {
          store = (await ConversationStore.open({ dir })).store;
        }),
      );
      openBaseline.push(await timed(readAllFiles));
      try {
        const opened = store!;
        await opened.searchIndex();

        const ours: number[] = [];
        const theirs: number[] = [];
        for (let i = 0; i < LIST_CALLS; i++) {
          ours.push(await timed(() => opened.list()));
          theirs.push(
            await timed(async () => {
              const index = JSON.parse(await readFile(indexPath, 'utf8')) as unknown;
              if (!index) throw new Error('empty index.json');
            }),
          );
        }
        list.push(quantile(ours, 0.95));
        listBaseline.push(quantile(theirs, 0.95));

        const searchOurs: number[] = [];
        const searchTheirs: number[] = [];
        for (const query of queries) {
          searchOurs.push(await timed(async () => (hits += (await opened.search(query, 20)).length)));
          searchTheirs.push(await timed(() => scan(allMessages, query, 20)));
        }
        search.push(quantile(searchOurs, 0.95));
        searchBaseline.push(quantile(searchTheirs, 0.95));

        const conversation = await opened.get(`c${Math.floor(conversations / 2)}`);
        const plainPath = join(context.workDir, 'plain.json');
        const saveOurs: number[] = [];
        const saveTheirs: number[] = [];
        for (let i = 0; i < SAVES_PER_RUN; i++) {
          saveOurs.push(await timed(() => opened.save(conversation)));
          saveTheirs.push(await timed(() => writeFile(plainPath, JSON.stringify(conversation.file))));
        }
        save.push(quantile(saveOurs, 0.5));
        saveBaseline.push(quantile(saveTheirs, 0.5));
      } finally {
        await store?.close();
      }
      context.log(
        `chat.store run ${run + 1}: open ${open.at(-1)!.toFixed(0)} vs ${openBaseline.at(-1)!.toFixed(0)} ms; ` +
          `search p95 ${search.at(-1)!.toFixed(2)} vs ${searchBaseline.at(-1)!.toFixed(2)} ms`,
      );
    }

    const scale =
      `${conversations.toLocaleString('en-US')} conversations, ${messageCount.toLocaleString('en-US')} messages ` +
      `of ${WORDS_PER_MESSAGE} words` +
      (conversations === 10_000 ? '' : ` (${CHATS_ENV}=10000 for the issue's scale)`);
    return [
      figure({
        name: 'chat.store.open',
        unit: 'ms',
        values: open,
        baselines: openBaseline,
        note: `${scale}; open with index.json vs reading and parsing every conversation file (opening without the index and building search took ${coldMs.toFixed(0)} ms once)`,
      }),
      figure({
        name: 'chat.store.list.p95',
        unit: 'ms',
        values: list,
        baselines: listBaseline,
        note: `${scale}; p95 of ${LIST_CALLS} sorted lists vs reading and parsing index.json`,
      }),
      figure({
        name: 'chat.store.search.p95',
        unit: 'ms',
        values: search,
        baselines: searchBaseline,
        note: `${scale}; p95 of ${queries.length} 1-3 word queries, top 20 with snippets (BM25 index) vs scanning every message in memory for all words; ${hits} hits`,
      }),
      figure({
        name: 'chat.store.save.p50',
        unit: 'ms',
        values: save,
        baselines: saveBaseline,
        note: `${scale}; median of ${SAVES_PER_RUN} atomic saves of one conversation (write, fsync, rename) vs writeFile of the same JSON`,
      }),
    ];
  },
};
