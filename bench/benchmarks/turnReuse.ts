/**
 * turn.reuse: a conversation with about 2,000 tokens of history, then one more turn. Reports the
 * prompt tokens Hearth evaluated for that turn against the whole prompt's length (reuse keeps
 * it to the new message), and its time to first token against the first turn of a conversation.
 */
import { LlamaChatSession, type ChatHistoryItem } from 'node-llama-cpp';
import { join } from 'node:path';
import { figure } from '../stats.js';
import { startHearth, type RunningHearth } from '../support/hearth.js';
import type { Benchmark } from '../types.js';

const HISTORY_TOKENS = 2000;
const HISTORY_ANSWER_TOKENS = 120;
const FOLLOW_UP = 'And what happened to the fox after that?';
const FOLLOW_UP_ANSWER_TOKENS = 16;

function longMessage(turn: number): string {
  const sentence = `In part ${turn + 1} the fox walked along the river, counted the stones and sang to the birds. `;
  return `Here is more of my story. ${sentence.repeat(14)}What comes next?`;
}

/** Sends a message and measures the time to its first streamed delta as the client sees it. */
async function timedTurn(hearth: RunningHearth, conversationId: string, text: string, maxTokens: number) {
  const started = performance.now();
  const firstDelta: { ms?: number } = {};
  const result = await hearth.client.call(
    'chat.send',
    { conversationId, text, maxTokens },
    { onEvent: () => void (firstDelta.ms ??= performance.now() - started) },
  );
  if (firstDelta.ms === undefined) throw new Error('The answer streamed no delta.');
  return { result, ttftMs: firstDelta.ms };
}

export const turnReuse: Benchmark = {
  name: 'turn',
  figures: ['turn.reuse', 'turn.ttft'],
  description:
    'Prompt tokens evaluated and time to first token for a follow-up after ~2,000 tokens of history.',
  async run(context) {
    const model = await context.model({ minContext: 4096 });
    const hearth = await startHearth({
      home: join(context.workDir, 'home'),
      modelPath: model.path,
      rendererDir: join(context.root, 'out', 'renderer'),
    });
    const llama = hearth.llama;
    try {
      const status = await hearth.loadModel();
      // The whole prompt's length, counted independently: node-llama-cpp's chat wrapper for this
      // model renders the transcript (system prompt, every turn, the new message) and tokenizes it.
      const counter = await llama.loadModel({ modelPath: model.path, gpuLayers: 'auto' });
      const counterContext = await counter.createContext({ contextSize: 512, threads: 1 });
      const counterSession = new LlamaChatSession({ contextSequence: counterContext.getSequence() });
      const initial = counterSession.getChatHistory();
      const promptTokens = (history: ChatHistoryItem[], next: string) =>
        counterSession.chatWrapper
          .generateContextState({
            chatHistory: [...history, { type: 'user', text: next }, { type: 'model', response: [] }],
          })
          .contextText.tokenize(counter.tokenizer).length;

      const evaluatedShare: number[] = [];
      const evaluated: number[] = [];
      const totals: number[] = [];
      const followUpTtft: number[] = [];
      const firstTurnTtft: number[] = [];
      let historyTokens = 0;
      for (let run = -1; run < context.repetitions; run++) {
        context.signal.throwIfAborted();
        const conversationId = `reuse-${run}`;
        let history = [...initial];
        for (let turn = 0; promptTokens(history, '') < HISTORY_TOKENS; turn++) {
          const text = longMessage(turn);
          const { result } = await timedTurn(hearth, conversationId, text, HISTORY_ANSWER_TOKENS);
          history = [...history, { type: 'user', text }, { type: 'model', response: [result.text] }];
        }
        historyTokens = promptTokens(history, '');
        const followUp = await timedTurn(hearth, conversationId, FOLLOW_UP, FOLLOW_UP_ANSWER_TOKENS);
        // The first turn of a fresh conversation with the same message, for the TTFT comparison.
        const first = await timedTurn(hearth, `first-${run}`, FOLLOW_UP, FOLLOW_UP_ANSWER_TOKENS);
        if (run < 0) continue; // warm-up
        const total = promptTokens(history, FOLLOW_UP);
        evaluated.push(followUp.result.evaluatedPromptTokens);
        totals.push(total);
        evaluatedShare.push(followUp.result.evaluatedPromptTokens / total);
        followUpTtft.push(followUp.ttftMs);
        firstTurnTtft.push(first.ttftMs);
        context.log(
          `turn.reuse run ${run + 1}: evaluated ${followUp.result.evaluatedPromptTokens} of ${total} prompt tokens; ` +
            `TTFT ${followUp.ttftMs.toFixed(1)} ms vs first turn ${first.ttftMs.toFixed(1)} ms`,
        );
      }
      counterSession.dispose();
      await counterContext.dispose();
      await counter.dispose();
      const base = `context ${status.contextSize}, ${historyTokens} tokens of history`;
      const note = (text: string) => [text, model.note].filter(Boolean).join('; ');
      return [
        figure({
          name: 'turn.reuse',
          unit: 'prompt tokens',
          values: evaluated,
          baselines: totals,
          target: { on: 'ratio', op: '<', limit: 0.1 },
          note: note(`evaluated for the follow-up vs the whole prompt; ${base}`),
        }),
        figure({
          name: 'turn.ttft',
          unit: 'ms',
          values: followUpTtft,
          baselines: firstTurnTtft,
          target: { on: 'ratio', op: '<=', limit: 1.5 },
          note: note(`time to first token of the follow-up vs a first turn with the same message; ${base}`),
        }),
      ];
    } finally {
      await hearth.close();
    }
  },
};
