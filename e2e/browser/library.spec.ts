/**
 * The document library as a browser user meets it: `hearth serve` with an embedding model (the tests'
 * generated one), files dropped onto the window, a folder picked, progress followed to ready, and the
 * library searched with the matched words highlighted. Real host, real ingestion, real LanceDB.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ensureTestEmbeddingModel } from '../../test/support/index.js';
import { makeEmptyHome, serve, type ServedHearth } from '../support/serve.js';

const foxStory = [
  '# The fox and the lantern',
  '',
  'A small red fox found a brass lantern half buried in the snow beside the frozen river.',
  'Every night the fox carried the lantern up the hill so that lost travellers could find the village.',
  '',
  '## The winter market',
  '',
  'Traders sold honey, wool and smoked fish while the children skated on the pond.',
].join('\n');

/** Drops files onto the page the way a file manager does: dragenter, dragover and drop with real Files. */
async function dropFiles(page: Page, files: { name: string; text: string; type?: string }[]): Promise<void> {
  const transfer = await page.evaluateHandle((list) => {
    const data = new DataTransfer();
    for (const file of list)
      data.items.add(new File([file.text], file.name, { type: file.type ?? 'text/plain' }));
    return data;
  }, files);
  // On the sidebar: a drop on the chat itself goes to that chat (see grounded.spec.ts).
  const target = page.getByRole('complementary', { name: 'Sidebar' });
  await target.dispatchEvent('dragenter', { dataTransfer: transfer });
  await target.dispatchEvent('dragover', { dataTransfer: transfer });
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('library-drop-overlay.png') });
  await target.dispatchEvent('drop', { dataTransfer: transfer });
  await expect(page.getByTestId('drop-overlay')).toBeHidden();
}

function ingestItem(page: Page, name: string) {
  return page.getByTestId('ingest-item').filter({ hasText: name });
}

