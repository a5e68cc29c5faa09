/**
 * Chatting works while the library indexes (issue 4): one `hearth serve`, the chat model loaded in one tab,
 * a batch of documents indexing in another. The answer streams and ends while the library still shows files
 * not yet ready; then every file still reaches ready. Both tabs log what their own DOM shows, with the
 * time, so "while" is checked on what the user saw, not on a guess about timing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ensureTestEmbeddingModel } from '../../test/support/index.js';
import { chooseModel, MODEL_ID } from '../support/chatFlow.js';
import { makeHomeWithModels, serve, type ServedHearth } from '../support/serve.js';

/** Enough text that the batch indexes for many seconds with the tests' embedding model. */
const FILES = 24;
const PARAGRAPHS_PER_FILE = 120;

const words = ['river', 'lantern', 'orchard', 'harbour', 'meadow', 'glacier', 'market', 'library', 'valley'];

function essay(n: number): string {
  const lines = [`# Field notes ${n}`, ''];
  for (let p = 0; p < PARAGRAPHS_PER_FILE; p++) {
    if (p % 20 === 0) lines.push(`## Part ${p / 20 + 1}`, '');
    const a = words[(n + p) % words.length]!;
    const b = words[(n * 3 + p * 7) % words.length]!;
    lines.push(
      `On day ${p + 1} of notebook ${n} the walkers followed the ${a} towards the ${b}, counting ` +
        `${(n * 31 + p * 17) % 97} birds, and wrote down how the light changed over the ${b} at dusk.`,
      '',
    );
  }
  return lines.join('\n');
}

interface LibrarySnapshot {
  at: number;
  /** Ingest items neither ready, skipped nor failed. */
  unfinished: number;
  /** The overall progress bar is on screen, with its value. */
  progress: number | null;
}

/** Logs, on every change of the library tab's DOM, how many files are unfinished and the overall bar. */
async function logLibrary(page: Page): Promise<() => Promise<LibrarySnapshot[]>> {
  await page.evaluate(() => {
    const log: LibrarySnapshot[] = [];
    (window as unknown as { libraryLog: LibrarySnapshot[] }).libraryLog = log;
    const snap = () => {
      const items = Array.from(document.querySelectorAll('[data-testid="ingest-item"]'));
      const bar = document.querySelector('[data-testid="ingest-progress"]');
      const entry: LibrarySnapshot = {
        at: Date.now(),
        unfinished: items.filter((item) =>
          ['queued', 'reading', 'indexing'].includes(item.getAttribute('data-state') ?? ''),
        ).length,
        progress: bar ? Number(bar.getAttribute('aria-valuenow')) : null,
      };
      const last = log[log.length - 1];
      if (!last || last.unfinished !== entry.unfinished || last.progress !== entry.progress) log.push(entry);
    };
    snap();
    new MutationObserver(snap).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-state', 'aria-valuenow'],
    });
  });
  return () => page.evaluate(() => (window as unknown as { libraryLog: LibrarySnapshot[] }).libraryLog);
}

