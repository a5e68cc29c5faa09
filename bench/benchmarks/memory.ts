/**
 * memory.*: resident memory (RSS) of the `hearth serve` process idle, with the model loaded, and
 * after 100 chat turns. Baselines: a bare Node http server for idle, idle for loaded, loaded for
 * after 100 turns (the KV cache is allocated with the context at load, so turns should add little).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { figure } from '../stats.js';
import { makeHome, parseHostUrl } from '../support/homes.js';
import { residentBytes, serveBare, serveHearth } from '../support/processes.js';
import { WireClient } from '../support/wireClient.js';
import type { Benchmark } from '../types.js';

const TURNS = 100;
const SETTLE_MS = 1000;
const MIB = 1024 * 1024;

async function settledRss(pid: number): Promise<number> {
  await sleep(SETTLE_MS);
  return (await residentBytes(pid)) / MIB;
}

export const memory: Benchmark = {
  name: 'memory',
  figures: ['memory.idle', 'memory.loaded', 'memory.after100turns'],
  description: 'RSS of the host process idle, with a model loaded, and after 100 chat turns.',
  async run(context) {
    const model = await context.model({ minContext: 4096 });
    const bare: number[] = [];
    const idle: number[] = [];
    const loaded: number[] = [];
    const after: number[] = [];
    let contextSize = 0;
    // RSS varies little between runs; three are enough to show it.
    const runs = Math.min(context.repetitions, 3);
    for (let run = 0; run < runs; run++) {
      context.signal.throwIfAborted();
      const server = await serveBare(context.root);
      try {
        bare.push(await settledRss(server.pid));
      } finally {
        await server.stop();
      }
      const { home, modelId } = await makeHome(context.workDir, model.path);
      const hearth = await serveHearth(context.root, home);
      const { port, token } = parseHostUrl(hearth.url);
      const client = await WireClient.connect(port, token);
      try {
        idle.push(await settledRss(hearth.pid));
        contextSize = (await client.call('models.load', { modelId })).contextSize ?? 0;
        loaded.push(await settledRss(hearth.pid));
        const turnsBegan = performance.now();
        for (let turn = 0; turn < TURNS; turn++) {
          await client.call('chat.send', {
            conversationId: `memory-${turn % 10}`,
            text: `Turn ${turn}: tell me one more thing about the fox and the lantern.`,
            maxTokens: 24,
          });
        }
        context.log(`memory: ${TURNS} turns took ${((performance.now() - turnsBegan) / 1000).toFixed(1)} s`);
        after.push(await settledRss(hearth.pid));
      } finally {
        await client.close();
        await hearth.stop();
      }
      context.log(
        `memory run ${run + 1}: bare ${bare.at(-1)!.toFixed(0)}, idle ${idle.at(-1)!.toFixed(0)}, ` +
          `loaded ${loaded.at(-1)!.toFixed(0)}, after ${TURNS} turns ${after.at(-1)!.toFixed(0)} MiB`,
      );
    }
    const note = (text: string) => [text, model.note].filter(Boolean).join('; ');
    return [
      figure({
        name: 'memory.idle',
        unit: 'MiB',
        values: idle,
        baselines: bare,
        note: note('baseline: a bare Node http server'),
      }),
      figure({
        name: 'memory.loaded',
        unit: 'MiB',
        values: loaded,
        baselines: idle,
        note: note(`baseline: idle; context ${contextSize}`),
      }),
      figure({
        name: 'memory.after100turns',
        unit: 'MiB',
        values: after,
        baselines: loaded,
        target: { on: 'ratio', op: '<=', limit: 1.1 },
        note: note(`baseline: loaded; ${TURNS} turns of 24 tokens over 10 conversations`),
      }),
    ];
  },
};
