/**
 * Grounded answers as a browser user meets them, against `hearth serve` with the real model runtime,
 * the real library (the tests' embedding model, LanceDB) and the real store: attach a collection to a
 * chat, ask about a fact that only one file holds, open its source and read the passage; ask what the
 * library does not know and get the honest answer; drop a file into the chat; and an old citation
 * whose document was removed says "source removed". Light and dark, checked with axe-core.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ensureTestEmbeddingModel } from '../../test/support/index.js';
import { axeViolations } from '../support/axe.js';
import { chooseModel, MODEL_ID, stopAnswer } from '../support/chatFlow.js';
import { addFilesToNewCollection } from '../support/libraryFlow.js';
import { makeHomeWithModels, serve, type ServedHearth } from '../support/serve.js';

/** Three notes; the lighthouse keeper's name is only in the first. */
const notes = {
  'lighthouse.md': [
    '# The lighthouse on Gull Point',
    '',
    'The lighthouse keeper on Gull Point is called Marguerite Okonkwo-Lindqvist.',
    'She climbs the one hundred and twelve steps every evening to light the lamp.',
  ].join('\n'),
  'orchard.txt': 'The cherry orchard blossomed early this year, and the bees arrived in great numbers.\n',
  'market.md': [
    '# The winter market',
    '',
    'Traders sold honey, wool and smoked fish while the children skated on the pond.',
  ].join('\n'),
};

/** Sends a message and waits for the answer to end (stopping it after a moment: the test model rambles). */
async function ask(page: Page, text: string): Promise<void> {
  const answers = page.locator('[data-role="assistant"]');
  const before = await answers.count();
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
  await expect(answers).toHaveCount(before + 1);
  const last = answers.last();
  await expect.poll(async () => (await last.getByTestId('message-text').count()) > 0).toBe(true);
  await stopAnswer(page);
  await expect(last.getByRole('button', { name: 'Copy answer' })).toBeVisible();
}

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.evaluate((value) => {
    localStorage.setItem('hearth.theme', value);
    document.documentElement.dataset.theme = value;
  }, theme);
}

