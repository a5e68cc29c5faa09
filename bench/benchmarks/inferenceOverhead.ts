/**
 * inference.overhead: tokens per second of an answer streamed through Hearth (engine, headless
 * host, WebSocket, a client parsing every delta) against node-llama-cpp called directly with the
 * same model file, context size, threads, sampling, prompt and answer length.
 */
import { LlamaChatSession } from 'node-llama-cpp';
import { join } from 'node:path';
import { figure } from '../stats.js';
import { startHearth } from '../support/hearth.js';
import type { Benchmark } from '../types.js';

const PROMPT =
  'Once upon a time, in a small village by the sea, there lived a curious little fox. Tell me the story.';
const ANSWER_TOKENS = 400;
// Greedy sampling on both sides: the same tokens come out, so both generate the same count.
const SAMPLING = { temperature: 0, topK: 40, topP: 0.9, minP: 0.05 };

/** CPU time (user + system, all threads of this process) since `start`, in ms. */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export const inferenceOverhead: Benchmark = {
  name: 'inference',
  figures: ['inference.overhead', 'inference.cpu-per-token'],
  description: 'Streamed tokens/s through the host and a WebSocket client vs node-llama-cpp directly.',
  async run(context) {
    const model = await context.model({ minContext: 2048 });
    const hearth = await startHearth({
      home: join(context.workDir, 'home'),
      modelPath: model.path,
      rendererDir: join(context.root, 'out', 'renderer'),
      engine: { sampling: SAMPLING },
    });
    const llama = hearth.llama;
    try {
      const status = await hearth.loadModel();
      if (!status.contextSize || !status.threads)
        throw new Error('models.load reported no context or threads');
      // The baseline: the same file, context size and threads, one chat session kept between runs.
      const direct = await llama.loadModel({ modelPath: model.path, gpuLayers: 'auto' });
      const directContext = await direct.createContext({
        contextSize: status.contextSize,
        threads: status.threads,
        sequences: 1,
      });
      const session = new LlamaChatSession({ contextSequence: directContext.getSequence() });
      const initialHistory = session.getChatHistory();

      const viaHearth = async (run: number) => {
        let deltas = 0;
        const cpu = process.cpuUsage();
        const started = performance.now();
        const result = await hearth.client.call(
          'chat.send',
          { conversationId: `overhead-${run}`, text: PROMPT, maxTokens: ANSWER_TOKENS },
          { onEvent: () => void deltas++ },
        );
        const seconds = (performance.now() - started) / 1000;
        const cpuMs = cpuMsSince(cpu);
        if (deltas === 0) throw new Error('No chat.delta arrived over the socket.');
        const tokens = result.generatedTokens;
        return { tokens, perSecond: tokens / seconds, cpuMsPerToken: cpuMs / tokens };
      };
      const directly = async () => {
        session.setChatHistory(initialHistory);
        let tokens = 0;
        const cpu = process.cpuUsage();
        const started = performance.now();
        await session.promptWithMeta(PROMPT, {
          ...SAMPLING,
          maxTokens: ANSWER_TOKENS,
          onToken: (chunk) => void (tokens += chunk.length),
          onTextChunk: () => {},
        });
        const seconds = (performance.now() - started) / 1000;
        return { tokens, perSecond: tokens / seconds, cpuMsPerToken: cpuMsSince(cpu) / tokens };
      };

      // One warm-up each, then alternate which side goes first.
      await viaHearth(-1);
      await directly();
      const values: number[] = [];
      const baselines: number[] = [];
      const cpuValues: number[] = [];
      const cpuBaselines: number[] = [];
      const counts = new Set<string>();
      // A pair takes about a second, and short pairs on a busy machine are noisy: take twice as many.
      const pairs = context.repetitions * 2;
      for (let run = 0; run < pairs; run++) {
        context.signal.throwIfAborted();
        const order = run % 2 === 0 ? ['hearth', 'direct'] : ['direct', 'hearth'];
        for (const side of order) {
          if (side === 'hearth') {
            const measured = await viaHearth(run);
            values.push(measured.perSecond);
            cpuValues.push(measured.cpuMsPerToken);
            counts.add(`hearth ${measured.tokens}`);
          } else {
            const measured = await directly();
            baselines.push(measured.perSecond);
            cpuBaselines.push(measured.cpuMsPerToken);
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
        figure({
          name: 'inference.cpu-per-token',
          unit: 'CPU ms / token',
          values: cpuValues,
          baselines: cpuBaselines,
          target: { on: 'ratio', op: '<=', limit: 1.03 },
          note: [
            'CPU time of the whole process (inference threads, host, socket, client) per generated token',
            model.note,
          ]
            .filter(Boolean)
            .join('; '),
        }),
      ];
    } finally {
      await hearth.close();
    }
  },
};