/** Logs each new length of the newest answer's text, with the time. */
async function logAnswer(page: Page): Promise<() => Promise<{ at: number; length: number }[]>> {
  await page.evaluate(() => {
    const log: { at: number; length: number }[] = [];
    (window as unknown as { answerLog: typeof log }).answerLog = log;
    new MutationObserver(() => {
      const answers = document.querySelectorAll('[data-role="assistant"] [data-testid="message-text"]');
      const length = answers[answers.length - 1]?.textContent?.length ?? 0;
      if (length > 0 && length !== log[log.length - 1]?.length) log.push({ at: Date.now(), length });
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () =>
    page.evaluate(() => (window as unknown as { answerLog: { at: number; length: number }[] }).answerLog);
}

/** What the library tab showed at a moment: the last snapshot taken at or before it. */
function shownAt(log: LibrarySnapshot[], at: number): LibrarySnapshot | undefined {
  return log.filter((entry) => entry.at <= at).pop();
}

test.describe('chatting while the library indexes', () => {
  let hearth: ServedHearth;
  let folder: string;
  const paths: string[] = [];

  test.beforeAll(async () => {
    const embedModel = await ensureTestEmbeddingModel();
    hearth = await serve(await makeHomeWithModels(), { env: { HEARTH_EMBED_MODEL: embedModel } });
    folder = await mkdtemp(join(tmpdir(), 'hearth-e2e-busy-'));
    for (let n = 1; n <= FILES; n++) {
      const path = join(folder, `notes-${String(n).padStart(2, '0')}.md`);
      await writeFile(path, essay(n));
      paths.push(path);
    }
  });

  test.afterAll(async () => {
    await hearth?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  test('an answer streams and ends while files are still indexing; then every file is ready', async ({
    page: chat,
    context,
  }) => {
    test.setTimeout(180_000);
    await chat.goto(hearth.url);
    await chooseModel(chat, MODEL_ID);

    const library = await context.newPage();
    await library.goto(hearth.url);
    await library.getByTestId('nav-library').click();
    await expect(library.getByTestId('library-empty')).toBeVisible();
    const libraryLog = await logLibrary(library);
    await library.getByTestId('add-files-input').setInputFiles(paths);
    const items = library.getByTestId('ingest-item');
    await expect(items).toHaveCount(FILES);
    // Indexing has begun: the first file is being read or indexed (or done) and the bar is shown.
    await expect(library.getByTestId('ingest-progress')).toBeVisible();
    await expect(library.locator('[data-testid="ingest-item"][data-state="queued"]')).not.toHaveCount(0);

    const answerLog = await logAnswer(chat);
    await chat
      .getByLabel('Message', { exact: true })
      .fill('Tell me a story about a fox who finds a lantern.');
    await chat.getByRole('button', { name: 'Send', exact: true }).click();
    const answer = chat.locator('[data-role="assistant"]').first();
    await expect(answer).toHaveAttribute('data-streaming', 'true');
    // The answer grows in several steps...
    await expect.poll(async () => (await answerLog()).length).toBeGreaterThanOrEqual(3);
    await library.screenshot({ path: test.info().outputPath('library-indexing-while-chatting.png') });
    await chat.screenshot({ path: test.info().outputPath('chat-streaming-while-indexing.png') });
    // ...and ends: stopped here (the test model would write up to its limit), the partial answer kept.
    const stop = chat.getByRole('button', { name: 'Stop', exact: true });
    await expect(async () => {
      if ((await answer.getAttribute('data-streaming')) === 'true') await stop.click({ timeout: 1_000 });
      await expect(answer).toHaveAttribute('data-streaming', 'false', { timeout: 1_000 });
    }).toPass();
    const endedAt = Date.now();
    await expect(answer.getByTestId('message-text')).not.toBeEmpty();

    // While the answer streamed, the library showed unfinished files and the overall bar short of 100.
    const shown = await libraryLog();
    const steps = await answerLog();
    for (const step of [steps[0]!, steps[2]!]) {
      const then = shownAt(shown, step.at);
      expect(then, `library state at ${step.at}`).toBeDefined();
      expect(then!.unfinished).toBeGreaterThan(0);
      expect(then!.progress).not.toBeNull();
      expect(then!.progress!).toBeLessThan(100);
    }
    expect(shownAt(shown, endedAt)!.unfinished).toBeGreaterThan(0);

    // Indexing went on and finishes: every file ready.
    await expect(library.locator('[data-testid="ingest-item"][data-state="ready"]')).toHaveCount(FILES, {
      timeout: 150_000,
    });
    await expect(library.getByTestId('ingest-counts')).toContainText(`${FILES} of ${FILES} files`);
    await expect(library.getByTestId('document')).toHaveCount(FILES);
    await library.screenshot({ path: test.info().outputPath('library-ready-after-chatting.png') });
  });
});