test.describe('the document library', () => {
  test.describe.configure({ mode: 'serial' });
  let hearth: ServedHearth;
  let folder: string;

  test.beforeAll(async () => {
    const embedModel = await ensureTestEmbeddingModel();
    hearth = await serve(await makeEmptyHome(), { env: { HEARTH_EMBED_MODEL: embedModel } });
    // A folder with a nested folder, a file that cannot be indexed (empty) and one that can.
    folder = await mkdtemp(join(tmpdir(), 'hearth-e2e-folder-'));
    await mkdir(join(folder, 'field-notes', 'spring'), { recursive: true });
    await writeFile(
      join(folder, 'field-notes', 'herons.md'),
      '# Herons\n\nA grey heron waited motionless in the reeds for the morning fish.\n',
    );
    await writeFile(
      join(folder, 'field-notes', 'spring', 'orchard.txt'),
      'The cherry orchard blossomed early this year, and the bees arrived in great numbers.\n',
    );
    await writeFile(join(folder, 'field-notes', 'spring', 'empty.txt'), '');
  });

  test.afterAll(async () => {
    await hearth?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  test('files dropped on any view open the Library and are indexed, each with its state', async ({
    page,
  }) => {
    await page.goto(hearth.url);
    await page.getByTestId('nav-library').click();
    await expect(page.getByTestId('library-empty')).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('library-empty.png') });

    // Back on the chat view, a drop outside the chat itself (here on the sidebar) lands in the library.
    await page.getByTestId('nav-chat').click();
    await dropFiles(page, [
      { name: 'fox-and-lantern.md', text: foxStory, type: 'text/markdown' },
      { name: 'groceries.txt', text: 'Flour, eggs, butter, apples and a jar of honey for the cake.' },
    ]);
    await expect(page.getByTestId('library-view')).toBeVisible();
    await expect(page.getByTestId('ingest-panel')).toBeVisible();
    await expect(ingestItem(page, 'fox-and-lantern.md')).toHaveAttribute('data-state', 'ready');
    await expect(ingestItem(page, 'groceries.txt')).toHaveAttribute('data-state', 'ready');
    await expect(page.getByTestId('ingest-counts')).toContainText('2 of 2 files');
    await expect(page.getByTestId('ingest-progress')).toHaveAttribute('aria-valuenow', '100');
    await expect(page.getByTestId('document').filter({ hasText: 'fox-and-lantern.md' })).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('library-dropped-ready.png') });
  });

  test('a picked folder is read recursively; an empty file is skipped with the reason', async ({ page }) => {
    await page.goto(hearth.url);
    await page.getByTestId('nav-library').click();
    await page.getByTestId('add-folder-input').setInputFiles(join(folder, 'field-notes'));
    await expect(ingestItem(page, 'herons.md')).toHaveAttribute('data-state', 'ready');
    await expect(ingestItem(page, 'orchard.txt')).toHaveAttribute('data-state', 'ready');
    const empty = ingestItem(page, 'empty.txt');
    await expect(empty).toHaveAttribute('data-state', 'skipped');
    await expect(empty.locator('.reason')).not.toBeEmpty();
    await expect(page.getByTestId('document')).toHaveCount(4);
    await page.screenshot({ path: test.info().outputPath('library-folder-ready.png'), fullPage: true });
  });

  test('searching finds the passage in each mode and highlights the matched words', async ({ page }) => {
    await page.goto(hearth.url);
    await page.getByTestId('nav-library').click();
    const box = page.getByLabel('Search the library');
    const passages = page.getByTestId('passage');
    await box.fill('lantern');
    await box.press('Enter');
    // Hybrid: the passage that has the word is among the results, its words marked and its heading shown.
    const fox = passages.filter({ hasText: 'fox-and-lantern.md' }).first();
    await expect(fox).toBeVisible();
    await expect(fox.locator('mark').first()).toHaveText(/lantern/i);
    await expect(fox).toContainText('The fox and the lantern');
    await page.screenshot({ path: test.info().outputPath('library-search-hybrid.png') });

    // Words (full text): it comes first.
    await page.getByRole('radio', { name: 'Words' }).click();
    await expect(page.getByRole('radio', { name: 'Words' })).toHaveAttribute('aria-checked', 'true');
    await expect(passages.first()).toContainText('fox-and-lantern.md');
    await expect(passages.first().locator('mark').first()).toHaveText(/lantern/i);

    // Meaning (vectors; the test model's are deterministic but meaningless): passages come back.
    // The mode group is a radio group: the arrow keys move the choice.
    await page.getByRole('radio', { name: 'Words' }).press('ArrowRight');
    await expect(page.getByRole('radio', { name: 'Meaning' })).toHaveAttribute('aria-checked', 'true');
    await expect(passages.first()).toBeVisible();

    // Files from the picked folder are found too, with their folder path in the name.
    await page.getByRole('radio', { name: 'Words' }).click();
    await box.fill('heron reeds');
    await box.press('Enter');
    await expect(passages.first()).toContainText('herons.md');
    await expect(passages.first().locator('mark').first()).toHaveText(/heron/i);
    await expect(passages.first().locator('mark', { hasText: /^reeds$/ })).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('library-search-folder.png') });
  });

  test('collections: create, rename, delete with confirmation; a document can be removed', async ({
    page,
  }) => {
    await page.goto(hearth.url);
    await page.getByTestId('nav-library').click();
    await page.getByRole('button', { name: 'New collection' }).click();
    await page.getByLabel('New collection name').fill('Research');
    await page.getByLabel('New collection name').press('Enter');
    const research = page.getByTestId('collection-item').filter({ hasText: 'Research' });
    await expect(research).toHaveAttribute('aria-current', 'true');
    await expect(page.getByTestId('library-empty')).toContainText('Research is empty');

    await research.hover();
    await page.getByRole('button', { name: 'Rename Research' }).click();
    await page.getByLabel('New name for Research').fill('Papers');
    await page.getByLabel('New name for Research').press('Enter');
    const papers = page.getByTestId('collection-item').filter({ hasText: 'Papers' });
    await expect(papers).toBeVisible();

    await papers.hover();
    await page.getByRole('button', { name: 'Delete Papers' }).click();
    const dialog = page.getByTestId('confirm-dialog');
    await expect(dialog).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('library-confirm-delete.png') });
    await dialog.getByRole('button', { name: 'Delete collection' }).click();
    await expect(papers).toHaveCount(0);

    // Removing a document takes it out of the list and out of search.
    await page.getByRole('button', { name: 'All documents' }).click();
    await page.getByRole('button', { name: 'Remove groceries.txt' }).click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByTestId('document').filter({ hasText: 'groceries.txt' })).toHaveCount(0);
    const box = page.getByLabel('Search the library');
    await box.fill('honey flour');
    await page.getByRole('radio', { name: 'Words' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'honey flour' })).toBeVisible();
    await expect(page.getByTestId('passage').filter({ hasText: 'groceries.txt' })).toHaveCount(0);
  });

  test('a .json file in a drop goes to the chat import, a .gguf to the model import; the other files go to the library', async ({
    page,
  }) => {
    await page.goto(hearth.url);
    await page.getByTestId('nav-chat').click();
    await dropFiles(page, [
      { name: 'not-a-chat.json', text: '{"hello": ', type: 'application/json' },
      { name: 'not-a-model.gguf', text: 'these bytes are no GGUF header', type: '' },
      { name: 'otters.txt', text: 'Two otters floated on their backs, cracking mussels on flat stones.' },
    ]);
    // The chat import refuses it (it is not a Hearth export) and says so; the library never sees it.
    await expect(page.getByTestId('toast')).toContainText('Could not import not-a-chat.json');
    await page.getByTestId('nav-library').click();
    await expect(ingestItem(page, 'otters.txt')).toHaveAttribute('data-state', 'ready');
    await expect(ingestItem(page, 'not-a-chat.json')).toHaveCount(0);
    await expect(page.getByTestId('document').filter({ hasText: 'otters.txt' })).toBeVisible();
    await expect(page.getByTestId('document').filter({ hasText: 'not-a-chat.json' })).toHaveCount(0);
    // The model import checks the header and refuses the file; the library never sees it either.
    await expect(ingestItem(page, 'not-a-model.gguf')).toHaveCount(0);
    await expect(page.getByTestId('document').filter({ hasText: 'not-a-model.gguf' })).toHaveCount(0);
    await page.getByTestId('nav-models').click();
    await expect(page.getByTestId('models-error')).toContainText('This is not a GGUF model file');
  });
});
