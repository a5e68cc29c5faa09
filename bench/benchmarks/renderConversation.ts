/**
 * render.conversation.*: a conversation of 2,000 messages (imported through the contract) opened
 * from the sidebar in Chromium through the headless host, then scrolled from its end to its top a
 * few hundred pixels per frame. Time to open: the click until the last message is on screen.
 * Longest frame: the longest gap between animation frames while scrolling. Baseline: the same UI
 * built with the message list before virtualization (every message in the DOM, CSS
 * content-visibility skipping the layout of those out of view), taken from git.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startHost } from '../../electron/host/index.js';
import { END_MARKER, longConversationJson, START_MARKER } from '../../test/support/index.js';
import { figure } from '../stats.js';
import { launchChromium } from '../support/browser.js';
import { startHearth } from '../support/hearth.js';
import type { Benchmark } from '../types.js';

const MESSAGES = 2000;
/** The last commit whose message list put every message in the DOM. */
const BEFORE_VIRTUALIZATION = '361465f';
const LIST_FILE = 'renderer/src/features/chat/MessageList.svelte';
const SCROLL_STEP_PX = 300;

const FRAME_RECORDER = `(() => {
  const state = { recording: false, last: 0, longest: 0, frames: 0 };
  window.benchFrames = state;
  const tick = (now) => {
    if (state.recording && state.last) {
      state.longest = Math.max(state.longest, now - state.last);
      state.frames++;
    }
    state.last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

/** Scrolls the list from the bottom to the top, one step per animation frame; resolves at the top. */
const SCROLL_TO_TOP = `new Promise((resolve) => {
  const list = document.querySelector('[data-testid="message-list"]');
  window.benchFrames.longest = 0;
  window.benchFrames.frames = 0;
  window.benchFrames.recording = true;
  const started = performance.now();
  const step = () => {
    if (list.scrollTop <= 0) {
      window.benchFrames.recording = false;
      resolve({ longest: window.benchFrames.longest, frames: window.benchFrames.frames, ms: performance.now() - started });
      return;
    }
    list.scrollTop -= ${SCROLL_STEP_PX};
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
})`;

/**
 * The renderer as it was before virtualization: the current renderer sources with the old list
 * component from git, built beside the real one (same folder depth, so imports resolve), cached by commit.
 */
async function buildBaselineRenderer(root: string, log: (line: string) => void): Promise<string | undefined> {
  const outDir = join(tmpdir(), 'hearth-bench-cache', `renderer-${BEFORE_VIRTUALIZATION}`);
  if (existsSync(join(outDir, 'index.html'))) return outDir;
  let oldList: string;
  try {
    oldList = execFileSync('git', ['show', `${BEFORE_VIRTUALIZATION}:${LIST_FILE}`], {
      cwd: root,
      encoding: 'utf8',
    });
  } catch {
    log(`render.conversation: no git history with ${BEFORE_VIRTUALIZATION}; measuring without the baseline`);
    return undefined;
  }
  const source = join(root, '.bench-renderer-baseline');
  await rm(source, { recursive: true, force: true });
  try {
    await cp(join(root, 'renderer'), source, { recursive: true });
    await writeFile(join(source, LIST_FILE.replace(/^renderer\//, '')), oldList);
    log('render.conversation: building the baseline renderer (once; cached)');
    const [{ build }, { svelte }] = await Promise.all([
      import('vite'),
      import('@sveltejs/vite-plugin-svelte'),
    ]);
    await mkdir(outDir, { recursive: true });
    await build({
      root: source,
      configFile: false,
      logLevel: 'warn',
      plugins: [svelte()],
      build: { outDir, emptyOutDir: true, rollupOptions: { input: { index: join(source, 'index.html') } } },
    });
    return outDir;
  } finally {
    await rm(source, { recursive: true, force: true });
  }
}

async function openAndScroll(
  browser: Browser,
  url: string,
): Promise<{ openMs: number; longestFrameMs: number }> {
  const page: Page = await browser.newPage({ viewport: { width: 1200, height: 780 } });
  try {
    await page.addInitScript({ content: FRAME_RECORDER });
    await page.goto(url, { waitUntil: 'load' });
    const item = page.getByTestId('conversation-list').getByTestId('conversation-item').first();
    await item.waitFor();
    const list = page.getByTestId('message-list');
    const started = performance.now();
    await item.getByRole('button').first().click();
    await list.getByText(END_MARKER).waitFor({ state: 'visible', timeout: 120_000 });
    const openMs = performance.now() - started;
    // Let the opening settle before scrolling.
    await page.waitForTimeout(300);
    const scrolled = (await page.evaluate(SCROLL_TO_TOP)) as { longest: number };
    await list.getByText(START_MARKER).waitFor({ state: 'visible', timeout: 30_000 });
    return { openMs, longestFrameMs: scrolled.longest };
  } finally {
    await page.close();
  }
}

export const renderConversation: Benchmark = {
  name: 'render.conversation',
  figures: ['render.conversation.open', 'render.conversation.scroll-longest-frame'],
  description:
    'Open a 2,000-message conversation and scroll it end to top in Chromium, vs the list before virtualization.',
  async run(context) {
    const model = await context.model();
    const hearth = await startHearth({
      home: join(context.workDir, 'home'),
      modelPath: model.path,
      rendererDir: join(context.root, 'out', 'renderer'),
    });
    const baselineDir = await buildBaselineRenderer(context.root, context.log);
    const baselineHost = baselineDir
      ? await startHost({ engine: hearth.engine, rendererDir: baselineDir })
      : undefined;
    const browser = await launchChromium();
    try {
      await hearth.client.call('conversations.import', { content: longConversationJson(MESSAGES) });
      const runs = Math.min(context.repetitions, 3);
      const open: number[] = [];
      const openBaseline: number[] = [];
      const frames: number[] = [];
      const framesBaseline: number[] = [];
      for (let run = 0; run < runs; run++) {
        context.signal.throwIfAborted();
        // Alternate which side goes first, so a busy moment does not always fall on one side.
        const sides = [
          async () => {
            const ours = await openAndScroll(browser, hearth.host.url);
            open.push(ours.openMs);
            frames.push(ours.longestFrameMs);
          },
          async () => {
            if (!baselineHost) return;
            const theirs = await openAndScroll(browser, baselineHost.url);
            openBaseline.push(theirs.openMs);
            framesBaseline.push(theirs.longestFrameMs);
          },
        ];
        if (run % 2) sides.reverse();
        for (const side of sides) await side();
        context.log(
          `render.conversation run ${run + 1}: open ${open.at(-1)!.toFixed(0)} ms` +
            (baselineHost ? ` vs ${openBaseline.at(-1)!.toFixed(0)} ms` : '') +
            `; longest scroll frame ${frames.at(-1)!.toFixed(0)} ms` +
            (baselineHost ? ` vs ${framesBaseline.at(-1)!.toFixed(0)} ms` : ''),
        );
      }
      const baseline = (values: number[]) => (baselineHost ? { baselines: values } : {});
      const scale = `${MESSAGES.toLocaleString('en-US')} messages (Markdown answers with lists and code), viewport 1200x780`;
      const against = baselineHost
        ? `baseline: the list before virtualization (${BEFORE_VIRTUALIZATION}, CSS content-visibility)`
        : 'no baseline (git history missing)';
      return [
        figure({
          name: 'render.conversation.open',
          unit: 'ms',
          values: open,
          ...baseline(openBaseline),
          note: `${scale}; click in the sidebar until the last message is visible; ${against}`,
        }),
        figure({
          name: 'render.conversation.scroll-longest-frame',
          unit: 'ms',
          values: frames,
          ...baseline(framesBaseline),
          note: `${scale}; scrolling end to top ${SCROLL_STEP_PX} px per frame; ${against}`,
        }),
      ];
    } finally {
      await browser.close();
      await baselineHost?.close();
      await hearth.close();
    }
  },
};
