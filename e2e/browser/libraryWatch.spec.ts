/**
 * Watched folders as a user sees them after starting Hearth again: the watches recorded last time
 * resume, the files that arrived while Hearth was closed are indexed, each folder says from the core
 * whether it is syncing, up to date (and since when) or in error, and an edit is followed live.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ensureTestEmbeddingModel } from '../../test/support/index.js';
import { axeViolations } from '../support/axe.js';
import { makeEmptyHome, serve, type ServedHearth } from '../support/serve.js';

test.describe('watched folders', () => {
  let hearth: ServedHearth;
  let root: string;
  let notes: string;
  let away: string;

  test.beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hearth-e2e-watch-'));
    notes = join(root, 'notes');
    away = join(root, 'unplugged-drive');
    await mkdir(notes);
    await writeFile(join(notes, 'herons.md'), '# Herons\n\nA grey heron waited in the reeds.\n');
    await writeFile(join(notes, 'orchard.txt'), 'The cherry orchard blossomed early this year.\n');
    // What a previous run left: a collection and two watched folders, one of them gone since.
    const home = await makeEmptyHome();
    await mkdir(join(home, 'library'), { recursive: true });
    const collection = { id: 'c-field-notes', name: 'Field notes', createdAt: new Date(0).toISOString() };
    await writeFile(join(home, 'library', 'collections.json'), JSON.stringify([collection]));
    await writeFile(
      join(home, 'library', 'watches.json'),
      JSON.stringify([
        { path: notes, collectionId: collection.id },
        { path: away, collectionId: collection.id },
      ]),
    );
    hearth = await serve(home, { env: { HEARTH_EMBED_MODEL: await ensureTestEmbeddingModel() } });
  });

  test.afterAll(async () => {
    await hearth?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  test('resume on start, show each folder’s state, follow an edit, and recover a folder that is back', async ({
    page,
  }) => {
    await page.goto(hearth.url);
    await page.getByTestId('nav-library').click();
    const folders = page.getByTestId('watched-folder');
    const notesRow = folders.filter({ hasText: notes });
    const awayRow = folders.filter({ hasText: away });

    // The files that arrived while Hearth was closed are indexed; the folder is up to date.
    await expect(notesRow).toHaveAttribute('data-sync', 'synced');
    await expect(notesRow.getByTestId('watched-state')).toHaveText('Up to date');
    await expect(notesRow).toContainText('Field notes · Synced just now');
    await expect(page.getByTestId('document')).toHaveCount(2);
    // The folder that is gone says so, and nothing was thrown away.
    await expect(awayRow).toHaveAttribute('data-sync', 'error');
    await expect(awayRow.getByTestId('watched-state')).toHaveText('Not syncing');
    await expect(awayRow).toContainText('Folder not found (moved or deleted)');
    await page.screenshot({ path: test.info().outputPath('library-watched-resumed.png') });
    expect(await axeViolations(page)).toEqual([]);

    // An edit: the folder syncs the file, then is up to date again, and search finds the new words.
    await writeFile(join(notes, 'orchard.txt'), 'The plum orchard was loud with wasps in August.\n');
    await expect(notesRow).toHaveAttribute('data-sync', 'syncing');
    await expect(notesRow.getByTestId('watched-state')).toHaveText('Syncing 1 file');
    await page.screenshot({ path: test.info().outputPath('library-watched-syncing.png') });
    await expect(notesRow).toHaveAttribute('data-sync', 'synced');
    const box = page.getByLabel('Search the library');
    await page.getByRole('radio', { name: 'Words' }).click();
    await box.fill('wasps');
    await box.press('Enter');
    await expect(page.getByTestId('passage').first()).toContainText('orchard.txt');
    await page.getByRole('button', { name: 'Clear search' }).click();

    // The drive is back: Try again watches it and indexes its file.
    await mkdir(away);
    await writeFile(join(away, 'otters.txt'), 'Two otters floated on their backs, cracking mussels.\n');
    // (Hearth also checks it again by itself every half minute: on a slow run that may come first.)
    const tryAgain = awayRow.getByRole('button', { name: `Try again: watch ${away}` });
    await expect(async () => {
      if ((await awayRow.getAttribute('data-sync')) === 'error') await tryAgain.click({ timeout: 1_000 });
      await expect(awayRow).toHaveAttribute('data-sync', 'synced', { timeout: 1_000 });
    }).toPass();
    await expect(tryAgain).toHaveCount(0);
    await expect(page.getByTestId('document')).toHaveCount(3);
    await page.screenshot({ path: test.info().outputPath('library-watched-recovered.png'), fullPage: true });

    // The dark theme (the system's, followed by default) reads as well.
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: test.info().outputPath('library-watched-dark.png') });
  });
});
