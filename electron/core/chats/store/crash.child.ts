/**
 * The process the kill test kills: the real engine streams a long answer into the store,
 * writing it every 50 ms, and reports each delta on stdout as one JSON line.
 * Usage (after bundling): node crash.child.mjs <home> <model.gguf>
 */
import { createEngine } from '../../Engine.js';

const [home, modelPath] = process.argv.slice(2);
if (!home || !modelPath) throw new Error('usage: crash.child <home> <model>');
const engine = await createEngine({ home, version: '0.0.0-test', threads: 1, chats: { flushMs: 50 } });
await engine.loadModelFile(modelPath);
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
await engine.handlers['chat.send'](
  { conversationId: 'crash', text: 'Tell me a very long story.', maxTokens: 4000 },
  {
    requestId: 'r1',
    signal: new AbortController().signal,
    emit(event, payload) {
      if (event === 'chat.delta') process.stdout.write(`${JSON.stringify(payload)}\n`);
    },
  },
);
process.stdout.write(`${JSON.stringify({ finished: true })}\n`);
await engine.dispose();
