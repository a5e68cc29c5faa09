/**
 * Live answers whose content matters, as a browser user meets them against `hearth serve`: the chat
 * model is the scripted test model, which thinks "Checking the notes", then answers "The keeper is
 * Marguerite [1]." and ends by itself. So a citation chip is rendered from an answer streamed in this
 * session (not a stored or imported one) and opens the passage behind it, and a reasoning model's
 * thinking streams apart from the answer, shown folded.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ensureScriptedModel, ensureTestEmbeddingModel } from '../../test/support/index.js';
import { axeViolations } from '../support/axe.js';
import { chooseModel } from '../support/chatFlow.js';
import { makeHomeWithModels, serve, type ServedHearth } from '../support/serve.js';

const SCRIPTED_ID = 'hearth-scripted.gguf';
const SCRIPT = [
  '<think>',
  'Checking',
  ' the',
  ' notes',
  '</think>',
  'The',
  ' keeper',
  ' is',
  ' Marguerite',
  ' [1]',
  '.',
];
const ANSWER = 'The keeper is Marguerite [1].';

/** The keeper's name is only in the lighthouse note. */
const notes = {
  'market.md': '# The winter market\n\nTraders sold honey, wool and smoked fish on the frozen pond.\n',
  'lighthouse.md': [
    '# The lighthouse on Gull Point',
    '',
    'The lighthouse keeper on Gull Point is called Marguerite Okonkwo-Lindqvist.',
  ].join('\n'),
};

interface Watched {
  /** The newest answer was seen in the DOM while it streamed. */
  streaming: boolean;
  /** Its thinking was seen, folded, while it streamed. */
  thoughtWhileStreaming: boolean;
  /** A citation chip was seen in it while it streamed. */
  chipWhileStreaming: boolean;
  /** The thinking's summary texts seen while it streamed. */
  summaries: string[];
  /** The answer text's lengths seen while it streamed. */
  lengths: number[];
}

