/**
 * inference.overhead: tokens per second of an answer streamed through Hearth (engine, headless
 * host, WebSocket, a client parsing every delta) against node-llama-cpp called directly with the
 * same model file, context size, threads, sampling, prompt and answer length.
 */
import { getLlama, LlamaChatSession, LlamaLogLevel } from 'node-llama-cpp';
import { join } from 'node:path';
import { figure } from '../stats.js';
import { startHearth } from '../support/hearth.js';
import type { Benchmark } from '../types.js';

const PROMPT =
  'Once upon a time, in a small village by the sea, there lived a curious little fox. Tell me the story.';
const ANSWER_TOKENS = 400;
// Greedy sampling on both sides: the same tokens come out, so both generate the same count.
const SAMPLING = { temperature: 0, topK: 40, topP: 0.9, minP: 0.05 };

export const inferenceOverhead: Benchmark = {
  name: 'inference',
  figures: ['inference.overhead'],
  description: 'Streamed tokens/s through the host and a WebSocket client vs node-llama-cpp directly.',
  async run(context) {
    const model = await context.model({ minContext: 2048 });
    const hearth = await startHearth({
      home: join(context.workDir, 'home'),
      modelPath: model.path,
      rendererDir: join(context.root, 'out', 'renderer'),
      engine: { sampling: SAMPLING },
    });
    const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
    try {
      const status = await hearth.loadModel();
      if (!status.contextSize || !status.threads)
        throw new Error('models.load reported no context or threads');
      // The baseline: the same file, context size and threads, one chat session kept between runs.
      const direct = await llama.loadModel({ modelPath: model.path, gpuLayers: 0 });
      const directContext = await direct.createContext({
        contextSize: status.contextSize,
        threads: status.threads,
        sequences: 1,
      });
      const session = new LlamaChatSession({ contextSequence: directContext.getSequence() });
      const initialHistory = session.getChatHistory();

      const viaHearth = async (run: number) => {
        let deltas = 0;
        const started = performance.now();
        const result = await hearth.client.call(
          'chat.send',
          { conversationId: `overhead-${run}`, text: PROMPT, maxTokens: ANSWER_TOKENS },
          { onEvent: () => void deltas++ },
        );
        const seconds = (performance.now() - started) / 1000;
        if (deltas === 0) throw new Error('No chat.delta arrived over the socket.');
        return { tokens: result.generatedTokens, perSecond: result.generatedTokens / seconds };
      };
      const directly = async () => {
        session.setChatHistory(initialHistory);
        let tokens = 0;
        const started = performance.now();
        await session.promptWithMeta(PROMPT, {
          ...SAMPLING,
          maxTokens: ANSWER_TOKENS,
          onToken: (chunk) => void (tokens += chunk.length),
          onTextChunk: () => {},
        });
        const seconds = (performance.now() - started) / 1000;
        return { tokens, perSecond: tokens / seconds };
      };

      // One warm-up each, then alternate which side goes first.
      await viaHearth(-1);
      await directly();
      const values: number[] = [];
      const baselines: number[] = [];
      const counts = new Set<string>();
      for (let run = 0; run < context.repetitions; run++) {
        const order = run % 2 === 0 ? ['hearth', 'direct'] : ['direct', 'hearth'];
        for (const side of order) {
          if (side === 'hearth') {
            const measured = await viaHearth(run);
            values.push(measured.perSecond);
            counts.add(`hearth ${measured.tokens}`);
          } else {
            const measured = await directly();
            baselines.push(measured.perSecond);
            counts.add(`direct ${measured.tokens}`);
          }
        }
        context.log(
          `inference.overhead run ${run + 1}: ${values.at(-1)!.toFixed(0)} vs ${baselines.at(-1)!.toFixed(0)} tok/s`,
        );
      }
      session.dispose();
      await directContext.dispose();
      await direct.dispose();
      const notes = [
        `${status.threads} thread(s), context ${status.contextSize}, greedy, tokens generated: ${[...counts].join(', ')}`,
        model.note,
      ].filter(Boolean);
      return [
        figure({
          name: 'inference.overhead',
          unit: 'tokens/s',
          values,
          baselines,
          target: { on: 'ratio', op: '>=', limit: 0.97 },
          note: notes.join('; '),
        }),
      ];
    } finally {
      await hearth.close();
      await llama.dispose();
    }
  },
};