test.describe('grounded answers', () => {
  test.describe.configure({ mode: 'serial', timeout: 180_000 });
  let hearth: ServedHearth;
  let folder: string;

  test.beforeAll(async () => {
    const embedModel = await ensureTestEmbeddingModel();
    hearth = await serve(await makeHomeWithModels(), {
      env: {
        HEARTH_EMBED_MODEL: embedModel,
        // The generated embedder's vectors mean nothing (any two texts are ~0.76 alike): only a
        // word match makes a passage relevant, so a question the notes cannot answer finds nothing.
        HEARTH_MIN_VECTOR_SIMILARITY: '0.95',
      },
    });
    folder = await mkdtemp(join(tmpdir(), 'hearth-e2e-notes-'));
    for (const [name, text] of Object.entries(notes)) await writeFile(join(folder, name), text);
  });

  test.afterAll(async () => {
    await hearth?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  test('attach a collection, ask about a fact in one file, open its source and read the passage', async ({
    page,
  }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(hearth.url);

    // A collection with the three notes, indexed.
    await addFilesToNewCollection(
      page,
      'Coast notes',
      Object.keys(notes).map((name) => join(folder, name)),
    );

    // Indexed and searchable: the library lists the notes and finds the keeper's name by its words.
    await expect(page.getByTestId('document')).toHaveCount(3);
    await page.getByRole('radio', { name: 'Words' }).click();
    await page.getByLabel('Search the library').fill('Okonkwo');
    await page.getByLabel('Search the library').press('Enter');
    await expect(page.getByTestId('passage').filter({ hasText: 'lighthouse.md' })).toBeVisible();

    // Attach it to a new chat from the composer's control, by keyboard.
    await page.getByTestId('nav-chat').click();
    await chooseModel(page, MODEL_ID);
    const attach = page.getByRole('button', { name: 'Answer from documents' });
    await attach.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('attach-panel');
    await expect(panel).toBeVisible();
    await expect(panel.getByLabel('Coast notes')).toBeFocused();
    await page.screenshot({ path: test.info().outputPath('grounded-attach-panel.png') });
    await page.keyboard.press('Space');
    await expect(page.getByTestId('attached-collection').filter({ hasText: 'Coast notes' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(page.getByRole('button', { name: /1 collection attached/ })).toBeFocused();

    await ask(page, 'Who is the lighthouse keeper on Gull Point?');
    const answer = page.locator('[data-role="assistant"]').last();
    const sources = answer.getByTestId('sources-list');
    await expect(sources).toBeVisible();
    const source = sources.getByTestId('source-item').filter({ hasText: 'lighthouse.md' }).first();
    await expect(source).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('grounded-answer.png') });

    // Open it: the passage view shows the file, its heading and the passage.
    await source.click();
    const card = page.getByTestId('citation-card');
    await expect(card).toBeVisible();
    await expect(card).toBeFocused();
    await expect(card.getByRole('heading')).toContainText('lighthouse.md');
    await expect(card.getByTestId('citation-location')).toContainText('The lighthouse on Gull Point');
    await expect(card.getByTestId('citation-passage')).toContainText('Marguerite Okonkwo-Lindqvist');
    await expect(card).toHaveAttribute('data-state', 'available');
    // The headless browser UI has no file to open: the passage view is the destination.
    await expect(card.getByTestId('open-source-file')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('grounded-passage-light.png') });
    expect(await axeViolations(page)).toEqual([]);

    await page.keyboard.press('Escape');
    await expect(card).toBeHidden();
    await expect(source).toBeFocused();
  });

  test('dark theme: the answer, its sources and the passage view pass axe', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(hearth.url);
    await setTheme(page, 'dark');
    // A fresh page in the dark theme (a live switch is covered by the conversations spec).
    await page.reload();
    await page.getByTestId('conversation-item').first().getByRole('button').first().click();
    const answer = page.locator('[data-role="assistant"]').last();
    await expect(answer.getByTestId('sources-list')).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: test.info().outputPath('grounded-answer-dark.png') });
    await answer.getByTestId('source-item').first().click();
    await expect(page.getByTestId('citation-card')).toBeFocused();
    await expect(page.getByTestId('citation-card')).toHaveAttribute('data-state', 'available');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: test.info().outputPath('grounded-passage-dark.png') });
    await setTheme(page, 'light');
  });

  test('citation chips in an answer open the exact passage; a removed document says "source removed"', async ({
    page,
  }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(hearth.url);
    await page.getByTestId('conversation-item').first().getByRole('button').first().click();
    await expect(page.locator('[data-role="assistant"]').last().getByTestId('sources-list')).toBeVisible();

    // The generated test model writes random words and never "[1]": the answer the model would write is
    // put in an export of this very chat (its real sources, stored by the core) and imported back.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export as JSON' }).click();
    const exported = JSON.parse(await readFile(await (await download).path(), 'utf8')) as {
      title: string;
      messages: { role: string; text: string; citations: number[]; sources?: { n: number }[] }[];
    };
    const answer = exported.messages.find((message) => message.role === 'assistant' && message.sources);
    if (!answer) throw new Error('The export has no grounded answer.');
    answer.text =
      'The keeper on Gull Point is Marguerite Okonkwo-Lindqvist [1]. ' +
      'She climbs the steps every evening [1, 9]. A number with no source stays text [9].';
    answer.citations = [1];
    exported.title = 'The keeper, cited';
    await page.getByTestId('chat-import-input').setInputFiles({
      name: 'keeper.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(exported)),
    });
    await expect(page.getByTestId('toast')).toContainText('Imported “The keeper, cited”');

    const text = page.locator('[data-role="assistant"]').last().getByTestId('message-text');
    const chips = text.locator('button.cite');
    // [1] twice, and [1, 9] as one chip: 9 matches no source, so it is never linked.
    await expect(chips).toHaveCount(2);
    await expect(chips.nth(0)).toHaveAccessibleName('Source 1');
    await expect(text).toContainText('stays text [9]');
    await expect(text.locator('[data-cite="9"]')).toHaveCount(0);
    await expect(page.locator('[data-role="assistant"]').last().getByTestId('sources-list')).toContainText(
      'Sources',
    );

    // Hovering previews the passage; leaving closes it.
    const card = page.getByTestId('citation-card');
    await chips.nth(0).hover();
    await expect(card).toBeVisible();
    await expect(card).not.toBeFocused();
    await page.mouse.move(5, 5);
    await expect(card).toBeHidden();

    // Clicking opens it: file, heading, the passage with the claim's words marked.
    await chips.nth(0).click();
    await expect(card).toBeFocused();
    await expect(chips.nth(0)).toHaveAttribute('aria-expanded', 'true');
    await expect(card.getByRole('heading')).toContainText('lighthouse.md');
    await expect(card.getByTestId('citation-location')).toContainText('The lighthouse on Gull Point');
    await expect(card.getByTestId('citation-passage')).toContainText('Marguerite Okonkwo-Lindqvist');
    await expect(card.locator('mark', { hasText: /^Marguerite$/ })).toBeVisible();
    await expect(card).toHaveAttribute('data-state', 'available');
    await page.screenshot({ path: test.info().outputPath('grounded-chip-passage.png') });
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(card).toBeHidden();
    await expect(chips.nth(0)).toBeFocused();
    // Focus back on the chip does not bring the card back.
    await page.waitForTimeout(400);
    await expect(card).toBeHidden();

    // By keyboard: Tab to the next chip previews its passage, Enter opens it.
    await page.keyboard.press('Tab');
    await expect(chips.nth(1)).toBeFocused();
    await expect(card).toBeVisible();
    await expect(card).not.toBeFocused();
    await page.keyboard.press('Enter');
    await expect(card).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(chips.nth(1)).toBeFocused();

    // The document goes; the old citation still shows its passage, marked "Source removed".
    await page.getByTestId('nav-library').click();
    await page.getByRole('button', { name: 'Remove lighthouse.md' }).click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByTestId('document').filter({ hasText: 'lighthouse.md' })).toHaveCount(0);
    await page
      .getByTestId('conversation-item')
      .filter({ hasText: 'The keeper, cited' })
      .getByRole('button')
      .first()
      .click();
    await chips.nth(0).click();
    await expect(card).toHaveAttribute('data-state', 'removed');
    await expect(card.getByTestId('source-removed')).toContainText('Source removed');
    await expect(card.getByTestId('citation-passage')).toContainText('Marguerite Okonkwo-Lindqvist');
    await page.screenshot({ path: test.info().outputPath('grounded-source-removed.png') });
    expect(await axeViolations(page)).toEqual([]);
  });

  test('a question the library cannot answer gets the honest answer, with no citations', async ({ page }) => {
    await page.goto(hearth.url);
    // A new chat, explicitly: the page may reopen the last conversation, and a follow-up would fold
    // the earlier question's words (the lighthouse) into the search.
    await page.keyboard.press('Control+n');
    await chooseModel(page, MODEL_ID).catch(() => undefined);
    await page.getByRole('button', { name: 'Answer from documents' }).click();
    await page.getByTestId('attach-panel').getByLabel('Coast notes').check();
    await expect(page.getByTestId('attached-collection').filter({ hasText: 'Coast notes' })).toBeVisible();
    await page.keyboard.press('Escape');
    await ask(page, 'What is the airspeed velocity of an unladen swallow in kilometres per hour?');
    const answer = page.locator('[data-role="assistant"]').last();
    await expect(answer.getByTestId('message-text')).toContainText(/could not find/i);
    await expect(answer.getByTestId('not-found-tag')).toBeVisible();
    await expect(answer.locator('button.cite')).toHaveCount(0);
    await expect(answer.getByTestId('sources-list')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('grounded-not-found.png') });
  });

  test('a file dropped into the chat joins the chat, indexed, and answers can use it', async ({ page }) => {
    await page.goto(hearth.url);
    await page.keyboard.press('Control+n');
    await chooseModel(page, MODEL_ID).catch(() => undefined);
    const transfer = await page.evaluateHandle(() => {
      const data = new DataTransfer();
      data.items.add(
        new File(
          ['The ferry to Skerry Island leaves at seven forty-five every morning except Sundays.'],
          'ferry.txt',
          { type: 'text/plain' },
        ),
      );
      return data;
    });
    const chat = page.locator('[data-drop-zone="chat"]');
    await chat.dispatchEvent('dragenter', { dataTransfer: transfer });
    await chat.dispatchEvent('dragover', { dataTransfer: transfer });
    await expect(page.getByTestId('drop-overlay')).toContainText('Drop to add to this chat');
    await page.screenshot({ path: test.info().outputPath('grounded-drop-overlay.png') });
    await chat.dispatchEvent('drop', { dataTransfer: transfer });
    await expect(page.getByTestId('drop-overlay')).toBeHidden();

    // It stays in the chat (not the Library view), with its indexing state until ready.
    await expect(page.getByTestId('library-view')).toHaveCount(0);
    const file = page.getByTestId('chat-file').filter({ hasText: 'ferry.txt' });
    await expect(file).toBeVisible();
    await expect(file).toHaveAttribute('data-state', 'ready');
    await page.screenshot({ path: test.info().outputPath('grounded-chat-file.png') });

    await ask(page, 'When does the ferry to Skerry Island leave?');
    const answer = page.locator('[data-role="assistant"]').last();
    await expect(answer.getByTestId('source-item').filter({ hasText: 'ferry.txt' }).first()).toBeVisible();
  });

  test('a whole-document question reads every part with progress, and Stop ends it', async ({ page }) => {
    await page.goto(hearth.url);
    await chooseModel(page, MODEL_ID);
    // A contract far longer than the model's context: it must be read in parts.
    const clauses = Array.from(
      { length: 160 },
      (_, index) =>
        `## Clause ${index + 1}\n\nThe supplier delivers batch ${index + 1} of the lanterns before day ` +
        `${(index % 28) + 1} of month ${(index % 12) + 1}; late delivery costs ${index + 10} crowns a day.`,
    ).join('\n\n');
    await page.getByTestId('chat-files-input').setInputFiles({
      name: 'contract.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(`# Lantern supply contract\n\n${clauses}\n`),
    });
    await expect(page.getByTestId('chat-file').filter({ hasText: 'contract.md' })).toHaveAttribute(
      'data-state',
      'ready',
    );

    await page.getByLabel('Message', { exact: true }).fill('List every deadline in contract.md');
    await page.getByLabel('Message', { exact: true }).press('Enter');
    const progress = page.getByTestId('grounding-progress');
    // Too long for the context: read in parts, each counted ("3 of 12 parts read").
    await expect(progress).toHaveAttribute('data-stage', 'mapping');
    await expect(page.getByTestId('grounding-count')).toContainText(/[1-9]\d* of \d+ parts read/);
    await expect(progress.getByRole('progressbar')).toHaveAttribute('aria-valuenow', /\d+/);
    await page.screenshot({ path: test.info().outputPath('grounded-whole-document.png') });
    await progress.getByRole('button', { name: 'Stop' }).click();
    const answer = page.locator('[data-role="assistant"]').last();
    await expect(answer).toHaveAttribute('data-streaming', 'false');
    await expect(answer.getByTestId('stopped-tag')).toBeVisible();
  });
});