/** Watches the newest answer in the DOM from now on (its state as it streams). */
async function watchAnswer(page: Page): Promise<() => Promise<Watched>> {
  await page.evaluate(() => {
    const seen = {
      streaming: false,
      thoughtWhileStreaming: false,
      chipWhileStreaming: false,
      summaries: [] as string[],
      lengths: [] as number[],
    };
    (window as unknown as { watched: typeof seen }).watched = seen;
    const before = document.querySelectorAll('[data-role="assistant"]').length;
    new MutationObserver(() => {
      const answers = document.querySelectorAll<HTMLElement>('[data-role="assistant"]');
      const answer = answers.length > before ? answers[answers.length - 1] : undefined;
      if (answer?.dataset.streaming !== 'true') return;
      seen.streaming = true;
      const thought = answer.querySelector<HTMLDetailsElement>('[data-testid="message-thought"]');
      if (thought && !thought.open) seen.thoughtWhileStreaming = true;
      const summary = thought?.querySelector('summary')?.textContent?.trim();
      if (summary && !seen.summaries.includes(summary)) seen.summaries.push(summary);
      if (answer.querySelector('[data-testid="message-text"] button.cite')) seen.chipWhileStreaming = true;
      const length = answer.querySelector('[data-testid="message-text"]')?.textContent?.length ?? 0;
      if (length > 0 && length !== seen.lengths.at(-1)) seen.lengths.push(length);
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  return () => page.evaluate(() => (window as unknown as { watched: Watched }).watched);
}

/** Sends a message and waits for the answer to end by itself (no Stop: the model ends it). */
async function ask(page: Page, text: string): Promise<Watched> {
  const answers = page.locator('[data-role="assistant"]');
  const before = await answers.count();
  const watched = await watchAnswer(page);
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
  await expect(answers).toHaveCount(before + 1);
  const answer = answers.last();
  await expect(answer).toHaveAttribute('data-streaming', 'false');
  await expect(answer.getByRole('button', { name: 'Copy answer' })).toBeVisible();
  // Ended by itself: neither stopped nor cut at the length limit.
  await expect(answer.getByTestId('stopped-tag')).toHaveCount(0);
  await expect(answer.getByText('Length limit')).toHaveCount(0);
  return watched();
}

test.describe('live answers from a scripted model', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  let hearth: ServedHearth;
  let folder: string;

  test.beforeAll(async () => {
    const home = await makeHomeWithModels();
    const scripted = await ensureScriptedModel({ script: SCRIPT, name: 'Hearth Scripted' });
    await copyFile(scripted, join(home, 'models', SCRIPTED_ID));
    hearth = await serve(home, {
      env: {
        HEARTH_EMBED_MODEL: await ensureTestEmbeddingModel(),
        // The generated embedder's vectors mean nothing: only a word match makes a passage relevant.
        HEARTH_MIN_VECTOR_SIMILARITY: '0.95',
      },
    });
    folder = await mkdtemp(join(tmpdir(), 'hearth-e2e-live-'));
    for (const [name, text] of Object.entries(notes)) await writeFile(join(folder, name), text);
  });

  test.afterAll(async () => {
    await hearth?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  test('a grounded answer streams, ends by itself, and its live citation chip opens the passage', async ({
    page,
  }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(hearth.url);

    await page.getByTestId('nav-library').click();
    await page.getByRole('button', { name: 'New collection' }).click();
    await page.getByLabel('New collection name').fill('Coast notes');
    await page.getByLabel('New collection name').press('Enter');
    // The files go to the current collection: wait until the new one is it.
    await expect(page.getByTestId('collection-item').filter({ hasText: 'Coast notes' })).toHaveAttribute(
      'aria-current',
      'true',
    );
    await page
      .getByTestId('add-files-input')
      .setInputFiles(Object.keys(notes).map((name) => join(folder, name)));
    for (const name of Object.keys(notes)) {
      await expect(page.getByTestId('ingest-item').filter({ hasText: name })).toHaveAttribute(
        'data-state',
        'ready',
      );
    }

    await page.getByTestId('nav-chat').click();
    await chooseModel(page, SCRIPTED_ID);
    await page.getByRole('button', { name: 'Answer from documents' }).click();
    await page.getByTestId('attach-panel').getByLabel('Coast notes').check();
    await expect(page.getByTestId('attached-collection').filter({ hasText: 'Coast notes' })).toBeVisible();
    await page.keyboard.press('Escape');

    const watched = await ask(page, 'Who is the lighthouse keeper on Gull Point?');
    expect(watched.streaming).toBe(true);
    const answer = page.locator('[data-role="assistant"]').last();
    const text = answer.getByTestId('message-text');
    // "[1]" became the chip for source 1 (its text is the number).
    await expect(text).toHaveText('The keeper is Marguerite 1.');
    const chip = text.locator('button.cite');
    await expect(chip).toHaveCount(1);
    await expect(chip).toHaveAccessibleName('Source 1');
    // The thinking is not part of the answer.
    await expect(text).not.toContainText('Checking');
    await expect(answer.getByTestId('sources-list')).toContainText('lighthouse.md');
    await page.screenshot({ path: test.info().outputPath('live-cited-answer.png') });

    await chip.click();
    const card = page.getByTestId('citation-card');
    await expect(card).toBeFocused();
    await expect(card.getByRole('heading')).toContainText('lighthouse.md');
    await expect(card.getByTestId('citation-location')).toContainText('The lighthouse on Gull Point');
    await expect(card.getByTestId('citation-passage')).toContainText('Marguerite Okonkwo-Lindqvist');
    await expect(card).toHaveAttribute('data-state', 'available');
    await page.screenshot({ path: test.info().outputPath('live-cited-passage.png') });
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(card).toBeHidden();
    await expect(chip).toBeFocused();
  });

  test('a reasoning model’s thinking streams apart from the answer and shows folded', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(hearth.url);
    // A new chat with no collection: an ordinary answer.
    await page.keyboard.press('Control+n');
    await chooseModel(page, SCRIPTED_ID);
    await expect(page.getByRole('button', { name: 'Answer from documents' })).toBeVisible();
    await expect(page.getByTestId('attached-collection')).toHaveCount(0);

    const watched = await ask(page, 'Who keeps the lighthouse?');
    expect(watched.streaming).toBe(true);
    const answer = page.locator('[data-role="assistant"]').last();
    const thought = answer.getByTestId('message-thought');
    await expect(thought).toBeVisible();
    // Folded: the summary shows, the thinking does not, and the answer holds none of it.
    await expect(thought).not.toHaveAttribute('open');
    await expect(thought.locator('summary')).toHaveText('Thought');
    await expect(thought.getByText('Checking the notes')).toBeHidden();
    const text = answer.getByTestId('message-text');
    await expect(text).toHaveText(ANSWER);
    // Ungrounded: "[1]" names no source, so it stays text.
    await expect(text.locator('button.cite')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('live-thought-folded.png') });

    await thought.locator('summary').click();
    await expect(thought).toHaveAttribute('open');
    await expect(thought.getByText('Checking the notes')).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('live-thought-open.png') });
    expect(await axeViolations(page)).toEqual([]);

    // Reopened from the store after a reload, the answer still keeps its thinking apart.
    await page.reload();
    await page
      .getByTestId('conversation-item')
      .filter({ hasText: 'Who keeps the lighthouse' })
      .getByRole('button')
      .first()
      .click();
    const stored = page.locator('[data-role="assistant"]').last();
    await expect(stored.getByTestId('message-text')).toHaveText(ANSWER);
    await expect(stored.getByTestId('message-thought')).not.toHaveAttribute('open');
  });
});
