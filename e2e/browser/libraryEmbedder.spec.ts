/**
 * Settings > Library in Chromium: the embedding model in use and why, choosing another asks before
 * re-indexing, and the library is re-embedded with the new model.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ensureTestModel } from '../../test/support/index.js';
import { makeEmptyHome, repoRoot, serve, type ServedHearth } from '../support/serve.js';

test.describe('the library embedding model setting', () => {
  let hearth: ServedHearth;
  test.beforeAll(async () => {
    const home = await makeEmptyHome();
    const models = join(home, 'models');
    await mkdir(models, { recursive: true });
    await copyFile(await ensureTestModel({ seed: 31 }), join(models, 'embed-alpha.gguf'));
    await copyFile(await ensureTestModel({ seed: 32 }), join(models, 'embed-beta.gguf'));
    const note = join(home, 'note.md');
    await writeFile(note, '# Lanterns\n\nPaper lanterns float down the river at the autumn festival.\n');
    // One document in the library before the app starts (the CLI, no HEARTH_EMBED_MODEL).
    const env: NodeJS.ProcessEnv = { ...process.env, HEARTH_HOME: home };
    delete env.HEARTH_EMBED_MODEL;
    execFileSync(process.execPath, [join(repoRoot, 'bin', 'hearth.js'), 'add', note], { env, stdio: 'pipe' });
    hearth = await serve(home, { env: { HEARTH_EMBED_MODEL: '' } });
  });
  test.afterAll(async () => hearth?.stop());

  test('shows the model in use, asks before re-indexing, and switches', async ({ page }) => {
    await page.goto(hearth.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    const section = page.getByTestId('library-embedder-settings');
    const status = section.getByTestId('library-embedder-status');
    await expect(status).toContainText('In use: embed-alpha, found in the models folder');
    const select = section.getByLabel('Embedding model');
    await select.selectOption('embed-beta.gguf');
    const dialog = page.getByTestId('reindex-confirm');
    await expect(dialog).toContainText(
      'The one document in the library will be embedded again with embed-beta',
    );
    await page.screenshot({ path: test.info().outputPath('library-embedder-confirm.png') });
    // Cancel keeps the model; confirming switches it.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(select).toHaveValue('');
    await select.selectOption('embed-beta.gguf');
    await page.getByTestId('reindex-confirm').getByRole('button', { name: 'Re-index' }).click();
    await expect(status).toContainText('In use: embed-beta, your choice');
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: test.info().outputPath('library-embedder-switched.png') });
  });
});
