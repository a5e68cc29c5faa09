/**
 * The conversation store at the scale: 10,000 conversations, 100,000 messages.
 * Prints how long opening (with and without the index), listing, building the search index
 * and searching take. Run: npm run bench -- chatStore
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConversationStore, fileNameFor } from '../electron/core/chats/store/ConversationStore.js';
import { sampleConversation } from '../electron/core/chats/testing.js';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 10_000);
const TURNS = 5; // 10 messages each
const WORDS_PER_MESSAGE = 40;

// A Zipf-like vocabulary: a few common words, many rare ones, as in real text.
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

let seed = 42;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}

const words = vocabulary(20_000);
function sentence(): string {
  const out: string[] = [];
  for (let i = 0; i < WORDS_PER_MESSAGE; i++)
    out.push(words[Math.floor(words.length * random() ** 3)] ?? 'x');
  return out.join(' ');
}

async function time<T>(work: () => Promise<T> | T): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;

const dir = await mkdtemp(join(tmpdir(), 'hearth-bench-chats-'));
try {
  const conversationsDir = join(dir, 'conversations');
  await mkdir(conversationsDir, { recursive: true });
  const [, writeMs] = await time(async () => {
    for (let i = 0; i < CONVERSATIONS; i += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, CONVERSATIONS - i) }, (_, j) => {
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
  const messages = CONVERSATIONS * TURNS * 2;

  const [cold, coldMs] = await time(() => ConversationStore.open({ dir }));
  await cold.store.close();
  const [warm, warmMs] = await time(() => ConversationStore.open({ dir }));
  const { store } = warm;
  const listTimes: number[] = [];
  for (let i = 0; i < 20; i++) listTimes.push((await time(() => store.list()))[1]);
  const [, buildMs] = await time(() => store.searchIndex());
  const memoryMb = process.memoryUsage().heapUsed / 1e6;

  const queries: string[] = [];
  for (let i = 0; i < 200; i++) {
    const count = 1 + (i % 3);
    queries.push(Array.from({ length: count }, () => words[Math.floor(2000 * random())]).join(' '));
  }
  const searchTimes: number[] = [];
  let hits = 0;
  for (const query of queries) {
    const [found, took] = await time(() => store.search(query, 20));
    hits += found.length;
    searchTimes.push(took);
  }
  const conversation = await store.get(`c${Math.floor(CONVERSATIONS / 2)}`);
  const saveTimes: number[] = [];
  for (let i = 0; i < 20; i++) saveTimes.push((await time(() => store.save(conversation)))[1]);
  await store.close();

  console.log(
    `Conversation store: ${CONVERSATIONS.toLocaleString('en-US')} conversations, ${messages.toLocaleString('en-US')} messages (${WORDS_PER_MESSAGE} words each)`,
  );
  console.log(`(writing the fixture took ${ms(writeMs)})\n`);
  console.log('| step | time |');
  console.log('| --- | --- |');
  console.log(`| open, no index (reads every file, writes the index) | ${ms(coldMs)} |`);
  console.log(`| open with the index (one file + a stat per conversation) | ${ms(warmMs)} |`);
  console.log(
    `| list all, sorted (p50 / p95 of 20) | ${ms(percentile(listTimes, 50))} / ${ms(percentile(listTimes, 95))} |`,
  );
  console.log(`| build the search index (first search; reads every file) | ${ms(buildMs)} |`);
  console.log(
    `| search, 1-3 words, top 20 with snippets (p50 / p95 of ${queries.length}) | ${ms(percentile(searchTimes, 50))} / ${ms(percentile(searchTimes, 95))} |`,
  );
  console.log(
    `| save one conversation (write, fsync, rename; p50 of 20) | ${ms(percentile(saveTimes, 50))} |`,
  );
  console.log(`\nheap after building the search index: ${memoryMb.toFixed(0)} MB; ${hits} hits in total`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
