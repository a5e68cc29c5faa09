// Kill -9 mid-answer: a child process streams an answer into the store (written every 50 ms)
// and is killed with SIGKILL at a random moment. The store must open intact, with the answer
// up to its last write kept and marked interrupted.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../../../test/support/index.js';
import { ConversationStore } from './ConversationStore.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');
// Inside the repository, so the bundle's bare imports (node-llama-cpp) resolve from node_modules.
const outDir = join(root, 'node_modules', '.cache', 'hearth-crash-child');
let child: string;
let modelPath: string;
let home: string;

beforeAll(async () => {
  await build({
    configFile: false,
    logLevel: 'error',
    build: {
      ssr: join(import.meta.dirname, 'crash.child.ts'),
      outDir,
      target: 'node20',
      emptyOutDir: true,
      rollupOptions: { output: { entryFileNames: 'crash.child.mjs' } },
    },
  });
  child = join(outDir, 'crash.child.mjs');
  modelPath = await ensureTestModel();
  home = await mkdtemp(join(tmpdir(), 'hearth-crash-'));
}, 120_000);

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

interface Streamed {
  text: string;
  deltas: number;
  /** When each delta arrived (ms) and how long the streamed text was then. */
  arrivals: { at: number; length: number }[];
  killedAt: number;
}

/** Runs the child until it has streamed for `streamingMs` (plus a random few ms), then SIGKILLs it. */
async function runAndKill(streamingMs: number): Promise<Streamed> {
  const proc = spawn(process.execPath, [child, home, modelPath], {
    env: { ...process.env, HEARTH_THREADS: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const streamed: Streamed = { text: '', deltas: 0, arrivals: [], killedAt: 0 };
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    proc.on('exit', (_code, signal) => resolve(signal)),
  );
  let killScheduled = false;
  await new Promise<void>((resolve, reject) => {
    proc.on('exit', () => reject(new Error('the child ended before it was killed')));
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as { text?: string };
      if (message.text === undefined) return;
      streamed.text += message.text;
      streamed.arrivals.push({ at: performance.now(), length: streamed.text.length });
      streamed.deltas += 1;
      const streamingFor = performance.now() - (streamed.arrivals[0]?.at ?? 0);
      if (!killScheduled && streamingFor >= streamingMs) {
        killScheduled = true;
        setTimeout(() => {
          streamed.killedAt = performance.now();
          proc.kill('SIGKILL');
          resolve();
        }, Math.random() * 60);
      }
    });
  });
  expect(await exited).toBe('SIGKILL');
  return streamed;
}

describe('a process killed mid-answer', () => {
  it('leaves an intact store: the answer kept up to its last write and marked interrupted', async () => {
    const streamed = await runAndKill(1500);
    const files = await readdir(join(home, 'chats', 'conversations'));
    // Every file there (a temporary one included, if the kill hit a write) is whole JSON or is removed on open.
    const { store, report } = await ConversationStore.open({ dir: join(home, 'chats') });
    try {
      expect(report.unreadable).toEqual([]);
      expect(report.interrupted).toBe(1);
      expect(await readdir(join(home, 'chats', 'conversations'))).toEqual(['crash.json']);
      expect(files).toContain('crash.json');
      const [question, answer] = (await store.get('crash')).tree.activePath();
      expect(question).toMatchObject({ role: 'user', text: 'Tell me a very long story.', status: 'done' });
      expect(answer?.status).toBe('interrupted');
      // What was written is what was streamed, up to the last write before the kill.
      expect(streamed.text.startsWith(answer?.text ?? '')).toBe(true);
      // Written every 50 ms: at most the last second before the kill is lost, however loaded the machine.
      const secondBeforeKill = streamed.arrivals.filter((a) => a.at <= streamed.killedAt - 1000).at(-1);
      expect(answer?.text.length ?? 0).toBeGreaterThanOrEqual(secondBeforeKill?.length ?? 0);
      expect((answer?.text ?? '').split(/\s+/).filter(Boolean).length).toBeGreaterThan(20);
      expect(store.list().map((c) => c.id)).toEqual(['crash']);
      const onDisk = JSON.parse(await readFile(join(home, 'chats', 'conversations', 'crash.json'), 'utf8'));
      expect(onDisk.messages[1].status).toBe('interrupted');
    } finally {
      await store.close();
    }
  }, 60_000);
});
