/** Smoke test on a real model, where HEARTH_TEST_MODEL names one (e.g. stories260K.gguf). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import type { ChatResult } from '../common/api/contract.js';
import { createEngine } from './Engine.js';

const realModel = process.env.HEARTH_TEST_MODEL;

it.skipIf(!realModel)('loads and chats with the model named by HEARTH_TEST_MODEL', async () => {
  const home = await mkdtemp(join(tmpdir(), 'hearth-real-'));
  const engine = await createEngine({ home, version: 'test', threads: 1 });
  try {
    const status = await engine.loadModelFile(resolve(realModel ?? ''));
    expect(status.state).toBe('loaded');
    expect(status.contextSize).toBeGreaterThanOrEqual(2048);
    const deltas: string[] = [];
    const result = (await engine.handlers['chat.send'](
      { conversationId: 'smoke', text: 'Once upon a time', maxTokens: 20 },
      {
        requestId: 'smoke',
        signal: new AbortController().signal,
        emit: (_event, payload) => deltas.push((payload as { text: string }).text),
      },
    )) as ChatResult;
    expect(result.generatedTokens).toBeGreaterThan(0);
    expect(deltas.join('').trim()).toBe(result.text);
  } finally {
    await engine.dispose();
    await rm(home, { recursive: true, force: true });
  }
});
