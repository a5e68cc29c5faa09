/**
 * render.stream.*: a 4,096-token answer streamed at full speed into Hearth's UI in Chromium
 * through the headless host. Main-thread time comes from CDP Performance metrics, sampled with
 * the count of chat.delta frames the page has received; frames from a requestAnimationFrame
 * loop. The baseline is a minimal page on the same engine that appends deltas to a text node.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startHost } from '../../electron/host/index.js';
import { figure } from '../stats.js';
import { writeBaselinePage } from '../support/baselinePage.js';
import { launchChromium } from '../support/browser.js';
import { startHearth } from '../support/hearth.js';
import { costPerUnit, type CostSample } from '../support/cost.js';
import type { Benchmark } from '../types.js';

const MESSAGE = 'Tell me a very long story about a fox who finds a lantern.';
const WINDOW_TOKENS = 500;
const SAMPLE_EVERY_MS = 50;
const STREAM_TIMEOUT_MS = 180_000;

interface StreamMeasurement {
  tokens: number;
  scriptMs: number;
  taskMs: number;
  longestFrameMs: number;
  samples: CostSample[];
}

/**
 * Installed before the page's own scripts (as text: this file is compiled without DOM types):
 * records the longest gap between animation frames while `benchFrames.recording` is on.
 */
const FRAME_RECORDER = `(() => {
  const state = { recording: false, last: 0, longest: 0 };
  window.benchFrames = state;
  const tick = (now) => {
    if (state.recording && state.last) state.longest = Math.max(state.longest, now - state.last);
    state.last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

async function measureStream(
  browser: Browser,
  url: string,
  steps: {
    ready(page: Page): Promise<void>;
    send(page: Page): Promise<void>;
    done(page: Page): Promise<void>;
  },
): Promise<StreamMeasurement> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 780 } });
  try {
    let deltas = 0;
    page.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string' && payload.includes('"chat.delta"')) deltas++;
      }),
    );
    await page.addInitScript({ content: FRAME_RECORDER });
    await page.goto(url, { waitUntil: 'load' });
    await steps.ready(page);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () => {
      const { metrics: list } = await cdp.send('Performance.getMetrics');
      const get = (name: string) => (list.find((m) => m.name === name)?.value ?? 0) * 1000;
      return { scriptMs: get('ScriptDuration'), taskMs: get('TaskDuration') };
    };
    const start = await metrics();
    await page.evaluate('window.benchFrames.recording = true');
    const samples: CostSample[] = [{ units: 0, cost: 0 }];
    let streaming = true;
    const sampler = (async () => {
      while (streaming) {
        const units = deltas;
        const now = await metrics();
        samples.push({ units, cost: now.taskMs - start.taskMs });
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
      }
    })();
    try {
      await steps.send(page);
      await steps.done(page);
    } finally {
      // Stop sampling before anything else, or a failed step would close the page under it.
      streaming = false;
      await sampler;
    }
    const end = await metrics();
    samples.push({ units: deltas, cost: end.taskMs - start.taskMs });
    const longestFrameMs = Number(await page.evaluate('window.benchFrames.longest'));
    await cdp.detach();
    return {
      tokens: deltas,
      scriptMs: end.scriptMs - start.scriptMs,
      taskMs: end.taskMs - start.taskMs,
      longestFrameMs,
      samples,
    };
  } finally {
    await page.close();
  }
}

export const renderStream: Benchmark = {
  name: 'render',
  figures: ['render.stream.growth', 'render.stream.scripting', 'render.stream.longest-frame'],
  description: 'A 4,096-token answer streamed into the UI in Chromium vs a minimal page on the same stream.',
  async run(context) {
    const model = await context.model({ minContext: 8192 });
    const hearth = await startHearth({
      home: join(context.workDir, 'home'),
      modelPath: model.path,
      rendererDir: join(context.root, 'out', 'renderer'),
    });
    const baselineHost = await startHost({
      engine: hearth.engine,
      rendererDir: await writeBaselinePage(join(context.workDir, 'baseline')),
    });
    const browser = await launchChromium();
    try {
      const status = await hearth.loadModel();
      const app = {
        ready: async (page: Page) => {
          await page.getByTestId('model-status').waitFor();
          await page.getByLabel('Message', { exact: true }).fill(MESSAGE);
        },
        send: (page: Page) => page.getByRole('button', { name: 'Send', exact: true }).click(),
        done: (page: Page) =>
          page
            .locator('[data-role="assistant"][data-streaming="false"]')
            .waitFor({ timeout: STREAM_TIMEOUT_MS }),
      };
      const minimal = {
        ready: async (page: Page) => {
          await page.locator('body[data-ready="true"]').waitFor();
          await page.locator('#message').fill(MESSAGE);
        },
        send: (page: Page) => page.locator('#send').click(),
        done: (page: Page) => page.locator('body[data-done="true"]').waitFor({ timeout: STREAM_TIMEOUT_MS }),
      };
      const runs = Math.min(context.repetitions, 3);
      const growth: number[] = [];
      const firstWindow: number[] = [];
      const scripting: number[] = [];
      const scriptingBaseline: number[] = [];
      const minimalGrowth: string[] = [];
      const frames: number[] = [];
      const framesBaseline: number[] = [];
      let tokens = 0;
      for (let run = 0; run < runs; run++) {
        context.signal.throwIfAborted();
        const ours = await measureStream(browser, hearth.host.url, app);
        const theirs = await measureStream(browser, baselineHost.url, minimal);
        tokens = ours.tokens;
        if (ours.tokens < 2 * WINDOW_TOKENS) throw new Error(`Only ${ours.tokens} deltas streamed.`);
        firstWindow.push(costPerUnit(ours.samples, 0, WINDOW_TOKENS));
        growth.push(costPerUnit(ours.samples, ours.tokens - WINDOW_TOKENS, ours.tokens));
        scripting.push(ours.scriptMs);
        scriptingBaseline.push(theirs.scriptMs);
        minimalGrowth.push(
          `${costPerUnit(theirs.samples, 0, WINDOW_TOKENS).toFixed(2)} -> ` +
            costPerUnit(theirs.samples, theirs.tokens - WINDOW_TOKENS, theirs.tokens).toFixed(2),
        );
        frames.push(ours.longestFrameMs);
        framesBaseline.push(theirs.longestFrameMs);
        context.log(
          `render run ${run + 1}: ${ours.tokens} deltas; per token ${firstWindow.at(-1)!.toFixed(3)} -> ` +
            `${growth.at(-1)!.toFixed(3)} ms; scripting ${ours.scriptMs.toFixed(0)} vs ${theirs.scriptMs.toFixed(0)} ms; ` +
            `longest frame ${ours.longestFrameMs.toFixed(0)} vs ${theirs.longestFrameMs.toFixed(0)} ms`,
        );
      }
      const note = (text: string) =>
        [`${tokens} chat.delta frames, context ${status.contextSize}; ${text}`, model.note]
          .filter(Boolean)
          .join('; ');
      return [
        figure({
          name: 'render.stream.growth',
          unit: 'ms main thread / token',
          values: growth,
          baselines: firstWindow,
          target: { on: 'ratio', op: '<=', limit: 1.5 },
          note: note(
            `last ${WINDOW_TOKENS} tokens vs first ${WINDOW_TOKENS} (CDP TaskDuration); ` +
              `the minimal page went ${minimalGrowth.join(', ')} ms/token`,
          ),
        }),
        figure({
          name: 'render.stream.scripting',
          unit: 'ms',
          values: scripting,
          baselines: scriptingBaseline,
          note: note('total main-thread scripting (CDP ScriptDuration) vs a minimal page on the same stream'),
        }),
        figure({
          name: 'render.stream.longest-frame',
          unit: 'ms',
          values: frames,
          baselines: framesBaseline,
          note: note('longest gap between animation frames while streaming vs the minimal page'),
        }),
      ];
    } finally {
      await browser.close();
      await baselineHost.close();
      await hearth.close();
    }
  },
};
