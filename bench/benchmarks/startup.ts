/**
 * startup.first-paint: from spawning `hearth serve` to the first contentful paint of its UI in
 * Chromium, against spawning a bare Node http server and painting its static page. The browser
 * is started beforehand; it is not part of either side.
 */
import type { Page } from 'playwright-core';
import { figure } from '../stats.js';
import { launchChromium } from '../support/browser.js';
import { makeHome } from '../support/homes.js';
import { serveBare, serveHearth, type Served } from '../support/processes.js';
import type { Benchmark } from '../types.js';

/** Milliseconds since the epoch of the page's first contentful paint (a page script, as text). */
const FIRST_PAINT_AT = `new Promise((resolve) => {
  new PerformanceObserver((list, observer) => {
    const paint = list.getEntries().find((entry) => entry.name === 'first-contentful-paint');
    if (!paint) return;
    observer.disconnect();
    resolve(performance.timeOrigin + paint.startTime);
  }).observe({ type: 'paint', buffered: true });
})`;

async function firstPaintAt(page: Page): Promise<number> {
  return Number(await page.evaluate(FIRST_PAINT_AT));
}

export const startup: Benchmark = {
  name: 'startup',
  figures: ['startup.first-paint'],
  description: 'Host start to first paint of the UI in Chromium vs a bare Node server and static page.',
  async run(context) {
    const model = await context.model();
    const browser = await launchChromium();
    try {
      const measure = async (start: () => Promise<Served>) => {
        const page = await browser.newPage();
        const served = await start();
        try {
          await page.goto(served.url, { waitUntil: 'load' });
          return (await firstPaintAt(page)) - served.spawnedAt;
        } finally {
          await page.close();
          await served.stop();
        }
      };
      const values: number[] = [];
      const baselines: number[] = [];
      for (let run = -1; run < context.repetitions; run++) {
        context.signal.throwIfAborted();
        const { home } = await makeHome(context.workDir, model.path);
        const hearth = await measure(() => serveHearth(context.root, home));
        const bare = await measure(() => serveBare(context.root));
        if (run < 0) continue; // warm-up: file caches, Chromium's first page
        values.push(hearth);
        baselines.push(bare);
        context.log(`startup.first-paint run ${run + 1}: ${hearth.toFixed(0)} ms vs ${bare.toFixed(0)} ms`);
      }
      return [
        figure({
          name: 'startup.first-paint',
          unit: 'ms',
          values,
          baselines,
          note: 'spawn of the process to first contentful paint; Hearth includes its token bootstrap (401 page, 303, app)',
        }),
      ];
    } finally {
      await browser.close();
    }
  },
};
